import fc from 'fast-check';
import { decodeJsonExport } from '../backend';
import { asSpanId, asTraceId } from './ids';
import { decodeOtlpJson, decodeOtlpJsonExport, encodeOtlpJson } from './otlp-json';
import { decodeOtlpProtobuf } from './otlp-proto';
import type { Span } from './span';

const T = 'a'.repeat(32);
const S1 = '1'.repeat(16);
const S2 = '2'.repeat(16);
/** An attribute only the full decoder reads (a nested list), so a span holding it leaves the fast path. */
const nested = { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }] } } };

function doc(spans: unknown[], service = 'api-gateway'): string {
  return JSON.stringify({
    resourceSpans: [
      { resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ spans }] },
    ],
  });
}

function failMessage(text: string, file = 'dump.json'): string {
  const result = decodeOtlpJson(text, file);
  if (result.ok) throw new Error('expected a decode error');
  return result.message;
}

describe('decodeOtlpJson', () => {
  it('reads a span whose start is 0 or missing as having no time (0 to 0), whatever its end', () => {
    const spans = [{ startTimeUnixNano: '0' }, {}].map((start, i) => ({
      traceId: T,
      spanId: `${i + 1}`.padStart(16, '0'),
      name: 'a',
      ...start,
      endTimeUnixNano: '1700000000001500000',
    }));
    const result = decodeOtlpJson(doc(spans), 'dump.json');
    expect(result.ok && result.spans.map((span) => [span.startTimeMs, span.endTimeMs])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('decodes a single document with string kinds, number times and an empty parent as a root', () => {
    const text = doc([
      {
        traceId: T,
        spanId: S1,
        parentSpanId: '',
        name: 'POST /checkout',
        kind: 'SPAN_KIND_SERVER',
        startTimeUnixNano: 1700000000000000000,
        endTimeUnixNano: '1700000000001500000',
        flags: 257,
        attributes: [{ key: 'http.status_code', value: { intValue: '200' } }],
      },
    ]);
    const result = decodeOtlpJson(text, 'dump.json');
    expect(result).toEqual({
      ok: true,
      spans: [
        {
          traceId: T,
          spanId: S1,
          name: 'POST /checkout',
          kind: 'server',
          service: 'api-gateway',
          startTimeMs: 1700000000000,
          endTimeMs: 1700000000001.5,
          attributes: { 'http.status_code': 200 },
          traceFlags: 1,
          // OTLP records the trace state: left out, it is known to be empty.
          traceState: '',
          source: { file: 'dump.json' },
        },
      ],
    });
  });

  it('reads no trace flags from span flags holding only the remote-parent bits, as the Go and Python SDKs write them', () => {
    const spans = [0x101, 0x100, 0x300, 0, 0x301].map((flags, i) => ({
      traceId: T,
      spanId: `${i + 1}`.padStart(16, '0'),
      name: 'a',
      kind: 2,
      flags,
    }));
    const result = decodeOtlpJson(doc(spans), 'dump.json');
    expect(result.ok && result.spans.map((span) => ('traceFlags' in span ? span.traceFlags : 'none'))).toEqual([
      1,
      'none',
      'none',
      0,
      1,
    ]);
  });

  it("reads a zero low byte beside the remote-parent bits as not sampled when the resource's SDK writes bits 0-7 (Java)", () => {
    const resource = (language: string) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: `${language}-service` } },
          { key: 'telemetry.sdk.language', value: { stringValue: language } },
        ],
      },
      scopeSpans: [
        {
          spans: [0x300, 0x100, 0x301].map((flags, i) => ({
            traceId: T,
            spanId: `${language.length}${i + 1}`.padStart(16, '0'),
            name: 'a',
            kind: 2,
            flags,
          })),
        },
      ],
    });
    const result = decodeOtlpJson(JSON.stringify({ resourceSpans: [resource('java'), resource('go')] }), 'dump.json');
    expect(
      result.ok && result.spans.map((span) => [span.service, 'traceFlags' in span ? span.traceFlags : 'none']),
    ).toEqual([
      ['java-service', 0],
      ['java-service', 0],
      ['java-service', 1],
      ['go-service', 'none'],
      ['go-service', 'none'],
      ['go-service', 1],
    ]);
  });

  it('names a log of a logging exporter (java.util.logging: a header line, then INFO: and the export) and how to write JSON alone', () => {
    const log =
      'Dec 03, 2025 8:20:00 AM io.opentelemetry.exporter.logging.otlp.OtlpJsonLoggingSpanExporter export\n' +
      `INFO: ${JSON.stringify(JSON.parse(doc([{ traceId: T, spanId: S1, name: 'a', kind: 2 }])).resourceSpans[0])}\n`;
    expect(failMessage(log, 'app.log')).toBe(
      '[tracehop] Failed to read spans from "app.log": line 2 holds an OTLP/JSON export after the log prefix "INFO: ": ' +
        'the file is a log of an exporter that writes OTLP/JSON through a logger, not a dump. Write each export alone on ' +
        "its line: under java.util.logging, set java.util.logging.SimpleFormatter.format=%5$s%n for the exporter's logger; " +
        "or export with the Collector's file exporter; or keep only the JSON of this log (sed -n 's/^INFO: //p' on the file).",
    );
  });

  it('names logcat and its cut at about 4 KB for a log read from an Android device, and grep for any other prefix', () => {
    const exportLine = JSON.stringify(
      JSON.parse(doc([{ traceId: T, spanId: S1, name: 'a', kind: 2 }])).resourceSpans[0],
    );
    const logs = [
      `--------- beginning of main\n08-12 09:59:49.123  4312  4390 I OtlpJsonLoggingSpanExporter: ${exportLine}\n`,
      `I/OtlpJsonLoggingSpanE( 4312): ${exportLine}\n`,
      `2025-12-03 08:20:00 exporter | ${exportLine}\n`,
    ];
    const android = (line: number, prefix: string) =>
      `[tracehop] Failed to read spans from "app.log": line ${line} holds an OTLP/JSON export after the log prefix ${JSON.stringify(prefix)}: ` +
      'the file is a log of an exporter that writes OTLP/JSON through a logger, not a dump. On Android the exporter writes ' +
      'to logcat, which cuts each message at about 4 KB, so only small exports survive whole: export with the OTLP/HTTP ' +
      "exporter to tracehop's receiver (tracehop serve) instead, or keep only the exporter's messages (adb logcat -d -v raw -s ";
    expect(logs.map((log) => failMessage(log, 'app.log'))).toEqual([
      `${android(2, '08-12 09:59:49.123  4312  4390 I OtlpJsonLoggingSpanExporter: ')}"OtlpJsonLoggingSpanExporter" > spans.jsonl) and check that file.`,
      `${android(1, 'I/OtlpJsonLoggingSpanE( 4312): ')}"OtlpJsonLoggingSpanE" > spans.jsonl) and check that file.`,
      '[tracehop] Failed to read spans from "app.log": line 1 holds an OTLP/JSON export after the log prefix "2025-12-03 08:20:00 exporter | ": ' +
        'the file is a log of an exporter that writes OTLP/JSON through a logger, not a dump. Write each export alone on ' +
        "its line: under java.util.logging, set java.util.logging.SimpleFormatter.format=%5$s%n for the exporter's logger; " +
        `or export with the Collector's file exporter; or keep only the JSON of this log (grep -o '{"resource.*' on the file).`,
    ]);
  });

  it('names a field holding a huge or deeply nested value with the start of it, not with all of it or a stack overflow', () => {
    const where = '[tracehop] Failed to read spans from "dump.json": resourceSpans[0].scopeSpans[0].spans[0]';
    const hint = "Export with the OTLP JSON encoding or the Collector's file exporter.";
    const kind = 'is not a span kind (0-5 or "SPAN_KIND_SERVER" and the like)';
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const withKind = (value: string) =>
      `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${T}","spanId":"${S1}","name":"x","kind":${value}}]}]}]}`;
    expect([
      failMessage(withKind(deep)),
      failMessage(withKind(JSON.stringify('x'.repeat(1_000_000)))),
      failMessage(
        doc([{ traceId: T, spanId: S1, name: 'x', attributes: [{ key: 'n', value: { intValue: 'DEEP' } }] }]).replace(
          '"DEEP"',
          deep,
        ),
      ),
    ]).toEqual([
      `${where}.kind ${'['.repeat(40)}... ${kind}. ${hint}`,
      `${where}.kind "${'x'.repeat(40)}..." ${kind}. ${hint}`,
      `${where}.attributes[0].value.intValue ${'['.repeat(40)}... is not an integer. ${hint}`,
    ]);
  });

  it('keeps the syntax error for a stray byte before the document (no log prefix: it says nothing)', () => {
    // An invalid UTF-8 byte reads as U+FFFD.
    expect(failMessage(`\uFFFD${doc([{ traceId: T, spanId: S1, name: 'a', kind: 2 }])}\n`)).toBe(
      `[tracehop] Failed to read spans from "dump.json": line 1 is not valid JSON (Unexpected token '\uFFFD'). Export with the OTLP JSON encoding or the Collector's file exporter.`,
    );
  });

  it('keeps the syntax error for an indented document that does not parse (no log prefix but spaces)', () => {
    expect(failMessage('   {"resourceSpans": [}\n')).toBe(failMessage('{"resourceSpans": [}\n'));
  });

  it('decodes JSON Lines and records each span line', () => {
    const text = `${doc([{ traceId: T, spanId: S1, name: 'a', kind: 2 }])}\n\n${doc([{ traceId: T, spanId: S2, parentSpanId: S1, name: 'b', kind: 3 }], 'mobile-app')}\n`;
    const result = decodeOtlpJson(text, 'dump.jsonl');
    expect(result.ok && result.spans.map((s) => [s.spanId, s.parentSpanId, s.service, s.kind, s.source])).toEqual([
      [S1, undefined, 'api-gateway', 'server', { file: 'dump.jsonl', line: 1 }],
      [S2, S1, 'mobile-app', 'client', { file: 'dump.jsonl', line: 3 }],
    ]);
  });

  it('decodes JSON Lines with documents appended after them: two on one line, then a pretty-printed one', () => {
    const span = (spanId: string) => ({ traceId: T, spanId, name: 'a', kind: 2 });
    const pretty = JSON.stringify(JSON.parse(doc([span('4'.repeat(16))])), null, 2);
    const text = `${doc([span(S1)])}\n${doc([span(S2)])}${doc([span('3'.repeat(16))])}\n\n${pretty}\n`;
    const result = decodeOtlpJson(text, 'dump.jsonl');
    expect(result.ok && result.spans.map((s) => [s.spanId.slice(0, 1), s.source?.line])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 2],
      ['4', 4],
    ]);
  });

  it('lowercases uppercase hex ids, which the OTLP JSON encoding allows', () => {
    const result = decodeOtlpJson(
      doc([{ traceId: T.toUpperCase(), spanId: 'ABCDEF0123456789', name: 'a', kind: 1 }]),
      'd.json',
    );
    expect(result.ok && result.spans[0]!.spanId).toBe('abcdef0123456789');
  });

  it('says a 16-character trace id is a 64-bit one and a shorter hex id lost its leading zeros, with the mend of each', () => {
    const hint = "Export with the OTLP JSON encoding or the Collector's file exporter.";
    const at = '[tracehop] Failed to read spans from "dump.json": resourceSpans[0].scopeSpans[0].spans[0]';
    expect([
      failMessage(doc([{ traceId: '4bf92f3577b34da6', spanId: S1, name: 'a', kind: 1 }])),
      failMessage(doc([{ traceId: T, spanId: 'b3c4d5e6f708192', name: 'a', kind: 1 }])),
    ]).toEqual([
      `${at}.traceId "4bf92f3577b34da6" is not a trace id: it has 16 characters, not 32 hex characters (a 64-bit trace id, as Zipkin and older Jaeger clients make: pad it with 16 zeros on the left). ${hint}`,
      `${at}.spanId "b3c4d5e6f708192" is not a span id: it has 15 characters, not 16 hex characters (an exporter that drops leading zeros writes such ids, as Rust's opentelemetry-stdout 0.1 did: upgrade it, or pad the ids with zeros on the left). ${hint}`,
    ]);
  });

  it("pads a link's trace id that lost its leading zeros, as Grafana's trace download writes it, and no other id", () => {
    const link = (traceId: string) => ({ traceId, spanId: S2 });
    const span = (links: unknown[]) => [{ traceId: T, spanId: S1, name: 'a', kind: 2, links }];
    const read = decodeOtlpJson(doc(span([link('e0e4736'), link('4bf92f3577b34da6a3ce929d0e0e47')])), 'dump.json');
    expect(read.ok && read.spans[0]!.links).toEqual([
      { traceId: '0000000000000000000000000e0e4736', spanId: S2 },
      { traceId: '004bf92f3577b34da6a3ce929d0e0e47', spanId: S2 },
    ]);
    // Not hex, or the span's own trace id: refused as before.
    const at = '[tracehop] Failed to read spans from "dump.json": resourceSpans[0].scopeSpans[0].spans[0]';
    expect([
      failMessage(doc(span([link('e0e473g')]))),
      failMessage(doc([{ traceId: 'e0e4736', spanId: S1, name: 'a', kind: 2 }])),
    ]).toEqual([
      `${at}.links[0].traceId "e0e473g" is not a trace id: it has 7 characters, not 32 hex characters. Export with the OTLP JSON encoding or the Collector's file exporter.`,
      `${at}.traceId "e0e4736" is not a trace id: it has 7 characters, not 32 hex characters (an exporter that drops leading zeros writes such ids, as Rust's opentelemetry-stdout 0.1 did: upgrade it, or pad the ids with zeros on the left). Export with the OTLP JSON encoding or the Collector's file exporter.`,
    ]);
  });

  it('rejects an empty file', () => {
    expect(failMessage('  \n')).toBe(
      `[tracehop] Failed to read spans from "dump.json": the file is empty. Export with the OTLP JSON encoding or the Collector's file exporter.`,
    );
  });

  it('rejects a truncated single document', () => {
    expect(failMessage('{"resourceSpans": [')).toBe(
      `[tracehop] Failed to read spans from "dump.json": line 1 is not valid JSON (Unexpected end of JSON input). Export with the OTLP JSON encoding or the Collector's file exporter.`,
    );
  });

  it('rejects a truncated last line of JSON Lines, naming the line', () => {
    const result = decodeOtlpJson(`${doc([])}\n${doc([])}\n{"resourceSpans": [`, 'dump.jsonl');
    expect(result).toEqual({
      ok: false,
      reason: 'not-json',
      file: 'dump.jsonl',
      line: 3,
      message: `[tracehop] Failed to read spans from "dump.jsonl": line 3 is not valid JSON (Unexpected end of JSON input). Export with the OTLP JSON encoding or the Collector's file exporter.`,
    });
  });

  it('rejects valid JSON that is not OTLP', () => {
    expect(failMessage(`${doc([])}\n${doc([])}\n{"spans": []}\n`, 'dump.jsonl')).toBe(
      `[tracehop] Failed to read spans from "dump.jsonl": line 3 is not OTLP/JSON (no "resourceSpans"). Export with the OTLP JSON encoding or the Collector's file exporter.`,
    );
    expect(failMessage('[1, 2]')).toBe(
      `[tracehop] Failed to read spans from "dump.json": the document is not OTLP/JSON (no "resourceSpans"). Export with the OTLP JSON encoding or the Collector's file exporter.`,
    );
  });

  it('rejects a span id of the wrong length, naming its JSON path', () => {
    const text = JSON.stringify({
      resourceSpans: [
        {
          resource: {},
          scopeSpans: [
            { spans: [] },
            {
              spans: [0, 1, 2]
                .map((i) => ({ traceId: T, spanId: `${i + 1}`.repeat(16), name: 'x' }))
                .concat([{ traceId: T, spanId: 'abc', name: 'x' }]),
            },
          ],
        },
      ],
    });
    const result = decodeOtlpJson(text, 'dump.json');
    expect(result).toEqual({
      ok: false,
      reason: 'invalid-document',
      file: 'dump.json',
      path: 'resourceSpans[0].scopeSpans[1].spans[3].spanId',
      message: `[tracehop] Failed to read spans from "dump.json": resourceSpans[0].scopeSpans[1].spans[3].spanId "abc" is not a span id: it has 3 characters, not 16 hex characters (an exporter that drops leading zeros writes such ids, as Rust's opentelemetry-stdout 0.1 did: upgrade it, or pad the ids with zeros on the left). Export with the OTLP JSON encoding or the Collector's file exporter.`,
    });
  });

  it.each([
    [
      'not hex',
      { traceId: 'g'.repeat(32), spanId: S1 },
      'resourceSpans[0].scopeSpans[0].spans[0].traceId "gggggggggggggggggggggggggggggggg" is not a trace id: it has characters that are not hex',
    ],
    [
      'all zeros',
      { traceId: T, spanId: '0'.repeat(16) },
      'resourceSpans[0].scopeSpans[0].spans[0].spanId "0000000000000000" is not a span id: it is all zeros, which means "no id"',
    ],
    [
      'base64',
      { traceId: 'qqqqqqqqqqqqqqqqqqqqqg==', spanId: S1 },
      'resourceSpans[0].scopeSpans[0].spans[0].traceId "qqqqqqqqqqqqqqqqqqqqqg==" looks base64-encoded; the OTLP JSON encoding writes trace ids as 32 hex characters',
    ],
    ['missing', { spanId: S1 }, 'resourceSpans[0].scopeSpans[0].spans[0].traceId is missing or not a string'],
    [
      'bad parent',
      { traceId: T, spanId: S1, parentSpanId: 'xyz' },
      'resourceSpans[0].scopeSpans[0].spans[0].parentSpanId "xyz" is not a span id: it has 3 characters, not 16 hex characters',
    ],
    [
      'bad kind',
      { traceId: T, spanId: S1, kind: 'SERVER' },
      'resourceSpans[0].scopeSpans[0].spans[0].kind "SERVER" is not a span kind (0-5 or "SPAN_KIND_SERVER" and the like)',
    ],
    [
      'a name inherited from Object.prototype',
      { traceId: T, spanId: S1, kind: 'SPAN_KIND_CONSTRUCTOR' },
      'resourceSpans[0].scopeSpans[0].spans[0].kind "SPAN_KIND_CONSTRUCTOR" is not a span kind (0-5 or "SPAN_KIND_SERVER" and the like)',
    ],
    [
      'a lowercase kind name',
      { traceId: T, spanId: S1, kind: 'SPAN_KIND_server' },
      'resourceSpans[0].scopeSpans[0].spans[0].kind "SPAN_KIND_server" is not a span kind (0-5 or "SPAN_KIND_SERVER" and the like)',
    ],
    [
      'kind 6',
      { traceId: T, spanId: S1, kind: 6 },
      'resourceSpans[0].scopeSpans[0].spans[0].kind 6 is not a span kind (0-5 or "SPAN_KIND_SERVER" and the like)',
    ],
    [
      'kind 1.5',
      { traceId: T, spanId: S1, kind: 1.5 },
      'resourceSpans[0].scopeSpans[0].spans[0].kind 1.5 is not a span kind (0-5 or "SPAN_KIND_SERVER" and the like)',
    ],
    [
      'a name that is a number',
      { traceId: T, spanId: S1, name: 42 },
      'resourceSpans[0].scopeSpans[0].spans[0].name 42 is not a string',
    ],
    [
      'a traceState that is an object',
      { traceId: T, spanId: S1, traceState: { a: 1 } },
      'resourceSpans[0].scopeSpans[0].spans[0].traceState {"a":1} is not a string',
    ],
    [
      'a status that is a string',
      { traceId: T, spanId: S1, status: 'ERROR' },
      'resourceSpans[0].scopeSpans[0].spans[0].status is not a Status object',
    ],
    [
      'a status code out of words',
      { traceId: T, spanId: S1, status: { code: 'BROKEN' } },
      'resourceSpans[0].scopeSpans[0].spans[0].status.code "BROKEN" is not a status code (0-2 or "STATUS_CODE_ERROR" and the like)',
    ],
    [
      'bad time',
      { traceId: T, spanId: S1, startTimeUnixNano: '12:00' },
      'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano "12:00" is not a time in Unix nanoseconds (a whole number below 2^64)',
    ],
    [
      'a time beyond 64 bits, as a string',
      { traceId: T, spanId: S1, startTimeUnixNano: '18446744073709551616' },
      'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano "18446744073709551616" is not a time in Unix nanoseconds (a whole number below 2^64)',
    ],
    [
      'a time beyond 64 bits, as a number',
      { traceId: T, spanId: S1, endTimeUnixNano: 1e30 },
      'resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano 1e+30 is not a time in Unix nanoseconds (a whole number below 2^64)',
    ],
    [
      'flags beyond 32 bits (read as 0, that would be unsampled)',
      { traceId: T, spanId: S1, flags: 4294967296 },
      'resourceSpans[0].scopeSpans[0].spans[0].flags 4294967296 is not span flags (an unsigned 32-bit integer)',
    ],
  ])('rejects a span whose field is %s', (_name, span, cause) => {
    expect(failMessage(doc([{ name: 'x', ...span }]))).toBe(
      `[tracehop] Failed to read spans from "dump.json": ${cause}. Export with the OTLP JSON encoding or the Collector's file exporter.`,
    );
  });

  it('reads status codes by number or enum name, and a missing name as empty', () => {
    const result = decodeOtlpJson(
      doc([
        { traceId: T, spanId: S1, status: { code: 'STATUS_CODE_ERROR' } },
        { traceId: T, spanId: S2, name: 'b', status: { code: 1, message: 'fine' } },
      ]),
      'd.json',
    );
    expect(result.ok && result.spans.map((s) => [s.name, s.statusCode])).toEqual([
      ['', 2],
      ['b', 1],
    ]);
  });

  it('reads a Status without a code as code 0 (unset), as the protobuf decoder does, on every path', () => {
    // Span { trace_id (1), span_id (2), name (5) "x", status (15) { message (2) "declined" } }: no code field.
    const status = Buffer.concat([Buffer.from([0x12, 8]), Buffer.from('declined')]);
    const protoSpan = Buffer.concat([
      Buffer.from([0x0a, 16]),
      Buffer.from(T, 'hex'),
      Buffer.from([0x12, 8]),
      Buffer.from(S1, 'hex'),
      Buffer.from([0x2a, 1]),
      Buffer.from('x'),
      Buffer.from([0x7a, status.length]),
      status,
    ]);
    const scope = Buffer.concat([Buffer.from([0x12, protoSpan.length]), protoSpan]);
    const request = Buffer.concat([Buffer.from([0x0a, scope.length + 2, 0x12, scope.length]), scope]);
    const fromProtobuf = decodeOtlpProtobuf(request, { file: 'p' });
    // The receiver's fast path, the file decoder, and the full decoder (a nested attribute leaves the fast path).
    const spans = [
      { traceId: T, spanId: S1, name: 'x', status: { message: 'declined' } },
      { traceId: T, spanId: S2, name: 'x', status: {} },
      { traceId: T, spanId: S2, name: 'x', status: { code: null }, attributes: [nested] },
      { traceId: T, spanId: S2, name: 'x', status: null },
    ];
    const parsed = JSON.parse(doc(spans)) as { resourceSpans: unknown[] };
    const fromFile = decodeOtlpJson(doc(spans), 'd.json');
    const fromExport = decodeOtlpJsonExport(parsed.resourceSpans, { file: 'otlp-receiver' });
    expect({
      protobuf: fromProtobuf.ok && fromProtobuf.spans.map((s) => s.statusCode),
      file: fromFile.ok && fromFile.spans.map((s) => s.statusCode),
      receiver: fromExport.spans.map((s) => s.statusCode),
    }).toEqual({ protobuf: [0], file: [0, 0, 0, undefined], receiver: [0, 0, 0, undefined] });
  });

  it('keeps an attribute named "__proto__" as data, not as a prototype change', () => {
    const result = decodeOtlpJson(
      doc([{ traceId: T, spanId: S1, name: 'x', attributes: [{ key: '__proto__', value: { stringValue: 'p' } }] }]),
      'd.json',
    );
    const attributes = result.ok ? result.spans[0]!.attributes : {};
    expect([
      Object.keys(attributes),
      Object.getPrototypeOf(attributes) === Object.prototype,
      JSON.stringify(attributes),
    ]).toEqual([['__proto__'], true, '{"__proto__":"p"}']);
  });

  it.each([
    ['resourceSpans that is an object', { resourceSpans: {} }, 'resourceSpans is not an array'],
    ['a ResourceSpans that is a string', { resourceSpans: ['x'] }, 'resourceSpans[0] is not a ResourceSpans object'],
    [
      'a resource that is a list',
      { resourceSpans: [{ resource: [] }] },
      'resourceSpans[0].resource is not a Resource object',
    ],
    [
      'resource attributes that are a map',
      { resourceSpans: [{ resource: { attributes: { 'service.name': 'a' } } }] },
      'resourceSpans[0].resource.attributes is not an array of key-value pairs',
    ],
    [
      'a ScopeSpans that is a number',
      { resourceSpans: [{ scopeSpans: [1] }] },
      'resourceSpans[0].scopeSpans[0] is not a ScopeSpans object',
    ],
    [
      'spans that are not a list',
      { resourceSpans: [{ scopeSpans: [{ spans: 'x' }] }] },
      'resourceSpans[0].scopeSpans[0].spans is not an array',
    ],
    [
      'a span that is null',
      { resourceSpans: [{ scopeSpans: [{ spans: [null] }] }] },
      'resourceSpans[0].scopeSpans[0].spans[0] is not a span object',
    ],
    [
      'old instrumentationLibrarySpans with a bad span',
      { resourceSpans: [{ instrumentationLibrarySpans: [{ spans: [3] }] }] },
      'resourceSpans[0].instrumentationLibrarySpans[0].spans[0] is not a span object',
    ],
  ])('rejects a document whose %s, naming the path', (_name, document, cause) => {
    expect(failMessage(JSON.stringify(document))).toBe(
      `[tracehop] Failed to read spans from "dump.json": ${cause}. Export with the OTLP JSON encoding or the Collector's file exporter.`,
    );
  });

  it('decodes nested AnyValue attributes', () => {
    const result = decodeOtlpJson(
      doc([
        {
          traceId: T,
          spanId: S1,
          name: 'x',
          attributes: [
            {
              key: 'list',
              value: { arrayValue: { values: [{ stringValue: 'a' }, { doubleValue: 1.5 }, { boolValue: true }] } },
            },
            { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { intValue: 7 } }] } } },
            { key: 'empty', value: {} },
          ],
        },
      ]),
      'd.json',
    );
    expect(result.ok && result.spans[0]!.attributes).toEqual({ list: ['a', 1.5, true], map: { k: 7 }, empty: null });
  });
});

