/**
 * A small seeded generator (mulberry32), so that generated test cases can be replayed by their seed: each call
 * of the function it returns gives a whole number from 0 to `below - 1`.
 * @example const draw = seededRandom(7); draw(6) // the same number on every run
 */
export function seededRandom(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}
