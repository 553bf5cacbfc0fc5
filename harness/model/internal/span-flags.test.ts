import { traceFlagsOf, writesLowByte } from './span-flags';

describe('traceFlagsOf', () => {
  it.each([
    [0x001, 1, 'sampled, as older exporters write it (no remote-parent bits)'],
    [0x101, 1, 'sampled, parent local (OpenTelemetry JS and Java)'],
    [0x301, 1, 'sampled, parent remote'],
    [0x103, 3, 'sampled and random'],
    [0x000, 0, 'not sampled, no remote-parent bits'],
    [0x002, 2, 'random only: not sampled'],
    [0x100, undefined, 'remote-parent bits only, parent local (OpenTelemetry Go and Python)'],
    [0x300, undefined, 'remote-parent bits only, parent remote'],
    [0x200, 0, 'bit 9 without bit 8 says nothing of the writer: read as written'],
  ])('reads %i as %p: %s', (flags, expected, _what) => {
    expect(traceFlagsOf(flags)).toBe(expected);
  });
});

describe('traceFlagsOf for an SDK that writes bits 0-7 (writesLowByte)', () => {
  it.each([
    [0x100, 0, 'not sampled, parent local: the Java SDK exporting unsampled spans'],
    [0x300, 0, 'not sampled, parent remote'],
    [0x301, 1, 'sampled, parent remote'],
  ])('reads %i as %p: %s', (flags, expected, _what) => {
    expect(traceFlagsOf(flags, true)).toBe(expected);
  });

  it('names the SDKs that write them by telemetry.sdk.language, and no other', () => {
    expect(['java', 'nodejs', 'webjs', 'go', 'python', 'Java', '', undefined, 1].map(writesLowByte)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
