import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { runCheckoutJourneySdk } from '../verify/support/checkout-journey';
import { CHAIN, runCli, tempFiles } from './support';
import {
  goStdouttrace,
  jaegerJson,
  jsConsole,
  otlpJsonBareLines,
  otlpJsonLines,
  otlpProtoBare,
  otlpProtoFramed,
  pythonConsole,
  tempoJson,
  zipkinSpans,
} from './support-formats';

const OK_LINE =
  '[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace.\n';
const BROKEN_LINE =
  '[tracehop] Failed to verify traces: 1 problem in 2 traces, 7 spans. Each problem above names the hop that lost the trace context.\n';

let ok: ReadableSpan[];
let broken: ReadableSpan[];
beforeAll(async () => {
  ok = await runCheckoutJourneySdk({ seed: 2026 });
  // api-gateway forgets to forward traceparent to payment-api, which starts a new trace.
  broken = await runCheckoutJourneySdk({
    seed: 2027,
    rewrite: { 'payment-api': (headers) => delete headers.traceparent },
  });
});

/** Two batches per dump, as two exporters would flush them: the backend's spans, then the app's. */
function batches(spans: ReadableSpan[]): ReadableSpan[][] {
  const app = spans.filter((span) => span.resource.attributes['service.name'] === 'mobile-app');
  return [spans.filter((span) => !app.includes(span)), app];
}

type Writer = (spans: ReadableSpan[]) => string | Buffer;
const WRITERS: [string, string, Writer][] = [
  ['otlp-json', 'dump.jsonl', (spans) => otlpJsonLines(batches(spans))],
  ['otlp-json', 'logging-otlp.jsonl', (spans) => otlpJsonBareLines(batches(spans))],
  ['otlp-json', 'tempo.json', tempoJson],
  ['otlp-proto', 'request.pb', otlpProtoBare],
  ['otlp-proto', 'collector.pb', (spans) => otlpProtoFramed(batches(spans))],
  ['jaeger', 'jaeger.json', jaegerJson],
  ['zipkin', 'zipkin.json', (spans) => JSON.stringify(zipkinSpans(spans))],
  ['zipkin', 'zipkin-traces.json', (spans) => JSON.stringify([zipkinSpans(spans)])],
  ['go-stdouttrace', 'stdouttrace.json', (spans) => goStdouttrace(spans, true)],
  ['go-stdouttrace', 'stdouttrace.jsonl', (spans) => goStdouttrace(spans, false, -180)],
  ['python-console', 'console.txt', pythonConsole],
  ['js-console', 'console.log', jsConsole],
];

