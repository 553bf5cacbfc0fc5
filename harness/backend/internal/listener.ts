import { createServer, maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { failure } from '../../internal/messages';
import { writeText } from './fetch-bridge';
import { errorMessage } from '../../internal/result';

/** Handles one request; must always end the response (the listener ends it on a rejected promise). */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

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
function clientErrorAnswer(error: NodeJS.ErrnoException): string {
  const [status, cause, hint] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          '431 Request Header Fields Too Large',
          `the request headers are larger than ${maxHeaderSize} bytes`,
          'Send smaller headers; a trace header this large is itself a defect.',
        ]
      : [
          '400 Bad Request',
          `the request is not valid HTTP/1.1 (${error.code ?? error.message})`,
          'Send a well-formed HTTP/1.1 request.',
        ];
  const body = `${failure('read the request', cause, hint)}\n`;
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Starts an HTTP listener on 127.0.0.1 (port 0 = OS-chosen) whose handler errors never crash the process. */
export async function listen(handler: RequestListener, port = 0): Promise<Listener> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
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
  // A client resetting mid-request must not bring the server down.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorAnswer(error));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    destroySockets: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
