import { startBackend, type Backend } from '../../harness/backend';
import { checkCaptures } from '../../harness/verify/capture';
import { bodyOf, rawRequest, statusOf } from './support/raw-http';

const LIMIT = 16 * 1024;
let backend: Backend;

beforeAll(async () => {
  backend = await startBackend({ maxBodyBytes: LIMIT });
});

afterAll(async () => {
  await backend.stop();
});

afterEach(() => backend.setFaults([]));

function url(service: string, path: string): string {
  return `${backend.urls.services[service]}${path}`;
}

describe('the mock services', () => {
  it('capture every header in arrival order with duplicates kept and names lowercased', async () => {
    const before = backend.captures().length;
    const raw = await rawRequest(
      url('fraud-service', '/fraud/score'),
      'POST /fraud/score HTTP/1.1\r\nHost: x\r\nTraceParent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n' +
        'tracestate: a=1\r\ntracestate: b=2\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
    );
    expect(statusOf(raw)).toBe(200);
    const [capture] = backend.captures().slice(before);
    expect({
      service: capture!.service,
      method: capture!.method,
      path: capture!.path,
      traceparentDecoded: capture!.contexts.traceparent?.result.ok,
      headers: capture!.headers,
    }).toEqual({
      service: 'fraud-service',
      traceparentDecoded: true,
      method: 'POST',
      path: '/fraud/score',
      headers: [
        ['host', 'x'],
        ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
        ['tracestate', 'a=1'],
        ['tracestate', 'b=2'],
        ['content-length', '2'],
        ['connection', 'close'],
      ],
    });
  });

  it('continue a valid traceparent: the SERVER span is a child of the header parent id', async () => {
    const before = backend.captures().length;
    await (
      await fetch(url('fraud-service', '/fraud/score'), {
        method: 'POST',
        headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      })
    ).text();
    const [capture] = backend.captures().slice(before);
    const server = backend.store.spans().find((span) => span.spanId === capture!.serverSpanId);
    expect({
      traceId: server?.traceId,
      parent: server?.parentSpanId,
      kind: server?.kind,
      service: server?.service,
    }).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parent: '00f067aa0ba902b7',
      kind: 'server',
      service: 'fraud-service',
    });
  });

  it('mark each span whose parent was remote, as an SDK exporting OTLP does: SERVER spans under a caller, not CLIENT or root spans', async () => {
    const traced = await fetch(url('api-gateway', '/checkout'), {
      method: 'POST',
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b7-01' },
    });
    const untraced = await fetch(url('fraud-service', '/fraud/score'), { method: 'POST' });
    const { traceId } = (await untraced.json()) as { traceId: string };
    await traced.text();
    const marks = (id: string) =>
      backend.store
        .trace(id)
        .map((span) => `${span.service} ${span.kind} ${String(span.parentIsRemote)}`)
        .sort();
    const document = (await (await fetch(backend.urls.spans)).json()) as {
      resourceSpans: { scopeSpans: { spans: { traceId: string; kind: number; flags?: number }[] }[] }[];
    };
    const flags = document.resourceSpans
      .flatMap((group) => group.scopeSpans.flatMap((scope) => scope.spans))
      .filter((span) => span.traceId === '4bf92f3577b34da6a3ce929d0e0e4737')
      .map((span) => `${span.kind === 2 ? 'server' : 'client'} ${span.flags?.toString(16)}`);
    expect({
      traced: marks('4bf92f3577b34da6a3ce929d0e0e4737'),
      untraced: marks(traceId),
      flags: [...new Set(flags)].sort(),
    }).toEqual({
      traced: [
        'api-gateway client false',
        'api-gateway server true',
        'fraud-service server true',
        'payment-api client false',
        'payment-api server true',
      ],
      untraced: ['fraud-service server false'],
      // Bit 8 (the writer says) on every span, bit 9 (remote) on the SERVER spans; sampled (bit 0) on all.
      flags: ['client 101', 'server 301'],
    });
  });

  test.each([
    ['uppercase-hex', [['traceparent', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01']]],
    [
      'duplicate-header',
      [
        ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
        ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b8-01'],
      ],
    ],
    ['version-ff', [['traceparent', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']]],
    ['all-zero-trace-id', [['traceparent', '00-00000000000000000000000000000000-00f067aa0ba902b7-01']]],
  ])(
    'restart the trace on an invalid traceparent (%s) and the capture check names the reason',
    async (reason, headers) => {
      const before = backend.captures().length;
      const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
      const raw = await rawRequest(
        url('fraud-service', '/fraud/score'),
        `POST /fraud/score HTTP/1.1\r\nHost: x\r\n${lines}Content-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      expect(statusOf(raw)).toBe(200);
      const captures = backend.captures().slice(before);
      const server = backend.store.spans().find((span) => span.spanId === captures[0]!.serverSpanId);
      const problems = checkCaptures(captures, backend.store.spans()).filter((p) => p.kind === 'invalid-header');
      expect({
        root: server?.parentSpanId === undefined,
        newTrace: server?.traceId !== '4bf92f3577b34da6a3ce929d0e0e4736',
        restartReason: server?.attributes['tracehop.restart_reason'],
        reasons: problems.map((p) => (p.kind === 'invalid-header' ? p.reason : '')),
      }).toEqual({ root: true, newTrace: true, restartReason: reason, reasons: [reason] });
    },
  );

  it('answer 413 to an oversized body and keep serving', async () => {
    const spansBefore = backend.store.spans();
    const big = await fetch(url('api-gateway', '/checkout'), { method: 'POST', body: 'x'.repeat(LIMIT + 1) });
    const text = await big.text();
    const next = await fetch(url('api-gateway', '/checkout'), { method: 'POST', body: '{}' });
    await next.text();
    expect({ status: big.status, text, next: next.status }).toEqual({
      status: 413,
      text: `[tracehop] Failed to accept POST /checkout on api-gateway: the body is larger than ${LIMIT} bytes. Send a smaller body.\n`,
      next: 200,
    });
    expect(backend.store.spans().slice(0, spansBefore.length)).toEqual(spansBefore);
  });

  it('answer 413 and close the connection on a chunked body that keeps coming past the limit', async () => {
    const chunk = 'x'.repeat(LIMIT + 1);
    // No final chunk: the client would send forever; the answer arrives and the server closes the socket.
    const raw = await rawRequest(
      url('api-gateway', '/checkout'),
      `POST /checkout HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n`,
    );
    expect({ status: statusOf(raw), close: /\r\nconnection: close\r\n/i.test(raw) }).toEqual({
      status: 413,
      close: true,
    });
  });

  it('survive a client that disconnects mid-body: the request is captured, nothing is answered, serving goes on', async () => {
    const spansBefore = backend.store.spans();
    const before = backend.captures().length;
    const answer = await rawRequest(
      url('api-gateway', '/checkout'),
      'POST /checkout HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"half":',
      { abandon: true },
    );
    const next = await fetch(url('api-gateway', '/checkout'), { method: 'POST', body: '{}' });
    await next.text();
    expect({ answer, captured: backend.captures()[before]!.path, next: next.status }).toEqual({
      answer: '',
      captured: '/checkout',
      next: 200,
    });
    expect(backend.store.spans().slice(0, spansBefore.length)).toEqual(spansBefore);
  });

  it('answer 431 to headers over the size limit and 400 to a malformed request line, saying why, then keep serving', async () => {
    const spansBefore = backend.store.spans();
    const huge = await rawRequest(
      url('api-gateway', '/checkout'),
      `POST /checkout HTTP/1.1\r\nHost: x\r\nbaggage: ${'a'.repeat(20000)}\r\n\r\n`,
    );
    const garbage = await rawRequest(url('api-gateway', '/checkout'), 'NOT HTTP AT ALL\r\n\r\n');
    const next = await fetch(url('api-gateway', '/checkout'), { method: 'POST', body: '{}' });
    await next.text();
    expect([statusOf(huge), bodyOf(huge), statusOf(garbage), bodyOf(garbage), next.status]).toEqual([
      431,
      '[tracehop] Failed to accept POST /checkout on api-gateway: the request headers are 20020 bytes, more than the 16384 allowed (the largest field, baggage, is 20011). Send smaller headers; a trace header this large is itself a defect.\n',
      400,
      '[tracehop] Failed to read the request: the request is not valid HTTP/1.1 (HPE_INVALID_METHOD). Send a well-formed HTTP/1.1 request.\n',
      200,
    ]);
    expect(backend.store.spans().slice(0, spansBefore.length)).toEqual(spansBefore);
  });

  it('serve an HTTP/1.1 request with no Host header from a hand-written client on a service and the receiver, not a bare 400', async () => {
    const checkout = await rawRequest(
      url('api-gateway', '/checkout'),
      'POST /checkout HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}',
    );
    const exported = await rawRequest(
      backend.urls.otlp,
      'POST /v1/traces HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}',
    );
    expect([statusOf(checkout), statusOf(exported), bodyOf(exported)]).toEqual([200, 200, '{}']);
  });

  it('answer 405 to a method the Fetch API refuses and 400 to a target that is not a URL, then keep serving', async () => {
    const spansBefore = backend.store.spans();
    const trace = await rawRequest(
      url('payment-api', '/payments'),
      'TRACE /payments HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const badTarget = await rawRequest(
      url('payment-api', '/payments'),
      'GET http://[::1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const next = await fetch(url('payment-api', '/payments'), { method: 'POST', body: '{}' });
    await next.text();
    expect([
      statusOf(trace),
      /\r\nallow: POST, OPTIONS\r\n/i.test(trace),
      bodyOf(trace),
      statusOf(badTarget),
      bodyOf(badTarget),
      next.status,
    ]).toEqual([
      405,
      true,
      '[tracehop] Failed to accept TRACE /payments on payment-api: the method TRACE is not served. Its routes are: POST /payments.\n',
      400,
      '[tracehop] Failed to accept GET http://[::1 on payment-api: the request target is not a URL path. Send a path such as "/payments".\n',
      200,
    ]);
    expect(backend.store.spans().slice(0, spansBefore.length)).toEqual(spansBefore);
  });

  it('tell an OTLP exporter given a service URL instead of the otlp one where to send', async () => {
    const response = await fetch(url('payment-api', '/v1/traces'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array(0),
    });
    expect({ status: response.status, text: await response.text() }).toEqual({
      status: 404,
      text: '[tracehop] Failed to route POST /v1/traces on payment-api: the service has no such route. Its routes are: POST /payments. This is a mock service, not the OTLP receiver: point the exporter at the "otlp" URL tracehop printed.\n',
    });
  });

  it('answer an unknown route with 404 naming the routes', async () => {
    const response = await fetch(url('payment-api', '/refunds'), { method: 'POST' });
    const nested = await fetch(url('payment-api', '/v2/payments'), { method: 'POST' });
    await nested.text();
    const captured = backend
      .captures()
      .filter((capture) => capture.path === '/refunds' || capture.path === '/v2/payments')
      .map((capture) => [capture.method, capture.path, capture.response]);
    expect({ status: response.status, text: await response.text(), nested: nested.status, captured }).toEqual({
      status: 404,
      text: '[tracehop] Failed to route POST /refunds on payment-api: the service has no such route. Its routes are: POST /payments.\n',
      nested: 404,
      // The capture log keeps the answer: a journey's verdict names the route the service lacks.
      captured: [
        ['POST', '/refunds', { status: 404, headers: [] }],
        ['POST', '/v2/payments', { status: 404, headers: [] }],
      ],
    });
  });

  it('answer CORS preflights allowing the session and the W3C and B3 headers, with credentials', async () => {
    const response = await fetch(url('api-gateway', '/checkout'), {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:8081',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'traceparent',
      },
    });
    expect({
      status: response.status,
      headers: response.headers.get('access-control-allow-headers'),
      origin: response.headers.get('access-control-allow-origin'),
      credentials: response.headers.get('access-control-allow-credentials'),
    }).toEqual({
      status: 204,
      headers:
        'content-type, content-encoding, authorization, traceparent, tracestate, baggage, b3, x-b3-traceid, x-b3-spanid, x-b3-parentspanid, x-b3-sampled, x-b3-flags',
      origin: 'http://localhost:8081',
      credentials: 'true',
    });
  });

  it('answer CORS headers to a request with an Origin only, and Vary: origin to every request', async () => {
    const corsOf = (response: Response): [string, string][] => {
      const found: [string, string][] = [];
      response.headers.forEach((value, name) => {
        if (name.startsWith('access-control-') || name === 'vary') found.push([name, value]);
      });
      return found;
    };
    const browser = await fetch(url('api-gateway', '/checkout'), {
      method: 'POST',
      headers: { origin: 'http://localhost:8081' },
    });
    await browser.text();
    const native = await fetch(url('api-gateway', '/checkout'), { method: 'POST' });
    await native.text();
    expect({ browser: corsOf(browser), native: corsOf(native) }).toEqual({
      browser: [
        ['access-control-allow-credentials', 'true'],
        [
          'access-control-allow-headers',
          'content-type, content-encoding, authorization, traceparent, tracestate, baggage, b3, x-b3-traceid, x-b3-spanid, x-b3-parentspanid, x-b3-sampled, x-b3-flags',
        ],
        ['access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS'],
        ['access-control-allow-origin', 'http://localhost:8081'],
        ['access-control-max-age', '600'],
        ['vary', 'origin'],
      ],
      // No browser reads CORS headers of a request it sent no Origin with: a checkout's hops write none.
      native: [['vary', 'origin']],
    });
  });

  it('answer 503 on the first N calls of a route after failNext, then recover', async () => {
    backend.failNext('catalog-service', 'GET', '/products', 2);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await fetch(url('api-gateway', '/search'));
      await response.text();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([502, 502, 200]);
  });

  it('refuse to queue failures for a route the service does not have', () => {
    expect(() => backend.failNext('catalog-service', 'POST', '/products', 1)).toThrow(
      '[tracehop] Failed to queue failures for POST /products on catalog-service: the service has no such route. Its routes are: GET /products.',
    );
  });

  it('drop connections while offline and answer again once back online', async () => {
    backend.setOffline('api-gateway', true);
    const offline = await fetch(url('api-gateway', '/login'), { method: 'POST' }).then(
      (response) => `answered ${response.status}`,
      (error: Error) => error.message,
    );
    backend.setOffline('api-gateway', false);
    const online = await fetch(url('api-gateway', '/login'), { method: 'POST' });
    await online.text();
    expect({ offline, online: online.status }).toEqual({ offline: 'fetch failed', online: 200 });
  });

  it('let the capture check flag trace headers sent to the third-party analytics service', async () => {
    const before = backend.captures().length;
    await (
      await fetch(url('analytics', '/events'), {
        method: 'POST',
        headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      })
    ).text();
    const problems = checkCaptures(backend.captures().slice(before), backend.store.spans()).filter(
      (p) => p.kind === 'leaked-header',
    );
    expect(problems.map((p) => p.message)).toEqual([
      'analytics is a third party and received traceparent on POST /events: the caller injects trace headers for every host instead of first-party hosts only',
    ]);
  });

  it('reject unknown faults and services with a message listing the valid names', () => {
    expect(() => backend.setFaults([{ service: 'api-gateway', fault: 'slow' }])).toThrow(
      '[tracehop] Failed to apply the faults: "slow" is not a fault. Use one of: drop-traceparent, new-trace, uppercase-traceparent, rewrite-parent, duplicate-traceparent, b3-only, unsampled, strip-tracestate, strip-baggage, cors-omits-trace-headers, redirect-drops-headers.',
    );
    expect(() => backend.setFaults([{ service: 'cart', fault: 'unsampled' }])).toThrow(
      '[tracehop] Failed to apply the faults: there is no service "cart". Use one of: api-gateway, payment-api, fraud-service, auth-service, catalog-service, analytics.',
    );
  });
});

describe('a first-party service calling a third party', () => {
  it('sends it no trace headers, so the capture check finds no leak', async () => {
    const own = await startBackend({
      topology: {
        services: [
          {
            name: 'edge',
            firstParty: true,
            routes: [
              { method: 'POST', path: '/buy', calls: [{ service: 'analytics', method: 'POST', path: '/events' }] },
            ],
          },
          { name: 'analytics', firstParty: false, routes: [{ method: 'POST', path: '/events', calls: [] }] },
        ],
      },
    });
    try {
      await (await fetch(`${own.urls.services.edge}/buy`, { method: 'POST', headers: { baggage: 'a=1' } })).text();
      const analytics = own.captures().filter((c) => c.service === 'analytics');
      expect({
        headers: analytics.map((c) => c.headers.map(([name]) => name)),
        problems: checkCaptures(own.captures(), own.store.spans()).map((p) => p.kind),
      }).toEqual({
        headers: [['x-tracehop-call', 'content-type', 'content-length', 'host', 'connection']],
        problems: [],
      });
    } finally {
      await own.stop();
    }
  });
});

describe('a stopped backend', () => {
  it('keeps its spans and captures readable', async () => {
    const own = await startBackend();
    await (await fetch(`${own.urls.services['auth-service']}/sessions`, { method: 'POST' })).text();
    await own.stop();
    expect({
      spans: own.store.spans().map((s) => `${s.service} ${s.kind}`),
      captures: own.captures().map((c) => c.service),
    }).toEqual({
      spans: ['auth-service server'],
      captures: ['auth-service'],
    });
  });
});
