import { format as withPrefix } from '../../internal/messages';
import type { Span } from '../span';
import { SHARED_SPAN_ID } from '../b3-shared-span';
import { hasTime } from '../span-time';
import type { DumpFormat } from './dump-format';

/** What a format's span with no time lacked, for one span and for several. */
function untimedWhy(format: DumpFormat | undefined, many: boolean): string {
  const it = many ? 'them' : 'it';
  if (format === 'zipkin')
    return `Zipkin ${many ? 'spans' : 'span'} with no time (no timestamp, no annotations, and no piece of ${it} with one)`;
  if (format === 'otlp-json' || format === 'otlp-proto')
    return `OTLP ${many ? 'spans' : 'span'} with no start time (startTimeUnixNano 0 or missing; ${many ? 'their ends' : 'its end'} alone ${many ? 'place them' : 'places it'} nowhere)`;
  return `${many ? 'spans' : 'span'} with no time (${many ? 'they start and end' : 'it starts and ends'} at 0)`;
}

/**
 * The note for a file's spans that the input gave no time (their readers keep their times 0, see hasTime): how
 * many, and the first by service, kind, name, id, trace and line, so the reader can find it. Undefined when
 * every span has a time.
 */
export function untimedSpansNote(
  file: string,
  spans: readonly Span[],
  format: DumpFormat | undefined,
): string | undefined {
  let count = 0;
  let first: Span | undefined;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    if (hasTime(span)) continue;
    count++;
    first ??= span;
  }
  if (first === undefined) return undefined;
  const line = first.source?.line === undefined ? '' : ` (line ${first.source.line})`;
  // A B3 shared SERVER span was given an id of its own: the file writes the id it shares.
  const shared = first.attributes[SHARED_SPAN_ID];
  const id = typeof shared === 'string' ? shared : first.spanId;
  const which = `${first.service}'s ${first.kind.toUpperCase()} span ${JSON.stringify(first.name)} (${id}) in trace ${first.traceId}${line}`;
  const many = count > 1;
  return withPrefix(
    `Note: "${file}" holds ${count} ${untimedWhy(format, many)}` +
      `${many ? ', the first' : ':'} ${which}: ${many ? 'each keeps its' : 'it keeps its'} place in its trace, ` +
      `but no callee clock is read off ${many ? 'them' : 'it'} and no new trace is tied to a run by ${many ? 'their' : 'its'} timing.`,
  );
}
