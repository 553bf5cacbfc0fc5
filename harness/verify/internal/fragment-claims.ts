/**
 * Which journey's run each new trace naming no journey (a shared fragment) goes to, shared by the judgements
 * of one dump (judgeChain, expected-chain.ts; verifySpans judges a journey again when what it read here changed).
 */
import type { Span, TraceId } from '../../model';
import type { Elsewhere } from '../chain-words';
import type { ChainOptions } from '../expected-chain';
import type { Fragment } from './chain-pieces';
import { HopPairs } from './hop-pairs';
import { RequestClaims } from './request-claims';

/**
 * What ties a shared fragment to one journey's run. A fragment is one request, left by one run: a span link
 * names the run, so every run linked to it holds it (a batch consumer reads the messages of several runs);
 * else the call the start-order pairing of every journey's calls at the hop gave it (`paired`, see HopPairs:
 * the same pairing whichever journey is judged first), else a call running when it started (`firm`) beats
 * one nearest in time, and of two such calls the tighter
 * fit (`fitMs`: start gap plus end gap; nearest in time, the start gap), then the earlier call start, then
 * the lower run trace id wins, whatever the journeys file's order.
 */
export interface FragmentOffer {
  readonly run: TraceId;
  readonly linked: boolean;
  readonly firm: boolean;
  /** Tied by the pairing of every journey's calls at the hop (CallIndex.pairUp across journeys). */
  readonly paired?: boolean;
  readonly fitMs: number;
  readonly callStartMs: number;
  /** How many of the journey's runs had a call in flight on the route when the fragment started. */
  readonly inFlight: number;
}

/** The run that holds a fragment, its journey, and whether by a span link. */
export interface Holder {
  readonly journey: string;
  readonly run: TraceId;
  readonly linked: boolean;
}

interface Standing {
  readonly offer: FragmentOffer;
  /**
   * Whether the offer held the fragment when it was made, and what the journey's message said of the others:
   * the other journeys' runs in flight when it held it, else the run that held it instead.
   */
  readonly held: boolean;
  readonly seen: string;
}

/**
 * Every journey's offers for the shared fragments of one dump. A journey's judgement offers for each fragment
 * it would tie and keeps it only when its offer is the best so far; a journey judged later may offer better,
 * so {@link FragmentClaims.stale} names the journeys whose judgement read something that no longer holds.
 */
export class FragmentClaims {
  private readonly offers = new Map<TraceId, Map<string, Standing>>();
  /** Fragments a journey left alone because another journey's run links to them, by journey. */
  private readonly leftAlone = new Map<string, Set<TraceId>>();
  /** The (fragment, call) pairs every journey found at each hop: they are paired all at once (see HopPairs). */
  readonly pairs = new HopPairs();
  /** The app's requests sent outside a journey and the runs each journey found for them (see RequestClaims). */
  readonly requests = new RequestClaims();

  /**
   * Offers `fragment` to `journey`'s run: what other journeys' runs were in flight when it holds it (none: an
   * empty list), undefined when another journey's offer is better.
   */
  offer(fragment: TraceId, journey: string, offer: FragmentOffer): Elsewhere | undefined {
    let byJourney = this.offers.get(fragment);
    if (!byJourney) {
      byJourney = new Map();
      this.offers.set(fragment, byJourney);
    }
    byJourney.delete(journey);
    const held = [...byJourney].every(([other, standing]) => !beats(standing.offer, other, offer, journey));
    const elsewhere = held ? inFlightElsewhere(byJourney, journey) : NONE_ELSEWHERE;
    byJourney.set(journey, { offer, held, seen: seenBy(byJourney, journey, held) });
    return held ? elsewhere : undefined;
  }

  /** The run that holds `fragment` on the best offer, and its journey (of runs linked to it, the first by name). */
  holder(fragment: TraceId): Holder | undefined {
    const byJourney = this.offers.get(fragment);
    return byJourney && best(byJourney);
  }

  /** Whether another journey's run links to `fragment` (only a link of this journey's may share it). */
  linkedElsewhere(fragment: TraceId, journey: string): boolean {
    const byJourney = this.offers.get(fragment);
    if (!byJourney) return false;
    for (const [other, { offer }] of byJourney) {
      if (other === journey || !offer.linked) continue;
      const set = this.leftAlone.get(journey) ?? new Set<TraceId>();
      set.add(fragment);
      this.leftAlone.set(journey, set);
      return true;
    }
    return false;
  }

  /** Forgets what `journey` offered and read: it is about to be judged again. */
  release(journey: string): void {
    for (const byJourney of this.offers.values()) byJourney.delete(journey);
    this.leftAlone.delete(journey);
    this.pairs.release(journey);
    this.requests.release(journey);
  }

