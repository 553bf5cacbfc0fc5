import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOtlpProtobuf } from '../otlp-proto';
import { makeSpan } from '../test-support/make-span';
import { sdkLogsRequest, sdkMetricsRequest } from '../test-support/other-signals';
import { NOT_JSON_HELD_BYTES, readDumpFile, type ReadLimits } from './read-dump-file';
import { scratchDir } from '../../test-support/scratch-dir';

const T = 'a'.repeat(32);
const dir = scratchDir('tracehop-file-');
const ANY_FORMAT =
  "tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.";

function doc(spanIds: string[]): unknown {
  return {
    resourceSpans: [
      { resource: {}, scopeSpans: [{ spans: spanIds.map((spanId) => ({ traceId: T, spanId, name: 'x', kind: 1 })) }] },
    ],
  };
}

/** An OTLP protobuf request of one payment-api span named `name` (its length grows with the name). */
function oneSpanRequest(name: string): Uint8Array {
  return encodeOtlpProtobuf([
    makeSpan({
      trace: 'a',
      id: 'b',
      service: 'payment-api',
      name,
      kind: 'server',
      start: 1_700_000_000_000,
      end: 1_700_000_000_005,
    }),
  ]);
}

function write(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readDumpFile', () => {
  it('reads JSON Lines, including a last line without a newline', async () => {
    const path = write(
      'a.jsonl',
      `${JSON.stringify(doc(['1'.repeat(16)]))}\n${JSON.stringify(doc(['2'.repeat(16), '3'.repeat(16)]))}`,
    );
    const result = await readDumpFile(path, 'a.jsonl');
    expect(result.ok && result.spans.map((s) => [s.spanId.slice(0, 1), s.source?.line])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 2],
    ]);
  });

  it("skips the Java SDK logging-otlp exporters' bare resources of logs and metrics beside its bare span lines", async () => {
    const bareSpans = JSON.stringify((doc(['1'.repeat(16)]) as { resourceSpans: unknown[] }).resourceSpans[0]);
    const bareLogs = JSON.stringify({ resource: {}, scopeLogs: [{ scope: {}, logRecords: [] }] });
    const bareMetrics = JSON.stringify({ resource: {}, scopeMetrics: [] });
    const path = write('logging-otlp.jsonl', `${bareLogs}\n${bareSpans}\n${bareMetrics}\n`);
    const result = await readDumpFile(path, 'logging-otlp.jsonl');
    expect(result.ok && [result.spans.map((s) => [s.spanId.slice(0, 1), s.source?.line]), result.notes]).toEqual([
      [['1', 2]],
      [
        '[tracehop] Note: "logging-otlp.jsonl" holds 2 documents of OTLP metrics, logs or profiles (a Collector file exporter shared by several pipelines); they were skipped.',
        '[tracehop] Note: "logging-otlp.jsonl" holds 1 OTLP span with no start time (startTimeUnixNano 0 or missing; its end alone places it nowhere): unknown_service\'s INTERNAL span "x" (1111111111111111) in trace aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (line 2): it keeps its place in its trace, but no callee clock is read off it and no new trace is tied to a run by its timing.',
      ],
    ]);
  });

  it('skips documents of other OTLP signals with a note, as a Collector file exporter shared by pipelines writes', async () => {
    const metrics = JSON.stringify({ resourceMetrics: [{ resource: {}, scopeMetrics: [] }] });
    const logs = JSON.stringify({ resourceLogs: [] });
    const path = write('signals.jsonl', `${metrics}\n${JSON.stringify(doc(['1'.repeat(16)]))}\n${logs}\n${metrics}\n`);
    const result = await readDumpFile(path, 'signals.jsonl');
    expect(result.ok && [result.spans.map((s) => [s.spanId.slice(0, 1), s.source?.line]), result.notes]).toEqual([
      [['1', 2]],
      [
        '[tracehop] Note: "signals.jsonl" holds 3 documents of OTLP metrics, logs or profiles (a Collector file exporter shared by several pipelines); they were skipped.',
        '[tracehop] Note: "signals.jsonl" holds 1 OTLP span with no start time (startTimeUnixNano 0 or missing; its end alone places it nowhere): unknown_service\'s INTERNAL span "x" (1111111111111111) in trace aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (line 2): it keeps its place in its trace, but no callee clock is read off it and no new trace is tied to a run by its timing.',
      ],
    ]);
  });

  it('skips OTLP protobuf requests of metrics and logs with the same note', async () => {
    const [logs, metrics] = await Promise.all([sdkLogsRequest(), sdkMetricsRequest()]);
    const results = await Promise.all([
      readDumpFile(write('logs.pb', logs), 'logs.pb'),
      readDumpFile(write('metrics.pb', metrics), 'metrics.pb'),
    ]);
    expect(results.map((result) => result.ok && [result.spans, result.notes])).toEqual([
      [
        [],
        [
          '[tracehop] Note: "logs.pb" holds 1 document of OTLP metrics, logs or profiles (a Collector file exporter shared by several pipelines); it was skipped.',
        ],
      ],
      [
        [],
        [
          '[tracehop] Note: "metrics.pb" holds 1 document of OTLP metrics, logs or profiles (a Collector file exporter shared by several pipelines); it was skipped.',
        ],
      ],
    ]);
  });

  it('reads a pretty-printed single document', async () => {
    const path = write('b.json', JSON.stringify(doc(['1'.repeat(16)]), null, 2));
    const result = await readDumpFile(path, 'b.json');
    expect(result.ok && result.spans.map((s) => s.source)).toEqual([{ file: 'b.json' }]);
  });

  it('reads documents written one after another (jq . of several responses, curl >> file), each with its line', async () => {
    const pretty = (ids: string[]) => JSON.stringify(doc(ids), null, 2);
    const text = `${pretty(['1'.repeat(16)])}\n${pretty(['2'.repeat(16)])}${JSON.stringify(doc(['3'.repeat(16)]))}\n`;
    const result = await readDumpFile(write('several.json', text), 'several.json');
    const secondAt = pretty(['1'.repeat(16)]).split('\n').length + 1;
    expect(result.ok && result.spans.map((s) => [s.spanId.slice(0, 1), s.source?.line])).toEqual([
      ['1', 1],
      ['2', secondAt],
      ['3', secondAt + pretty(['2'.repeat(16)]).split('\n').length - 1],
    ]);
  });

  it('reads JSON Lines with documents appended after them: two on one line (curl >> dump.jsonl), then pretty ones', async () => {
    const line = (id: string) => JSON.stringify(doc([id.repeat(16)]));
    const pretty = JSON.stringify(doc(['4'.repeat(16)]), null, 2);
    const text = `${line('1')}\n${line('2')}${line('3')}\n${pretty}\n${line('5')}\n`;
    const result = await readDumpFile(write('appended.jsonl', text), 'appended.jsonl');
    expect(result.ok && result.spans.map((s) => [s.spanId.slice(0, 1), s.source?.line])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 2],
      ['4', 3],
      ['5', 3 + pretty.split('\n').length],
    ]);
  });

  it('names the line of a syntax error in a pretty-printed document appended to JSON Lines', async () => {
    const text = `${JSON.stringify(doc(['1'.repeat(16)]))}\n{\n  "resourceSpans": [\n    }\n]}\n`;
    const result = await readDumpFile(write('appended-bad.jsonl', text), 'appended-bad.jsonl');
    expect(!result.ok && [result.reason, result.line, result.message]).toEqual([
      'not-json',
      4,
      `[tracehop] Failed to read spans from "appended-bad.jsonl": line 4 is not valid JSON (Unexpected token '}'). Export with the OTLP JSON encoding or the Collector's file exporter.`,
    ]);
  });

  it('names the line of a syntax error in the second of several documents', async () => {
    const first = JSON.stringify(doc(['1'.repeat(16)]), null, 2);
    const text = `${first}\n{\n  "resourceSpans": [\n    }\n]}\n`;
    const result = await readDumpFile(write('several-bad.json', text), 'several-bad.json');
    expect(!result.ok && [result.reason, result.line, result.message]).toEqual([
      'not-json',
      first.split('\n').length + 3,
      `[tracehop] Failed to read spans from "several-bad.json": line ${first.split('\n').length + 3} is not valid JSON (Unexpected token '}'). tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.`,
    ]);
  });

  it('says the last of several documents was cut off when the file ends inside it', async () => {
    const first = JSON.stringify(doc(['1'.repeat(16)]), null, 2);
    const text = `${first}\n${JSON.stringify(doc(['2'.repeat(16)]), null, 2).slice(0, 70)}`;
    const result = await readDumpFile(write('several-cut.json', text), 'several-cut.json');
    expect(!result.ok && [result.reason, result.message]).toEqual([
      'not-json',
      `[tracehop] Failed to read spans from "several-cut.json": the document that starts on line ${first.split('\n').length + 1} ends before its JSON does: the file was cut off (copied while it was still being written?). Copy the dump again once it is written whole.`,
    ]);
  });

  it('names the line of a syntax error in a pretty-printed document, even where V8 names no position', async () => {
    const path = write('c.json', '{\n  "resourceSpans": [\n    }\n]}');
    const result = await readDumpFile(path, 'c.json');
    expect(!result.ok && [result.reason, result.line, result.message]).toEqual([
      'not-json',
      3,
      `[tracehop] Failed to read spans from "c.json": line 3 is not valid JSON (Unexpected token '}'). tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.`,
    ]);
  });

  it('says a last line cut short was cut off, and names NUL bytes, where JSON.parse says "Unterminated string"', async () => {
    // Lines longer than the 256 bytes whose control bytes would mark a file binary (protobuf).
    const whole = JSON.stringify(doc(['1'.repeat(16), '2'.repeat(16), '3'.repeat(16), '4'.repeat(16)]));
    const cut = write('cut.jsonl', `${whole}\n${whole.slice(0, 60)}`);
    const cutDoc = write('cut.json', JSON.stringify(doc(['1'.repeat(16)]), null, 2).slice(0, 90));
    const zeros = write('zeros.jsonl', `${whole}\n${'\u0000'.repeat(40)}\n`);
    // Zeros within the first bytes, where the file's kind is told: JSON all the same, not protobuf.
    const zeroTail = write('zero-tail.json', `{\n  "resourceSpans": []\n}${'\u0000'.repeat(300)}`);
    const results = await Promise.all([
      readDumpFile(cut, 'cut.jsonl'),
      readDumpFile(cutDoc, 'cut.json'),
      readDumpFile(zeros, 'zeros.jsonl'),
      readDumpFile(zeroTail, 'zero-tail.json'),
    ]);
    expect(results.map((r) => !r.ok && [r.reason, r.message])).toEqual([
      [
        'not-json',
        '[tracehop] Failed to read spans from "cut.jsonl": line 2, the last, ends before its JSON does: the file was cut off (copied while the exporter was still writing it?). Copy the dump again once the exporter has flushed it, or delete the unfinished last line to check the rest.',
      ],
      [
        'not-json',
        '[tracehop] Failed to read spans from "cut.json": the document ends before its JSON does: the file was cut off (copied while it was still being written?). Copy the dump again once it is written whole.',
      ],
      [
        'not-json',
        `[tracehop] Failed to read spans from "zeros.jsonl": line 2 holds NUL bytes where JSON should be (a file zero-filled by a crash or an unsynced write). Copy the dump again from its source, or remove the NUL bytes ("tr -d '\\000' < zeros.jsonl > clean.jsonl") to check the rest.`,
      ],
      [
        'not-json',
        '[tracehop] Failed to read spans from "zero-tail.json": the document holds NUL bytes where JSON should be (a file zero-filled by a crash or an unsynced write). Copy the dump again once it is written whole.',
      ],
    ]);
  });

  it('says a last line cut short was cut off with a newline or blank lines after it too, and not one before another line', async () => {
    const whole = JSON.stringify(doc(['1'.repeat(16), '2'.repeat(16), '3'.repeat(16), '4'.repeat(16)]));
    const cut = whole.slice(0, 60);
    const files = {
      'newline.jsonl': `${whole}\n${cut}\n`,
      'blank.jsonl': `${whole}\n${cut}\n\n  \n`,
      'middle.jsonl': `${whole}\n${cut}\n${whole}\n`,
    };
    const results = await Promise.all(
      Object.entries(files).map(([name, text]) => readDumpFile(write(name, text), name, { parallel: false })),
    );
    const cutOff = (file: string): string =>
      `[tracehop] Failed to read spans from "${file}": line 2, the last, ends before its JSON does: the file was cut off (copied while the exporter was still writing it?). Copy the dump again once the exporter has flushed it, or delete the unfinished last line to check the rest.`;
    expect(results.map((r) => !r.ok && [r.reason, r.line, r.message])).toEqual([
      ['not-json', 2, cutOff('newline.jsonl')],
      ['not-json', 2, cutOff('blank.jsonl')],
      [
        'not-json',
        2,
        '[tracehop] Failed to read spans from "middle.jsonl": line 2 is not valid JSON (Unterminated string in JSON at position 60). Export with the OTLP JSON encoding or the Collector\'s file exporter.',
      ],
    ]);
  });

  it('names a file zero-filled from its first byte (all of it, or before its JSON), not protobuf frames', async () => {
    const zero =
      'the document holds NUL bytes where JSON should be (a file zero-filled by a crash or an unsynced write). Copy the dump again once it is written whole.';
    const all = write('all-zeros.json', '\u0000'.repeat(1000));
    // A crash zeroes whole blocks: the first 4 KB here, ending inside the JSON that was there.
    const before = write('zeros-first.json', `${'\u0000'.repeat(4096)}ourceSpans": []}\n`);
    const results = await Promise.all([readDumpFile(all, 'all-zeros.json'), readDumpFile(before, 'zeros-first.json')]);
    expect(results.map((r) => !r.ok && [r.reason, r.message])).toEqual([
      ['not-json', `[tracehop] Failed to read spans from "all-zeros.json": ${zero}`],
      ['not-json', `[tracehop] Failed to read spans from "zeros-first.json": ${zero}`],
    ]);
  });

  it('reads framed protobuf that starts with empty frames (4 NULs each) as protobuf, not as a zero-filled file', async () => {
    const frame = (bytes: Uint8Array): Buffer => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    };
    const empty = frame(new Uint8Array(0));
    // A request of 123 bytes: its frame's length ends in '{', right after the 19 NULs before it.
    const brace = Array.from({ length: 80 }, (_, n) => oneSpanRequest('x'.repeat(n + 1))).find(
      (bytes) => bytes.length === 123,
    );
    const files = [oneSpanRequest('POST /payments'), brace ?? new Uint8Array(0)].map((body, i) =>
      write(`empty-first-${i}.pb`, Buffer.concat([empty, empty, empty, empty, frame(body)])),
    );
    const results = await Promise.all(files.map((file) => readDumpFile(file, 'empty-first.pb')));
    expect([brace?.length, results.map((result) => result.ok && [result.format, result.spans.length])]).toEqual([
      123,
      [
        ['otlp-proto', 1],
        ['otlp-proto', 1],
      ],
    ]);
  });

  it("reads a bare protobuf export whose first length byte is '{' or '[' as protobuf", async () => {
    // The first ResourceSpans of 123 or 91 bytes: the file starts 0a 7b or 0a 5b, a newline and a brace.
    const exports = Array.from({ length: 120 }, (_, n) => oneSpanRequest('x'.repeat(n + 1)));
    const braces = exports.filter((bytes) => bytes[0] === 0x0a && (bytes[1] === 0x7b || bytes[1] === 0x5b));
    const results = await Promise.all(
      braces.map((bytes, i) => readDumpFile(write(`brace-${i}.pb`, bytes), 'brace.pb')),
    );
    expect([braces.length, results.map((r) => r.ok && [r.format, r.spans.length])]).toEqual([1, [['otlp-proto', 1]]]);
  });

  it('reads a protobuf export whose span name holds a JS span print as protobuf, not as that print', async () => {
    // The name's bytes are a line "{" and a line "  traceId: ", as ConsoleSpanExporter's print opens.
    const bytes = oneSpanRequest("logged:\n{\n  traceId: 'abc'\n}\n");
    const result = await readDumpFile(write('print-in-name.pb', bytes), 'print-in-name.pb');
    expect(result.ok && [result.format, result.spans.length]).toEqual(['otlp-proto', 1]);
  });

  it('says a pretty-printed UTF-16 file without a byte order mark is UTF-16', async () => {
    const bytes = Buffer.from(`\r\n${JSON.stringify(doc(['1'.repeat(16)]), null, 2)}\n`, 'utf16le');
    const result = await readDumpFile(write('u16-pretty.json', bytes), 'u16.json');
    expect(!result.ok && result.reason).toBe('wrong-format');
  });

  it('keeps the JSON error for a last line wrong in its middle, with no newline after it', async () => {
    const path = write('wrong.jsonl', `${JSON.stringify(doc(['1'.repeat(16)]))}\n{"resourceSpans": [}, 1]}`);
    const result = await readDumpFile(path, 'wrong.jsonl');
    expect(!result.ok && result.message).toBe(
      `[tracehop] Failed to read spans from "wrong.jsonl": line 2 is not valid JSON (Unexpected token '}'). Export with the OTLP JSON encoding or the Collector's file exporter.`,
    );
  });

  it.each([
    ['with a byte order mark, little-endian', 'utf16le', true],
    ['with a byte order mark, big-endian', 'utf16be', true],
    ['without a byte order mark', 'utf16le', false],
    ['without a byte order mark, big-endian', 'utf16be', false],
  ])('says a UTF-16 file (%s) is UTF-16, not truncated protobuf', async (_label, encoding, bom) => {
    const text = `${bom ? '\ufeff' : ''}${JSON.stringify(doc(['1'.repeat(16)]))}\n`;
    const le = Buffer.from(text, 'utf16le');
    const bytes = encoding === 'utf16le' ? le : Buffer.from(le).swap16();
    const result = await readDumpFile(write(`u16-${encoding}-${bom}.json`, bytes), 'u16.json');
    expect(!result.ok && [result.reason, result.message]).toEqual([
      'wrong-format',
      '[tracehop] Failed to read spans from "u16.json": the file is UTF-16 text (as Windows PowerShell 5 writes with ">" or Out-File), not UTF-8. Save it as UTF-8 ("Out-File -Encoding utf8" in PowerShell, or "iconv -f UTF-16 -t UTF-8").',
    ]);
  });

  it.each([
    ['Jaeger', { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] }],
    ['Jaeger api/v3', { error: { httpCode: 404, message: 'trace not found' } }],
  ])('says a saved %s error answer is an error answer, naming its error, with --format too', async (_store, answer) => {
    const file = write('notfound.json', JSON.stringify(answer));
    const message =
      '[tracehop] Failed to read spans from "notfound.json": line 1 is an error answer of the trace store ("404 trace not found"), not traces. Save the answer of a query that found the trace: check its id and time range.';
    for (const result of [
      await readDumpFile(file, 'notfound.json'),
      await readDumpFile(file, 'notfound.json', { format: 'jaeger' }),
    ]) {
      expect(!result.ok && [result.reason, result.message]).toEqual(['unknown-format', message]);
    }
  });

  it('reports a missing file', async () => {
    const result = await readDumpFile(join(dir, 'nope.json'), 'nope.json');
    expect(result).toEqual({
      ok: false,
      reason: 'not-found',
      file: 'nope.json',
      message:
        "[tracehop] Failed to read spans from \"nope.json\": the file does not exist. Check the path; tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON and Zipkin JSON dumps and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print.",
    });
  });

  it('reports an empty file', async () => {
    const result = await readDumpFile(write('e.json', '\n\n'), 'e.json');
    expect(!result.ok && result.message).toBe(
      `[tracehop] Failed to read spans from "e.json": the file is empty. tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.`,
    );
  });
});

