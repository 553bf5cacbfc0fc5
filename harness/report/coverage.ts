import { failure } from '../internal/messages';
import type { TraceId } from '../model';
import { fail, type Failure } from '../internal/result';
import {
  appClockOffsetMs,
  checkCaptures,
  findCorsRefusals,
  findInvalidHeaders,
  findLeakedHeaders,
  unsettledNote,
  verifySpans,
  type Problem,
  type UnsettledJourneys,
  type VerifyOptions,
  type Warning,
} from '../verify';
import { journeysByTrace } from './otlp-runs';
import { judgeDumpRuns, type RunReading } from './internal/dump-judgement';
import { evaluateHops, notRunHops } from './internal/hops';
import type { JourneySpec } from './journeys';
import { PLATFORMS, type Platform } from './platform';
import type { JourneyRun } from './run-record';
import type {
  CoverageReport,
  HopResult,
  JourneyCoverage,
  PlatformCoverage,
  PlatformThresholds,
  ThresholdOptions,
  Thresholds,
} from './coverage-report';

export type {
  CoverageReport,
  HopKind,
  HopResult,
  HopStatus,
  JourneyCoverage,
  PlatformCoverage,
  PlatformThresholds,
  ThresholdOptions,
  Thresholds,
} from './coverage-report';

/** Every journey and the suite must be fully covered unless configured otherwise. */
export const DEFAULT_THRESHOLDS: Thresholds = { suite: 1, journey: 1, journeys: {} };

/** Fills missing thresholds with the defaults (100%). */
export function resolveThresholds(options: ThresholdOptions = {}): Thresholds {
  return {
    suite: options.suite ?? DEFAULT_THRESHOLDS.suite,
    journey: options.journey ?? DEFAULT_THRESHOLDS.journey,
    journeys: { ...(options.journeys ?? {}) },
    ...(options.platforms && Object.keys(options.platforms).length > 0 ? { platforms: options.platforms } : {}),
  };
}

/** The thresholds for one platform's runs: its own values where set, the top-level ones elsewhere. */
export function platformThresholds(thresholds: Thresholds, platform: Platform): Thresholds {
  const own = thresholds.platforms?.[platform] ?? {};
  return {
    suite: own.suite ?? thresholds.suite,
    journey: own.journey ?? thresholds.journey,
    // A platform's `journey` is its default for every journey, so top-level per-journey values give way to it.
    journeys: { ...(own.journey === undefined ? thresholds.journeys : {}), ...(own.journeys ?? {}) },
  };
}

const isRatio = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;

/**
 * Why thresholds are refused: an unknown platform, a key that is no threshold, a value that is no ratio
 * 0..1, or a journey the journeys file does not declare.
 */
export type ThresholdReason = 'unknown-platform' | 'not-a-threshold' | 'not-a-ratio' | 'unknown-journey';

/** The thresholds an options object may hold, and how to write them. */
const THRESHOLD_KEYS = ['suite', 'journey', 'journeys', 'platforms'];
const THRESHOLDS_SHAPE = 'Write it as { suite: 1, journey: 1, journeys: { checkout: 0.5 } }.';

/**
 * Checks the shape of thresholds written in an untyped config (a Jest reporter's options): an object whose
 * keys are all thresholds, so a misspelt `suit` is refused rather than left at the default. `action` starts
 * the message ("read the tracehop reporter options"). The values are checkThresholds' business.
 */
export function checkThresholdKeys(thresholds: unknown, action: string): { ok: true } | Failure<'not-a-threshold'> {
  if (typeof thresholds !== 'object' || thresholds === null)
    return fail('not-a-threshold', failure(action, '"thresholds" is not an object', THRESHOLDS_SHAPE));
  const extra = Object.keys(thresholds).filter((key) => !THRESHOLD_KEYS.includes(key));
  if (extra.length === 0) return { ok: true };
  return fail(
    'not-a-threshold',
    failure(
      action,
      `thresholds.${extra[0]} is not a threshold`,
      'Thresholds are suite, journey (every journey), journeys (per journey name) and platforms (the same per platform), e.g. { suite: 1, journeys: { checkout: 0.5 }, platforms: { android: { journey: 0.8 } } }.',
    ),
  );
}

/**
 * Checks thresholds given in a config or on the command line: each is a ratio 0..1 (80 or "80%" would
 * silently fail or pass every run), and each per-journey threshold names a declared journey (a typo would
 * leave that journey at the default). Returns `{ ok: true }` when they are usable.
 */
