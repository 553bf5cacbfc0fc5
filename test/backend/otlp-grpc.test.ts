/**
 * OTLP/gRPC on the receiver's port: the official OpenTelemetry JS gRPC exporter (over @grpc/grpc-js, as the
 * Collector's otlp exporter and the Go, Python, Java and Swift gRPC exporters speak it), and raw HTTP/2 calls
 * for every refusal. OTLP/HTTP keeps working on the same port.
 */
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { once } from 'node:events';
import { connect as connectTcp } from 'node:net';
import * as zlib from 'node:zlib';
import { deflateSync, gzipSync } from 'node:zlib';
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startBackend, type Backend } from '../../harness/backend';
import { decodeOtlpJson, encodeOtlpJson, type Span } from '../../harness/model';
import { encodeOtlpProtobuf } from '../../harness/model/test-support/otlp-protobuf';
import { h2cRequest } from './support/h2c';

/** The codings the receiver reads on this Node.js (zstd from 22.15 and 23.8). */
const READABLE =
  typeof (zlib as { zstdDecompress?: unknown }).zstdDecompress === 'function' ? 'gzip, deflate, zstd' : 'gzip, deflate';
const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

let backend: Backend;
beforeEach(async () => {
  backend = await startBackend({ onWarning: () => undefined, maxBodyBytes: 64 * 1024 });
});
afterEach(async () => {
  await backend.stop();
});

/** The receiver's origin: where a gRPC exporter is pointed (no /v1/traces). */
const origin = (): string => new URL(backend.urls.otlp).origin;

function span(id: string, name: string): Span {
  return {
    traceId: TRACE as Span['traceId'],
    spanId: id.padEnd(16, '0') as Span['spanId'],
    name,
    kind: 'server',
    service: 'payment-api',
    startTimeMs: 1_700_000_000_000,
    endTimeMs: 1_700_000_000_005,
    attributes: {},
    traceFlags: 1,
  };
}

/** One length-prefixed gRPC message. */
function frame(message: Uint8Array, compressed = false): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

interface CallResult {
  readonly status: string | undefined;
  readonly grpcStatus: string | undefined;
  readonly grpcMessage: string | undefined;
  readonly body: Buffer;
}

/** One raw HTTP/2 call; the gRPC status comes in the headers (Trailers-Only) or the trailers. */
function call(
  session: ClientHttp2Session,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    let head: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (received) => (head = received));
    stream.on('trailers', (received) => (trailers = received));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => {
      const field = (name: string): string | undefined => {
        const value = trailers[name] ?? head[name];
        return value === undefined ? undefined : decodeURIComponent(String(value));
      };
      resolve({
        status: head[':status'] === undefined ? undefined : String(head[':status']),
        grpcStatus: field('grpc-status'),
        grpcMessage: field('grpc-message'),
        body: Buffer.concat(chunks),
      });
    });
    // A GET's stream is ended as it is opened.
    if (stream.writable) stream.end(body);
  });
}

async function withSession<T>(use: (session: ClientHttp2Session) => Promise<T>): Promise<T> {
  const session = connect(origin());
  session.on('error', () => undefined);
  try {
    return await use(session);
  } finally {
    session.close();
  }
}

/** A root span and a CLIENT span beneath it (no context manager: the parent is passed). */
function exportWith(tracer: Tracer): void {
  const root = tracer.startSpan('checkout', { kind: SpanKind.INTERNAL });
  tracer.startSpan('HTTP POST', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, root)).end();
  root.end();
}

