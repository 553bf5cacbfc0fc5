import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../test-support/scratch-dir';
import { readDumpFile, type DumpReadResult } from '.';

/**
 * Go's and Python's prints written one span a line (JSON Lines) on the stdout a service also logs to: its log
 * lines, plain or structured JSON, among the spans, or before the first.
 */
const DUMPS = join(__dirname, '../../../fixtures/dumps');
const GO_HINT =
  'Check the file as go.opentelemetry.io/otel/exporters/stdout/stdouttrace wrote it (one JSON object per span, pretty-printed or one a line), or export with otlptracehttp to tracehop serve.';
const ANY_HINT =
  "tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.";
/** The five spans of the Go checkout, one a line. */
const GO = readFileSync(join(DUMPS, 'go-stdouttrace/checkout-broken.jsonl'), 'utf8').trimEnd().split('\n');
/** The five spans of the Python checkout, one a line (to_json(indent=None)). */
const PYTHON = readFileSync(join(DUMPS, 'python-console/checkout.json'), 'utf8')
  .split(/\n(?=\{)/)
  .map((object) => JSON.stringify(JSON.parse(object)));
/** Five OTLP/JSON Lines. */
const OTLP = readFileSync(join(DUMPS, 'checkout-broken.jsonl'), 'utf8').trimEnd().split('\n');
const dir = scratchDir('tracehop-lines-print-');

function read(name: string, lines: readonly string[], format?: 'go-stdouttrace'): Promise<DumpReadResult> {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return readDumpFile(path, name, { parallel: false, ...(format ? { format } : {}) });
}

/** The format, each span's line, and the notes of a read; its message when it failed. */
function outcome(result: DumpReadResult): unknown {
  return result.ok ? [result.format, result.spans.map((span) => span.source?.line), result.notes] : result.message;
}

describe("Go and Python prints one span a line among the service's log lines", () => {
  it('keeps the spans of a Go print that a log line follows, and names the line it skipped', async () => {
    expect(outcome(await read('go.log', [...GO, '2026/01/01 paid']))).toEqual([
      'go-stdouttrace',
      [1, 2, 3, 4, 5],
      ['[tracehop] Note: "go.log" holds 1 line of other output between the printed spans (on line 6); it was skipped.'],
    ]);
  });

  it('skips plain and structured log lines between the spans, naming the first and counting them all', async () => {
    const lines = [...GO.slice(0, 2), '2026/01/01 paid', GO[2] ?? '', '{"level":"info","msg":"paid"}', ...GO.slice(3)];
    expect(outcome(await read('go-mid.log', lines))).toEqual([
      'go-stdouttrace',
      [1, 2, 4, 6, 7],
      [
        '[tracehop] Note: "go-mid.log" holds 2 lines of other output between the printed spans (the first on line 3); they were skipped.',
      ],
    ]);
    // --format go-stdouttrace holds every JSON object to the print, as in a print read after log lines.
    expect(outcome(await read('go-mid.log', lines, 'go-stdouttrace'))).toBe(
      `[tracehop] Failed to read spans from "go-mid.log": line 5 is not a stdouttrace span (an object with "SpanContext"). ${GO_HINT}`,
    );
  });

  it('reads a Python print after a structured log line (structlog, python-json-logger) as a print', async () => {
    const lines = ['{"level":"info","msg":"started"}', ...PYTHON, '{"level":"info","msg":"stopped"}'];
    expect(outcome(await read('py.log', lines))).toEqual([
      'python-console',
      [2, 3, 4, 5, 6],
      [
        '[tracehop] Note: "py.log" holds 2 lines of other output between the printed spans (the first on line 1); they were skipped.',
      ],
    ]);
  });

  it('still refuses a span line cut short among them, rather than skipping it as a log line', async () => {
    const lines = [...GO, '2026/01/01 paid', (GO[0] ?? '').slice(0, 100)];
    expect(outcome(await read('go-cut.log', lines))).toBe(
      '[tracehop] Failed to read spans from "go-cut.log": the span printed on line 7 ends before its JSON does: the print was cut short, and the span cannot be read. Copy the output again once the process has exited, or delete the unfinished span to check the rest.',
    );
    // Before another span, it is a line broken in the middle of the print: refused in its JSON error's words.
    expect(outcome(await read('go-broken.log', [...lines, ...GO.slice(1)]))).toBe(
      `[tracehop] Failed to read spans from "go-broken.log": line 7 is not valid JSON (Unterminated string in JSON at position 100). ${GO_HINT}`,
    );
  });

  it('refuses OTLP/JSON Lines with a bad line as before: they are no print, and no line of them is skipped', async () => {
    expect(outcome(await read('otlp.jsonl', [...OTLP.slice(0, 2), '2026/01/01 paid', ...OTLP.slice(2)]))).toBe(
      '[tracehop] Failed to read spans from "otlp.jsonl": line 3 is the text "2026/01/01 paid", not JSON (the body of an HTTP error, which curl without -f saves in place of an answer?). Fetch that answer again with curl -f, which fails on an HTTP error instead of saving its body, or delete the line to check the rest.',
    );
    const first = `[tracehop] Failed to read spans from "otlp-after-log.jsonl": line 1 is none of the formats tracehop reads (no OTLP "resourceSpans", no Jaeger "data", not a Zipkin list of spans, no stdouttrace "SpanContext", no ConsoleSpanExporter "context"). ${ANY_HINT}`;
    expect(outcome(await read('otlp-after-log.jsonl', ['{"level":"info","msg":"started"}', ...OTLP]))).toBe(first);
  });

  it("keeps the first line's error when JSON lines hold no span of a print, or none in their first 1 MB", async () => {
    const cause =
      'line 1 is none of the formats tracehop reads (no OTLP "resourceSpans", no Jaeger "data", not a Zipkin list of spans, no stdouttrace "SpanContext", no ConsoleSpanExporter "context")';
    const logs = ['{"level":"info","msg":"started"}', '{"level":"info","msg":"stopped"}'];
    expect(outcome(await read('logs.jsonl', logs))).toBe(
      `[tracehop] Failed to read spans from "logs.jsonl": ${cause}. ${ANY_HINT}`,
    );
    const chatty = [
      logs[0] ?? '',
      ...Array.from({ length: 40_000 }, (_, i) => `2026/01/01 request ${i} served in 1 ms`),
    ];
    expect(outcome(await read('late.jsonl', [...chatty, ...PYTHON]))).toBe(
      `[tracehop] Failed to read spans from "late.jsonl": ${cause}. ${ANY_HINT}`,
    );
  });
});
