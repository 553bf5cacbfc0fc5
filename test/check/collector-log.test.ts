import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempFiles } from './support';

/**
 * A Collector's own log, passed to check in place of a dump, opens with its start-up lines (tens of them, past
 * the first 4 KB) and shows its debug exporter's output only once traces arrive: it is named as that output,
 * as a log of the output alone is (bad-input.test.ts), from the lines of the file's first MB.
 */
const DEBUG =
  '[tracehop] Failed to read spans from "collector.log": the file is the OpenTelemetry Collector\'s debug exporter output (text in the Collector\'s log, which leaves out parent ids at verbosity basic and normal), not a trace export. Add the file exporter to the traces pipeline beside debug (exporters: [debug, file], with file: {path: ./traces.jsonl}) and check the file it writes.\n';
const NOT_JSON =
  "[tracehop] Failed to read spans from \"collector.log\": line 1 is not valid JSON (Unexpected number in JSON at position 2). tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.\n";

/** `count` start-up lines of a Collector (about 150 bytes each), as its console encoding writes them. */
function startUp(count: number): string {
  return Array.from(
    { length: count },
    (_, i) =>
      `2026-12-05T02:26:${String(i % 60).padStart(2, '0')}.531Z\tinfo\tservice@v0.116.0/service.go:${135 + i}\tStarting component\t{"otelcol.component.id": "extension/${i}", "otelcol.component.kind": "extension"}\n`,
  ).join('');
}

const DETAILED =
  '2026-12-05T02:26:37.531Z\tinfo\tTraces\t{"otelcol.component.id": "debug", "otelcol.component.kind": "exporter", "otelcol.signal": "traces", "resource spans": 1, "spans": 1}\n2026-12-05T02:26:37.531Z\tinfo\tResourceSpans #0\nResource SchemaURL: \nResource attributes:\n     -> service.name: Str(payment-api)\nScopeSpans #0\nSpan #0\n    Trace ID       : c1fb3ccc6a3f105d8eaa7ca7e6e17b38\n    Parent ID      : \n    ID             : 777e07e947ecf928\n';
const BASIC =
  '2026-12-05T02:26:37.531Z\tinfo\tTraces\t{"otelcol.component.id": "debug", "otelcol.component.kind": "exporter", "otelcol.signal": "traces", "resource spans": 1, "spans": 2}\n';
const JSON_LOG = (count: number): string =>
  Array.from(
    { length: count },
    (_, i) =>
      `{"level":"info","ts":1796319695.${i},"caller":"service@v0.116.0/service.go:${135 + i}","msg":"Starting component","otelcol.component.id":"extension/${i}"}\n`,
  ).join('') +
  '{"level":"info","ts":1796319697.5,"msg":"ResourceSpans #0\\nResource SchemaURL: \\nResource attributes:\\n     -> service.name: Str(payment-api)\\n","otelcol.component.id":"debug"}\n';

async function check(body: string): Promise<[number, string, string]> {
  const dir = tempFiles({});
  writeFileSync(join(dir, 'collector.log'), body);
  const result = await runCli(['check', 'collector.log'], dir);
  return [result.code, result.stdout, result.stderr];
}

describe("tracehop check on a Collector's log whose debug exporter output follows its start-up lines", () => {
  it.each([
    ['verbosity: detailed, after 60 start-up lines (9 KB)', startUp(60) + DETAILED],
    ['verbosity: basic, after 60 start-up lines', startUp(60) + BASIC],
    ['verbosity: detailed, after 6,000 start-up lines (0.9 MB)', startUp(6000) + DETAILED],
    ['in a JSON log (encoding: json), after 60 start-up lines', JSON_LOG(60)],
  ])('names it, %s', async (_name, body) => {
    expect(await check(body)).toEqual([2, '', DEBUG]);
  });

  it("looks no further than the file's first MB", async () => {
    expect(await check(startUp(8000) + DETAILED)).toEqual([2, '', NOT_JSON]);
  });
});
