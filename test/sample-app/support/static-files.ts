import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { StubServer } from './stub-backend';

const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };

/** Serves the files directly in `directory` (no subfolders) on 127.0.0.1. */
export async function serveDirectory(directory: string): Promise<StubServer> {
  const server = http.createServer((req, res) => {
    const name = path.basename((req.url ?? '/').split('?')[0] ?? '/') || 'index.html';
    fs.readFile(path.join(directory, name), (error, body) => {
      if (error) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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
