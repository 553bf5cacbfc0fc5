import { isoTimeToMs } from './iso-time';

describe('RFC 3339 times of the SDKs’ span prints', () => {
  it.each([
    // Go's RFC3339Nano in the process's zone: nanoseconds, trailing zeros dropped.
    ['2026-12-04T22:10:39.728489284+05:30', Date.UTC(2026, 11, 4, 16, 40, 39) + 728.489284],
    ['2026-12-04T13:40:39.7335083-03:00', Date.UTC(2026, 11, 4, 16, 40, 39) + 733.5083],
    ['2026-12-04T16:40:39Z', Date.UTC(2026, 11, 4, 16, 40, 39)],
    // Python's strftime("%Y-%m-%dT%H:%M:%S.%fZ"): microseconds, always six digits.
    ['2026-12-04T16:00:39.728489Z', Date.UTC(2026, 11, 4, 16, 0, 39) + 728.489],
    // Across midnight and a year: the offset moves the date.
    ['2027-01-01T01:30:00.5+02:00', Date.UTC(2026, 11, 31, 23, 30, 0) + 500],
  ])('reads %s', (text, ms) => {
    expect(isoTimeToMs(text)).toBe(ms);
  });

  it('reads years before 100 as they are, not as 19xx', () => {
    expect(isoTimeToMs('0001-01-01T00:00:00Z')).toBe(-62135596800000);
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'a day February has not'],
    ['2026-12-04T24:00:00Z', 'hour 24'],
    ['2026-12-04T16:40:39.728489', 'no zone'],
    ['2026-12-04 16:40:39Z', 'a space for T'],
    ['2026-12-04T16:40:39.1234567890Z', 'ten fractional digits'],
    ['2026-12-04T16:40:39+05:60', 'an offset of 60 minutes'],
    ['1796400039728', 'epoch milliseconds'],
  ])('refuses %s (%s)', (text) => {
    expect(isoTimeToMs(text)).toBeUndefined();
  });
});
