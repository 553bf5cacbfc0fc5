import { hasTime, type Span, type Trace, type TraceId } from '../model';
import type { Run } from './internal/chain-pieces';
import { sortTraces } from './internal/chain-traces';
import { newRun } from './internal/chain-pieces';
import { shareDownstream } from './internal/fragment-links';
import { tieHop } from './internal/hop-ties';
import { dropOtherJourneys } from './internal/journey-requests';
import { HopHeaders } from './internal/context-headers';
import { judgeWithin } from './internal/judge-within';
import type { Judging } from './internal/judging';
import { tieStrayRequests } from './internal/stray-requests';
import type { BrokenChainProblem, MissingServiceProblem, ProblemKind } from './problem';
import { wholeDumpChain } from './whole-dump-chain';

import type { FragmentClaims } from './internal/fragment-claims';

export type { FragmentClaims };

/** A chain problem: what `--expect` and journeys report beyond the structural checks. */
export type ChainProblem = BrokenChainProblem | MissingServiceProblem;

/** How one journey's traces are told from the others'. */
export type TraceOwner = 'own' | 'shared' | 'other';

/** Options of {@link judgeChain}. */
export interface ChainOptions {
  /** Accept a CONSUMER that starts a new trace with a span link to its PRODUCER (batch consumers). */
  readonly acceptLinks?: boolean;
  /**
   * Which journey a trace belongs to: only `own` traces can start a run, `shared` ones (naming no journey)
   * can be fragments of a run, `other` ones are never judged. Default: every trace is `own`.
   */
  readonly owner?: (trace: Trace) => TraceOwner;
  /**
   * With `owner`: the app's requests in traces of their own that an earlier judgement already tied to one of
   * its runs (a request counts for one journey only); this judgement adds those it ties. Journeys judged
   * together share a request naming no journey through `claimedFragments` instead, so their order is moot.
   */
  readonly claimedRequests?: Set<TraceId>;
  /**
   * With `owner`: the journey's name. A trace whose root is an app span that does not name the journey (an
   * outbox flush) but holds an app CLIENT span tagged with it is that request, sent outside the journey.
   */
  readonly journeyName?: string;
  /**
   * With `owner` and `journeyName`: which journey's run each new trace naming no journey (a shared fragment)
   * goes to, shared by the judgements of one dump (see FragmentClaims). Each judgement adds its offers.
   */
  readonly claimedFragments?: FragmentClaims;
}

/** One run of a chain: the trace that started it and the traces it split into. */
export interface ChainRun {
  readonly traceId: TraceId;
  /** The traces it split into: the fragments tied to it (most runs have none). */
  readonly fragments: readonly TraceId[];
}

/** What {@link judgeChain} returns: each run of the chain with its verdict, and the problems found along it. */
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
 * over the whole dump (with `owner`, when the journey has traces of its own, over those not another journey's), so
 * that a missing service is still named.
 */
export function judgeChain(
  traces: readonly Trace[],
  chain: readonly string[],
  options: ChainOptions = {},
): ChainVerdict {
  const problems: ChainProblem[] = [];
  if (chain.length === 0) return { runs: [], problems };
  const sorted = sortTraces(traces, chain, options);
  const { runs, pieces, complete, lonely, fragments, detached } = sorted;
  if (!options.owner) dropOtherJourneys(runs, pieces, complete, chain);
  const namedRuns = options.owner !== undefined && lonely.length > 0;
  if (runs.length === 0 && fragments.length === 0 && detached.length === 0 && !namedRuns) {
    return { runs: [], problems: chainNowhere(traces, chain, options) };
  }
  fragments.sort((a, b) => a.root.span.startTimeMs - b.root.span.startTimeMs);
  const judging: Judging = {
    ...sorted,
    traces,
    chain,
    options,
    problems,
    tiedLonely: new Set<Trace>(),
    finished: [],
    sharers: new Map<TraceId, Run[]>(),
    runsAtStart: runs.length,
    headers: new HopHeaders(traces),
  };

  tieStrayRequests(judging);
  for (let level = 1; level < chain.length; level++) tieHop(judging, level);
  judgeStopped(judging);
  // Fragments on routes no caller used are left alone, as another journey's; if that leaves no run at all,
  // the chain ran nowhere, and a verdict of no problems would pass a dump that never showed it.
  if (runs.length === 0 && problems.length === 0) return { runs, problems: chainNowhere(traces, chain, options) };
  // Runs found from fragments were added late: put every run in trace order (start time, then id).
  if (runs.length > judging.runsAtStart || judging.tiedLonely.size > 0) {
    const order = new Map<Trace, number>();
    traces.forEach((trace, i) => void order.set(trace, i));
    runs.sort((a, b) => (order.get(a.trace) ?? 0) - (order.get(b.trace) ?? 0));
  }
  return { runs, problems };
}

/**
 * The problems of a chain that has no run: searched over the whole dump, or with `owner` over the traces not
 * another journey's. A journey whose traces hold no run of its chain (a first service no span spells so)
 * verified nothing, which is no pass; a journey no trace names never ran, which the coverage report says.
 */
function chainNowhere(traces: readonly Trace[], chain: readonly string[], options: ChainOptions): ChainProblem[] {
  const owner = options.owner;
  if (!owner) return wholeDumpChain(traces, chain);
  if (!traces.some((trace) => owner(trace) === 'own')) return [];
  return wholeDumpChain(
    traces.filter((trace) => owner(trace) !== 'other'),
    chain,
  );
}

/**
 * The last step: each run that stopped is judged within its trace (a journey trace nothing continued stopped
 * at the app), and runs that share a batch consumer's fragment share what it met further on.
 */
function judgeStopped(judging: Judging): void {
  const { traces, chain, options, problems, runs, pieces, lonely, lonelyLast, tiedLonely, finished } = judging;
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
  // Which services have spans anywhere: only asked when a run misses one, so found lazily.
  let servicesSeen: Set<string> | undefined;
  const seenAnywhere = (service: string): boolean => {
    if (!servicesSeen) {
      servicesSeen = new Set<string>();
      for (const trace of traces) for (const span of trace.spans) servicesSeen.add(span.service);
    }
    return servicesSeen.has(service);
  };
  // The first span of a new trace no run took (one left a run of its own), by service, when it has no time
  // (hasTime): no timing could tie it.
  let untimedStarts: Map<string, Span> | undefined;
  const untimedStart = (service: string): Span | undefined => {
    if (!untimedStarts) {
      untimedStarts = new Map<string, Span>();
      const taken = new Set<TraceId>();
      for (const run of runs) for (const id of run.fragments) taken.add(id);
      for (const { trace, root } of judging.fragments)
        if (!hasTime(root.span) && !taken.has(trace.traceId) && !untimedStarts.has(root.span.service))
          untimedStarts.set(root.span.service, root.span);
    }
    return untimedStarts.get(service);
  };
  for (const piece of finished) judgeWithin(piece, chain, { seenAnywhere, untimedStart }, problems);
  shareDownstream(judging.sharers, runs);
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
