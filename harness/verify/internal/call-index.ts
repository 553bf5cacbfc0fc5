import { hasTime, type Span, type TraceId } from '../../model';
import { START_RESOLUTION_MS } from './callee-clock';
import type { HopPair, HopPairing } from './hop-pairs';
import { pairAlikeInStartOrder, pairInStartOrder, type AlikeBlock, type OrderCandidate } from './start-order-pairing';

/**
 * The journey a CallIndex's calls are of, when journeys share the fragments naming none (see HopPairs):
 * {@link CallIndex.pairUp} pairs the fragments with every journey's calls at once.
 */
export interface AcrossJourneys<Owner> {
  readonly journey: string;
  /** The run an owner stands in (its trace id). */
  readonly runOf: (owner: Owner) => TraceId;
  /**
   * Publishes this journey's pairs and blocks of pairs (see AlikeBlock) and pairs them with the other journeys'
   * (see HopPairs).
   */
  readonly pair: (pairs: readonly HopPair[], blocks: ReadonlyArray<AlikeBlock<HopPair>>) => HopPairing;
}

/**
 * How tightly a call running when the fragment started fits it: ms from start to start and end to end, the
 * fragment's times taken back to the caller's clock by `offset` (how far the callee's clock runs ahead).
 */
function fit(entry: { readonly start: number; readonly call: Span }, fragment: Span, offset: number): number {
  return (
    Math.abs(fragment.startTimeMs - offset - entry.start) +
    Math.abs(entry.call.endTimeMs - (fragment.endTimeMs - offset))
  );
}

/** What {@link CallIndex.closest} found: the call, whose it is, and how many other owners fit as well. */
export interface CallTie<Owner> {
  readonly owner: Owner;
  readonly call: Span;
  /**
   * Other owners whose calls may be the one as well: same route and running when the fragment started (or,
   * when none was, as near in time).
   */
  readonly alike: number;
  /** Other fragments paired over the same call's running time ({@link CallIndex.pairUp} only). */
  readonly rivals?: number;
}

interface Entry<Owner> {
  readonly owner: Owner;
  readonly call: Span;
  readonly start: number;
  /** Insertion order: ties go to the lowest. */
  readonly order: number;
}

/** The calls of one route, by start time, with what the search needs to skip claimed ones in one step. */
class RouteList<Owner> {
  readonly entries: Entry<Owner>[] = [];
  /**
   * A max tree over the entries' end times, a claimed entry's set to -Infinity: finds the last unclaimed call
   * before a point that is still running at t without walking past the finished or claimed ones.
   */
  private ends: Float64Array = new Float64Array(0);
  private leaves = 0;
  /** Union-find toward the nearest unclaimed entry at or left of i (-1: none), and at or right of i (length). */
  private left: Int32Array = new Int32Array(0);
  private right: Int32Array = new Int32Array(0);

