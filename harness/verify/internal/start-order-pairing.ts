/**
 * Pairs a hop's new traces (fragments) with the unanswered calls each could answer, in start order: the k-th
 * fragment to start answers the k-th call to start among those it can, the calls no fragment answers skipped
 * (a callee that sampled the request out starts no trace). Of the pairings that keep start order and pair the
 * most fragments, the one with the least total fit (start gap plus end gap, see CallIndex) wins. Calls of one
 * hop reach their callee in the order they were sent far more often than their callees end in it, so a
 * fragment tied out of order is a worse guess than a looser fit in order. Where start order says nothing
 * (fragments or calls stamped in the same millisecond) the tightest fit decides.
 */

/** A fragment that started while a call ran, and how tightly they fit. */
export interface OrderCandidate {
  /** The fragment: its trace id and root span id. */
  readonly fragment: string;
  /** When the fragment started, on the callers' clock (ms). */
  readonly fragmentStartMs: number;
  /** The call: its trace id and span id. */
  readonly call: string;
  readonly callStartMs: number;
  /** Start gap plus end gap, ms. */
  readonly slack: number;
}

/** The best pairing of fragments 0..i found so far: how many pairs, their total slack, and its last pair. */
interface Chain {
  readonly count: number;
  readonly slack: number;
  /** Index of the chain's last candidate, -1 for the empty chain. */
  readonly last: number;
}

const EMPTY: Chain = { count: 0, slack: 0, last: -1 };

const better = (a: Chain, b: Chain): boolean => a.count > b.count || (a.count === b.count && a.slack < b.slack);

/**
 * Indexes of the `candidates` kept, each fragment and each call in at most one, ordered by `compare` (its
 * tightest first). `compare` also settles which of two candidates naming the same fragment and call counts,
 * and the pairing where start order says nothing. O(P log P) for P candidates.
 */
export function pairInStartOrder<C extends OrderCandidate>(
  candidates: readonly C[],
  compare: (a: C, b: C) => number,
): number[] {
  return pairWithBlocks([...candidates], compare, []) as number[];
}

/**
 * Fragments alike (the same start, end and answer) that every one of the same calls fits alike (the same start,
 * end and answer), and that no other fragment's call fits, nor any other call these fragments: at least as many
 * fragments as calls. Each fragment fits each call by the same slack, so the pairing of the block follows from
 * the ids and the calls' order under `compare` alone, without weighing its fragments times its calls pairs.
 *
 * Why the same pairs: its F fragments and C calls (C <= F) rank side by side (checked), by id, and fit no one
 * else, so a chain holds all C of its pairs or none of them (any fewer could be swapped for all C, one more pair).
 * Paired each with each, the first chain of each length j it offers the max tree is its j-th fragment with its
 * j-th call, and every later one of that length only ties it: the tree, the best chain and the chains through
 * the block come out as for the diagonal alone, which is all that is placed. In settleTies, its calls and the C
 * fragments kept fit nobody else's, so the tightest-first pass pairs them apart from the rest: all fit alike,
 * the calls by `compare` (then rank) each take the first fragment by rank still free (settleBlock).
 */
export interface AlikeBlock<C extends OrderCandidate> {
  /** The block's fragments' ids, in any order. */
  readonly fragments: readonly string[];
  /** One candidate per call of the block (naming any of its fragments), no more than fragments. */
  readonly calls: readonly C[];
  /** The candidate of fragment `fragment` (an id of `fragments`) and the call of `call` (one of `calls`). */
  readonly pair: (fragment: string, call: C) => C;
}

/**
 * What {@link pairInStartOrder} keeps of `candidates` and every block's fragments and calls paired each with
 * each, in about B log B for a block of B fragments, not B squared: the candidates kept, tightest first. `compare`
 * must not look at a candidate's fragment id (none of the pairings' do). Undefined when a block's calls do not
 * rank side by side among all the calls (another call started in the same millisecond interleaves them by id):
 * pair the block's candidates one by one then.
 */
