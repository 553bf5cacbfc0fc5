import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOtlpProtobuf } from '../otlp-proto';
import { makeSpan } from '../test-support/make-span';
import { readDumpFile } from './read-dump-file';
import { scratchDir } from '../../test-support/scratch-dir';

const T = 'a'.repeat(32);
const dir = scratchDir('tracehop-answer-');

/** One OTLP ResourceSpans of payment-api holding one span per id. */
function resourceSpans(ids: string[]): unknown {
  return {
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payment-api' } }] },
    scopeSpans: [{ spans: ids.map((spanId) => ({ traceId: T, spanId, name: 'x', kind: 2, startTimeUnixNano: '1' })) }],
  };
}

const jaegerTrace = {
  traceID: T,
  spans: [
    {
      traceID: T,
      spanID: '1'.repeat(16),
      operationName: 'x',
      startTime: 1,
      duration: 1,
      processID: 'p1',
      tags: [{ key: 'span.kind', type: 'string', value: 'server' }],
    },
  ],
  processes: { p1: { serviceName: 'payment-api' } },
};

async function read(name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  const result = await readDumpFile(path, name, { parallel: false });
  return result.ok ? [result.spans.map((span) => [span.spanId.slice(0, 1), span.source?.line]), result.notes] : result;
}

/** What another document holding an empty "trace" gets: no format, as before. */
const OTHER = {
  ok: false,
  reason: 'unknown-format',
  file: 'other.json',
  line: 1,
  message:
    '[tracehop] Failed to read spans from "other.json": line 1 is none of the formats tracehop reads (no OTLP "resourceSpans", no Jaeger "data", not a Zipkin list of spans, no stdouttrace "SpanContext", no ConsoleSpanExporter "context"). tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go\'s stdouttrace and Python\'s and JS\'s ConsoleSpanExporter print; --format names one.',
};
describe('answers of a trace store that say they left traces out', () => {
  it("reads Tempo's PARTIAL trace (/api/v2/traces) and says what it left out", async () => {
    const answer = {
      trace: { resourceSpans: [resourceSpans(['1'.repeat(16)])] },
      metrics: { inspectedBytes: '5000' },
      status: 'PARTIAL',
      message: 'Trace exceeds maximum size of 5000 bytes, a partial trace is returned',
    };
    expect(await read('partial.json', JSON.stringify(answer, null, 2))).toEqual([
      [['1', undefined]],
      [
        '[tracehop] Note: "partial.json" holds an incomplete answer of the trace store: the document is Grafana Tempo\'s PARTIAL trace ("Trace exceeds maximum size of 5000 bytes, a partial trace is returned"). Traces or spans it left out may read as a missing-service or broken-chain that the services did not cause: fetch the trace from Tempo again with a larger max_bytes_per_trace and no q filter, before trusting such a verdict.',
      ],
    ]);
  });

  it("reads Tempo's PARTIAL trace in protobuf (Accept: application/protobuf) with the same note", async () => {
    const trace = Buffer.from(encodeOtlpProtobuf([makeSpan({ id: '1', service: 'payment-api', kind: 'server' })]));
    const message = Buffer.from('Trace filtered, only a subset of spans matching the filter is returned');
    const answer = Buffer.concat([
      Buffer.from([0x0a, trace.length]),
      trace,
      Buffer.from([0x18, 0x01, 0x22, message.length]),
      message,
    ]);
    const path = join(dir, 'partial.pb');
    writeFileSync(path, answer);
    const result = await readDumpFile(path, 'partial.pb', { parallel: false });
    expect(result.ok && [result.spans.map((span) => span.spanId.slice(0, 1)), result.notes]).toEqual([
      ['1'],
      [
        '[tracehop] Note: "partial.pb" holds an incomplete answer of the trace store: the document is Grafana Tempo\'s PARTIAL trace ("Trace filtered, only a subset of spans matching the filter is returned"). Traces or spans it left out may read as a missing-service or broken-chain that the services did not cause: fetch the trace from Tempo again with a larger max_bytes_per_trace and no q filter, before trusting such a verdict.',
      ],
    ]);
  });

  it("reads Tempo's PARTIAL answer whose q filter left no span (an empty trace) as no spans, saying why", async () => {
    const answer = {
      trace: {},
      metrics: { inspectedBytes: '5000' },
      status: 'PARTIAL',
      message: 'Trace filtered, only a subset of spans matching the filter is returned',
    };
    expect(await read('filtered.json', JSON.stringify(answer))).toEqual([
      [],
      [
        '[tracehop] Note: "filtered.json" holds an incomplete answer of the trace store: line 1 is Grafana Tempo\'s PARTIAL trace ("Trace filtered, only a subset of spans matching the filter is returned"). Traces or spans it left out may read as a missing-service or broken-chain that the services did not cause: fetch the trace from Tempo again with a larger max_bytes_per_trace and no q filter, before trusting such a verdict.',
      ],
    ]);
  });

  it("reads Tempo's empty trace with nothing beside it as no spans, and other JSON holding an empty trace as no format", async () => {
    expect(await read('empty.json', '{"trace":{}}')).toEqual([[], []]);
    expect(await read('other.json', '{"trace":{},"user":"x"}')).toEqual(OTHER);
  });

  it("reads Tempo's COMPLETE trace (status left out, as its zero value is) without a note", async () => {
    const answer = { trace: { resourceSpans: [resourceSpans(['1'.repeat(16)])] }, metrics: {} };
    expect(await read('complete.json', JSON.stringify(answer))).toEqual([[['1', 1]], []]);
  });

  it("reads Jaeger's /api/traces answer with errors beside its traces and names the errors", async () => {
    const answer = {
      data: [jaegerTrace],
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ code: 404, msg: 'trace not found' }],
    };
    expect(await read('jaeger.json', JSON.stringify(answer))).toEqual([
      [['1', 1]],
      [
        '[tracehop] Note: "jaeger.json" holds an incomplete answer of the trace store: line 1 is Jaeger\'s answer with errors beside its traces ("404 trace not found"). Traces or spans it left out may read as a missing-service or broken-chain that the services did not cause: fetch the traces the errors name again, before trusting such a verdict.',
      ],
    ]);
  });

  it('reads a Jaeger api/v3 stream cut short by an error after its chunks, and says so', async () => {
    const chunk = (id: string) => JSON.stringify({ result: { resourceSpans: [resourceSpans([id.repeat(16)])] } });
    const error = JSON.stringify({ error: { grpcCode: 4, httpCode: 504, message: 'context deadline exceeded' } });
    expect(await read('stream.json', `${chunk('1')}\n${chunk('2')}\n${error}\n`)).toEqual([
      [
        ['1', 1],
        ['2', 2],
      ],
      [
        '[tracehop] Note: "stream.json" holds an incomplete answer of the trace store: line 3 is an error answer ("504 context deadline exceeded"), not traces. Traces or spans it left out may read as a missing-service or broken-chain that the services did not cause: fetch the answer again, before trusting such a verdict.',
      ],
    ]);
  });

  it('reads the traces of answers saved one after another (curl >>) when some were not found, naming three and counting the rest', async () => {
    const notFound = JSON.stringify({ data: null, errors: [{ code: 404, msg: 'trace not found' }] });
    const text = `${notFound}\n${JSON.stringify({ data: [jaegerTrace] })}\n${[notFound, notFound, notFound].join('\n')}\n`;
    expect(await read('several.json', text)).toEqual([
      [['1', 2]],
      [
        '[tracehop] Note: "several.json" holds 4 incomplete answers of the trace store: line 1 is an error answer ("404 trace not found"), not traces; line 3 is an error answer ("404 trace not found"), not traces; line 4 is an error answer ("404 trace not found"), not traces; and 1 more. Traces or spans they left out may read as a missing-service or broken-chain that the services did not cause: fetch the answer again, before trusting such a verdict.',
      ],
    ]);
  });

  it("refuses Jaeger's answer with an empty data list and errors, naming the error", async () => {
    const answer = { data: [], total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] };
    const result = await read('empty.json', JSON.stringify(answer));
    expect(!Array.isArray(result) && !result.ok && [result.reason, result.message]).toEqual([
      'unknown-format',
      '[tracehop] Failed to read spans from "empty.json": line 1 is an error answer of the trace store ("404 trace not found"), not traces. Save the answer of a query that found the trace: check its id and time range.',
    ]);
  });

  it('refuses a file of error answers alone, naming the first', async () => {
    const notFound = JSON.stringify({ error: { httpCode: 404, message: 'trace not found' } });
    const result = await read('none.json', `${notFound}\n${notFound}\n`);
    expect(!Array.isArray(result) && !result.ok && [result.reason, result.message]).toEqual([
      'unknown-format',
      '[tracehop] Failed to read spans from "none.json": line 1 is an error answer of the trace store ("404 trace not found"), not traces. Save the answer of a query that found the trace: check its id and time range.',
    ]);
  });
});
