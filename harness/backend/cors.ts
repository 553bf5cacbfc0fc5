import { TRACE_HEADER_NAMES } from '../propagation';

/**
 * Headers a browser app sends cross-origin (the body's type and encoding, its session's `authorization`, then
 * every trace header); preflights must allow each one.
 */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'content-encoding',
  'authorization',
  ...TRACE_HEADER_NAMES,
] as const;

/** The W3C headers the fault `cors-omits-trace-headers` leaves out of a preflight answer. */
export const W3C_CONTEXT_HEADERS = ['traceparent', 'tracestate', 'baggage'] as const;

// Joined once: every answer of every service carries one of them.
const ALLOWED = CORS_ALLOWED_HEADERS.join(', ');
const ALLOWED_WITHOUT_TRACE_HEADERS = CORS_ALLOWED_HEADERS.filter(
  (name) => !(W3C_CONTEXT_HEADERS as readonly string[]).includes(name),
).join(', ');

/** The names a preflight asked for (Access-Control-Request-Headers) that `allowed` does not hold yet. */
function alsoAsked(requested: string | undefined, allowed: string, omitTraceHeaders: boolean): string {
  if (requested === undefined || requested === '') return '';
  const have = new Set(allowed.split(', '));
  const extra: string[] = [];
  for (const raw of requested.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '' || have.has(name)) continue;
    if (omitTraceHeaders && (W3C_CONTEXT_HEADERS as readonly string[]).includes(name)) continue;
    have.add(name);
    extra.push(name);
  }
  return extra.length > 0 ? `, ${extra.join(', ')}` : '';
}

/**
 * Headers every backend answer carries, so the web build can call services and the OTLP receiver. A known
 * origin is echoed and may send credentials (the signed-in app's session cookie). A preflight's
 * `requested` headers (its Access-Control-Request-Headers: an app's API key, a vendor exporter's auth
 * header) are allowed besides the usual ones. `omitTraceHeaders` (the fault `cors-omits-trace-headers`)
 * allows every header but traceparent, tracestate and baggage, as a gateway whose CORS policy was written
 * before tracing was.
 */
export function corsHeaders(
  origin: string | undefined,
  omitTraceHeaders = false,
  requested?: string,
): Record<string, string> {
  const known = origin !== undefined && origin !== '' && origin !== 'null';
  const allowed = omitTraceHeaders ? ALLOWED_WITHOUT_TRACE_HEADERS : ALLOWED;
  return {
    'access-control-allow-origin': known ? origin : '*',
    ...(known ? { 'access-control-allow-credentials': 'true' } : {}),
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': allowed + alsoAsked(requested, allowed, omitTraceHeaders),
    'access-control-max-age': '600',
    // The answer depends on the headers a preflight asked for, too.
    vary: requested === undefined ? 'origin' : 'origin, access-control-request-headers',
  };
}
