import { TRACE_HEADER_NAMES } from '../propagation';

/** Headers a browser app sends cross-origin (the body's type and encoding, then every trace header); preflights must allow each one. */
export const CORS_ALLOWED_HEADERS = ['content-type', 'content-encoding', ...TRACE_HEADER_NAMES] as const;

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
