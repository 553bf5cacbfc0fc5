import { asSpanId, asTraceId } from './ids';
import { decodeKeyValues } from './internal/any-value';
import { decodeOtlpJsonExport, encodeOtlpJson } from './otlp-json';
import type { Span } from './span';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function span(spanId: string, service: string, parentSpanId?: string): Span {
  return {
    traceId: asTraceId(TRACE),
    spanId: asSpanId(spanId),
    ...(parentSpanId ? { parentSpanId: asSpanId(parentSpanId) } : {}),
    name: 'POST /payments',
    kind: 'server',
    service,
    startTimeMs: 1,
    endTimeMs: 2,
    attributes: { 'http.request.method': 'POST' },
  };
}

/** A parsed export (fresh strings, as JSON.parse gives them) of the given spans. */
function parsed(spans: Span[]): { resourceSpans: Record<string, unknown>[] } {
  return JSON.parse(JSON.stringify(encodeOtlpJson(spans))) as { resourceSpans: Record<string, unknown>[] };
}

describe('decodeOtlpJsonExport', () => {
  const source = { file: 'otlp-receiver' };

  it('keeps the good spans and rejects a bad one with the path of that span', () => {
    const doc = parsed([span('00f067aa0ba902b1', 'api-gateway'), span('00f067aa0ba902b2', 'payment-api')]);
    const scope = (doc.resourceSpans[1]?.scopeSpans as { spans: Record<string, unknown>[] }[])[0];
    if (scope?.spans[0]) scope.spans[0].spanId = 'xyz';
    const result = decodeOtlpJsonExport(doc.resourceSpans, source);
    expect({ ...result, spans: result.spans.map((s) => s.spanId) }).toEqual({
      spans: ['00f067aa0ba902b1'],
      rejected: 1,
      errors: [
        '[tracehop] Failed to read spans from "otlp-receiver": resourceSpans[1].scopeSpans[0].spans[0].spanId "xyz" is not a span id: it has 3 characters, not 16 hex characters. The span was skipped.',
      ],
    });
  });

  it('rejects every span under a resource it cannot read, and keeps the rest', () => {
    const doc = parsed([
      span('00f067aa0ba902b1', 'api-gateway'),
      span('00f067aa0ba902b2', 'payment-api'),
      span('00f067aa0ba902b3', 'payment-api'),
    ]);
    if (doc.resourceSpans[1]) doc.resourceSpans[1].resource = 'not a resource';
    const result = decodeOtlpJsonExport(doc.resourceSpans, source);
    expect({ ...result, spans: result.spans.map((s) => s.spanId) }).toEqual({
      spans: ['00f067aa0ba902b1'],
      rejected: 2,
      errors: [
        '[tracehop] Failed to read spans from "otlp-receiver": resourceSpans[1].resource is not a Resource object. Its 2 spans were skipped.',
      ],
    });
  });

  it('counts every rejected span but keeps only the first messages', () => {
    const doc = parsed(Array.from({ length: 5 }, (_, i) => span(`00f067aa0ba902b${i}`, 'api-gateway')));
    const spans = (doc.resourceSpans[0]?.scopeSpans as { spans: Record<string, unknown>[] }[])[0]?.spans ?? [];
    for (const raw of spans) raw.kind = 9;
    const result = decodeOtlpJsonExport(doc.resourceSpans, source, 2);
    expect({ kept: result.spans.length, rejected: result.rejected, messages: result.errors.length }).toEqual({
      kept: 0,
      rejected: 5,
      messages: 2,
    });
  });

  it('gives the spans of one document one shared source object', () => {
    const doc = parsed([
      span('00f067aa0ba902b1', 'api-gateway'),
      span('00f067aa0ba902b2', 'payment-api', '00f067aa0ba902b1'),
    ]);
    const [first, second] = decodeOtlpJsonExport(doc.resourceSpans, source).spans;
    expect([first, second]).toEqual([
      { ...span('00f067aa0ba902b1', 'api-gateway'), traceState: '', source },
      { ...span('00f067aa0ba902b2', 'payment-api', '00f067aa0ba902b1'), traceState: '', source },
    ]);
    expect(second?.source).toBe(first?.source);
  });

  // The first resource is good: a malformed request keeps none of it, as the whole request is refused.
  it.each([
    ['a resource entry that is a number', [7], 'resourceSpans[1] is not a ResourceSpans object'],
    ['a resource entry that is null', null, 'resourceSpans[1] is not a ResourceSpans object'],
    ['scopeSpans that is an object', { scopeSpans: {} }, 'resourceSpans[1].scopeSpans is not an array'],
    [
      'instrumentationLibrarySpans that is a string',
      { instrumentationLibrarySpans: 'x' },
      'resourceSpans[1].instrumentationLibrarySpans is not an array',
    ],
    [
      'a scope entry that is a number',
      { scopeSpans: [7] },
      'resourceSpans[1].scopeSpans[0] is not a ScopeSpans object',
    ],
    [
      'spans that is an object',
      { scopeSpans: [{ spans: {} }] },
      'resourceSpans[1].scopeSpans[0].spans is not an array',
    ],
  ])('keeps nothing of a request with %s and says where it is malformed', (_label, entry, invalid) => {
    const doc = parsed([span('00f067aa0ba902b1', 'api-gateway')]);
    const result = decodeOtlpJsonExport([...doc.resourceSpans, entry], source);
    expect(result).toEqual({ spans: [], rejected: 0, errors: [], invalid });
  });

  it('reads null lists as empty (the proto3 JSON default), not as malformed', () => {
    const doc = parsed([span('00f067aa0ba902b1', 'api-gateway')]);
    const result = decodeOtlpJsonExport(
      [...doc.resourceSpans, { scopeSpans: null }, { scopeSpans: [{ spans: null }] }],
      source,
    );
    expect({ ...result, spans: result.spans.map((s) => s.spanId) }).toEqual({
      spans: ['00f067aa0ba902b1'],
      rejected: 0,
      errors: [],
    });
  });

  it('reads the pre-1.0 instrumentationLibrarySpans name too', () => {
    const doc = parsed([span('00f067aa0ba902b1', 'api-gateway')]);
    const entry = doc.resourceSpans[0] ?? {};
    entry.instrumentationLibrarySpans = entry.scopeSpans;
    delete entry.scopeSpans;
    expect(decodeOtlpJsonExport(doc.resourceSpans, source).spans.map((s) => s.spanId)).toEqual(['00f067aa0ba902b1']);
  });
});

