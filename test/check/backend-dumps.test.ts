import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backendDumps } from '../../fixtures/dumps/backends/generate';
import { CHAIN, ROOT, runCli, tempFiles } from './support';

const DIR = 'fixtures/dumps/backends';

/** `tracehop check --expect <chain>` of one file here: exit code, last line of stdout, and stderr. */
async function check(name: string): Promise<{ code: number; verdict: string; problems: string[]; stderr: string }> {
  const { code, stdout, stderr } = await runCli(['check', '--expect', CHAIN, `${DIR}/${name}`]);
  const lines = stdout.trimEnd().split('\n');
  return { code, verdict: lines.at(-1) ?? '', problems: lines.filter((line) => line.startsWith('✗ ')), stderr };
}

const FAILED =
  '[tracehop] Failed to verify traces: 1 problem in 2 traces, 7 spans. Each problem above names the hop that lost the trace context.';

describe('trace store answers and downloads as their writers shape them (fixtures/dumps/backends)', () => {
  it('are what fixtures/dumps/backends/generate.ts writes today', async () => {
    const expected = await backendDumps();
    const committed = Object.fromEntries(
      Object.keys(expected).map((name) => [name, readFileSync(join(ROOT, DIR, name))]),
    );
    const written = Object.fromEntries(Object.entries(expected).map(([name, body]) => [name, Buffer.from(body)]));
    expect(committed).toEqual(written);
  });

  it("reads Grafana's Jaeger download from api/v3 (its type names, no span.kind) and says the spans have no kind", async () => {
    expect(await check('grafana-jaeger-api-v3.json')).toEqual({
      code: 1,
      verdict: FAILED,
      problems: [
        '✗ missing-service: trace f20e22c7fc8de46c4008c9ec7f99cbb6, span -, service payment-api: payment-api has no span in trace f20e22c7: api-gateway never called it, or its spans were not exported',
      ],
      stderr: `[tracehop] Note: "${DIR}/grafana-jaeger-api-v3.json" is Jaeger JSON whose spans say no kind (none of its 7 spans has a span.kind tag: Grafana's trace download leaves them out of a Jaeger trace it read from Jaeger's api/v3, and a tracer that sets no span kind writes none): no span is a CLIENT, SERVER, PRODUCER or CONSUMER, so a lost hop is judged by parentage alone and named less exactly. Download the trace from Jaeger itself (Download JSON in Jaeger's UI, or GET /api/traces/{traceID}), and have each service's tracer set its spans' kind, for a check that knows each span's kind.\n`,
    });
  });

  it("notes Grafana's Jaeger downloads whose spans say no kind once for all the files (one trace a download)", async () => {
    const text = readFileSync(join(ROOT, DIR, 'grafana-jaeger-api-v3.json'), 'utf8');
    const dir = tempFiles(Object.fromEntries(['a', 'b', 'c', 'd'].map((name) => [`${name}.json`, text])));
    const { stderr } = await runCli(['check', '--expect', CHAIN, 'a.json', 'b.json', 'c.json', 'd.json'], dir);
    expect(stderr).toBe(
      `[tracehop] Note: 4 files ("a.json", "b.json", "c.json" and 1 more) are Jaeger JSON whose spans say no kind (none of their 28 spans has a span.kind tag: Grafana's trace download leaves them out of a Jaeger trace it read from Jaeger's api/v3, and a tracer that sets no span kind writes none): no span is a CLIENT, SERVER, PRODUCER or CONSUMER, so a lost hop is judged by parentage alone and named less exactly. Download the trace from Jaeger itself (Download JSON in Jaeger's UI, or GET /api/traces/{traceID}), and have each service's tracer set its spans' kind, for a check that knows each span's kind.\n`,
    );
  });

  it("reads Grafana's Tempo (OTLP) download, padding a link's trace id that lost its leading zeros", async () => {
    expect(await check('grafana-tempo-otlp.json')).toEqual({
      code: 1,
      verdict: FAILED,
      problems: [
        `✗ broken-chain: trace c1fb3ccc6a3f105d8eaa7ca7e6e17b38, span 777e07e947ecf928, service payment-api: payment-api's SERVER span "POST /payments" (777e07e9) started a new trace (c1fb3ccc instead of 000e22c7) with a span link to api-gateway CLIENT span "POST /payments" (fe444bd4): linked, not parented, so the run is split in two traces (extract the message's context as the parent, or pass --accept-links if payment-api is a batch consumer)`,
      ],
      stderr: '',
    });
    const accepted = await runCli(['check', '--expect', CHAIN, '--accept-links', `${DIR}/grafana-tempo-otlp.json`]);
    expect({ code: accepted.code, stderr: accepted.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it("reads Grafana's Zipkin download, its times in fractions of a microsecond", async () => {
    expect(await check('grafana-zipkin.json')).toEqual({
      code: 1,
      verdict: FAILED,
      problems: [
        '✗ broken-chain: trace c1fb3ccc6a3f105d8eaa7ca7e6e17b38, span 777e07e947ecf928, service payment-api: api-gateway received the request but payment-api started a new trace (c1fb3ccc instead of f20e22c7): api-gateway did not forward the trace context (B3 or traceparent headers), or payment-api did not read it, as a tracer that reads the other format only does',
      ],
      stderr: '',
    });
  });

  it("reads Jaeger's search answer of 40 runs, ids without leading zeros and 64-bit trace ids among them", async () => {
    expect(await check('jaeger-search-40-runs.json')).toEqual({
      code: 0,
      verdict:
        '[tracehop] OK: 40 traces, 280 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace in each of 40 runs.',
      problems: [],
      stderr: '',
    });
  });

  it("refuses a trace saved as Grafana's data frame (CSV, DataFrame JSON), naming the download that reads", async () => {
    const hint =
      'Save the trace with Grafana\'s Inspect > Data > "Download traces" (it writes Jaeger, Zipkin or OTLP JSON, which tracehop reads), or fetch it from the trace store\'s API.';
    const results = await Promise.all(
      ['grafana-trace-data.csv', 'grafana-dataframe.json'].map((name) =>
        runCli(['check', '--expect', CHAIN, `${DIR}/${name}`]),
      ),
    );
    expect(results).toEqual([
      {
        code: 2,
        stdout: '',
        stderr: `[tracehop] Failed to read spans from "${DIR}/grafana-trace-data.csv": line 1 is a CSV header (traceID, spanID, ...): the file is a trace as Grafana's "Download CSV" writes its data frame, not a trace format. ${hint}\n`,
      },
      {
        code: 2,
        stdout: '',
        stderr: `[tracehop] Failed to read spans from "${DIR}/grafana-dataframe.json": the document is a trace as a Grafana data frame (Inspect's JSON tab: DataFrame JSON or panel data), Grafana's own columns rather than a trace format. ${hint}\n`,
      },
    ]);
  });

  it('notes a Zipkin span with no localEndpoint, which reads as a service that never ran', async () => {
    expect(await check('zipkin-no-local-endpoint.json')).toEqual({
      code: 1,
      verdict:
        '[tracehop] Failed to verify traces: 1 problem in 1 trace, 7 spans. Each problem above names the hop that lost the trace context.',
      problems: [
        '✗ missing-service: trace 6fc28a02eed87d23cef1de3d53f69066, span -, service fraud-service: fraud-service has no span in any trace: payment-api never called it, or its spans were not exported',
      ],
      stderr: `[tracehop] Note: "${DIR}/zipkin-no-local-endpoint.json" holds a Zipkin span with no localEndpoint.serviceName: SERVER span "post /fraud/score" (bb8be5af20f2a030) in trace 6fc28a02eed87d23cef1de3d53f69066 (line 1): it is read as unknown_service, which --expect and --journeys cannot place on the chain, so a hop through it reads as a service that never ran. Give each service's tracer its local service name (Brave's localServiceName, zipkin-go's WithLocalEndpoint, py_zipkin's service_name, OpenTelemetry's service.name) and export again.\n`,
    });
  });

  it("refuses Zipkin's protobuf as what it is, naming the JSON to save instead", async () => {
    const { code, stdout, stderr } = await runCli(['check', '--expect', CHAIN, `${DIR}/zipkin-proto3.bin`]);
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `[tracehop] Failed to read spans from "${DIR}/zipkin-proto3.bin": the file is Zipkin protobuf (a proto3 ListOfSpans, as Zipkin exporters POST to /api/v2/spans with Content-Type application/x-protobuf), not OTLP protobuf; tracehop reads Zipkin as JSON. Save the spans as Zipkin JSON instead: GET /api/v2/traces (or /api/v2/trace/{traceId}) from Zipkin's API, or the exporter with its JSON encoding (Encoding.JSON).\n`,
    });
  });
});
