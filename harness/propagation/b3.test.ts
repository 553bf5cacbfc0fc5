import fc from 'fast-check';
import { asSpanId, asTraceId, type HeaderEntry } from '../model';
import { decodeB3Multi, decodeB3Single, encodeB3Multi, encodeB3Single, type B3Context, type B3Reason } from './b3';

const TRACE = '80f198ee56343ba864fe8b2a57d3eff7';
const TRACE64 = '64fe8b2a57d3eff7';
const SPAN = 'e457b5a2e4d86bd1';
const PARENT = '05e3ac9a4f6e3b90';

const ids = (fields: Partial<Omit<Extract<B3Context, { kind: 'ids' }>, 'kind'>>): B3Context => ({
  kind: 'ids',
  traceId: asTraceId(TRACE),
  traceIdLength: 32,
  spanId: asSpanId(SPAN),
  sampling: 'defer',
  ...fields,
});

describe('decodeB3Single', () => {
  const valid: [string, string, B3Context][] = [
    ['traceAndSpan', `${TRACE}-${SPAN}`, ids({})],
    ['sampled', `${TRACE}-${SPAN}-1`, ids({ sampling: 'accept' })],
    ['notSampled', `${TRACE}-${SPAN}-0`, ids({ sampling: 'deny' })],
    ['debug', `${TRACE}-${SPAN}-d`, ids({ sampling: 'debug' })],
    ['withParent', `${TRACE}-${SPAN}-1-${PARENT}`, ids({ sampling: 'accept', parentSpanId: asSpanId(PARENT) })],
    [
      'traceId64Bit',
      `${TRACE64}-${SPAN}-1`,
      ids({ traceId: asTraceId(`${'0'.repeat(16)}${TRACE64}`), traceIdLength: 16, sampling: 'accept' }),
    ],
    ['denyOnly', '0', { kind: 'sampling-only', sampling: 'deny' }],
    ['acceptOnly', '1', { kind: 'sampling-only', sampling: 'accept' }],
    ['debugOnly', 'd', { kind: 'sampling-only', sampling: 'debug' }],
    ['surroundingOws', ` ${TRACE}-${SPAN}\t`, ids({})],
  ];

  it.each(valid)('%s decodes', (_name, input, expected) => {
    expect(decodeB3Single(input)).toEqual({ ok: true, value: expected });
  });

  const invalid: [string, string | readonly string[] | undefined, B3Reason, string][] = [
    ['missing_undefined', undefined, 'missing', 'no b3 header was sent'],
    ['missing_empty', '  ', 'missing', 'the b3 header is empty: send a value or omit the header'],
    [
      'duplicateHeader_twoLines',
      [`${TRACE}-${SPAN}`, `${TRACE}-${SPAN}`],
      'duplicate-header',
      'b3 was sent 2 times: send exactly one',
    ],
    [
      'duplicateHeader_commaJoined',
      `${TRACE}-${SPAN},${TRACE}-${SPAN}`,
      'duplicate-header',
      'b3 holds several comma-separated values: send exactly one',
    ],
    [
      'whitespace_inside',
      `${TRACE} -${SPAN}`,
      'whitespace',
      `b3 "${TRACE} -${SPAN}" contains whitespace inside the value: remove it`,
    ],
    [
      'tooManyFields',
      `${TRACE}-${SPAN}-1-${PARENT}-x`,
      'too-many-fields',
      `b3 "${TRACE}-${SPAN}-1-${PARENT}-x" has 5 fields, at most 4 (trace-span-sampling-parent)`,
    ],
    ['missingSpanId', TRACE, 'missing-span-id', 'b3 carries a trace id without a span id: send {TraceId}-{SpanId}'],
    [
      'invalidSampling_alone',
      'true',
      'invalid-sampling',
      'b3 "true" is neither {TraceId}-{SpanId} nor a sampling state (0, 1 or d)',
    ],
    ['invalidSampling_field', `${TRACE}-${SPAN}-2`, 'invalid-sampling', 'b3 sampling state "2" is not 0, 1 or d'],
    [
      'uppercaseHex_traceId',
      `${TRACE.toUpperCase()}-${SPAN}`,
      'uppercase-hex',
      'b3 trace id contains uppercase hex: lowercase it',
    ],
    [
      'uppercaseHex_spanId',
      `${TRACE}-${SPAN.toUpperCase()}`,
      'uppercase-hex',
      'b3 span id contains uppercase hex: lowercase it',
    ],
    [
      'invalidTraceId_length',
      `${TRACE.slice(2)}-${SPAN}`,
      'invalid-trace-id',
      `b3 trace id "${TRACE.slice(2)}" has 30 hex digits, expected 16 or 32`,
    ],
    [
      'invalidTraceId_notHex',
      `${TRACE.slice(1)}x-${SPAN}`,
      'invalid-trace-id',
      `b3 trace id "${TRACE.slice(1)}x" contains characters other than hex digits: use 32 lowercase hex digits`,
    ],
    [
      'invalidTraceId_allZeros',
      `${'0'.repeat(32)}-${SPAN}`,
      'all-zero-trace-id',
      'b3 trace id is all zeros, which the spec forbids: generate a random id',
    ],
    [
      'invalidSpanId_length',
      `${TRACE}-${SPAN}0`,
      'invalid-span-id',
      `b3 span id "${SPAN}0" has 17 hex digits, expected 16`,
    ],
    [
      'invalidSpanId_allZeros',
      `${TRACE}-${'0'.repeat(16)}`,
      'all-zero-span-id',
      'b3 span id is all zeros, which the spec forbids: generate a random id',
    ],
    [
      'invalidParentId_length',
      `${TRACE}-${SPAN}-1-${PARENT.slice(1)}`,
      'invalid-parent-id',
      `b3 parent span id "${PARENT.slice(1)}" has 15 hex digits, expected 16`,
    ],
    [
      'invalidParentId_allZeros',
      `${TRACE}-${SPAN}-1-${'0'.repeat(16)}`,
      'all-zero-parent-id',
      'b3 parent span id is all zeros, which the spec forbids: generate a random id',
    ],
  ];

  it.each(invalid)('%s is rejected', (_name, input, reason, message) => {
    expect(decodeB3Single(input)).toEqual({ ok: false, reason, message });
  });
});

