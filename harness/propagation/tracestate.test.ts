import fc from 'fast-check';
import { decodeTracestate, encodeTracestate, truncateTracestate, updateTracestate } from './tracestate';
import type { Tracestate, TracestateReason } from './tracestate';

const members = (...pairs: [string, string][]): Tracestate => pairs.map(([key, value]) => ({ key, value }));

const ALL_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
const ALL_VALUE_CHARS = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i))
  .filter((c) => c !== ',' && c !== '=')
  .join('');

describe('decodeTracestate', () => {
  const valid: [string, string | readonly string[], Tracestate][] = [
    [
      'twoMembers',
      'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
      members(['rojo', '00f067aa0ba902b7'], ['congo', 't61rcWkgMzE']),
    ],
    [
      'multipleLinesCombineInOrder',
      ['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'],
      members(['foo', '1'], ['bar', '2'], ['rojo', '1'], ['congo', '2'], ['baz', '3']),
    ],
    ['owsAroundMembers', 'foo=1 \t , \t bar=2, \t baz=3', members(['foo', '1'], ['bar', '2'], ['baz', '3'])],
    ['leadingSpaceInValueKept', 'foo= 1', members(['foo', ' 1'])],
    ['emptyMembersIgnored', ',foo=1,, ,\t,bar=2,', members(['foo', '1'], ['bar', '2'])],
    ['emptyHeader', '', []],
    ['emptyLineBesideMember', ['', 'foo=1'], members(['foo', '1'])],
    ['multiTenantKey', 'fw529a3039@dt=ZGRkZA', members(['fw529a3039@dt', 'ZGRkZA'])],
    ['keyStartingWithDigit', '0vendor=1', members(['0vendor', '1'])],
    ['keyWithSeveralAtSigns', 'foo@bar@baz=1', members(['foo@bar@baz', '1'])],
    ['keyOf256Characters', `${'z'.repeat(256)}=1`, members(['z'.repeat(256), '1'])],
    [
      'allKeyAndValueCharacters',
      `${ALL_KEY_CHARS}@a-z0-9_-*/=${ALL_VALUE_CHARS}`,
      members([`${ALL_KEY_CHARS}@a-z0-9_-*/`, ALL_VALUE_CHARS]),
    ],
    [
      'thirtyTwoMembers',
      Array.from({ length: 32 }, (_, i) => `k${i}=${i}`).join(','),
      Array.from({ length: 32 }, (_, i) => ({ key: `k${i}`, value: String(i) })),
    ],
  ];

  it.each(valid)('%s decodes', (_name, input, expected) => {
    expect(decodeTracestate(input)).toEqual({ ok: true, value: expected });
  });

  const invalid: [string, string | readonly string[] | undefined, TracestateReason, string][] = [
    ['missing_undefined', undefined, 'missing', 'no tracestate header was sent'],
    [
      'invalidMember_noEquals',
      'foo',
      'invalid-member',
      'tracestate member "foo" has no "=": write members as key=value',
    ],
    ['invalidKey_empty', '=1', 'invalid-key', 'a tracestate member has an empty key: write members as key=value'],
    [
      'invalidKey_uppercase',
      'FOO=1',
      'invalid-key',
      'tracestate key "FOO" contains uppercase letters: keys are lowercase',
    ],
    [
      'invalidKey_spaceBeforeEquals',
      'foo =1',
      'invalid-key',
      'tracestate key "foo " contains characters outside a-z 0-9 _ - * / @',
    ],
    [
      'invalidKey_dot',
      'foo.bar=1',
      'invalid-key',
      'tracestate key "foo.bar" contains characters outside a-z 0-9 _ - * / @',
    ],
    [
      'invalidKey_startsWithAt',
      '@foo=1,bar=2',
      'invalid-key',
      'tracestate key "@foo" must start with a lowercase letter or a digit',
    ],
    [
      'invalidKey_257Characters',
      `${'z'.repeat(257)}=1`,
      'invalid-key',
      'tracestate key "zzzzzzzzzzzzzzzzzzzz..." has 257 characters, at most 256 are allowed',
    ],
    [
      'invalidValue_empty',
      'foo=,bar=3',
      'invalid-value',
      'tracestate key "foo" has an empty value: send a value or drop the member',
    ],
    [
      'invalidValue_equals',
      'foo=bar=baz',
      'invalid-value',
      'tracestate value of "foo" contains "=", which values may not hold',
    ],
    [
      'invalidValue_257Characters',
      `foo=${'v'.repeat(257)}`,
      'invalid-value',
      'tracestate value of "foo" has 257 characters, at most 256 are allowed',
    ],
    [
      'invalidValue_nonAscii',
      'foo=é',
      'invalid-value',
      'tracestate value of "foo" contains characters outside printable ASCII (or ends with a space)',
    ],
    [
      'invalidValue_tab',
      'foo=a\tb',
      'invalid-value',
      'tracestate value of "foo" contains characters outside printable ASCII (or ends with a space)',
    ],
    [
      'tooManyMembers_33',
      Array.from({ length: 33 }, (_, i) => `k${i}=${i}`),
      'too-many-members',
      'tracestate has more than 32 members: drop the right-most ones',
    ],
    [
      'duplicateKey_sameLine',
      'foo=1,foo=2',
      'duplicate-key',
      'tracestate key "foo" appears more than once: each vendor may add one member',
    ],
    [
      'duplicateKey_acrossLines',
      ['foo=1', 'foo=1'],
      'duplicate-key',
      'tracestate key "foo" appears more than once: each vendor may add one member',
    ],
  ];

  it.each(invalid)('%s is rejected', (_name, input, reason, message) => {
    expect(decodeTracestate(input)).toEqual({ ok: false, reason, message });
  });

  it('keeps the first of duplicate keys when asked to, as a forwarding participant may', () => {
    expect(decodeTracestate(['foo=1,bar=2', 'foo=3'], { duplicateKeys: 'keep-first' })).toEqual({
      ok: true,
      value: members(['foo', '1'], ['bar', '2']),
    });
  });
});

