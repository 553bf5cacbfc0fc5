import type { Span, SpanLink, SpanNode, Trace, TraceId, TraceRoot } from '../model';
import { CALLEE_KINDS, CALLER_KINDS, forwardedFrom, isDatabaseCall, neverSent } from './internal/calls';
import { CallIndex } from './internal/call-index';
import { calleeAheadMs, runningAt, START_RESOLUTION_MS } from './internal/callee-clock';
import {
  NO_FRAGMENTS,
  newRun,
  reachFrom,
  removeWhere,
  unansweredCalls,
  type FitElsewhere,
  type Fragment,
  type Piece,
  type Run,
} from './internal/chain-pieces';
import {
  appRequest,
  dropOtherJourneys,
  firstHopRoutes,
  failedAttempt,
  journeyRoot,
  requestRoot,
  sentItself,
} from './internal/journey-requests';
import { routeFamily, routeKeys, sameRoute } from './internal/routes';
import {
  missingService,
  brokenAt,
  callOutsideRequest,
  fragmentOnly,
  linkedNotParented,
  notBeneath,
  requestOutsideJourney,
  type RepeatedCall,
  secondRoot,
} from './chain-words';
import type { BrokenChainProblem, MissingServiceProblem, ProblemKind } from './problem';
import { wholeDumpChain } from './whole-dump-chain';

/** A chain problem: what `--expect` and journeys report beyond the structural checks. */
export type ChainProblem = BrokenChainProblem | MissingServiceProblem;

/** How one journey's traces are told from the others'. */
export type TraceOwner = 'own' | 'shared' | 'other';

export interface ChainOptions {
  /** Accept a CONSUMER that starts a new trace with a span link to its PRODUCER (batch consumers). */
  readonly acceptLinks?: boolean;
  /**
   * Which journey a trace belongs to: only `own` traces can start a run, `shared` ones (naming no journey)
   * can be fragments of a run, `other` ones are never judged. Default: every trace is `own`.
   */
  readonly owner?: (trace: Trace) => TraceOwner;
  /**
   * With `owner`: the app's requests in traces of their own that an earlier journey's judgement already tied
   * to one of its runs (shared by the judgements of one dump, so a request counts for one journey only).
   */
  readonly claimedRequests?: Set<TraceId>;
  /**
   * With `owner`: the journey's name. A trace whose root is an app span that does not name the journey (an
   * outbox flush) but holds an app CLIENT span tagged with it is that request, sent outside the journey.
   */
  readonly journeyName?: string;
  /**
   * With `owner` and `journeyName`: which journey's run each new trace naming no journey (a shared fragment)
   * was tied to, shared by the judgements of one dump (see FragmentClaim). Each judgement adds its ties.
   */
  readonly claimedFragments?: Map<TraceId, FragmentClaim>;
}

/**
 * Which journey's run a shared fragment was tied to, and on what evidence. A fragment is one request, left by
 * one run: a tie by a span link or a call running when it started (`firm`) is final for every journey; a tie
 * to the call nearest in time is a guess, `gapMs` from that call's start, that another journey's firm tie, or
 * nearer guess, takes over (verifySpans then judges the first journey again).
 */
export interface FragmentClaim {
  readonly journey: string;
  readonly firm: boolean;
  readonly gapMs: number;
}

/** One run of a chain: the trace that started it and the traces it split into. */
export interface ChainRun {
  readonly traceId: TraceId;
  /** The traces it split into: the fragments tied to it (most runs have none). */
  readonly fragments: readonly TraceId[];
}

export interface ChainVerdict {
  readonly runs: ChainRun[];
  readonly problems: ChainProblem[];
}

/**
 * `broken-chain` and `missing-service`, run by run. A trace that starts the chain (a span of chain[0] and one
 * of chain[1] in one trace) is a run and must complete it; a trace whose root is a SERVER or CONSUMER span of
 * a later service, on a route the chain uses, is a fragment: a hop started over. Each fragment is tied, by
 * span link or else by route and timing, to the run it most likely split from. Traces that are neither
 * (health checks, jobs, other journeys) are not judged. A dump without any run falls back to one search
 * over the whole dump, so that a missing service is still named.
 */