describe('decodeB3Multi', () => {
  const valid: [string, HeaderEntry[], B3Context][] = [
    [
      'allHeaders',
      [
        ['x-b3-traceid', TRACE],
        ['x-b3-spanid', SPAN],
        ['x-b3-parentspanid', PARENT],
        ['x-b3-sampled', '1'],
      ],
      ids({ parentSpanId: asSpanId(PARENT), sampling: 'accept' }),
    ],
    [
      'mixedCaseNames',
      [
        ['X-B3-TraceId', TRACE],
        ['X-B3-SpanId', SPAN],
      ],
      ids({}),
    ],
    [
      'legacyTrue',
      [
        ['x-b3-traceid', TRACE],
        ['x-b3-spanid', SPAN],
        ['x-b3-sampled', 'true'],
      ],
      ids({ sampling: 'accept' }),
    ],
    [
      'legacyFalse',
      [
        ['x-b3-traceid', TRACE],
        ['x-b3-spanid', SPAN],
        ['x-b3-sampled', 'false'],
      ],
      ids({ sampling: 'deny' }),
    ],
    [
      'debugFlag',
      [
        ['x-b3-traceid', TRACE],
        ['x-b3-spanid', SPAN],
        ['x-b3-flags', '1'],
      ],
      ids({ sampling: 'debug' }),
    ],
    ['samplingOnly', [['x-b3-sampled', '0']], { kind: 'sampling-only', sampling: 'deny' }],
    [
      'otherHeadersIgnored',
      [
        ['traceparent', 'x'],
        ['x-b3-traceid', TRACE64],
        ['x-b3-spanid', SPAN],
      ],
      ids({ traceId: asTraceId(`${'0'.repeat(16)}${TRACE64}`), traceIdLength: 16 }),
    ],
  ];

  it.each(valid)('%s decodes', (_name, headers, expected) => {
    expect(decodeB3Multi(headers)).toEqual({ ok: true, value: expected });
  });

  const invalid: [string, HeaderEntry[], B3Reason, string][] = [
    ['missing_none', [['traceparent', 'x']], 'missing', 'no X-B3-* headers were sent'],
    [
      'missing_parentOnlyWithoutSampling',
      [['x-b3-flags', '0']],
      'missing',
      'no X-B3-TraceId or X-B3-Sampled header was sent',
    ],
    [
      'duplicateHeader_traceId',
      [
        ['x-b3-traceid', TRACE],
        ['x-b3-traceid', TRACE],
        ['x-b3-spanid', SPAN],
      ],
      'duplicate-header',
      'x-b3-traceid was sent 2 times: send exactly one',
    ],
    [
      'duplicateHeader_commaJoined',
      [
        ['x-b3-traceid', `${TRACE},${TRACE}`],
        ['x-b3-spanid', SPAN],
      ],
      'duplicate-header',
      'x-b3-traceid holds several comma-separated values: send exactly one',
    ],
    [
      'missingTraceId',
      [['x-b3-spanid', SPAN]],
      'missing-trace-id',
      'X-B3-SpanId was sent without X-B3-TraceId: send both',
    ],
    [
      'missingSpanId',
      [['x-b3-traceid', TRACE]],
      'missing-span-id',
      'X-B3-TraceId was sent without X-B3-SpanId: send both',
    ],
    [
      'invalidSampling_sampled',
      [
        ['x-b3-traceid', TRACE],
        ['x-b3-spanid', SPAN],
        ['x-b3-sampled', 'yes'],
      ],
      'invalid-sampling',
      'X-B3-Sampled "yes" is not 1 or 0',
    ],
    ['invalidSampling_flags', [['x-b3-flags', '2']], 'invalid-sampling', 'X-B3-Flags "2" is not 1 (debug)'],
    [
      'uppercaseHex_traceId',
      [
        ['x-b3-traceid', TRACE.toUpperCase()],
        ['x-b3-spanid', SPAN],
      ],
      'uppercase-hex',
      'X-B3-TraceId contains uppercase hex: lowercase it',
    ],
    [
      'invalidTraceId_allZeros',
      [
        ['x-b3-traceid', '0'.repeat(16)],
        ['x-b3-spanid', SPAN],
      ],
      'all-zero-trace-id',
      'X-B3-TraceId is all zeros, which the spec forbids: generate a random id',
    ],
    [
      'invalidSpanId_notHex',
      [
        ['x-b3-traceid', TRACE],
        ['x-b3-spanid', 'not-a-span-id!!!'],
      ],
      'invalid-span-id',
      'X-B3-SpanId "not-a-span-id!!!" contains characters other than hex digits: use 16 lowercase hex digits',
    ],
    [
      'invalidParentId_length',
      [
        ['x-b3-traceid', TRACE],
        ['x-b3-spanid', SPAN],
        ['x-b3-parentspanid', '123'],
      ],
      'invalid-parent-id',
      'X-B3-ParentSpanId "123" has 3 hex digits, expected 16',
    ],
  ];

  it.each(invalid)('%s is rejected', (_name, headers, reason, message) => {
    expect(decodeB3Multi(headers)).toEqual({ ok: false, reason, message });
  });
});

