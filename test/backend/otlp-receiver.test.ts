import { ServerResponse } from 'node:http';
import * as zlib from 'node:zlib';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { startBackend, type Backend } from '../../harness/backend';
import { asSpanId, asTraceId, encodeOtlpJson, type Span } from '../../harness/model';
import { encodeOtlpProtobuf } from '../../harness/model/test-support/otlp-protobuf';
import { sdkLogsRequest, sdkMetricsRequest } from '../../harness/model/test-support/other-signals';
import { bodyOf, rawRequest, statusOf } from './support/raw-http';

const LIMIT = 64 * 1024;
/** The codings the receiver reads on this Node.js (zstd from 22.15 and 23.8). */
const READABLE =
  typeof (zlib as { zstdDecompress?: unknown }).zstdDecompress === 'function' ? 'gzip, deflate, zstd' : 'gzip, deflate';
let backend: Backend;

function span(spanId: string, name = 'tap'): Span {
  return {
    traceId: asTraceId('4bf92f3577b34da6a3ce929d0e0e4736'),
    spanId: asSpanId(spanId),
    name,
    kind: 'client',
    service: 'mobile-app',
    startTimeMs: 1700000000000,
    endTimeMs: 1700000000005,
    attributes: {},
  };
}

function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let index = at;
  while (bytes[index]! & 0x80) {
    value += (bytes[index]! & 0x7f) * 2 ** shift;
    shift += 7;
    index++;
  }
  return { value: value + bytes[index]! * 2 ** shift, next: index + 1 };
}

/** A protobuf google.rpc.Status { code (1), message (2) }, read back. */
function rpcStatus(bytes: Uint8Array): { code: number; message: string } {
  const length = readVarint(bytes, 3);
  if (bytes[0] !== 0x08 || bytes[2] !== 0x12)
    throw new Error(`not a google.rpc.Status: ${Buffer.from(bytes).toString('hex')}`);
  return { code: bytes[1]!, message: Buffer.from(bytes.subarray(length.next, length.next + length.value)).toString() };
}

