import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpan } from '../../harness/model/test-support/make-span';
import { encodeOtlpProtobuf } from '../../harness/model/test-support/otlp-protobuf';
import { ROOT, runCli, tempFiles } from './support';

/** Grafana Tempo's answer for trace `n` (/api/traces/{id}, protojson: base64 ids): mobile-app's call to api-gateway. */
function tempoAnswer(n: number): string {
  const id = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
  const traceId = id(String(n).repeat(32));
  const start = 1_796_445_073_000 + n * 1000;
  const span = (spanId: string, kind: string, parent: string | undefined, from: number, to: number): unknown => ({
    traceId,
    spanId: id(spanId),
    ...(parent ? { parentSpanId: id(parent) } : {}),
    name: 'POST /checkout',
    kind,
    startTimeUnixNano: `${start + from}000000`,
    endTimeUnixNano: `${start + to}000000`,
    attributes: [{ key: 'url.path', value: { stringValue: '/checkout' } }],
  });
  const batch = (service: string, spans: unknown[]): unknown => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [{ scope: { name: 'manual' }, spans }],
  });
  return JSON.stringify({
    batches: [
      batch('mobile-app', [span(`${n}a`.repeat(8), 'SPAN_KIND_CLIENT', undefined, 0, 40)]),
      batch('api-gateway', [span(`${n}b`.repeat(8), 'SPAN_KIND_SERVER', `${n}a`.repeat(8), 5, 35)]),
    ],
  });
}

/** The line that says a check with no problems is no pass: answers of the trace store left spans out. */
function unproven(read: string, answers: string, them: string): string {
  return `[tracehop] Failed to verify traces: ${read} read with no problems, but ${answers} of the trace store left spans out (the note above names ${them}): a hop in the spans left out is not judged, so this is no pass. Fetch those traces whole, as the note says, and check them again.`;
}

/** Tempo's /api/v2/traces/{id} answer for trace `n`: the trace under "trace", with `status` when given. */
function tempoV2Answer(n: number, status?: string, message?: string): string {
  const { batches } = JSON.parse(tempoAnswer(n)) as { batches: unknown[] };
  return JSON.stringify({ trace: { resourceSpans: batches }, metrics: {}, ...(status ? { status } : {}), message });
}

const CUT = 'Trace exceeds maximum size of 5000 bytes, a partial trace is returned';
const PARTIAL_NOTE = (file: string, where = 'line 1'): string =>
  `[tracehop] Note: "${file}" holds an incomplete answer of the trace store: ${where} is Grafana Tempo's PARTIAL trace ("${CUT}"). Traces or spans it left out may read as a missing-service or broken-chain that the services did not cause: fetch the trace from Tempo again with a larger max_bytes_per_trace and no q filter, before trusting such a verdict.\n`;
const BASE64_NOTE = (file: string): string =>
  `[tracehop] Note: "${file}" writes ids in base64 (the protobuf JSON mapping, as Grafana Tempo and grpcurl write OTLP); 5 ids were decoded to hex.\n`;

