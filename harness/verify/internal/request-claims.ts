/**
 * The app's requests sent in traces of their own that each journey's judgement may tie to its runs' journey
 * spans (tieStrayRequests), shared by the judgements of one dump: every journey pairs them with every
 * journey's runs at once (pairRequests), so which run a request goes to does not hang on the order the
 * journeys are judged in.
 */
import type { TraceId } from '../../model';
import type { Elsewhere } from '../chain-words';
import { pairRequests } from './request-pairs';

/** A journey run whose journey span ran when a request started, found by one journey's judgement. */
export interface RequestOption {
  readonly request: TraceId;
  /** The run's journey trace. */
  readonly run: TraceId;
  readonly journey: string;
  /** How surely, higher first, and how tightly, lower first (see pairRequests). */
  readonly rank: number;
  readonly fit: number;
}

/** What pairing every journey's options gives one journey's judgement. */
export interface RequestPairing {
  /** Indexes of the journey's own options paired, each with how many of its other runs fit as well. */
  readonly kept: ReadonlyArray<{ readonly index: number; readonly alike: number }>;
  /** Requests of the journey's options paired with another journey's run. */
  readonly elsewhere: ReadonlySet<TraceId>;
  /** Other journeys' runs whose journey span ran when each of the journey's requests started. */
  readonly inFlight: ReadonlyMap<TraceId, Elsewhere>;
}

interface Judged {
  readonly options: readonly RequestOption[];
  readonly read: string;
}

/** Every journey's options, and what each journey's judgement read of the others' (see stale). */
export class RequestClaims {
  private readonly judged = new Map<string, Judged>();

  /** Records `journey`'s options and pairs them with every other journey's. */
  pairAt(journey: string, options: readonly RequestOption[]): RequestPairing {
    const pairing = pairAcross(options, this.othersOf(journey));
    this.judged.set(journey, { options, read: signature(pairing) });
    return pairing;
  }

  /** Forgets what `journey` found and read: it is about to be judged again. */
  release(journey: string): void {
    this.judged.delete(journey);
  }

  /** The journeys whose pairing would come out otherwise with the other journeys' options now. */
  stale(): string[] {
    const stale: string[] = [];
    for (const [journey, { options, read }] of this.judged)
      if (signature(pairAcross(options, this.othersOf(journey))) !== read) stale.push(journey);
    return stale.sort();
  }

  private othersOf(journey: string): RequestOption[] {
    const others: RequestOption[] = [];
    for (const name of [...this.judged.keys()].sort()) {
      if (name !== journey) for (const option of (this.judged.get(name) as Judged).options) others.push(option);
    }
    return others;
  }
}

/**
 * Pairs `mine` with `others` (pairRequests over all of them, listed by journey name whichever journey is
 * judged, so that ties break alike in every journey's judgement).
 */
function pairAcross(mine: readonly RequestOption[], others: readonly RequestOption[]): RequestPairing {
  const journey = mine[0]?.journey;
  const all = [...mine, ...others].sort((a, b) => (a.journey < b.journey ? -1 : a.journey > b.journey ? 1 : 0));
  const index = new Map(mine.map((option, i) => [`${option.request} ${option.run}`, i]));
  const ours = new Set(mine.map((option) => option.run));
  const requests = new Set(mine.map((option) => option.request));
  const kept: Array<{ index: number; alike: number }> = [];
  const elsewhere = new Set<TraceId>();
  const pairs = pairRequests(
    all.map(({ request, run, rank, fit }) => ({ request, journey: run, rank, fit })),
    (run) => ours.has(run),
  );
  for (const pair of pairs) {
    const own = index.get(`${pair.request} ${pair.journey}`);
    if (own !== undefined && ours.has(pair.journey)) kept.push({ index: own, alike: pair.alike });
    else if (requests.has(pair.request)) elsewhere.add(pair.request);
  }
  if (others.length === 0) return { kept, elsewhere, inFlight: new Map() };
  const runs = new Map<TraceId, Map<string, Set<TraceId>>>();
  for (const option of others) {
    if (!requests.has(option.request) || option.journey === journey) continue;
    const byJourney = runs.get(option.request) ?? new Map<string, Set<TraceId>>();
    runs.set(option.request, byJourney);
    const set = byJourney.get(option.journey) ?? new Set<TraceId>();
    byJourney.set(option.journey, set);
    set.add(option.run);
  }
  const inFlight = new Map<TraceId, Elsewhere>();
  for (const [request, byJourney] of runs) {
    let count = 0;
    for (const set of byJourney.values()) count += set.size;
    inFlight.set(request, { runs: count, journeys: [...byJourney.keys()].sort() });
  }
  return { kept, elsewhere, inFlight };
}

function signature(pairing: RequestPairing): string {
  const kept = pairing.kept.map(({ index, alike }) => `${index}/${alike}`).join(',');
  const inFlight = [...pairing.inFlight].map(
    ([request, { runs, journeys }]) => `${request} ${runs} ${journeys.join(' ')}`,
  );
  return `${kept};${[...pairing.elsewhere].sort().join(',')};${inFlight.sort().join(';')}`;
}
