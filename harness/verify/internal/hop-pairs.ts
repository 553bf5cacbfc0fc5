/**
 * The (fragment, call) pairs each journey's judgement finds at a hop, shared by the judgements of one dump, so
 * that every journey pairs the new traces naming no journey with the calls of every journey's runs at once
 * (CallIndex.pairUp), not with its own runs' alone: which run a new trace goes to then does not hang on the
 * order the journeys are judged in.
 */
import type { TraceId } from '../../model';
import type { Elsewhere } from '../chain-words';
import { pairInStartOrder } from './start-order-pairing';

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
  /** Indexes of the journey's own pairs that the pairing keeps, tightest first. */
  readonly kept: readonly number[];
  /** Other journeys' runs with a call running when each of the journey's fragments started (see HopPair). */
  readonly inFlight: ReadonlyMap<string, Elsewhere>;
}

/** One journey's pairs at one hop, and what its judgement read of the others' (see HopPairs.stale). */
interface Judged {
  readonly pairs: readonly HopPair[];
  readonly read: string;
}

/** Every journey's pairs by hop (caller>callee), and what each journey's judgement read of the others'. */
export class HopPairs {
  private readonly judged = new Map<string, Map<string, Judged>>();

  /**
   * Records `journey`'s `pairs` at `hop` and pairs them with every other journey's pairs there.
   */
  pairAt(journey: string, hop: string, pairs: readonly HopPair[]): HopPairing {
    let byJourney = this.judged.get(hop);
    if (!byJourney) {
      byJourney = new Map();
      this.judged.set(hop, byJourney);
    }
    const pairing = pairAcross(pairs, othersAt(byJourney, journey));
    byJourney.set(journey, { pairs, read: signature(pairing) });
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
      for (const [journey, { pairs, read }] of byJourney) {
        if (signature(pairAcross(pairs, othersAt(byJourney, journey))) !== read) stale.add(journey);
      }
    }
    return [...stale].sort();
  }
}

/** The other journeys' pairs at a hop, by journey name. */
function othersAt(byJourney: ReadonlyMap<string, Judged>, journey: string): HopPair[] {
  const others: HopPair[] = [];
  for (const name of [...byJourney.keys()].sort()) {
    if (name !== journey) for (const pair of (byJourney.get(name) as Judged).pairs) others.push(pair);
  }
  return others;
}

/**
 * Pairs `mine` with `others` in start order over all of them (see pairInStartOrder), an equal fit going to the
 * earlier call, then the lower run trace id, the journey's name, its own order; one call, one fragment,
 * whichever journey found them, so every journey's judgement pairs alike.
 */
function pairAcross(mine: readonly HopPair[], others: readonly HopPair[]): HopPairing {
  const all = [...mine, ...others];
  const kept = pairInStartOrder(all, compareAcross).filter((index) => index < mine.length);
  if (others.length === 0) return { kept, inFlight: new Map() };
  const ours = new Set(mine.map((pair) => pair.fragment));
  return { kept, inFlight: inFlightByFragment(others.filter((pair) => ours.has(pair.fragment))) };
}

function compareAcross(a: HopPair, b: HopPair): number {
  if (a.slack !== b.slack) return a.slack - b.slack;
  if (a.callStartMs !== b.callStartMs) return a.callStartMs - b.callStartMs;
  if (a.run !== b.run) return a.run < b.run ? -1 : 1;
  if (a.journey !== b.journey) return a.journey < b.journey ? -1 : 1;
  return a.order - b.order;
}

function signature(pairing: HopPairing): string {
  const inFlight = [...pairing.inFlight]
    .map(([fragment, { runs, journeys }]) => `${fragment} ${runs} ${journeys.join(' ')}`)
    .sort();
  return `${pairing.kept.join(',')};${inFlight.join(';')}`;
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
