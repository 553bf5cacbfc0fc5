import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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

/** Starts an HTTP listener on 127.0.0.1 (port 0 = OS-chosen) whose handler errors never crash the process. */
export async function listen(handler: RequestListener, port = 0): Promise<Listener> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    handler(request, response).catch(() => {
      if (!response.headersSent) {
        response.statusCode = 500;
        response.setHeader('content-type', 'text/plain');
      }
      response.end();
    });
  });
  // A client resetting mid-request must not bring the server down.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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
