import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { startBackend } from '../../harness/backend';
import { fakeAppCheckout } from './support/fake-app';

const HINT =
  'Check TRACEHOP_FORWARD_OTLP points at a running OTLP/HTTP collector (…/v1/traces); tracehop keeps serving and storing spans meanwhile.';
const CHECKOUT_SPANS = [
  'api-gateway client',
  'api-gateway server',
  'fraud-service server',
  'mobile-app client',
  'payment-api client',
  'payment-api server',
];

/**
 * A loopback port nothing listens on. A port the OS just handed out and took back would do, but the backend
 * under test binds its own listeners on ports the OS picks, and one of them could take it; port 1 (tcpmux)
 * lies below the range the OS picks from, and nothing serves it.
 */
const REFUSED_PORT = 1;

/** Spans an app's SDK exports with everything tracehop's own model leaves out (resource, scope, events, ...). */
async function richSdkSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'mobile-app', 'service.version': '1.2.3', 'host.name': 'ci' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const link = { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: TraceFlags.SAMPLED };
  const span = provider.getTracer('my-scope', '9.9.9').startSpan('checkout', {
    attributes: { ratio: 2.0 },
    links: [{ context: { ...link, traceState: new TraceState('k=v') } }],
    startTime: [1700000000, 123456789],
  });
  span.addEvent('exception', { 'exception.message': 'boom' }, [1700000000, 223456789]);
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });
  span.end([1700000000, 323456789]);
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

function kinds(spans: readonly { service: string; kind: string }[]): string[] {
  return spans.map((span) => `${span.service} ${span.kind}`).sort();
}