async function post(
  body: string | Uint8Array,
  headers: Record<string, string>,
): Promise<{ status: number; type: string | null; body: Buffer }> {
  const response = await fetch(backend.urls.otlp, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : Uint8Array.from(body),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

beforeAll(async () => {
  backend = await startBackend({
    maxBodyBytes: LIMIT,
    topology: { services: [{ name: 'api-gateway', firstParty: true, routes: [] }] },
  });
});

afterAll(async () => {
  await backend.stop();
});

describe('the OTLP/HTTP receiver', () => {
  it('stores the spans of an OTLP/JSON export and answers an empty success', async () => {
    const before = backend.store.size;
    const answer = await post(JSON.stringify(encodeOtlpJson([span('00f067aa0ba902b7')])), {
      'content-type': 'application/json',
    });
    expect({ status: answer.status, type: answer.type, body: answer.body.toString() }).toEqual({
      status: 200,
      type: 'application/json',
      body: '{}',
    });
    expect(
      backend.store
        .spans()
        .slice(before)
        .map((s) => s.spanId),
    ).toEqual(['00f067aa0ba902b7']);
  });

  it('hands out the spans it received frozen, and finds them by trace and span id', async () => {
    const traceId = asTraceId('0af7651916cd43dd8448eb211c80319c');
    const sent = [
      { ...span('00f067aa0ba90201'), traceId, attributes: { 'http.request.method': 'POST' } },
      { ...span('00f067aa0ba90202'), traceId, parentSpanId: asSpanId('00f067aa0ba90201') },
    ];
    const answer = await post(JSON.stringify(encodeOtlpJson(sent)), { 'content-type': 'application/json' });
    expect(answer.status).toBe(200);
    const received = backend.store.snapshot().filter((s) => s.traceId === traceId);
    expect(received.map((s) => [s.spanId, Object.isFrozen(s), Object.isFrozen(s.attributes)])).toEqual([
      ['00f067aa0ba90201', true, true],
      ['00f067aa0ba90202', true, true],
    ]);
    expect(backend.store.trace(traceId).map((s) => s.parentSpanId ?? 'root')).toEqual(['root', '00f067aa0ba90201']);
    expect(backend.store.span('00f067aa0ba90202')?.traceId).toBe(traceId);
  });

  it('stores the spans of a gzip-compressed OTLP/protobuf export and answers an empty protobuf success', async () => {
    const before = backend.store.size;
    const body = gzipSync(encodeOtlpProtobuf([span('00f067aa0ba902b8'), span('00f067aa0ba902b9')]));
    const answer = await post(body, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect({ status: answer.status, type: answer.type, length: answer.body.length }).toEqual({
      status: 200,
      type: 'application/x-protobuf',
      length: 0,
    });
    expect(
      backend.store
        .spans()
        .slice(before)
        .map((s) => s.spanId),
    ).toEqual(['00f067aa0ba902b8', '00f067aa0ba902b9']);
  });

  it('keeps the good spans of a JSON export and reports the rejected one as a partial success', async () => {
    const before = backend.store.size;
    const document = encodeOtlpJson([span('00f067aa0ba902ba'), span('00f067aa0ba902bb')]);
    const spans = document.resourceSpans[0]!.scopeSpans[0]!.spans as { spanId: string }[];
    spans[1]!.spanId = 'NOT-A-SPAN-ID';
    const answer = await post(JSON.stringify(document), { 'content-type': 'application/json' });
    expect({ status: answer.status, body: JSON.parse(answer.body.toString()) }).toEqual({
      status: 200,
      body: {
        partialSuccess: {
          rejectedSpans: '1',
          errorMessage:
            '[tracehop] Failed to read spans from "otlp-receiver": resourceSpans[0].scopeSpans[0].spans[1].spanId "NOT-A-SPAN-ID" is not a span id: it has 13 characters, not 16 hex characters. The span was skipped.',
        },
      },
    });
    expect(
      backend.store
        .spans()
        .slice(before)
        .map((s) => s.spanId),
    ).toEqual(['00f067aa0ba902ba']);
  });

  it('reports a rejected protobuf span as a protobuf partial success', async () => {
    const bad = { ...span('00f067aa0ba902bc'), spanId: asSpanId('abcd') };
    const answer = await post(encodeOtlpProtobuf([bad]), { 'content-type': 'application/x-protobuf' });
    // ExportTraceServiceResponse { partial_success (1) { rejected_spans (1) = 1, error_message (2) } }
    const bytes = answer.body;
    const outer = readVarint(bytes, 1);
    const inner = bytes.subarray(outer.next, outer.next + outer.value);
    const messageLength = readVarint(inner, 3);
    const message = inner.subarray(messageLength.next, messageLength.next + messageLength.value).toString();
    expect({
      status: answer.status,
      outerTag: bytes[0],
      rejectedTag: inner[0],
      rejected: inner[1],
      messageTag: inner[2],
      prefix: message.slice(0, 10),
    }).toEqual({
      status: 200,
      outerTag: 0x0a,
      rejectedTag: 0x08,
      rejected: 1,
      messageTag: 0x12,
      prefix: '[tracehop]',
    });
  });

  test.each([
    ['a JSON syntax error', 400, '{"resourceSpans": [', 'application/json'],
    ['JSON that is not an export', 400, '{"spans": []}', 'application/json'],
    ['bytes that are not protobuf', 400, '\xff\xff\xff\xff', 'application/x-protobuf'],
    ['a text/plain body', 415, 'hello', 'text/plain'],
  ])('answers %s with %i and keeps every stored span', async (_label, status, body, type) => {
    const before = backend.store.spans();
    const answer = await post(body, { 'content-type': type });
    expect(answer.status).toBe(status);
    expect(backend.store.spans()).toEqual(before);
  });

  it('answers a truncated protobuf export with 400 and a protobuf google.rpc.Status, keeping every stored span', async () => {
    const before = backend.store.spans();
    const whole = encodeOtlpProtobuf([span('00f067aa0ba902c1'), span('00f067aa0ba902c2')]);
    const answer = await post(whole.subarray(0, whole.length - 7), { 'content-type': 'application/x-protobuf' });
    // google.rpc.Status { code (1) = 3, message (2) }
    const length = readVarint(answer.body, 3);
    const message = answer.body.subarray(length.next, length.next + length.value).toString();
    expect({
      status: answer.status,
      type: answer.type,
      codeTag: answer.body[0],
      code: answer.body[1],
      messageTag: answer.body[2],
      prefix: message.slice(0, 20),
    }).toEqual({
      status: 400,
      type: 'application/x-protobuf',
      codeTag: 0x08,
      code: 3,
      messageTag: 0x12,
      prefix: '[tracehop] Failed to',
    });
    expect(backend.store.spans()).toEqual(before);
  });

  it('accepts a JSON content type with parameters', async () => {
    const answer = await post(JSON.stringify(encodeOtlpJson([span('00f067aa0ba902c3')])), {
      'content-type': 'Application/JSON; charset=utf-8',
    });
    expect({
      status: answer.status,
      stored: backend.store.spans().some((s) => s.spanId === '00f067aa0ba902c3'),
    }).toEqual({ status: 200, stored: true });
  });

  it('takes a JSON export that opens with a UTF-8 byte order mark, plain or gzipped, as tracehop check takes such a file', async () => {
    const document = JSON.stringify(encodeOtlpJson([span('00f067aa0ba902c4')]));
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(document)]);
    const plain = await post(withBom, { 'content-type': 'application/json' });
    const gzipped = await post(gzipSync(withBom), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect({
      answers: [plain, gzipped].map((a) => ({ status: a.status, body: a.body.toString() })),
      stored: backend.store.spans().filter((s) => s.spanId === '00f067aa0ba902c4').length,
    }).toEqual({
      answers: [
        { status: 200, body: '{}' },
        { status: 200, body: '{}' },
      ],
      stored: 2,
    });
  });

  test.each([
    [
      'no content type',
      {},
      415,
      '[tracehop] Failed to accept the OTLP export: the content type "(none)" is not OTLP. Send application/json or application/x-protobuf.',
    ],
    [
      'a brotli body',
      { 'content-type': 'application/json', 'content-encoding': 'br' },
      415,
      `[tracehop] Failed to accept the OTLP export: the content encoding "br" is not supported. Send ${READABLE} or no Content-Encoding (OTLP/HTTP requires only gzip).`,
    ],
    [
      'a body over the limit',
      { 'content-type': 'application/json' },
      413,
      `[tracehop] Failed to accept the OTLP export: the body is larger than ${LIMIT} bytes. Export smaller batches.`,
    ],
  ])('answers %s with %i and a whole message', async (label, headers: Record<string, string>, status, message) => {
    const before = backend.store.spans();
    const body = label === 'a body over the limit' ? 'x'.repeat(LIMIT + 1) : '{}';
    const answer = await fetch(backend.urls.otlp, { method: 'POST', headers, body: new TextEncoder().encode(body) });
    expect({ status: answer.status, body: (await answer.json()) as unknown }).toEqual({
      status,
      body: { code: status === 413 ? 8 : 3, message },
    });
    expect(backend.store.spans()).toEqual(before);
  });

  it('answers a malformed JSON export with a JSON google.rpc.Status naming the problem', async () => {
    const answer = await post('not json', { 'content-type': 'application/json' });
    expect(JSON.parse(answer.body.toString())).toEqual({
      code: 3,
      message:
        '[tracehop] Failed to decode the OTLP/JSON export: the body is not JSON (Unexpected token \'o\', "not json" is not valid JSON). Send an ExportTraceServiceRequest as JSON.',
    });
  });

  it('answers an empty or blank JSON body with 400 saying it is empty, not that it was cut', async () => {
    const answers = [];
    for (const body of ['', ' \r\n\t']) {
      const answer = await post(body, { 'content-type': 'application/json' });
      answers.push([answer.status, JSON.parse(answer.body.toString())]);
    }
    const hint = 'Send an ExportTraceServiceRequest as JSON ("{}" is an empty one).';
    expect(answers).toEqual([
      [400, { code: 3, message: `[tracehop] Failed to decode the OTLP/JSON export: the body is empty. ${hint}` }],
      [
        400,
        {
          code: 3,
          message: `[tracehop] Failed to decode the OTLP/JSON export: the body holds only white space. ${hint}`,
        },
      ],
    ]);
  });

  it('answers an empty export ({} or null resourceSpans) with an empty success, and a non-export with 400', async () => {
    const before = backend.store.size;
    const answers = [];
    for (const body of ['{}', '{"resourceSpans":null}', '{"resourceSpans":{}}', '[]', '{"spans":[]}']) {
      const answer = await post(body, { 'content-type': 'application/json' });
      answers.push([answer.status, JSON.parse(answer.body.toString())]);
    }
    const hint = 'Send an ExportTraceServiceRequest as JSON.';
    expect([answers, backend.store.size - before]).toEqual([
      [
        [200, {}],
        [200, {}],
        [
          400,
          {
            code: 3,
            message: `[tracehop] Failed to decode the OTLP/JSON export: "resourceSpans" is not an array. ${hint}`,
          },
        ],
        [
          400,
          {
            code: 3,
            message: `[tracehop] Failed to decode the OTLP/JSON export: the body is not a JSON object. ${hint}`,
          },
        ],
        [
          400,
          {
            code: 3,
            message: `[tracehop] Failed to decode the OTLP/JSON export: the body has no "resourceSpans" array. ${hint}`,
          },
        ],
      ],
      0,
    ]);
  });

  it("stores the spans of exports compressed every way the Collector's otlphttp exporter can: gzip, x-gzip, zlib, deflate", async () => {
    const ids = ['00f067aa0ba902b1', '00f067aa0ba902b2', '00f067aa0ba902b3', '00f067aa0ba902b4', '00f067aa0ba902b5'];
    const bodyOf = (id: string): Buffer => Buffer.from(JSON.stringify(encodeOtlpJson([span(id)])));
    const sent: [string, Buffer][] = [
      ['gzip', gzipSync(bodyOf(ids[0]!))],
      ['X-Gzip', gzipSync(bodyOf(ids[1]!))],
      ['zlib', deflateSync(bodyOf(ids[2]!))],
      ['deflate', deflateSync(bodyOf(ids[3]!))],
      // Raw deflate without the zlib wrapper, as some clients send "deflate".
      ['deflate', deflateRawSync(bodyOf(ids[4]!))],
    ];
    const statuses = [];
    for (const [coding, body] of sent)
      statuses.push((await post(body, { 'content-type': 'application/json', 'content-encoding': coding })).status);
    const stored = new Set(backend.store.spans().map((s) => s.spanId));
    expect([statuses, ids.map((id) => stored.has(asSpanId(id)))]).toEqual([
      [200, 200, 200, 200, 200],
      [true, true, true, true, true],
    ]);
  });

  it('stores a zstd export where Node.js reads zstd, and elsewhere answers 415 saying which Node.js does', async () => {
    const zstdCompress = (zlib as { zstdCompressSync?: (data: Buffer) => Buffer }).zstdCompressSync;
    const json = Buffer.from(JSON.stringify(encodeOtlpJson([span('00f067aa0ba902b6')])));
    // Where Node.js has no zstd the body is refused unread: any bytes stand in.
    const body = zstdCompress ? zstdCompress(json) : Buffer.from('28b52ffd', 'hex');
    const answer = await fetch(backend.urls.otlp, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' },
      body: Uint8Array.from(body),
    });
    const stored = backend.store.spans().some((s) => s.spanId === '00f067aa0ba902b6');
    if (zstdCompress) expect([answer.status, stored]).toEqual([200, true]);
    else
      expect([answer.status, answer.headers.get('accept-encoding'), await answer.json(), stored]).toEqual([
        415,
        'gzip, deflate',
        {
          code: 3,
          message: `[tracehop] Failed to accept the OTLP export: the body is zstd-compressed, and Node.js ${process.version} cannot decompress zstd (Node.js 22.15 or later, or 23.8 or later on 23, can). Send gzip, deflate or no Content-Encoding (in the Collector: compression: gzip).`,
        },
        false,
      ]);
  });

  it.each(['snappy', 'constructor', '__proto__'])(
    'answers 415 naming the content coding %s, with Accept-Encoding naming those it reads',
    async (coding) => {
      const answer = await fetch(backend.urls.otlp, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': coding },
        body: 'abc',
      });
      expect([answer.status, answer.headers.get('accept-encoding'), await answer.json()]).toEqual([
        415,
        READABLE,
        {
          code: 3,
          message: `[tracehop] Failed to accept the OTLP export: the content encoding "${coding}" is not supported. Send ${READABLE} or no Content-Encoding (OTLP/HTTP requires only gzip).`,
        },
      ]);
    },
  );

  it('answers 415 naming an unknown content type', async () => {
    const answer = await post('x', { 'content-type': 'text/plain' });
    expect(JSON.parse(answer.body.toString())).toEqual({
      code: 3,
      message:
        '[tracehop] Failed to accept the OTLP export: the content type "text/plain" is not OTLP. Send application/json or application/x-protobuf.',
    });
  });

  it('answers 413 to a body over the limit and to a gzip body that inflates over it', async () => {
    const big = await post('x'.repeat(LIMIT + 1), { 'content-type': 'application/json' });
    const bomb = await post(gzipSync(Buffer.alloc(LIMIT * 4, 0x20)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    const bombBody = JSON.parse(bomb.body.toString()) as unknown;
    expect([big.status, bomb.status, bombBody]).toEqual([
      413,
      413,
      {
        code: 8,
        message: `[tracehop] Failed to accept the OTLP export: the body inflates to more than ${LIMIT} bytes. Export smaller batches.`,
      },
    ]);
  });

  it('answers 413 and closes the connection on a chunked export that keeps coming past the limit', async () => {
    const chunk = '['.repeat(LIMIT + 1);
    const raw = await rawRequest(
      backend.urls.otlp,
      `POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n`,
    );
    expect({ status: statusOf(raw), close: /\r\nconnection: close\r\n/i.test(raw) }).toEqual({
      status: 413,
      close: true,
    });
  });

  it('answers 400 to a corrupt gzip or deflate body, naming the coding', async () => {
    const answers = [];
    for (const coding of ['gzip', 'deflate']) {
      const answer = await post(Buffer.from('not compressed at all'), {
        'content-type': 'application/json',
        'content-encoding': coding,
      });
      answers.push([answer.status, JSON.parse(answer.body.toString())]);
    }
    expect(answers).toEqual([
      [
        400,
        {
          code: 3,
          message:
            '[tracehop] Failed to accept the OTLP export: the gzip body is corrupt (incorrect header check). Send a complete gzip body or no Content-Encoding.',
        },
      ],
      [
        400,
        {
          code: 3,
          message:
            '[tracehop] Failed to accept the OTLP export: the deflate body is corrupt (incorrect header check). Send a complete deflate body or no Content-Encoding.',
        },
      ],
    ]);
  });

  it('survives clients that disconnect mid-body and keeps serving with every span intact', async () => {
    const before = backend.store.spans();
    const head = `POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"resourceSpans":[`;
    const abandoned = await rawRequest(backend.urls.otlp, head, { abandon: true });
    const truncated = await rawRequest(backend.urls.otlp, `${head}\r\n`, { abandon: true });
    expect([abandoned, truncated]).toEqual(['', '']);
    const after = await post(JSON.stringify(encodeOtlpJson([span('00f067aa0ba902bd')])), {
      'content-type': 'application/json',
    });
    expect(after.status).toBe(200);
    expect(backend.store.spans().slice(0, before.length)).toEqual(before);
  });

  it('answers GET on the traces path with 405, and a metrics export with 404 and how to send it elsewhere', async () => {
    const get = await fetch(backend.urls.otlp);
    const elsewhere = await fetch(backend.urls.otlp.replace('/v1/traces', '/v1/metrics'), {
      method: 'POST',
      body: '{}',
    });
    expect([
      { status: get.status, allow: get.headers.get('allow'), body: (await get.json()) as unknown },
      { status: elsewhere.status, body: (await elsewhere.json()) as unknown },
    ]).toEqual([
      {
        status: 405,
        allow: 'POST, OPTIONS',
        body: {
          code: 12,
          message:
            '[tracehop] Failed to handle GET /v1/traces: the OTLP receiver only accepts POST /v1/traces. Point the exporter at the "otlp" URL tracehop printed.',
        },
      },
      {
        status: 404,
        body: {
          code: 12,
          message:
            '[tracehop] Failed to handle POST /v1/metrics: this is the OTLP metrics endpoint, and tracehop\'s receiver takes traces only, at POST /v1/traces. Point only the trace exporter at tracehop: set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to the "otlp" URL tracehop printed instead of OTEL_EXPORTER_OTLP_ENDPOINT, or set OTEL_METRICS_EXPORTER=none.',
        },
      },
    ]);
  });

  it('answers CORS preflights so a web build can export cross-origin, with any header its exporter sends', async () => {
    const response = await fetch(backend.urls.otlp, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:8081',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-honeycomb-team,DD-API-KEY',
      },
    });
    expect({
      status: response.status,
      origin: response.headers.get('access-control-allow-origin'),
      headers: response.headers.get('access-control-allow-headers'),
      vary: response.headers.get('vary'),
    }).toEqual({
      status: 204,
      origin: 'http://localhost:8081',
      vary: 'origin, access-control-request-headers',
      headers:
        'content-type, content-encoding, authorization, traceparent, tracestate, baggage, b3, x-b3-traceid, x-b3-spanid, x-b3-parentspanid, x-b3-sampled, x-b3-flags, x-honeycomb-team, dd-api-key',
    });
  });

  it("carries CORS headers on every error answer to a web page's request (a browser hides an answer without them), exposing Allow on a 405", async () => {
    const page = 'http://localhost:8081';
    const origin = new URL(backend.urls.otlp).origin;
    const ask = async (url: string, method: string, headers: Record<string, string> = {}, body?: string) => {
      const response = await fetch(url, { method, headers: { origin: page, ...headers }, body });
      await response.arrayBuffer();
      const field = (name: string): string | null => response.headers.get(name);
      return [
        response.status,
        field('access-control-allow-origin'),
        field('access-control-allow-credentials'),
        field('access-control-expose-headers'),
        field('allow'),
      ];
    };
    const json = { 'content-type': 'application/json' };
    const preflight = (method: string): Record<string, string> => ({
      'access-control-request-method': method,
      'access-control-request-headers': 'content-type',
    });
    const answers = {
      preflightPost: await ask(backend.urls.otlp, 'OPTIONS', preflight('POST')),
      preflightPut: await ask(backend.urls.spans, 'OPTIONS', preflight('PUT')),
      getTraces: await ask(backend.urls.otlp, 'GET'),
      putTraces: await ask(backend.urls.otlp, 'PUT', json, '{}'),
      putSpans: await ask(backend.urls.spans, 'PUT', json, '{}'),
      postCaptures: await ask(`${origin}/__tracehop/captures`, 'POST', json, '{}'),
      badJson: await ask(backend.urls.otlp, 'POST', json, '{'),
      plainText: await ask(backend.urls.otlp, 'POST', { 'content-type': 'text/plain' }, '{}'),
      atRoot: await ask(`${origin}/`, 'POST', json, '{}'),
      hugeBaggage: await ask(backend.urls.otlp, 'POST', { ...json, baggage: `b=${'a'.repeat(20_000)}` }, '{}'),
    };
    const cors = [page, 'true'];
    expect(answers).toEqual({
      preflightPost: [204, ...cors, null, null],
      preflightPut: [204, ...cors, null, null],
      getTraces: [405, ...cors, 'allow', 'POST, OPTIONS'],
      putTraces: [405, ...cors, 'allow', 'POST, OPTIONS'],
      putSpans: [405, ...cors, 'allow', 'GET, HEAD, DELETE, OPTIONS'],
      postCaptures: [405, ...cors, 'allow', 'GET, HEAD, OPTIONS'],
      badJson: [400, ...cors, null, null],
      plainText: [415, ...cors, null, null],
      atRoot: [404, ...cors, null, null],
      hugeBaggage: [431, ...cors, null, null],
    });
  });

  it('serves every stored span as one OTLP/JSON document on the spans URL, and answers HEAD there too', async () => {
    const response = await fetch(backend.urls.spans);
    const document = (await response.json()) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    const count = document.resourceSpans.flatMap((r) => r.scopeSpans).flatMap((s) => s.spans).length;
    const head = await fetch(backend.urls.spans, { method: 'HEAD' });
    expect([count, head.status, head.headers.get('content-type'), await head.text()]).toEqual([
      backend.store.size,
      200,
      'application/json',
      '',
    ]);
  });

  it('writes the spans document in pieces, byte for byte what one JSON.stringify would give', async () => {
    const own = await startBackend();
    try {
      const many = Array.from({ length: 4_500 }, (_, i): Span => ({
        traceId: asTraceId((i + 1).toString(16).padStart(32, '0')),
        spanId: asSpanId((i + 1).toString(16).padStart(16, '0')),
        name: `op-${i}`,
        kind: 'server',
        service: i % 3 === 0 ? 'payment-api' : 'api-gateway',
        startTimeMs: 1_795_651_200_000 + i,
        endTimeMs: 1_795_651_200_001 + i,
        attributes: { n: i },
      }));
      own.store.add(...many);
      const text = await (await fetch(own.urls.spans)).text();
      expect(text === JSON.stringify(encodeOtlpJson(own.store.snapshot()))).toBe(true);
    } finally {
      await own.stop();
    }
  });

  it('leaves no listener behind on the response while it waits for the client to drain each piece', async () => {
    // One piece per service at least, each waiting for 'drain' or 'close': the loser's listeners must go.
    const own = await startBackend();
    const closeListeners: number[] = [];
    const write = ServerResponse.prototype.write;
    const spy = jest.spyOn(ServerResponse.prototype, 'write').mockImplementation(function (
      this: ServerResponse,
      ...args: unknown[]
    ) {
      closeListeners.push(this.listenerCount('close'));
      return (write as (...rest: unknown[]) => boolean).apply(this, args);
    });
    try {
      const many = Array.from({ length: 2_400 }, (_, i): Span => ({
        traceId: asTraceId((i + 1).toString(16).padStart(32, '0')),
        spanId: asSpanId((i + 1).toString(16).padStart(16, '0')),
        name: `op-${i}-${'x'.repeat(200)}`,
        kind: 'server',
        service: `service-${i % 40}`,
        startTimeMs: 1_795_651_200_000 + i,
        endTimeMs: 1_795_651_200_001 + i,
        attributes: { n: i },
      }));
      own.store.add(...many);
      const text = await (await fetch(own.urls.spans)).text();
      expect({
        length: text.length > 600_000,
        writes: closeListeners.length,
        most: Math.max(...closeListeners),
      }).toEqual({
        length: true,
        writes: 121,
        most: closeListeners[0],
      });
    } finally {
      spy.mockRestore();
      await own.stop();
    }
  });

  it('answers raw HTTP with a status line even for a request it rejects', async () => {
    const raw = await rawRequest(
      backend.urls.otlp,
      'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx',
    );
    expect(statusOf(raw)).toBe(415);
  });
});

