import { failure } from '../../internal/messages';
import type { AnyRequest } from './listener';

/**
 * What a service or the receiver answers a CONNECT with (405): an app whose HTTP client was given tracehop's
 * URL as its proxy asks it for a tunnel, which it cannot open. `target` is the CONNECT's host:port.
 */
export function notAProxy(target: string, where: string): string {
  return failure(
    `accept CONNECT ${target} on ${where}`,
    'tracehop is no proxy, so it opens no tunnel (an app whose proxy settings point at tracehop sends CONNECT)',
    'Call the URLs tracehop printed directly: leave them out of HTTPS_PROXY and HTTP_PROXY, or list 127.0.0.1 in NO_PROXY.',
  );
}

/** The host:port a CONNECT asks for: its request target over HTTP/1.1, its `:authority` over HTTP/2. */
export function connectTarget(request: AnyRequest): string {
  const authority = request.headers[':authority'];
  return request.url ?? (typeof authority === 'string' ? authority : '');
}
