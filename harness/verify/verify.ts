import { groupTraces, repeatsSpanIds, type Span, type Trace, type TraceId } from '../model';
import { DEFAULT_SKEW_TOLERANCE_MS, findClockSkew } from './clock-skew';
import { findCycles } from './cycles';
import { foldDuplicateExports } from './duplicate-exports';
import { findDuplicateSpanIds } from './duplicate-span-ids';
import {
  judgeChain,
  runKinds,
  type ChainProblem,
  type ChainRun,
  type ChainVerdict,
  type TraceOwner,
} from './expected-chain';
import { FragmentClaims } from './internal/fragment-claims';
import { judgeUntilSettled, unsettledNote, type UnsettledJourneys } from './internal/settle';
import { findLostTraceStates } from './lost-tracestate';
import { findOrphanSpans } from './orphan-spans';
import type { Problem, ProblemKind, Warning } from './problem';
import { findSamplingMismatches } from './sampling-mismatch';
import { joinSharedSpans } from './shared-spans';
import { findWrongParents } from './wrong-parent';

export type { UnsettledJourneys } from './internal/settle';

/** A journey judged against its own chain: `owner` tells its traces from the others' (see judgeChain). */
export interface JourneyChain {
  readonly name: string;
  readonly chain: readonly string[];
  readonly owner?: (trace: Trace) => TraceOwner;
}

/** Options of {@link verifySpans}: the chain or journeys to judge runs against, links and skew tolerance. */
export interface VerifyOptions {
  /** Services every run must pass through, in order, each beneath the previous (e.g. mobile-app, api-gateway). */
  readonly expect?: readonly string[];
  /** Journeys, each with its own chain; their runs are named after them. */
  readonly journeys?: readonly JourneyChain[];
  /** Accept a CONSUMER that starts a new trace with a span link to its PRODUCER (batch consumers). */
  readonly acceptLinks?: boolean;
  /** Clock skew at or below this many milliseconds is not worth a warning. Default 1. */
  readonly skewToleranceMs?: number;
  /**
   * With `journeys`: traces of the app's requests sent outside a journey that a run already took (see
   * judgeChain). Each call adds to it; pass one set to the calls that judge the journeys of one dump apart.
   */
  readonly claimedRequests?: Set<TraceId>;
}

/** The verdict on one run: the trace that started it, its journey (null for `expect`), its problem kinds. */
export interface RunVerdict {
  readonly traceId: TraceId;
  readonly journey: string | null;
  readonly ok: boolean;
  readonly kinds: readonly ProblemKind[];
}

/** The kinds of every sound run: one shared empty list, so a dump of many runs allocates none for them. */
const NO_KINDS: readonly ProblemKind[] = Object.freeze([]);

/**
 * One chain's judgement as it settled (a journey judged again after a take-over keeps only its last): its
 * runs, each with the fragments tied to it, and the chain problems it found. `journey` is null for `expect`.
 */
export interface ChainJudgement {
  readonly journey: string | null;
  readonly runs: readonly ChainRun[];
  readonly problems: readonly ChainProblem[];
}

/** What {@link verifySpans} returns: the traces, their problems and warnings, and each run's verdict. */
export interface Verdict {
  readonly traces: Trace[];
  /** Defects, trace by trace (structural checks first), then the chain verdicts. */
  readonly problems: Problem[];
  /** Never defects: clock skew between device and servers, spans exported twice. */
  readonly warnings: Warning[];
  /**
   * One verdict per run: with `expect` or `journeys`, the runs of each chain (fragments no run could be tied
   * to count as runs of their own); without, one per trace.
   */
  readonly runs: RunVerdict[];
  /**
   * With `expect` or `journeys`: each chain's own judgement, in the order judged (`expect` first), so a caller
   * can tell which journey found which chain problem and took which fragment (problems lists each once).
   */
  readonly chains: ChainJudgement[];
  /**
   * With `journeys`, only when the journeys judged again (see FragmentClaims) had not settled when the rounds
   * ran out: the journeys whose judgement still read claims that no longer held, and a note saying so.
   */
  readonly unsettled?: UnsettledJourneys;
}

/**
 * Groups spans into traces (B3 shared spans joined, see joinSharedSpans) and runs every check: re-sent spans,
 * orphans, duplicate ids, loops, wrong parents,
 * sampling changes, a tracestate lost between hops, each chain run by run, and clock-skew warnings.
 * @example verifySpans(spans, { expect: ['mobile-app', 'api-gateway', 'payment-api'] }).problems
 */