  freeze(): void {
    const entries = this.entries;
    entries.sort((a, b) => a.start - b.start || a.order - b.order);
    const n = entries.length;
    this.left = new Int32Array(n);
    this.right = new Int32Array(n);
    let leaves = 1;
    while (leaves < n) leaves *= 2;
    this.leaves = leaves;
    this.ends = new Float64Array(2 * leaves).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      this.left[i] = i;
      this.right[i] = i;
      this.ends[leaves + i] = (entries[i] as Entry<Owner>).call.endTimeMs;
    }
    for (let node = leaves - 1; node >= 1; node--)
      this.ends[node] = Math.max(this.ends[2 * node] as number, this.ends[2 * node + 1] as number);
  }

  /** The last unclaimed entry at or left of `last` whose call ends at or after t (still running), or -1. */
  runningBefore(last: number, t: number): number {
    return last < 0 ? -1 : this.findRunning(1, 0, this.leaves - 1, last, t);
  }

  private findRunning(node: number, low: number, high: number, last: number, t: number): number {
    if (low > last || (this.ends[node] as number) < t) return -1;
    if (low === high) return low;
    const mid = (low + high) >>> 1;
    const found = this.findRunning(2 * node + 1, mid + 1, high, last, t);
    return found !== -1 ? found : this.findRunning(2 * node, low, mid, last, t);
  }

  /** The nearest unclaimed entry at or left of i, or -1. */
  freeLeft(i: number): number {
    let root = i;
    while (root >= 0 && this.left[root] !== root) root = this.left[root] as number;
    while (i >= 0 && this.left[i] !== i) {
      const next = this.left[i] as number;
      this.left[i] = root;
      i = next;
    }
    return root;
  }

  /** The nearest unclaimed entry at or right of i, or the length. */
  freeRight(i: number): number {
    const n = this.entries.length;
    let root = i;
    while (root < n && this.right[root] !== root) root = this.right[root] as number;
    while (i < n && this.right[i] !== i) {
      const next = this.right[i] as number;
      this.right[i] = root;
      i = next;
    }
    return root;
  }

  claim(i: number): void {
    this.left[i] = i - 1;
    this.right[i] = i + 1;
    for (let node = this.leaves + i; node >= 1; node >>>= 1) {
      this.ends[node] =
        node >= this.leaves ? -Infinity : Math.max(this.ends[2 * node] as number, this.ends[2 * node + 1] as number);
    }
  }

  /** The first entry starting after t. */
  after(t: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.entries[mid] as Entry<Owner>).start <= t) low = mid + 1;
      else high = mid;
    }
    return high;
  }
}

/**
 * Unanswered calls by route, for tying a fragment (a hop that started a new trace) to the call it most likely
 * answers: of those running when the fragment started the tightest fit (start to start, end to end), else
 * the nearest in time; a call whose owner is claimed is out. Each search looks only near the fragment's start time (binary search, claimed calls skipped in
 * one step), so tying every fragment of a dump stays near linear in its runs. A call or fragment with no time
 * (hasTime) is never tied by timing: it keeps its route, and nothing else.
 */
export class CallIndex<Owner> {
  private readonly routes = new Map<string, RouteList<Owner>>();
  private readonly places = new Map<Owner, Array<{ list: RouteList<Owner>; call: Span }>>();
  private readonly claimed = new Set<Owner>();
  /** Calls with no time (hasTime) by route key: never tied, but a fragment on their route names them. */
  private readonly untimed = new Map<string, Array<{ owner: Owner; call: Span }>>();
  private frozen = false;
  private added = 0;

  /** Adds `call` of `owner` under each of its route keys. Owners added first win ties. */
  add(owner: Owner, call: Span, keys: readonly string[]): void {
    const order = this.added++;
    for (const key of new Set(keys)) {
      let list = this.routes.get(key);
      if (!list) {
        list = new RouteList<Owner>();
        this.routes.set(key, list);
      }
      if (!hasTime(call)) {
        const calls = this.untimed.get(key) ?? [];
        calls.push({ owner, call });
        this.untimed.set(key, calls);
        continue;
      }
      list.entries.push({ owner, call, start: call.startTimeMs, order });
      const places = this.places.get(owner) ?? [];
      places.push({ list, call });
      this.places.set(owner, places);
    }
  }

  /** An unclaimed call with no time (hasTime) on one of `keys`, which no fragment can be tied to by timing. */
  untimedOn(keys: readonly string[]): Span | undefined {
    for (const key of keys)
      for (const { owner, call } of this.untimed.get(key) ?? []) if (!this.claimed.has(owner)) return call;
    return undefined;
  }

  hasRoute(key: string): boolean {
    return this.routes.has(key);
  }

  isClaimed(owner: Owner): boolean {
    return this.claimed.has(owner);
  }

