import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a stub server received it. */
export interface RecordedRequest {
  readonly server: string;
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What a route answers; `drop` closes the connection without a response (a network error for fetch). */
export type StubAnswer = { status: number; json?: unknown } | 'drop';
export type StubRoute = (request: RecordedRequest) => StubAnswer;

export interface StubServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Every request of every stub, with a way to wait for one instead of sleeping. */
export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  private waiters: Array<() => void> = [];

  add(request: RecordedRequest): void {
    this.requests.push(request);
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }

  /** Resolves with the requests matching `predicate` once there are at least `count`, or rejects at the deadline. */
  async waitFor(
    predicate: (request: RecordedRequest) => boolean,
    count = 1,
    timeoutMs = 10_000,
  ): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.requests.filter(predicate);
      if (matching.length >= count) return matching;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${count} matching requests; log: ${this.requests.map((r) => `${r.server} ${r.method} ${r.path}`).join(', ')}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

// The app sends its session (Authorization, and the session cookie) with credentials: the origin is echoed.
const cors = (origin: string | undefined) => ({
  'access-control-allow-origin': origin ?? '*',
  'access-control-allow-credentials': 'true',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, accept, authorization, traceparent, tracestate, baggage',
});

/** Starts a loopback server that records every non-preflight request and answers from `routes` ("METHOD /path"). */
export async function startStub(
  name: string,
  log: RequestLog,
  routes: Readonly<Record<string, StubRoute>>,
): Promise<StubServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors(req.headers.origin)).end();
        return;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const recorded: RecordedRequest = {
        server: name,
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      log.add(recorded);
      const route = routes[`${recorded.method} ${path}`];
      const answer: StubAnswer = route === undefined ? { status: 404 } : route(recorded);
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, {
        ...cors(req.headers.origin),
        'content-type': 'application/json',
        connection: 'close',
      });
      res.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