export function judgeChain(
  traces: readonly Trace[],
  chain: readonly string[],
  options: ChainOptions = {},
): ChainVerdict {
  const problems: ChainProblem[] = [];
  const runs: Run[] = [];
  if (chain.length === 0) return { runs: [], problems };
  const owner = options.owner ?? ((): TraceOwner => 'own');
  const second = chain[1];
  const levelOf = new Map<string, number>();
  chain.forEach((service, i) => void levelOf.set(service, i));

  // Every span id of the dump: only asked for orphans no call ties to, so gathered on the first one.
  let spanIds: Set<string> | undefined;
  const spanElsewhere = (spanId: string | undefined): boolean => {
    if (spanId === undefined) return false;
    if (!spanIds) {
      spanIds = new Set<string>();
      for (const trace of traces) for (const span of trace.spans) spanIds.add(span.spanId);
    }
    return spanIds.has(spanId);
  };
  // The service of the span a link points to, when the dump holds it: traces by id, gathered on first use.
  let traceById: Map<TraceId, Trace> | undefined;
  const linkedService = (link: SpanLink): string | undefined => {
    traceById ??= new Map(traces.map((trace) => [trace.traceId, trace]));
    return traceById.get(link.traceId)?.nodeById.get(link.spanId)?.span.service;
  };
  const pieces: Piece[] = [];
  /** Traces of runs that completed the chain in one tree. */
  const complete: Trace[] = [];
  /**
   * Traces of chain[0] whose calls reached nobody: a run only if a fragment ties to them, or, when journeys
   * name their traces (`owner`), always: a trace named after the journey is a run of it.
   */
  const lonely: Trace[] = [];
  const lonelyLast = new Map<Trace, Span | undefined>();
  const fragments: Fragment[] = [];
  /**
   * Calls a later service made outside its request's context: traces whose root is a CLIENT or PRODUCER span
   * of chain[level - 1] (not the app) that reached chain[level]. `root` is that call.
   */
  const detached: Fragment[] = [];
  /**
   * Journeys only: the app's requests in traces of their own: traces naming no journey that start in the
   * app and reach the next service, and the journey's own traces whose root is the app's CLIENT span (`run`:
   * counted as a run until tied to the journey trace).
   */
  const requests: Array<Fragment & { run?: Run }> = [];
  for (const trace of traces) {
    const belongs = owner(trace);
    if (belongs === 'other') continue;
    let best: { reach: number; last?: Span } = { reach: 0 };
    let hasSecond = false;
    if (belongs === 'own') {
      for (const root of trace.roots) {
        const result = reachFrom(root.node, chain, 0);
        if (result.reach > best.reach) best = result;
      }
      hasSecond = second !== undefined && best.reach === 1 && trace.spans.some((span) => span.service === second);
    }
    if (best.reach >= Math.min(2, chain.length) || hasSecond) {
      const run = newRun(trace);
      runs.push(run);
      const request = options.owner ? requestRoot(trace, chain, options.journeyName) : undefined;
      if (request) requests.push({ trace, root: request, level: 0, run });
      // A complete run needs no more judging: most runs of a healthy dump end here.
      if (best.reach < chain.length)
        pieces.push({ run, trace, reach: best.reach, ...(best.last ? { last: best.last } : {}) });
      else complete.push(trace);
      continue;
    }
    if (best.reach === 1) {
      lonely.push(trace);
      lonelyLast.set(trace, best.last);
      continue;
    }
    // A fragment's top: a true root, or an orphan whose parent id came from another trace's traceparent.
    const top = trace.roots[0];
    const level = top && top.reason !== 'cycle' ? levelOf.get(top.node.span.service) : undefined;
    if (top && level !== undefined && level > 0 && CALLEE_KINDS.has(top.node.span.kind))
      fragments.push({ trace, root: top.node, level });
    else if (top?.reason === 'root' && level !== undefined && level > 0 && CALLER_KINDS.has(top.node.span.kind)) {
      // A pull consumer's receive span, linked to the message a caller's PRODUCER span sent (it may go on to
      // call the next service), else a call made outside its request (it reached the next service; a link
      // back to the request's own span does not make it a consumer).
      if (linksOut(trace, top, linkedService)) fragments.push({ trace, root: top.node, level });
      else if (reachFrom(top.node, chain, level).reach > level + 1)
        detached.push({ trace, root: top.node, level: level + 1 });
    } else if (top && level !== undefined && level > 0 && linksOut(trace, top, linkedService))
      fragments.push({ trace, root: top.node, level });
    else if (options.owner && belongs === 'shared' && top?.reason === 'root' && top.node.span.service === chain[0]) {
      // The app's work in a trace of its own that reached the next service: a request sent outside the
      // journey (its root a CLIENT span, or the outbox's flush that replayed it).
      if (reachFrom(top.node, chain, 0).reach >= 2) requests.push({ trace, root: top.node, level: 0 });
    }
  }
  if (!options.owner) dropOtherJourneys(runs, pieces, complete, chain);
  const namedRuns = options.owner !== undefined && lonely.length > 0;
  if (runs.length === 0 && fragments.length === 0 && detached.length === 0 && !namedRuns) {
    return { runs: [], problems: options.owner ? problems : wholeDumpChain(traces, chain) };
  }

  const runsAtStart = runs.length;
  /** Runs a batch consumer's fragment continues besides the run whose piece goes on in it, by fragment trace. */
  const sharers = new Map<TraceId, Run[]>();
  // Which services have spans anywhere: only asked when a run misses one, so found lazily.
  let servicesSeen: Set<string> | undefined;
  const seenAnywhere = (service: string): boolean => {
    if (!servicesSeen) {
      servicesSeen = new Set<string>();
      for (const trace of traces) for (const span of trace.spans) servicesSeen.add(span.service);
    }
    return servicesSeen.has(service);
  };
  const finished: Piece[] = [];
  fragments.sort((a, b) => a.root.span.startTimeMs - b.root.span.startTimeMs);
  /** Lonely traces a fragment was tied to: runs already. */
  const tiedLonely = new Set<Trace>();

  // Journeys only: the app's request in a trace of its own, tied by time to the journey trace it left (the
  // journey's span running when the request started, else the nearest).
  if (requests.length > 0 && lonely.length > 0) {
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
    // First the requests sent while a journey's span ran (trace per request), then the later ones (replays).
    const during = (request: Fragment, root: Span): boolean =>
      root.startTimeMs <= request.root.span.startTimeMs && request.root.span.startTimeMs <= root.endTimeMs;
    // Journey traces by their root's start, for the replays below.
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
    const ties: Array<{ request: (typeof candidates)[number]; journey: Trace; root: Span; repeats?: RepeatedCall }> =
      [];
    for (const pass of ['during', 'later'] as const) {
      for (const request of candidates) {
        if (claimedRequests.has(request.trace.traceId)) continue;
        // A request that named the journey itself is taken only while a journey span ran, or later when it
        // sends again a journey's call that got no answer: else it may well be a run of its own.
        if (pass === 'later' && request.run !== undefined) {
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
        if (!tie || (pass === 'during' && !during(request, tie.call))) continue;
        // A journey that sent this request itself, answered though no callee is in its trace (a hop that
        // started over), did not send it again from outside: the request is another run's. An attempt a
        // proxy answered 5xx before the request started is no such call: the request is its retry.
        if (sentItself(tie.owner, request.root.span, chain)) continue;
        journeys.claim(tie.owner);
        claimedRequests.add(request.trace.traceId);
        const retried = failedAttempt(tie.owner, request.root.span, chain);
        const repeats = retried && { call: retried, named: request.run !== undefined };
        ties.push({ request, journey: tie.owner, root: tie.call, ...(repeats ? { repeats } : {}) });
      }
    }
    const dropped = new Set<Run>();
    for (const { request, journey, root, repeats } of ties) {
      tiedLonely.add(journey);
      // A request that named the journey counted as a run of its own: it is the journey trace's run now.
      if (request.run) dropped.add(request.run);
      const run = newRun(journey);
      run.fragments = [request.trace.traceId];
      runs.push(run);
      problems.push(
        requestOutsideJourney(chain[0] as string, chain[1] as string, request.root.span, journey, root, repeats),
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

  for (let level = 1; level < chain.length; level++) {
    const caller = chain[level - 1] as string;
    const waiting = pieces.filter((piece) => piece.reach === level);
    // A shared fragment another journey's run took by a link or a call running when it started is not ours.
    const here = fragments.filter((fragment) => fragment.level === level && !claimedElsewhere(fragment, options));
    const calledOutside = detached.filter((fragment) => fragment.level === level);
    const rest = pieces.filter((piece) => piece.reach !== level);
    pieces.length = 0;
    for (const piece of rest) pieces.push(piece);
    if (here.length === 0 && calledOutside.length === 0) {
      for (const piece of waiting) finished.push(piece);
      continue;
    }
    if (level === 1)
      for (const trace of lonely) if (!tiedLonely.has(trace)) waiting.push({ run: undefined, trace, reach: 1 });
    const byTrace = new Map<TraceId, Piece>();
    for (const piece of waiting) byTrace.set(piece.trace.traceId, piece);

    // Routes the chain uses at this hop in runs that made it through, and what their calls say of the two
    // clocks (internal/callee-clock.ts).
    const soundRoutes = new Set<string>();
    const answered: Array<[Span, Span]> = [];
    for (const run of runs) {
      for (const node of run.trace.nodes) {
        if (node.span.service !== caller) continue;
        for (const child of node.children) {
          if (child.span.service !== chain[level] || !CALLEE_KINDS.has(child.span.kind)) continue;
          for (const key of routeKeys(child.span)) soundRoutes.add(key);
          const [client, server] = [node.span, child.span];
          if (client.kind === 'client' && server.kind === 'server') answered.push([client, server]);
        }
      }
    }
    // Calls nobody answered, by route, for tying fragments to the runs they split from. A trace of the app
    // that is no run yet (it reached nobody) counts only by calls on a route the sound runs take here, when
    // there are such runs: a call on another route is another journey's (a checkout beside searches).
    const calls = new CallIndex<Piece>();
    const routes = new Set<string>(soundRoutes);
    // Routes compared as README says: every path segment holding a digit one placeholder (/carts/c-1002/...).
    const soundFamilies = new Set([...soundRoutes].map(routeFamily));
    const offset = calleeAheadMs(answered);
    for (const piece of waiting) {
      // The callee's span that an orphan of the run's own trace holds (a proxy rewrote the parent id): that
      // call was answered in the run's trace, and no new trace is its.
      const orphans = piece.trace.roots.filter(
        (top) =>
          top.reason === 'orphan' && top.node.span.service === chain[level] && CALLEE_KINDS.has(top.node.span.kind),
      );
      for (const call of unansweredCalls(piece.trace, caller)) {
        if (
          orphans.some((top) => runningAt(call, top.node.span.startTimeMs - offset) && sameRoute(call, top.node.span))
        )
          continue;
        const keys = routeKeys(call);
        if (
          piece.run === undefined &&
          soundFamilies.size > 0 &&
          !keys.some((key) => soundFamilies.has(routeFamily(key)))
        )
          continue;
        for (const key of keys) routes.add(key);
        calls.add(piece, call, keys);
      }
    }

    // Fragments and the calls running when each started, paired tightest first over the whole hop: tying in
    // start order alone lets an early fragment take a later one's call when runs overlap.
    const paired = calls.pairUp(
      here.map((fragment) => ({ span: fragment.root.span, keys: routeKeys(fragment.root.span) })),
      offset,
    );
    /** Fragments no waiting run took: maybe a second call of a run that completed the chain (see below). */
    const untied: Fragment[] = [];
    /** Fragments no waiting run's call ties while some run still waits: a complete run's call, or their own run. */
    const loose: Fragment[] = [];
    // Waiting pieces not yet claimed; a claim is for good, so claimed ones are dropped as they are met.
    const unclaimed = new Set(waiting);
    const anyUnclaimed = (): boolean => {
      for (const piece of unclaimed) {
        if (!calls.isClaimed(piece)) return true;
        unclaimed.delete(piece);
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
      if (linked) {
        from = linked;
        const link = links.find((l) => l.traceId === linked.trace.traceId);
        call = link ? linked.trace.nodeById.get(link.spanId)?.span : undefined;
        // The other runs it read a message of went on in it too.
        for (const other of linkedPieces.slice(1)) {
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
            caller,
            chain,
            level,
            options,
          );
          const list = sharers.get(fragment.trace.traceId);
          if (list) list.push(sharer);
          else sharers.set(fragment.trace.traceId, [sharer]);
        }
      } else {
        const keys = routeKeys(span);
        if (!keys.some((key) => routes.has(key))) {
          untied.push(fragment);
          continue;
        }
        const pair = paired.get(span);
        const usable = pair && (!calls.isClaimed(pair.owner) || pairedOwners.has(pair.owner));
        const tie = usable ? pair : calls.closest(span, keys, offset);
        // An orphan whose parent is nowhere in the dump is tied only to a call running when it started.
        const unknownParent = span.parentSpanId !== undefined && !spanElsewhere(span.parentSpanId);
        const running = tie !== undefined && runningAt(tie.call, span.startTimeMs - offset);
        if (tie && (running || !unknownParent)) {
          ({ owner: from, call, alike } = tie);
          nearest = !running;
          rivals = tie.rivals ?? 0;
          if (usable) pairedOwners.add(tie.owner);
        }
      }
      // A fragment naming no journey that another journey's run took on as good evidence, or a nearer guess, is
      // that run's: one request leaves one run.
      if (from && !linked && !claimShared(fragment, options, !nearest, call ? gapFrom(call, span, offset) : 0))
        continue;
      // A fragment naming no journey that none of this journey's runs ties to may be another journey's.
      if (!from && options.owner && options.owner(fragment.trace) === 'shared') {
        untied.push(fragment);
        continue;
      }
      // Every run got past this hop within its own trace, or was tied to a fragment a call of its explains,
      // so none is left to have split here: a request from a client that does not trace (curl, a test script,
      // a synthetic monitor, a health probe on a chain route), not a broken hop.
      if (!from && runsAtStart > 0 && !anyUnclaimed()) {
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
      const accepted = linked !== undefined && options.acceptLinks === true;
      if (!accepted) {
        const last = call ?? from?.last;
        problems.push(
          linked !== undefined && from !== undefined
            ? linkedNotParented(caller, chain[level] as string, span, from.trace, last)
            : from
              ? brokenAt(caller, chain[level] as string, span, from.trace, last, {
                  starts: level === 1,
                  alike,
                  nearest,
                  rivals,
                })
              : fragmentOnly(caller, chain[level] as string, span, level === 1),
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
    );
    for (const fragment of loose) {
      if (tied.has(fragment)) continue;
      const run = newRun(fragment.trace);
      runs.push(run);
      problems.push(fragmentOnly(caller, chain[level] as string, fragment.root.span, level === 1));
      const next = reachFrom(fragment.root, chain, level);
      pieces.push({ run, trace: fragment.trace, reach: next.reach, ...(next.last ? { last: next.last } : {}) });
    }
    tieDetached(calledOutside, waiting, calls, caller, chain, level, runs, tiedLonely, pieces, problems);
    tiedHere.sort((a, b) => a.start - b.start);
    for (const piece of waiting) {
      if (calls.isClaimed(piece) || !piece.run) continue;
      const alsoFits = fitsElsewhere(piece, tiedHere, caller);
      finished.push(alsoFits.length > 0 ? { ...piece, alsoFits } : piece);
    }
  }
  for (const piece of pieces) finished.push(piece);
  // A trace named after the journey that nothing continued is a run that stopped at the app.
  if (options.owner) {
    for (const trace of lonely) {
      if (tiedLonely.has(trace)) continue;
      const run = newRun(trace);
      runs.push(run);
      const last = lonelyLast.get(trace);
      finished.push({ run, trace, reach: 1, ...(last ? { last } : {}) });
    }
  }

  for (const piece of finished) judgeWithin(piece, chain, seenAnywhere, problems);
  shareDownstream(sharers, runs);
  // Fragments on routes no caller used are left alone, as another journey's; if that leaves no run at all,
  // the chain ran nowhere, and a verdict of no problems would pass a dump that never showed it.
  if (runs.length === 0 && problems.length === 0 && !options.owner)
    return { runs, problems: wholeDumpChain(traces, chain) };
  // Runs found from fragments were added late: put every run in trace order (start time, then id).
  if (runs.length > runsAtStart || tiedLonely.size > 0) {
    const order = new Map<Trace, number>();
    traces.forEach((trace, i) => void order.set(trace, i));
    runs.sort((a, b) => (order.get(a.trace) ?? 0) - (order.get(b.trace) ?? 0));
  }
  return { runs, problems };
}

/**
 * Ties each call `caller` made outside its request's context (a trace of its own, rooted at that call) to
 * the run whose span of `caller` was running when the call started; a call no run was running for (a
 * background job's) is left alone. The run goes on in the call's trace.
 */
function tieDetached(
  calledOutside: readonly Fragment[],
  waiting: readonly Piece[],
  calls: CallIndex<Piece>,
  caller: string,
  chain: readonly string[],
  level: number,
  runs: Run[],
  tiedLonely: Set<Trace>,
  pieces: Piece[],
  problems: ChainProblem[],
): void {
  if (calledOutside.length === 0) return;
  const holders = new CallIndex<Piece>();
  for (const piece of waiting)
    if (piece.last?.service === caller && !calls.isClaimed(piece)) holders.add(piece, piece.last, ['request']);
  for (const fragment of [...calledOutside].sort((a, b) => a.root.span.startTimeMs - b.root.span.startTimeMs)) {
    const call = fragment.root.span;
    const tie = holders.closest(call, ['request']);
    if (!tie || call.startTimeMs < tie.call.startTimeMs || call.startTimeMs > tie.call.endTimeMs) continue;
    const from = tie.owner;
    holders.claim(from);
    calls.claim(from);
    const run = joinRun(from, fragment.trace, runs, tiedLonely);
    problems.push(callOutsideRequest(caller, chain[level] as string, call, from.trace, tie.call, tie.alike));
    const next = reachFrom(fragment.root, chain, level - 1);
    pieces.push({ run, trace: fragment.trace, reach: next.reach, ...(next.last ? { last: next.last } : {}) });
  }
}

/**
 * A run can get past a hop and still lose the context of another call on it (a capture after an authorize,
 * a redirect followed without the trace headers): the callee's SERVER span then starts a trace of its own
 * while the caller's CLIENT span for it stays unanswered in the run. Each fragment still untied is tied to
 * such a call of a run that completed the chain, or got past this hop (`ahead`: pieces further down the
 * chain), when both name the same route and the call was running when the fragment started; a request
 * from a client that does not trace has no such call. A run still short of the chain's end goes on in the
 * fragment when the fragment gets further. Returns the fragments it tied.
 */
function tieToCompleteRuns(
  untied: readonly Fragment[],
  complete: readonly Trace[],
  ahead: Piece[],
  runs: readonly Run[],
  caller: string,
  chain: readonly string[],
  level: number,
  offset: number,
  problems: ChainProblem[],
  options: ChainOptions,
): Set<Fragment> {
  const tied = new Set<Fragment>();
  if (untied.length === 0) return tied;
  interface Holder {
    readonly trace: Trace;
    readonly call: Span;
    readonly piece?: Piece;
  }
  const calls = new CallIndex<Holder>();
  let any = false;
  // A call that never reached a server (refused, unreachable: the attempt a retry or a replay repeats) sent no
  // request for a callee to start a trace with; a request another client sent meanwhile is not its.
  for (const trace of complete) {
    for (const call of unansweredCalls(trace, caller)) {
      if (neverSent(call)) continue;
      calls.add({ trace, call }, call, routeKeys(call));
      any = true;
    }
  }
  for (const piece of ahead) {
    if (!piece.run || piece.reach <= level) continue;
    for (const call of unansweredCalls(piece.trace, caller)) {
      if (neverSent(call)) continue;
      calls.add({ trace: piece.trace, call, piece }, call, routeKeys(call));
      any = true;
    }
  }
  if (!any) return tied;
  const runOf = new Map<Trace, Run>();
  for (const run of runs) runOf.set(run.trace, run);
  for (const fragment of untied) {
    const span = fragment.root.span;
    if (claimedElsewhere(fragment, options)) continue;
    const tie = calls.closest(span, routeKeys(span), offset);
    if (!tie || !runningAt(tie.call, span.startTimeMs - offset)) continue;
    const holder = tie.owner;
    const run = holder.piece?.run ?? runOf.get(holder.trace);
    if (!run || !claimShared(fragment, options, true, 0)) continue;
    calls.claim(holder);
    tied.add(fragment);
    run.fragments =
      run.fragments === NO_FRAGMENTS ? [fragment.trace.traceId] : [...run.fragments, fragment.trace.traceId];
    problems.push(
      brokenAt(caller, chain[level] as string, span, holder.trace, tie.call, { starts: level === 1, alike: tie.alike }),
    );
    const piece = holder.piece;
    if (!piece) continue;
    const next = reachFrom(fragment.root, chain, level);
    if (next.reach <= piece.reach) continue;
    removeWhere(ahead, (item) => item === piece);
    ahead.push({ run, trace: fragment.trace, reach: next.reach, ...(next.last ? { last: next.last } : {}) });
  }
  return tied;
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

/** Whether another journey's run took this shared fragment by a span link or a call running when it started. */
function claimedElsewhere(fragment: Fragment, options: ChainOptions): boolean {
  const claim = options.claimedFragments?.get(fragment.trace.traceId);
  return claim !== undefined && claim.firm && claim.journey !== options.journeyName;
}

/**
 * Claims a shared fragment for this journey's run (a fragment of the journey's own, or without journeys, needs
 * none): false when another journey's run holds it on as good evidence (see FragmentClaim).
 */
function claimShared(fragment: Fragment, options: ChainOptions, firm: boolean, gapMs: number): boolean {
  const claims = options.claimedFragments;
  const journey = options.journeyName;
  if (!claims || journey === undefined || options.owner?.(fragment.trace) !== 'shared') return true;
  const claim = claims.get(fragment.trace.traceId);
  if (claim && claim.journey !== journey && (claim.firm || (!firm && claim.gapMs <= gapMs))) return false;
  claims.set(fragment.trace.traceId, { journey, firm, gapMs });
  return true;
}

/** How far (ms) a fragment's start, on its callers' clock, is from the start of the call it was tied to. */
function gapFrom(call: Span, fragment: Span, offset: number): number {
  return Math.abs(fragment.startTimeMs - offset - call.startTimeMs);
}

/**
 * Whether a trace's top span's service links, from any of its spans, to a span of another service in another
 * trace (a consumer to the message's PRODUCER span; a link whose span the dump lacks counts too).
 */
function linksOut(trace: Trace, top: TraceRoot, linkedService: (link: SpanLink) => string | undefined): boolean {
  const service = top.node.span.service;
  return trace.spans.some(
    (span) =>
      span.service === service &&
      (span.links ?? []).some((link) => link.traceId !== trace.traceId && linkedService(link) !== service),
  );
}

/**
 * A fragment's span links to other traces, from its top span's service: the top itself (a batch consumer's
 * CONSUMER span), or a span beneath it (a pull consumer's "receive" CLIENT span, or a push endpoint's SERVER
 * span, with the CONSUMER "process" span beneath that links to the message).
 */
function fragmentLinks(fragment: Fragment): SpanLink[] {
  const service = fragment.root.span.service;
  const links: SpanLink[] = [];
  for (const span of fragment.trace.spans) {
    if (span.service !== service) continue;
    for (const link of span.links ?? []) if (link.traceId !== fragment.trace.traceId) links.push(link);
  }
  return links;
}

/**
 * Ties a fragment to one more run it links to (a batch consumer reads the messages of several runs): the run
 * goes on in the fragment, broken there unless links are accepted.
 */
function tieLinked(
  from: Piece,
  call: Span | undefined,
  fragment: Fragment,
  calls: CallIndex<Piece>,
  runs: Run[],
  tiedLonely: Set<Trace>,
  problems: ChainProblem[],
  caller: string,
  chain: readonly string[],
  level: number,
  options: ChainOptions,
): Run {
  calls.claim(from);
  const run = joinRun(from, fragment.trace, runs, tiedLonely);
  if (options.acceptLinks !== true)
    problems.push(linkedNotParented(caller, chain[level] as string, fragment.root.span, from.trace, call ?? from.last));
  // The fragment goes on as the first linked run's piece; its problems count for this run too (see runKinds),
  // and what that piece met further on is shared with it at the end (shareDownstream).
  return run;
}

/**
 * Gives each run that shares a batch consumer's fragment the traces the fragment's own run went on in after
 * it: a break past the batch is every linked run's break.
 */
function shareDownstream(sharers: ReadonlyMap<TraceId, readonly Run[]>, runs: readonly Run[]): void {
  for (const [fragment, shared] of sharers) {
    const sharing = new Set(shared);
    const primary = runs.find((run) => !sharing.has(run) && run.fragments.includes(fragment));
    if (!primary) continue;
    const after = primary.fragments.slice(primary.fragments.indexOf(fragment) + 1);
    for (const run of shared) {
      const more = after.filter((traceId) => !run.fragments.includes(traceId));
      if (more.length > 0) run.fragments = [...run.fragments, ...more];
    }
  }
}

/** The unanswered call most likely meant for the next service: not a database call, else none. */
/**
 * The unanswered call that was meant for the next service: not a database query, and one that did not fail
 * when there is one (a retry that succeeded yet got no answer in the trace says more than the attempt that
 * failed before it).
 */
function callToNext(calls: readonly Span[]): Span | null {
  const meant = calls.filter((call) => !isDatabaseCall(call));
  return meant.find((call) => call.statusCode !== 2) ?? meant[0] ?? null;
}

/**
 * The run `from` belongs to (made now for a lonely trace a fragment tied to), going on in `fragment`: the
 * fragment's problems count for it.
 */
function joinRun(from: Piece, fragment: Trace, runs: Run[], tiedLonely: Set<Trace>): Run {
  let run = from.run;
  if (!run) {
    run = newRun(from.trace);
    runs.push(run);
    tiedLonely.add(from.trace);
  }
  run.fragments = run.fragments === NO_FRAGMENTS ? [fragment.traceId] : [...run.fragments, fragment.traceId];
  return run;
}

/** Removes the items `drop` picks, in place. */
/** A run that stopped inside one trace: the next service is elsewhere in it, or nowhere. */
function judgeWithin(
  piece: Piece,
  chain: readonly string[],
  seenAnywhere: (service: string) => boolean,
  problems: ChainProblem[],
): void {
  let { reach, last } = piece;
  const trace = piece.trace;
  while (reach < chain.length) {
    const previous = chain[reach - 1] as string;
    const next = chain[reach] as string;
    const entry = firstSpanOf(trace, next);
    if (!entry) {
      const later = chain.slice(reach + 1).find((service) => trace.spans.some((span) => span.service === service));
      problems.push(
        missingService(
          next,
          previous,
          trace,
          seenAnywhere(next),
          later,
          callToNext(unansweredCalls(trace, previous)),
          reach === piece.reach ? piece.alsoFits : undefined,
        ),
      );
      return;
    }
    const top = entry.root;
    if (top.reason === 'root' && top.node !== rootOf(trace, last))
      problems.push(secondRoot(previous, next, entry.node.span, trace, last, reach === 1));
    else if (top.reason === 'root' && !forwardedHere(trace, entry.node.span))
      problems.push(notBeneath(previous, next, entry.node.span, last, reach === 1));
    // An orphan or looped tree, or a forwarded traceparent, is explained by its own structural problem.
    const result = reachFrom(entry.node, chain, reach);
    reach = result.reach;
    last = result.last ?? last;
  }
}

/** A span of `service` (first in tree order) and the top of its tree. */
function firstSpanOf(
  trace: Trace,
  service: string,
): { node: SpanNode; root: { node: SpanNode; reason: string } } | undefined {
  for (const root of trace.roots) {
    const stack: SpanNode[] = [root.node];
    while (stack.length > 0) {
      const node = stack.pop() as SpanNode;
      if (node.span.service === service) return { node, root };
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as SpanNode);
    }
  }
  return undefined;
}

function rootOf(trace: Trace, span: Span | undefined): SpanNode | undefined {
  if (!span) return undefined;
  let current: Span | undefined = span;
  const visited = new Set<Span>();
  while (current && current.parentSpanId !== undefined && !visited.has(current)) {
    visited.add(current);
    const parent = trace.nodeById.get(current.parentSpanId);
    if (!parent) break;
    current = parent.span;
  }
  return current ? trace.nodeById.get(current.spanId) : undefined;
}

/** Whether `span` hangs under a CLIENT span of its caller's caller: the wrong-parent check names that. */
function forwardedHere(trace: Trace, span: Span): boolean {
  if (span.parentSpanId === undefined) return false;
  const parent = trace.nodeById.get(span.parentSpanId);
  if (!parent || !CALLER_KINDS.has(parent.span.kind)) return false;
  return parent.children.some((other) => forwardedFrom(parent, span, other) !== undefined);
}

/**
 * `broken-chain` and `missing-service` for an expected service chain (see judgeChain): every run of the chain
 * must hold a span of each named service, each beneath the previous one's.
 */
export function checkExpectedChain(traces: readonly Trace[], chain: readonly string[]): ChainProblem[] {
  return judgeChain(traces, chain).problems;
}

/** Kinds of the problems that touch a run's traces, in PROBLEM_KINDS order of first appearance. */
export function runKinds(
  run: ChainRun,
  problemsByTrace: ReadonlyMap<TraceId | null, ReadonlyArray<{ kind: ProblemKind }>>,
): ProblemKind[] {
  const kinds = new Set<ProblemKind>();
  for (const traceId of [run.traceId, ...run.fragments])
    for (const problem of problemsByTrace.get(traceId) ?? []) kinds.add(problem.kind);
  return [...kinds];
}
