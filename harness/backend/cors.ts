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

/**
 * Headers every backend answer carries, so the web build can call services and the OTLP receiver. A known
 * origin is echoed and may send credentials (the signed-in app's session cookie).
 */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  const known = origin !== undefined && origin !== '' && origin !== 'null';
  return {
    'access-control-allow-origin': known ? origin : '*',
    ...(known ? { 'access-control-allow-credentials': 'true' } : {}),
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
    'access-control-max-age': '600',
    vary: 'origin',
  };
}
