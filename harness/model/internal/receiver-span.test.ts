import fc from 'fast-check';
import { decodeOtlpJsonExport, decodeOtlpJsonValue } from '../otlp-json';
import type { Span } from '../span';
import { decodeReceiverSpan, receiverDecodeState } from './receiver-span';

const SOURCE = Object.freeze({ file: 'otlp-receiver' });
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const PARENT = '00f067aa0ba902b1';
const RESOURCE = { attributes: [{ key: 'service.name', value: { stringValue: 'payment-api' } }] };

/** A span as OpenTelemetry JS's OTLP/JSON exporter writes it. */
function sdkSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE,
    spanId: SPAN,
    parentSpanId: PARENT,
    traceState: 'congo=t61rcWkgMzE',
    name: 'POST /payments',
    kind: 2,
    startTimeUnixNano: '1764115200000123456',
    endTimeUnixNano: '1764115200012500000',
    attributes: [
      { key: 'http.request.method', value: { stringValue: 'POST' } },
      { key: 'http.response.status_code', value: { intValue: '200' } },
      { key: 'sampled', value: { boolValue: true } },
      { key: 'ratio', value: { doubleValue: 0.25 } },
    ],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    status: { code: 2 },
    links: [],
    droppedLinksCount: 0,
    flags: 257,
    ...overrides,
  };
}

/** What the general decoder (the file path, which has no fast path) makes of one span under RESOURCE. */
function generalDecode(raw: unknown): Span | undefined {
  const result = decodeOtlpJsonValue(
    { resourceSpans: [{ resource: RESOURCE, scopeSpans: [{ spans: [raw] }] }] },
    SOURCE,
  );
  return result.ok ? result.spans[0] : undefined;
}

describe('decodeReceiverSpan', () => {
  it('decodes an SDK span straight from the parsed document, as the general decoder does', () => {
    const raw = JSON.parse(JSON.stringify(sdkSpan())) as unknown;
    const span = decodeReceiverSpan(raw, 'payment-api', SOURCE, receiverDecodeState());
    expect(span).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      name: 'POST /payments',
      kind: 'server',
      service: 'payment-api',
      startTimeMs: 1764115200000.1235,
      endTimeMs: 1764115200012.5,
      attributes: { 'http.request.method': 'POST', 'http.response.status_code': 200, sampled: true, ratio: 0.25 },
      source: { file: 'otlp-receiver' },
      parentSpanId: PARENT,
      traceFlags: 1,
      traceState: 'congo=t61rcWkgMzE',
      statusCode: 2,
    });
    // Same properties in the same order as the general decoder's span.
    expect(JSON.stringify(span)).toBe(JSON.stringify(generalDecode(raw)));
  });

  it.each([
    ['an uppercase trace id', { traceId: TRACE.toUpperCase() }],
    ['a base64 span id', { spanId: 'APBnqguqArc=' }],
    ['an all-zero span id', { spanId: '0000000000000000' }],
    ['a kind by name', { kind: 'SPAN_KIND_SERVER' }],
    ['a time that is not digits', { startTimeUnixNano: '17e18' }],
    ['a nested attribute', { attributes: [{ key: 'tags', value: { arrayValue: { values: [] } } }] }],
    ['a "__proto__" attribute', { attributes: [{ key: '__proto__', value: { stringValue: 'x' } }] }],
    ['a status code by name', { status: { code: 'STATUS_CODE_ERROR' } }],
    ['a link', { links: [{ traceId: TRACE, spanId: PARENT }] }],
    ['null flags', { flags: null }],
    ['a numeric name', { name: 5 }],
  ])('leaves a span with %s to the general decoder', (_what, overrides) => {
    const raw = JSON.parse(JSON.stringify(sdkSpan(overrides))) as unknown;
    expect(decodeReceiverSpan(raw, 'payment-api', SOURCE, receiverDecodeState())).toBeUndefined();
  });

  it("shares the last span's attributes object with a span whose attributes are the same, and no other", () => {
    const method = { key: 'http.request.method', value: { stringValue: 'POST' } };
    const status = { key: 'http.response.status_code', value: { intValue: '200' } };
    const ratio = (doubleValue: number): unknown => ({ key: 'ratio', value: { doubleValue } });
    const lists = [
      [method, status],
      [method, status],
      [method, status, ratio(0)],
      [method, status, ratio(-0)],
    ];
    const raws = [...lists, [status, method], [], []].map((attributes) => sdkSpan({ attributes }));
    const { spans } = decodeOtlpJsonExport([{ resource: RESOURCE, scopeSpans: [{ spans: raws }] }], SOURCE);
    // For each span, the first span holding the very same attributes object.
    expect(spans.map((span) => spans.findIndex((other) => other.attributes === span.attributes))).toEqual([
      0, 0, 2, 3, 4, 5, 5,
    ]);
    expect(spans.map((span) => span.attributes)).toEqual([
      { 'http.request.method': 'POST', 'http.response.status_code': 200 },
      { 'http.request.method': 'POST', 'http.response.status_code': 200 },
      { 'http.request.method': 'POST', 'http.response.status_code': 200, ratio: 0 },
      { 'http.request.method': 'POST', 'http.response.status_code': 200, ratio: -0 },
      { 'http.response.status_code': 200, 'http.request.method': 'POST' },
      {},
      {},
    ]);
    expect(Object.keys(spans[4]?.attributes ?? {})).toEqual(['http.response.status_code', 'http.request.method']);
  });

  it('reads absent, empty and all-zero parent ids as no parent', () => {
    for (const parentSpanId of [undefined, null, '', '0000000000000000']) {
      const span = decodeReceiverSpan(sdkSpan({ parentSpanId }), 'payment-api', SOURCE, receiverDecodeState());
      expect(span && 'parentSpanId' in span).toBe(false);
    }
  });
});