export function checkThresholds(
  spec: readonly JourneySpec[],
  thresholds: ThresholdOptions,
): { ok: true } | Failure<ThresholdReason> {
  const action = 'apply the coverage thresholds';
  const hint = 'Write each threshold as a ratio between 0 and 1, such as 0.8.';
  const platforms = Object.entries((thresholds.platforms ?? {}) as Record<string, unknown>);
  const unknownPlatform = platforms.find(([name]) => !(PLATFORMS as readonly string[]).includes(name));
  if (unknownPlatform)
    return fail(
      'unknown-platform',
      failure(
        action,
        `platforms names "${unknownPlatform[0]}", which is not a platform`,
        `Platforms are ${PLATFORMS.join(', ')}.`,
      ),
    );
  const levels: Array<[string, PlatformThresholds]> = [
    ['', thresholds],
    ...platforms.map(([name, value]): [string, PlatformThresholds] => [
      `platforms.${name}.`,
      typeof value === 'object' && value !== null ? (value as PlatformThresholds) : {},
    ]),
  ];
  const badLevel = platforms.find(([, value]) => typeof value !== 'object' || value === null);
  if (badLevel)
    return fail('not-a-threshold', failure(action, `platforms.${badLevel[0]} is not an object`, THRESHOLDS_SHAPE));
  const extraKey = levels
    .slice(1)
    .flatMap(([prefix, level]) => Object.keys(level).map((key) => `${prefix}${key}`))
    .find((key) => !/\.(suite|journey|journeys)$/.test(key));
  if (extraKey)
    return fail(
      'not-a-threshold',
      failure(action, `thresholds.${extraKey} is not a threshold`, 'A platform takes suite, journey and journeys.'),
    );
  const values: Array<[string, unknown]> = levels.flatMap(([prefix, level]): Array<[string, unknown]> => [
    [`${prefix}suite`, level.suite],
    [`${prefix}journey`, level.journey],
    ...Object.entries(level.journeys ?? {}).map(([name, value]): [string, unknown] => [
      `${prefix}journeys["${name}"]`,
      value,
    ]),
  ]);
  const bad = values.find(([, value]) => value !== undefined && !isRatio(value));
  if (bad)
    return fail(
      'not-a-ratio',
      failure(action, `the ${bad[0]} threshold ${JSON.stringify(bad[1])} is not a ratio between 0 and 1`, hint),
    );
  const declared = spec.map((journey) => journey.name);
  const unknown = [...new Set(levels.flatMap(([, level]) => Object.keys(level.journeys ?? {})))].filter(
    (name) => !declared.includes(name),
  );
  if (unknown.length === 0) return { ok: true };
  const names = unknown.map((name) => `"${name}"`).join(', ');
  return fail(
    'unknown-journey',
    failure(
      action,
      `${unknown.length === 1 ? 'a threshold names journey' : 'thresholds name journeys'} ${names}, which the journeys file does not declare`,
      `Declared journeys: ${declared.join(', ')}.`,
    ),
  );
}

/**
 * The journey's chain, and, when the run's traces name journeys (a recorded run's tagged spans), which traces
 * are its own: a fragment naming no journey is then judged only when it ties to one of this journey's runs.
 * (Runs from a dump that names journeys are judged together instead: see judgeDumpRuns.)
 */
function chainOptions(journey: JourneySpec, run: JourneyRun, claimed: Set<TraceId>): VerifyOptions {
  const owners = journeysByTrace([journey], run.spans);
  if (owners.size === 0) return { expect: journey.chain };
  return {
    // Journeys judged apart share which of the app's stray requests a run already took.
    claimedRequests: claimed,
    journeys: [
      {
        name: journey.name,
        chain: journey.chain,
        owner: (trace) => (owners.has(trace.traceId) ? 'own' : 'shared'),
      },
    ],
  };
}

/**
 * The verifier's reading of the run against the journey's chain: the capture log's problems first (they
 * carry header evidence, so a hop's reason names the header that broke it), then the span checks, then
 * what the spec recorded that they did not find (for a run without a span: what the spec recorded, then the
 * capture log's). A spec need not run the verifier for its problems to count.
 * Its warnings (clock skew, spans exported twice) come along: never a defect, worth reading beside a waterfall.
 */
