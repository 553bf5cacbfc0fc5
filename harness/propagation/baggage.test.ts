import fc from 'fast-check';
import { decodeBaggage, encodeBaggage } from './baggage';
import type { Baggage, BaggageReason } from './baggage';

const entry = (key: string, value: string, properties: { key: string; value?: string }[] = []) => ({
  key,
  value,
  properties,
});

describe('decodeBaggage', () => {
  const valid: [string, string | readonly string[], Baggage][] = [
    ['twoMembers', 'userId=alice,serverNode=DF%2028', [entry('userId', 'alice'), entry('serverNode', 'DF 28')]],
    [
      'owsEverywhere',
      ' key1 = value1 ; prop ; p2 = v2 , key2=v',
      [entry('key1', 'value1', [{ key: 'prop' }, { key: 'p2', value: 'v2' }]), entry('key2', 'v')],
    ],
    ['percentEncodedUtf8', 'city=M%C3%BCnchen', [entry('city', 'München')]],
    ['invalidUtf8BecomesReplacementCharacter', 'bad=%FF', [entry('bad', '\uFFFD')]],
    ['emptyValue', 'flag=', [entry('flag', '')]],
    ['multipleLinesCombine', ['a=1', 'b=2'], [entry('a', '1'), entry('b', '2')]],
    ['emptyMembersIgnored', 'a=1,,b=2,', [entry('a', '1'), entry('b', '2')]],
    [
      'sixtyFourMembers',
      Array.from({ length: 64 }, (_, i) => `k${i}=${i}`).join(','),
      Array.from({ length: 64 }, (_, i) => entry(`k${i}`, String(i))),
    ],
  ];

  it.each(valid)('%s decodes', (_name, input, expected) => {
    expect(decodeBaggage(input)).toEqual({ ok: true, value: expected });
  });

  const invalid: [string, string | readonly string[] | undefined, BaggageReason, string][] = [
    ['missing_undefined', undefined, 'missing', 'no baggage header was sent'],
    [
      'invalidMember_noEquals',
      'userId',
      'invalid-member',
      'baggage member "userId" has no "=": write members as key=value',
    ],
    [
      'invalidKey_empty',
      '=alice',
      'invalid-key',
      `baggage key "" is not an HTTP token (letters, digits and !#$%&'*+-.^_\`|~)`,
    ],
    [
      'invalidKey_space',
      'user id=alice',
      'invalid-key',
      `baggage key "user id" is not an HTTP token (letters, digits and !#$%&'*+-.^_\`|~)`,
    ],
    [
      'invalidValue_space',
      'name=alice smith',
      'invalid-value',
      'baggage value of "name" contains a space, quote, comma, semicolon or backslash: percent-encode it',
    ],
    [
      'invalidValue_quote',
      'name="alice"',
      'invalid-value',
      'baggage value of "name" contains a space, quote, comma, semicolon or backslash: percent-encode it',
    ],
    [
      'invalidPercentEncoding_bare',
      'ratio=50%',
      'invalid-percent-encoding',
      'baggage value of "ratio" has a "%" not followed by two hex digits: encode "%" as %25',
    ],
    [
      'invalidPercentEncoding_oneDigit',
      'ratio=%4',
      'invalid-percent-encoding',
      'baggage value of "ratio" has a "%" not followed by two hex digits: encode "%" as %25',
    ],
    [
      'invalidProperty_badKey',
      'a=1;bad key',
      'invalid-property',
      'baggage property "bad key" of "a" is not key or key=value',
    ],
    [
      'invalidProperty_badValue',
      'a=1;p=x y',
      'invalid-property',
      'baggage property "p=x y" of "a" is not key or key=value',
    ],
    [
      'tooManyMembers_65',
      Array.from({ length: 65 }, (_, i) => `k${i}=${i}`).join(','),
      'too-many-members',
      'baggage has more than 64 members: send fewer',
    ],
    [
      'tooLong_8193Bytes',
      `k=${'v'.repeat(8191)}`,
      'too-long',
      'baggage has 8193 bytes, more than the 8192 the spec requires to propagate',
    ],
  ];

  it.each(invalid)('%s is rejected', (_name, input, reason, message) => {
    expect(decodeBaggage(input)).toEqual({ ok: false, reason, message });
  });
});

describe('encodeBaggage', () => {
  it('percent-encodes what baggage-octet excludes, and "%" itself', () => {
    expect(encodeBaggage([entry('note', 'a b,c;d\\e"f%g=h/é')])).toBe('note=a%20b%2Cc%3Bd%5Ce%22f%25g=h/%C3%A9');
  });

  it('skips members with invalid keys and properties with invalid values, so the output always decodes', () => {
    expect(encodeBaggage([entry('bad key', 'x'), entry('ok', '1', [{ key: 'p', value: 'a b' }, { key: 'q' }])])).toBe(
      'ok=1;q',
    );
  });

  it('drops members past 64', () => {
    const many = Array.from({ length: 70 }, (_, i) => entry(`k${i}`, '1'));
    const decoded = decodeBaggage(encodeBaggage(many));
    expect(decoded.ok && decoded.value.length).toBe(64);
  });

  const token = fc.string({ unit: fc.constantFrom(...("!#$%&'*+-.^_`|~" + 'abcXYZ019')), minLength: 1, maxLength: 12 });
  const propertyValue = fc.string({ unit: fc.constantFrom(...'abc%/=:?!#09'), maxLength: 8 });
  const baggage = fc.array(
    fc.record({
      key: token,
      value: fc.string({ unit: 'grapheme', maxLength: 20 }),
      properties: fc.array(fc.oneof(fc.record({ key: token }), fc.record({ key: token, value: propertyValue })), {
        maxLength: 3,
      }),
    }),
    { maxLength: 10 },
  );

  it('round-trips: decode(encode(baggage)) gives the baggage back', () => {
    fc.assert(
      fc.property(baggage, (value) => {
        expect(decodeBaggage(encodeBaggage(value))).toEqual({ ok: true, value });
      }),
    );
  });

  it('gives canonical text: encode(decode(text)) drops OWS and uses uppercase percent escapes', () => {
    expect(
      encodeBaggage((decodeBaggage(' a = x%2fy%e2%82%ac ; p = 1 , b=2') as { ok: true; value: Baggage }).value),
    ).toBe('a=x/y%E2%82%AC;p=1,b=2');
    fc.assert(
      fc.property(baggage, (value) => {
        const text = encodeBaggage(value);
        const decoded = decodeBaggage(text.replace(/,/g, ' , '));
        expect(decoded.ok && encodeBaggage(decoded.value)).toBe(text);
      }),
    );
  });
});
