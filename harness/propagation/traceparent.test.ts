import fc from 'fast-check';
import { asSpanId, asTraceId } from '../model';
import { decodeTraceparent, encodeTraceparent, type TraceparentReason } from './traceparent';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const VALID = `00-${TRACE}-${PARENT}-01`;

const invalid: [string, string | readonly string[] | undefined, TraceparentReason, string][] = [
  [
    'missing_undefined',
    undefined,
    'missing',
    'no traceparent header was sent: inject one on every first-party request',
  ],
  ['missing_noLines', [], 'missing', 'no traceparent header was sent: inject one on every first-party request'],
  ['missing_empty', '', 'missing', 'the traceparent header is empty: send a value or omit the header'],
  ['missing_onlyWhitespace', ' \t ', 'missing', 'the traceparent header is empty: send a value or omit the header'],
  [
    'duplicateHeader_twoLines',
    [VALID, VALID],
    'duplicate-header',
    'traceparent was sent 2 times: send exactly one (two instrumentations are probably each injecting it)',
  ],
  [
    'duplicateHeader_commaJoined',
    `${VALID}, ${VALID}`,
    'duplicate-header',
    'traceparent holds several comma-separated values: send exactly one (two values were joined into one header)',
  ],
  [
    'whitespace_insideValue',
    `00-${TRACE} -${PARENT}-01`,
    'whitespace',
    `traceparent "00-${TRACE} -${PARENT}-01" contains whitespace inside the value: remove it`,
  ],
  [
    'tooShort_missingFlags',
    `00-${TRACE}-${PARENT}`,
    'too-short',
    `traceparent "00-${TRACE}-${PARENT}" has 52 characters, expected 55 (version-traceid-parentid-flags)`,
  ],
  [
    'tooShort_garbage',
    'abc',
    'too-short',
    'traceparent "abc" has 3 characters, expected 55 (version-traceid-parentid-flags)',
  ],
  [
    'invalidDelimiter_underscores',
    `00_${TRACE}_${PARENT}_01`,
    'invalid-delimiter',
    `traceparent "00_${TRACE}_${PARENT}_01" does not separate its four fields with "-"`,
  ],
  [
    'tooLong_version00ExtraField',
    `${VALID}-what-the-future-will-be-like`,
    'too-long',
    'traceparent version 00 has 84 characters, expected exactly 55: remove the data after trace-flags',
  ],
  ['uppercaseHex_version', `0A-${TRACE}-${PARENT}-01`, 'uppercase-hex', 'version contains uppercase hex: lowercase it'],
  [
    'uppercaseHex_traceId',
    `00-${TRACE.toUpperCase()}-${PARENT}-01`,
    'uppercase-hex',
    'trace-id contains uppercase hex: lowercase it',
  ],
  [
    'uppercaseHex_parentId',
    `00-${TRACE}-${PARENT.toUpperCase()}-01`,
    'uppercase-hex',
    'parent-id contains uppercase hex: lowercase it',
  ],
  [
    'uppercaseHex_flags',
    `00-${TRACE}-${PARENT}-0A`,
    'uppercase-hex',
    'trace-flags contains uppercase hex: lowercase it',
  ],
  ['versionFf', `ff-${TRACE}-${PARENT}-01`, 'version-ff', 'version ff is forbidden by the spec: send "00"'],
  [
    'invalidVersion_tooShort',
    `0-${TRACE}-${PARENT}-01`,
    'invalid-version',
    'version "0" is not 2 lowercase hex digits: send "00"',
  ],
  [
    'invalidVersion_tooLong',
    `000-${TRACE}-${PARENT}-01`,
    'invalid-version',
    'version "000" is not 2 lowercase hex digits: send "00"',
  ],
  [
    'invalidVersion_illegalCharacter',
    `.0-${TRACE}-${PARENT}-01`,
    'invalid-version',
    'version ".0" is not 2 lowercase hex digits: send "00"',
  ],
  [
    'invalidTraceId_tooShort',
    `00-${TRACE.slice(1)}-${PARENT}-01`,
    'invalid-trace-id',
    `trace-id "${TRACE.slice(1)}" has 31 hex digits, expected 32`,
  ],
  [
    'invalidTraceId_tooLong',
    `00-${TRACE}0-${PARENT}-01`,
    'invalid-trace-id',
    `trace-id "${TRACE}0" has 33 hex digits, expected 32`,
  ],
  [
    'invalidTraceId_illegalCharacter',
    `00-.${TRACE.slice(1)}-${PARENT}-01`,
    'invalid-trace-id',
    `trace-id ".${TRACE.slice(1)}" contains characters other than hex digits: use 32 lowercase hex digits`,
  ],
  [
    'invalidTraceId_allZeros',
    `00-${'0'.repeat(32)}-${PARENT}-01`,
    'all-zero-trace-id',
    'trace-id is all zeros, which the spec forbids: generate a random id',
  ],
  [
    'invalidParentId_tooShort',
    `00-${TRACE}-${PARENT.slice(1)}-01`,
    'invalid-parent-id',
    `parent-id "${PARENT.slice(1)}" has 15 hex digits, expected 16`,
  ],
  [
    'invalidParentId_tooLong',
    `00-${TRACE}-${PARENT}7-01`,
    'invalid-parent-id',
    `parent-id "${PARENT}7" has 17 hex digits, expected 16`,
  ],
  [
    'invalidParentId_illegalCharacter',
    `00-${TRACE}-${PARENT.slice(0, 15)}.-01`,
    'invalid-parent-id',
    `parent-id "${PARENT.slice(0, 15)}." contains characters other than hex digits: use 16 lowercase hex digits`,
  ],
  [
    'invalidParentId_allZeros',
    `00-${TRACE}-${'0'.repeat(16)}-01`,
    'all-zero-parent-id',
    'parent-id is all zeros, which the spec forbids: generate a random id',
  ],
  [
    'invalidFlags_tooShort',
    `00-${TRACE}-${PARENT}-1`,
    'invalid-flags',
    'trace-flags "1" is not 2 lowercase hex digits: send "00" or "01"',
  ],
  [
    'invalidFlags_tooLong',
    `00-${TRACE}-${PARENT}-001`,
    'invalid-flags',
    'trace-flags "001" is not 2 lowercase hex digits: send "00" or "01"',
  ],
  [
    'invalidFlags_illegalCharacter',
    `00-${TRACE}-${PARENT}-0.`,
    'invalid-flags',
    'trace-flags "0." is not 2 lowercase hex digits: send "00" or "01"',
  ],
  [
    'invalidFlags_trailingCharacterVersion00',
    `${VALID}.`,
    'invalid-flags',
    'trace-flags "01." is not 2 lowercase hex digits: send "00" or "01"',
  ],
  [
    'invalidFlags_futureVersionWithoutDash',
    `cc-${TRACE}-${PARENT}-01.what-the-future-will-be-like`,
    'invalid-flags',
    'trace-flags "01.what" is not 2 lowercase hex digits: send "00" or "01"',
  ],
  [
    'invalidTraceId_futureVersionAllZeros',
    `cc-${'0'.repeat(32)}-${PARENT}-01-extra`,
    'all-zero-trace-id',
    'trace-id is all zeros, which the spec forbids: generate a random id',
  ],
];

