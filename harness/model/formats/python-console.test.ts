import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../test-support/scratch-dir';
import { decodePythonConsoleValue, readDumpFile } from '.';

const HINT =
  "Check the file as opentelemetry-sdk's ConsoleSpanExporter wrote it (ReadableSpan.to_json of each span), or export with opentelemetry-exporter-otlp to tracehop serve.";
const FIXTURE = join(__dirname, '../../../fixtures/dumps/python-console/checkout.json');
/** 2026-12-04 16:00:39 UTC, the second of fixtures/dumps/python-console/checkout.json. */
const SECOND = Date.UTC(2026, 11, 4, 16, 0, 39);

/** A span as ReadableSpan.to_json prints it (opentelemetry-sdk 1.12 and later), to vary one field at a time. */
function pySpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'POST /checkout',
    context: {
      trace_id: '0x4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '0x7e262974d3e4f5a6',
      trace_state: '[]',
    },
    kind: 'SpanKind.SERVER',
    parent_id: '0x9b0a30e1c2d3e4f5',
    start_time: '2026-12-04T16:00:39.728489Z',
    end_time: '2026-12-04T16:00:39.729500Z',
    status: { status_code: 'UNSET' },
    attributes: { 'http.request.method': 'POST' },
    events: [],
    links: [],
    resource: { attributes: { 'service.name': 'api-gateway' }, schema_url: '' },
    ...overrides,
  };
}

function failureOf(value: unknown): string | undefined {
  const result = decodePythonConsoleValue(value, { file: 'console.txt', line: 15 });
  return result.ok ? undefined : result.message;
}