  /** Takes every call of `owner` out of later searches. */
  claim(owner: Owner): void {
    if (this.claimed.has(owner)) return;
    this.claimed.add(owner);
    this.freeze();
    for (const { list, call } of this.places.get(owner) ?? []) {
      // Entries of one call are few; find this one's place by its start time.
      for (let i = list.after(call.startTimeMs) - 1; i >= 0; i--) {
        const entry = list.entries[i] as Entry<Owner>;
        if (entry.start !== call.startTimeMs) break;
        if (entry.call === call) list.claim(i);
      }
    }
  }

  /**
   * The unclaimed call on one of `keys` that `span` most likely answers, or undefined when there is none.
   * `offset`: how far the clock of `span`'s service runs ahead of the callers' (ms), taken out of its times.
   */
  closest(
    span: Span,
    keys: readonly string[],
    offset = 0,
    accepts: (call: Span) => boolean = () => true,
  ): CallTie<Owner> | undefined {
    if (!hasTime(span)) return undefined;
    this.freeze();
    const t = span.startTimeMs - offset;
    let bestScore = Infinity;
    let best: Entry<Owner>[] = [];
    const consider = (entry: Entry<Owner>, score: number): void => {
      if (score < bestScore) {
        bestScore = score;
        best = [entry];
      } else if (score === bestScore && !best.includes(entry)) best.push(entry);
    };
    const lists = [...new Set(keys)].map((key) => this.routes.get(key)).filter((list) => list !== undefined);
    // Running at t (started at or before t, not ended, each give or take START_RESOLUTION_MS): the one that
    // fits the fragment most tightly, by the time between the two starts and between their ends (the answer ends a
    // call: a SERVER span may end a little after it, once its response is flushed). Every call running at t is
    // looked at: as many as runs in flight at once, and each of them may be the one, so each counts as fitting.
    const running: Entry<Owner>[] = [];
    for (const list of lists) {
      const pos = list.after(t + START_RESOLUTION_MS);
      const ended = t - START_RESOLUTION_MS;
      for (let i = list.runningBefore(pos - 1, ended); i >= 0; i = list.runningBefore(i - 1, ended)) {
        const entry = list.entries[i] as Entry<Owner>;
        if (!accepts(entry.call)) continue;
        running.push(entry);
        consider(entry, fit(entry, span, offset));
      }
    }
    // Calls running at t always beat the others: only without one, the nearest start on either side.
    if (bestScore === Infinity) {
      for (const list of lists) {
        // None running: the nearest unclaimed start on either side (and those starting with it).
        const pos = list.after(t);
        let first: number | undefined;
        for (let i = list.freeLeft(pos - 1); i >= 0; i = list.freeLeft(i - 1)) {
          const entry = list.entries[i] as Entry<Owner>;
          if (!accepts(entry.call)) continue;
          if (first !== undefined && entry.start !== first) break;
          first = entry.start;
          consider(entry, t - entry.start);
        }
        first = undefined;
        for (let i = list.freeRight(pos); i < list.entries.length; i = list.freeRight(i + 1)) {
          const entry = list.entries[i] as Entry<Owner>;
          if (!accepts(entry.call)) continue;
          if (first !== undefined && entry.start !== first) break;
          first = entry.start;
          consider(entry, entry.start - t);
        }
      }
    }
    if (best.length === 0) return undefined;
    best.sort((a, b) => a.order - b.order);
    const chosen = best[0] as Entry<Owner>;
    const owners = new Set([...best, ...running].map((entry) => entry.owner));
    return { owner: chosen.owner, call: chosen.call, alike: owners.size - 1 };
  }

