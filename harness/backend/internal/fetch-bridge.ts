import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderEntry } from '../../model';

/** Builds a Fetch `Request` from a Node request whose body was already read. */
export function toFetchRequest(
  request: IncomingMessage,
  origin: string,
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
  const hasBody = method !== 'GET' && method !== 'HEAD' && body.length > 0;
  return new Request(new URL(request.url ?? '/', origin), {
    method,
    headers: init,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  });
}

/** Writes a Fetch `Response` to a Node response. */
export async function writeFetchResponse(response: Response, target: ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
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
