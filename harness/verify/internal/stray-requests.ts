/**
 * Journeys only: the app's requests sent in traces of their own (a trace per request, an offline replay that
 * lost its context), tied to the journey traces they left.
 */
import type { Span, Trace, TraceId } from '../../model';
import { requestOutsideJourney, type Elsewhere, type RepeatedCall } from '../chain-words';
import { CallIndex } from './call-index';
import { newRun, reachFrom, removeWhere, unansweredCalls, type Fragment, type Run } from './chain-pieces';
import { claimShared, fitOf } from './fragment-claims';
import { appRequest, failedAttempt, firstHopRoutes, journeyRoot, sentItself } from './journey-requests';
import type { Judging } from './judging';
import { pairRequests, type RequestCandidate } from './request-pairs';
import { START_RESOLUTION_MS } from './callee-clock';
import { responseStatus, sameRoute } from './routes';

const NO_OTHERS: Elsewhere = Object.freeze({ runs: 0, journeys: Object.freeze([]) });

/**
 * Ties each of the app's requests in a trace of its own, by time, to the journey trace it left (the
 * journey's span running when the request started, else the nearest), or as a replay of a call that got no
 * answer: that journey trace is a run now, broken there.
 */
export function tieStrayRequests(judging: Judging): void {
  const { requests, lonely, chain, runs, options, pieces, complete, problems, tiedLonely } = judging;
  if (requests.length === 0 || lonely.length === 0) return;
  // Journey traces whose root is a journey span, not a request of the app's that nobody answered: only an
  // app that starts journey spans of their own can send a request outside one.
  const journeys = new CallIndex<Trace>();
  for (const trace of lonely) {
    const root = trace.roots[0]?.node.span;
    if (root && !appRequest(root, chain)) journeys.add(trace, root, ['journey']);
  }
  // The journey's first hop, as its sound runs take it: a request on another route is another journey's.
  const ownRoutes = new Set<string>();
  const requestRuns = new Set(requests.map((request) => request.run));
  for (const run of runs) {
    if (requestRuns.has(run)) continue;
    for (const key of firstHopRoutes(run.trace, chain)) ownRoutes.add(key);
  }
  const claimedRequests = options.claimedRequests ?? new Set<TraceId>();
  const candidates = requests.filter((request) => {
    if (claimedRequests.has(request.trace.traceId)) return false;
    // The journey's own route, where its sound runs show one; else the whole chain reached.
    const keys = firstHopRoutes(request.trace, chain);
    const sameRoute = keys.some((key) => ownRoutes.has(key));
    if (ownRoutes.size > 0 && keys.length > 0) return sameRoute;
    return reachFrom(request.root, chain, 0).reach === chain.length;
  });
  candidates.sort((a, b) => a.root.span.startTimeMs - b.root.span.startTimeMs);
  const during = (request: Fragment, root: Span): boolean =>
    root.startTimeMs <= request.root.span.startTimeMs && request.root.span.startTimeMs <= root.endTimeMs;
  // Journey traces by their root's start.
  const byStart = [...lonely]
    .filter((trace) => journeyRoot(trace, chain) !== undefined)
    .sort((a, b) => (journeyRoot(a, chain)?.startTimeMs ?? 0) - (journeyRoot(b, chain)?.startTimeMs ?? 0));
  /**
   * The journey trace a request tagged with the journey sends again a call of: the latest that started before
   * it, unclaimed, whose app call on the request's route got no answer (an offline queue's replay).
   */
  const replayOf = (request: Span): { journey: Trace; root: Span; call: Span } | undefined => {
    for (let i = byStart.length - 1; i >= 0; i--) {
      const journey = byStart[i] as Trace;
      const root = journeyRoot(journey, chain);
      if (!root || root.startTimeMs > request.startTimeMs || journeys.isClaimed(journey)) continue;
      const call = unansweredCalls(journey, chain[0] as string).find(
        (span) => span.endTimeMs <= request.startTimeMs && sameRoute(span, request),
      );
      if (call) return { journey, root, call };
    }
    return undefined;
  };
  /**
   * The journey traces whose span ran when `request` started, each with how surely it sent the request: a
   * request that names the journey over one that names none (another journey's run may have sent that), then one
   * whose span still ran when the request ended (an app awaits its journey's requests) over one whose span
   * did not, then one whose app call on the request's route failed before the request started (the attempt
   * it sends again) over one without; `fit`: how tightly the two spans fit, start to start and end to end.
   */
  const roots = byStart.map((trace) => journeyRoot(trace, chain) as Span);
  const journeyById = new Map(byStart.map((trace) => [trace.traceId, trace]));
  /** The journey traces a span's links point into (to a span the dump holds there). */
  const linkedJourneys = (span: Span): Trace[] => {
    const linked: Trace[] = [];
    for (const link of span.links ?? []) {
      const journey = journeyById.get(link.traceId);
      if (journey && journey.nodeById.has(link.spanId) && !linked.includes(journey)) linked.push(journey);
    }
    return linked;
  };
  const longest = roots.reduce((most, root) => Math.max(most, root.endTimeMs - root.startTimeMs), 0);
  const runningJourneys = (
    request: Fragment & { run?: Run },
  ): Array<{ journey: Trace; root: Span; rank: number; fit: number }> => {
    const span = request.root.span;
    // Counted as a run of its own for now, it names the journey: one of this journey's runs sent it.
    const named = request.run !== undefined;
    // The first journey span that may still run at the request's start: none started before it by more
    // than the longest journey span lasted.
    const earliest = span.startTimeMs - longest;
    let low = 0;
    for (let high = roots.length; low < high;) {
      const mid = (low + high) >> 1;
      if ((roots[mid] as Span).startTimeMs < earliest) low = mid + 1;
      else high = mid;
    }
    const running: Array<{ journey: Trace; root: Span; rank: number; fit: number }> = [];
    // A span link from the request's top span to a span of a journey trace names the run that sent it: that
    // run alone, surest of all (an outbox's flush span, linked to the journey it replays).
    const linked = linkedJourneys(span);
    if (linked.length > 0) {
      for (const journey of linked) {
        const root = journeyRoot(journey, chain) as Span;
        const fit = Math.abs(span.startTimeMs - root.startTimeMs) + Math.abs(root.endTimeMs - span.endTimeMs);
        running.push({ journey, root, rank: 8 + (named ? 4 : 0), fit });
      }
      return running;
    }
    for (let i = low; i < byStart.length; i++) {
      const journey = byStart[i] as Trace;
      const root = roots[i] as Span;
      if (root.startTimeMs > span.startTimeMs) break;
      if (!during(request, root)) continue;
      const encloses = root.endTimeMs + START_RESOLUTION_MS >= span.endTimeMs;
      const repeats = unansweredCalls(journey, chain[0] as string).some((call) => {
        const status = responseStatus(call);
        return sameRoute(call, span) && call.endTimeMs <= span.startTimeMs && (status === undefined || status >= 500);
      });
      const fit = Math.abs(span.startTimeMs - root.startTimeMs) + Math.abs(root.endTimeMs - span.endTimeMs);
      running.push({ journey, root, rank: (named ? 4 : 0) + (encloses ? 2 : 0) + (repeats ? 1 : 0), fit });
    }
    return running;
  };
  const ties: Array<{
    request: (typeof candidates)[number];
    journey: Trace;
    root: Span;
    repeats?: RepeatedCall;
    alike?: number;
    elsewhere?: Elsewhere;
  }> = [];
  // First the requests sent while a journey's span ran (trace per request, a retry or replay from a new
  // trace): every request with every journey span running when it started, paired surest first, one request
  // a run (pairRequests). The span that started nearest is no evidence by itself: at once, each run's span
  // started before the others' requests. A journey that sent a request itself, answered though no callee is
  // in its trace (a hop that started over), did not send it again from outside: the request is another
  // run's. An attempt a proxy answered 5xx before the request started is no such call: the request is its
  // retry.
  const running: Array<RequestCandidate<(typeof candidates)[number], Trace>> = [];
  const rootOf = new Map<Trace, Span>();
  // How many of this journey's runs had their span running when each request started.
  const runningFor = new Map<(typeof candidates)[number], number>();
  for (const request of candidates) {
    if (claimedRequests.has(request.trace.traceId)) continue;
    for (const { journey, root, rank, fit } of runningJourneys(request)) {
      if (sentItself(journey, request.root.span, chain)) continue;
      rootOf.set(journey, root);
      running.push({ request, journey, rank, fit });
      runningFor.set(request, (runningFor.get(request) ?? 0) + 1);
    }
  }
  // Requests another journey's run holds on better evidence than this journey's paired run: not offered again
  // from another run of this journey below, whose weaker offer would replace the one that lost and flip the
  // judgements of both journeys round after round (verifySpans' re-judge loop never settled).
  const heldElsewhere = new Set<(typeof candidates)[number]>();
  // With journeys, every journey's runs take part (see RequestClaims): a request naming no journey goes to
  // the surest, tightest run of all, whichever journey is judged first.
  const claims = options.claimedFragments;
  const name = options.journeyName;
  let inFlight: ReadonlyMap<TraceId, Elsewhere> | undefined;
  let pairs = pairRequests(running);
  if (claims && name !== undefined) {
    const pairing = claims.requests.pairAt(
      name,
      running.map(({ request, journey, rank, fit }) => ({
        request: request.trace.traceId,
        run: journey.traceId,
        journey: name,
        rank,
        fit,
      })),
    );
    pairs = pairing.kept.map(({ index, alike }) => ({ ...(running[index] as (typeof running)[number]), alike }));
    for (const request of candidates) if (pairing.elsewhere.has(request.trace.traceId)) heldElsewhere.add(request);
    ({ inFlight } = pairing);
  }
  for (const { request, journey, alike } of pairs) {
    const root = rootOf.get(journey) as Span;
    // A request naming no journey is one request, left by one run: of the journeys whose span ran when it
    // started, the tightest fit takes it (see FragmentOffer), whatever the journeys file's order.
    const elsewhere = claimShared(request, options, {
      run: journey.traceId,
      linked: false,
      firm: true,
      fitMs: fitOf(root, request.root.span, 0),
      callStartMs: root.startTimeMs,
      inFlight: runningFor.get(request) ?? 1,
    });
    if (!elsewhere) {
      heldElsewhere.add(request);
      continue;
    }
    journeys.claim(journey);
    claimedRequests.add(request.trace.traceId);
    const retried = failedAttempt(journey, request.root.span, chain);
    const repeats = retried && { call: retried, named: request.run !== undefined };
    // Every other journey's run whose journey span ran when it started fits it too.
    const shown = (inFlight && inFlight.get(request.trace.traceId)) ?? (inFlight ? NO_OTHERS : elsewhere);
    ties.push({ request, journey, root, alike, elsewhere: shown, ...(repeats ? { repeats } : {}) });
  }
  // Reported in the order the requests were sent, as tied one by one.
  const sent = new Map(candidates.map((request, index) => [request, index]));
  ties.sort((a, b) => (sent.get(a.request) ?? 0) - (sent.get(b.request) ?? 0));
  // Then the later ones (replays).
  for (const request of candidates) {
    if (claimedRequests.has(request.trace.traceId) || heldElsewhere.has(request)) continue;
    // A request that named the journey itself is taken only while a journey span ran, or later when it
    // sends again a journey's call that got no answer: else it may well be a run of its own.
    if (request.run !== undefined) {
      const replay = replayOf(request.root.span);
      if (!replay) continue;
      journeys.claim(replay.journey);
      claimedRequests.add(request.trace.traceId);
      ties.push({
        request,
        journey: replay.journey,
        root: replay.root,
        repeats: { call: replay.call, named: true },
      });
      continue;
    }
    const tie = journeys.closest(request.root.span, ['journey']);
    if (!tie || sentItself(tie.owner, request.root.span, chain)) continue;
    const firm = during(request, tie.call);
    const retried = failedAttempt(tie.owner, request.root.span, chain);
    const elsewhere = claimShared(request, options, {
      run: tie.owner.traceId,
      linked: false,
      firm,
      fitMs: fitOf(tie.call, request.root.span, 0, !firm),
      callStartMs: tie.call.startTimeMs,
      inFlight: firm ? tie.alike + 1 : 0,
    });
    if (!elsewhere) continue;
    journeys.claim(tie.owner);
    claimedRequests.add(request.trace.traceId);
    const repeats = retried && { call: retried, named: false };
    ties.push({ request, journey: tie.owner, root: tie.call, elsewhere, ...(repeats ? { repeats } : {}) });
  }
  const dropped = new Set<Run>();
  for (const { request, journey, root, repeats, alike, elsewhere } of ties) {
    tiedLonely.add(journey);
    // A request that named the journey counted as a run of its own: it is the journey trace's run now.
    if (request.run) dropped.add(request.run);
    const run = newRun(journey);
    run.fragments = [request.trace.traceId];
    runs.push(run);
    problems.push(
      requestOutsideJourney(
        chain[0] as string,
        chain[1] as string,
        request.root.span,
        journey,
        root,
        repeats,
        alike,
        elsewhere,
      ),
    );
    const next = reachFrom(request.root, chain, 0);
    if (next.reach < chain.length)
      pieces.push({ run, trace: request.trace, reach: next.reach, ...(next.last ? { last: next.last } : {}) });
  }
  if (dropped.size > 0) {
    const droppedTraces = new Set([...dropped].map((run) => run.trace));
    removeWhere(runs, (run) => dropped.has(run));
    removeWhere(pieces, (piece) => piece.run !== undefined && dropped.has(piece.run));
    removeWhere(complete, (trace) => droppedTraces.has(trace));
  }
}