describe('forwarding to TRACEHOP_FORWARD_OTLP', () => {
  it('sends the services’ own spans and the OTLP-received ones to the collector', async () => {
    const collector = await startBackend({
      topology: { services: [{ name: 'collector', firstParty: true, routes: [] }] },
    });
    const warnings: string[] = [];
    const backend = await startBackend({
      forwardOtlpUrl: collector.urls.otlp,
      onWarning: (message) => warnings.push(message),
    });
    try {
      const run = await fakeAppCheckout(backend);
      await backend.stop();
      const forwarded = await collector.store.waitFor((spans) => spans.length >= 6, {
        timeout: 5000,
        description: 'the forwarded checkout spans',
      });
      expect({
        status: run.status,
        forwarded: kinds(forwarded),
        ids: forwarded.map((s) => s.spanId).sort(),
        warnings,
      }).toEqual({
        status: 200,
        forwarded: CHECKOUT_SPANS,
        ids: backend.store
          .spans()
          .map((s) => s.spanId)
          .sort(),
        warnings: [],
      });
    } finally {
      await backend.stop();
      await collector.stop();
    }
  });

  it('forwards the exports it received byte for byte (gzip inflated) with their content type, bad spans too', async () => {
    const received: { type: string | undefined; encoding: string | undefined; body: Buffer }[] = [];
    const sink = createHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const { 'content-type': type, 'content-encoding': encoding } = request.headers;
        received.push({ type, encoding, body: Buffer.concat(chunks) });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const backend = await startBackend({
      forwardOtlpUrl: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/v1/traces`,
    });
    try {
      const spans = await richSdkSpans();
      const json = Buffer.from(JsonTraceSerializer.serializeRequest(spans)!);
      const protobuf = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
      // The same export with one span tracehop rejects (an all-zero span id): the collector gets it as sent.
      const zeroId = Buffer.from(json.toString().replace(spans[0]!.spanContext().spanId, '0'.repeat(16)));
      const post = async (body: Buffer, headers: Record<string, string>) =>
        (await fetch(backend.urls.otlp, { method: 'POST', headers, body: Uint8Array.from(body) })).status;
      const statuses = [
        await post(json, { 'content-type': 'application/json' }),
        await post(gzipSync(protobuf), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }),
        await post(zeroId, { 'content-type': 'application/json' }),
      ];
      await backend.stop();
      expect({ statuses, stored: backend.store.size, received }).toEqual({
        statuses: [200, 200, 200],
        stored: 2,
        received: [
          { type: 'application/json', encoding: undefined, body: json },
          { type: 'application/x-protobuf', encoding: undefined, body: protobuf },
          { type: 'application/json', encoding: undefined, body: zeroId },
        ],
      });
    } finally {
      await backend.stop();
      sink.close();
    }
  });

  it('keeps serving and storing every span while the collector refuses connections, and says so once', async () => {
    const url = `http://127.0.0.1:${REFUSED_PORT}/v1/traces`;
    const warnings: string[] = [];
    const backend = await startBackend({ forwardOtlpUrl: url, onWarning: (message) => warnings.push(message) });
    const first = await fakeAppCheckout(backend);
    const second = await fakeAppCheckout(backend);
    await backend.stop();
    expect({ statuses: [first.status, second.status], stored: backend.store.size, warnings }).toEqual({
      statuses: [200, 200],
      stored: 12,
      warnings: [`[tracehop] Failed to forward spans to "${url}": connect ECONNREFUSED ${new URL(url).host}. ${HINT}`],
    });
  });

  it('answers requests without waiting on a collector that accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/traces`;
    const warnings: string[] = [];
    const backend = await startBackend({ forwardOtlpUrl: url, onWarning: (message) => warnings.push(message) });
    try {
      const first = await fakeAppCheckout(backend);
      // The first export is still waiting on the silent collector; the next checkout is served regardless.
      const second = await fakeAppCheckout(backend);
      expect({
        statuses: [first.status, second.status],
        stored: backend.store.size,
        exportsOpen: sockets.length > 0,
        warnings,
      }).toEqual({
        statuses: [200, 200],
        stored: 12,
        exportsOpen: true,
        warnings: [],
      });
    } finally {
      // Refuse new exports first, so stop() does not wait out the flush deadline on a fresh silent connection.
      silent.close();
      for (const socket of sockets) socket.destroy();
      await backend.stop();
    }
  });

  test.each(['collector:4318', 'ftp://127.0.0.1/v1/traces', 'not a url'])(
    'refuses %j before starting anything',
    async (url) => {
      await expect(startBackend({ forwardOtlpUrl: url })).rejects.toThrow(
        `[tracehop] Failed to forward spans: "${url}" is not an http(s) URL. Pass a collector URL such as http://127.0.0.1:4318/v1/traces.`,
      );
    },
  );

  it.each(['127.0.0.1', 'localhost'])(
    'refuses to forward to its own receiver (%s), which would send every span round for ever, before binding anything',
    async (host) => {
      // The port stays held by this test: a backend that bound before judging would fail with "in use" instead.
      const held = createServer();
      await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
      const { port } = held.address() as AddressInfo;
      const url = `http://${host}:${port}/v1/traces`;
      try {
        await expect(startBackend({ ports: { otlp: port }, forwardOtlpUrl: url })).rejects.toThrow(
          `[tracehop] Failed to forward spans: "${url}" is tracehop's own OTLP receiver (port ${port}), so every forwarded span would come back and be forwarded again. ` +
            "Point TRACEHOP_FORWARD_OTLP (startBackend's forwardOtlpUrl) at your collector's OTLP/HTTP endpoint, such as http://127.0.0.1:4318/v1/traces, on a port tracehop does not use.",
        );
      } finally {
        await new Promise<void>((resolve) => held.close(() => resolve()));
      }
    },
  );

  it('forwards over https too (a refused https collector is reported as refused, not as an unknown protocol)', async () => {
    const port = REFUSED_PORT;
    const warnings: string[] = [];
    const backend = await startBackend({
      forwardOtlpUrl: `https://127.0.0.1:${port}/v1/traces`,
      onWarning: (message) => warnings.push(message),
    });
    await fakeAppCheckout(backend);
    await backend.stop();
    expect(warnings).toEqual([
      `[tracehop] Failed to forward spans to "https://127.0.0.1:${port}/v1/traces": connect ECONNREFUSED 127.0.0.1:${port}. ${HINT}`,
    ]);
  });
});
