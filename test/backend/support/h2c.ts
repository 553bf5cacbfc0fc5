import {
  connect,
  type ClientHttp2Session,
  type ClientSessionOptions,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http2';

/** What one HTTP/2 stream got: its answer's head and body, how it closed, and the stream error, if any. */
export interface H2cExchange {
  readonly head: IncomingHttpHeaders;
  readonly body: string;
  /** The RST_STREAM code the stream closed with (0, NO_ERROR, for a clean close). */
  readonly rstCode: number | undefined;
  readonly error: string | undefined;
}

/**
 * Sends one request on `session` (HTTP/2 without TLS, prior knowledge) and resolves when its stream closes.
 * `body` is written; the request is ended after it unless `end` is false (a client still sending).
 */
export function h2cRequest(
  session: ClientHttp2Session,
  headers: OutgoingHttpHeaders,
  body = '',
  end = true,
): Promise<H2cExchange> {
  return new Promise((resolve) => {
    const stream = session.request(headers);
    let head: IncomingHttpHeaders = {};
    let text = '';
    let error: string | undefined;
    stream.on('response', (received) => (head = received));
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    stream.on('error', (cause: NodeJS.ErrnoException) => (error = cause.code ?? cause.message));
    stream.on('close', () => resolve({ head, body: text, rstCode: stream.rstCode, error }));
    if (end) stream.end(body);
    else stream.write(body);
  });
}

/** Runs `use` on a fresh h2c session to `url` (with `options`, if any), closing it after. */
export async function withH2c<T>(
  url: string,
  use: (session: ClientHttp2Session) => Promise<T>,
  options: ClientSessionOptions = {},
): Promise<T> {
  const session = connect(url, options);
  session.on('error', () => undefined);
  try {
    return await use(session);
  } finally {
    session.close();
  }
}