function runProblems(
  journey: JourneySpec,
  run: JourneyRun,
  claimed: Set<TraceId>,
  judged: RunReading | undefined,
): RunReading {
  const where = (problem: Problem): string => `${problem.kind}\u0000${problem.traceId}\u0000${problem.spanId}`;
  // Without a single span, the span checks can only say that nothing arrived (and blame each service for not
  // exporting, the mock ones too): what the spec recorded (which span never came, and the fix) leads, then
  // what the capture log alone shows (a CORS refusal, a header leaked to a third party).
  if (run.spans.length === 0 && run.problems.length > 0) {
    const recorded = new Set(run.problems.map(where));
    // Header mismatches and wrong parents would only restate that no span was exported.
    const shown = [
      ...findLeakedHeaders(run.captures),
      ...findInvalidHeaders(run.captures, []),
      ...findCorsRefusals(run.captures, []),
    ].filter((problem) => !recorded.has(where(problem)));
    return { problems: [...run.problems, ...shown], warnings: [] };
  }
  // A run from a dump was judged with the dump's other journeys (judgeDumpRuns); a recorded run is judged alone.
  const verdict = judged ?? verifySpans(run.spans, chainOptions(journey, run, claimed));
  const found: Problem[] = [];
  const seen = new Set<string>();
  for (const problem of [...checkCaptures(run.captures, run.spans), ...verdict.problems]) {
    const key = `${where(problem)}\u0000${problem.message}`;
    if (!seen.has(key)) found.push(problem);
    seen.add(key);
  }
  // A recorded problem about the same kind and span is the same finding, maybe in an older version's words.
  const places = new Set(found.map(where));
  for (const problem of run.problems) {
    if (places.has(where(problem))) continue;
    places.add(where(problem));
    found.push(problem);
  }
  return { problems: found, warnings: verdict.warnings };
}

const connectedCount = (hops: readonly HopResult[]): number => hops.filter((hop) => hop.status === 'connected').length;

