/**
 * The (fragment, call) pairs each journey's judgement finds at a hop, shared by the judgements of one dump, so
 * that every journey pairs the new traces naming no journey with the calls of every journey's runs at once
 * (CallIndex.pairUp), not with its own runs' alone: which run a new trace goes to then does not hang on the
 * order the journeys are judged in.
 */
import type { TraceId } from '../../model';
import type { Elsewhere } from '../chain-words';
import { pairAlikeInStartOrder, pairInStartOrder, type AlikeBlock } from './start-order-pairing';

/** A new trace and a call running when it started, found by one journey's judgement at one hop. */
export interface HopPair {
  /** The fragment: its trace id and root span id. */
  readonly fragment: string;
  /** The call: its trace id and span id. */
  readonly call: string;
  /** The run the call is of. */
  readonly run: TraceId;
  readonly journey: string;
  /** When the fragment started, on the callers' clock (ms). */
  readonly fragmentStartMs: number;
  /** Start gap plus end gap, ms (see CallIndex). */
  readonly slack: number;
  readonly callStartMs: number;
  /** The journey's own order of its calls: ties of everything else go to the lowest. */
  readonly order: number;
}

/** What the pairing of every journey's pairs at a hop gives one journey's judgement. */
export interface HopPairing {
  /**
   * Indexes of the journey's own pairs that the pairing keeps, tightest first; an index past them names a pair of
   * the journey's blocks, `made[index - pairs.length]`.
   */
  readonly kept: readonly number[];
  /** The pairs kept of the journey's blocks (see AlikeBlock): its fragments and calls paired as one. */
  readonly made: readonly HopPair[];
  /** Other journeys' runs with a call running when each of the journey's fragments started (see HopPair). */
  readonly inFlight: ReadonlyMap<string, Elsewhere>;
}

/** One journey's pairs at one hop, and what its judgement read of the others' (see HopPairs.stale). */
interface Judged {
  readonly pairs: readonly HopPair[];
  readonly blocks: ReadonlyArray<AlikeBlock<HopPair>>;
  readonly read: string;
}

/** Every journey's pairs by hop (caller>callee), and what each journey's judgement read of the others'. */
export class HopPairs {
  private readonly judged = new Map<string, Map<string, Judged>>();

  /**
   * Records `journey`'s `pairs` and `blocks` (each standing for its fragments paired with its calls each with
   * each, see AlikeBlock) at `hop` and pairs them with every other journey's pairs there.
   */
  pairAt(
    journey: string,
    hop: string,
    pairs: readonly HopPair[],
    blocks: ReadonlyArray<AlikeBlock<HopPair>> = [],
  ): HopPairing {
    let byJourney = this.judged.get(hop);
    if (!byJourney) {
      byJourney = new Map();
      this.judged.set(hop, byJourney);
    }
    const pairing = pairAcross({ pairs, blocks }, othersAt(byJourney, journey));
    byJourney.set(journey, { pairs, blocks, read: signature(pairing, pairs.length) });
    return pairing;
  }

  /** Forgets what `journey` found and read: it is about to be judged again. */
  release(journey: string): void {
    for (const byJourney of this.judged.values()) byJourney.delete(journey);
  }

  /** The journeys whose pairing at a hop would come out otherwise with the other journeys' pairs there now. */
  stale(): string[] {
    const stale = new Set<string>();
    for (const byJourney of this.judged.values()) {
      for (const [journey, { pairs, blocks, read }] of byJourney) {
        const pairing = pairAcross({ pairs, blocks }, othersAt(byJourney, journey));
        if (signature(pairing, pairs.length) !== read) stale.add(journey);
      }
    }
    return [...stale].sort();
  }
}

/** Pairs, and blocks of pairs (see AlikeBlock). */
interface Found {
  readonly pairs: readonly HopPair[];
  readonly blocks: ReadonlyArray<AlikeBlock<HopPair>>;
}

/** The other journeys' pairs and blocks at a hop, by journey name. */
function othersAt(byJourney: ReadonlyMap<string, Judged>, journey: string): Found {
  const pairs: HopPair[] = [];
  const blocks: Array<AlikeBlock<HopPair>> = [];
  for (const name of [...byJourney.keys()].sort()) {
    if (name === journey) continue;
    const judged = byJourney.get(name) as Judged;
    for (const pair of judged.pairs) pairs.push(pair);
    for (const block of judged.blocks) blocks.push(block);
  }
  return { pairs, blocks };
}

/** Every pair of `blocks`, each fragment with each call. */
function expand(blocks: ReadonlyArray<AlikeBlock<HopPair>>): HopPair[] {
  const pairs: HopPair[] = [];
  for (const block of blocks)
    for (const fragment of block.fragments) for (const call of block.calls) pairs.push(block.pair(fragment, call));
  return pairs;
}

