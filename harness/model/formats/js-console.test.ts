import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../test-support/scratch-dir';
import { CUT_MARKER, decodeJsConsoleValue, readDumpFile, readInspectText } from '.';

const HINT =
  "Check the file as @opentelemetry/sdk-trace-base's ConsoleSpanExporter wrote it (console.dir of each span), or export with @opentelemetry/exporter-trace-otlp-http to tracehop serve.";
const FIXTURES = join(__dirname, '../../../fixtures/dumps/js-console');
const TRACE_2 = 'b63a60477e2bfeb3620a19544d93f2a3';

/** A span as SDK 2.x's ConsoleSpanExporter prints it, its lines to vary one at a time. */
const SPAN_LINES = [
  '{',
  "  resource: { attributes: { 'service.name': 'payment-api' } },",
  "  instrumentationScope: { name: 'tracehop.example/payment-api', version: '1.0.0', schemaUrl: undefined },",
  "  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',",
  '  parentSpanContext: {',
  "    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',",
  "    spanId: 'fe444bd4e4f5a6b7',",
  '    traceFlags: 1,',
  '    isRemote: true,',
  "    traceState: TraceState { _internalState: Map(1) { 'rojo' => '00f067aa0ba902b7' } }",
  '  },',
  "  traceState: 'rojo=00f067aa0ba902b7',",
  "  name: 'POST /payments',",
  "  id: '777e07e9f5a6b7c8',",
  '  kind: 1,',
  '  timestamp: 1796400039758000,',
  '  duration: 25000.5,',
  "  attributes: { 'http.request.method': 'POST' },",
  "  status: { code: 2, message: 'declined' },",
  '  events: [],',
  '  links: []',
  '}',
];

function span(edit: (lines: string[]) => string[] = (lines) => lines): string {
  return `${edit([...SPAN_LINES]).join('\n')}\n`;
}

/** Replaces the line that starts with `start` (after its indent) by `line` (undefined: removes it). */
const replace =
  (start: string, line?: string) =>
  (lines: string[]): string[] => {
    const at = lines.findIndex((text) => text.trimStart().startsWith(start));
    if (at === -1) throw new Error(`no line ${start}`);
    lines.splice(at, 1, ...(line === undefined ? [] : [line]));
    return lines;
  };

async function readText(text: string, options: Parameters<typeof readDumpFile>[2] = {}) {
  const file = join(scratchDir('js-console-'), 'console.log');
  writeFileSync(file, text);
  return readDumpFile(file, 'console.log', { parallel: false, ...options });
}

async function failureOf(text: string, options: Parameters<typeof readDumpFile>[2] = {}): Promise<string> {
  const result = await readText(text, options);
  return result.ok ? 'read' : result.message;
}