function journeyCoverage(
  journey: JourneySpec,
  runs: readonly JourneyRun[],
  thresholds: Thresholds,
  claimed: Set<TraceId>,
  dumps: ReadonlyMap<JourneyRun, RunReading>,
): JourneyCoverage {
  const threshold = thresholds.journeys[journey.name] ?? thresholds.journey;
  let hops = notRunHops(journey);
  let chosen: JourneyRun | undefined;
  let problems: Problem[] = [];
  let warnings: Warning[] = [];
  // The worst run decides: a hop that breaks in any run is a break (flaky propagation is still broken).
  for (const run of [...runs].sort(
    (a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.runId.localeCompare(b.runId),
  )) {
    const found = runProblems(journey, run, claimed, dumps.get(run));
    const evaluated = evaluateHops(journey, { ...run, problems: found.problems });
    if (!chosen || connectedCount(evaluated) <= connectedCount(hops)) {
      hops = evaluated;
      chosen = run;
      problems = found.problems;
      warnings = found.warnings;
    }
  }
  const expected = hops.length;
  const covered = chosen ? connectedCount(hops) : 0;
  const coverage = !chosen ? 0 : expected === 0 ? 1 : covered / expected;
  const broken = hops.find((hop) => hop.status !== 'connected');
  return {
    name: journey.name,
    owner: journey.owner,
    criticality: journey.criticality,
    chain: journey.chain,
    coverage,
    expected,
    covered,
    complete: coverage === 1,
    threshold,
    passed: coverage >= threshold,
    runs: runs.length,
    runId: chosen?.runId ?? null,
    firstBrokenHop: broken?.label ?? (chosen ? null : '(never run)'),
    firstBrokenReason: broken?.reason ?? (chosen ? null : 'the journey never ran'),
    hops,
    problems,
    warnings,
    // Only a capture log ties the app's requests to its spans (runs from OTLP dumps have none); the app is the
    // chain's first service, whose spans the waterfall moves (another untagged caller's clock is not its).
    appClockOffsetMs:
      chosen && chosen.captures.length > 0
        ? appClockOffsetMs(
            chosen.captures,
            chosen.spans.filter((span) => span.service === journey.chain[0]),
          )
        : null,
  };
}

/** Suite and journey coverage of some runs against some thresholds. */
function suiteCoverage(
  spec: readonly JourneySpec[],
  runs: readonly JourneyRun[],
  thresholds: Thresholds,
): Pick<PlatformCoverage, 'coverage' | 'declared' | 'coveredJourneys' | 'passed' | 'journeys'> & {
  unsettled?: UnsettledJourneys;
} {
  // One set for the journeys of these runs, judged in the journeys file's order as tracehop check does.
  const claimed = new Set<TraceId>();
  // A dump's runs are judged at once, with all their journeys, so one new trace is blamed in one journey only.
  const dumps = judgeDumpRuns(spec, runs, claimed);
  const journeys = spec.map((journey) =>
    journeyCoverage(
      journey,
      runs.filter((run) => run.journey === journey.name),
      thresholds,
      claimed,
      dumps,
    ),
  );
  const coveredJourneys = journeys.filter((journey) => journey.complete).length;
  const coverage = spec.length === 0 ? 0 : coveredJourneys / spec.length;
  const unsettled = unsettledOf(spec, [...dumps.values()]);
  return {
    coverage,
    declared: spec.length,
    coveredJourneys,
    passed: coverage >= thresholds.suite && journeys.every((journey) => journey.passed),
    journeys,
    ...(unsettled ? { unsettled } : {}),
  };
}

/**
 * The dumps' judgements that did not settle, as one note in check's words: a dump's own, or, when several
 * dumps did not (merged shards), one naming all their journeys in the journeys file's order.
 */
function unsettledOf(spec: readonly JourneySpec[], readings: readonly RunReading[]): UnsettledJourneys | undefined {
  const notes = [
    ...new Map(
      readings.flatMap((reading) => (reading.unsettled ? [[reading.unsettled.message, reading.unsettled]] : [])),
    ).values(),
  ];
  if (notes.length <= 1) return notes[0];
  const names = new Set(notes.flatMap((note) => note.journeys));
  return unsettledNote(spec.map((journey) => journey.name).filter((name) => names.has(name)));
}

/** Options for computeCoverage. */
export interface CoverageOptions {
  readonly thresholds?: ThresholdOptions;
  /** Time stamp written into the report (defaults to now). */
  readonly generatedAt?: string;
}

/**
 * Trace coverage of declared journeys from recorded runs: per journey, the hops connected with correct
 * parentage over the hops expected; for the suite, the journeys covered at 100% over those declared.
 */
export function computeCoverage(
  spec: readonly JourneySpec[],
  runs: readonly JourneyRun[],
  options: CoverageOptions = {},
): CoverageReport {
  const thresholds = resolveThresholds(options.thresholds);
  const overall = suiteCoverage(spec, runs, thresholds);
  const platforms = PLATFORMS.filter((platform) => runs.some((run) => run.platform === platform)).map(
    (platform): PlatformCoverage => {
      const own = platformThresholds(thresholds, platform);
      return {
        platform,
        ...suiteCoverage(
          spec,
          runs.filter((run) => run.platform === platform),
          own,
        ),
        thresholds: own,
      };
    },
  );
  // With platforms, each is judged on its own runs and thresholds: Android may break while iOS holds.
  const journeys =
    platforms.length === 0
      ? overall.journeys
      : overall.journeys.map((journey) => ({
          ...journey,
          passed: platforms.every((entry) => entry.journeys.find((own) => own.name === journey.name)?.passed === true),
        }));
  const declaredNames = new Set(spec.map((journey) => journey.name));
  return {
    version: 1,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    coverage: overall.coverage,
    declared: spec.length,
    coveredJourneys: overall.coveredJourneys,
    thresholds,
    passed: platforms.length === 0 ? overall.passed : platforms.every((entry) => entry.passed),
    journeys,
    platforms,
    ...(overall.unsettled ? { unsettled: overall.unsettled } : {}),
    undeclared: [...new Set(runs.map((run) => run.journey).filter((name) => !declaredNames.has(name)))].sort(),
    spec,
    // One order however the runs were read or sharded, so merged shards write the same file as one run.
    runs: [...runs].sort(
      (a, b) =>
        a.journey.localeCompare(b.journey) ||
        a.recordedAt.localeCompare(b.recordedAt) ||
        a.runId.localeCompare(b.runId),
    ),
  };
}

/** A ratio as a whole percentage, rounded down so 99.9% never reads as 100%. */
export function percent(ratio: number): string {
  return `${wholePercent(ratio)}%`;
}

/** The number {@link percent} shows. */
export function wholePercent(ratio: number): number {
  return Math.floor(ratio * 100 + 1e-9);
}
