import { jsonErrorOffset } from './json-error-offset';

describe('jsonErrorOffset', () => {
  it.each([['{}'], [' [1, -2.5e+3, 0, "a\\"b\\u00e9", true, false, null, {"k": [[]]}] '], ['"x"'], ['0']])(
    'finds %s valid',
    (text) => {
      expect(jsonErrorOffset(text)).toBe(-1);
    },
  );

  it.each([
    ['an unexpected closing brace', '{\n  "a": [\n    }\n]}', 15],
    ['a missing comma', '{"a": 1 "b": 2}', 8],
    ['a trailing comma', '[1, 2,]', 6],
    ['a truncated document', '{"a": [1, 2', 11],
    ['an unterminated string', '{"a": "xyz', 10],
    ['a control character in a string', '"a\nb"', 2],
    ['a bad escape', '"a\\qb"', 3],
    ['a short unicode escape', '"\\u12"', 5],
    ['a leading zero', '01', 1],
    ['a bare word', '{"a": nope}', 6],
    ['a single quote', "{'a': 1}", 1],
    ['trailing garbage', '{} x', 3],
    ['a missing exponent', '1e', 2],
    ['a missing colon', '{"a" 1}', 5],
    ['an empty text', '', 0],
    ['a mismatched bracket', '[1}', 2],
  ])('points at %s', (_name, text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('scans 100,000 nested arrays without overflowing the stack', () => {
    expect(jsonErrorOffset(`${'['.repeat(100_000)}${']'.repeat(99_999)}`)).toBe(200_000 - 1);
  });

  it('tells objects from arrays past 32 levels (the open containers are kept as bits)', () => {
    const open = Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? '{"k":' : '[')).join('');
    const close = Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? '}' : ']'))
      .reverse()
      .join('');
    const valid = `${open}1${close}`;
    // The innermost container (level 69, an object) closed with "]" instead.
    const wrong = `${open}1]`;
    expect([jsonErrorOffset(valid), jsonErrorOffset(wrong)]).toEqual([-1, open.length + 1]);
  });
});
