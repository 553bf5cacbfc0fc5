/** One hop of a chain judged: the fragments that started over there, tied to the runs they split from. */
import { hasTime, type Span, type SpanLink, type TraceId } from '../../model';
import { brokenAt, fragmentOnly, linkedNotParented, type Elsewhere } from '../chain-words';
import { runningAt, START_RESOLUTION_MS } from './callee-clock';
import {
  NO_FRAGMENTS,
  newRun,
  reachFrom,
  unansweredCalls,
  type FitElsewhere,
  type Fragment,
  type Piece,
  type Run,
} from './chain-pieces';
import { tieToCompleteRuns } from './complete-run-ties';
import { tieDetached } from './detached-calls';
import type { CallIndex } from './call-index';
import { answeredByOther, neverSent } from './call-answers';
import { callsAtHop, reachedOneOf } from './hop-calls';
import { claimedElsewhere, claimShared, fitOf } from './fragment-claims';
import { fragmentLinks, tieLinked } from './fragment-links';
import type { Judging } from './judging';
import { fragmentKeys, sameRoute } from './routes';

/**
 * The hop from chain[level - 1] to chain[level]: the runs waiting there (their last service chain[level - 1])
 * and the fragments that started at chain[level], tied by span link, else by route and timing (the calls
 * running when each started, paired in start order, else the nearest in time), or to a second call of a run that got
 * past the hop; a fragment no run can have split from is a client's that does not trace, or a run of its own.
 * Runs that go on in a fragment wait at the next hop; those that stopped here are finished.
 */