describe("OpenTelemetry Python's ConsoleSpanExporter output", () => {
  it('reads a checkout printed span by span as to_json writes it (pretty objects one after another)', async () => {
    const result = await readDumpFile(FIXTURE, 'console.txt');
    if (!result.ok) throw new Error(result.message);
    expect({ format: result.format, notes: result.notes }).toEqual({ format: 'python-console', notes: [] });
    expect(result.spans[0]).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '777e07e9f5a6b7c8',
      parentSpanId: 'fe444bd4e4f5a6b7',
      name: 'POST /payments',
      kind: 'server',
      service: 'payment-api',
      startTimeMs: SECOND + 758.489,
      endTimeMs: SECOND + 783.489,
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/payments',
        'http.response.status_code': 402,
        'payment.items': ['sku-1', 'sku-2'],
        'payment.amount': 42.5,
        'payment.retried': false,
      },
      // Not printed: only sampled spans reach an exporter.
      traceFlags: 1,
      traceState: 'rojo=00f067aa0ba902b7',
      statusCode: 2,
      statusMessage: 'card declined',
      source: { file: 'console.txt', line: 1 },
    });
    expect(
      result.spans.map((span) => [
        span.service,
        span.kind,
        span.spanId,
        span.parentSpanId,
        span.statusCode,
        span.source?.line,
      ]),
    ).toEqual([
      ['payment-api', 'server', '777e07e9f5a6b7c8', 'fe444bd4e4f5a6b7', 2, 1],
      ['api-gateway', 'client', 'fe444bd4e4f5a6b7', '7e262974d3e4f5a6', 2, 47],
      ['api-gateway', 'server', '7e262974d3e4f5a6', '9b0a30e1c2d3e4f5', 0, 78],
      ['web-shop', 'client', '9b0a30e1c2d3e4f5', '1f519535a1b2c3d4', 0, 120],
      ['web-shop', 'internal', '1f519535a1b2c3d4', undefined, 1, 151],
    ]);
    expect(result.spans[2]?.links).toEqual([
      {
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: '2222222222222222',
        attributes: { 'link.reason': 'retry of' },
      },
    ]);
  });

  it('reads one span a line (a formatter calling to_json(indent=None)) the same way', async () => {
    const dir = scratchDir('tracehop-py-');
    const lines = [pySpan(), pySpan({ name: 'checkout', kind: 'SpanKind.INTERNAL', parent_id: null })];
    writeFileSync(join(dir, 'lines.jsonl'), lines.map((span) => JSON.stringify(span)).join('\n') + '\n');
    const result = await readDumpFile(join(dir, 'lines.jsonl'), 'lines.jsonl');
    if (!result.ok) throw new Error(result.message);
    expect(result.spans.map((span) => [result.format, span.name, span.kind, span.parentSpanId, span.source])).toEqual([
      ['python-console', 'POST /checkout', 'server', '9b0a30e1c2d3e4f5', { file: 'lines.jsonl', line: 1 }],
      ['python-console', 'checkout', 'internal', undefined, { file: 'lines.jsonl', line: 2 }],
    ]);
  });

  it("keeps the spans of a pretty print that the service's own log lines interrupt, and says it skipped them", async () => {
    // to_json(indent=4) prints, with logging's lines and a structured log object on the same stream after the first.
    const dir = scratchDir('tracehop-py-');
    const pretty = (span: Record<string, unknown>): string => JSON.stringify(span, null, 4);
    const text = [
      pretty(pySpan()),
      'INFO:root:payment accepted',
      '{"event": "paid", "level": "info"}',
      pretty(pySpan({ name: 'checkout', kind: 'SpanKind.INTERNAL', parent_id: null })),
    ].join('\n');
    writeFileSync(join(dir, 'stdout.txt'), `${text}\n`);
    const result = await readDumpFile(join(dir, 'stdout.txt'), 'stdout.txt');
    expect(
      result.ok && [result.format, result.spans.map((span) => [span.name, span.source?.line]), result.notes],
    ).toEqual([
      'python-console',
      [
        ['POST /checkout', 1],
        ['checkout', 29],
      ],
      [
        '[tracehop] Note: "stdout.txt" holds 2 lines of other output between the printed spans (the first on line 27); they were skipped.',
      ],
    ]);
  });

  it("reads older SDKs' shapes: the resource as its attributes alone (before 1.12), a parent id without 0x", () => {
    const span = pySpan({
      parent_id: '9b0a30e1c2d3e4f5',
      resource: { 'service.name': 'api-gateway', 'host.name': 'h' },
    });
    const result = decodePythonConsoleValue(span, { file: 'old.txt' });
    expect(result.ok && result.spans.map((s) => [s.service, s.parentSpanId])).toEqual([
      ['api-gateway', '9b0a30e1c2d3e4f5'],
    ]);
  });

  it('reads a link to all-zero ids as no link, as the other readers do', () => {
    const zero = { trace_id: `0x${'0'.repeat(32)}`, span_id: `0x${'0'.repeat(16)}`, trace_state: '[]' };
    const real = { trace_id: '0x5b8efff798038103d269b633813fc60c', span_id: '0x2222222222222222', trace_state: '[]' };
    const links = [
      { context: zero, attributes: {} },
      { context: real, attributes: {} },
    ];
    const result = decodePythonConsoleValue(pySpan({ links }), { file: 'f' });
    expect(result.ok && result.spans[0]?.links).toEqual([
      { traceId: '5b8efff798038103d269b633813fc60c', spanId: '2222222222222222' },
    ]);
  });

  it('reads "[]" as a trace state known to be empty, and a context without trace_state as one not recorded', () => {
    const printed = decodePythonConsoleValue(pySpan(), { file: 'f' });
    const context = { trace_id: '0x4bf92f3577b34da6a3ce929d0e0e4736', span_id: '0x7e262974d3e4f5a6' };
    const unprinted = decodePythonConsoleValue(pySpan({ context }), { file: 'f' });
    expect([printed.ok && printed.spans[0]?.traceState, unprinted.ok && 'traceState' in unprinted.spans[0]!]).toEqual([
      '',
      false,
    ]);
  });

  it("unescapes what Python's repr escapes in a trace state: a backslash, and the quote it chose", () => {
    // As Python prints str(['{key=k, value=a\\b}', "{key=q, value=it's}", '{key=r, value=it\'s "so"}']).
    const trace_state = String.raw`['{key=k, value=a\\b}', "{key=q, value=it's}", '{key=r, value=it\'s "so"}']`;
    const context = { trace_id: '0x4bf92f3577b34da6a3ce929d0e0e4736', span_id: '0x7e262974d3e4f5a6', trace_state };
    const result = decodePythonConsoleValue(pySpan({ context }), { file: 'f' });
    expect(result.ok && result.spans[0]?.traceState).toBe(String.raw`k=a\b,q=it's,r=it's "so"`);
  });

  it('reads a trace state of several entries, and values with spaces, back into tracestate', () => {
    const context = {
      trace_id: '0x4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '0x7e262974d3e4f5a6',
      trace_state: "['{key=rojo, value=00f067aa0ba902b7}', '{key=congo, value=t61 rcWkgMzE}']",
    };
    const result = decodePythonConsoleValue(pySpan({ context }), { file: 'f' });
    expect(result.ok && result.spans[0]?.traceState).toBe('rojo=00f067aa0ba902b7,congo=t61 rcWkgMzE');
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a trace id that is not hex',
      { context: { trace_id: '0x4bf92f3577b34da6a3ce929d0e0e47zz', span_id: '0x7e262974d3e4f5a6', trace_state: '[]' } },
      'line 15, context.trace_id "0x4bf92f3577b34da6a3ce929d0e0e47zz" is not a trace id: it has characters that are not hex (span "POST /checkout")',
    ],
    [
      'a span id cut short',
      { context: { trace_id: '0x4bf92f3577b34da6a3ce929d0e0e4736', span_id: '0x7e2629', trace_state: '[]' } },
      'line 15, context.span_id "0x7e2629" is not a span id: it has 6 characters, not 16 (span "POST /checkout")',
    ],
    [
      'a parent id that is a number',
      { parent_id: 123 },
      'line 15, parent_id is missing or not a string (span "POST /checkout")',
    ],
    [
      'a span never started (to_json prints null)',
      { start_time: null },
      'line 15, start_time is missing: a span needs its start and end times (RFC 3339, as ConsoleSpanExporter writes "2026-12-04T16:40:39.728489Z") (span "POST /checkout")',
    ],
    [
      'a time in epoch nanoseconds',
      { end_time: 1796400039729500000 },
      'line 15, end_time 1796400039729500000 is not a time in RFC 3339 with a zone, as ConsoleSpanExporter writes "2026-12-04T16:40:39.728489Z" (span "POST /checkout")',
    ],
    [
      'an unknown kind',
      { kind: 'SpanKind.SERVERLESS' },
      'line 15, kind "SpanKind.SERVERLESS" is not a span kind ("SpanKind.INTERNAL", "SpanKind.SERVER", "SpanKind.CLIENT", "SpanKind.PRODUCER" or "SpanKind.CONSUMER") (span "POST /checkout")',
    ],
    [
      'a kind as a number',
      { kind: 1 },
      'line 15, kind 1 is not a span kind ("SpanKind.INTERNAL", "SpanKind.SERVER", "SpanKind.CLIENT", "SpanKind.PRODUCER" or "SpanKind.CONSUMER") (span "POST /checkout")',
    ],
    [
      'an unknown status code',
      { status: { status_code: 'StatusCode.ERROR' } },
      'line 15, status.status_code "StatusCode.ERROR" is not a status code ("UNSET", "OK" or "ERROR") (span "POST /checkout")',
    ],
    [
      'a trace state that is no TraceState repr',
      {
        context: {
          trace_id: '0x4bf92f3577b34da6a3ce929d0e0e4736',
          span_id: '0x7e262974d3e4f5a6',
          trace_state: 'rojo=1',
        },
      },
      'line 15, context.trace_state "rojo=1" is not a TraceState as to_json prints it ("[]" or "[\'{key=k, value=v}\']") (span "POST /checkout")',
    ],
    [
      'attributes as a list',
      { attributes: [['http.request.method', 'POST']] },
      'line 15, attributes is not an object of attributes (span "POST /checkout")',
    ],
  ])('refuses %s, naming the file, line, field and span', (_, overrides, cause) => {
    expect(failureOf(pySpan(overrides))).toBe(`[tracehop] Failed to read spans from "console.txt": ${cause}. ${HINT}`);
  });
});
