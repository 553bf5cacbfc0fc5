import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../test-support/scratch-dir';
import { decodeGoStdouttraceValue, readDumpFile } from '.';

const HINT =
  'Check the file as go.opentelemetry.io/otel/exporters/stdout/stdouttrace wrote it (one JSON object per span, pretty-printed or one a line), or export with otlptracehttp to tracehop serve.';
const FIXTURES = join(__dirname, '../../../fixtures/dumps/go-stdouttrace');
/** 2026-12-04 16:40:39 UTC, the second the real fixtures were written in. */
const SECOND = Date.UTC(2026, 11, 4, 16, 40, 39);

/** A span as stdouttrace prints it (SDK 1.1.0's fields), to vary one field at a time. */
function goSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const context = (spanId: string, remote: boolean) => ({
    TraceID: '4bf92f3577b34da6a3ce929d0e0e4736',
    SpanID: spanId,
    TraceFlags: '01',
    TraceState: '',
    Remote: remote,
  });
  return {
    Name: 'POST /checkout',
    SpanContext: context('7e262974d3e4f5a6', false),
    Parent: context('9b0a30e1c2d3e4f5', true),
    SpanKind: 2,
    StartTime: '2026-12-04T22:10:39.728489284+05:30',
    EndTime: '2026-12-04T22:10:39.7295+05:30',
    Attributes: [{ Key: 'http.method', Value: { Type: 'STRING', Value: 'POST' } }],
    Events: null,
    Links: null,
    Status: { Code: 'Unset', Description: '' },
    DroppedAttributes: 0,
    DroppedEvents: 0,
    DroppedLinks: 0,
    ChildSpanCount: 1,
    Resource: [{ Key: 'service.name', Value: { Type: 'STRING', Value: 'api-gateway' } }],
    InstrumentationLibrary: { Name: 'gateway', Version: '', SchemaURL: '' },
    ...overrides,
  };
}

function failureOf(value: unknown): string | undefined {
  const result = decodeGoStdouttraceValue(value, { file: 'spans.jsonl', line: 3 });
  return result.ok ? undefined : result.message;
}

