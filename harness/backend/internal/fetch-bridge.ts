import { ServerResponse } from 'node:http';
import type { AnyResponse } from './listener';
import type { HeaderEntry } from '../../model';
import { JsonAnswer, type RouteAnswer, type RouteRequest } from './msw';

/** Whether a request with this method and body gives its body to a Fetch Request (GET and HEAD never do). */
function carriesBody(method: string, body: Buffer): boolean {
  return method !== 'GET' && method !== 'HEAD' && body.length > 0;
}

const UTF8 = new TextDecoder();

/** Headers HTTP/2 forbids in an answer (RFC 9113 §8.2.2); Headers objects hold names lowercased. */
const CONNECTION_SPECIFIC: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]);

/** What the bridge reads of a Node request, over HTTP/1.1 or HTTP/2: its method. */
export interface MethodOf {
  readonly method?: string | undefined;
}

/**
 * The {@link RouteRequest} of a Node request whose body was already read: what a Fetch Request built by
 * {@link toFetchRequest} would say of its method, URL and text, without building one.
 */
export function toRouteRequest(request: MethodOf, url: URL, body: Buffer): RouteRequest {
  const method = request.method ?? 'GET';
  const text = carriesBody(method, body) ? UTF8.decode(body) : '';
  return { method, url: url.href, text: () => Promise.resolve(text) };
}

/** Builds a Fetch `Request` from a Node request whose body was already read. */
export function toFetchRequest(request: MethodOf, url: URL, headers: readonly HeaderEntry[], body: Buffer): Request {
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

/** A JSON answer for a route resolver, like msw's `HttpResponse.json`, encoded once. */
export function jsonAnswer(value: unknown, status = 200): JsonAnswer {
  return new JsonAnswer(status, JSON.stringify(value));
}

/** Writes a resolver's answer (a JSON answer's bytes, or a Fetch `Response`) to a Node response. */
export async function writeFetchResponse(answer: RouteAnswer, target: AnyResponse): Promise<void> {
  if (answer instanceof JsonAnswer) {
    target.statusCode = answer.status;
    target.setHeader('content-type', 'application/json');
    target.setHeader('content-length', Buffer.byteLength(answer.body));
    target.end(answer.body);
    return;
  }
  const body = Buffer.from(await answer.arrayBuffer());
  target.statusCode = answer.status;
  // Over HTTP/2 a connection-specific header (Connection, Keep-Alive, ...) is forbidden: Node drops it with a
  // process warning, so it is left out here.
  const http1 = target instanceof ServerResponse;
  answer.headers.forEach((value, name) => {
    if (http1 || !CONNECTION_SPECIFIC.has(name)) target.setHeader(name, value);
  });
  target.setHeader('content-length', body.length);
  target.end(body);
}

/** Answers with a plain-text message (status and text already chosen by the caller). */
export function writeText(
  target: AnyResponse,
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
