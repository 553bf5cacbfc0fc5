import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { scratchDir } from '../../test-support/scratch-dir';
import { startStaticServer, type StaticServer } from './static-server';

/** Raw GET, so paths like "/../secret" reach the server unnormalised. */
function get(base: string, rawPath: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: rawPath, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

describe('startStaticServer', () => {
  let dir: string;
  let server: StaticServer;

  beforeAll(async () => {
    dir = scratchDir('tracehop-static-');
    fs.mkdirSync(path.join(dir, 'site'));
    fs.writeFileSync(path.join(dir, 'site', 'index.html'), '<p>app</p>');
    fs.writeFileSync(path.join(dir, 'site', 'app.js'), 'run()');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    server = await startStaticServer(path.join(dir, 'site'));
  });

  afterAll(async () => {
    await server.close();
  });

  it('listens on loopback at an OS-chosen port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves index.html for the root and files with their content type', async () => {
    expect(await get(server.url, '/?tracehopBackendUrl=x')).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<p>app</p>',
    });
    expect(await get(server.url, '/app.js')).toEqual({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      body: 'run()',
    });
  });

  it('answers 404 for a missing file', async () => {
    expect((await get(server.url, '/missing.js')).status).toBe(404);
  });

  it('never serves a file outside its folder', async () => {
    expect(await get(server.url, '/../secret.txt')).toEqual({ status: 404, type: 'text/plain', body: 'not found' });
    expect(await get(server.url, '/%2e%2e/secret.txt')).toEqual({ status: 404, type: 'text/plain', body: 'not found' });
  });
});
