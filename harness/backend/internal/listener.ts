import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import { EventEmitter } from 'node:events';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { failure } from '../../internal/messages';
import { writeText } from './fetch-bridge';
import { errorMessage } from '../../internal/result';
import {
  HEADER_HARD_LIMIT_BYTES,
  HTTP2_MAX_HEADER_FIELDS,
  uncapturedCauseOf,
  type UncapturedCause,
} from './header-limits';
import { watchUnseenStreams } from './unseen-streams';

/** Handles one request; must always end the response (the listener ends it on a rejected promise). */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * Handles one HTTP/2 stream (a gRPC call); must never throw. `rawHeaders` lists the header fields as they
 * arrived, pseudo-headers first, as name, value, name, value (Node's `rawHeaders`).
 */
export type StreamListener = (
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  rawHeaders: readonly string[],
) => void;

/** A request over HTTP/1.1, or over HTTP/2 without TLS (prior knowledge, h2c), and its response. */
export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

/** Handles one request that came over HTTP/2 but is no gRPC call (OTLP/HTTP over h2c); as RequestListener. */
export type Http2RequestListener = (request: Http2ServerRequest, response: Http2ServerResponse) => Promise<void>;

/** Whether an HTTP/2 stream is a gRPC call (its content type application/grpc, application/grpc+proto, ...). */
function isGrpc(headers: IncomingHttpHeaders): boolean {
  return String(headers['content-type'] ?? '').startsWith('application/grpc');
}

/** A started 127.0.0.1 listener. */
export interface Listener {
  readonly url: string;
  readonly port: number;
  /** Destroys every open socket (used while a service is offline). */
  destroySockets(): void;
  close(): Promise<void>;
}

/**
 * How long an idle keep-alive connection stays open: longer than a downstream call's agent keeps an idle
 * socket (downstream-call.ts), so a service never reuses a connection the next hop is closing.
 */
export const LISTENER_KEEP_ALIVE_MS = 10_000;

/** The raw answer to a request Node could not parse: it never reaches a handler, so it is written here. */
function clientErrorAnswer(error: NodeJS.ErrnoException, server: Server): string {
  const [status, cause, hint] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          '431 Request Header Fields Too Large',
          `the request headers are larger than ${HEADER_HARD_LIMIT_BYTES} bytes`,
          'Send smaller headers; a trace header this large is itself a defect.',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [
            '408 Request Timeout',
            `the request did not arrive in time (its head is allowed ${seconds(server.headersTimeout)}, the whole request ${seconds(server.requestTimeout)})`,
            'Send the whole request at once, or check what stalls the client.',
          ]
        : [
            '400 Bad Request',
            `the request is not valid HTTP/1.1 (${error.code ?? error.message})`,
            'Send a well-formed HTTP/1.1 request.',
          ];
  const body = `${failure('read the request', cause, hint)}\n`;
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Runs an HTTP/2 request's handler; a defect of ours is answered 500 saying so, as over HTTP/1.1. */
function answerHttp2(
  handler: Http2RequestListener,
): (request: Http2ServerRequest, response: Http2ServerResponse) => void {
  return (request, response) => {
    handler(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.stream.close();
        return;
      }
      const body = failure(
        `handle ${request.method} ${request.url}`,
        errorMessage(error),
        'This is a tracehop defect: please report it with this message.',
      );
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`${body}\n`);
    });
  };
}

/** Milliseconds as "300 ms" or "60 s". */
function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}

/** How long a connection of the HTTP/2 side, or one that has not said which side it is, may stay silent. */
const IDLE_CONNECTION_MS = 60_000;

/**
 * How long a client may take, in milliseconds; Node's defaults when left out. Tests shorten them to see a
 * stalled client closed.
 */
export interface ListenerTimeouts {
  /** To send the whole request head (Node's `headersTimeout`, default 60 s). */
  readonly headersMs?: number;
  /** To send the whole request (Node's `requestTimeout`, default 300 s). */
  readonly requestMs?: number;
  /** How often the HTTP/1.1 server looks for requests past those times (default 30 s). */
  readonly checkEveryMs?: number;
}

/** The first bytes of every HTTP/2 connection without TLS ("prior knowledge"); no HTTP/1.1 method starts so. */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');

