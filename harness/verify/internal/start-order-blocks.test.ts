import { pairAlikeInStartOrder, pairInStartOrder, type AlikeBlock, type OrderCandidate } from './start-order-pairing';
import { seededRandom } from '../../test-support/seeded-random';

/** A candidate with its call's order: the pairings break a tie of fits by it (see CallIndex). */
interface Ordered extends OrderCandidate {
  readonly order: number;
}

const byFitThenOrder = (a: Ordered, b: Ordered): number => a.slack - b.slack || a.order - b.order;

/**
 * One case: unlike fragments and calls (any of them fitting, by any slack), and blocks of alike fragments fitting
 * alike calls of their own, all stamped in a few milliseconds, with ids drawn at random so that a block's ids
 * interleave with the others'.
 */
function caseOf(seed: number): { candidates: Ordered[]; blocks: Array<AlikeBlock<Ordered>> } {
  const draw = seededRandom(seed);
  const id = (prefix: string, n: number): string => `${draw(10)}${prefix}${n}`;
  let order = 0;
  const calls = Array.from({ length: 1 + draw(5) }, (_, n) => ({ id: id('c', n), start: draw(3), order: order++ }));
  const candidates: Ordered[] = [];
  for (let n = 0, count = draw(5); n < count; n++) {
    const fragment = id('f', n);
    const fragmentStartMs = draw(3);
    for (const call of calls) {
      if (draw(3) === 0) continue;
      candidates.push({
        fragment,
        fragmentStartMs,
        call: call.id,
        callStartMs: call.start,
        slack: draw(3),
        order: call.order,
      });
    }
  }
  const blocks: Array<AlikeBlock<Ordered>> = [];
  for (let b = 0, count = 1 + draw(3); b < count; b++) {
    const fragmentStartMs = draw(3);
    const callStartMs = draw(3);
    const slack = draw(3);
    const fragments = Array.from({ length: 1 + draw(5) }, (_, n) => id(`b${b}f`, n));
    const size = 1 + draw(fragments.length);
    const blockCalls = Array.from({ length: size }, (_, n) => ({ call: id(`b${b}c`, n), order: order++ }));
    const calls = blockCalls.map((call): Ordered => ({
      fragment: fragments[0] as string,
      fragmentStartMs,
      callStartMs,
      slack,
      ...call,
    }));
    blocks.push({ fragments, calls, pair: (fragment, call) => ({ ...call, fragment }) });
  }
  // The calls' orders shuffled: the order of the calls is not the order of their ids.
  const shuffled = Array.from({ length: order }, (_, n) => n);
  for (let n = shuffled.length - 1; n > 0; n--) {
    const m = draw(n + 1);
    [shuffled[n], shuffled[m]] = [shuffled[m] as number, shuffled[n] as number];
  }
  const reorder = (candidate: Ordered): Ordered => ({ ...candidate, order: shuffled[candidate.order] as number });
  return {
    candidates: candidates.map(reorder),
    blocks: blocks.map((block) => ({
      fragments: block.fragments,
      calls: block.calls.map(reorder),
      pair: block.pair,
    })),
  };
}

const named = (candidate: Ordered): string => `${candidate.fragment}>${candidate.call}`;

describe('pairAlikeInStartOrder', () => {
  it('keeps the pairs pairInStartOrder keeps of every block paired each with each, in the same order', () => {
    let byBlocks = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const { candidates, blocks } = caseOf(seed);
      const every = [...candidates];
      for (const block of blocks)
        for (const fragment of block.fragments) for (const call of block.calls) every.push(block.pair(fragment, call));
      const expected = pairInStartOrder(every, byFitThenOrder).map((index) => named(every[index] as Ordered));
      const found = pairAlikeInStartOrder(candidates, blocks, byFitThenOrder);
      if (found === undefined) continue;
      byBlocks++;
      expect({ seed, kept: found.map(named) }).toEqual({ seed, kept: expected });
    }
    // Most cases pair by blocks; the rest have a block's calls interleaved by id with others of their millisecond.
    expect(byBlocks).toBeGreaterThan(2400);
  });

  it("gives up when another call of the same millisecond ranks between a block's calls", () => {
    // c2 fits f0 as b1 and b3 fit the block's fragments, all started at 0 and fitted last by fragments at 5: by
    // id it ranks between b1 and b3.
    const candidate = (fragment: string, call: string, order: number): Ordered => ({
      fragment,
      fragmentStartMs: 5,
      call,
      callStartMs: 0,
      slack: 1,
      order,
    });
    const block: AlikeBlock<Ordered> = {
      fragments: ['a1', 'a2'],
      calls: [candidate('a1', 'b1', 1), candidate('a1', 'b3', 2)],
      pair: (fragment, call) => ({ ...call, fragment }),
    };
    expect(pairAlikeInStartOrder([candidate('f0', 'b2', 0)], [block], byFitThenOrder)).toBeUndefined();
    expect(pairAlikeInStartOrder([candidate('f0', 'c4', 0)], [block], byFitThenOrder)?.map(named)).toEqual([
      'f0>c4',
      'a1>b1',
      'a2>b3',
    ]);
  });
});