export function verifySpans(spans: readonly Span[], options: VerifyOptions = {}): Verdict {
  const traces = groupTraces(spans);
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const tolerance = options.skewToleranceMs ?? DEFAULT_SKEW_TOLERANCE_MS;
  for (let i = 0; i < traces.length; i++) {
    let trace = traces[i] as Trace;
    // Only a trace with a repeated span id can hold a re-sent or a shared span: most have none.
    if (repeatsSpanIds(trace)) {
      trace = joinSharedSpans(trace);
      const folded = foldDuplicateExports(trace);
      trace = folded.trace;
      traces[i] = trace;
      append(warnings, folded.warnings);
    }
    for (let c = 0; c < STRUCTURAL_CHECKS.length; c++)
      append(problems, (STRUCTURAL_CHECKS[c] as StructuralCheck)(trace));
    append(warnings, findClockSkew(trace, tolerance));
  }

  const chains: JourneyChain[] = [...(options.journeys ?? [])];
  const expectChain = options.expect && options.expect.length > 0 ? options.expect : undefined;
  const judged: ChainJudgement[] = [];
  const seen = new Set<string>();
  const addChainProblem = (problem: ChainProblem): void => {
    // Two journeys may judge one shared fragment: it is one problem.
    const key = `${problem.kind} ${problem.traceId} ${problem.spanId} ${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };
  if (expectChain) chains.unshift({ name: '', chain: expectChain });
  // The app's stray requests earlier calls took (see VerifyOptions.claimedRequests): each journey's judgement
  // starts from them, and those naming no journey go to the journey whose span fits them best (FragmentClaims).
  const claimedRequests = options.claimedRequests ?? new Set<TraceId>();
  const takenBefore = new Set(claimedRequests);
  // Which journey's run each new trace naming no journey goes to: one request leaves one run, so of the
  // journeys that tie it, the one with the best evidence (a span link, else the tightest fit of a call in
  // flight when it started: see FragmentOffer) takes it, whatever the journeys file's order.
  const claimedFragments = new FragmentClaims();
  const verdicts = new Map<JourneyChain, ChainVerdict>();
  /** The app's stray requests each journey's last judgement took. */
  const requestsOf = new Map<JourneyChain, Set<TraceId>>();
  const judge = (journey: JourneyChain): void => {
    const taken = new Set(takenBefore);
    verdicts.set(
      journey,
      judgeChain(traces, journey.chain, {
        ...(options.acceptLinks ? { acceptLinks: true } : {}),
        ...(journey.owner
          ? { owner: journey.owner, claimedRequests: taken, journeyName: journey.name, claimedFragments }
          : {}),
      }),
    );
    requestsOf.set(journey, taken);
  };
  for (const journey of chains) judge(journey);
  // A journey whose judgement read an offer that no longer holds (another journey offered better since, or
  // the offer that beat it is gone) is judged again; rounds repeat until none is, a few at most. Should they
  // run out, its verdict may hang on the journeys file's order, and the verdict must say so.
  const unsettled = judgeUntilSettled(
    chains.filter((journey) => journey.owner !== undefined),
    claimedFragments,
    judge,
  );
  for (const taken of requestsOf.values()) for (const id of taken) claimedRequests.add(id);
  for (const journey of chains) {
    const verdict = verdicts.get(journey) as ChainVerdict;
    for (const problem of verdict.problems) addChainProblem(problem);
    judged.push({
      journey: journey.name === '' && expectChain ? null : journey.name,
      runs: verdict.runs,
      problems: verdict.problems,
    });
  }

  const byTrace = new Map<TraceId | null, Problem[]>();
  for (const problem of problems) {
    const list = byTrace.get(problem.traceId);
    if (list) list.push(problem);
    else byTrace.set(problem.traceId, [problem]);
  }
  const runs: RunVerdict[] = [];
  if (chains.length === 0) {
    for (const trace of traces) {
      const kinds = byTrace.size === 0 ? NO_KINDS : runKinds({ traceId: trace.traceId, fragments: [] }, byTrace);
      runs.push({ traceId: trace.traceId, journey: null, ok: kinds.length === 0, kinds });
    }
  }
  for (const { journey, runs: chainRuns } of judged) {
    for (const run of chainRuns) {
      const kinds = byTrace.size === 0 ? NO_KINDS : runKinds(run, byTrace);
      runs.push({ traceId: run.traceId, journey, ok: kinds.length === 0, kinds });
    }
  }
  const verdict = { traces, problems, warnings, runs, chains: judged };
  return unsettled.length === 0 ? verdict : { ...verdict, unsettled: unsettledNote(unsettled) };
}

type StructuralCheck = (trace: Trace) => Problem[];

const STRUCTURAL_CHECKS: readonly StructuralCheck[] = [
  findOrphanSpans,
  findDuplicateSpanIds,
  findCycles,
  findWrongParents,
  findSamplingMismatches,
  findLostTraceStates,
];

// push(...items) overflows the argument limit on very large arrays.
function append<T>(target: T[], items: readonly T[]): void {
  // By index: called for every check of every trace, mostly with nothing to add.
  for (let i = 0; i < items.length; i++) target.push(items[i] as T);
}
