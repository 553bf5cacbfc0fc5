import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/** A loopback HTTP server for one directory (the web build). */
export interface StaticServer {
  /** Base URL with a trailing slash, e.g. "http://127.0.0.1:43121/". */
  readonly url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** Maps a request path to a file inside `root`, or undefined when it would escape `root`. */
function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const file = path.resolve(root, `.${path.posix.normalize(relative)}`);
  return file === root || file.startsWith(`${root}${path.sep}`) ? file : undefined;
}

/** Serves `directory` on 127.0.0.1 at an OS-chosen port. GET and HEAD only; no directory listings. */
export async function startStaticServer(directory: string): Promise<StaticServer> {
  const root = path.resolve(directory);
  const server = http.createServer((request, response) => {
    const file =
      request.method === 'GET' || request.method === 'HEAD' ? resolveInside(root, request.url ?? '/') : undefined;
    fs.readFile(file ?? '', (error, body) => {
      if (file === undefined || error) {
        response.writeHead(file === undefined ? 400 : 404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
