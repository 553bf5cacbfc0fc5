import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { asSpanId, asTraceId, type Span } from '../model';
import { encodeExportResponse, encodeRpcStatus } from '../model/otlp-responses';
import { createForwarder, forwardUrlFrom } from './forwarder';

const SPAN: Span = {
  traceId: asTraceId('4bf92f3577b34da6a3ce929d0e0e4736'),
  spanId: asSpanId('00f067aa0ba902b7'),
  name: 'op',
  kind: 'server',
  service: 'api-gateway',
  startTimeMs: 1,
  endTimeMs: 2,
  attributes: {},
};

/**
 * A collector that answers every export with `status` (the n-th export with the n-th of a list, the last
 * repeated), with `answer`'s Retry-After, content type and body when given (else '{}' untyped), and records
 * the bodies and their content types.
 */
async function collector(
  status: number | readonly number[],
  answer: { retryAfter?: string; type?: string; body?: string | Uint8Array } = {},
): Promise<{ url: string; bodies: string[]; exports: { type: string; body: Buffer }[]; server: Server }> {
  const bodies: string[] = [];
  const exports: { type: string; body: Buffer }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push(body.toString());
      exports.push({ type: request.headers['content-type'] ?? '(none)', body });
      const statuses = typeof status === 'number' ? [status] : status;
      response.statusCode = statuses[Math.min(exports.length, statuses.length) - 1] ?? 200;
      if (answer.retryAfter !== undefined) response.setHeader('retry-after', answer.retryAfter);
      if (answer.type !== undefined) response.setHeader('content-type', answer.type);
      response.end(answer.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, bodies, exports, server };
}