describe('encodeOtlpJson', () => {
  const span: Span = {
    traceId: asTraceId(T),
    spanId: asSpanId(S2),
    parentSpanId: asSpanId(S1),
    name: 'POST /payments',
    kind: 'client',
    service: 'api-gateway',
    startTimeMs: 1700000000000.25,
    endTimeMs: 1700000000010,
    attributes: { 'http.method': 'POST', retries: 2, ratio: 0.5, ok: true },
    traceFlags: 1,
    statusCode: 0,
  };

  it('writes hex ids, integer kinds and decimal-string nanoseconds grouped by service', () => {
    expect(encodeOtlpJson([span])).toEqual({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api-gateway' } }] },
          scopeSpans: [
            {
              scope: { name: 'tracehop' },
              spans: [
                {
                  traceId: T,
                  spanId: S2,
                  parentSpanId: S1,
                  flags: 1,
                  name: 'POST /payments',
                  kind: 3,
                  startTimeUnixNano: '1700000000000250000',
                  endTimeUnixNano: '1700000000010000000',
                  attributes: [
                    { key: 'http.method', value: { stringValue: 'POST' } },
                    { key: 'retries', value: { intValue: '2' } },
                    { key: 'ratio', value: { doubleValue: 0.5 } },
                    { key: 'ok', value: { boolValue: true } },
                  ],
                  status: { code: 0 },
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('writes NaN and the infinities as proto3 JSON does ("NaN", "Infinity"), and reads them back', () => {
    const odd: Span = { ...span, attributes: { nan: NaN, up: Infinity, down: -Infinity, third: 1 / 3 } };
    const text = JSON.stringify(encodeOtlpJson([odd]));
    const written = JSON.parse(text) as { resourceSpans: { scopeSpans: { spans: { attributes: unknown }[] }[] }[] };
    const decoded = decodeOtlpJson(text, 'odd.json');
    expect({
      written: written.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.attributes,
      read: decoded.ok ? decoded.spans.map((s) => s.attributes) : decoded,
    }).toEqual({
      written: [
        { key: 'nan', value: { doubleValue: 'NaN' } },
        { key: 'up', value: { doubleValue: 'Infinity' } },
        { key: 'down', value: { doubleValue: '-Infinity' } },
        { key: 'third', value: { doubleValue: 1 / 3 } },
      ],
      read: [{ nan: NaN, up: Infinity, down: -Infinity, third: 1 / 3 }],
    });
  });

  it('round-trips any spans through decode', () => {
    const hex = (n: number) =>
      fc
        .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n })
        .filter((s) => !/^0+$/.test(s));
    const arbSpan = fc.record(
      {
        traceId: hex(32).map(asTraceId),
        spanId: hex(16).map(asSpanId),
        parentSpanId: fc.option(hex(16).map(asSpanId), { nil: undefined }),
        name: fc.string(),
        kind: fc.constantFrom('unspecified', 'internal', 'server', 'client', 'producer', 'consumer' as const),
        service: fc.constantFrom('mobile-app', 'api-gateway', 'payment-api'),
        // Microsecond precision: what survives a float of epoch milliseconds.
        startTimeMs: fc.integer({ min: 1_600_000_000_000_000, max: 1_900_000_000_000_000 }).map((us) => us / 1000),
        endTimeMs: fc.integer({ min: 1_600_000_000_000_000, max: 1_900_000_000_000_000 }).map((us) => us / 1000),
        attributes: fc.dictionary(
          fc.string({ minLength: 1 }),
          fc.oneof(fc.string(), fc.boolean(), fc.integer(), fc.constant(null)),
        ),
        traceFlags: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
        // OTLP always records the trace state: an empty one comes back as '', known to be empty.
        traceState: fc.constantFrom('', 'rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE,rojo=1'),
      },
      {
        requiredKeys: [
          'traceId',
          'spanId',
          'name',
          'kind',
          'service',
          'startTimeMs',
          'endTimeMs',
          'attributes',
          'traceState',
        ],
      },
    );
    fc.assert(
      fc.property(fc.array(arbSpan, { maxLength: 8 }), (spans) => {
        const result = decodeOtlpJson(JSON.stringify(encodeOtlpJson(spans)), 'rt.json');
        // Compare as canonical JSON (sorted keys), so the order of keys and spans does not matter.
        const canonical = (value: unknown): unknown =>
          Array.isArray(value)
            ? value.map(canonical)
            : value && typeof value === 'object'
              ? Object.fromEntries(
                  Object.entries(value)
                    .filter(([k, v]) => k !== 'source' && v !== undefined)
                    .sort(([a], [b]) => (a < b ? -1 : 1))
                    .map(([k, v]) => [k, canonical(v)]),
                )
              : value;
        const sorted = (list: Span[]) => list.map((s) => JSON.stringify(canonical(s))).sort();
        expect(result.ok && sorted(result.spans)).toEqual(sorted(spans));
      }),
    );
  });
});

describe('decodeOtlpJson on arbitrary input', () => {
  it('returns spans or one prefixed error naming the file, for any text', () => {
    const texts = fc.oneof(
      fc.string(),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.jsonValue().map((value) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [value] }] }] })),
      fc
        .array(
          fc.jsonValue().map((value) => JSON.stringify({ resourceSpans: value })),
          { maxLength: 4 },
        )
        .map((lines) => lines.join('\n')),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const result = decodeOtlpJson(text, 'fuzz.json');
        if (result.ok) return Array.isArray(result.spans);
        return (
          result.file === 'fuzz.json' &&
          result.message.startsWith('[tracehop] Failed to read spans from "fuzz.json": ') &&
          !result.message.includes('\n')
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeOtlpJson limits', () => {
  it('refuses attributes nested deeper than 32 levels instead of risking the stack', () => {
    let value: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const result = decodeOtlpJson(
      doc([{ traceId: T, spanId: S1, name: 'x', attributes: [{ key: 'deep', value }] }]),
      'deep.json',
    );
    const path = `resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value${'.arrayValue.values[0]'.repeat(33)}`;
    expect(result).toEqual({
      ok: false,
      reason: 'invalid-document',
      file: 'deep.json',
      path,
      message: `[tracehop] Failed to read spans from "deep.json": ${path} nests arrays or maps deeper than 32 levels. Export with the OTLP JSON encoding or the Collector's file exporter.`,
    });
  });
});

describe('decodeOtlpJson on bare ResourceSpans (the Java SDK logging-otlp exporter)', () => {
  const HINT = "Export with the OTLP JSON encoding or the Collector's file exporter.";
  const span = (spanId: string, parentSpanId?: string): Record<string, unknown> => ({
    traceId: T,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: `op ${spanId.slice(0, 1)}`,
    kind: 2,
    startTimeUnixNano: '1795683600000000000',
    endTimeUnixNano: '1795683600100000000',
    status: {},
    flags: 257,
  });
  const resourceSpans = (service: string, spans: unknown[], scopesKey = 'scopeSpans'): Record<string, unknown> => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    [scopesKey]: [{ scope: { name: 'io.opentelemetry.okhttp-3.0' }, spans }],
    schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
  });

  it('reads one bare ResourceSpans a line as the same spans as the wrapped form, pre-1.0 scope key too', () => {
    const entries = [
      resourceSpans('mobile-app', [span(S1)]),
      resourceSpans('api-gateway', [span(S2, S1), span('3'.repeat(16), S2)], 'instrumentationLibrarySpans'),
    ];
    const bare = decodeOtlpJson(entries.map((entry) => JSON.stringify(entry)).join('\n'), 'java.jsonl');
    const wrapped = decodeOtlpJson(
      entries.map((entry) => JSON.stringify({ resourceSpans: [entry] })).join('\n'),
      'java.jsonl',
    );
    expect(bare).toEqual(wrapped);
    expect(bare.ok && bare.spans.map((s) => [s.service, s.spanId, s.parentSpanId, s.source?.line])).toEqual([
      ['mobile-app', S1, undefined, 1],
      ['api-gateway', S2, S1, 2],
      ['api-gateway', '3'.repeat(16), S2, 2],
    ]);
    // One pretty-printed bare ResourceSpans is a document of its own.
    const single = decodeOtlpJson(JSON.stringify(entries[0], null, 2), 'one.json');
    expect(single.ok && single.spans.map((s) => [s.service, s.spanId, s.source])).toEqual([
      ['mobile-app', S1, { file: 'one.json' }],
    ]);
  });

  it('names the line and the JSON path from the bare object of a bad span or resource', () => {
    const good = JSON.stringify(resourceSpans('mobile-app', [span(S1)]));
    const badSpan = JSON.stringify(
      resourceSpans('api-gateway', [span(S2, S1), span(S1), { ...span(S2), spanId: 'xyz' }]),
    );
    const badResource = JSON.stringify({ resource: 'api-gateway', scopeSpans: [] });
    expect(decodeOtlpJson(`${good}\n${badSpan}\n`, 'java.jsonl')).toEqual({
      ok: false,
      reason: 'invalid-document',
      file: 'java.jsonl',
      line: 2,
      path: 'scopeSpans[0].spans[2].spanId',
      message: `[tracehop] Failed to read spans from "java.jsonl": line 2, scopeSpans[0].spans[2].spanId "xyz" is not a span id: it has 3 characters, not 16 hex characters. ${HINT}`,
    });
    expect([failMessage(`${good}\n${badResource}`, 'java.jsonl'), failMessage(badResource, 'one.json')]).toEqual([
      `[tracehop] Failed to read spans from "java.jsonl": line 2, resource is not a Resource object. ${HINT}`,
      `[tracehop] Failed to read spans from "one.json": resource is not a Resource object. ${HINT}`,
    ]);
  });

  it('reads an object as a bare ResourceSpans only with a scopeSpans array and no fields a ResourceSpans lacks', () => {
    const notOtlp = `[tracehop] Failed to read spans from "dump.json": the document is not OTLP/JSON (no "resourceSpans"). ${HINT}`;
    expect([
      failMessage(JSON.stringify({ resource: {}, scopeSpans: [], spans: [] })),
      failMessage(JSON.stringify({ resource: {}, scopeSpans: {} })),
      failMessage(JSON.stringify({ resource: {} })),
    ]).toEqual([notOtlp, notOtlp, notOtlp]);
    expect(decodeOtlpJson(JSON.stringify({ scopeSpans: [] }), 'dump.json')).toEqual({ ok: true, spans: [] });
  });

  it('leaves the receiver alone: an OTLP/HTTP body must still be an ExportTraceServiceRequest', () => {
    const body = JSON.stringify(resourceSpans('mobile-app', [span(S1)]));
    expect(decodeJsonExport(body)).toEqual({
      ok: false,
      reason: 'not-an-export',
      message:
        '[tracehop] Failed to decode the OTLP/JSON export: the body has no "resourceSpans" array. Send an ExportTraceServiceRequest as JSON.',
    });
  });
});