export function pairAlikeInStartOrder<C extends OrderCandidate>(
  candidates: readonly C[],
  blocks: ReadonlyArray<AlikeBlock<C>>,
  compare: (a: C, b: C) => number,
): C[] | undefined {
  const all = [...candidates];
  const placed: Placed<C>[] = [];
  for (const block of blocks) {
    if (block.calls.length === 0) continue;
    if (block.calls.length > block.fragments.length) return undefined;
    const fragments = [...block.fragments].sort(byId);
    const calls = [...block.calls].sort((a, b) => byId(a.call, b.call));
    const first = all.length;
    calls.forEach((call, index) => all.push(block.pair(fragments[index] as string, call)));
    placed.push({ block, fragments, first, size: calls.length });
  }
  const kept = pairWithBlocks(all, compare, placed);
  return kept === undefined ? undefined : kept.map((index) => all[index] as C);
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A block as laid out among the candidates: its fragments by id, and its calls by id each paired with the
 * fragment of the same place (`size` candidates from `first`), the pairs the pairing by start order keeps of it.
 */
interface Placed<C extends OrderCandidate> {
  readonly block: AlikeBlock<C>;
  readonly fragments: readonly string[];
  readonly first: number;
  readonly size: number;
}

/**
 * The pairing by start order of `all` (candidates, then each placed block's diagonal), indexes into `all`,
 * tightest first; the pairs made of a block's fragments and calls are added to `all`. Undefined when a block's
 * fragments or calls do not rank side by side.
 */
function pairWithBlocks<C extends OrderCandidate>(
  all: C[],
  compare: (a: C, b: C) => number,
  placed: ReadonlyArray<Placed<C>>,
): number[] | undefined {
  const n = all.length;
  if (n === 0) return [];
  const candidates = all;
  // Calls stamped in the same millisecond go by the latest fragment that fits each, fragments so stamped by the
  // earliest call that fits each: an order of the data, never of the ids alone, which start order leaves open.
  const callRank = ranks(candidates, 'call', 'callStartMs', (candidate) => candidate.fragmentStartMs, Math.max);
  const fragmentRank = ranks(
    candidates,
    'fragment',
    'fragmentStartMs',
    (_, index) => callRank[index] as number,
    Math.min,
  );
  // A block's diagonal pairs its i-th fragment and call: both must rank side by side, as its fragments and calls
  // paired each with each would (see AlikeBlock).
  for (const { first, size } of placed) {
    for (let i = 1; i < size; i++) {
      if (callRank[first + i] !== (callRank[first] as number) + i) return undefined;
      if (fragmentRank[first + i] !== (fragmentRank[first] as number) + i) return undefined;
    }
  }
  // Fragments in start order, each one's candidates by call start; of one fragment and call given twice (a call
  // sits under each of its route keys), the first by `compare` counts.
  const order = Array.from({ length: n }, (_, index) => index);
  order.sort(
    (a, b) =>
      (fragmentRank[a] as number) - (fragmentRank[b] as number) ||
      (callRank[a] as number) - (callRank[b] as number) ||
      compare(candidates[a] as C, candidates[b] as C),
  );
  const unique: number[] = [];
  for (const index of order) {
    const last = unique[unique.length - 1];
    if (last !== undefined && fragmentRank[last] === fragmentRank[index] && callRank[last] === callRank[index])
      continue;
    unique.push(index);
  }
  // For each fragment, its candidates extend the best chain ending on an earlier call.
  const tree = new ChainTree(n);
  const previous = new Int32Array(n).fill(-1);
  const found: Chain[] = [];
  let best = EMPTY;
  for (let start = 0; start < unique.length;) {
    const rank = fragmentRank[unique[start] as number];
    let end = start;
    while (end < unique.length && fragmentRank[unique[end] as number] === rank) end++;
    found.length = 0;
    for (let i = start; i < end; i++) {
      const index = unique[i] as number;
      const before = tree.best((callRank[index] as number) - 1);
      const chain = { count: before.count + 1, slack: before.slack + (candidates[index] as C).slack, last: index };
      previous[index] = before.last;
      found.push(chain);
      if (better(chain, best)) best = chain;
    }
    // Only once the fragment's candidates are all scored: a chain holds each fragment once.
    for (let i = start; i < end; i++) tree.offer(callRank[unique[i] as number] as number, found[i - start] as Chain);
    start = end;
  }
  const kept: number[] = [];
  for (let index = best.last; index >= 0; index = previous[index] as number) kept.push(index);
  kept.reverse();
  return settleTies(kept, all, unique, { fragmentRank, callRank }, placed, compare).sort((a, b) =>
    compare(all[a] as C, all[b] as C),
  );
}

/**
 * Each candidate's fragment's (or call's) rank by start, then (fragments or calls stamped in the same millisecond,
 * whose order start order leaves open) by `pick` of `tie` over its candidates, then by id: one number per candidate.
 */
function ranks<C extends OrderCandidate>(
  candidates: readonly C[],
  id: 'fragment' | 'call',
  start: 'fragmentStartMs' | 'callStartMs',
  tie: (candidate: C, index: number) => number,
  pick: (a: number, b: number) => number,
): number[] {
  /** Per fragment (or call): its id, start and tie value. */
  const keyed = new Map<string, [string, number, number]>();
  candidates.forEach((candidate, index) => {
    const key = candidate[id];
    const value = tie(candidate, index);
    const entry = keyed.get(key);
    if (entry) entry[2] = pick(entry[2], value);
    else keyed.set(key, [key, candidate[start], value]);
  });
  const sorted = [...keyed.values()].sort(
    (a, b) => a[1] - b[1] || a[2] - b[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  const rankOf = new Map<string, number>();
  sorted.forEach(([key], rank) => rankOf.set(key, rank));
  return candidates.map((candidate) => rankOf.get(candidate[id]) as number);
}

/**
 * Where consecutive pairs of the chain share a fragment start or a call start (stamped in the same
 * millisecond: their order is not known), the tightest fits among their fragments and calls pair them instead,
 * when those pair every one of them. `unique`: the candidates by fragment rank. A placed block in the chain
 * stands for its fragments and calls paired each with each (see settleBlock); its pairs are added to `all`.
 */
function settleTies<C extends OrderCandidate>(
  kept: readonly number[],
  all: C[],
  unique: readonly number[],
  rank: { readonly fragmentRank: number[]; readonly callRank: number[] },
  placed: ReadonlyArray<Placed<C>>,
  compare: (a: C, b: C) => number,
): number[] {
  const { fragmentRank, callRank } = rank;
  const candidates = all;
  /** The placed block whose diagonal holds each candidate index at or past the first block's. */
  const blockAt = new Map<number, Placed<C>>();
  for (const block of placed) for (let i = 0; i < block.size; i++) blockAt.set(block.first + i, block);
  const settled: number[] = [];
  /** The first of each fragment's candidates in `unique`, found by binary search on the fragment's rank. */
  const firstOf = (rank: number): number => {
    let low = 0;
    let high = unique.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((fragmentRank[unique[mid] as number] as number) < rank) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  for (let start = 0; start < kept.length;) {
    let end = start + 1;
    while (end < kept.length) {
      const a = candidates[kept[end - 1] as number] as C;
      const b = candidates[kept[end] as number] as C;
      if (a.fragmentStartMs !== b.fragmentStartMs && a.callStartMs !== b.callStartMs) break;
      end++;
    }
    const group = kept.slice(start, end);
    start = end;
    if (group.length === 1) {
      settled.push(group[0] as number);
      continue;
    }
    const calls = new Set(group.map((index) => (candidates[index] as C).call));
    const options: number[] = [];
    const blocks = new Set<Placed<C>>();
    for (const index of group) {
      const block = blockAt.get(index);
      if (block) {
        blocks.add(block);
        continue;
      }
      const rank = fragmentRank[index] as number;
      for (let i = firstOf(rank); i < unique.length && fragmentRank[unique[i] as number] === rank; i++) {
        const option = unique[i] as number;
        if (calls.has((candidates[option] as C).call)) options.push(option);
      }
    }
    options.sort((a, b) => compare(candidates[a] as C, candidates[b] as C));
    const takenFragments = new Set<string>();
    const takenCalls = new Set<string>();
    const tightest: number[] = [];
    for (const index of options) {
      const candidate = candidates[index] as C;
      if (takenFragments.has(candidate.fragment) || takenCalls.has(candidate.call)) continue;
      takenFragments.add(candidate.fragment);
      takenCalls.add(candidate.call);
      tightest.push(index);
    }
    if (blocks.size > 0) {
      // A block's fragments and calls fit no one else's: its pairs take nothing from the others', and come
      // where its options, sorted with theirs, would have put them (by fit, then fragment, then call rank).
      for (const block of blocks) tightest.push(...settleBlock(block, all, fragmentRank, callRank, compare));
      tightest.sort(
        (a, b) =>
          compare(all[a] as C, all[b] as C) ||
          (fragmentRank[a] as number) - (fragmentRank[b] as number) ||
          (callRank[a] as number) - (callRank[b] as number),
      );
    }
    for (const index of tightest.length === group.length ? tightest : group) settled.push(index);
  }
  return settled;
}

/**
 * The tightest pairs of a placed block's fragments and calls, each with each, as settleTies would pick them
 * (its options all fit alike: the calls by `compare`, then by rank, each take the first fragment by rank still
 * free), added to `all` with their ranks; their indexes.
 */
function settleBlock<C extends OrderCandidate>(
  block: Placed<C>,
  all: C[],
  fragmentRank: number[],
  callRank: number[],
  compare: (a: C, b: C) => number,
): number[] {
  const diagonal = Array.from({ length: block.size }, (_, i) => block.first + i);
  const byFit = [...diagonal].sort((a, b) => compare(all[a] as C, all[b] as C));
  return byFit.map((call, i) => {
    const fragment = block.first + i;
    all.push(block.block.pair(block.fragments[i] as string, all[call] as C));
    fragmentRank.push(fragmentRank[fragment] as number);
    callRank.push(callRank[call] as number);
    return all.length - 1;
  });
}

/** A max tree (Fenwick) over call ranks: the best chain whose last call ranks at or below a rank. */
class ChainTree {
  private readonly nodes: Chain[];
  constructor(size: number) {
    this.nodes = new Array<Chain>(size + 1).fill(EMPTY);
  }

  best(rank: number): Chain {
    let found = EMPTY;
    for (let i = rank + 1; i > 0; i -= i & -i) {
      const node = this.nodes[i] as Chain;
      if (better(node, found)) found = node;
    }
    return found;
  }

  offer(rank: number, chain: Chain): void {
    for (let i = rank + 1; i < this.nodes.length; i += i & -i) {
      if (better(chain, this.nodes[i] as Chain)) this.nodes[i] = chain;
    }
  }
}