function write(files: Record<string, string | Buffer>): string {
  const dir = tempFiles({});
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

const TRACEPARENT_WORDS =
  'did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does';
const ZIPKIN_WORDS =
  'did not forward the trace context (B3 or traceparent headers), or payment-api did not read it, as a tracer that reads the other format only does';

const TEMPO_NOTE =
  '[tracehop] Note: "tempo.json" writes ids in base64 (the protobuf JSON mapping, as Grafana Tempo and grpcurl write OTLP); ';

describe('tracehop check reads every format, detected by content or named with --format', () => {
  it.each(WRITERS)('%s (%s): a sound checkout passes', async (format, file, writer) => {
    const dir = write({ [file]: writer(ok) });
    for (const extra of [[], ['--format', format]]) {
      const result = await runCli(['check', ...extra, '--expect', CHAIN, file], dir);
      expect([result.code, result.stdout]).toEqual([0, OK_LINE]);
      expect(result.stderr).toBe(file === 'tempo.json' ? `${TEMPO_NOTE}20 ids were decoded to hex.\n` : '');
    }
  });

  it.each(WRITERS)(
    '%s (%s): a dropped traceparent is the same broken-chain as in OTLP/JSON',
    async (format, file, writer) => {
      const dir = write({ [file]: writer(broken), 'reference.jsonl': otlpJsonLines([broken]) });
      const reference = await runCli(['check', '--expect', CHAIN, 'reference.jsonl'], dir);
      const result = await runCli(['check', '--format', format, '--expect', CHAIN, file], dir);
      // Zipkin JSON cannot say which headers carried the context (Zipkin clients send B3, this SDK W3C): both named.
      const expected =
        format === 'zipkin' ? reference.stdout.replace(TRACEPARENT_WORDS, ZIPKIN_WORDS) : reference.stdout;
      expect([result.code, result.stdout]).toEqual([1, expected]);
      expect(expected).not.toBe(format === 'zipkin' ? reference.stdout : '');
      expect([reference.code, reference.stdout.endsWith(BROKEN_LINE)]).toEqual([1, true]);
      expect(reference.stdout).toContain(
        '✗ broken-chain: trace c1fb3ccc6a3f105d8eaa7ca7e6e17b38, span 777e07e947ecf928, service payment-api: api-gateway received the request but payment-api started a new trace (c1fb3ccc instead of f20e22c7): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does',
      );
    },
  );
});

describe('Zipkin quirks', () => {
  it('reads a B3 shared SERVER span (one id for client and server) as a child of the client span, never duplicate-span-id', async () => {
    const spans = zipkinSpans(ok);
    // B3 single-id: each SERVER span reuses its caller's CLIENT span id, and its children name that id.
    for (const server of spans.filter((span) => span.kind === 'SERVER')) {
      const client = spans.find((span) => span.id === server.parentId);
      if (!client) throw new Error('no client span');
      for (const child of spans.filter((span) => span.parentId === server.id)) child.parentId = client.id;
      Object.assign(server, { id: client.id, parentId: client.parentId, shared: true });
    }
    const dir = write({ 'shared.json': JSON.stringify(spans) });
    expect(await runCli(['check', '--expect', CHAIN, 'shared.json'], dir)).toEqual({
      code: 0,
      stdout: OK_LINE,
      stderr: '',
    });
    const json = await runCli(['check', '--json', 'shared.json'], dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, traces: 1, spans: 7, problems: [] });

    // As exporters send them: one batch per service, a line each or a file each, and servers that were not
    // told their parent (no X-B3-ParentSpanId): each server finds its client's span in another batch.
    for (const server of spans.filter((span) => span.shared)) delete server.parentId;
    const serviceOf = (span: Record<string, unknown>): string =>
      String((span.localEndpoint as { serviceName?: string } | undefined)?.serviceName);
    const services = [...new Set(spans.map(serviceOf))];
    const batches = services.map((service) => spans.filter((span) => serviceOf(span) === service));
    const files = Object.fromEntries(batches.map((batch, i) => [`batch-${i}.json`, JSON.stringify(batch)]));
    const split = write({ ...files, 'batches.jsonl': batches.map((batch) => JSON.stringify(batch)).join('\n') });
    const results = await Promise.all([
      runCli(['check', '--expect', CHAIN, 'batches.jsonl'], split),
      runCli(['check', '--expect', CHAIN, ...Object.keys(files).reverse()], split),
    ]);
    expect(results.map((result) => [result.code, result.stdout])).toEqual([
      [0, OK_LINE],
      [0, OK_LINE],
    ]);
  });

  it('left-pads 64-bit trace ids to 32 hex characters', async () => {
    const spans = zipkinSpans(ok).map((span) => ({ ...span, traceId: String(span.traceId).slice(16) }));
    const dir = write({ 'short.json': JSON.stringify(spans) });
    const result = await runCli(['check', '--json', '--expect', CHAIN, 'short.json'], dir);
    expect([result.code, JSON.parse(result.stdout).traces]).toEqual([0, 1]);
    const broken64 = zipkinSpans(broken).map((span) => ({ ...span, traceId: String(span.traceId).slice(16) }));
    const low = String(broken64[0]?.traceId);
    const dir2 = write({ 'short.json': JSON.stringify(broken64) });
    const problems = JSON.parse((await runCli(['check', '--json', '--expect', CHAIN, 'short.json'], dir2)).stdout)
      .problems as { traceId: string }[];
    expect(problems.map((problem) => problem.traceId.slice(0, 16))).toEqual(['0000000000000000']);
    expect(low).toHaveLength(16);
  });
});