describe('decodeTraceparent', () => {
  const valid: [
    string,
    string | readonly string[],
    { version: number; traceFlags: number; sampled: boolean; random: boolean; traceId?: string },
  ][] = [
    ['sampled', VALID, { version: 0, traceFlags: 1, sampled: true, random: false }],
    ['notSampled', `00-${TRACE}-${PARENT}-00`, { version: 0, traceFlags: 0, sampled: false, random: false }],
    ['randomFlag', `00-${TRACE}-${PARENT}-02`, { version: 0, traceFlags: 2, sampled: false, random: true }],
    ['sampledAndRandom', `00-${TRACE}-${PARENT}-03`, { version: 0, traceFlags: 3, sampled: true, random: true }],
    ['unknownFlagsKept', `00-${TRACE}-${PARENT}-ff`, { version: 0, traceFlags: 255, sampled: true, random: true }],
    ['surroundingOws', ` \t${VALID}\t `, { version: 0, traceFlags: 1, sampled: true, random: false }],
    ['singleLineArray', [VALID], { version: 0, traceFlags: 1, sampled: true, random: false }],
    ['futureVersion', `cc-${TRACE}-${PARENT}-01`, { version: 0xcc, traceFlags: 1, sampled: true, random: false }],
    [
      'futureVersionWithExtraFields',
      `cc-${TRACE}-${PARENT}-01-what-the-future-will-be-like`,
      { version: 0xcc, traceFlags: 1, sampled: true, random: false },
    ],
    [
      'allOnesTraceId',
      `00-${'f'.repeat(32)}-${PARENT}-01`,
      { version: 0, traceFlags: 1, sampled: true, random: false, traceId: 'f'.repeat(32) },
    ],
  ];

  it.each(valid)('%s decodes', (_name, input, expected) => {
    expect(decodeTraceparent(input)).toEqual({
      ok: true,
      value: { traceId: TRACE, parentId: PARENT, ...expected },
    });
  });

  it.each(invalid)('%s is rejected', (_name, input, reason, message) => {
    expect(decodeTraceparent(input)).toEqual({ ok: false, reason, message });
  });

  it('returns a result for non-string input from untrusted callers', () => {
    expect(decodeTraceparent(42 as unknown as string)).toEqual({
      ok: false,
      reason: 'missing',
      message: 'no traceparent header was sent: inject one on every first-party request',
    });
  });
});