  /**
   * Pairs each fragment with a call running when it started, in start order (see pairInStartOrder: the most
   * pairs that keep it, then the least total `fit`), each call at most once (an owner with two unanswered
   * calls, a retry, may take two fragments); `offset` as for {@link closest}. The map holds the pairs
   * tightest first. Claims nothing: a fragment left
   * out, or whose owner is claimed meanwhile, is for {@link closest}. With `across`, the other journeys' pairs
   * take part too (a tie of fits goes to the earlier call, then the lower run trace id, then the journey's
   * name): a fragment one of theirs takes is left out, so every journey's judgement pairs alike. Without
   * `across`, fragments alike but for their ids that alone fit calls alike (many runs stamped at the same
   * instants) are paired as one block (see AlikeBlock), in about N log N for N such runs, not N squared.
   */
  pairUp(
    fragments: ReadonlyArray<{
      readonly span: Span;
      readonly keys: readonly string[];
      /**
       * Whether the fragment may be this call's (see {@link CallIndex.closest}); every call when left out. It may
       * read the fragment's data but not its ids: of fragments alike but for their ids (see classKey), the first
       * one's answers stand for all.
       */
      readonly accepts?: (call: Span) => boolean;
    }>,
    offset = 0,
    across?: AcrossJourneys<Owner>,
  ): Map<Span, CallTie<Owner>> {
    this.freeze();
    // Fragments alike but for their ids (the same start, end, route and answer) meet the same calls alike:
    // each class is looked up once, for the first of its fragments (`accepts` reads no ids).
    const classes = new Map<string, FragmentClass<Owner>>();
    const classOf: Array<{ span: Span; alike: FragmentClass<Owner> }> = [];
    for (const { span, keys, accepts } of fragments) {
      if (!hasTime(span)) continue;
      const key = classKey(span, keys, offset);
      let alike = classes.get(key);
      if (!alike) {
        alike = { members: [], pairs: [], owners: 0, block: false };
        classes.set(key, alike);
        this.runningAt(span, keys, offset, accepts, alike);
      }
      alike.members.push(span);
      classOf.push({ span, alike });
    }
    // How many fragments started while each call ran: more than one, and which the call sent is a guess.
    const contenders = new Map<Span, number>();
    /** The classes each call fits, and whether more than one. */
    const seenBy = new Map<Span, FragmentClass<Owner> | null>();
    for (const alike of classes.values()) {
      const calls = new Set(alike.pairs.map((pair) => pair.entry.call));
      for (const call of calls) {
        contenders.set(call, (contenders.get(call) ?? 0) + alike.members.length);
        seenBy.set(call, seenBy.has(call) ? null : alike);
      }
    }
    // A class whose calls fit it alone, all alike, and no more of them than its fragments: a block, paired as one
    // (see AlikeBlock).
    for (const alike of classes.values()) {
      const first = alike.pairs[0];
      if (alike.members.length < 2 || first === undefined) continue;
      const calls = new Set(alike.pairs.map((pair) => pair.entry.call));
      alike.block =
        calls.size <= alike.members.length &&
        alike.pairs.every(
          (pair) =>
            seenBy.get(pair.entry.call) === alike &&
            pair.slack === first.slack &&
            pair.entry.call.startTimeMs === first.entry.call.startTimeMs,
        );
    }
    const pairsOf = (withBlocks: boolean): Array<Candidate<Owner>> => {
      const pairs: Array<Candidate<Owner>> = [];
      for (const { span, alike } of classOf) {
        if (alike.block && !withBlocks) continue;
        for (const { entry, slack } of alike.pairs) pairs.push({ span, entry, slack });
      }
      return pairs;
    };
    const blocks = [...classes.values()].filter((alike) => alike.block);
    const chosen = across
      ? pairAcross(pairsOf(false), blocks, across, offset)
      : ((blocks.length > 0 ? inStartOrderByBlocks(pairsOf(false), blocks, offset) : undefined) ??
        inStartOrder(pairsOf(true), offset));
    const classBySpan = new Map(classOf.map(({ span, alike }) => [span, alike]));
    // A call sits under each of its route keys: one entry per key, one call.
    const taken = new Set<Span>();
    const paired = new Map<Span, CallTie<Owner>>();
    for (const { span, entry } of chosen) {
      if (paired.has(span) || taken.has(entry.call)) continue;
      taken.add(entry.call);
      // Alike: every other owner whose call ran when this fragment started, taken by a tighter pair or not.
      const owners = classBySpan.get(span)?.owners ?? 1;
      paired.set(span, {
        owner: entry.owner,
        call: entry.call,
        alike: owners - 1,
        rivals: (contenders.get(entry.call) ?? 1) - 1,
      });
    }
    return paired;
  }