describe('the OTLP/HTTP receiver of a backend started with no body limit', () => {
  it("takes exports up to 20 MiB, the Collector's default, and answers 413 above", async () => {
    const plain = await startBackend({
      topology: { services: [{ name: 'api-gateway', firstParty: true, routes: [] }] },
    });
    try {
      // One span whose attribute makes a 5 MiB export: over the services' 4 MiB, under the receiver's 20.
      const big = {
        ...span('00f067aa0ba902bf'),
        attributes: { 'exception.stacktrace': 'at f (a.js:1:1)\n'.repeat(330_000) },
      };
      const body = JSON.stringify(encodeOtlpJson([big]));
      const post = (data: string) =>
        fetch(plain.urls.otlp, { method: 'POST', headers: { 'content-type': 'application/json' }, body: data });
      const kept = await post(body);
      const refused = await post('x'.repeat(20 * 1024 * 1024 + 1));
      expect([
        body.length > 5 * 1024 * 1024,
        kept.status,
        plain.store.size,
        refused.status,
        await refused.json(),
      ]).toEqual([
        true,
        200,
        1,
        413,
        {
          code: 8,
          message:
            '[tracehop] Failed to accept the OTLP export: the body is larger than 20971520 bytes. Export smaller batches.',
        },
      ]);
    } finally {
      await plain.stop();
    }
  });
});