describe('encodeTraceparent', () => {
  it('writes version 00 with two-digit flags', () => {
    expect(encodeTraceparent({ traceId: asTraceId(TRACE), parentId: asSpanId(PARENT), traceFlags: 3 })).toBe(
      `00-${TRACE}-${PARENT}-03`,
    );
  });

  it('keeps only the low byte of the flags so the output always decodes', () => {
    expect(encodeTraceparent({ traceId: asTraceId(TRACE), parentId: asSpanId(PARENT), traceFlags: 0x1ff })).toBe(
      `00-${TRACE}-${PARENT}-ff`,
    );
  });

  const hex = (n: number) =>
    fc
      .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n })
      .filter((s) => !/^0+$/.test(s));
  const fields = fc.record({
    traceId: hex(32).map(asTraceId),
    parentId: hex(16).map(asSpanId),
    traceFlags: fc.integer({ min: 0, max: 255 }),
  });

  it('round-trips: decode(encode(fields)) gives the fields back', () => {
    fc.assert(
      fc.property(fields, (ctx) => {
        expect(decodeTraceparent(encodeTraceparent(ctx))).toEqual({
          ok: true,
          value: { version: 0, ...ctx, sampled: (ctx.traceFlags & 1) === 1, random: (ctx.traceFlags & 2) === 2 },
        });
      }),
    );
  });

  it('gives canonical text: encode(decode(text)) is the text for version 00 and downgrades future versions to 00', () => {
    fc.assert(
      fc.property(
        fields,
        fc.constantFrom('00', '01', 'cc', 'fe'),
        fc.constantFrom('', '-', '-extra-fields'),
        (ctx, version, tail) => {
          const flags = ctx.traceFlags.toString(16).padStart(2, '0');
          const text = `${version}-${ctx.traceId}-${ctx.parentId}-${flags}${version === '00' ? '' : tail}`;
          const decoded = decodeTraceparent(text);
          expect(decoded.ok && encodeTraceparent(decoded.value)).toBe(`00-${ctx.traceId}-${ctx.parentId}-${flags}`);
        },
      ),
    );
  });

  it('answers any string with a value or one of the documented reasons and a sentence', () => {
    const reasons = new Set(invalid.map(([, , reason]) => reason));
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF- ,.') })),
        (text) => {
          const result = decodeTraceparent(text);
          if (!result.ok)
            expect([reasons.has(result.reason), /^[a-z].*[^.]$/s.test(result.message)]).toEqual([true, true]);
        },
      ),
    );
  });
});