describe('readDumpFile on long lines', () => {
  it('reads a compact document of over 2 MB on one line, split across many chunks', async () => {
    const ids = Array.from({ length: 30_000 }, (_, i) => (i + 1).toString(16).padStart(16, '0'));
    const text = JSON.stringify(doc(ids));
    const path = write('big.json', text);
    const result = await readDumpFile(path, 'big.json');
    expect([
      text.length > 2_000_000,
      result.ok && result.spans.length,
      result.ok && result.spans[29_999]!.spanId,
    ]).toEqual([true, 30_000, ids[29_999]]);
  });

  it('keeps line numbers after leading blank lines', async () => {
    const path = write('blank.jsonl', `\n\n${JSON.stringify(doc(['1'.repeat(16)]))}\n{"nope": 1}\n`);
    const result = await readDumpFile(path, 'blank.jsonl');
    expect(!result.ok && result.line).toBe(4);
  });
});

describe('readDumpFile on odd bytes', () => {
  it('skips a UTF-8 byte order mark and reads CRLF line ends', async () => {
    const path = write(
      'bom.jsonl',
      `\uFEFF${JSON.stringify(doc(['1'.repeat(16)]))}\r\n${JSON.stringify(doc(['2'.repeat(16)]))}\r\n`,
    );
    const result = await readDumpFile(path, 'bom.jsonl');
    expect(result.ok && result.spans.map((s) => [s.spanId, s.source?.line])).toEqual([
      ['1'.repeat(16), 1],
      ['2'.repeat(16), 2],
    ]);
  });

  it('decodes a multi-byte character split across two chunks', async () => {
    // The first chunk is 1 MiB: place a 4-byte character so that it straddles the chunk boundary.
    const head = {
      resourceSpans: [
        { resource: {}, scopeSpans: [{ spans: [{ traceId: T, spanId: '1'.repeat(16), kind: 1, name: '' }] }] },
      ],
    };
    const prefix = JSON.stringify(head).split('"name":""')[0] + '"name":"';
    const name = `${'x'.repeat((1 << 20) - Buffer.byteLength(prefix) - 2)}😀end`;
    const path = write('split.jsonl', `${prefix}${name}"}]}]}]}\n`);
    const result = await readDumpFile(path, 'split.jsonl');
    expect(result.ok && result.spans[0]?.name.slice(-6)).toBe('x😀end');
  });

  it('refuses a line longer than a string can hold, naming the line', async () => {
    const path = write(
      'long.jsonl',
      `${JSON.stringify(doc(['1'.repeat(16)]))}\n${JSON.stringify(doc(['2'.repeat(16), '3'.repeat(16)]))}\n`,
    );
    expect(await readDumpFile(path, 'long.jsonl', { maxTextBytes: 200 })).toEqual({
      ok: false,
      reason: 'too-large',
      file: 'long.jsonl',
      line: 2,
      message:
        '[tracehop] Failed to read spans from "long.jsonl": line 2 is longer than 200 bytes, more than one string can hold. ' +
        "Split it into JSON Lines, one ResourceSpans a line, and check those: jq -c '.resourceSpans[]' long.jsonl > long.split.jsonl.",
    });
  });

  it("says a size failure as it is for opentelemetry-swift's SpanData storage, and names the storage otherwise", async () => {
    const batch = JSON.stringify([{ traceId: { idHi: 1, idLo: 2 }, spanId: { id: 3 }, name: 'x'.repeat(300) }]);
    const path = write('swift-1723456789', `${batch},${batch},`);
    const [tooLong, named] = await Promise.all([
      readDumpFile(path, 'swift-1723456789', { maxTextBytes: 200 }),
      readDumpFile(path, 'swift-1723456789'),
    ]);
    expect([tooLong.ok || [tooLong.reason, tooLong.message], named.ok || named.reason]).toEqual([
      [
        'too-large',
        '[tracehop] Failed to read spans from "swift-1723456789": line 1 is longer than 200 bytes, more than one string can hold. ' +
          'Write the dump as JSON Lines (one ExportTraceServiceRequest per line), as the Collector file exporter does.',
      ],
      'wrong-format',
    ]);
  });

  it('refuses a text that opens no JSON document from its first lines, however long it is', async () => {
    // A service log saved for a dump: longer than maxTextBytes, yet refused for what its first line is.
    const line = '2026-12-05T06:59:13Z INFO payment-api handled request id=12345 in 3ms\n';
    const path = write('app.log', line.repeat(Math.ceil((NOT_JSON_HELD_BYTES * 2) / line.length)));
    expect(await readDumpFile(path, 'app.log', { maxTextBytes: NOT_JSON_HELD_BYTES + (2 << 20) })).toEqual({
      ok: false,
      reason: 'not-json',
      file: 'app.log',
      line: 1,
      message: `[tracehop] Failed to read spans from "app.log": line 1 is not valid JSON (Unexpected number in JSON at position 2). ${ANY_FORMAT}`,
    });
  });

  it('refuses a line with no newline that opens no JSON from its first bytes, first or after JSON Lines', async () => {
    const text = 'x'.repeat(NOT_JSON_HELD_BYTES * 2);
    const first = write('one-line.txt', text);
    const after = write('after.jsonl', `${JSON.stringify(doc(['1'.repeat(16)]))}\n${text}`);
    const limits = { maxTextBytes: NOT_JSON_HELD_BYTES + (2 << 20) };
    const results = await Promise.all([
      readDumpFile(first, 'one-line.txt', limits),
      readDumpFile(after, 'after.jsonl', limits),
    ]);
    expect(results.map((result) => result.ok || result.message)).toEqual([
      `[tracehop] Failed to read spans from "one-line.txt": line 1 is not valid JSON (Unexpected token 'x'). ${ANY_FORMAT}`,
      `[tracehop] Failed to read spans from "after.jsonl": line 2 is not valid JSON (Unexpected token 'x'). Export with the OTLP JSON encoding or the Collector's file exporter.`,
    ]);
  });

  it('refuses a pretty-printed document longer than a string can hold', async () => {
    const path = write('long.json', JSON.stringify(doc(['1'.repeat(16), '2'.repeat(16)]), null, 2));
    expect(await readDumpFile(path, 'long.json', { maxTextBytes: 200 })).toEqual({
      ok: false,
      reason: 'too-large',
      file: 'long.json',
      message:
        '[tracehop] Failed to read spans from "long.json": the document is longer than 200 bytes, more than one string can hold. ' +
        "Split it into JSON Lines, one ResourceSpans a line, and check those: jq -c '.resourceSpans[]' long.json > long.split.jsonl.",
    });
  });
});