describe('updateTracestate', () => {
  it('moves an updated key to the front', () => {
    expect(updateTracestate(members(['a', '1'], ['b', '2'], ['c', '3']), 'c', 'new')).toEqual({
      ok: true,
      value: members(['c', 'new'], ['a', '1'], ['b', '2']),
    });
  });

  it('adds a new key at the front and drops the right-most member past 32', () => {
    const full = Array.from({ length: 32 }, (_, i) => ({ key: `k${i}`, value: String(i) }));
    const result = updateTracestate(full, 'congo', 't61rcWkgMzE');
    expect(result.ok && [result.value.length, result.value[0], result.value[31]]).toEqual([
      32,
      { key: 'congo', value: 't61rcWkgMzE' },
      { key: 'k30', value: '30' },
    ]);
  });

  it('rejects a key that breaks the grammar', () => {
    expect(updateTracestate([], 'Congo', '1')).toEqual({
      ok: false,
      reason: 'invalid-key',
      message: 'tracestate key "Congo" contains uppercase letters: keys are lowercase',
    });
  });

  it('rejects a value that breaks the grammar', () => {
    expect(updateTracestate([], 'congo', 'a,b')).toEqual({
      ok: false,
      reason: 'invalid-value',
      message: 'tracestate value of "congo" contains characters outside printable ASCII (or ends with a space)',
    });
  });
});

describe('truncateTracestate', () => {
  it('removes members longer than 128 characters first, then from the end, until 512 characters fit', () => {
    const big = { key: 'big', value: 'x'.repeat(200) };
    const small = Array.from({ length: 20 }, (_, i) => ({
      key: `vendor${String(i).padStart(2, '0')}`,
      value: 'y'.repeat(12),
    }));
    const truncated = truncateTracestate([small[0]!, big, ...small.slice(1)]);
    // 20 members of 21 characters need 20 * 22 - 1 = 439 characters, so only the big one goes.
    expect(truncated).toEqual(small);
    const more = Array.from({ length: 30 }, (_, i) => ({
      key: `vendor${String(i).padStart(2, '0')}`,
      value: 'y'.repeat(12),
    }));
    // 23 members fit in 23 * 22 - 1 = 505 characters; the 24th would make 527.
    expect(truncateTracestate(more)).toEqual(more.slice(0, 23));
  });

  it('leaves a tracestate of 512 characters or less unchanged', () => {
    const state = members(['a', 'v'.repeat(508)]);
    expect(truncateTracestate(state)).toBe(state);
  });
});

describe('encodeTracestate', () => {
  it('joins members without whitespace', () => {
    expect(encodeTracestate(members(['congo', 't61rcWkgMzE'], ['rojo', '00f067aa0ba902b7']))).toBe(
      'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
    );
  });

  it('skips members that break the grammar and repeated keys, so the output always decodes', () => {
    expect(
      encodeTracestate(members(['Bad', '1'], ['ok', '1'], ['ok', '2'], ['empty', ''], ['next', 'a=b'], ['last', 'z'])),
    ).toBe('ok=1,last=z');
  });

  const key = fc
    .tuple(
      fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
      fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-*/@'), maxLength: 20 }),
    )
    .map(([first, rest]) => first + rest);
  const value = fc
    .string({ unit: fc.constantFrom(...ALL_VALUE_CHARS), minLength: 1, maxLength: 30 })
    .filter((text) => !text.endsWith(' '));
  const state = fc.uniqueArray(fc.record({ key, value }), { selector: (member) => member.key, maxLength: 32 });

  it('round-trips: decode(encode(state)) gives the state back when truncation is off', () => {
    fc.assert(
      fc.property(state, (members) => {
        const text = encodeTracestate(members, Infinity);
        expect(decodeTracestate(text)).toEqual({ ok: true, value: members });
      }),
    );
  });

  it('gives canonical text: encode(decode(text)) drops only OWS and empty members', () => {
    fc.assert(
      fc.property(state, fc.constantFrom(',', ' , ', '\t,', ',,'), (members, separator) => {
        const text = members.map((m) => `${m.key}=${m.value}`).join(separator);
        const decoded = decodeTracestate(text);
        expect(decoded.ok && encodeTracestate(decoded.value, Infinity)).toBe(
          members.map((m) => `${m.key}=${m.value}`).join(','),
        );
      }),
    );
  });

  it('always produces text that decodes, truncated to 512 characters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.string(), value: fc.string() }), { maxLength: 40 }),
        state,
        (junk, members) => {
          const text = encodeTracestate([...junk, ...members]);
          expect([decodeTracestate(text).ok, text.length <= 512]).toEqual([true, true]);
        },
      ),
    );
  });
});