describe('the OTLP/HTTP receiver, told what was sent to the wrong place', () => {
  const otherSignal = (signal: string): string =>
    `[tracehop] Failed to accept the OTLP export: the body is an OTLP ${signal} export, and tracehop's receiver takes traces only, at /v1/traces. Point only the trace exporter at the "otlp" URL tracehop printed, or do not export ${signal} to it.`;

  it.each([
    ['logs', sdkLogsRequest],
    ['metrics', sdkMetricsRequest],
  ])('refuses an SDK %s export in protobuf with 400 and a protobuf Status saying so', async (signal, request) => {
    const before = backend.store.spans();
    const plain = await post(await request(), { 'content-type': 'application/x-protobuf' });
    const gzipped = await post(gzipSync(await request()), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    expect([plain, gzipped].map((a) => ({ status: a.status, type: a.type, body: rpcStatus(a.body) }))).toEqual(
      Array(2).fill({ status: 400, type: 'application/x-protobuf', body: { code: 3, message: otherSignal(signal) } }),
    );
    expect(backend.store.spans()).toEqual(before);
  });

  it.each([
    ['logs', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'payment accepted' } }] }] }] }],
    ['metrics', { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'orders', sum: { dataPoints: [] } }] }] }] }],
  ])('refuses an OTLP/JSON %s export with 400 naming the signal', async (signal, document) => {
    const answer = await post(JSON.stringify(document), { 'content-type': 'application/json' });
    expect({ status: answer.status, body: JSON.parse(answer.body.toString()) as unknown }).toEqual({
      status: 400,
      body: { code: 3, message: otherSignal(signal) },
    });
  });

  it('says a JSON body labelled protobuf looks like JSON, in a protobuf Status', async () => {
    const before = backend.store.spans();
    const body = `  ${JSON.stringify(encodeOtlpJson([span('00f067aa0ba902d1')]))}`;
    const answers = [
      await post(body, { 'content-type': 'application/x-protobuf' }),
      await post('[]', { 'content-type': 'application/protobuf' }),
    ];
    expect(answers.map((a) => ({ status: a.status, type: a.type, body: rpcStatus(a.body) }))).toEqual(
      Array(2).fill({
        status: 400,
        type: 'application/x-protobuf',
        body: {
          code: 3,
          message:
            '[tracehop] Failed to decode the OTLP protobuf export: the body looks like JSON (it starts with "{" or "["), not protobuf. Send an OTLP/JSON body with Content-Type application/json.',
        },
      }),
    );
    expect(backend.store.spans()).toEqual(before);
  });

  it('answers 404 and 405 to a protobuf request with a protobuf Status', async () => {
    const headers = { 'content-type': 'application/x-protobuf' };
    const elsewhere = await fetch(backend.urls.otlp.replace('/v1/traces', '/v1/logs'), {
      method: 'POST',
      headers,
      body: new Uint8Array(0),
    });
    const put = await fetch(backend.urls.otlp, { method: 'PUT', headers, body: new Uint8Array(0) });
    const read = async (r: Response) => ({
      status: r.status,
      type: r.headers.get('content-type'),
      body: rpcStatus(new Uint8Array(await r.arrayBuffer())),
    });
    const hint = 'Point the exporter at the "otlp" URL tracehop printed.';
    expect([await read(elsewhere), await read(put)]).toEqual([
      {
        status: 404,
        type: 'application/x-protobuf',
        body: {
          code: 12,
          message:
            '[tracehop] Failed to handle POST /v1/logs: this is the OTLP logs endpoint, and tracehop\'s receiver takes traces only, at POST /v1/traces. Point only the trace exporter at tracehop: set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to the "otlp" URL tracehop printed instead of OTEL_EXPORTER_OTLP_ENDPOINT, or set OTEL_LOGS_EXPORTER=none.',
        },
      },
      {
        status: 405,
        type: 'application/x-protobuf',
        body: {
          code: 12,
          message: `[tracehop] Failed to handle PUT /v1/traces: the OTLP receiver only accepts POST /v1/traces. ${hint}`,
        },
      },
    ]);
  });

  it('tells an exporter whose OTEL_EXPORTER_OTLP_ENDPOINT is the full otlp URL that it is a base URL', async () => {
    const answer = await fetch(`${backend.urls.otlp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(encodeOtlpJson([span('00f067aa0ba902d2')])),
    });
    expect({ status: answer.status, body: (await answer.json()) as unknown }).toEqual({
      status: 404,
      body: {
        code: 12,
        message:
          '[tracehop] Failed to handle POST /v1/traces/v1/traces: the path holds /v1/traces twice, as when OTEL_EXPORTER_OTLP_ENDPOINT is set to the full "otlp" URL. OTEL_EXPORTER_OTLP_ENDPOINT is a base URL (exporters append /v1/traces): set it to the "otlp" URL without /v1/traces, or set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to the full URL.',
      },
    });
  });

  it('tells an exporter whose OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is the origin that it is used as is', async () => {
    const answer = await fetch(`${new URL(backend.urls.otlp).origin}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(encodeOtlpJson([span('00f067aa0ba902d4')])),
    });
    expect({ status: answer.status, body: (await answer.json()) as unknown }).toEqual({
      status: 404,
      body: {
        code: 12,
        message:
          '[tracehop] Failed to handle POST /: the path is /, as when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or the exporter\'s url is the receiver\'s origin (exporters use it as is, appending nothing), and the receiver takes exports at /v1/traces. Set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (or url) to the full "otlp" URL tracehop printed, ending in /v1/traces, or set OTEL_EXPORTER_OTLP_ENDPOINT to its origin (exporters append /v1/traces to that one).',
      },
    });
  });

  it('tells the Zipkin exporter, at its own path or at the otlp URL, that the receiver takes OTLP only', async () => {
    // The body @opentelemetry/exporter-zipkin 2.x sent for one span, as captured.
    const zipkin =
      '[{"traceId":"e154212ff6472a28cebe43b3642576b9","name":"s","id":"75826ad803318714","timestamp":1796445333617000,"duration":123,"localEndpoint":{"serviceName":"z"},"tags":{"service.name":"z"}}]';
    const jaeger = JSON.stringify({
      data: [{ traceID: 'e154212ff6472a28cebe43b3642576b9', spans: [], processes: {} }],
    });
    const before = backend.store.spans();
    const send = async (url: string, body: string) => {
      const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: answer.status, body: (await answer.json()) as unknown };
    };
    const origin = new URL(backend.urls.otlp).origin;
    const hint =
      'Export with an OTLP exporter (OTEL_TRACES_EXPORTER=otlp, @opentelemetry/exporter-trace-otlp-http or -proto) to the "otlp" URL tracehop printed, or save these spans to a file and run tracehop check on it.';
    expect([
      await send(`${origin}/api/v2/spans`, zipkin),
      await send(backend.urls.otlp, zipkin),
      await send(backend.urls.otlp, jaeger),
      await send(backend.urls.otlp, '[1]'),
    ]).toEqual([
      {
        status: 404,
        body: {
          code: 12,
          message: `[tracehop] Failed to handle POST /api/v2/spans: this is Zipkin's span endpoint, and tracehop's receiver takes OTLP only, at POST /v1/traces. ${hint}`,
        },
      },
      {
        status: 400,
        body: {
          code: 3,
          message: `[tracehop] Failed to decode the OTLP/JSON export: the body is a list of Zipkin v2 spans, not an OTLP export: tracehop's receiver takes OTLP only. ${hint}`,
        },
      },
      {
        status: 400,
        body: {
          code: 3,
          message: `[tracehop] Failed to decode the OTLP/JSON export: the body is Jaeger JSON, not an OTLP export: tracehop's receiver takes OTLP only. ${hint}`,
        },
      },
      {
        status: 400,
        body: {
          code: 3,
          message:
            '[tracehop] Failed to decode the OTLP/JSON export: the body is not a JSON object. Send an ExportTraceServiceRequest as JSON.',
        },
      },
    ]);
    expect(backend.store.spans()).toEqual(before);
  });

  it('takes an export whose request target is in absolute form, as sent through a proxy', async () => {
    const body = JSON.stringify(encodeOtlpJson([span('00f067aa0ba902d3')]));
    const target = `${backend.urls.otlp}?via=proxy`;
    const raw = await rawRequest(
      backend.urls.otlp,
      `POST ${target} HTTP/1.1\r\nHost: ${new URL(target).host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect({
      status: statusOf(raw),
      body: bodyOf(raw),
      stored: backend.store.spans().some((s) => s.spanId === '00f067aa0ba902d3'),
    }).toEqual({ status: 200, body: '{}', stored: true });
  });
});

describe('the OTLP/HTTP receiver, given OTLP/JSON of the wrong shape', () => {
  const hint = 'Send an ExportTraceServiceRequest as JSON: resourceSpans, scopeSpans and spans are arrays of objects.';
  const good = () => encodeOtlpJson([span('00f067aa0ba902d4')]).resourceSpans[0]!;

  it.each([
    ['scopeSpans that is an object', { scopeSpans: { spans: [] } }, 'resourceSpans[1].scopeSpans is not an array'],
    [
      'spans that is an object',
      { scopeSpans: [{ spans: {} }] },
      'resourceSpans[1].scopeSpans[0].spans is not an array',
    ],
    ['a resource entry that is a string', 'resource', 'resourceSpans[1] is not a ResourceSpans object'],
    [
      'a scope entry that is a number',
      { scopeSpans: [7] },
      'resourceSpans[1].scopeSpans[0] is not a ScopeSpans object',
    ],
  ])('refuses a request with %s as a whole: 400 naming the JSON path, nothing stored', async (_label, entry, cause) => {
    const before = backend.store.spans();
    const answer = await post(JSON.stringify({ resourceSpans: [good(), entry] }), {
      'content-type': 'application/json',
    });
    expect({ status: answer.status, body: JSON.parse(answer.body.toString()) as unknown }).toEqual({
      status: 400,
      body: { code: 3, message: `[tracehop] Failed to decode the OTLP/JSON export: ${cause}. ${hint}` },
    });
    expect(backend.store.spans()).toEqual(before);
  });
});
