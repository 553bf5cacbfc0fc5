import { decodeAnyValue, decodeKeyValues, encodeAnyValue, MAX_ANY_VALUE_DEPTH } from './any-value';

describe('decodeAnyValue', () => {
  it.each([
    ['a string', { stringValue: 'a' }, 'a'],
    ['a bool', { boolValue: false }, false],
    ['an int64 string', { intValue: '-42' }, -42],
    ['an int as a number', { intValue: 7 }, 7],
    ['int64 max', { intValue: '9223372036854775807' }, 2 ** 63],
    // OpenTelemetry JS's JsonTraceSerializer writes any integer number as intValue, past int64 too.
    ['an integer number past int64, as OpenTelemetry JS writes it', { intValue: 1e23 }, 1e23],
    ['int64 min with leading zeros', { intValue: '-0009223372036854775808' }, -(2 ** 63)],
    ['a double', { doubleValue: 1.5 }, 1.5],
    ['a quoted double', { doubleValue: '2.5' }, 2.5],
    ['NaN as a string', { doubleValue: 'NaN' }, NaN],
    ['-Infinity as a string', { doubleValue: '-Infinity' }, -Infinity],
    ['bytes (base64 kept as text)', { bytesValue: 'AQI=' }, 'AQI='],
    ['an empty value', {}, null],
    ['an absent value', undefined, null],
    ['an empty array', { arrayValue: {} }, []],
    ['a map', { kvlistValue: { values: [{ key: 'k', value: { intValue: '1' } }] } }, { k: 1 }],
    // Rust's opentelemetry-stdout 0.1 to 0.5: the values as a bare list.
    [
      'an array as a bare list',
      { arrayValue: [{ stringValue: 'application/json' }, { intValue: 2 }] },
      ['application/json', 2],
    ],
    ['a map as a bare list', { kvlistValue: [{ key: 'k', value: { boolValue: true } }] }, { k: true }],
  ])('reads %s', (_name, input, value) => {
    expect(decodeAnyValue(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['an int with a fraction', { intValue: 1.5 }, '.intValue', '1.5 is not an integer'],
    ['an int in words', { intValue: '12abc' }, '.intValue', '"12abc" is not an integer'],
    ['a bool as an int', { intValue: true }, '.intValue', 'true is not an integer'],
    [
      'an int past int64',
      { intValue: '9223372036854775808' },
      '.intValue',
      '"9223372036854775808" is outside int64 (-2^63 to 2^63-1)',
    ],
    [
      'an int below int64',
      { intValue: '-9223372036854775809' },
      '.intValue',
      '"-9223372036854775809" is outside int64 (-2^63 to 2^63-1)',
    ],
    ['a double in words', { doubleValue: 'abc' }, '.doubleValue', '"abc" is not a number'],
    ['an empty double', { doubleValue: '' }, '.doubleValue', '"" is not a number'],
    ['an array that is a number', { arrayValue: 5 }, '.arrayValue', 'is not an object with "values"'],
    ['array values that are not a list', { arrayValue: { values: 'x' } }, '.arrayValue.values', 'is not an array'],
    ['a map that is a string', { kvlistValue: 'k=v' }, '.kvlistValue', 'is not an object with "values"'],
    [
      'a bad item deep in a list',
      { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 'x' }] } },
      '.arrayValue.values[1].intValue',
      '"x" is not an integer',
    ],
    [
      'a bad item deep in a bare list',
      { arrayValue: [{ stringValue: 'a' }, { intValue: 'x' }] },
      '.arrayValue[1].intValue',
      '"x" is not an integer',
    ],
    [
      'a bare map list with a pair without a key',
      { kvlistValue: [{ value: {} }] },
      '.kvlistValue[0]',
      'is not a key-value pair with a string "key"',
    ],
    [
      'a key-value pair without a key',
      { kvlistValue: { values: [{ value: {} }] } },
      '.kvlistValue.values[0]',
      'is not a key-value pair with a string "key"',
    ],
    ['a plain string', 'a', '', 'is not an AnyValue object'],
  ])('refuses %s, naming where', (_name, input, path, message) => {
    expect(decodeAnyValue(input)).toEqual({ ok: false, reason: 'invalid-value', path, message });
  });

  it(`refuses arrays nested deeper than ${MAX_ANY_VALUE_DEPTH} levels instead of risking the stack`, () => {
    let value: unknown = { stringValue: 'leaf' };
    for (let i = 0; i <= MAX_ANY_VALUE_DEPTH + 1; i++) value = { arrayValue: { values: [value] } };
    const result = decodeAnyValue(value);
    expect(result).toEqual({
      ok: false,
      reason: 'too-deep',
      path: '.arrayValue.values[0]'.repeat(MAX_ANY_VALUE_DEPTH + 1),
      message: `nests arrays or maps deeper than ${MAX_ANY_VALUE_DEPTH} levels`,
    });
  });

  it('round-trips what encodeAnyValue writes', () => {
    const value = { list: ['a', 1, 2.5, true, null], map: { inner: [] } };
    expect(decodeAnyValue(encodeAnyValue(value))).toEqual({ ok: true, value });
  });
});

describe('decodeKeyValues', () => {
  it('refuses a list that is not an array', () => {
    expect(decodeKeyValues({ key: 'a' })).toEqual({
      ok: false,
      reason: 'invalid-value',
      path: '',
      message: 'is not an array of key-value pairs',
    });
  });
});
