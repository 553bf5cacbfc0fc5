import { constants, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { backendWithWarnings } from './support/backend-with-warnings';
import { randomBytes } from 'node:crypto';
import { h2cRequest, withH2c, type H2cExchange } from './support/h2c';
import { bodyOf, rawRequest, statusOf } from './support/raw-http';
import { capturedAfter } from './support/captured';

const held = backendWithWarnings();
const { warnings } = held;

const gateway = (): string => held.backend.urls.services['api-gateway'] ?? '';
const authority = (): string => new URL(gateway()).host;
const HINT = 'Send smaller headers; a trace header this large is itself a defect.';
const REFUSED_HINT =
  'Send smaller headers: trace headers this large (a tracestate or baggage that grows at each hop) are a defect of the app.';
const TOO_LARGE = (target: string, bytes: number, largest: string, largestBytes: number): string =>
  `[tracehop] Failed to accept POST ${target} on api-gateway: the request headers are ${bytes} bytes, more than the 16384 allowed (the largest field, ${largest}, is ${largestBytes}). ${HINT}`;
const UNSEEN =
  'Node refused its HTTP/2 request before tracehop saw it (ENHANCE_YOUR_CALM: headers over its 10 MB session memory once decompressed, 32 bytes more a field; PROTOCOL_ERROR: a request RFC 9113 calls malformed; or COMPRESSION_ERROR, which ends the connection: a header over 65536 bytes as sent)';
const UNSEEN_HINT =
  'Send smaller headers (a tracestate or baggage that grows at each hop is a defect of the app) and well-formed HTTP/2 requests (RFC 9113 section 8.1).';
/** The bytes of a POST /checkout's pseudo-headers: :method POST (15), :path (18), :authority, :scheme http (15). */
const PSEUDO = (): number => 15 + 18 + 14 + authority().length + 15;
/** `count` small headers x-h0: v, x-h1: v, ... as entries. */
const smallHeaders = (count: number): [string, string][] =>
  Array.from({ length: count }, (_, i): [string, string] => [`x-h${i}`, 'v']);

describe('headers over the limit over h2c (HTTP/2 prior knowledge)', () => {
  it('answers 431 to a huge tracestate, saying why, captures the request with every header, and serves the next stream', async () => {
    const before = held.backend.captures().length;
    const tracestate = `big=${'a'.repeat(20_000)}`;
    const [big, next] = await withH2c(gateway(), async (session) => [
      await h2cRequest(session, { ':method': 'POST', ':path': '/checkout', tracestate }, '{}'),
      await h2cRequest(session, { ':method': 'POST', ':path': '/checkout' }, '{}'),
    ]);
    // Each field counts its name, ": ", its value and a line end: the pseudo-headers, then tracestate (20,018).
    const bytes = PSEUDO() + 20_018;
    expect({
      status: big.head[':status'],
      body: big.body,
      rstCode: big.rstCode,
      next: next.head[':status'],
      captured: capturedAfter(held.backend, before),
    }).toEqual({
      status: 431,
      body: `${TOO_LARGE('/checkout', bytes, 'tracestate', 20_018)}\n`,
      rstCode: constants.NGHTTP2_NO_ERROR,
      next: 200,
      captured: [
        {
          method: 'POST',
          path: '/checkout',
          headers: [
            [':method', 'POST'],
            [':path', '/checkout'],
            [':authority', authority()],
            [':scheme', 'http'],
            ['tracestate', tracestate],
          ],
          response: { status: 431, headers: [] },
        },
      ],
    });
  });

  it('serves a request with more header fields than Node lets HTTP/2 carry by default (128), capturing every one', async () => {
    const before = held.backend.captures().length;
    const extra = smallHeaders(300);
    const answer = await withH2c(gateway(), (session) =>
      h2cRequest(session, { ':method': 'POST', ':path': '/checkout', ...Object.fromEntries(extra) }, '{}'),
    );
    expect({ status: answer.head[':status'], headers: held.backend.captures()[before]?.headers.slice(4) }).toEqual({
      status: 200,
      headers: extra,
    });
  });

  it('warns once when a header block too large for Node (over 8 CONTINUATION frames) ends the connection, which captures nothing', async () => {
    const before = held.backend.captures().length;
    warnings.length = 0;
    // 30 fields of 7,000 random hex digits: some 130 KB once compressed, sent in HEADERS and 8+ CONTINUATIONs.
    const fields = Array.from({ length: 30 }, (_, i): [string, string] => [
      `x-big${i}`,
      randomBytes(3500).toString('hex'),
    ]);
    const big = (): Promise<H2cExchange> =>
      withH2c(
        gateway(),
        (session) =>
          // Node's client sends no header block over 64 KiB unless told to.
          h2cRequest(session, { ':method': 'POST', ':path': '/checkout', ...Object.fromEntries(fields) }),
        { maxSendHeaderBlockLength: 1 << 20 },
      );
    const [first] = [await big(), await big()];
    expect({
      error: first?.error,
      rstCode: first?.rstCode,
      captured: held.backend.captures().length - before,
      warnings,
    }).toEqual({
      error: 'ERR_HTTP2_SESSION_ERROR',
      rstCode: constants.NGHTTP2_INTERNAL_ERROR,
      captured: 0,
      warnings: [
        `[tracehop] Failed to read a request on api-gateway (port ${new URL(gateway()).port}): its HTTP/2 header block took more than 8 CONTINUATION frames (some 140 KB once compressed), so Node ended the connection (GOAWAY with INTERNAL_ERROR), and it is not in the capture log (said once per listener). ${REFUSED_HINT}`,
      ],
    });
  });

  it('answers 431 to 20,000 copies of one field (a byte each once HPACK-indexed), capturing every one, not a bare stream reset', async () => {
    const before = held.backend.captures().length;
    // Over 13,108 fields, Node's former maxHeaderListPairs here, the stream was reset (ENHANCE_YOUR_CALM) unseen.
    const baggage = Array.from({ length: 20_000 }, () => 'a=1');
    const answer = await withH2c(
      gateway(),
      (session) => h2cRequest(session, { ':method': 'POST', ':path': '/checkout', baggage }, '{}'),
      // Node's client measures a header block uncompressed (280 KB here) against this, 64 KiB by default.
      { maxSendHeaderBlockLength: 1 << 20 },
    );
    const captured = held.backend.captures()[before];
    expect({
      status: answer.head[':status'],
      rstCode: answer.rstCode,
      body: answer.body,
      headers: captured?.headers.slice(4),
      response: captured?.response,
    }).toEqual({
      status: 431,
      rstCode: constants.NGHTTP2_NO_ERROR,
      // Each baggage field: "baggage: a=1" and a line end, 14 bytes.
      body: `${TOO_LARGE('/checkout', PSEUDO() + 20_000 * 14, ':authority', 14 + authority().length)}\n`,
      headers: baggage.map((value) => ['baggage', value]),
      response: { status: 431, headers: [] },
    });
  });

  it('warns once when Node resets a stream unseen (headers past its session memory once decompressed), which captures nothing', async () => {
    const before = held.backend.captures().length;
    warnings.length = 0;
    // 20,000 copies of a 600-byte baggage: some 20 KB on the wire, 12.6 MB as Node counts them (32 bytes more
    // a field), over its 10 MB session memory: ENHANCE_YOUR_CALM before any handler sees the stream.
    const baggage = Array.from({ length: 20_000 }, () => `a=${'b'.repeat(598)}`);
    const big = (): Promise<H2cExchange> =>
      withH2c(gateway(), (session) => h2cRequest(session, { ':method': 'POST', ':path': '/checkout', baggage }), {
        maxSendHeaderBlockLength: 1 << 25,
      });
    const [first, second] = [await big(), await big()];
    expect({
      rstCodes: [first.rstCode, second.rstCode],
      captured: held.backend.captures().length - before,
      warnings,
    }).toEqual({
      rstCodes: [constants.NGHTTP2_ENHANCE_YOUR_CALM, constants.NGHTTP2_ENHANCE_YOUR_CALM],
      captured: 0,
      warnings: [
        `[tracehop] Failed to read a request on api-gateway (port ${new URL(gateway()).port}): ${UNSEEN}, and it is not in the capture log (said once per listener). ${UNSEEN_HINT}`,
      ],
    });
  });

  it('answers 431 to thousands of small header fields past the byte limit, capturing every one, not a bare stream reset', async () => {
    const before = held.backend.captures().length;
    const extra = smallHeaders(3000);
    const headers: OutgoingHttpHeaders = { ':method': 'POST', ':path': '/checkout', ...Object.fromEntries(extra) };
    const answer = await withH2c(gateway(), (session) => h2cRequest(session, headers, '{}'));
    const bytes = PSEUDO() + extra.reduce((sum, [name]) => sum + name.length + 5, 0);
    const captured = held.backend.captures()[before];
    expect({
      status: answer.head[':status'],
      body: answer.body,
      headers: captured?.headers.slice(4),
      response: captured?.response,
    }).toEqual({
      status: 431,
      body: `${TOO_LARGE('/checkout', bytes, ':authority', 14 + authority().length)}\n`,
      headers: extra,
      response: { status: 431, headers: [] },
    });
  });
});

describe('headers over the limit at the OTLP receiver', () => {
  it('answers 431 over HTTP/1.1 and h2c alike, saying why, and stores nothing', async () => {
    const spans = held.backend.store.size;
    const baggage = `b=${'a'.repeat(20_000)}`;
    const http1 = await rawRequest(
      held.backend.urls.otlp,
      `POST /v1/traces HTTP/1.1\r\nHost: x\r\nbaggage: ${baggage}\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}`,
    );
    const h2c = await withH2c(held.backend.urls.otlp, (session) =>
      h2cRequest(session, { ':method': 'POST', ':path': '/v1/traces', baggage }, '{}'),
    );
    const said = (bytes: number): string =>
      `[tracehop] Failed to accept POST /v1/traces on the OTLP receiver: the request headers are ${bytes} bytes, more than the 16384 allowed (the largest field, baggage, is 20013). ${HINT}\n`;
    const receiverHost = new URL(held.backend.urls.otlp).host.length;
    expect([statusOf(http1), bodyOf(http1), h2c.head[':status'], h2c.body, held.backend.store.size - spans]).toEqual([
      431,
      // host: x (9), baggage (20,013), content-type: application/json (32), content-length: 2 (19).
      said(9 + 20_013 + 32 + 19),
      431,
      // :method POST (15), :path /v1/traces (19), :authority, :scheme http (15), baggage.
      said(15 + 19 + 14 + receiverHost + 15 + 20_013),
      0,
    ]);
  });
});

describe('headers past what Node reads at the OTLP receiver', () => {
  it('answers 431 and warns once that the export was not read', async () => {
    warnings.length = 0;
    const raw = await rawRequest(
      held.backend.urls.otlp,
      `POST /v1/traces HTTP/1.1\r\nHost: x\r\nbaggage: ${'a'.repeat(70_000)}\r\n\r\n`,
    );
    expect([statusOf(raw), warnings]).toEqual([
      431,
      [
        `[tracehop] Failed to read a request on the OTLP receiver (port ${new URL(held.backend.urls.otlp).port}): its headers are larger than 65536 bytes, so it was answered 431 by the listener, and its spans, if it held any, are not stored (said once per listener). ${REFUSED_HINT}`,
      ],
    ]);
  });
});

describe('headers over the limit over HTTP/1.1', () => {
  it('answers 431 to a huge baggage, saying why, and captures the request with every header', async () => {
    const before = held.backend.captures().length;
    const baggage = `user=${'a'.repeat(20_000)}`;
    const raw = await rawRequest(
      gateway(),
      `POST /checkout HTTP/1.1\r\nHost: x\r\nbaggage: ${baggage}\r\ncontent-length: 2\r\n\r\n{}`,
    );
    // host: x (9) + baggage (20,016) + content-length: 2 (19).
    expect({
      status: statusOf(raw),
      closes: /\r\nconnection: close\r\n/i.test(raw),
      body: bodyOf(raw),
      captured: held.backend
        .captures()
        .slice(before)
        .map(({ headers, response }) => ({ headers, response })),
    }).toEqual({
      status: 431,
      closes: true,
      body: `${TOO_LARGE('/checkout', 9 + 20_016 + 19, 'baggage', 20_016)}\n`,
      captured: [
        {
          headers: [
            ['host', 'x'],
            ['baggage', baggage],
            ['content-length', '2'],
          ],
          response: { status: 431, headers: [] },
        },
      ],
    });
  });

  it('captures every one of 1,500 small headers (Node keeps 1,000 by default and drops the rest unsaid)', async () => {
    const before = held.backend.captures().length;
    const extra = smallHeaders(1500).map(([name]): [string, string] => [name.slice(2), 'v']);
    const lines = extra.map(([name, value]) => `${name}: ${value}\r\n`).join('');
    const raw = await rawRequest(
      gateway(),
      `POST /checkout HTTP/1.1\r\nHost: x\r\n${lines}content-length: 2\r\nconnection: close\r\n\r\n{}`,
    );
    expect({ status: statusOf(raw), headers: held.backend.captures()[before]?.headers.slice(1, -2) }).toEqual({
      status: 200,
      headers: extra,
    });
  });

  it('answers 431 alone to a head past what the listener reads at all (65536 bytes), and warns once that it is not captured', async () => {
    const before = held.backend.captures().length;
    warnings.length = 0;
    const head = `POST /checkout HTTP/1.1\r\nHost: x\r\nbaggage: ${'a'.repeat(70_000)}\r\n\r\n`;
    const raw = await rawRequest(gateway(), head);
    await rawRequest(gateway(), head);
    expect({
      status: statusOf(raw),
      body: bodyOf(raw),
      captured: held.backend.captures().length - before,
      warnings,
    }).toEqual({
      status: 431,
      body: `[tracehop] Failed to read the request: the request headers are larger than 65536 bytes. ${HINT}\n`,
      captured: 0,
      warnings: [
        `[tracehop] Failed to read a request on api-gateway (port ${new URL(gateway()).port}): its headers are larger than 65536 bytes, so it was answered 431 by the listener, and it is not in the capture log (said once per listener). ${REFUSED_HINT}`,
      ],
    });
  });
});

const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
/** What the gRPC answer to headers over the limit says (RESOURCE_EXHAUSTED), for `action`. */
const GRPC_TOO_LARGE = (action: string, bytes: number | 'N', largest: string, largestBytes: number): string =>
  `[tracehop] Failed to ${action}: the request headers are ${bytes} bytes, more than the 16384 allowed (the largest field, ${largest}, is ${largestBytes}). ${HINT}`;

/** A gRPC call with `headers` over h2c: its :status, and grpc-status and grpc-message (decoded), wherever sent. */
async function grpcCall(url: string, headers: OutgoingHttpHeaders): Promise<[unknown, unknown, unknown, number]> {
  return withH2c(
    url,
    (session) =>
      new Promise((resolve) => {
        const stream = session.request({
          ':method': 'POST',
          'content-type': 'application/grpc',
          te: 'trailers',
          ...headers,
        });
        let head: IncomingHttpHeaders = {};
        let trailers: IncomingHttpHeaders = {};
        stream.on('response', (received) => (head = received));
        stream.on('trailers', (received) => (trailers = received));
        stream.on('error', () => undefined);
        stream.resume();
        stream.on('close', () => {
          const message = trailers['grpc-message'] ?? head['grpc-message'];
          resolve([
            head[':status'],
            trailers['grpc-status'] ?? head['grpc-status'],
            message === undefined ? undefined : decodeURIComponent(String(message)),
            stream.rstCode ?? -1,
          ]);
        });
        stream.end(Buffer.alloc(5));
      }),
  );
}

/**
 * What the official OTLP gRPC exporter (over @grpc/grpc-js) reports exporting one span to `url` with a
 * 20,000-byte baggage in its metadata (OTEL_EXPORTER_OTLP_TRACES_HEADERS, as an app would set it).
 */
async function exportWithBigMetadata(url: string): Promise<[ExportResultCode, string | undefined]> {
  const finished = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(finished)] });
  provider.getTracer('t').startSpan('checkout').end();
  process.env.OTEL_EXPORTER_OTLP_TRACES_HEADERS = `baggage=${'a'.repeat(20_000)}`;
  let exporter: OTLPTraceExporter;
  try {
    exporter = new OTLPTraceExporter({ url });
  } finally {
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_HEADERS;
  }
  const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) =>
    exporter.export(finished.getFinishedSpans(), resolve),
  );
  await exporter.shutdown();
  // grpc-js adds headers of its own (user-agent, grpc-timeout): their size is not the test's to fix.
  return [result.code, result.error?.message.replace(/headers are \d+ bytes/, 'headers are N bytes')];
}