  /**
   * The journeys whose judgement read what no longer holds: an offer that held is beaten now (or saw other
   * journeys' runs in flight than there are now), one that was beaten would hold now (or another run holds
   * it), a fragment left alone for another journey's link is linked by none, the other journeys' pairs at a
   * hop it judged changed. Sorted by name.
   */
  stale(): string[] {
    const stale = new Set<string>([...this.pairs.stale(), ...this.requests.stale()]);
    for (const byJourney of this.offers.values()) {
      for (const [journey, standing] of byJourney) {
        const holds = [...byJourney].every(
          ([other, { offer }]) => other === journey || !beats(offer, other, standing.offer, journey),
        );
        if (holds !== standing.held || seenBy(byJourney, journey, holds) !== standing.seen) stale.add(journey);
      }
    }
    for (const [journey, fragments] of this.leftAlone) {
      for (const fragment of fragments) {
        const byJourney = this.offers.get(fragment);
        const linked = [...(byJourney ?? [])].some(([other, { offer }]) => other !== journey && offer.linked);
        if (!linked) stale.add(journey);
      }
    }
    return [...stale].sort();
  }
}

/**
 * Whether journey `aJourney`'s offer `a` beats `bJourney`'s `b` for one fragment (see FragmentOffer): links
 * never beat each other; two offers of one run, each in its own journey, go by the journeys' names.
 */
function beats(a: FragmentOffer, aJourney: string, b: FragmentOffer, bJourney: string): boolean {
  if (a.linked || b.linked) return a.linked && !b.linked;
  if ((a.paired === true) !== (b.paired === true)) return a.paired === true;
  if (a.firm !== b.firm) return a.firm;
  if (a.fitMs !== b.fitMs) return a.fitMs < b.fitMs;
  if (a.callStartMs !== b.callStartMs) return a.callStartMs < b.callStartMs;
  if (a.run !== b.run) return a.run < b.run;
  return aJourney < bJourney;
}

/** The other journeys' runs that had a call in flight when the fragment started, and their journeys by name. */
function inFlightElsewhere(byJourney: ReadonlyMap<string, Standing>, journey: string): Elsewhere {
  let runs = 0;
  const journeys: string[] = [];
  for (const [other, { offer }] of byJourney) {
    if (other === journey || offer.inFlight === 0) continue;
    runs += offer.inFlight;
    journeys.push(other);
  }
  return { runs, journeys: journeys.sort() };
}

/** What a journey's message says of the other offers: their runs in flight when it holds, else the holder. */
function seenBy(byJourney: ReadonlyMap<string, Standing>, journey: string, holds: boolean): string {
  if (holds) {
    const elsewhere = inFlightElsewhere(byJourney, journey);
    return `in flight ${elsewhere.runs} ${elsewhere.journeys.join(' ')}`;
  }
  const others = new Map([...byJourney].filter(([other]) => other !== journey));
  const holder = best(others);
  return `held by ${holder?.journey ?? ''} ${holder?.run ?? ''}`;
}

/** The best of the offers (see beats), of offers no other beats (runs linked to it) the first by journey name. */
function best(byJourney: ReadonlyMap<string, Standing>): Holder | undefined {
  let found: { journey: string; offer: FragmentOffer } | undefined;
  for (const [journey, { offer }] of byJourney) {
    if (!found || beats(offer, journey, found.offer, found.journey)) found = { journey, offer };
    else if (!beats(found.offer, found.journey, offer, journey) && journey < found.journey) found = { journey, offer };
  }
  return found && { journey: found.journey, run: found.offer.run, linked: found.offer.linked };
}

/** Whether another journey's run links to this shared fragment: only a link of this journey's may share it. */
export function claimedElsewhere(fragment: Fragment, options: ChainOptions): boolean {
  const claims = options.claimedFragments;
  const journey = options.journeyName;
  if (!claims || journey === undefined || options.owner?.(fragment.trace) !== 'shared') return false;
  return claims.linkedElsewhere(fragment.trace.traceId, journey);
}

/**
 * Offers a shared fragment to this journey's run (a fragment of the journey's own, or without journeys, needs
 * none): what other journeys' runs were in flight when it holds it, undefined when another journey's run
 * holds it on better evidence (see FragmentOffer).
 */
export function claimShared(fragment: Fragment, options: ChainOptions, offer: FragmentOffer): Elsewhere | undefined {
  const claims = options.claimedFragments;
  const journey = options.journeyName;
  if (!claims || journey === undefined || options.owner?.(fragment.trace) !== 'shared') return NONE_ELSEWHERE;
  return claims.offer(fragment.trace.traceId, journey, offer);
}

const NONE_ELSEWHERE: Elsewhere = Object.freeze({ runs: 0, journeys: Object.freeze([]) });

/**
 * How tightly a call fits a fragment: ms from start to start plus from end to end, the fragment's times taken
 * back to the caller's clock by `offset` (how far the callee's clock runs ahead); with `nearest` (the call was
 * not running when the fragment started), the start gap alone.
 */
export function fitOf(call: Span, fragment: Span, offset: number, nearest = false): number {
  const start = Math.abs(fragment.startTimeMs - offset - call.startTimeMs);
  return nearest ? start : start + Math.abs(call.endTimeMs - (fragment.endTimeMs - offset));
}
