/** Trace headers a browser app sends cross-origin; preflights must allow each one. */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'content-encoding',
  'traceparent',
  'tracestate',
  'baggage',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
] as const;

/** Headers every backend answer carries, so the web build can call services and the OTLP receiver. */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  return {
    'access-control-allow-origin': origin && origin !== 'null' ? origin : '*',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
    'access-control-max-age': '600',
    vary: 'origin',
  };
}