export function tieHop(judging: Judging, level: number): void {
  const { chain, options, problems, runs, pieces, complete, lonely, fragments, detached, tiedLonely, finished } =
    judging;
  const { spanElsewhere, runsAtStart, headers } = judging;
  const caller = chain[level - 1] as string;
  const waiting = pieces.filter((piece) => piece.reach === level);
  // A shared fragment another journey's run links to is not ours, unless its own links may name one of our
  // runs (a link outranks a running call, and every run linked to it holds it: see FragmentOffer).
  const here = fragments.filter(
    (fragment) =>
      fragment.level === level && (!claimedElsewhere(fragment, options) || fragmentLinks(fragment).length > 0),
  );
  const calledOutside = detached.filter((fragment) => fragment.level === level);
  const rest = pieces.filter((piece) => piece.reach !== level);
  pieces.length = 0;
  for (const piece of rest) pieces.push(piece);
  if (here.length === 0 && calledOutside.length === 0) {
    for (const piece of waiting) finished.push(piece);
    return;
  }
  if (level === 1)
    for (const trace of lonely) if (!tiedLonely.has(trace)) waiting.push({ run: undefined, trace, reach: 1 });
  const byTrace = new Map<TraceId, Piece>();
  for (const piece of waiting) byTrace.set(piece.trace.traceId, piece);

  const roots = here.map((fragment) => fragment.root.span);
  const { calls, routes, offset, unnamed, unanswered } = callsAtHop(runs, waiting, chain, level, roots);
  /** Whether `call` may have reached `span`'s service: not never sent, or `span` says it answered it anyway. */
  const sentTo = (call: Span, span: Span): boolean => !neverSent(call) || reachedOneOf(call, [span], offset);
  /** A call of a waiting run that ran when `span` started but names nothing to tie it by (namesNoRoute). */
  const unnamedAt = (span: Span): Span | undefined =>
    hasTime(span) ? unnamed.find((call) => runningAt(call, span.startTimeMs - offset)) : undefined;
  /** A call of a waiting run on `span`'s route that has no time (hasTime), so no timing ties `span` to it. */
  const untimedAt = (span: Span): Span | undefined => calls.untimedOn(fragmentKeys(span));

  // Fragments and the calls running when each started, paired in start order over the whole hop (see
  // pairInStartOrder): calls reach their callee in the order they were sent far more often than the callees
  // end in it. With journeys, every journey's calls at this hop take part (see HopPairs): a fragment naming no
  // journey goes to the same run whichever journey is judged first.
  const claims = options.claimedFragments;
  const journey = options.journeyName;
  const hop = `${caller}>${chain[level] as string}`;
  let inFlight: ReadonlyMap<string, Elsewhere> | undefined;
  const paired = calls.pairUp(
    here.map((fragment) => ({
      span: fragment.root.span,
      keys: fragmentKeys(fragment.root.span),
      accepts: (call: Span) => sentTo(call, fragment.root.span) && !answeredByOther(call, fragment.root.span, offset),
    })),
    offset,
    claims && journey !== undefined
      ? {
          journey,
          runOf: (piece) => piece.run?.traceId ?? piece.trace.traceId,
          pair: (pairs, blocks) => {
            const pairing = claims.pairs.pairAt(journey, hop, pairs, blocks);
            ({ inFlight } = pairing);
            return pairing;
          },
        }
      : undefined,
  );
  /** Fragments no waiting run took: maybe a second call of a run that completed the chain (see below). */
  const untied: Fragment[] = [];
  /** Fragments no waiting run's call ties while some run still waits: a complete run's call, or their own run. */
  const loose: Fragment[] = [];
  // Waiting pieces not yet claimed; a claim is for good, so claimed ones are dropped as they are met. One whose
  // calls here all reached nobody (refused, unreachable: neverSent) or got an error a proxy answered itself while
  // the callee answered `span` otherwise (answeredByOther) did not split into `span`'s trace: it stopped there.
  const unclaimed = new Set(waiting);
  const anyUnclaimed = (span: Span): boolean => {
    for (const piece of unclaimed) {
      if (calls.isClaimed(piece)) {
        unclaimed.delete(piece);
        continue;
      }
      const own = unanswered.get(piece) ?? [];
      if (own.length === 0 || own.some((call) => sentTo(call, span) && !answeredByOther(call, span, offset)))
        return true;
    }
    return false;
  };
  /** Runs tied to a fragment by a call running when it started: their other such calls may take one too. */
  const pairedOwners = new Set<Piece>();
  /** The run made for a lonely trace the first of its fragments was tied to. */
  const runOfPiece = new Map<Piece, Run>();
  // The fragments a running call explains first, tightest first: one tied only by nearness in time (a
  // request from a client that does not trace) must not take a run whose own fragment comes later.
  const rank = new Map([...paired.keys()].map((span, index) => [span, index]));
  const byRank = (fragment: Fragment): number => rank.get(fragment.root.span) ?? -1;
  const ordered = [
    ...here.filter((fragment) => byRank(fragment) >= 0).sort((a, b) => byRank(a) - byRank(b)),
    ...here.filter((fragment) => byRank(fragment) < 0),
  ];
  /** The new traces tied to a run's call at this hop, for the runs left waiting (see fitsElsewhere). */
  const tiedHere: Array<{ start: number; span: Span; fit: FitElsewhere }> = [];
  for (const fragment of ordered) {
    const span = fragment.root.span;
    // The runs the fragment's links point into: a batch consumer links every message it read.
    const links = fragmentLinks(fragment);
    const linkedPieces = [
      ...new Set(links.map((link) => byTrace.get(link.traceId)).filter((piece) => piece !== undefined)),
    ].filter((piece) => !calls.isClaimed(piece));
    const linked = linkedPieces[0];
    let from: Piece | undefined;
    let call: Span | undefined;
    let alike = 0;
    /** Tied to a call that was not running when the fragment started: the nearest in time, a guess. */
    let nearest = false;
    /** Other fragments that started while the same call ran. */
    let rivals = 0;
    /** Tied by the start-order pairing of every journey's calls at this hop (CallIndex.pairUp). */
    let fromPairing = false;
    if (linked) {
      from = linked;
      const link = links.find((l) => l.traceId === linked.trace.traceId);
      call = link ? linked.trace.nodeById.get(link.spanId)?.span : undefined;
    } else {
      const keys = fragmentKeys(span);
      if (!keys.some((key) => routes.has(key))) {
        // On no route the hop's calls name: a client's that does not trace, unless a run's call that names
        // no route ran then, which may be the one it left (the verdict says why it cannot be tied).
        (unnamedAt(span) ? loose : untied).push(fragment);
        continue;
      }
      const pair = paired.get(span);
      const usable = pair && (!calls.isClaimed(pair.owner) || pairedOwners.has(pair.owner));
      const tie = usable
        ? pair
        : calls.closest(span, keys, offset, (call) => sentTo(call, span) && !answeredByOther(call, span, offset));
      // An orphan whose parent is nowhere in the dump is tied only to a call running when it started.
      const unknownParent = span.parentSpanId !== undefined && !spanElsewhere(span.parentSpanId);
      const running = tie !== undefined && runningAt(tie.call, span.startTimeMs - offset);
      if (tie && (running || !unknownParent)) {
        ({ owner: from, call, alike } = tie);
        nearest = !running;
        rivals = tie.rivals ?? 0;
        if (usable) pairedOwners.add(tie.owner);
        fromPairing = usable === true;
      }
    }
    // A fragment naming no journey that another journey's run ties on better evidence (a link, else a call
    // running when it started that fits it more tightly: see FragmentOffer) is that run's: one request
    // leaves one run.
    const elsewhere = from
      ? claimShared(fragment, options, {
          run: from.run?.traceId ?? from.trace.traceId,
          linked: linked !== undefined,
          firm: !nearest,
          ...(fromPairing ? { paired: true } : {}),
          fitMs: call ? fitOf(call, span, offset, nearest) : 0,
          callStartMs: call?.startTimeMs ?? 0,
          inFlight: !nearest && linked === undefined ? alike + 1 : 0,
        })
      : undefined;
    if (from && !elsewhere) {
      // Another journey's run holds it by timing: this journey's runs whose calls it fits as well say so (a
      // link names its run: no guess).
      const holder = options.claimedFragments?.holder(fragment.trace.traceId);
      if (holder && !holder.linked) {
        const fit = { fragment: fragment.trace.traceId, run: holder.run, journey: holder.journey };
        tiedHere.push({ start: span.startTimeMs - offset, span, fit });
      }
      continue;
    }
    // The other runs it links to went on in it too (a batch consumer reads the messages of several runs).
    if (linked) tieOtherLinked(fragment, links, linkedPieces.slice(1), judging, calls, level);
    // A fragment naming no journey that none of this journey's runs ties to may be another journey's.
    if (!from && options.owner && options.owner(fragment.trace) === 'shared') {
      untied.push(fragment);
      continue;
    }
    // Every run got past this hop within its own trace, or was tied to a fragment a call of its explains,
    // so none is left to have split here: a request from a client that does not trace (curl, a test script,
    // a synthetic monitor, a health probe on a chain route), not a broken hop.
    if (!from && runsAtStart > 0 && !anyUnclaimed(span)) {
      untied.push(fragment);
      continue;
    }
    // An orphan that no call ties to, whose parent is nowhere in the dump, may well have continued its
    // caller's trace with the caller's spans sampled out or lost: orphan-span says so, nothing else can.
    if (!from && span.parentSpanId !== undefined && !spanElsewhere(span.parentSpanId)) continue;
    // No waiting run's call ties it: a second call of a run that completed the chain may (see below), else
    // it is a run of its own.
    if (!from && linked === undefined) {
      loose.push(fragment);
      continue;
    }
    let run = from?.run ?? (from ? runOfPiece.get(from) : undefined);
    if (from && !run) {
      run = newRun(from.trace);
      runs.push(run);
      runOfPiece.set(from, run);
      tiedLonely.add(from.trace);
    }
    if (from) calls.claim(from);
    if (from && run && !linked)
      tiedHere.push({
        start: span.startTimeMs - offset,
        span,
        fit: { fragment: fragment.trace.traceId, run: run.traceId },
      });
    if (run && run.trace !== fragment.trace)
      run.fragments =
        run.fragments === NO_FRAGMENTS ? [fragment.trace.traceId] : [...run.fragments, fragment.trace.traceId];
    if (!run) {
      run = newRun(fragment.trace);
      runs.push(run);
    }
    // Tied by a call running when it started: every other journey's run whose call ran then fits it too.
    const shown =
      inFlight && elsewhere && !nearest && linked === undefined
        ? (inFlight.get(`${span.traceId}:${span.spanId}`) ?? elsewhere)
        : elsewhere;
    const accepted = linked !== undefined && options.acceptLinks === true;
    if (!accepted) {
      const last = call ?? from?.last;
      problems.push(
        linked !== undefined && from !== undefined
          ? linkedNotParented(caller, chain[level] as string, span, from.trace, last)
          : from
            ? brokenAt(
                caller,
                chain[level] as string,
                span,
                from.trace,
                last,
                {
                  starts: level === 1,
                  alike: alike + (shown?.runs ?? 0),
                  ...(shown ? { elsewhere: shown } : {}),
                  nearest,
                  rivals,
                },
                headers,
              )
            : fragmentOnly(
                caller,
                chain[level] as string,
                span,
                level === 1,
                headers,
                unnamedAt(span),
                untimedAt(span),
              ),
      );
    }
    const next = reachFrom(fragment.root, chain, level);
    pieces.push({ run, trace: fragment.trace, reach: next.reach, ...(next.last ? { last: next.last } : {}) });
  }
  const tied = tieToCompleteRuns(
    [...untied, ...loose],
    complete,
    pieces,
    runs,
    caller,
    chain,
    level,
    offset,
    problems,
    options,
    headers,
  );
  for (const fragment of loose) {
    if (tied.has(fragment)) continue;
    const run = newRun(fragment.trace);
    runs.push(run);
    const span = fragment.root.span;
    problems.push(
      fragmentOnly(caller, chain[level] as string, span, level === 1, headers, unnamedAt(span), untimedAt(span)),
    );
    const next = reachFrom(fragment.root, chain, level);
    pieces.push({ run, trace: fragment.trace, reach: next.reach, ...(next.last ? { last: next.last } : {}) });
  }
  tieDetached(calledOutside, waiting, calls, caller, chain, level, runs, tiedLonely, pieces, problems, options);
  tiedHere.sort((a, b) => a.start - b.start);
  for (const piece of waiting) {
    if (calls.isClaimed(piece) || !piece.run) continue;
    const alsoFits = fitsElsewhere(piece, tiedHere, caller);
    finished.push(alsoFits.length > 0 ? { ...piece, alsoFits } : piece);
  }
}

