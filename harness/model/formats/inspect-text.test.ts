import { inspect } from 'node:util';
import fc from 'fast-check';
import { CutValue, InspectObject, MAX_DEPTH, readInspectText, type InspectValue } from '.';

/** The value read, with objects as plain records (class names under "class") and cut values as "<cut: what>". */
function plain(value: InspectValue): unknown {
  if (value instanceof CutValue) return `<cut: ${value.what}>`;
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof InspectObject) {
    const record: Record<string, unknown> = value.className !== undefined ? { class: value.className } : {};
    for (const [key, item] of value.entries) record[key] = plain(item);
    return record;
  }
  return value;
}

function read(text: string): unknown {
  const result = readInspectText(text);
  return result.ok ? plain(result.value) : result;
}

describe('readInspectText: util.inspect text as console.dir prints it', () => {
  it('reads back what util.inspect wrote of strings with every quote, escape and character', () => {
    const strings = [
      "it's",
      'say "hi"',
      `it's "both"`,
      `it's "all" \`three\``,
      'back\\slash',
      'tab\tnew\nline\r\u0007\u001b\u0000',
      'ünïcødé 😀 \u2028',
      '',
      'x'.repeat(500),
    ];
    for (const text of strings) expect(read(inspect(text))).toBe(text);
    expect(read(inspect({ strings }, { depth: 3 }))).toEqual({ strings });
  });

  it('reads numbers as util.inspect writes them, NaN, the infinities and -0 among them', () => {
    const numbers = [0, -0, 1.5, -2, 1e21, 5e-7, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER];
    const value = read(inspect(numbers));
    expect(value).toEqual(numbers);
    expect(Object.is((value as number[])[1], -0)).toBe(true);
    expect(read('12n')).toBe(12n);
  });

  it('reads keys quoted and not, undefined and null, class names, Maps and Sets', () => {
    expect(
      read(
        "TraceState {\n  _internalState: Map(2) { 'rojo' => '00f067aa0ba902b7', 'congo' => 't61rcWkgMzE' },\n  'service.name': undefined,\n  n: null,\n  s: Set(2) { 'a', 'b' }\n}",
      ),
    ).toEqual({
      class: 'TraceState',
      _internalState: { class: 'Map', rojo: '00f067aa0ba902b7', congo: 't61rcWkgMzE' },
      'service.name': undefined,
      n: null,
      s: { class: 'Set', a: 'a', b: 'b' },
    });
    expect(read('[Object: null prototype] { a: 1 }')).toEqual({ class: '[Object: null prototype]', a: 1 });
    expect(read('<ref *1> { self: [Circular *1], f: [Function: f], list: [] }')).toEqual({
      self: '<cut: [Circular *1]>',
      f: '<cut: [Function: f]>',
      list: [],
    });
  });

  it('keeps what the print cut short as CutValue: beyond depth, past 100 items, past 10000 characters', () => {
    const value = {
      deep: { deeper: { deepest: { list: [1] } } },
      long: 'y'.repeat(10050),
      many: [...Array(120).keys()],
    };
    expect(read(inspect(value, { depth: 2 }))).toEqual({
      deep: { deeper: { deepest: '<cut: [Object]>' } },
      long: '<cut: a string of 10050 characters>',
      many: '<cut: a list of 120 items>',
    });
    // Holes are counted, never expanded: a hostile count costs nothing.
    expect(read('[ <1000000000 empty items> ]')).toEqual('<cut: a list of 1000000000 items>');
  });

  it("joins a string util.inspect split across lines with + (Node.js before 12's multi-line strings)", () => {
    expect(read("{\n  note: 'first line\\n' +\n    'second line'\n}")).toEqual({ note: 'first line\nsecond line' });
  });

  it('says where and what is wrong, as an offset into the text', () => {
    expect(read("{ a: 'open }")).toEqual({
      ok: false,
      offset: 5,
      problem: "has a string that is never closed (opened with ')",
    });
    expect(read("{ a: 'x\\q' }")).toEqual({ ok: false, offset: 7, problem: 'has a bad escape "\\q" in a string' });
    expect(read("{ a: '\\xZZ' }")).toEqual({ ok: false, offset: 6, problem: 'has a bad escape "\\xZZ" in a string' });
    expect(read('{ a: 1 b: 2 }')).toEqual({ ok: false, offset: 7, problem: 'has no "," or "}" after an entry' });
    expect(read('{ a 1 }')).toEqual({ ok: false, offset: 4, problem: 'has no ":" after a key' });
    expect(read('{ a: 1, a: 2 }')).toEqual({ ok: false, offset: 8, problem: 'has the key "a" twice' });
    expect(read('{ a: 1 } trailing')).toEqual({ ok: false, offset: 9, problem: 'has more text after the value ends' });
    expect(read('{ a: ')).toEqual({ ok: false, offset: 5, problem: 'ends before its value does' });
    expect(read('{ a: Foo }')).toEqual({ ok: false, offset: 5, problem: 'has "Foo" where a value should be' });
    expect(read('{ a: [Object }')).toEqual({
      ok: false,
      offset: 5,
      problem: 'has a "[" that opens neither a list nor a tag such as [Object]',
    });
  });

  it('refuses hostile nesting instead of recursing without bound', () => {
    const depth = 1_000_000;
    for (const text of ['{ a: '.repeat(depth), '[ '.repeat(depth), `${'[ '.repeat(depth)}${' ]'.repeat(depth)}`])
      expect(readInspectText(text)).toEqual({
        ok: false,
        offset: expect.any(Number),
        problem: `nests deeper than ${MAX_DEPTH} levels, more than console.dir prints`,
      });
  });

  it('refuses a BigInt with a fraction or exponent, and one too long to parse in linear time, naming where it starts', () => {
    expect(readInspectText('{ a: 1.5n }')).toEqual({ ok: false, offset: 5, problem: 'has "1.5n", no BigInt' });
    expect(readInspectText('1e3n')).toEqual({ ok: false, offset: 0, problem: 'has "1e3n", no BigInt' });
    // V8 parses a BigInt's digits in quadratic time: 4 million took 0.9 s, 2 million 0.2 s.
    expect(readInspectText(`${'1'.repeat(4_000_000)}n`)).toEqual({
      ok: false,
      offset: 0,
      problem: "has a BigInt of 4000000 digits, more than the 1000 a span's value needs",
    });
    expect(readInspectText(`${'9'.repeat(20)}n`)).toEqual({ ok: true, value: 99999999999999999999n });
  });

  it('returns a result for any text, never throws', () => {
    const pieces = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      "'",
      '"',
      '`',
      '\\',
      ':',
      ',',
      ' ',
      '\n',
      'a',
      '1',
      '-',
      '+',
      '=>',
      '...',
      'n',
      '<',
      '>',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(pieces, { maxLength: 60 }).map((list) => list.join('')),
        ),
        (text) => {
          const result = readInspectText(text);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });
});
