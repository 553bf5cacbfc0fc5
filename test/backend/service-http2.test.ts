import { once } from 'node:events';
import { connect, constants, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startBackend, type Backend } from '../../harness/backend';
import { checkCaptures } from '../../harness/verify/capture';
import { h2cRequest, withH2c } from './support/h2c';

const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const ROUTES = 'POST /checkout, POST /login, GET /search';
const LIMIT = 16 * 1024;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE}-${PARENT}-01`;

let backend: Backend;
beforeAll(async () => {
  backend = await startBackend({ onWarning: () => undefined, maxBodyBytes: LIMIT });
});
afterAll(async () => {
  await backend.stop();
});
afterEach(() => backend.setOffline('fraud-service', false));

const urlOf = (service: string): string => backend.urls.services[service] ?? '';
const gateway = (): string => urlOf('api-gateway');
/** The `:authority` a node:http2 client sends to `url`. */
const authority = (url: string): string => new URL(url).host;

/** One gRPC call to the gateway's port: its status, gRPC status and message (decoded), and body. */
function grpcCall(
  headers: Record<string, string>,
): Promise<{ status: unknown; grpcStatus: unknown; grpcMessage: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const session = connect(gateway());
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', te: 'trailers', ...headers });
    let head: IncomingHttpHeaders = {};
    let body = '';
    stream.on('response', (received) => (head = received));
    stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
    stream.on('error', reject);
    stream.on('close', () => {
      session.close();
      const message = head['grpc-message'];
      resolve({
        status: head[':status'],
        grpcStatus: head['grpc-status'],
        grpcMessage: message === undefined ? undefined : decodeURIComponent(String(message)),
        body,
      });
    });
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

const notGrpc = (path: string, hint: string): string =>
  `[tracehop] Failed to handle the gRPC call ${path} on api-gateway: api-gateway is a mock service that serves JSON routes (${ROUTES}), not gRPC. ${hint}`;
const RECEIVER_HINT =
  'This is not the OTLP receiver: point the gRPC exporter at the origin of the "otlp" URL tracehop printed.';

describe('HTTP/2 without TLS (h2c) at a mock service', () => {
  it('serves a route as over HTTP/1.1 and captures every header as it arrived, pseudo-headers first, duplicates kept', async () => {
    const before = backend.captures().length;
    const url = urlOf('fraud-service');
    const answer = await withH2c(url, (session) =>
      h2cRequest(
        session,
        {
          ':method': 'POST',
          ':path': '/fraud/score?from=h2',
          traceparent: TRACEPARENT,
          tracestate: ['a=1', 'b=2'],
          baggage: 'user=42',
          'content-type': 'application/json',
        },
        '{"amount":3}',
      ),
    );
    const body = JSON.parse(answer.body) as { traceId: string; spanId: string };
    const server = backend.store.spans().find((span) => span.spanId === body.spanId);
    expect({
      status: answer.head[':status'],
      rstCode: answer.rstCode,
      captures: backend.captures().slice(before),
      server: [server?.kind, server?.traceId, server?.parentSpanId, server?.parentIsRemote],
    }).toEqual({
      status: 200,
      rstCode: constants.NGHTTP2_NO_ERROR,
      captures: [
        {
          seq: before + 1,
          service: 'fraud-service',
          firstParty: true,
          method: 'POST',
          path: '/fraud/score?from=h2',
          headers: [
            [':method', 'POST'],
            [':path', '/fraud/score?from=h2'],
            [':authority', authority(url)],
            [':scheme', 'http'],
            ['traceparent', TRACEPARENT],
            ['tracestate', 'a=1'],
            ['tracestate', 'b=2'],
            ['baggage', 'user=42'],
            ['content-type', 'application/json'],
          ],
          timeMs: expect.any(Number) as unknown,
          serverTraceId: TRACE,
          serverSpanId: body.spanId,
          contexts: {
            traceparent: {
              values: [TRACEPARENT],
              result: {
                ok: true,
                value: { version: 0, traceId: TRACE, parentId: PARENT, traceFlags: 1, sampled: true, random: false },
              },
            },
            tracestate: {
              values: ['a=1', 'b=2'],
              result: {
                ok: true,
                value: [
                  { key: 'a', value: '1' },
                  { key: 'b', value: '2' },
                ],
              },
            },
            baggage: {
              values: ['user=42'],
              result: { ok: true, value: [{ key: 'user', value: '42', properties: [] }] },
            },
          },
        },
      ],
      server: ['server', TRACE, PARENT, true],
    });
  });

  it('continues the trace down the chain: the next hops (over HTTP/1.1) are captured under the same trace', async () => {
    const before = backend.captures().length;
    const answer = await withH2c(gateway(), (session) =>
      h2cRequest(session, { ':method': 'POST', ':path': '/checkout', traceparent: TRACEPARENT }, '{}'),
    );
    const captures = backend.captures().slice(before);
    expect({
      status: answer.head[':status'],
      hops: captures.map((capture) => [capture.service, capture.method, capture.path, capture.headers[0]?.[0]]),
      traces: [...new Set(captures.map((capture) => capture.serverTraceId))],
    }).toEqual({
      status: 200,
      hops: [
        ['api-gateway', 'POST', '/checkout', ':method'],
        ['payment-api', 'POST', '/payments', 'traceparent'],
        ['fraud-service', 'POST', '/fraud/score', 'traceparent'],
      ],
      traces: [TRACE],
    });
  });

  it('restarts the trace on a traceparent sent twice over HTTP/2, and the capture check names the reason', async () => {
    const before = backend.captures().length;
    const second = `00-${TRACE}-00f067aa0ba902b8-01`;
    const answer = await withH2c(urlOf('fraud-service'), (session) =>
      h2cRequest(session, { ':method': 'POST', ':path': '/fraud/score', traceparent: [TRACEPARENT, second] }),
    );
    const captures = backend.captures().slice(before);
    const problems = checkCaptures(captures, backend.store.spans()).filter((p) => p.kind === 'invalid-header');
    expect({
      status: answer.head[':status'],
      sent: captures[0]?.headers.filter(([name]) => name === 'traceparent'),
      restarted: captures[0]?.serverTraceId !== TRACE,
      reasons: problems.map((p) => (p.kind === 'invalid-header' ? p.reason : '')),
    }).toEqual({
      status: 200,
      sent: [
        ['traceparent', TRACEPARENT],
        ['traceparent', second],
      ],
      restarted: true,
      reasons: ['duplicate-header'],
    });
  });

  it('answers 413 to a body that keeps coming past the limit, resets the stream (NO_ERROR), and serves the next stream and connection', async () => {
    const url = urlOf('api-gateway');
    const [streamed, declared, next] = await withH2c(url, async (session) => [
      // Never ended: the client would send forever.
      await h2cRequest(session, { ':method': 'POST', ':path': '/checkout' }, 'x'.repeat(LIMIT + 1), false),
      await h2cRequest(
        session,
        { ':method': 'POST', ':path': '/checkout', 'content-length': String(LIMIT + 1) },
        '{',
        false,
      ),
      await h2cRequest(session, { ':method': 'POST', ':path': '/checkout' }, '{}'),
    ]);
    const fresh = await withH2c(url, (session) => h2cRequest(session, { ':method': 'GET', ':path': '/search' }));
    const refused = (exchange: typeof streamed) => [
      exchange.head[':status'],
      exchange.head.connection,
      exchange.body,
      exchange.rstCode,
      exchange.error,
    ];
    const text = `[tracehop] Failed to accept POST /checkout on api-gateway: the body is larger than ${LIMIT} bytes. Send a smaller body.\n`;
    expect({
      streamed: refused(streamed),
      declared: refused(declared),
      next: next.head[':status'],
      fresh: fresh.head[':status'],
    }).toEqual({
      streamed: [413, undefined, text, constants.NGHTTP2_NO_ERROR, undefined],
      declared: [413, undefined, text, constants.NGHTTP2_NO_ERROR, undefined],
      next: 200,
      fresh: 200,
    });
  });

  it('survives a client that drops its connection mid-body: the request is captured, nothing runs, serving goes on', async () => {
    const before = backend.captures().length;
    const spansBefore = backend.store.spans();
    const session = connect(gateway());
    session.on('error', () => undefined);
    // A PING sent before the session is up is cancelled.
    await new Promise((resolve) => session.once('connect', resolve));
    const stream = session.request({ ':method': 'POST', ':path': '/checkout', 'content-length': '1000' });
    stream.on('error', () => undefined);
    stream.write('{"half":');
    // The PING's answer comes after the server has read every frame sent before it (the request's head).
    await new Promise<void>((resolve, reject) => session.ping((error) => (error ? reject(error) : resolve())));
    const closed = new Promise((resolve) => session.on('close', resolve));
    session.destroy();
    await closed;
    const abandoned = backend.captures().slice(before);
    const spansAfter = backend.store.spans();
    const next = await withH2c(gateway(), (fresh) =>
      h2cRequest(fresh, { ':method': 'POST', ':path': '/checkout' }, '{}'),
    );
    expect({
      abandoned: abandoned.map((capture) => [capture.path, capture.serverSpanId]),
      spans: spansAfter.length - spansBefore.length,
      next: next.head[':status'],
    }).toEqual({ abandoned: [['/checkout', undefined]], spans: 0, next: 200 });
  });

  it('drops the whole connection while the service is offline, capturing nothing, and serves again when back', async () => {
    const url = urlOf('fraud-service');
    const before = backend.captures().length;
    backend.setOffline('fraud-service', true);
    // The whole connection goes: each stream ends reset (CANCEL) and the session closes.
    const droppedOn = (headers: OutgoingHttpHeaders) =>
      withH2c(url, async (session) => {
        const closed = once(session, 'close');
        const exchange = await h2cRequest(session, headers, '{}');
        await closed;
        return exchange;
      });
    const dropped = await droppedOn({ ':method': 'POST', ':path': '/fraud/score' });
    const grpcDropped = await droppedOn({
      ':method': 'POST',
      ':path': '/shop.Fraud/Score',
      'content-type': 'application/grpc',
    });
    const capturedOffline = backend.captures().length - before;
    backend.setOffline('fraud-service', false);
    const back = await withH2c(url, (session) =>
      h2cRequest(session, { ':method': 'POST', ':path': '/fraud/score' }, '{}'),
    );
    expect({
      dropped: [dropped.head[':status'], dropped.body, dropped.rstCode],
      grpcDropped: [grpcDropped.head[':status'], grpcDropped.body, grpcDropped.rstCode],
      capturedOffline,
      back: back.head[':status'],
    }).toEqual({
      dropped: [undefined, '', constants.NGHTTP2_CANCEL],
      grpcDropped: [undefined, '', constants.NGHTTP2_CANCEL],
      capturedOffline: 0,
      back: 200,
    });
  });
});

describe('gRPC at a mock service', () => {
  it('answers a gRPC trace export UNIMPLEMENTED, naming the service, its routes and the receiver to use, and captures the call', async () => {
    const before = backend.captures().length;
    const answer = await grpcCall({ ':path': EXPORT, 'content-type': 'application/grpc' });
    const message = notGrpc(EXPORT, RECEIVER_HINT);
    expect({ answer, captures: backend.captures().slice(before) }).toEqual({
      answer: { status: 200, grpcStatus: '12', grpcMessage: message, body: '' },
      captures: [
        {
          seq: before + 1,
          service: 'api-gateway',
          firstParty: true,
          method: 'POST',
          path: EXPORT,
          headers: [
            [':method', 'POST'],
            [':path', EXPORT],
            [':authority', authority(gateway())],
            [':scheme', 'http'],
            ['te', 'trailers'],
            ['content-type', 'application/grpc'],
          ],
          timeMs: expect.any(Number) as unknown,
          contexts: {},
          response: {
            status: 200,
            headers: [
              ['content-type', 'application/grpc'],
              ['grpc-status', '12'],
              // Percent-encoded, which leaves printable ASCII but "%" as it is.
              ['grpc-message', message],
            ],
          },
        },
      ],
    });
  });

  it('answers any other gRPC call UNIMPLEMENTED, saying to call the routes with JSON', async () => {
    expect(await grpcCall({ ':path': '/shop.Checkout/Pay', 'content-type': 'application/grpc+proto' })).toEqual({
      status: 200,
      grpcStatus: '12',
      grpcMessage: notGrpc('/shop.Checkout/Pay', 'Call its routes with JSON, over HTTP/1.1 or HTTP/2.'),
      body: '',
    });
  });

  it("gives the official gRPC exporter the service's own words as its export error", async () => {
    const finished = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'mobile-app' }),
      spanProcessors: [new SimpleSpanProcessor(finished)],
    });
    provider.getTracer('t').startSpan('checkout').end();
    const exporter = new OTLPTraceExporter({ url: gateway() });
    const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) =>
      exporter.export(finished.getFinishedSpans(), resolve),
    );
    await exporter.shutdown();
    expect([result.code, result.error?.message]).toEqual([
      ExportResultCode.FAILED,
      `12 UNIMPLEMENTED: ${notGrpc(EXPORT, RECEIVER_HINT)}`,
    ]);
  });
});