/**
 * Hands each connection to `http1` or `http2` by its first bytes: as many as tell the HTTP/2 preface from an
 * HTTP/1.1 request line. The bytes read are put back for the server that takes the connection.
 */
function routeByPreface(socket: Socket, http1: Server, toHttp2: (socket: Socket) => void): void {
  let seen = Buffer.alloc(0);
  // A client that connects and sends nothing is closed, as the HTTP/1.1 server closes one that stalls.
  socket.setTimeout(http1.headersTimeout > 0 ? http1.headersTimeout : IDLE_CONNECTION_MS, () => socket.destroy());
  const onData = (chunk: Buffer): void => {
    seen = Buffer.concat([seen, chunk]);
    const length = Math.min(seen.length, HTTP2_PREFACE.length);
    const matches = seen.subarray(0, length).equals(HTTP2_PREFACE.subarray(0, length));
    if (matches && length < HTTP2_PREFACE.length) return;
    socket.off('data', onData);
    socket.setTimeout(0);
    socket.pause();
    socket.unshift(seen);
    // The HTTP/2 session reads what is put back on its own; the HTTP/1.1 parser needs the socket flowing.
    if (matches) toHttp2(socket);
    else {
      http1.emit('connection', socket);
      socket.resume();
    }
  };
  socket.on('data', onData);
}

/**
 * Starts an HTTP listener on 127.0.0.1 (port 0 = OS-chosen) whose handler errors never crash the process.
 * With `streams`, the same port also serves HTTP/2 without TLS (gRPC): each connection goes to HTTP/1.1 or
 * HTTP/2 by its first bytes. With `http2Requests` too, an HTTP/2 request that is no gRPC call (OTLP/HTTP over
 * h2c, as `curl --http2-prior-knowledge` sends it) goes there, through Node's HTTP/2 compatibility API.
 */