describe('a check of answers that left spans out is no pass', () => {
  it("passes Tempo's COMPLETE answer (/api/v2/traces), as a check of whole traces", async () => {
    const dir = tempFiles({ 'complete.json': tempoV2Answer(1, 'COMPLETE') });
    const { code, stdout } = await runCli(['check', '--expect', 'mobile-app,api-gateway', 'complete.json'], dir);
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: '[tracehop] OK: 1 trace, 2 spans, no problems; mobile-app -> api-gateway run in one trace.\n',
    });
  });

  it("does not pass Tempo's PARTIAL answer whose spans read have no problem (exit 2, saying why)", async () => {
    const dir = tempFiles({ 'partial.json': tempoV2Answer(1, 'PARTIAL', CUT) });
    const result = await runCli(['check', '--expect', 'mobile-app,api-gateway', 'partial.json'], dir);
    expect(result).toEqual({
      code: 2,
      stdout: `${unproven('1 trace, 2 spans', 'an answer', 'it')}\n`,
      stderr: BASE64_NOTE('partial.json') + PARTIAL_NOTE('partial.json'),
    });
  });

  it('says it in --json as "ok": false and "incompleteAnswers", and on stderr', async () => {
    const dir = tempFiles({ 'partial.json': tempoV2Answer(1, 'PARTIAL', CUT) });
    const { code, stdout, stderr } = await runCli(
      ['check', '--json', '--expect', 'mobile-app,api-gateway', 'partial.json'],
      dir,
    );
    const body = JSON.parse(stdout) as Record<string, unknown>;
    expect({ code, ok: body.ok, incompleteAnswers: body.incompleteAnswers, problems: body.problems, stderr }).toEqual({
      code: 2,
      ok: false,
      incompleteAnswers: 1,
      problems: [],
      stderr: `${BASE64_NOTE('partial.json')}${PARTIAL_NOTE('partial.json')}${unproven('1 trace, 2 spans', 'an answer', 'it')}\n`,
    });
  });

  it("finds defects in a PARTIAL answer as in any other (exit 1), the note saying they may be Tempo's cut", async () => {
    const dir = tempFiles({ 'partial.json': tempoV2Answer(1, 'PARTIAL', CUT) });
    const { code, stdout } = await runCli(
      ['check', '--expect', 'mobile-app,api-gateway,payment-api', 'partial.json'],
      dir,
    );
    expect({ code, last: stdout.trimEnd().split('\n').pop() }).toEqual({
      code: 1,
      last: '[tracehop] Failed to verify traces: 1 problem in 1 trace, 2 spans. Each problem above names the hop that lost the trace context.',
    });
  });

  it("does not pass Tempo's PARTIAL answer in protobuf (Accept: application/protobuf)", async () => {
    const spans = [
      makeSpan({ id: 'a1', service: 'mobile-app', kind: 'client', start: 1000, end: 1040 }),
      makeSpan({ id: 'b1', parent: 'a1', service: 'api-gateway', kind: 'server', start: 1005, end: 1035 }),
    ];
    const trace = Buffer.from(encodeOtlpProtobuf(spans));
    const message = Buffer.from(CUT);
    // TraceByIDResponse {1: trace, 3: status PARTIAL, 4: message}; the trace is over 127 bytes: a 2-byte length.
    const answer = Buffer.concat([
      Buffer.from([0x0a, (trace.length & 0x7f) | 0x80, trace.length >> 7]),
      trace,
      Buffer.from([0x18, 0x01, 0x22, message.length]),
      message,
    ]);
    const dir = tempFiles({});
    writeFileSync(join(dir, 'partial.pb'), answer);
    const result = await runCli(['check', '--expect', 'mobile-app,api-gateway', 'partial.pb'], dir);
    expect(result).toEqual({
      code: 2,
      stdout: `${unproven('1 trace, 2 spans', 'an answer', 'it')}\n`,
      stderr: PARTIAL_NOTE('partial.pb', 'the document'),
    });
  });

  it("does not pass Jaeger's answer with errors beside its traces (a trace asked for was not found)", async () => {
    const jaeger = JSON.parse(readFileSync(join(ROOT, 'fixtures/dumps/checkout-broken.jaeger.json'), 'utf8')) as {
      data: unknown[];
    };
    const answer = { ...jaeger, errors: [{ code: 404, msg: 'trace not found' }] };
    const dir = tempFiles({ 'jaeger.json': JSON.stringify(answer) });
    // Judged each trace on its own, the two traces of the fixture have no problem.
    const { code, stdout } = await runCli(['check', 'jaeger.json'], dir);
    expect({ code, stdout }).toEqual({ code: 2, stdout: `${unproven('2 traces, 7 spans', 'an answer', 'it')}\n` });
  });
});