describe('B3 encoders', () => {
  it('writes the single header with sampling and parent', () => {
    expect(encodeB3Single(ids({ sampling: 'accept', parentSpanId: asSpanId(PARENT) }))).toBe(
      `${TRACE}-${SPAN}-1-${PARENT}`,
    );
  });

  it('leaves the parent out of the single header when sampling is deferred, as the grammar requires', () => {
    expect(encodeB3Single(ids({ parentSpanId: asSpanId(PARENT) }))).toBe(`${TRACE}-${SPAN}`);
  });

  it('writes debug as X-B3-Flags without X-B3-Sampled', () => {
    expect(encodeB3Multi(ids({ sampling: 'debug' }))).toEqual([
      ['x-b3-traceid', TRACE],
      ['x-b3-spanid', SPAN],
      ['x-b3-flags', '1'],
    ]);
  });

  const hex = (n: number) =>
    fc
      .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n })
      .filter((s) => !/^0+$/.test(s));
  const traceFields = fc.oneof(
    hex(32).map((traceId) => ({ traceId: asTraceId(traceId), traceIdLength: 32 as const })),
    hex(16).map((low) => ({ traceId: asTraceId(`${'0'.repeat(16)}${low}`), traceIdLength: 16 as const })),
  );
  // The single header cannot carry a parent without a sampling state; the multi headers can.
  const contexts = (parentWhenDeferred: boolean): fc.Arbitrary<B3Context> =>
    fc.oneof(
      fc.record({
        kind: fc.constant('sampling-only' as const),
        sampling: fc.constantFrom('accept' as const, 'deny' as const, 'debug' as const),
      }),
      fc
        .tuple(
          traceFields,
          hex(16),
          fc.option(hex(16), { nil: undefined }),
          fc.constantFrom('accept' as const, 'deny' as const, 'debug' as const, 'defer' as const),
        )
        .map(([trace, spanId, parent, sampling]): B3Context => ({
          kind: 'ids',
          ...trace,
          spanId: asSpanId(spanId),
          ...(parent && (parentWhenDeferred || sampling !== 'defer') ? { parentSpanId: asSpanId(parent) } : {}),
          sampling,
        })),
    );
  const context = contexts(false);

  it('round-trips the single header: decode(encode(context)) gives the context back', () => {
    fc.assert(
      fc.property(context, (value) => expect(decodeB3Single(encodeB3Single(value))).toEqual({ ok: true, value })),
    );
  });

  it('round-trips the multi headers: decode(encode(context)) gives the context back', () => {
    fc.assert(
      fc.property(contexts(true), (value) => expect(decodeB3Multi(encodeB3Multi(value))).toEqual({ ok: true, value })),
    );
  });

  it('gives canonical text: encode(decode(text)) is the text for the single header', () => {
    fc.assert(
      fc.property(context, (value) => {
        const text = encodeB3Single(value);
        const decoded = decodeB3Single(` ${text} `);
        expect(decoded.ok && encodeB3Single(decoded.value)).toBe(text);
      }),
    );
  });

  it('gives canonical headers: legacy true/false become 1/0', () => {
    const decoded = decodeB3Multi([
      ['X-B3-TraceId', TRACE],
      ['X-B3-SpanId', SPAN],
      ['X-B3-Sampled', 'true'],
    ]);
    expect(decoded.ok && encodeB3Multi(decoded.value)).toEqual([
      ['x-b3-traceid', TRACE],
      ['x-b3-spanid', SPAN],
      ['x-b3-sampled', '1'],
    ]);
  });
});
