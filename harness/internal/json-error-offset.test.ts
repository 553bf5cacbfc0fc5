import { jsonErrorOffset, jsonSyntaxError } from './json-error-offset';

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

describe('jsonSyntaxError', () => {
  const text = '{\n  "a": 1\n  "b": 2\n}';

  it("reads the position of Node 20's message and of Node 22's, which names the line and column as well", () => {
    expect([
      jsonSyntaxError(text, "Expected ',' or '}' after property value in JSON at position 13"),
      jsonSyntaxError(text, "Expected ',' or '}' after property value in JSON at position 13 (line 3 column 3)"),
    ]).toEqual([
      { reason: "Expected ',' or '}' after property value", line: 3, column: 3 },
      { reason: "Expected ',' or '}' after property value", line: 3, column: 3 },
    ]);
  });

  it('finds the place itself when the message names none, and gives only the reason when the text is JSON', () => {
    expect([
      jsonSyntaxError('[1,\n x]', 'Unexpected token \'x\', "[1,\n x]" is not valid JSON'),
      jsonSyntaxError('[1]', 'Unexpected token'),
    ]).toEqual([{ reason: "Unexpected token 'x'", line: 2, column: 2 }, { reason: 'Unexpected token' }]);
  });
});
