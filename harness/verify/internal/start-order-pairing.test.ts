import { pairInStartOrder, type OrderCandidate } from './start-order-pairing';

/** Fragment `fragment` (started at `fragmentStartMs`) with call `call` (started at `callStartMs`), `slack` apart. */
const candidate = (
  fragment: string,
  fragmentStartMs: number,
  call: string,
  callStartMs: number,
  slack: number,
): OrderCandidate => ({ fragment, fragmentStartMs, call, callStartMs, slack });

const bySlack = (a: OrderCandidate, b: OrderCandidate): number => a.slack - b.slack;

/** The pairs kept, as "fragment>call", in the order returned. */
function kept(candidates: readonly OrderCandidate[]): string[] {
  return pairInStartOrder(candidates, bySlack).map((index) => {
    const { fragment, call } = candidates[index] as OrderCandidate;
    return `${fragment}>${call}`;
  });
}

describe('pairInStartOrder', () => {
  it('skips a call no fragment answers (its callee sampled it out), keeping the others in start order', () => {
    // c2 started between c1 and c3 and got no new trace: f1 answers c1, f2 answers c3.
    const candidates = [
      candidate('f1', 1, 'c1', 0, 1),
      candidate('f1', 1, 'c2', 2, 3),
      candidate('f2', 5, 'c1', 0, 9),
      candidate('f2', 5, 'c2', 2, 6),
      candidate('f2', 5, 'c3', 4, 1),
    ];
    expect(kept(candidates)).toEqual(['f1>c1', 'f2>c3']);
  });

  it('pairs every fragment it can before it pairs any one more tightly', () => {
    // f1 fits c2 by 1 ms, but then f2, which only c2 ran for, would answer nothing.
    const candidates = [
      candidate('f1', 5, 'c1', 0, 10),
      candidate('f1', 5, 'c2', 4, 1),
      candidate('f2', 6, 'c2', 4, 2),
    ];
    expect(kept(candidates)).toEqual(['f2>c2', 'f1>c1']);
  });

  it('lets the tightest fit decide between calls started in the same millisecond, whose order is not known', () => {
    // c1 and c2 both stamped at 10 ms: start order would pair f1 with whichever sorts first.
    const candidates = [
      candidate('f1', 11, 'c1', 10, 5),
      candidate('f1', 11, 'c2', 10, 1),
      candidate('f2', 12, 'c1', 10, 1.5),
      candidate('f2', 12, 'c2', 10, 5),
    ];
    expect(kept(candidates)).toEqual(['f1>c2', 'f2>c1']);
  });

  it.each([
    ['the call that ran longer sorts first by id', 'c1', 'c2'],
    ['the call that ran longer sorts last by id', 'c2', 'c1'],
  ])(
    'pairs both fragments of two calls started in the same millisecond, whatever their ids (%s)',
    (_, longer, shorter) => {
      // Both calls started at 100 ms; the shorter one had ended when f2 started at 150, so only the longer fits f2.
      const candidates = [
        candidate('f1', 102, longer, 100, 100),
        candidate('f1', 102, shorter, 100, 5),
        candidate('f2', 150, longer, 100, 60),
      ];
      expect(kept(candidates).sort()).toEqual([`f1>${shorter}`, `f2>${longer}`]);
    },
  );

  it.each([
    ['f1', 'f2'],
    ['f2', 'f1'],
  ])(
    'pairs both fragments started in the same millisecond, whatever their ids (%s fits only the later call)',
    (onlyLater, both) => {
      const candidates = [
        candidate(onlyLater, 20, 'c2', 15, 3),
        candidate(both, 20, 'c1', 10, 3),
        candidate(both, 20, 'c2', 15, 9),
      ];
      expect(kept(candidates).sort()).toEqual([`${both}>c1`, `${onlyLater}>c2`].sort());
    },
  );

  it('keeps start order over a tighter fit of fragments started a millisecond apart or more', () => {
    // The same fits, the calls 2 ms apart: f1 answers the earlier call.
    const candidates = [
      candidate('f1', 11, 'c1', 10, 5),
      candidate('f1', 11, 'c2', 12, 1),
      candidate('f2', 13, 'c1', 10, 1.5),
      candidate('f2', 13, 'c2', 12, 5),
    ];
    expect(kept(candidates)).toEqual(['f1>c1', 'f2>c2']);
  });

  it('pairs alike whatever order the candidates come in, and keeps one of a fragment and call given twice', () => {
    const candidates = [
      candidate('f1', 1, 'c1', 0, 1),
      candidate('f1', 1, 'c2', 2, 3),
      candidate('f2', 5, 'c1', 0, 9),
      candidate('f2', 5, 'c2', 2, 6),
      candidate('f2', 5, 'c3', 4, 1),
      // c3 under a second route key of its call: the same call.
      candidate('f2', 5, 'c3', 4, 1),
    ];
    const shuffled = [candidates[4], candidates[2], candidates[5], candidates[1], candidates[3], candidates[0]];
    const returned = pairInStartOrder(candidates, bySlack);
    expect([kept(shuffled as OrderCandidate[]), returned.length, returned.includes(5)]).toEqual([
      ['f1>c1', 'f2>c3'],
      2,
      false,
    ]);
  });

  it('pairs nothing when given nothing', () => {
    expect(kept([])).toEqual([]);
  });
});