describe('headers over the limit on a gRPC call (the answer to it is RESOURCE_EXHAUSTED, as gRPC has no 431)', () => {
  it('the receiver answers a trace export RESOURCE_EXHAUSTED saying why, stores nothing, and the official exporter reports it', async () => {
    const spans = held.backend.store.size;
    const baggage = `b=${'a'.repeat(20_000)}`;
    const raw = await grpcCall(held.backend.urls.otlp, { ':path': EXPORT, baggage });
    const exported = await exportWithBigMetadata(new URL(held.backend.urls.otlp).origin);
    const action = 'accept the OTLP/gRPC export';
    // :method POST (15), :path (9 + 59), :authority, :scheme http (15), content-type (32), te (14), baggage.
    const bytes = 15 + 68 + 14 + new URL(held.backend.urls.otlp).host.length + 15 + 32 + 14 + 20_013;
    expect({ raw, exported, stored: held.backend.store.size - spans }).toEqual({
      raw: [200, '8', GRPC_TOO_LARGE(action, bytes, 'baggage', 20_013), constants.NGHTTP2_NO_ERROR],
      exported: [ExportResultCode.FAILED, `8 RESOURCE_EXHAUSTED: ${GRPC_TOO_LARGE(action, 'N', 'baggage', 20_011)}`],
      stored: 0,
    });
  });

  it('a mock service answers any gRPC call RESOURCE_EXHAUSTED saying why, and captures it with every header and that answer', async () => {
    const before = held.backend.captures().length;
    const baggage = `b=${'a'.repeat(20_000)}`;
    const raw = await grpcCall(gateway(), { ':path': '/shop.Checkout/Pay', baggage });
    const exported = await exportWithBigMetadata(gateway());
    const action = (path: string): string => `handle the gRPC call ${path} on api-gateway`;
    // :method POST (15), :path (9 + 18), :authority, :scheme http (15), content-type (32), te (14), baggage.
    const bytes = 15 + 27 + 14 + authority().length + 15 + 32 + 14 + 20_013;
    const message = GRPC_TOO_LARGE(action('/shop.Checkout/Pay'), bytes, 'baggage', 20_013);
    const [call, exportCall] = held.backend.captures().slice(before);
    expect({
      raw,
      exported,
      call: [call?.path, call?.headers.slice(4), call?.response],
      exportCall: [
        exportCall?.path,
        exportCall?.response?.headers[1],
        exportCall?.headers.find(([name]) => name === 'baggage'),
      ],
    }).toEqual({
      raw: [200, '8', message, constants.NGHTTP2_NO_ERROR],
      exported: [
        ExportResultCode.FAILED,
        `8 RESOURCE_EXHAUSTED: ${GRPC_TOO_LARGE(action(EXPORT), 'N', 'baggage', 20_011)}`,
      ],
      call: [
        '/shop.Checkout/Pay',
        [
          ['content-type', 'application/grpc'],
          ['te', 'trailers'],
          ['baggage', baggage],
        ],
        {
          status: 200,
          headers: [
            ['content-type', 'application/grpc'],
            ['grpc-status', '8'],
            ['grpc-message', message],
          ],
        },
      ],
      exportCall: [EXPORT, ['grpc-status', '8'], ['baggage', 'a'.repeat(20_000)]],
    });
  });
});
