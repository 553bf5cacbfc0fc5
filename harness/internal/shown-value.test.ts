import { shownText, shownValue } from './shown-value';

describe('shownValue', () => {
  it.each<[string, unknown]>([
    ['a string', 'SPAN_KIND_SERVER'],
    ['a string with quotes and a newline', 'a"b\nc'],
    ['a number', 12.5],
    ['zero', 0],
    ['true', true],
    ['null', null],
    ['an object', { code: 'x', nested: [1, { a: null }] }],
    ['an empty array', []],
  ])('shows %s as JSON.stringify does', (_name, value) => {
    expect(shownValue(value)).toBe(JSON.stringify(value));
  });

  it('cuts a long string, a long list and a deep nesting to 40 characters and "...", with no stack overflow', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const list = Array.from({ length: 100 }, (_, i) => i);
    expect([
      shownValue('x'.repeat(1_000_000)),
      shownValue(list),
      shownValue(deep),
      shownValue({ ['k'.repeat(200)]: 1 }),
    ]).toEqual([
      `"${'x'.repeat(40)}..."`,
      `${`[${list.join(',')}`.slice(0, 40)}...`,
      `${'['.repeat(40)}...`,
      `{"${'k'.repeat(38)}...`,
    ]);
  });

  it('shows a number too large for a double as Infinity, not null', () => {
    expect([shownValue(JSON.parse('1e400')), shownValue(JSON.parse('-1e400'))]).toEqual(['Infinity', '-Infinity']);
  });
});

describe('shownText', () => {
  it('quotes a string, cut to 40 characters and "..." when longer', () => {
    expect([shownText('abc'), shownText('y'.repeat(41))]).toEqual(['"abc"', `"${'y'.repeat(40)}..."`]);
  });
});
