import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderEntry } from '../../model';
import type { RouteRequest } from './msw';

/** Whether a request with this method and body gives its body to a Fetch Request (GET and HEAD never do). */
function carriesBody(method: string, body: Buffer): boolean {
  return method !== 'GET' && method !== 'HEAD' && body.length > 0;
}

const UTF8 = new TextDecoder();

/**
 * The {@link RouteRequest} of a Node request whose body was already read: what a Fetch Request built by
 * {@link toFetchRequest} would say of its method, URL and text, without building one.
 */
export function toRouteRequest(request: IncomingMessage, url: URL, body: Buffer): RouteRequest {
  const method = request.method ?? 'GET';
  const text = carriesBody(method, body) ? UTF8.decode(body) : '';
  return { method, url: url.href, text: () => Promise.resolve(text) };
}

/** Builds a Fetch `Request` from a Node request whose body was already read. */
export function toFetchRequest(
  request: IncomingMessage,
  url: URL,
  headers: readonly HeaderEntry[],
  body: Buffer,
): Request {
  const init = new Headers();
  for (const [name, value] of headers) {
    // Headers rejects some byte sequences Node accepts; the capture log keeps them, msw just skips them.
    try {
      init.append(name, value);
    } catch {
      continue;
    }
  }
  const method = request.method ?? 'GET';
  const hasBody = carriesBody(method, body);
  return new Request(url, {
    method,
    headers: init,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  });
}

/** Bodies of {@link jsonResponse}s, kept as bytes beside their Response instead of in a stream. */
const encodedBodies = new WeakMap<Response, Buffer>();

/**
 * A JSON `Response` for a route resolver, like msw's `HttpResponse.json`, but its body is encoded once and
 * kept beside it, so {@link writeFetchResponse} writes the bytes without a stream round trip. Only
 * writeFetchResponse knows the body: the Response itself is bodyless, so it is for the mock services'
 * answers, not for code that reads Responses.
 */
export function jsonResponse(value: unknown, status = 200): Response {
  const response = new Response(null, { status, headers: { 'content-type': 'application/json' } });
  encodedBodies.set(response, Buffer.from(JSON.stringify(value)));
  return response;
}

/** Writes a Fetch `Response` to a Node response. */
export async function writeFetchResponse(response: Response, target: ServerResponse): Promise<void> {
  const body = encodedBodies.get(response) ?? Buffer.from(await response.arrayBuffer());
  target.statusCode = response.status;
  response.headers.forEach((value, name) => target.setHeader(name, value));
  target.setHeader('content-length', body.length);
  target.end(body);
}

/** Answers with a plain-text message (status and text already chosen by the caller). */
export function writeText(
  target: ServerResponse,
  status: number,
  text: string,
  extraHeaders: Record<string, string> = {},
): void {
  if (target.headersSent || target.writableEnded) return;
  const body = Buffer.from(`${text}\n`);
  target.statusCode = status;
  for (const [name, value] of Object.entries(extraHeaders)) target.setHeader(name, value);
  target.setHeader('content-type', 'text/plain; charset=utf-8');
  target.setHeader('content-length', body.length);
  target.end(body);
}
