import { runCli, tempFiles } from './support';

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
    const { code, stderr } = await runCli(['check', '--expect', 'mobile-app,api-gateway', ...files], dir);
    expect({ code, stderr }).toEqual({
      code: 0,
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