/** Whether no fragment or call of a block is in `pairs` or in another block: each block fits no one else. */
function apart(pairs: readonly HopPair[], blocks: ReadonlyArray<AlikeBlock<HopPair>>): boolean {
  const fragments = new Set(pairs.map((pair) => pair.fragment));
  const calls = new Set(pairs.map((pair) => pair.call));
  for (const block of blocks) {
    for (const fragment of block.fragments) {
      if (fragments.has(fragment)) return false;
      fragments.add(fragment);
    }
    for (const { call } of block.calls) {
      if (calls.has(call)) return false;
      calls.add(call);
    }
  }
  return true;
}

/**
 * Pairs `mine` with `others` in start order over all of them (see pairInStartOrder), an equal fit going to the
 * earlier call, then the lower run trace id, the journey's name, its own order; one call, one fragment,
 * whichever journey found them, so every journey's judgement pairs alike. Blocks that fit no one else's
 * fragments or calls are paired as one (pairAlikeInStartOrder), the others pair by pair.
 */
function pairAcross(mine: Found, others: Found): HopPairing {
  const pairs = [...mine.pairs, ...others.pairs];
  const blocks = [...mine.blocks, ...others.blocks];
  const kept =
    (blocks.length > 0 && apart(pairs, blocks) ? pairAlikeInStartOrder(pairs, blocks, compareAcross) : undefined) ??
    inStartOrder(blocks.length > 0 ? [...pairs, ...expand(blocks)] : pairs);
  // The journey's own pairs by identity; the rest of its kept pairs are its blocks' (its name, their fragments).
  const own = new Map(mine.pairs.map((pair, index) => [pair, index]));
  const journey = mine.blocks[0]?.calls[0]?.journey;
  const made = new Set(mine.blocks.flatMap((block) => block.fragments));
  const keptOwn: number[] = [];
  const madeKept: HopPair[] = [];
  for (const pair of kept) {
    const index = own.get(pair);
    if (index !== undefined) keptOwn.push(index);
    else if (pair.journey === journey && made.has(pair.fragment)) {
      keptOwn.push(mine.pairs.length + madeKept.length);
      madeKept.push(pair);
    }
  }
  if (others.pairs.length === 0 && others.blocks.length === 0)
    return { kept: keptOwn, made: madeKept, inFlight: new Map() };
  const ours = new Set([...mine.pairs.map((pair) => pair.fragment), ...made]);
  const theirs = [
    ...others.pairs,
    ...expand(others.blocks.filter((block) => block.fragments.some((fragment) => ours.has(fragment)))),
  ].filter((pair) => ours.has(pair.fragment));
  return { kept: keptOwn, made: madeKept, inFlight: inFlightByFragment(theirs) };
}

/** The pairs pairInStartOrder keeps of `pairs` (by compareAcross), tightest first. */
function inStartOrder(pairs: readonly HopPair[]): HopPair[] {
  return pairInStartOrder(pairs, compareAcross).map((index) => pairs[index] as HopPair);
}

function compareAcross(a: HopPair, b: HopPair): number {
  if (a.slack !== b.slack) return a.slack - b.slack;
  if (a.callStartMs !== b.callStartMs) return a.callStartMs - b.callStartMs;
  if (a.run !== b.run) return a.run < b.run ? -1 : 1;
  if (a.journey !== b.journey) return a.journey < b.journey ? -1 : 1;
  return a.order - b.order;
}

/** What a journey read of a pairing: its kept pairs (by index, or by ids when of its blocks) and inFlight. */
function signature(pairing: HopPairing, own: number): string {
  const inFlight = [...pairing.inFlight]
    .map(([fragment, { runs, journeys }]) => `${fragment} ${runs} ${journeys.join(' ')}`)
    .sort();
  const kept = pairing.kept.map((index) => {
    const made = pairing.made[index - own];
    return made ? `${made.fragment}>${made.call}` : String(index);
  });
  return `${kept.join(',')};${inFlight.join(';')}`;
}

/**
 * Of other journeys' `pairs`, the runs with a call running when each fragment started (by fragment, see
 * HopPair), and their journeys by name.
 */
export function inFlightByFragment(pairs: readonly HopPair[]): Map<string, Elsewhere> {
  const runs = new Map<string, Map<string, Set<TraceId>>>();
  for (const pair of pairs) {
    let byJourney = runs.get(pair.fragment);
    if (!byJourney) {
      byJourney = new Map();
      runs.set(pair.fragment, byJourney);
    }
    const set = byJourney.get(pair.journey);
    if (set) set.add(pair.run);
    else byJourney.set(pair.journey, new Set([pair.run]));
  }
  const found = new Map<string, Elsewhere>();
  for (const [fragment, byJourney] of runs) {
    let count = 0;
    for (const set of byJourney.values()) count += set.size;
    found.set(fragment, { runs: count, journeys: [...byJourney.keys()].sort() });
  }
  return found;
}
