import { buildTrace, repeatsSpanIds, SHARED_SPAN_ID, type Span, type Trace } from '../model';
// From its file, not the formats barrel, which loads every reader (model/formats/lazy-readers.ts).
import { joinZipkinSpans } from '../model/formats/zipkin-shared';

/**
 * B3 "shared" spans that reached the dump in another format than Zipkin's. A Brave or zipkin-go server joins
 * its caller's span: its SERVER span has the id of the caller's CLIENT span and the same parent. The Zipkin
 * reader joins such spans (zipkin-shared.ts), but an OpenTelemetry Collector's zipkin receiver copies ids and
 * parents as they are into OTLP (so do Tempo and unadjusted Jaeger JSON), and the pair then reads as one id
 * generated twice, with the server under its caller's SERVER span. Each SERVER span with the id of a CLIENT
 * span of another service in its trace, and that CLIENT span's parent (or none), is joined as Zipkin's
 * reader joins it: it gets an id of its own under the CLIENT span. Only a trace with a repeated span id can
 * hold one; every other trace is returned as it is.
 */
export function joinSharedSpans(trace: Trace): Trace {
  if (!repeatsSpanIds(trace)) return trace;
  const clients = new Map<string, Span>();
  for (const span of trace.spans) {
    if (span.kind === 'client' && span.attributes[SHARED_SPAN_ID] === undefined) clients.set(span.spanId, span);
  }
  let marked = false;
  const spans = trace.spans.map((span) => {
    if (span.kind !== 'server' || span.attributes[SHARED_SPAN_ID] !== undefined) return span;
    const client = clients.get(span.spanId);
    if (client === undefined || client.service === span.service) return span;
    if (span.parentSpanId !== undefined && span.parentSpanId !== client.parentSpanId) return span;
    marked = true;
    return { ...span, attributes: { ...span.attributes, [SHARED_SPAN_ID]: span.spanId } };
  });
  return marked ? buildTrace(trace.traceId, joinZipkinSpans(spans)) : trace;
}
