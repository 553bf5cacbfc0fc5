import { format as withPrefix } from '../../internal/messages';
import type { Span } from '../span';
import type { DumpFormat } from './dump-format';

/**
 * How many spans a Jaeger file holds when none of them has a `span.kind` tag; undefined for any other file. Grafana's
 * trace download (Inspect, or the trace view's Download) writes a Jaeger data source's trace as Jaeger JSON from its
 * data frame, whose kind and status are columns of their own that the download leaves out when the data source read
 * Jaeger's api/v3 (OTLP) answer rather than its /api/traces. Every span then reads as UNSPECIFIED: calls cannot be
 * told from the requests they made, so hops are judged by parentage alone.
 */
export function kindlessSpans(spans: readonly Span[], format: DumpFormat | undefined): number | undefined {
  if (format !== 'jaeger' || spans.length === 0) return undefined;
  for (let i = 0; i < spans.length; i++) if ((spans[i] as Span).kind !== 'unspecified') return undefined;
  return spans.length;
}

/**
 * The note for Jaeger files whose spans say no kind (see kindlessSpans), with their span counts: one note for all the
 * files (Grafana's downloads are one trace a file), naming the first three and how many more.
 */
export function kindlessNote(files: readonly { file: string; spans: number }[]): string {
  const spans = files.reduce((sum, file) => sum + file.spans, 0);
  const named = files.slice(0, 3).map(({ file }) => `"${file}"`);
  const more = files.length > named.length ? ` and ${files.length - named.length} more` : '';
  const who = files.length === 1 ? `${named.join('')} is` : `${files.length} files (${named.join(', ')}${more}) are`;
  const whose = files.length === 1 ? 'its' : 'their';
  const count = spans === 1 ? `${whose} one span has no` : `none of ${whose} ${spans} spans has a`;
  return withPrefix(
    `Note: ${who} Jaeger JSON whose spans say no kind (${count} span.kind tag: Grafana's trace download leaves them out of a Jaeger trace it read from Jaeger's api/v3, and a tracer that sets no span kind writes none): ` +
      'no span is a CLIENT, SERVER, PRODUCER or CONSUMER, so a lost hop is judged by parentage alone and named less exactly. ' +
      "Download the trace from Jaeger itself (Download JSON in Jaeger's UI, or GET /api/traces/{traceID}), and have each service's tracer set its spans' kind, for a check that knows each span's kind.",
  );
}

/** The note for one file whose spans say no kind, or undefined (see kindlessSpans). */
export function kindlessSpansNote(
  file: string,
  spans: readonly Span[],
  format: DumpFormat | undefined,
): string | undefined {
  const count = kindlessSpans(spans, format);
  return count === undefined ? undefined : kindlessNote([{ file, spans: count }]);
}