// Values each field may hold: mostly what SDKs write, sometimes something odd or wrong, so most generated
// spans take the fast path and the rest probe where it must hand over to the general decoder.
const mostly = <T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ arbitrary: usual, weight: 12 }, { arbitrary: odd, weight: 1 });
const hexOf = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const traceIds = mostly(
  fc.oneof(fc.constantFrom(TRACE, '0af7651916cd43dd8448eb211c80319c'), hexOf(32)),
  fc.constantFrom(TRACE.toUpperCase(), '0'.repeat(32), '', 'xyz', 'S/kvNXezTaajzpKdDg5HNg==', 5, null, undefined),
);
const oddSpanIds = fc.constantFrom(SPAN.toUpperCase(), '0'.repeat(16), '', 'zz', 'APBnqguqArc=', 7, null, undefined);
const spanIds = mostly(fc.oneof(hexOf(16), fc.constantFrom(SPAN, PARENT)), oddSpanIds);
const parentIds = mostly(fc.oneof(hexOf(16), fc.constantFrom(SPAN, PARENT, undefined, '')), oddSpanIds);
const times = mostly(
  fc.bigInt({ min: 0n, max: 2n ** 63n }).map(String),
  fc.constantFrom('', '12a', '-5', 1.5e18, -1, 0, null, true, undefined),
);
const anyValues = fc.oneof(
  { arbitrary: fc.string().map((stringValue) => ({ stringValue })), weight: 4 },
  fc.boolean().map((boolValue) => ({ boolValue })),
  fc.oneof(fc.integer().map(String), fc.integer(), fc.constantFrom('1.5', 1.5, null, '')).map((intValue) => ({
    intValue,
  })),
  fc
    .oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('NaN', null, 'x'))
    .map((doubleValue) => ({ doubleValue })),
  fc.constantFrom(
    { bytesValue: 'AAE=' },
    { arrayValue: { values: [{ stringValue: 'a' }] } },
    { kvlistValue: { values: [] } },
    {},
    'not an AnyValue',
    null,
  ),
);
const attributeLists = mostly(
  fc.array(fc.record({ key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'a', 5)), value: anyValues })),
  fc.constantFrom(null, 'x', [null], [{ value: { stringValue: 'a' } }], undefined),
);
const rawSpans = fc.record({
  traceId: traceIds,
  spanId: spanIds,
  parentSpanId: parentIds,
  name: mostly(fc.string(), fc.constantFrom(null, 5, undefined)),
  kind: mostly(
    fc.integer({ min: 0, max: 5 }),
    fc.constantFrom(-1, 6, 1.5, 'SPAN_KIND_CLIENT', 'client', null, {}, undefined),
  ),
  startTimeUnixNano: times,
  endTimeUnixNano: times,
  attributes: attributeLists,
  flags: mostly(fc.constantFrom(1, 257, 0, undefined, 256, 768, 769), fc.constantFrom(-1, 1.5, '1', null, 1024)),
  traceState: mostly(fc.constantFrom('', 'a=b', undefined), fc.constantFrom(5, null)),
  status: mostly(
    fc.constantFrom({}, { code: 2 }, { code: 0 }, undefined),
    fc.constantFrom({ code: 'STATUS_CODE_ERROR' }, { code: -1 }, { code: 1.5 }, { code: null }, 'x', null),
  ),
  links: mostly(
    fc.constantFrom([], undefined),
    fc.constantFrom(null, 'x', [{ traceId: TRACE, spanId: PARENT }], [{ traceId: '', spanId: '' }]),
  ),
});

describe('the receiver decode against the general decoder', () => {
  it('keeps exactly the spans the general decoder makes, property for property, and rejects the rest', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(rawSpans, fc.constantFrom(null, 'x', [])), { maxLength: 12 }), (generated) => {
        // Through JSON, as the receiver gets them: undefined fields gone, every string a fresh one.
        const raws = JSON.parse(JSON.stringify(generated)) as unknown[];
        const expected = raws.map(generalDecode);
        const doc = { resourceSpans: [{ resource: RESOURCE, scopeSpans: [{ spans: raws }] }] };
        const result = decodeOtlpJsonExport(doc.resourceSpans, SOURCE);
        const kept = expected.filter((span) => span !== undefined);
        expect(result.spans.map((span) => JSON.stringify(span))).toEqual(kept.map((span) => JSON.stringify(span)));
        expect(result.rejected).toBe(expected.length - kept.length);
      }),
      { numRuns: 500 },
    );
  });
});