describe('check of Grafana Tempo answers saved one per trace', () => {
  it('notes the ids decoded from base64 once for all the files, naming the first three and how many more', async () => {
    const files = [1, 2, 3, 4, 5].map((n) => `tempo/${String(n).repeat(32)}.json`);
    const dir = tempFiles(Object.fromEntries(files.map((file, i) => [file, tempoAnswer(i + 1)])));
    const { code, stdout, stderr } = await runCli(['check', '--expect', 'mobile-app,api-gateway', ...files], dir);
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 5 traces, 10 spans, no problems; mobile-app -> api-gateway run in one trace in each of 5 runs.\n',
      stderr: `[tracehop] Note: 5 files ("${files[0]}", "${files[1]}", "${files[2]}" and 2 more) write ids in base64 (the protobuf JSON mapping, as Grafana Tempo and grpcurl write OTLP); 25 ids were decoded to hex.\n`,
    });
  });

  it('notes one file of them as before', async () => {
    const dir = tempFiles({ 'tempo.json': tempoAnswer(1) });
    const { code, stderr } = await runCli(['check', '--expect', 'mobile-app,api-gateway', 'tempo.json'], dir);
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr:
        '[tracehop] Note: "tempo.json" writes ids in base64 (the protobuf JSON mapping, as Grafana Tempo and grpcurl write OTLP); 5 ids were decoded to hex.\n',
    });
  });

  it('notes PARTIAL traces once for all the files, naming the first three and what to do', async () => {
    const files = [1, 2, 3, 4].map((n) => `tempo/${String(n).repeat(32)}.json`);
    const message = 'Trace exceeds maximum size of 5000 bytes, a partial trace is returned';
    const partial = (n: number): string => {
      const { batches } = JSON.parse(tempoAnswer(n)) as { batches: unknown[] };
      // /api/v2/traces/{id}: the trace under "trace", cut at max_bytes_per_trace.
      return JSON.stringify({ trace: { resourceSpans: batches }, status: 'PARTIAL', message });
    };
    const dir = tempFiles(Object.fromEntries(files.map((file, i) => [file, partial(i + 1)])));
    const { code, stdout, stderr } = await runCli(['check', '--expect', 'mobile-app,api-gateway', ...files], dir);
    // The spans read pass, but a hop in the spans Tempo cut is not judged: no pass (exit 2), not OK.
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: `${unproven('4 traces, 8 spans', '4 answers', 'them')}\n`,
      stderr:
        `[tracehop] Note: 4 files ("${files[0]}", "${files[1]}", "${files[2]}" and 1 more) write ids in base64 (the protobuf JSON mapping, as Grafana Tempo and grpcurl write OTLP); 20 ids were decoded to hex.\n` +
        `[tracehop] Note: 4 files ("${files[0]}", "${files[1]}", "${files[2]}" and 1 more) hold 4 incomplete answers of the trace store: "${files[0]}" line 1 is Grafana Tempo's PARTIAL trace ("${message}"); "${files[1]}" line 1 is Grafana Tempo's PARTIAL trace ("${message}"); "${files[2]}" line 1 is Grafana Tempo's PARTIAL trace ("${message}"); and 1 more. Traces or spans they left out may read as a missing-service or broken-chain that the services did not cause: fetch the trace from Tempo again with a larger max_bytes_per_trace and no q filter, before trusting such a verdict.\n`,
    });
  });

  it('notes the documents of other signals once for all the files', async () => {
    const metrics = JSON.stringify({ resourceMetrics: [] });
    const spans = (n: number): string => {
      const { batches } = JSON.parse(tempoAnswer(n)) as { batches: unknown[] };
      return JSON.stringify({ resourceSpans: batches });
    };
    const files = ['a.jsonl', 'b.jsonl'];
    const dir = tempFiles({
      'a.jsonl': `${spans(1)}\n${metrics}\n`,
      'b.jsonl': `${metrics}\n${spans(2)}\n${metrics}\n`,
    });
    const { code, stderr } = await runCli(['check', '--expect', 'mobile-app,api-gateway', ...files], dir);
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr:
        '[tracehop] Note: 2 files ("a.jsonl", "b.jsonl") write ids in base64 (the protobuf JSON mapping, as Grafana Tempo and grpcurl write OTLP); 10 ids were decoded to hex.\n' +
        '[tracehop] Note: 2 files ("a.jsonl", "b.jsonl") hold 3 documents of OTLP metrics, logs or profiles (a Collector file exporter shared by several pipelines); they were skipped.\n',
    });
  });
});