/** A collector that accepts connections and never answers; `close` ends them and stops listening. */
async function silentCollector(): Promise<{ url: string; sockets: Socket[]; close: () => void }> {
  const sockets: Socket[] = [];
  const silent = createTcpServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/traces`,
    sockets,
    close: () => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    },
  };
}

const HINT =
  'Check TRACEHOP_FORWARD_OTLP points at a running OTLP/HTTP collector (…/v1/traces); tracehop keeps serving and storing spans meanwhile.';

const PARTIAL_HINT =
  "The collector's message says why it dropped them (its own limits or validation); tracehop's store keeps every span.";

describe('createForwarder', () => {
  it('sends queued spans as one OTLP/JSON export and reports nothing on success', async () => {
    const target = await collector(200);
    const warnings: string[] = [];
    const forwarder = createForwarder(target.url, (message) => warnings.push(message));
    forwarder.add([SPAN]);
    forwarder.add([{ ...SPAN, spanId: asSpanId('00f067aa0ba902b8') }]);
    await forwarder.flush();
    target.server.close();
    const ids = target.bodies.map((body) =>
      (
        JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] }
      ).resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.spanId),
    );
    expect({ ids, warnings }).toEqual({ ids: [['00f067aa0ba902b7', '00f067aa0ba902b8']], warnings: [] });
  });

  it('reports a failing collector once, however many exports fail', async () => {
    const target = await collector(500);
    const warnings: string[] = [];
    const forwarder = createForwarder(target.url, (message) => warnings.push(message));
    forwarder.add([SPAN]);
    await forwarder.flush();
    forwarder.add([SPAN]);
    await forwarder.flush();
    target.server.close();
    expect({ exports: target.bodies.length, warnings }).toEqual({
      exports: 2,
      warnings: [`[tracehop] Failed to forward spans to "${target.url}": the collector answered 500. ${HINT}`],
    });
  });

  it('sends an export again after a 503 with Retry-After, as exporters do, and reports nothing once it is taken', async () => {
    const target = await collector([503, 200], { retryAfter: '0' });
    const warnings: string[] = [];
    const forwarder = createForwarder(target.url, (message) => warnings.push(message));
    forwarder.add([SPAN]);
    await forwarder.flush();
    target.server.close();
    expect({ exports: target.bodies.map(spanIdsOf), warnings }).toEqual({
      exports: [['00f067aa0ba902b7'], ['00f067aa0ba902b7']],
      warnings: [],
    });
  });

  it('gives an export up after maxAttempts busy answers (429), saying how often it was tried', async () => {
    const target = await collector(429, { retryAfter: '0' });
    const warnings: string[] = [];
    const forwarder = createForwarder(target.url, (message) => warnings.push(message), { maxAttempts: 3 });
    forwarder.add([SPAN]);
    await forwarder.flush();
    target.server.close();
    expect({ exports: target.bodies.length, warnings }).toEqual({
      exports: 3,
      warnings: [
        `[tracehop] Failed to forward spans to "${target.url}": the collector answered 429 to each of 3 tries. ${HINT}`,
      ],
    });
  });

  it("reports a partial success (spans the collector rejected) with the collector's message, JSON or protobuf", async () => {
    const json = await collector(200, {
      type: 'application/json',
      body: '{"partialSuccess":{"rejectedSpans":"1","errorMessage":"span 00f067aa0ba902b8: name too long"}}',
    });
    const protobuf = await collector(200, {
      type: 'application/x-protobuf',
      body: encodeExportResponse({ rejectedSpans: 2, errorMessage: 'quota: 2 spans dropped' }),
    });
    const warnings: string[] = [];
    const viaJson = createForwarder(json.url, (message) => warnings.push(message));
    viaJson.add([SPAN, { ...SPAN, spanId: asSpanId('00f067aa0ba902b8') }]);
    await viaJson.flush();
    const viaProtobuf = createForwarder(protobuf.url, (message) => warnings.push(message));
    viaProtobuf.addExport(Buffer.from([0x0a, 0x00]), 'application/x-protobuf', 3);
    await viaProtobuf.flush();
    json.server.close();
    protobuf.server.close();
    expect(warnings).toEqual([
      `[tracehop] Failed to forward spans to "${json.url}": the collector rejected 1 of an export's 2 spans ("span 00f067aa0ba902b8: name too long"). ${PARTIAL_HINT}`,
      `[tracehop] Failed to forward spans to "${protobuf.url}": the collector rejected 2 of an export's 3 spans ("quota: 2 spans dropped"). ${PARTIAL_HINT}`,
    ]);
  });

  it("quotes the message of a refusal's google.rpc.Status, JSON or protobuf, and of a plain-text answer", async () => {
    const targets = [
      await collector(400, { type: 'application/json', body: '{"code":3,"message":"unknown field \\"foo\\""}' }),
      await collector(400, { type: 'application/x-protobuf', body: encodeRpcStatus(3, 'proto: cannot parse') }),
      await collector(401, { type: 'text/plain; charset=utf-8', body: 'missing api key\n' }),
      await collector(404, { type: 'text/html', body: '<html>404</html>' }),
    ];
    const warnings: string[] = [];
    for (const target of targets) {
      const forwarder = createForwarder(target.url, (message) => warnings.push(message));
      forwarder.add([SPAN]);
      await forwarder.flush();
      target.server.close();
    }
    const [json, protobuf, text, html] = targets.map((target) => target.url);
    expect(warnings).toEqual([
      `[tracehop] Failed to forward spans to "${json}": the collector answered 400 ("unknown field \\"foo\\""). ${HINT}`,
      `[tracehop] Failed to forward spans to "${protobuf}": the collector answered 400 ("proto: cannot parse"). ${HINT}`,
      `[tracehop] Failed to forward spans to "${text}": the collector answered 401 ("missing api key"). ${HINT}`,
      `[tracehop] Failed to forward spans to "${html}": the collector answered 404. ${HINT}`,
    ]);
  });

  it('splits a long queue into exports of at most maxBatch spans, in order', async () => {
    const target = await collector(200);
    const forwarder = createForwarder(target.url, () => undefined, { maxBatch: 2 });
    forwarder.add(['01', '02', '03', '04', '05'].map((n) => ({ ...SPAN, spanId: asSpanId(`00f067aa0ba902${n}`) })));
    await forwarder.flush();
    target.server.close();
    expect(target.bodies.map(spanIdsOf)).toEqual([
      ['00f067aa0ba90201', '00f067aa0ba90202'],
      ['00f067aa0ba90203', '00f067aa0ba90204'],
      ['00f067aa0ba90205'],
    ]);
  });

  it('sends a received export byte for byte with its content type, in order, batching only the added spans', async () => {
    const target = await collector(200);
    const forwarder = createForwarder(target.url, () => undefined, { maxBatch: 1 });
    // Not even protobuf: the forwarder passes on what it was given, whatever it holds.
    const received = Buffer.from([0x0a, 0x00, 0xff, 0x80, 0x7b]);
    forwarder.add([SPAN, { ...SPAN, spanId: asSpanId('00f067aa0ba902b8') }]);
    forwarder.addExport(received, 'application/x-protobuf', 2);
    forwarder.add([{ ...SPAN, spanId: asSpanId('00f067aa0ba902b9') }]);
    await forwarder.flush();
    target.server.close();
    expect(
      target.exports.map(({ type, body }) =>
        type === 'application/json' ? spanIdsOf(body.toString()) : { type, body },
      ),
    ).toEqual([
      ['00f067aa0ba902b7'],
      ['00f067aa0ba902b8'],
      { type: 'application/x-protobuf', body: received },
      ['00f067aa0ba902b9'],
    ]);
  });

  it('counts the spans of received exports among those never sent at the flush deadline', async () => {
    const { url, close } = await silentCollector();
    const warnings: string[] = [];
    const forwarder = createForwarder(url, (message) => warnings.push(message));
    forwarder.addExport(Buffer.from('{}'), 'application/json', 1);
    forwarder.addExport(Buffer.from('{}'), 'application/json', 3);
    forwarder.add([SPAN]);
    await forwarder.flush(300);
    close();
    expect(warnings).toEqual([
      `[tracehop] Failed to forward spans to "${url}": the collector did not take every span within 300 ms (4 never sent). ${HINT}`,
    ]);
  });

  it('drops received exports past maxQueuedBytes while the collector lags, and says so once', async () => {
    const { url, close } = await silentCollector();
    const warnings: string[] = [];
    const forwarder = createForwarder(url, (message) => warnings.push(message), { maxQueuedBytes: 10 });
    for (let i = 0; i < 3; i++) forwarder.addExport(Buffer.from('{"x":1}'), 'application/json', 1);
    await forwarder.flush(300);
    close();
    expect(warnings).toEqual([
      `[tracehop] Failed to forward spans to "${url}": the collector takes exports slower than they arrive: more than 10 bytes wait to be sent, so exports are dropped from forwarding (tracehop still stores every span). Check that the collector is running and answering; tracehop keeps serving and storing spans meanwhile.`,
      `[tracehop] Failed to forward spans to "${url}": the collector did not take every span within 300 ms. ${HINT}`,
    ]);
  });

  it('reports a collector that refuses connections once, naming the cause', async () => {
    const closed = await collector(200);
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const warnings: string[] = [];
    const forwarder = createForwarder(closed.url, (message) => warnings.push(message));
    forwarder.add([SPAN]);
    await forwarder.flush();
    forwarder.add([SPAN]);
    await forwarder.flush();
    expect(warnings).toEqual([
      `[tracehop] Failed to forward spans to "${closed.url}": connect ECONNREFUSED ${new URL(closed.url).host}. ${HINT}`,
    ]);
  });

  // The URL was echoed whole: a token written into it (https://user:token@collector/...) reached the CI log.
  it('names the collector without the user and password written into its URL', async () => {
    const closed = await collector(200);
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const { host } = new URL(closed.url);
    const warnings: string[] = [];
    const forwarder = createForwarder(closed.url.replace('://', '://ci:s3cret@'), (message) => warnings.push(message));
    forwarder.add([SPAN]);
    await forwarder.flush();
    expect(warnings).toEqual([
      `[tracehop] Failed to forward spans to "http://***@${host}/v1/traces": connect ECONNREFUSED ${host}. ${HINT}`,
    ]);
    expect(forwardUrlFrom('http://ci:s3 cret@collector host/v1/traces', 'TRACEHOP_FORWARD_OTLP')).toEqual({
      ok: false,
      reason: 'invalid-forward-url',
      message:
        '[tracehop] Failed to forward spans: TRACEHOP_FORWARD_OTLP "http://***@collector host/v1/traces" is not an http(s) URL. Set it to a collector URL such as http://127.0.0.1:4318/v1/traces.',
    });
  });

  it('gives up on a collector that never answers at the flush deadline and says so once', async () => {
    const { url, sockets, close } = await silentCollector();
    const warnings: string[] = [];
    const forwarder = createForwarder(url, (message) => warnings.push(message), { maxBatch: 1 });
    forwarder.add([SPAN, SPAN, SPAN]);
    await forwarder.flush(300);
    forwarder.add([SPAN]);
    await forwarder.flush(300);
    close();
    expect({ connections: sockets.length, warnings }).toEqual({
      connections: 1,
      warnings: [
        `[tracehop] Failed to forward spans to "${url}": the collector did not take every span within 300 ms (2 never sent). ${HINT}`,
      ],
    });
  });
});

function spanIdsOf(body: string): string[] {
  return (
    JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] }
  ).resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.spanId);
}
