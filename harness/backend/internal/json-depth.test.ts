import { nestsDeeperThan } from './json-depth';

describe('nestsDeeperThan', () => {
  it.each([
    ['[[[]]]', 2, true],
    ['[[[]]]', 3, false],
    ['{"a":{"b":[1,[2]]}}', 3, true],
    ['{"a":{"b":[1,[2]]}}', 4, false],
    // Brackets inside strings, escaped quotes and escaped backslashes before a closing quote.
    ['["[[[[", "\\"[[[", "\\\\", "{{{{"]', 1, false],
    ['["\\\\"]]]]', 1, false],
    ['["\\\\"[[[', 2, true],
    // Not JSON at all: read as far as it goes.
    ['"unterminated [[[[', 1, false],
    ['[[[[', 3, true],
  ])('%s deeper than %i: %s', (text, max, deeper) => {
    expect(nestsDeeperThan(text, max)).toBe(deeper);
  });
});