describe("OpenTelemetry JS's ConsoleSpanExporter output", () => {
  it('reads real SDK 2.x output span for span, cut values as markers', async () => {
    const result = await readDumpFile(join(FIXTURES, 'checkout-ok.sdk2.txt'), 'ok.txt', { parallel: false });
    if (!result.ok) throw new Error(result.message);
    expect(result.format).toBe('js-console');
    expect(result.spans[0]).toEqual({
      traceId: TRACE_2,
      spanId: '01a972272f4ee01e',
      parentSpanId: '339e783e21fe189e',
      name: 'authorize card',
      kind: 'internal',
      service: 'payment-api',
      startTimeMs: 1796409868296,
      endTimeMs: (1796409868296000 + 280.426) / 1000,
      attributes: {
        'payment.amount': 42.5,
        'payment.retried': false,
        'payment.items': ['sku-1', 'sku-2'],
        'payment.note': `it's "quoted" \\ tab\tünïcødé 😀 \u0007 bell\nsecond line`,
        'payment.both': `it's "both"`,
        'payment.all': `it's "all" \`three\``,
        'payment.blob': `${CUT_MARKER}a string of 10050 characters]`,
        'payment.scores': `${CUT_MARKER}a list of 120 items]`,
        'payment.specials': [NaN, Infinity, -Infinity, -0, 1e21, 5e-7],
        'payment.sparse': ['a', null, null, 'b'],
        'payment.empty': '',
      },
      traceFlags: 1,
      traceState: 'rojo=00f067aa0ba902b7',
      statusCode: 1,
      links: [
        {
          traceId: TRACE_2,
          spanId: '339e783e21fe189e',
          attributes: { 'link.reason': 'retry', 'link.ids': `${CUT_MARKER}[Array]]` },
        },
      ],
      source: { file: 'ok.txt', line: 4 },
    });
    expect(
      result.spans.map((s) => [s.spanId, s.parentSpanId, s.name, s.kind, s.service, s.startTimeMs, s.source?.line]),
    ).toEqual([
      ['01a972272f4ee01e', '339e783e21fe189e', 'authorize card', 'internal', 'payment-api', 1796409868296, 4],
      ['2012c81d0d730804', '339e783e21fe189e', 'POST', 'client', 'payment-api', 1796409868299, 73],
      ['339e783e21fe189e', 'c217ef2760f52b06', 'POST', 'server', 'payment-api', 1796409868292, 111],
      ['c217ef2760f52b06', '707a6ce321dae9fe', 'POST', 'client', 'api-gateway', 1796409868281, 152],
      ['60783238c07b2c90', '2012c81d0d730804', 'POST', 'server', 'fraud-service', 1796409868310, 190],
      ['7557b0b5dff8e5ce', '0474430e91c30d0d', 'POST', 'client', 'web-shop', 1796409868273, 231],
      ['0474430e91c30d0d', undefined, 'checkout', 'internal', 'web-shop', 1796409868271, 267],
      ['707a6ce321dae9fe', '7557b0b5dff8e5ce', 'POST', 'server', 'api-gateway', 1796409868279, 287],
    ]);
    expect(new Set(result.spans.map((s) => `${s.traceId} ${s.traceState} ${s.traceFlags}`))).toEqual(
      new Set([`${TRACE_2} rojo=00f067aa0ba902b7 1`]),
    );
  });

  it('reads coloured output (console.dir to a terminal) as the same values', async () => {
    const read = async (name: string) => {
      const result = await readDumpFile(join(FIXTURES, name), name, { parallel: false });
      if (!result.ok) throw new Error(result.message);
      return result.spans.find((s) => s.name === 'authorize card');
    };
    const [plain, coloured] = await Promise.all([read('checkout-ok.sdk2.txt'), read('checkout-ok.sdk2.color.txt')]);
    expect(coloured?.attributes).toEqual(plain?.attributes);
    expect([coloured?.kind, coloured?.traceState, coloured?.statusCode, coloured?.links?.length]).toEqual([
      'internal',
      'rojo=00f067aa0ba902b7',
      1,
      1,
    ]);
  });

  it("reads real SDK 1.x output (parentId, the SDK's resource attributes), a BatchSpanProcessor's order", async () => {
    const result = await readDumpFile(join(FIXTURES, 'checkout-ok.sdk1.txt'), 'ok1.txt', { parallel: false });
    if (!result.ok) throw new Error(result.message);
    expect(
      result.spans.map((s) => [
        s.spanId,
        s.parentSpanId,
        s.kind,
        s.service,
        s.startTimeMs,
        s.endTimeMs,
        s.source?.line,
      ]),
    ).toEqual([
      ['9aab7543a5a849b4', 'de22ef6ae569c2ef', 'client', 'api-gateway', 1796409870392, 1796409870511.75, 4],
      ['de22ef6ae569c2ef', '1e21d9750f98247c', 'server', 'api-gateway', 1796409870390, 1796409870525.8928, 43],
      ['3606702b39448522', 'bd912e4e9e40518d', 'internal', 'payment-api', 1796409870400, 1796409870400.1985, 86],
      ['98ea252f9e5fac7f', 'bd912e4e9e40518d', 'client', 'payment-api', 1796409870401, 1796409870508.9167, 153],
      ['bd912e4e9e40518d', '9aab7543a5a849b4', 'server', 'payment-api', 1796409870398, 1796409870509.891, 192],
      ['17730c6769ff540c', '98ea252f9e5fac7f', 'server', 'fraud-service', 1796409870423, 1796409870448.9265, 235],
      ['1e21d9750f98247c', '0c56f5c29be7bbc2', 'client', 'web-shop', 1796409870382, 1796409870526.1438, 278],
      ['0c56f5c29be7bbc2', undefined, 'internal', 'web-shop', 1796409870380, 1796409870526.705, 317],
    ]);
  });

  it('reads a span printed on one line, and an SDK 1.x root (parentId: undefined, traceState: undefined)', async () => {
    const root = span((lines) =>
      replace(
        "traceState: 'rojo",
        '  traceState: undefined,',
      )([...lines.slice(0, 4), '  parentId: undefined,', ...lines.slice(11)]),
    );
    const oneLine = `${SPAN_LINES.map((line) => line.trim()).join(' ')}\n`;
    const result = await readText(`${root}${oneLine}`);
    if (!result.ok) throw new Error(result.message);
    expect(result.spans.map((s) => [s.parentSpanId, s.traceState, s.statusCode, s.endTimeMs, s.source?.line])).toEqual([
      [undefined, '', 2, 1796400039783.0005, 1],
      ['fe444bd4e4f5a6b7', 'rojo=00f067aa0ba902b7', 2, 1796400039783.0005, 17],
    ]);
  });

  it.each([
    [
      'a string not closed on its line',
      span(replace("name: 'POST", "  name: 'POST /payments,")),
      "line 13 (in the span opened on line 1) has a string that is not closed on its line (opened with ')",
    ],
    [
      'a second span opened inside the first',
      span((lines) => [...lines.slice(0, 5), '{', ...lines.slice(5)]),
      "line 6 opens a span while the span opened on line 1 is still open: two processes' prints are interleaved line by line. Write each process's output to its own file (a ConsoleSpanExporter per process, stdout redirected per service) and check the files together",
    ],
    [
      'a kind that is no SpanKind',
      span(replace('kind:', '  kind: 7,')),
      'line 1, kind 7 is not a span kind (0 internal, 1 server, 2 client, 3 producer, 4 consumer) (span "POST /payments")',
    ],
    [
      'an uppercase trace id',
      span(replace("traceId: '4bf", "  traceId: '4BF92F3577B34DA6A3CE929D0E0E4736',")),
      'line 1, traceId "4BF92F3577B34DA6A3CE929D0E0E4736" is not a trace id: it has uppercase hex (span "POST /payments")',
    ],
    [
      "a parent in another trace than its span's",
      span((lines) => lines.map((line, i) => (i === 5 ? "    traceId: '0af7651916cd43dd8448eb211c80319c'," : line))),
      'line 1, parentSpanContext.traceId "0af7651916cd43dd8448eb211c80319c" is not the span\'s own trace id "4bf92f3577b34da6a3ce929d0e0e4736": a parent is in its child\'s trace (span "POST /payments")',
    ],
    [
      'a parent context console.dir left out',
      span((lines) => [...lines.slice(0, 4), '  parentSpanContext: [Object],', ...lines.slice(11)]),
      'line 1, parentSpanContext is [Object], which the print cut short: the parent\'s span context cannot be read from part of it (span "POST /payments")',
    ],
    [
      'a trace state cut short',
      span(replace("traceState: 'rojo", `  traceState: '${'k'.repeat(10000)}'... 5 more characters,`)),
      'line 1, traceState is a string of 10005 characters, which the print cut short: a trace state cannot be read from part of it (span "POST /payments")',
    ],
    [
      'a service name cut short',
      span(
        replace(
          'resource:',
          `  resource: { attributes: { 'service.name': '${'s'.repeat(10000)}'... 1 more character } },`,
        ),
      ),
      'line 1, resource.attributes[\'service.name\'] is a string of 10001 characters, which the print cut short: a service name cannot be read from part of it (span "POST /payments")',
    ],
    [
      'a duration that is no number',
      span(replace('duration:', "  duration: '25ms',")),
      'line 1, duration "25ms" is not a time in microseconds (a number of 0 or more) (span "POST /payments")',
    ],
    [
      'a print cut short at its end',
      span().slice(0, -3),
      'the span opened on line 1 never ends (no line "}" after it, to line 21): the file is cut short, and the span cannot be read. Copy the output again once the process has exited, or delete the unfinished span to check the rest',
    ],
    [
      'a span printed on one line, cut short at the end of the file',
      `${span()}${SPAN_LINES.map((line) => line.trim())
        .join(' ')
        .slice(0, 200)}`,
      'the span printed on line 23 ends before its closing "}": the print was cut short, and the span cannot be read. Copy the output again once the process has exited, or delete the unfinished span to check the rest',
    ],
    [
      'a span printed on one line, cut short before its trace id',
      `${span()}{ resource: { attributes: { 'service.name': 'paym\n`,
      'the span printed on line 23 ends before its closing "}": the print was cut short, and the span cannot be read. Copy the output again once the process has exited, or delete the unfinished span to check the rest',
    ],
    [
      'a span printed on one line, cut short after a value\'s own "}"',
      `${span()}${SPAN_LINES.slice(0, 4)
        .map((line) => line.trim())
        .join(' ')} attributes: { a: 1 }\n`,
      'the span printed on line 23 ends before its closing "}": the print was cut short, and the span cannot be read. Copy the output again once the process has exited, or delete the unfinished span to check the rest',
    ],
  ])('refuses %s, naming the line', async (_, text, cause) => {
    const message = await failureOf(text);
    const hint = cause.includes('. ') ? '' : ` ${HINT}`;
    expect(message).toBe(`[tracehop] Failed to read spans from "console.log": ${cause}.${hint}`);
  });

  it('reads a file named --format js-console that holds none of its spans as a failure, not as no spans', async () => {
    expect(await failureOf('just a log line\n', { format: 'js-console' })).toBe(
      `[tracehop] Failed to read spans from "console.log": the file holds no span as ConsoleSpanExporter prints it (a line "{", the span's keys indented, a line "}"). ${HINT}`,
    );
  });

  it("refuses another SDK's span print among the spans, as a file of two formats", async () => {
    const go =
      '{"Name":"POST","SpanContext":{"TraceID":"4bf92f3577b34da6a3ce929d0e0e4736","SpanID":"7e262974d3e4f5a6"}}';
    expect(await failureOf(`${span()}${go}\n${span()}`)).toBe(
      '[tracehop] Failed to read spans from "console.log": line 23 is OpenTelemetry Go\'s stdouttrace output, but the file is OpenTelemetry JS\'s ConsoleSpanExporter output: a file holds one format. Split the dump into one file per format.',
    );
  });

  it('skips log lines between spans and inside one, and says so', async () => {
    const lines = span().split('\n');
    const text = ['server listening', ...lines.slice(0, 8), 'GET /health 200', ...lines.slice(8)].join('\n');
    const result = await readText(text);
    expect(result.ok && [result.spans.length, result.notes]).toEqual([
      1,
      [
        '[tracehop] Note: "console.log" holds 2 lines of other output between the spans ConsoleSpanExporter printed (the first on line 1); they were skipped.',
      ],
    ]);
  });

  it('skips objects the process logged itself, before and between spans, and says so', async () => {
    // console.log of an object the service logs (a nested traceId is no span's own), then a one-line log with a trace id.
    const logged = [
      '{',
      "  user: { id: 1, name: 'x' },",
      '  ctx: {',
      "    traceId: 'abc'",
      '  },',
      "  note: 'ok'",
      '}',
    ];
    const text = [
      ...logged,
      ...span().split('\n').slice(0, -1),
      "{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', msg: 'paid' }",
      ...span().split('\n'),
    ].join('\n');
    const result = await readText(text);
    expect(result.ok && [result.spans.map((s) => s.source?.line), result.notes]).toEqual([
      [8, 31],
      [
        '[tracehop] Note: "console.log" holds 8 lines of other output between the spans ConsoleSpanExporter printed (the first on line 1); they were skipped.',
      ],
    ]);
  });

  it('skips a logged object with a traceId and an id of its own (a request log), but refuses a broken span', async () => {
    // pino-style request logs: the trace id for correlation, the request's own id, no kind, timestamp or duration.
    const logged = [
      '{',
      "  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',",
      '  id: 42,',
      "  name: 'checkout',",
      "  msg: 'request completed'",
      '}',
    ];
    const oneLine = "{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', id: 'req-7', msg: 'paid' }";
    const text = [...span().split('\n').slice(0, -1), ...logged, oneLine, ...span().split('\n')].join('\n');
    const result = await readText(text);
    expect(result.ok && [result.spans.map((s) => s.source?.line), result.notes]).toEqual([
      [1, 30],
      [
        '[tracehop] Note: "console.log" holds 7 lines of other output between the spans ConsoleSpanExporter printed (the first on line 23); they were skipped.',
      ],
    ]);
    // A block with every key a span has is a span: one that does not decode is still refused, not skipped.
    expect(await failureOf(span(replace('kind:', '  kind: 9,')))).toBe(
      `[tracehop] Failed to read spans from "console.log": line 1, kind 9 is not a span kind (0 internal, 1 server, 2 client, 3 producer, 4 consumer) (span "POST /payments"). ${HINT}`,
    );
  });

  it('reads a long line full of "traceId" that does not end as a one-line span in one pass, not one per "traceId"', async () => {
    // 2 MB of "traceId: '" after "{ ": the one-line test backtracked over every occurrence (minutes, not ms).
    const logged = await readText(`${span()}{ msg: ${"traceId: '".repeat(200_000)}\n`);
    expect(logged.ok && [logged.spans.length, logged.notes]).toEqual([
      1,
      [
        '[tracehop] Note: "console.log" holds 1 line of other output between the spans ConsoleSpanExporter printed (on line 23); it was skipped.',
      ],
    ]);
    // Opened as a span opens, it is a span cut short: refused, not skipped.
    expect(await failureOf(`{ ${"traceId: '".repeat(200_000)}\n${span()}`)).toBe(
      '[tracehop] Failed to read spans from "console.log": the span printed on line 1 ends before its closing "}": the print was cut short, and the span cannot be read. Copy the output again once the process has exited, or delete the unfinished span to check the rest.',
    );
  });

  it('returns a failure for hostile input, never throws: deep nesting, a huge line, a huge span', async () => {
    const deep = `{\n  traceId: ${'{ a: '.repeat(200_000)}\n}\n`;
    expect(await failureOf(deep)).toBe(
      `[tracehop] Failed to read spans from "console.log": line 2 (in the span opened on line 1) nests deeper than 32 levels, more than console.dir prints. ${HINT}`,
    );
    const huge = span(replace('name:', `  name: '${'n'.repeat(4_000_000)}',`));
    const read = await readText(huge);
    expect(read.ok && read.spans[0]?.name.length).toBe(4_000_000);
    expect(await failureOf(huge, { maxTextBytes: 1_000_000 })).toBe(
      '[tracehop] Failed to read spans from "console.log": line 13 is longer than 1000000 bytes, more than one string can hold. Write the dump as JSON Lines (one ExportTraceServiceRequest per line), as the Collector file exporter does.',
    );
    const long = span((lines) => [
      ...lines.slice(0, 2),
      ...Array<string>(20_000).fill(`    ${'x'.repeat(60)}`),
      ...lines.slice(2),
    ]);
    expect(await failureOf(long, { maxTextBytes: 1_000_000 })).toBe(
      `[tracehop] Failed to read spans from "console.log": the span opened on line 1 is longer than 1000000 bytes, more than one string can hold. ${HINT}`,
    );
    for (const value of [readInspectText('{ a: 1 }'), readInspectText('[ 1 ]'), readInspectText("'x'")])
      if (value.ok)
        expect(decodeJsConsoleValue(value.value, { file: 'f' }, { cutValues: 0, withoutResource: 0 }).ok).toBe(false);
  });
});
