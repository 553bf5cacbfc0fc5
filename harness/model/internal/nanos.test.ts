import fc from 'fast-check';
import { msToNanosString, nanosStringToMs } from './nanos';

describe('nanosStringToMs', () => {
  it.each([
    ['0', 0],
    ['1', 0.000001],
    ['999999', 0.999999],
    ['1000000', 1],
    ['1700000000001500000', 1700000000001.5],
    ['0001700000000000000', 1700000000],
  ])('reads %s ns as %s ms', (text, ms) => {
    expect(nanosStringToMs(text)).toBe(ms);
  });

  it.each([[''], ['-1'], ['1e9'], ['12:00'], [' 1'], ['1.5']])('refuses %j', (text) => {
    expect(nanosStringToMs(text)).toBeUndefined();
  });

  it('splits whole milliseconds from the last six digits, so no time goes through one float of nanoseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: 0, max: 999_999 }), (ms, ns) => {
        expect(nanosStringToMs(`${ms}${String(ns).padStart(6, '0')}`)).toBe(ms + ns / 1e6);
      }),
    );
  });

  it('round-trips through msToNanosString to the microsecond', () => {
    expect(nanosStringToMs(msToNanosString(1700000000001.5))).toBe(1700000000001.5);
  });
});
