import { format as withPrefix } from '../../internal/messages';
import type { Span } from '../span';
import { SHARED_SPAN_ID } from '../b3-shared-span';
import { hasTime } from '../span-time';

/**
 * The note for a Zipkin file's spans that no piece and no annotation gave a time (zipkin-json.ts keeps their
 * times 0, see hasTime): how many, and the first by service, kind, name, id, trace and line, so the reader can
 * find it. Undefined when every span has a time.
 */
export function untimedZipkinNote(file: string, spans: readonly Span[]): string | undefined {
  let count = 0;
  let first: Span | undefined;
  for (const span of spans) {
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
    `Note: "${file}" holds ${count} Zipkin ${many ? 'spans' : 'span'} with no time (no timestamp, no annotations, and no piece of ${many ? 'them' : 'it'} with one)` +
      `${many ? ', the first' : ':'} ${which}: ${many ? 'each keeps its' : 'it keeps its'} place in its trace, ` +
      `but no callee clock is read off ${many ? 'them' : 'it'} and no new trace is tied to a run by ${many ? 'their' : 'its'} timing.`,
  );
}