describe('OTLP/gRPC on the receiver port', () => {
  it.each([
    ['uncompressed', CompressionAlgorithm.NONE],
    ['gzip, as the Collector sends by default', CompressionAlgorithm.GZIP],
  ])('stores the spans of the official gRPC exporter, %s', async (_what, compression) => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'mobile-app' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: origin(), compression }))],
    });
    exportWith(provider.getTracer('grpc-test'));
    await provider.forceFlush();
    const spans = await backend.store.waitFor((all) => all.length >= 2, { timeout: 10_000 });
    await provider.shutdown();
    const named = (name: string): Span => spans.find((stored) => stored.name === name) as Span;
    const [root, client] = [named('checkout'), named('HTTP POST')];
    expect([
      [root.service, root.name, root.kind, root.traceFlags, root.parentSpanId],
      [client.service, client.name, client.kind, client.traceFlags, client.parentSpanId === root.spanId],
      client.traceId === root.traceId,
    ]).toEqual([
      ['mobile-app', 'checkout', 'internal', 1, undefined],
      ['mobile-app', 'HTTP POST', 'client', 1, true],
      true,
    ]);
  });

  it('answers an empty ExportTraceServiceResponse with grpc-status 0', async () => {
    const good = encodeOtlpProtobuf([span('a1', 'POST /payments')]);
    const result = await withSession((session) => call(session, EXPORT, frame(good)));
    expect([result.status, result.grpcStatus, result.body]).toEqual(['200', '0', frame(new Uint8Array(0))]);
    expect(backend.store.spans().map((stored) => stored.name)).toEqual(['POST /payments']);
  });

  it('takes a gzip message when grpc-encoding says gzip', async () => {
    const message = gzipSync(encodeOtlpProtobuf([span('b1', 'POST /fraud/score')]));
    const result = await withSession((session) =>
      call(session, EXPORT, frame(message, true), { 'grpc-encoding': 'gzip' }),
    );
    expect([result.grpcStatus, backend.store.spans().map((stored) => stored.name)]).toEqual([
      '0',
      ['POST /fraud/score'],
    ]);
  });

  it('takes a deflate message (zlib-wrapped, as grpc-go and the Collector send it) when grpc-encoding says deflate', async () => {
    const message = deflateSync(encodeOtlpProtobuf([span('b2', 'POST /fraud/review')]));
    const result = await withSession((session) =>
      call(session, EXPORT, frame(message, true), { 'grpc-encoding': 'deflate' }),
    );
    expect([result.grpcStatus, backend.store.spans().map((stored) => stored.name)]).toEqual([
      '0',
      ['POST /fraud/review'],
    ]);
  });

  const refusals: Array<[string, string, Buffer, Record<string, string>, string, string]> = [
    [
      'a logs export',
      '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
      frame(new Uint8Array(0)),
      {},
      '12',
      "[tracehop] Failed to accept the OTLP/gRPC export: this is the OTLP logs service, and tracehop's receiver takes traces only. Point only the trace exporter at tracehop (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), or set OTEL_LOGS_EXPORTER=none.",
    ],
    [
      'another method',
      '/grpc.health.v1.Health/Check',
      frame(new Uint8Array(0)),
      {},
      '12',
      '[tracehop] Failed to accept the OTLP/gRPC export: the method "/grpc.health.v1.Health/Check" is not served; over gRPC the receiver serves opentelemetry.proto.collector.trace.v1.TraceService/Export only. Point an OTLP trace exporter at the receiver.',
    ],
    [
      'a cut message',
      EXPORT,
      frame(Buffer.from('abc')).subarray(0, 6),
      {},
      '3',
      '[tracehop] Failed to accept the OTLP/gRPC export: the message prefix says 3 bytes but 1 follow (a unary call holds one message). Send one length-prefixed message.',
    ],
    [
      'a compressed flag that is neither 0 nor 1',
      EXPORT,
      Buffer.from([2, 0, 0, 0, 0]),
      {},
      '3',
      "[tracehop] Failed to accept the OTLP/gRPC export: the message's compressed flag is 2, not 0 or 1. Send one length-prefixed message.",
    ],
    [
      'a body shorter than the 5-byte prefix',
      EXPORT,
      Buffer.from([0, 0, 0]),
      {},
      '3',
      "[tracehop] Failed to accept the OTLP/gRPC export: the request holds 3 bytes, fewer than a gRPC message's 5-byte prefix. Send one length-prefixed message.",
    ],
    [
      'an empty body',
      EXPORT,
      Buffer.alloc(0),
      {},
      '3',
      "[tracehop] Failed to accept the OTLP/gRPC export: the request holds 0 bytes, fewer than a gRPC message's 5-byte prefix. Send one length-prefixed message.",
    ],
    [
      'two messages in a unary call',
      EXPORT,
      Buffer.concat([frame(new Uint8Array(0)), frame(new Uint8Array(0))]),
      {},
      '3',
      '[tracehop] Failed to accept the OTLP/gRPC export: the message prefix says 0 bytes but 5 follow (a unary call holds one message). Send one length-prefixed message.',
    ],
    [
      'a snappy message',
      EXPORT,
      frame(Buffer.from('abc'), true),
      { 'grpc-encoding': 'snappy' },
      '12',
      `[tracehop] Failed to accept the OTLP/gRPC export: the message is compressed with "snappy". Use ${READABLE} or no compression (in the Collector: compression: gzip or none).`,
    ],
    [
      'a compressed message with no grpc-encoding',
      EXPORT,
      frame(Buffer.from('abc'), true),
      {},
      '3',
      "[tracehop] Failed to accept the OTLP/gRPC export: the message's compressed flag is set, but the call names no grpc-encoding. Send grpc-encoding: gzip with a gzip message, or clear the flag and send it uncompressed.",
    ],
    [
      'a compressed message with grpc-encoding identity',
      EXPORT,
      frame(Buffer.from('abc'), true),
      { 'grpc-encoding': 'identity' },
      '3',
      '[tracehop] Failed to accept the OTLP/gRPC export: the message\'s compressed flag is set, but the call says grpc-encoding "identity". Send grpc-encoding: gzip with a gzip message, or clear the flag and send it uncompressed.',
    ],
    [
      'a corrupt gzip message',
      EXPORT,
      frame(Buffer.from('not gzip'), true),
      { 'grpc-encoding': 'gzip' },
      '3',
      '[tracehop] Failed to accept the OTLP/gRPC export: the gzip message is corrupt (incorrect header check). Send a complete gzip message.',
    ],
    [
      'a request over the size limit',
      EXPORT,
      frame(Buffer.alloc(70 * 1024)),
      {},
      '8',
      '[tracehop] Failed to accept the OTLP/gRPC export: the request is larger than 65536 bytes. Export smaller batches.',
    ],
    [
      'a message that is no trace export',
      EXPORT,
      frame(Buffer.from('{"resourceSpans": []}')),
      {},
      '3',
      '[tracehop] Failed to decode the OTLP protobuf export: the body looks like JSON (it starts with "{" or "["), not protobuf. Send an OTLP/JSON body with Content-Type application/json.',
    ],
  ];
  it.each(refusals)('refuses %s with its gRPC status and a message that says what to do', async (...test) => {
    const [, path, body, headers, grpcStatus, grpcMessage] = test;
    const result = await withSession((session) => call(session, path, body, headers));
    expect([result.status, result.grpcStatus, result.grpcMessage, backend.store.size]).toEqual([
      '200',
      grpcStatus,
      grpcMessage,
      0,
    ]);
  });

  it('takes a zstd message where Node.js reads zstd, and elsewhere refuses it saying which Node.js does', async () => {
    const zstdCompress = (zlib as { zstdCompressSync?: (data: Uint8Array) => Buffer }).zstdCompressSync;
    const protobuf = encodeOtlpProtobuf([span('b3', 'POST /fraud/zstd')]);
    // Where Node.js has no zstd the message is refused unread: any bytes stand in.
    const message = zstdCompress ? zstdCompress(protobuf) : Buffer.from('28b52ffd', 'hex');
    const result = await withSession((session) =>
      call(session, EXPORT, frame(message, true), { 'grpc-encoding': 'zstd' }),
    );
    const names = backend.store.spans().map((stored) => stored.name);
    if (zstdCompress) expect([result.grpcStatus, names]).toEqual(['0', ['POST /fraud/zstd']]);
    else
      expect([result.grpcStatus, result.grpcMessage, names]).toEqual([
        '12',
        `[tracehop] Failed to accept the OTLP/gRPC export: the message is zstd-compressed, and Node.js ${process.version} cannot decompress zstd (Node.js 22.15 or later, or 23.8 or later on 23, can). Use gzip, deflate or no compression (in the Collector: compression: gzip or none).`,
        [],
      ]);
  });

  it('serves OTLP/HTTP over HTTP/2 without TLS (prior knowledge, h2c) on the same port, errors as over HTTP/1.1', async () => {
    const json = Buffer.from(JSON.stringify(encodeOtlpJson([span('c1', 'GET /cart')])));
    const protobuf = Buffer.from(encodeOtlpProtobuf([span('c2', 'GET /pay')]));
    const [asJson, asProtobuf, notOtlp, spansUrl] = await withSession(async (session) => [
      await call(session, '/v1/traces', json, { 'content-type': 'application/json' }),
      await call(session, '/v1/traces', protobuf, { 'content-type': 'application/x-protobuf' }),
      await call(session, '/v1/traces', Buffer.from('hi'), { 'content-type': 'text/plain' }),
      await call(session, '/__tracehop/spans', Buffer.alloc(0), { ':method': 'GET', 'content-type': '' }),
    ]);
    const answer = (result: CallResult): [string | undefined, string] => [result.status, result.body.toString()];
    expect({
      answers: [asJson, asProtobuf, notOtlp].map(answer),
      stored: backend.store.spans().map((stored) => stored.name),
      spansUrl: [spansUrl.status, decodeOtlpJson(spansUrl.body.toString(), 'spans URL')],
    }).toEqual({
      answers: [
        ['200', '{}'],
        ['200', ''],
        [
          '415',
          JSON.stringify({
            code: 3,
            message:
              '[tracehop] Failed to accept the OTLP export: the content type "text/plain" is not OTLP. Send application/json or application/x-protobuf.',
          }),
        ],
      ],
      stored: ['GET /cart', 'GET /pay'],
      spansUrl: [
        '200',
        {
          ok: true,
          // What check reads of the spans URL: the stored spans, without what only the receiver keeps.
          spans: backend.store
            .spans()
            .map(({ origin: _origin, ...stored }) => ({ ...stored, source: { file: 'spans URL' } })),
        },
      ],
    });
  });

  it('answers 413 over h2c to an export that keeps coming past the limit, resets its stream (NO_ERROR), then serves the next', async () => {
    const limit = 64 * 1024;
    const json = Buffer.from(JSON.stringify(encodeOtlpJson([span('c3', 'GET /next')]))).toString();
    const [endless, next] = await withSession(async (session) => [
      // Never ended: the exporter would send forever.
      await h2cRequest(
        session,
        { ':method': 'POST', ':path': '/v1/traces', 'content-type': 'application/json' },
        '['.repeat(limit + 1),
        false,
      ),
      await h2cRequest(session, { ':method': 'POST', ':path': '/v1/traces', 'content-type': 'application/json' }, json),
    ]);
    expect({
      endless: [endless.head[':status'], endless.body, endless.rstCode, endless.error],
      next: [next.head[':status'], next.body],
      stored: backend.store.spans().map((stored) => stored.name),
    }).toEqual({
      endless: [
        413,
        JSON.stringify({
          code: 8,
          message: `[tracehop] Failed to accept the OTLP export: the body is larger than ${limit} bytes. Export smaller batches.`,
        }),
        constants.NGHTTP2_NO_ERROR,
        undefined,
      ],
      next: [200, '{}'],
      stored: ['GET /next'],
    });
  });

  it('answers 415 to an HTTP/2 request that says gRPC but is no POST, saying what to send', async () => {
    const result = await withSession((session) => call(session, EXPORT, Buffer.alloc(0), { ':method': 'GET' }));
    expect([result.status, result.body.toString()]).toEqual([
      '415',
      `[tracehop] Failed to handle GET ${EXPORT} over HTTP/2: the request says content type "application/grpc" but is no gRPC call (a gRPC call is a POST). Use a gRPC exporter, or send OTLP/HTTP with Content-Type application/json or application/x-protobuf to the "otlp" URL.\n`,
    ]);
  });

  it('survives clients that reset their streams before they are answered, and keeps serving', async () => {
    const session = connect(origin());
    session.on('error', () => undefined);
    const resets = [
      { ':method': 'GET', ':path': '/v1/traces' },
      {
        ':method': 'POST',
        ':path': '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
        'content-type': 'application/grpc',
      },
      { ':method': 'POST', ':path': EXPORT, 'content-type': 'application/grpc' },
    ].map(
      (headers) =>
        new Promise<void>((resolve) => {
          const stream = session.request(headers, { endStream: true });
          stream.on('error', () => undefined);
          stream.on('close', () => resolve());
          stream.close(constants.NGHTTP2_CANCEL);
        }),
    );
    await Promise.all(resets);
    session.close();
    const good = encodeOtlpProtobuf([span('d1', 'POST /refunds')]);
    const result = await withSession((fresh) => call(fresh, EXPORT, frame(good)));
    expect([result.grpcStatus, backend.store.spans().map((stored) => stored.name)]).toEqual(['0', ['POST /refunds']]);
  });

  it('drops a call its client cancels mid-message (a truncated export), stores nothing of it, and serves the next on the same connection', async () => {
    const good = encodeOtlpProtobuf([span('d2', 'POST /after')]);
    const [cancelled, next] = await withSession(async (session) => {
      const stream = session.request({ ':method': 'POST', ':path': EXPORT, 'content-type': 'application/grpc' });
      let answered = false;
      stream.on('response', () => (answered = true));
      stream.on('error', () => undefined);
      // The prefix promises 100 bytes; 10 come, then the client gives up (RST_STREAM CANCEL).
      const sent = Buffer.concat([Buffer.from([0, 0, 0, 0, 100]), Buffer.alloc(10)]);
      await new Promise<void>((resolve) => stream.write(sent, () => resolve()));
      stream.close(constants.NGHTTP2_CANCEL);
      await once(stream, 'close');
      return [[answered, stream.rstCode], await call(session, EXPORT, frame(good))];
    });
    expect({
      cancelled,
      next: next.grpcStatus,
      stored: backend.store.spans().map((stored) => stored.name),
    }).toEqual({ cancelled: [false, constants.NGHTTP2_CANCEL], next: '0', stored: ['POST /after'] });
  });

  it('answers 415 to an OTLP/HTTP export over h2c that names no content type, as over HTTP/1.1', async () => {
    const result = await withSession((session) =>
      h2cRequest(session, { ':method': 'POST', ':path': '/v1/traces' }, '{}'),
    );
    expect([result.head[':status'], result.body, backend.store.size]).toEqual([
      415,
      JSON.stringify({
        code: 3,
        message:
          '[tracehop] Failed to accept the OTLP export: the content type "(none)" is not OTLP. Send application/json or application/x-protobuf.',
      }),
      0,
    ]);
  });

  it('tells HTTP/2 from HTTP/1.1 even when the first bytes arrive one at a time', async () => {
    const port = Number(new URL(origin()).port);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connectTcp(port, '127.0.0.1');
      const request = 'GET /__tracehop/spans HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      // "P", "R" could begin the HTTP/2 preface; "PRO" cannot: a request line whose method starts with "PR".
      const bytes = Buffer.from(request.replace('GET', 'PROPFIND'));
      let next = 0;
      const step = (): void => {
        if (next >= bytes.length) return;
        socket.write(bytes.subarray(next, next + 1), step);
        next++;
      };
      step();
    });
    // Read as HTTP/1.1: a method the spans URL does not take is answered 405 there.
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 405 Method Not Allowed');
  });
});
