import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../test-support/scratch-dir';
import { readDumpFile } from '.';

/**
 * Go's stdouttrace and Python's ConsoleSpanExporter prints cut short in their last span, as a CI log is when its
 * job is killed or it reaches a size limit: each is refused naming the file, the line the cut span starts on and
 * what to do, in the same words as a JS print cut short, whatever else the file holds.
 */
const DUMPS = join(__dirname, '../../../fixtures/dumps');
const GO_PRETTY = readFileSync(join(DUMPS, 'go-stdouttrace/checkout-ok.pretty.json'), 'utf8');
const GO_LINES = readFileSync(join(DUMPS, 'go-stdouttrace/checkout-broken.jsonl'), 'utf8');
const PYTHON = readFileSync(join(DUMPS, 'python-console/checkout.json'), 'utf8');
const CUT_HINT = 'Copy the output again once the process has exited, or delete the unfinished span to check the rest.';
/** What a CI runner writes after a job it killed. */
const TRAILER = 'ERROR: Job failed: execution took longer than 1h0m0s seconds\n';
const dir = scratchDir('tracehop-cut-prints-');

async function failureOf(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const result = await readDumpFile(path, name, { parallel: false });
  return result.ok ? 'read' : result.message;
}

/** The line the last span of a pretty print opens on (its line "{"), counted from 1. */
function lastSpanLine(text: string): number {
  return text.slice(0, text.lastIndexOf('\n{\n')).split('\n').length + 1;
}

/** The message for a span opened on `start` whose "}" never came, the file having `lines` lines. */
function neverEnds(file: string, start: number, lines: number): string {
  return `[tracehop] Failed to read spans from "${file}": the span opened on line ${start} never ends (no line "}" after it, to line ${lines}): the file is cut short, and the span cannot be read. ${CUT_HINT}`;
}

describe("Go's and Python's span prints cut short in their last span", () => {
  it.each([
    ["Go's pretty print", GO_PRETTY],
    ["Python's print", PYTHON],
  ])('refuses %s cut in its last span, alone, after log lines, or with a CI trailer', async (_, whole) => {
    const cut = whole.slice(0, -150);
    const start = lastSpanLine(whole);
    const lines = cut.split('\n').length;
    expect(await failureOf('cut.log', cut)).toBe(neverEnds('cut.log', start, lines));
    expect(await failureOf('after-log.log', `service started\n${cut}`)).toBe(
      neverEnds('after-log.log', start + 1, lines + 1),
    );
    expect(await failureOf('trailer.log', `${cut}\n${TRAILER}`)).toBe(neverEnds('trailer.log', start, lines + 1));
  });

  it("refuses Go's print one span a line whose last line is cut, after log lines too", async () => {
    const cut = GO_LINES.slice(0, -150);
    const last = cut.split('\n').length;
    const cutLine = (file: string, line: number): string =>
      `[tracehop] Failed to read spans from "${file}": the span printed on line ${line} ends before its JSON does: the print was cut short, and the span cannot be read. ${CUT_HINT}`;
    expect(await failureOf('after-log.log', `service started\n${cut}`)).toBe(cutLine('after-log.log', last + 1));
    expect(await failureOf('log-between.log', cut.replace('\n', '\nservice started\n'))).toBe(
      cutLine('log-between.log', last + 1),
    );
  });

  it('still refuses a span line cut short in the middle of a print, in the words of its JSON error', async () => {
    const lines = GO_LINES.trimEnd().split('\n');
    const broken = (lines[2] ?? '').slice(0, -150);
    const text = ['service started', ...lines.slice(0, 2), broken, ...lines.slice(3)].join('\n');
    expect(await failureOf('middle.log', `${text}\n`)).toBe(
      `[tracehop] Failed to read spans from "middle.log": line 4 is not valid JSON (Unterminated string in JSON at position ${broken.length}). Check the file as go.opentelemetry.io/otel/exporters/stdout/stdouttrace wrote it (one JSON object per span, pretty-printed or one a line), or export with otlptracehttp to tracehop serve.`,
    );
  });
});