export async function listen(
  handler: RequestListener,
  port = 0,
  streams?: StreamListener,
  timeouts: ListenerTimeouts = {},
  onTlsClient?: (port: number) => void,
  http2Requests?: Http2RequestListener,
  onUncaptured?: (port: number, cause: UncapturedCause) => void,
): Promise<Listener> {
  const sockets = new Set<Socket>();
  /** The port bound, once listening. */
  let actualPort = port;
  const serverOptions = {
    // Node answers a request with no Host header a bare 400 before any handler sees it; the listeners do not
    // read Host (they serve 127.0.0.1 only), so such a request is served like any other.
    requireHostHeader: false,
    // Heads up to this size reach the handlers, which capture a request over the 16 KiB limit before
    // answering 431 (header-limits.ts): Node's own 431 at 16 KiB would leave it out of the capture log.
    maxHeaderSize: HEADER_HARD_LIMIT_BYTES,
    ...(timeouts.headersMs !== undefined ? { headersTimeout: timeouts.headersMs } : {}),
    ...(timeouts.requestMs !== undefined ? { requestTimeout: timeouts.requestMs } : {}),
    ...(timeouts.checkEveryMs !== undefined ? { connectionsCheckingInterval: timeouts.checkEveryMs } : {}),
  };
  const server: Server = createServer(serverOptions, (request, response) => {
    handler(request, response).catch((error: unknown) => {
      // A defect of ours: answer 500 saying so rather than leave the client hanging or crash the server.
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const cause = errorMessage(error);
      writeText(
        response,
        500,
        failure(
          `handle ${request.method} ${request.url}`,
          cause,
          'This is a tracehop defect: please report it with this message.',
        ),
      );
    });
  });
  // An app's HTTP instrumentation in the same process (OpenTelemetry's instrumentation-http, as a plain Node
  // runner of startBackend() has it) wraps http.Server.prototype.emit to trace every request a server gets:
  // our services' and receiver's requests would become the app's SERVER spans, and each export to the
  // receiver would be traced and exported again. The emit every server inherits, kept on this server, is
  // not wrapped.
  server.emit = EventEmitter.prototype.emit.bind(server);
  server.keepAliveTimeout = LISTENER_KEEP_ALIVE_MS;
  // Every header is captured: Node keeps the first 1,000 of a request (2,000 rawHeaders entries) by default and
  // drops the rest unsaid. The head's size bounds their number.
  server.maxHeadersCount = 0;
  // A client resetting mid-request must not bring the server down.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // A TLS handshake (record type 22, version 3.x): an https:// endpoint pointed at this plain-HTTP port. The
    // client can read no plain answer (it reports "wrong version number"), so only this side can say so.
    const raw: unknown = (error as { rawPacket?: unknown }).rawPacket;
    if (onTlsClient !== undefined && Buffer.isBuffer(raw) && raw[0] === 0x16 && raw[1] === 0x03)
      onTlsClient(actualPort);
    if (error.code === 'HPE_HEADER_OVERFLOW') onUncaptured?.(actualPort, 'head-too-large');
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorAnswer(error, server));
  });
  // A CONNECT (an app whose proxy is set to this URL) never reaches the request handler: Node hands over its
  // socket, and closes it unanswered when nobody listens. It is given to the handler with a response on that
  // socket (HTTP/2's compatibility server does the same: http2Requests gets it), which the handler answers.
  server.on('connect', (request: IncomingMessage, socket: Socket) => {
    const response = new ServerResponse(request);
    response.shouldKeepAlive = false;
    response.assignSocket(socket);
    response.on('finish', () => {
      response.detachSocket(socket);
      socket.end();
    });
    server.emit('request', request, response);
  });
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  let front: NetServer = server;
  if (streams === undefined) server.on('connection', track);
  else {
    // Node resets a stream of more than 128 header fields unseen (ENHANCE_YOUR_CALM): let as many through as a
    // header block can hold, so the handlers capture them and answer a request over the limit 431.
    const http2Options = { maxHeaderListPairs: HTTP2_MAX_HEADER_FIELDS };
    const http2 = createHttp2Server(http2Options);
    // Never listens: it turns the streams handed to it into compatibility requests for `http2Requests`.
    const requests =
      http2Requests === undefined ? undefined : createHttp2Server(http2Options, answerHttp2(http2Requests));
    // Without a listener, Node answers an HTTP/2 CONNECT a bare 405 itself.
    if (http2Requests !== undefined) requests?.on('connect', answerHttp2(http2Requests));
    http2.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, flags: number, raw: string[]) => {
      try {
        if (requests !== undefined && !isGrpc(headers)) requests.emit('stream', stream, headers, flags, raw);
        else streams(stream, headers, raw);
      } catch {
        // A handler's defect, or a stream reset under it, must not bring the server down.
        stream.destroy();
      }
    });
    // A client that breaks the protocol ends its own session, never the server; an idle session is closed.
    http2.on('session', (session) =>
      session.on('error', (error: Error) => {
        const cause = uncapturedCauseOf(error);
        if (cause !== undefined) onUncaptured?.(actualPort, cause);
      }),
    );
    http2.on('sessionError', () => undefined);
    http2.setTimeout(server.requestTimeout > 0 ? server.requestTimeout : IDLE_CONNECTION_MS);
    // noDelay as node:http's own servers set it: Nagle's algorithm off on every accepted connection.
    // Each connection's session is watched for streams Node resets before handing them over.
    const toHttp2 = (socket: Socket): void => {
      let session: ServerHttp2Session | undefined;
      const take = (started: ServerHttp2Session): void => {
        session = started;
      };
      http2.once('session', take);
      http2.emit('connection', socket);
      http2.off('session', take);
      if (session !== undefined)
        watchUnseenStreams(session, socket, () => onUncaptured?.(actualPort, 'stream-reset-unseen'));
    };
    front = createNetServer({ noDelay: true }, (socket) => {
      track(socket);
      routeByPreface(socket, server, toHttp2);
    });
    // The HTTP/1.1 server does not listen itself: start its header and request timeouts as listening would.
    front.once('listening', () => server.emit('listening'));
  }
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, '127.0.0.1', () => {
      front.off('error', reject);
      resolve();
    });
  });
  actualPort = (front.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    destroySockets: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        // The HTTP/1.1 server behind a front stops its timeout checks (it never listened: its close errs).
        if (front !== server) server.close(() => undefined);
        front.close(() => resolve());
      }),
  };
}