describe('attribute decoding in exports', () => {
  const cases: [string, unknown][] = [
    ['string', { stringValue: 'POST' }],
    ['bool', { boolValue: false }],
    ['int as string', { intValue: '-42' }],
    ['int as number', { intValue: 7 }],
    ['bad int', { intValue: '4.2' }],
    ['double', { doubleValue: 1.5 }],
    ['double as string', { doubleValue: 'NaN' }],
    ['bytes', { bytesValue: 'AAE=' }],
    ['array', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } }],
    ['kvlist', { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } }],
    ['empty', {}],
    ['not an object', 'x'],
    ['string and int', { stringValue: 'first', intValue: '1' }],
  ];

  it.each(cases)('decodes a %s value as the general decoder does', (_name, value) => {
    const attributes = [
      { key: 'a', value: { stringValue: 'x' } },
      { key: 'b', value },
    ];
    const doc = parsed([span('00f067aa0ba902b1', 'api-gateway')]);
    const raw = (doc.resourceSpans[0]?.scopeSpans as { spans: Record<string, unknown>[] }[])[0]?.spans[0];
    if (raw) raw.attributes = attributes;
    const general = decodeKeyValues(attributes);
    const result = decodeOtlpJsonExport(doc.resourceSpans, { file: 'otlp-receiver' });
    expect(general.ok ? { attributes: result.spans[0]?.attributes } : { rejected: result.rejected }).toEqual(
      general.ok ? { attributes: general.value } : { rejected: 1 },
    );
  });

  it('keeps a "__proto__" attribute as data', () => {
    const doc = parsed([span('00f067aa0ba902b1', 'api-gateway')]);
    const raw = (doc.resourceSpans[0]?.scopeSpans as { spans: Record<string, unknown>[] }[])[0]?.spans[0];
    if (raw) raw.attributes = JSON.parse('[{"key":"__proto__","value":{"stringValue":"x"}}]');
    const [decoded] = decodeOtlpJsonExport(doc.resourceSpans, { file: 'otlp-receiver' }).spans;
    expect(Object.keys(decoded?.attributes ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(decoded?.attributes)).toBe(Object.prototype);
  });
});