  /**
   * The unclaimed calls on `keys` running when `span` started that `accepts` takes, into `into`: each with its
   * fit, and how many owners they are of.
   */
  private runningAt(
    span: Span,
    keys: readonly string[],
    offset: number,
    accepts: ((call: Span) => boolean) | undefined,
    into: FragmentClass<Owner>,
  ): void {
    const t = span.startTimeMs - offset;
    const owners = new Set<Owner>();
    for (const key of new Set(keys)) {
      const list = this.routes.get(key);
      if (!list) continue;
      const last = list.after(t + START_RESOLUTION_MS) - 1;
      const ended = t - START_RESOLUTION_MS;
      for (let i = list.runningBefore(last, ended); i >= 0; i = list.runningBefore(i - 1, ended)) {
        const entry = list.entries[i] as Entry<Owner>;
        if (this.claimed.has(entry.owner)) continue;
        if (accepts && !accepts(entry.call)) continue;
        owners.add(entry.owner);
        into.pairs.push({ entry, slack: fit(entry, span, offset) });
      }
    }
    into.owners = owners.size;
  }

  private freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const list of this.routes.values()) list.freeze();
  }
}

/** Fragments alike but for their ids (see classKey), and the calls running when they started. */
interface FragmentClass<Owner> {
  readonly members: Span[];
  /** The calls running when they started (one per route key a call sits under), and how tightly each fits. */
  readonly pairs: Array<{ readonly entry: Entry<Owner>; readonly slack: number }>;
  /** How many owners those calls are of. */
  owners: number;
  /** Paired as one block (see AlikeBlock). */
  block: boolean;
}

/**
 * What tells a fragment from others but its ids: its start (on the callers' clock) and end, its route keys and
 * every field of its span but the ids and where in its file it was read (its format counts), so that fragments
 * of one key meet the same calls alike.
 */
function classKey(span: Span, keys: readonly string[], offset: number): string {
  const { traceId, spanId, parentSpanId, source, ...data } = span;
  void [traceId, spanId, parentSpanId];
  return JSON.stringify([span.startTimeMs - offset, span.endTimeMs, keys, source?.format, data]);
}

interface Candidate<Owner> {
  readonly span: Span;
  readonly entry: Entry<Owner>;
  readonly slack: number;
}

/**
 * A span's trace id and span id as one string, made once per span: a hop's pairs name each fragment and call
 * many times over (every call running when a fragment started), and one string each keeps them and their
 * lookups cheap.
 */
function idsOf(): (span: Span) => string {
  const ids = new Map<Span, string>();
  return (span) => {
    let id = ids.get(span);
    if (id === undefined) {
      id = `${span.traceId}:${span.spanId}`;
      ids.set(span, id);
    }
    return id;
  };
}

/** The `pairs` that the start-order pairing keeps (see pairInStartOrder), tightest first. */
function inStartOrder<Owner>(pairs: ReadonlyArray<Candidate<Owner>>, offset: number): Array<Candidate<Owner>> {
  const kept = pairInStartOrder(pairs.map(orderedBy(idsOf(), offset)), byFitThenOrder);
  return kept.map((index) => pairs[index] as Candidate<Owner>);
}

/** The start-order pairing's view of a pair (its spans' ids by `idOf`, the fragment's start less `offset`). */
function orderedBy<Owner>(
  idOf: (span: Span) => string,
  offset: number,
): (pair: Candidate<Owner>) => OrderedCandidate<Owner> {
  return (pair) => ({
    fragment: idOf(pair.span),
    fragmentStartMs: pair.span.startTimeMs - offset,
    call: idOf(pair.entry.call),
    callStartMs: pair.entry.call.startTimeMs,
    slack: pair.slack,
    order: pair.entry.order,
    pair,
  });
}