describe('readDumpFile failure reasons', () => {
  const ANY =
    "tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.";
  const PROTO =
    "Write one ExportTraceServiceRequest per file, or use the Collector's file exporter with format: proto.";
  const otlp = JSON.stringify(doc(['1'.repeat(16)]));
  const failed = (file: string, cause: string, hint: string): string =>
    `[tracehop] Failed to read spans from "${file}": ${cause}. ${hint}`;

  it.each<[string, string | Buffer, ReadLimits, object]>([
    ['empty.json', '', {}, { reason: 'empty', message: failed('empty.json', 'the file is empty', ANY) }],
    [
      'unknown.json',
      '{"nope": 1}',
      {},
      {
        reason: 'unknown-format',
        line: 1,
        message: failed(
          'unknown.json',
          'line 1 is none of the formats tracehop reads (no OTLP "resourceSpans", no Jaeger "data", not a Zipkin list of spans, no stdouttrace "SpanContext", no ConsoleSpanExporter "context")',
          ANY,
        ),
      },
    ],
    [
      'mixed.jsonl',
      `${otlp}\n[]\n`,
      {},
      {
        reason: 'mixed-formats',
        line: 2,
        message: failed(
          'mixed.jsonl',
          'line 2 is Zipkin JSON, but line 1 is OTLP/JSON: a file holds one format',
          'Split the dump into one file per format.',
        ),
      },
    ],
    [
      'text.json',
      otlp,
      { format: 'otlp-proto' },
      { reason: 'wrong-format', message: failed('text.json', 'the file is text (JSON), not OTLP protobuf', PROTO) },
    ],
    [
      'trunc.bin',
      Buffer.from([0x00, 0x00, 0x00, 0x09, 0x0a]),
      {},
      {
        reason: 'invalid-protobuf',
        message: failed(
          'trunc.bin',
          'frame 1 at byte 0 says 9 bytes follow, but only 1 do (the file is truncated or not framed)',
          PROTO,
        ),
      },
    ],
  ])('refuses %s', async (name, body, limits, expected) => {
    writeFileSync(join(dir, name), body);
    expect(await readDumpFile(join(dir, name), name, limits)).toEqual({ ok: false, file: name, ...expected });
  });

  it('refuses a directory as unreadable, naming the files in it to pass instead', async () => {
    mkdirSync(join(dir, 'a-folder'));
    const hint = (name: string): string =>
      `Name the dumps in it instead ("${name}/*"): tracehop reads several files at once, and a trace split over them.`;
    expect([
      await readDumpFile(join(dir, 'a-folder'), 'a-folder'),
      await readDumpFile(join(dir, 'a-folder'), 'tempo/'),
    ]).toEqual([
      {
        ok: false,
        reason: 'unreadable',
        file: 'a-folder',
        message: failed('a-folder', 'it is a directory, not a file', hint('a-folder')),
      },
      {
        ok: false,
        reason: 'unreadable',
        file: 'tempo/',
        message: failed('tempo/', 'it is a directory, not a file', hint('tempo')),
      },
    ]);
  });
});
