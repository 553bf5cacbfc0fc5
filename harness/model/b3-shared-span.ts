import type { Span } from './span';

/**
 * B3 "shared" spans (Zipkin): a server that joins its caller's span writes its SERVER span with the id of
 * the caller's CLIENT span. The Zipkin reader marks such a span with this attribute, holding the shared id;
 * joinZipkinSpans (formats/zipkin-shared.ts) gives it an id of its own under that CLIENT span when the CLIENT
 * span is read with it. Exported for readers of spans that want the id Zipkin shows.
 */
export const SHARED_SPAN_ID = 'zipkin.shared_span_id';

/**
 * Whether `span` is a shared SERVER span that kept the shared id: no CLIENT span of that id was read with it,
 * so the caller made the id for this call under its own span and recorded no CLIENT span of it (py_zipkin's
 * create_http_headers_for_new_span without a zipkin_client_span). The span's parent is then the caller's
 * span that made the call, whatever its kind.
 */
export function holdsSharedCallId(span: Span): boolean {
  return span.kind === 'server' && span.attributes[SHARED_SPAN_ID] === span.spanId;
}
