import { format as withPrefix } from '../../internal/messages';
import type { Span } from '../span';
import type { DumpFormat } from './dump-format';

/**
 * The note for a Jaeger file none of whose spans has a `span.kind` tag: Grafana's trace download (Inspect, or the
 * trace view's Download) writes a Jaeger data source's trace as Jaeger JSON from its data frame, whose kind and
 * status are columns of their own that the download leaves out when the data source read Jaeger's api/v3 (OTLP)
 * answer rather than its /api/traces. Every span then reads as UNSPECIFIED: calls cannot be told from the
 * requests they made, so hops are judged by parentage alone. Undefined for any other file.
 */
export function kindlessSpansNote(
  file: string,
  spans: readonly Span[],
  format: DumpFormat | undefined,
): string | undefined {
  if (format !== 'jaeger' || spans.length === 0) return undefined;
  for (let i = 0; i < spans.length; i++) if ((spans[i] as Span).kind !== 'unspecified') return undefined;
  const count = spans.length === 1 ? 'its one span has no' : `none of its ${spans.length} spans has a`;
  return withPrefix(
    `Note: "${file}" is Jaeger JSON whose spans say no kind (${count} span.kind tag, as Grafana's trace download writes a Jaeger trace it read from Jaeger's api/v3): ` +
      'no span is a CLIENT, SERVER, PRODUCER or CONSUMER, so a lost hop is judged by parentage alone and named less exactly. ' +
      "Download the trace from Jaeger itself (Download JSON in Jaeger's UI, or GET /api/traces/{traceID}) for a check that knows each span's kind.",
  );
}
