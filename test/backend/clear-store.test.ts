import { createServer, type Server } from 'node:http';
import { createOtlpReceiver, startBackend, type Backend } from '../../harness/backend';
import { asSpanId, asTraceId, encodeOtlpJson } from '../../harness/model';

const EXPORT = JSON.stringify(
  encodeOtlpJson([
    {
      traceId: asTraceId('4bf92f3577b34da6a3ce929d0e0e4736'),
      spanId: asSpanId('00f067aa0ba902b7'),
      name: 'tap',
      kind: 'client',
      service: 'mobile-app',
      startTimeMs: 1700000000000,
      endTimeMs: 1700000000005,
      attributes: {},
    },
  ]),
);

/** An answer's status, the headers a test names, and its body as JSON (or its text when it is none). */
async function answer(
  response: Response,
  headers: readonly string[] = [],
): Promise<{ status: number; headers: Record<string, string | null>; body: unknown }> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return {
    status: response.status,
    headers: Object.fromEntries(headers.map((name) => [name, response.headers.get(name)])),
    body,
  };
}

describe('clearing the store over HTTP', () => {
  let backend: Backend;

  beforeEach(async () => {
    backend = await startBackend({ topology: { services: [{ name: 'collector', firstParty: true, routes: [] }] } });
    const posted = await fetch(backend.urls.otlp, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: EXPORT,
    });
    expect(posted.status).toBe(200);
  });

  afterEach(() => backend.stop());

  it('answers other methods on the spans and captures URLs with 405, Allow and what to send', async () => {
    const captures = backend.urls.spans.replace('/spans', '/captures');
    const answers = [
      await answer(await fetch(backend.urls.spans, { method: 'POST', body: EXPORT }), ['allow']),
      await answer(await fetch(backend.urls.spans, { method: 'PATCH', body: '{}' }), ['allow']),
      await answer(await fetch(captures, { method: 'DELETE' }), ['allow']),
    ];
    const clearHint = ' To forget every span and captured request, send DELETE /__tracehop/spans (the "spans" URL).';
    expect({ answers, spans: backend.store.size }).toEqual({
      answers: [
        {
          status: 405,
          headers: { allow: 'GET, HEAD, DELETE, OPTIONS' },
          body: {
            code: 12,
            message:
              '[tracehop] Failed to handle POST /__tracehop/spans: /__tracehop/spans takes no exports (it answers GET, HEAD, DELETE, OPTIONS): they go to POST /v1/traces. Point the exporter at the "otlp" URL tracehop printed.' +
              clearHint,
          },
        },
        {
          status: 405,
          headers: { allow: 'GET, HEAD, DELETE, OPTIONS' },
          body: {
            code: 12,
            message:
              '[tracehop] Failed to handle PATCH /__tracehop/spans: /__tracehop/spans answers GET, HEAD, DELETE, OPTIONS only. Read it with GET.' +
              clearHint,
          },
        },
        {
          status: 405,
          headers: { allow: 'GET, HEAD, OPTIONS' },
          body: {
            code: 12,
            message:
              '[tracehop] Failed to handle DELETE /__tracehop/captures: /__tracehop/captures answers GET, HEAD, OPTIONS only. Read it with GET.' +
              clearHint,
          },
        },
      ],
      // None of them touched the store.
      spans: 1,
    });
  });

  it('lets a page served from this machine clear, preflight first, and refuses a page of any other origin', async () => {
    const preflight = await fetch(backend.urls.spans, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'DELETE' },
    });
    const foreign = await answer(
      await fetch(backend.urls.spans, { method: 'DELETE', headers: { origin: 'https://shop.example' } }),
    );
    const opaque = await answer(await fetch(backend.urls.spans, { method: 'DELETE', headers: { origin: 'null' } }));
    const keptAfterRefusals = backend.store.size;
    const local = await answer(
      await fetch(backend.urls.spans, { method: 'DELETE', headers: { origin: 'http://localhost:8081' } }),
      ['access-control-allow-origin'],
    );
    const refusal = (origin: string): unknown => ({
      status: 403,
      headers: {},
      body: {
        code: 7,
        message: `[tracehop] Failed to clear the store with DELETE /__tracehop/spans: the request comes from the web page at origin "${origin}", and only a client on this machine without an Origin header (curl, a test runner) or a page served from localhost, 127.0.0.1 or [::1] may clear it. Send the DELETE from your test runner or with curl -X DELETE on the "spans" URL tracehop printed.`,
      },
    });
    expect({
      preflight: [preflight.status, preflight.headers.get('access-control-allow-methods')],
      foreign,
      opaque,
      keptAfterRefusals,
      local,
      spans: await (await fetch(backend.urls.spans)).text(),
    }).toEqual({
      // The preflight is answered as for every route (the refusal comes with the DELETE itself).
      preflight: [204, 'GET, POST, PUT, PATCH, DELETE, OPTIONS'],
      foreign: refusal('https://shop.example'),
      opaque: refusal('null'),
      keptAfterRefusals: 1,
      local: {
        status: 200,
        headers: { 'access-control-allow-origin': 'http://localhost:8081' },
        body: { cleared: { spans: 1, captures: 0 } },
      },
      spans: '{"resourceSpans":[]}',
    });
  });

  it('answers HEAD on the captures URL as GET, with no body', async () => {
    const captures = backend.urls.spans.replace('/spans', '/captures');
    const head = await fetch(captures, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '2', '']);
  });
});

describe('a receiver built without clear', () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it('answers DELETE on the spans URL with 405 and no DELETE in Allow', async () => {
    const handle = createOtlpReceiver({ onSpans: () => undefined, allSpans: () => [] });
    server = createServer((request, response) => void handle(request, response));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(
      await answer(await fetch(`http://127.0.0.1:${port}/__tracehop/spans`, { method: 'DELETE' }), ['allow']),
    ).toEqual({
      status: 405,
      headers: { allow: 'GET, HEAD, OPTIONS' },
      body: {
        code: 12,
        message:
          '[tracehop] Failed to handle DELETE /__tracehop/spans: /__tracehop/spans answers GET, HEAD, OPTIONS only. Read it with GET.',
      },
    });
  });
});