describe("OpenTelemetry Go's stdouttrace output", () => {
  it('reads the real SDK 1.1.0 pretty print of a checkout: every span, named by the line it starts on', async () => {
    const file = join(FIXTURES, 'checkout-ok.pretty.json');
    const result = await readDumpFile(file, 'ok.json');
    if (!result.ok) throw new Error(result.message);
    expect({ format: result.format, notes: result.notes }).toEqual({ format: 'go-stdouttrace', notes: [] });
    expect(result.spans[0]).toEqual({
      traceId: '1f1a6c1f9b6c955e70119b3a7874e658',
      spanId: '24300cd3c85ffa84',
      parentSpanId: '92eef4065f6eb66d',
      name: 'POST /payments',
      kind: 'server',
      service: 'payment-api',
      startTimeMs: SECOND + 728.489284,
      endTimeMs: SECOND + 728.516594,
      attributes: {
        'http.method': 'POST',
        'http.target': '/payments',
        'payment.amount': 42.5,
        'payment.retried': false,
        'payment.items': ['sku-1', 'sku-2'],
        'http.status_code': 201,
      },
      traceFlags: 1,
      // Printed as "": known to be empty, so a caller's lost tracestate would show.
      traceState: '',
      statusCode: 1,
      source: { file: 'ok.json', line: 1 },
    });
    expect(
      result.spans.map((span) => [
        span.service,
        span.kind,
        span.name,
        span.spanId,
        span.parentSpanId,
        span.source?.line,
      ]),
    ).toEqual([
      ['payment-api', 'server', 'POST /payments', '24300cd3c85ffa84', '92eef4065f6eb66d', 1],
      ['api-gateway', 'client', 'POST /payments', '92eef4065f6eb66d', 'a8737b36a966c4a1', 107],
      ['api-gateway', 'server', 'POST /checkout', 'a8737b36a966c4a1', '1f376b3c84b800c9', 174],
      ['web-shop', 'client', 'POST /checkout', '1f376b3c84b800c9', '33c7d1dd53e859ba', 241],
      ['web-shop', 'internal', 'checkout', '33c7d1dd53e859ba', undefined, 308],
    ]);
    expect(new Set(result.spans.map((span) => span.traceId))).toEqual(new Set(['1f1a6c1f9b6c955e70119b3a7874e658']));
  });

  it('reads the real one-a-line print, whose all-zero Parent is a root span, and its times at offset -03:00', async () => {
    const result = await readDumpFile(join(FIXTURES, 'checkout-broken.jsonl'), 'broken.jsonl');
    if (!result.ok) throw new Error(result.message);
    expect(result.format).toBe('go-stdouttrace');
    expect(
      result.spans.map((span) => [span.service, span.kind, span.traceId, span.parentSpanId, span.source?.line]),
    ).toEqual([
      ['payment-api', 'server', 'af9aa0a5f370be53609f0744e098a3f9', undefined, 1],
      ['api-gateway', 'client', '680cebb9bc4113dab59d59bf076af4a8', 'a2ad7587f90848be', 2],
      ['api-gateway', 'server', '680cebb9bc4113dab59d59bf076af4a8', '478cd12c62395255', 3],
      ['web-shop', 'client', '680cebb9bc4113dab59d59bf076af4a8', '4aefca01acb412e1', 4],
      ['web-shop', 'internal', '680cebb9bc4113dab59d59bf076af4a8', undefined, 5],
    ]);
    // "2026-12-04T13:40:39.733502542-03:00"
    expect(result.spans[0]?.startTimeMs).toBe(SECOND + 733.502542);
  });

  it("reads later SDKs' fields: InstrumentationScope, SLICE, MAP, BYTESLICE and EMPTY values, links, trace state", () => {
    const span = goSpan({
      SpanContext: {
        TraceID: '4bf92f3577b34da6a3ce929d0e0e4736',
        SpanID: '7e262974d3e4f5a6',
        TraceFlags: '03',
        TraceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
        Remote: false,
      },
      Attributes: [
        { Key: 'ids', Value: { Type: 'INT64SLICE', Value: [1, 2] } },
        {
          Key: 'mixed',
          Value: {
            Type: 'SLICE',
            Value: [
              { Type: 'STRING', Value: 'a' },
              { Type: 'BOOL', Value: true },
            ],
          },
        },
        { Key: 'map', Value: { Type: 'MAP', Value: [{ Key: 'k', Value: { Type: 'FLOAT64', Value: 1.5 } }] } },
        { Key: 'bytes', Value: { Type: 'BYTESLICE', Value: 'AQI=' } },
        { Key: 'none', Value: { Type: 'EMPTY', Value: null } },
      ],
      Links: [
        {
          SpanContext: { TraceID: '5b8efff798038103d269b633813fc60c', SpanID: '2222222222222222', TraceFlags: '01' },
          Attributes: [{ Key: 'link.reason', Value: { Type: 'STRING', Value: 'retry of' } }],
          DroppedAttributeCount: 0,
        },
        {
          SpanContext: { TraceID: '00000000000000000000000000000000', SpanID: '0000000000000000' },
          Attributes: null,
          DroppedAttributeCount: 0,
        },
      ],
      // Go's codes.Error as a number, as a stub encoded by value writes it.
      Status: { Code: 1, Description: 'boom' },
      InstrumentationScope: { Name: 'gateway', Version: '', SchemaURL: '', Attributes: [] },
    });
    expect(decodeGoStdouttraceValue(span, { file: 'new.json' })).toEqual({
      ok: true,
      spans: [
        {
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
          spanId: '7e262974d3e4f5a6',
          parentSpanId: '9b0a30e1c2d3e4f5',
          name: 'POST /checkout',
          kind: 'server',
          service: 'api-gateway',
          startTimeMs: SECOND + 728.489284,
          endTimeMs: SECOND + 729.5,
          attributes: { ids: [1, 2], mixed: ['a', true], map: { k: 1.5 }, bytes: 'AQI=', none: null },
          traceFlags: 3,
          traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
          statusCode: 2,
          statusMessage: 'boom',
          links: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: '2222222222222222',
              attributes: { 'link.reason': 'retry of' },
            },
          ],
          source: { file: 'new.json' },
        },
      ],
    });
  });

  it('reads a Parent with an all-zero SpanID as no parent, whatever its TraceID', () => {
    const parents = [
      { TraceID: '00000000000000000000000000000000', SpanID: '0000000000000000', TraceFlags: '00' },
      { TraceID: '4bf92f3577b34da6a3ce929d0e0e4736', SpanID: '0000000000000000', TraceFlags: '01' },
      null,
    ];
    expect(
      parents.map((Parent) => {
        const result = decodeGoStdouttraceValue(goSpan({ Parent }), { file: 'f' });
        return result.ok ? result.spans.map((span) => span.parentSpanId) : result.message;
      }),
    ).toEqual([[undefined], [undefined], [undefined]]);
  });

  it('maps Go status names to OTLP codes (Go numbers Error 1 and Ok 2, OTLP the other way round)', () => {
    const codes = ['Unset', 'Ok', 'Error', 0, 2, 1].map((Code) => {
      const result = decodeGoStdouttraceValue(goSpan({ Status: { Code, Description: '' } }), { file: 'f' });
      return result.ok ? result.spans[0]?.statusCode : result.message;
    });
    expect(codes).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a span id that is too short',
      { SpanContext: { TraceID: '4bf92f3577b34da6a3ce929d0e0e4736', SpanID: '7e26' } },
      'line 3, SpanContext.SpanID "7e26" is not a span id: it has 4 characters, not 16 (span "POST /checkout")',
    ],
    [
      'an uppercase trace id',
      { SpanContext: { TraceID: '4BF92F3577B34DA6A3CE929D0E0E4736', SpanID: '7e262974d3e4f5a6' } },
      'line 3, SpanContext.TraceID "4BF92F3577B34DA6A3CE929D0E0E4736" is not a trace id: it has uppercase hex (span "POST /checkout")',
    ],
    [
      'an all-zero span id',
      { SpanContext: { TraceID: '4bf92f3577b34da6a3ce929d0e0e4736', SpanID: '0000000000000000' } },
      'line 3, SpanContext.SpanID "0000000000000000" is not a span id: it is all zeros, which means none (span "POST /checkout")',
    ],
    [
      'a parent in another trace',
      { Parent: { TraceID: '5b8efff798038103d269b633813fc60c', SpanID: '9b0a30e1c2d3e4f5' } },
      'line 3, Parent.TraceID "5b8efff798038103d269b633813fc60c" is not the span\'s own trace id "4bf92f3577b34da6a3ce929d0e0e4736": a parent is in its child\'s trace (span "POST /checkout")',
    ],
    [
      'no start time',
      { StartTime: undefined },
      'line 3, StartTime is missing: a span needs its start and end times (RFC 3339, as stdouttrace writes "2026-12-04T22:10:39.728489284+05:30") (span "POST /checkout")',
    ],
    [
      'the zero times of WithoutTimestamps',
      { StartTime: '0001-01-01T00:00:00Z', EndTime: '0001-01-01T00:00:00Z' },
      'line 3, StartTime is Go\'s zero time 0001-01-01T00:00:00Z: the exporter ran with stdouttrace.WithoutTimestamps(), which leaves the span\'s times out; drop that option and export again (span "POST /checkout")',
    ],
    [
      'an end time without a zone',
      { EndTime: '2026-12-04T22:10:39.7295' },
      'line 3, EndTime "2026-12-04T22:10:39.7295" is not a time in RFC 3339 with a zone, as stdouttrace writes "2026-12-04T22:10:39.728489284+05:30" (span "POST /checkout")',
    ],
    [
      'a kind out of range',
      { SpanKind: 9 },
      'line 3, SpanKind 9 is not a span kind (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer) (span "POST /checkout")',
    ],
    [
      'a kind written as a word',
      { SpanKind: 'server' },
      'line 3, SpanKind "server" is not a span kind (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer) (span "POST /checkout")',
    ],
    [
      'no kind',
      { SpanKind: undefined },
      'line 3, SpanKind is missing: every stdouttrace span has one (span "POST /checkout")',
    ],
    [
      'an unknown status code',
      { Status: { Code: 'Failed' } },
      'line 3, Status.Code "Failed" is not a status code ("Unset", "Error" or "Ok") (span "POST /checkout")',
    ],
    [
      'an unknown attribute type',
      { Attributes: [{ Key: 'n', Value: { Type: 'UINT8', Value: 1 } }] },
      'line 3, Attributes[0].Value.Type "UINT8" is not an attribute type (STRING, BOOL, INT64, FLOAT64, their *SLICE lists, BYTESLICE, SLICE, MAP, EMPTY) (span "POST /checkout")',
    ],
    [
      'an INT64 written as text',
      { Attributes: [{ Key: 'n', Value: { Type: 'INT64', Value: '12' } }] },
      'line 3, Attributes[0].Value.Value "12" is not an INT64 value (span "POST /checkout")',
    ],
    [
      'trace flags as a number',
      { SpanContext: { TraceID: '4bf92f3577b34da6a3ce929d0e0e4736', SpanID: '7e262974d3e4f5a6', TraceFlags: 1 } },
      'line 3, SpanContext.TraceFlags 1 is not trace flags (two hex digits, as "01") (span "POST /checkout")',
    ],
  ])('refuses %s, naming the file, line, field and span', (_, overrides, cause) => {
    expect(failureOf(goSpan(overrides))).toBe(`[tracehop] Failed to read spans from "spans.jsonl": ${cause}. ${HINT}`);
  });

  it('names the line a bad span starts on in a pretty-printed file', async () => {
    const good = JSON.stringify(goSpan(), null, '\t');
    const bad = JSON.stringify(goSpan({ Name: 'POST /payments', SpanKind: -1 }), null, '\t');
    const dir = scratchDir('tracehop-go-');
    writeFileSync(join(dir, 'pretty.json'), `${good}\n${bad}\n`);
    const result = await readDumpFile(join(dir, 'pretty.json'), 'pretty.json');
    expect(result).toEqual({
      ok: false,
      reason: 'invalid-document',
      file: 'pretty.json',
      line: good.split('\n').length + 1,
      path: 'SpanKind',
      message: `[tracehop] Failed to read spans from "pretty.json": line ${good.split('\n').length + 1}, SpanKind -1 is not a span kind (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer) (span "POST /payments"). ${HINT}`,
    });
  });
});
