import fc from 'fast-check';
import { asSpanId, asTraceId } from '../ids';
import type { AttributeValue, Span, SpanKind, SpanSource } from '../span';
import { SpanBatchWriter, readSpanBatch } from './span-batch';

const hex = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string(),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2 ** 53 + 2),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<AttributeValue> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string(), scalar, { maxKeys: 3 }) },
);
const key = fc.oneof(fc.string(), fc.constantFrom('http.method', '__proto__', 'constructor', '0', '12'));

const span: fc.Arbitrary<Span> = fc
  .record(
    {
      // Ids of other lengths cannot come from a decoder, but the batch must carry anything it is given.
      traceId: fc.oneof({ weight: 9, arbitrary: hex(32) }, { weight: 1, arbitrary: hex(16) }),
      spanId: hex(16),
      parentSpanId: hex(16),
      name: fc.string(),
      kind: fc.constantFrom<SpanKind>('unspecified', 'internal', 'server', 'client', 'producer', 'consumer'),
      service: fc.constantFrom('mobile-app', 'api-gateway', 'unknown_service'),
      startTimeMs: fc.double({ min: 0, max: 2e12, noNaN: true }),
      endTimeMs: fc.double({ min: 0, max: 2e12, noNaN: true }),
      attributes: fc.array(fc.tuple(key, value), { maxLength: 4 }),
      traceFlags: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constant(2 ** 40)),
      traceState: fc.string(),
      statusCode: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(2 ** 40)),
      statusMessage: fc.string(),
      links: fc.array(fc.record({ traceId: hex(32), spanId: hex(16) }), { minLength: 1, maxLength: 2 }),
      exceptions: fc.array(fc.record({ type: fc.string(), message: fc.string() }, { requiredKeys: [] }), {
        minLength: 1,
        maxLength: 2,
      }),
    },
    { requiredKeys: ['traceId', 'spanId', 'name', 'kind', 'service', 'startTimeMs', 'endTimeMs', 'attributes'] },
  )
  .map(({ traceId, spanId, parentSpanId, links, attributes: pairs, ...rest }): Span => {
    const attributes: Record<string, AttributeValue> = {};
    for (const [name, attribute] of pairs)
      Object.defineProperty(attributes, name, {
        value: attribute,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return {
      ...rest,
      traceId: asTraceId(traceId),
      spanId: asSpanId(spanId),
      ...(parentSpanId !== undefined ? { parentSpanId: asSpanId(parentSpanId) } : {}),
      ...(links !== undefined
        ? { links: links.map((link) => ({ traceId: asTraceId(link.traceId), spanId: asSpanId(link.spanId) })) }
        : {}),
      attributes,
    };
  });

/** Packs spans in batches of `size`, moves each through structured clone as a worker's message would go. */
function roundTrip(spans: readonly Span[], size: number): Span[] {
  const writer = new SpanBatchWriter();
  const out: Span[] = [];
  const sources = new Map<number, SpanSource>();
  const sourceOf = (line: number): SpanSource => {
    let source = sources.get(line);
    if (!source) sources.set(line, (source = { file: 'dump.jsonl', line }));
    return source;
  };
  const send = (): void => readSpanBatch(structuredClone(writer.take().batch), sourceOf, out);
  spans.forEach((one, i) => {
    writer.add(one, Math.floor(i / 3) + 1);
    if (writer.count >= size) send();
  });
  send();
  return out;
}

describe('span batches', () => {
  it('give back every span exactly, whatever its values, with one source per line', () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (spans, size) => {
        const expected = spans.map((one, i) => ({
          ...one,
          source: { file: 'dump.jsonl', line: Math.floor(i / 3) + 1 },
        }));
        const back = roundTrip(spans, size);
        expect(back).toEqual(expected);
        // -0, NaN and an own "__proto__" key survive, which JSON would lose.
        back.forEach((one, i) => {
          const original = spans[i] as Span;
          expect(Object.keys(one.attributes)).toEqual(Object.keys(original.attributes));
          for (const name of Object.keys(original.attributes))
            expect(
              Object.is(one.attributes[name], original.attributes[name]) || typeof one.attributes[name] === 'object',
            ).toBe(true);
        });
        if (back.length >= 2) expect((back[0] as Span).source).toBe((back[1] as Span).source);
      }),
      { numRuns: 300 },
    );
  });

  it('leave a span without optional fields without them', () => {
    const plain: Span = {
      traceId: asTraceId('a'.repeat(32)),
      spanId: asSpanId('b'.repeat(16)),
      name: 'GET /health',
      kind: 'server',
      service: 'api-gateway',
      startTimeMs: 1,
      endTimeMs: 2,
      attributes: {},
    };
    expect(roundTrip([plain], 8)).toStrictEqual([{ ...plain, source: { file: 'dump.jsonl', line: 1 } }]);
  });

  it('carry values no decoder makes as they are, each in its own place', () => {
    // A caller outside the decoders may hand a span anything JavaScript holds: undefined, a bigint, an odd name.
    const odd = {
      traceId: asTraceId('a'.repeat(32)),
      spanId: asSpanId('b'.repeat(16)),
      name: undefined,
      kind: 'client',
      service: 'api-gateway',
      startTimeMs: 1,
      endTimeMs: 2,
      attributes: { nested: { k: 1 }, missing: undefined, big: 10n },
      links: [{ traceId: asTraceId('c'.repeat(32)), spanId: asSpanId('d'.repeat(16)) }],
    } as unknown as Span;
    const [back] = roundTrip([odd], 8);
    expect([back?.name, back?.service, back?.attributes, back?.links]).toEqual([
      undefined,
      'api-gateway',
      { nested: { k: 1 }, missing: undefined, big: 10n },
      odd.links,
    ]);
  });
});