/**
 * As {@link inStartOrder}, each block's fragments paired with its calls as one (see AlikeBlock); undefined when
 * its calls do not rank side by side (pair them one by one then).
 */
function inStartOrderByBlocks<Owner>(
  pairs: ReadonlyArray<Candidate<Owner>>,
  blocks: ReadonlyArray<FragmentClass<Owner>>,
  offset: number,
): Array<Candidate<Owner>> | undefined {
  const idOf = idsOf();
  const toOrder = orderedBy<Owner>(idOf, offset);
  const alike = alikeBlocks(blocks, idOf, toOrder, (call) => call.pair);
  const kept = pairAlikeInStartOrder(pairs.map(toOrder), alike, byFitThenOrder);
  return kept?.map((candidate) => candidate.pair);
}

/**
 * Each block of alike fragments (see AlikeBlock) as a pairing takes it: its fragments by id, one candidate per
 * call (`convert` of the block's first fragment's pair), and a pair for any of its fragments (`sourceOf` gives a
 * candidate's pair back).
 */
function alikeBlocks<Owner, T extends OrderCandidate>(
  blocks: ReadonlyArray<FragmentClass<Owner>>,
  idOf: (span: Span) => string,
  convert: (pair: Candidate<Owner>) => T,
  sourceOf: (candidate: T) => Candidate<Owner>,
): Array<AlikeBlock<T>> {
  return blocks.map((block) => {
    const spans = new Map(block.members.map((span) => [idOf(span), span]));
    const span = block.members[0] as Span;
    // One entry per call: of a call under two route keys, the first found, as the pairing keeps.
    const calls = new Map<Span, T>();
    for (const { entry, slack } of block.pairs)
      if (!calls.has(entry.call)) calls.set(entry.call, convert({ span, entry, slack }));
    return {
      fragments: [...spans.keys()],
      calls: [...calls.values()],
      pair: (fragment, call) => convert({ ...sourceOf(call), span: spans.get(fragment) as Span }),
    };
  });
}

/** A candidate for the start-order pairing, with the pair it stands for. */
interface OrderedCandidate<Owner> extends OrderCandidate {
  readonly order: number;
  readonly pair: Candidate<Owner>;
}

const byFitThenOrder = (a: { slack: number; order: number }, b: { slack: number; order: number }): number =>
  a.slack - b.slack || a.order - b.order;

/** A pair as HopPairs holds it, with the pair it stands for. */
interface SourcedHopPair<Owner> extends HopPair {
  readonly source: Candidate<Owner>;
}

/**
 * Of this journey's `pairs` and `blocks` (see AlikeBlock), those that the start-order pairing of every journey's
 * pairs (see HopPairs) keeps, tightest first.
 */
function pairAcross<Owner>(
  pairs: ReadonlyArray<Candidate<Owner>>,
  blocks: ReadonlyArray<FragmentClass<Owner>>,
  across: AcrossJourneys<Owner>,
  offset: number,
): Array<Candidate<Owner>> {
  const { journey, runOf } = across;
  const idOf = idsOf();
  const toHop = (pair: Candidate<Owner>): SourcedHopPair<Owner> => ({
    fragment: idOf(pair.span),
    fragmentStartMs: pair.span.startTimeMs - offset,
    call: idOf(pair.entry.call),
    run: runOf(pair.entry.owner),
    journey,
    slack: pair.slack,
    callStartMs: pair.entry.call.startTimeMs,
    order: pair.entry.order,
    source: pair,
  });
  const alike = alikeBlocks<Owner, HopPair>(blocks, idOf, toHop, (call) => (call as SourcedHopPair<Owner>).source);
  const { kept, made } = across.pair(pairs.map(toHop), alike);
  return kept.map((index) =>
    index < pairs.length
      ? (pairs[index] as Candidate<Owner>)
      : (made[index - pairs.length] as SourcedHopPair<Owner>).source,
  );
}
