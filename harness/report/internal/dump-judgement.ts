/**
 * Runs read from a trace dump (runsFromSpans), judged as `tracehop check --journeys` judges that dump: once,
 * with every journey that has a run in it, so journeys that share a chain share its new traces (one fragment
 * is one request, left by one run) with the same claims and take-overs.
 */
import type { Span, TraceId } from '../../model';
import { verifySpans, type Problem, type UnsettledJourneys, type Warning } from '../../verify';
import type { JourneySpec } from '../journeys';
import { journeyChains, journeysByTrace } from '../otlp-runs';
import type { JourneyRun } from '../run-record';

/** What the verifier found in one run's share of a dump: the problems and warnings on its traces. */
export interface RunReading {
  readonly problems: Problem[];
  readonly warnings: Warning[];
  /** The dump's judgement did not settle (see Verdict.unsettled): the same for every run of that dump. */
  readonly unsettled?: UnsettledJourneys;
}

/** Which dump a run was read from: runsFromSpans gives the runs of one dump one time and one run id suffix. */
const dumpOf = (run: JourneyRun): string => `${run.recordedAt}\u0000${run.runId.slice(run.journey.length)}`;

/**
 * The reading of every run from a dump whose traces name a declared journey, judged together with the other
 * journeys' runs from that dump, in the journeys file's order. A run keeps the problems on its traces but for
 * a new trace that another journey's run took, and the chain problems its own journey's judgement found.
 * Recorded runs, and runs from dumps that name no journey (each judged alone against its chain), are left out.
 * `claimed` is the app's stray requests already taken (see VerifyOptions.claimedRequests); this adds to it.
 */
export function judgeDumpRuns(
  spec: readonly JourneySpec[],
  runs: readonly JourneyRun[],
  claimed: Set<TraceId>,
): Map<JourneyRun, RunReading> {
  const dumps = new Map<string, JourneyRun[]>();
  for (const run of runs) {
    if (run.source !== 'otlp') continue;
    const same = dumps.get(dumpOf(run));
    if (same) same.push(run);
    else dumps.set(dumpOf(run), [run]);
  }
  const readings = new Map<JourneyRun, RunReading>();
  for (const dump of dumps.values()) {
    const order = (run: JourneyRun): number => spec.findIndex((journey) => journey.name === run.journey);
    judgeDump(
      spec,
      [...dump].sort((a, b) => order(a) - order(b)),
      claimed,
      readings,
    );
  }
  return readings;
}

function judgeDump(
  spec: readonly JourneySpec[],
  runs: readonly JourneyRun[],
  claimed: Set<TraceId>,
  readings: Map<JourneyRun, RunReading>,
): void {
  // A trace shared by several journeys' runs is in each of them whole: take its spans once.
  const firstRun = new Map<TraceId, JourneyRun>();
  const spans: Span[] = [];
  for (const run of runs) {
    for (const span of run.spans) {
      const first = firstRun.get(span.traceId) ?? run;
      firstRun.set(span.traceId, first);
      if (first === run) spans.push(span);
    }
  }
  const owners = journeysByTrace(spec, spans);
  if (owners.size === 0) return;
  const journeys = spec.filter((journey) => runs.some((run) => run.journey === journey.name));
  const verdict = verifySpans(spans, { journeys: journeyChains(journeys, owners), claimedRequests: claimed });
  // Which journeys' runs hold each trace, as the run's own trace or a new trace tied to it.
  const holders = new Map<TraceId, Set<string | null>>();
  const chainProblems = new Set<Problem>();
  for (const judged of verdict.chains) {
    for (const problem of judged.problems) chainProblems.add(problem);
    for (const run of judged.runs) {
      for (const id of [run.traceId, ...run.fragments]) {
        const names = holders.get(id) ?? new Set<string | null>();
        names.add(judged.journey);
        holders.set(id, names);
      }
    }
  }
  for (const run of runs) {
    const traces = new Set(run.spans.map((span) => span.traceId));
    const held = (id: TraceId): boolean => {
      const names = holders.get(id);
      return names === undefined || names.has(run.journey);
    };
    const mine = (id: TraceId | null): boolean => id === null || (traces.has(id) && held(id));
    readings.set(run, {
      problems: [
        ...verdict.problems.filter((problem) => !chainProblems.has(problem) && mine(problem.traceId)),
        ...(verdict.chains.find((judged) => judged.journey === run.journey)?.problems ?? []),
      ],
      warnings: verdict.warnings.filter((warning) => mine(warning.traceId)),
      ...(verdict.unsettled ? { unsettled: verdict.unsettled } : {}),
    });
  }
}
