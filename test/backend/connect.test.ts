import { startBackend, type Backend } from '../../harness/backend';
import { h2cRequest, withH2c } from './support/h2c';
import { bodyOf, rawRequest, statusOf } from './support/raw-http';
import { capturedAfter } from './support/captured';

let backend: Backend;
beforeAll(async () => {
  backend = await startBackend({ onWarning: () => undefined });
});
afterAll(async () => {
  await backend.stop();
});

const gateway = (): string => backend.urls.services['api-gateway'] ?? '';
const NO_PROXY = (where: string): string =>
  `[tracehop] Failed to accept CONNECT example.com:443 on ${where}: tracehop is no proxy, so it opens no tunnel (an app whose proxy settings point at tracehop sends CONNECT). Call the URLs tracehop printed directly: leave them out of HTTPS_PROXY and HTTP_PROXY, or list 127.0.0.1 in NO_PROXY.\n`;

/** The one capture a CONNECT to example.com:443 leaves: its headers as they arrived, answered 405. */
const capturedConnect = (headers: [string, string][]) => [
  { method: 'CONNECT', path: 'example.com:443', headers, response: { status: 405, headers: [] } },
];

describe('CONNECT at the mock backend (an app configured with tracehop as its proxy)', () => {
  it('answers CONNECT over HTTP/1.1 405, saying tracehop is no proxy, captures it, closes the connection, and serves on', async () => {
    const before = backend.captures().length;
    const raw = await rawRequest(
      gateway(),
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nProxy-Authorization: Basic eDp5\r\n\r\n',
    );
    const next = await fetch(`${gateway()}/checkout`, { method: 'POST', body: '{}' });
    await next.text();
    expect({
      status: statusOf(raw),
      allow: /\r\nallow: ([^\r]*)\r\n/i.exec(raw)?.[1],
      closes: /\r\nconnection: close\r\n/i.test(raw),
      body: bodyOf(raw),
      next: next.status,
      captured: capturedAfter(backend, before),
    }).toEqual({
      status: 405,
      allow: 'POST, GET, OPTIONS',
      closes: true,
      body: NO_PROXY('api-gateway'),
      next: 200,
      captured: capturedConnect([
        ['host', 'example.com:443'],
        ['proxy-authorization', 'Basic eDp5'],
      ]),
    });
  });

  it('answers an HTTP/2 CONNECT (h2c) 405 the same way, captures it, and serves the next stream', async () => {
    const before = backend.captures().length;
    const [connect, next] = await withH2c(gateway(), async (session) => [
      await h2cRequest(session, { ':method': 'CONNECT', ':authority': 'example.com:443' }),
      await h2cRequest(session, { ':method': 'POST', ':path': '/checkout' }, '{}'),
    ]);
    expect({
      status: connect.head[':status'],
      allow: connect.head.allow,
      body: connect.body,
      next: next.head[':status'],
      captured: capturedAfter(backend, before),
    }).toEqual({
      status: 405,
      allow: 'POST, GET, OPTIONS',
      body: NO_PROXY('api-gateway'),
      next: 200,
      captured: capturedConnect([
        [':method', 'CONNECT'],
        [':authority', 'example.com:443'],
      ]),
    });
  });

  it('answers CONNECT at the OTLP receiver 405 over HTTP/1.1 and h2c, saying tracehop is no proxy', async () => {
    const raw = await rawRequest(
      backend.urls.otlp,
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    );
    const h2c = await withH2c(backend.urls.otlp, (session) =>
      h2cRequest(session, { ':method': 'CONNECT', ':authority': 'example.com:443' }),
    );
    expect([statusOf(raw), bodyOf(raw), h2c.head[':status'], h2c.body]).toEqual([
      405,
      NO_PROXY('the OTLP receiver'),
      405,
      NO_PROXY('the OTLP receiver'),
    ]);
  });
});