/** Ties a fragment to the other runs it links to besides the first: each went on in it (see tieLinked). */
function tieOtherLinked(
  fragment: Fragment,
  links: readonly SpanLink[],
  others: readonly Piece[],
  judging: Judging,
  calls: CallIndex<Piece>,
  level: number,
): void {
  const { chain, options, problems, runs, tiedLonely, sharers } = judging;
  for (const other of others) {
    const otherLink = links.find((l) => l.traceId === other.trace.traceId);
    const otherCall = otherLink ? other.trace.nodeById.get(otherLink.spanId)?.span : undefined;
    const sharer = tieLinked(
      other,
      otherCall,
      fragment,
      calls,
      runs,
      tiedLonely,
      problems,
      chain[level - 1] as string,
      chain,
      level,
      options,
    );
    const list = sharers.get(fragment.trace.traceId);
    if (list) list.push(sharer);
    else sharers.set(fragment.trace.traceId, [sharer]);
  }
}

/**
 * The new traces tied at this hop to other runs that started while a call of `piece` on their route ran
 * (`tied` in start order, taken back to the callers' clock by `offset`): each may as well be where `piece`'s
 * run went on.
 */
function fitsElsewhere(
  piece: Piece,
  tied: ReadonlyArray<{ start: number; span: Span; fit: FitElsewhere }>,
  caller: string,
): FitElsewhere[] {
  const fits: FitElsewhere[] = [];
  if (tied.length === 0) return fits;
  for (const call of unansweredCalls(piece.trace, caller)) {
    // The first tied at or after the call's start (give or take the clocks' resolution), by binary search.
    let low = 0;
    let high = tied.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((tied[mid] as (typeof tied)[number]).start < call.startTimeMs - START_RESOLUTION_MS) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < tied.length; i++) {
      const { start, span, fit } = tied[i] as (typeof tied)[number];
      if (!runningAt(call, start)) break;
      if (fit.run !== piece.run?.traceId && sameRoute(call, span) && !fits.includes(fit)) fits.push(fit);
    }
  }
  return fits;
}
