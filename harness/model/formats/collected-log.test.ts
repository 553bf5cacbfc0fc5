import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Span } from '../span';
import { readDumpFile } from './read-dump-file';
import { scratchDir } from '../../test-support/scratch-dir';

/** The real prints, and the logs fixtures/dumps/collected-logs/collect.ts made of them (its README says how). */
const DUMPS = resolve(__dirname, '../../../fixtures/dumps');
const dir = scratchDir('tracehop-collected-');

/** A file's spans without where they were read, in span id order: the same spans whatever the file. */
async function spansOf(path: string): Promise<Array<Omit<Span, 'source'>>> {
  const read = await readDumpFile(join(DUMPS, path), path, { parallel: false });
  if (!read.ok) throw new Error(read.message);
  return read.spans.map(({ source: _source, ...span }) => span).sort((a, b) => a.spanId.localeCompare(b.spanId));
}

const composeNote = (file: string): string =>
  `[tracehop] Note: "${file}" is a collected log (docker compose logs): each line's prefix was cut off and each container's spans read from its own lines.`;
const kubectlNote = (file: string): string =>
  `[tracehop] Note: "${file}" is a collected log (kubectl logs --prefix): each line's prefix was cut off and each container's spans read from its own lines.`;

describe('readDumpFile on span prints collected from several containers', () => {
  it.each([
    ['collected-logs/go-checkout-ok.compose.txt', 'go-stdouttrace/checkout-ok.pretty.json', 'go-stdouttrace'],
    ['collected-logs/go-checkout-broken.kubectl.txt', 'go-stdouttrace/checkout-broken.jsonl', 'go-stdouttrace'],
    ['collected-logs/go-checkout-ok.late.txt', 'go-stdouttrace/checkout-ok.pretty.json', 'go-stdouttrace'],
    ['collected-logs/python-checkout.docker-t.txt', 'python-console/checkout.json', 'python-console'],
    ['collected-logs/python-checkout.compose-t.txt', 'python-console/checkout.json', 'python-console'],
    ['collected-logs/js-checkout-ok.sdk2.compose-color.txt', 'js-console/checkout-ok.sdk2.txt', 'js-console'],
    ['collected-logs/js-checkout-broken.sdk1.kubectl.txt', 'js-console/checkout-broken.sdk1.txt', 'js-console'],
    ['collected-logs/js-checkout-ok.sdk2.late.txt', 'js-console/checkout-ok.sdk2.txt', 'js-console'],
  ])('reads %s as the same spans as %s', async (collected, original, format) => {
    const read = await readDumpFile(join(DUMPS, collected), collected);
    expect(read.ok && read.format).toBe(format);
    expect(await spansOf(collected)).toEqual(await spansOf(original));
  });

  it('names the line each span opened on in the collected log, and says what it cut and skipped', async () => {
    const file = 'collected-logs/go-checkout-ok.compose.txt';
    const read = await readDumpFile(join(DUMPS, file), file);
    expect(read.ok && read.spans.map((span) => [span.service, span.name, span.source?.line])).toEqual([
      // In the order they end: each container's print ends where its own "}" is.
      ['api-gateway', 'POST /payments', 2],
      ['web-shop', 'POST /checkout', 3],
      ['payment-api', 'POST /payments', 1],
      ['web-shop', 'checkout', 208],
      ['api-gateway', 'POST /checkout', 207],
    ]);
    expect(read.ok && read.notes).toEqual([
      composeNote(file),
      `[tracehop] Note: "${file}" holds 4 lines of other output between the printed spans (the first on line 4); they were skipped.`,
    ]);
    const js = 'collected-logs/js-checkout-broken.sdk1.kubectl.txt';
    const jsRead = await readDumpFile(join(DUMPS, js), js);
    expect(jsRead.ok && jsRead.notes).toEqual([
      kubectlNote(js),
      `[tracehop] Note: "${js}" holds 3 lines of other output between the spans ConsoleSpanExporter printed (the first on line 1); they were skipped.`,
      `[tracehop] Note: "${js}" is console.dir output, which cuts long values short; 3 attribute values were read as "[cut short by console.dir: ...]" markers.`,
    ]);
  });

  it("skips a container's structured JSON log lines that are no span", async () => {
    const span =
      '{"name":"GET /","context":{"trace_id":"0x4bf92f3577b34da6a3ce929d0e0e4736","span_id":"0x777e07e9f5a6b7c8","trace_state":"[]"},"kind":"SpanKind.SERVER","parent_id":null,"start_time":"2026-12-04T16:00:39.758489Z","end_time":"2026-12-04T16:00:39.783489Z","status":{"status_code":"UNSET"},"attributes":{},"events":[],"links":[],"resource":{"attributes":{"service.name":"api"},"schema_url":""}}';
    const path = join(dir, 'structured.txt');
    writeFileSync(path, `api-1  | {"level":"info","msg":"listening"}\nweb-1  | started\napi-1  | ${span}\n`);
    const read = await readDumpFile(path, 'structured.txt');
    expect(read.ok && [read.format, read.spans.map((s) => [s.name, s.source?.line]), read.notes]).toEqual([
      'python-console',
      [['GET /', 3]],
      [
        composeNote('structured.txt'),
        '[tracehop] Note: "structured.txt" holds 2 lines of other output between the printed spans (the first on line 1); they were skipped.',
      ],
    ]);
  });

  it("refuses two processes' Go prints interleaved line by line in one stream (no prefix tells them apart)", async () => {
    const path = join(dir, 'interleaved.txt');
    writeFileSync(path, 'starting\n{\n{\n\t"Name": "a",\n\t"Name": "b",\n}\n}\n');
    expect(await readDumpFile(path, 'interleaved.txt')).toEqual({
      ok: false,
      reason: 'invalid-document',
      file: 'interleaved.txt',
      line: 3,
      message: `[tracehop] Failed to read spans from "interleaved.txt": line 3 opens a span while the span opened on line 2 is still open: two processes' prints are interleaved line by line. tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.`,
    });
  });

  it('refuses a span a container never finished, naming the line it opened on', async () => {
    const path = join(dir, 'cut.txt');
    writeFileSync(path, 'api-1  | {\nweb-1  | {\napi-1  | \t"Name": "x",\nweb-1  | }\n');
    expect(await readDumpFile(path, 'cut.txt')).toEqual({
      ok: false,
      reason: 'invalid-document',
      file: 'cut.txt',
      line: 1,
      message: `[tracehop] Failed to read spans from "cut.txt": the span opened on line 1 never ends (no line "}" after it, to line 4): the file is cut short, and the span cannot be read. Copy the output again once the process has exited, or delete the unfinished span to check the rest.`,
    });
  });
});
