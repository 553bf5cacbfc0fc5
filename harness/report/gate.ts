import { failure } from '../internal/messages';
import type { Failure } from '../internal/result';
import { percent, type CoverageReport, type JourneyCoverage, type Thresholds } from './coverage';

/**
 * Why the gate fails: no declared journey recorded a run (`nothing-recorded`), the runs hold nothing to check
 * (`nothing-verified`), or coverage is below a threshold (`below-threshold`).
 */
export type GateReason = 'nothing-recorded' | 'nothing-verified' | 'below-threshold';

/** The gate's verdict: ok, or one message naming each journey below its threshold and its first broken hop. */
export type GateResult = { ok: true } | Failure<GateReason>;

/** What falls short in one suite (the whole run, or one platform's runs), each part prefixed. */
function belowThresholds(
  suite: {
    readonly coverage: number;
    readonly thresholds: Thresholds;
    readonly coveredJourneys: number;
    readonly declared: number;
    readonly journeys: readonly JourneyCoverage[];
  },
  prefix: string,
): string[] {
  const parts: string[] = [];
  if (suite.coverage < suite.thresholds.suite) {
    parts.push(
      `${prefix}suite coverage ${percent(suite.coverage)} is below ${percent(suite.thresholds.suite)} (${suite.coveredJourneys} of ${suite.declared} journeys covered)`,
    );
  }
  for (const journey of suite.journeys) {
    if (journey.passed) continue;
    const where =
      journey.runId === null
        ? 'it never ran'
        : `first broken hop ${journey.firstBrokenHop}: ${journey.firstBrokenReason}`;
    parts.push(
      `${prefix}${journey.name} ${percent(journey.coverage)} is below ${percent(journey.threshold)}, ${where}`,
    );
  }
  return parts;
}

/**
 * Decides the CI gate. `reportPath` (e.g. "artifacts/tracehop/report.html") is named in the message so
 * the reader knows where to look.
 */
export function evaluateGate(report: CoverageReport, reportPath?: string): GateResult {
  // Thresholds of 0 would pass a run that recorded nothing (recorder not called, wrong names): never green.
  if (report.journeys.every((journey) => journey.runId === null)) {
    const undeclared =
      report.undeclared.length > 0
        ? ` (runs were recorded only for undeclared journeys: ${report.undeclared.join(', ')})`
        : '';
    return {
      ok: false,
      reason: 'nothing-recorded',
      message: failure(
        'pass the trace coverage gate',
        `no declared journey recorded a run${undeclared}, so nothing was verified`,
        'Run each journey spec inside journey() from tracehop/detox, which records its run (a spec that fails before journey() ends, or does not compile, records none: see its error above), or call recordJourney({ journey, spans, captures }) from another runner; either way name a journey of the journeys file.',
      ),
    };
  }
  // A run that recorded neither a span nor a request verified nothing either.
  const declared = new Set(report.journeys.map((journey) => journey.name));
  if (!report.runs.some((run) => declared.has(run.journey) && (run.spans.length > 0 || run.captures.length > 0))) {
    return {
      ok: false,
      reason: 'nothing-verified',
      message: failure(
        'pass the trace coverage gate',
        'the recorded runs hold no span and no captured request, so nothing was verified',
        "Under journey() from tracehop/detox, the journeys' steps sent no request and the app exported no span before their deadline: see each spec's error above (the app's launch, its backend URL). From another runner, pass recordJourney the spans of the backend store (after waiting for them) and its captures().",
      ),
    };
  }
  if (report.passed) return { ok: true };
  // With platforms, each is named: "android: checkout 66% is below 100%, ...".
  const parts =
    report.platforms.length === 0
      ? belowThresholds(report, '')
      : report.platforms.flatMap((entry) => belowThresholds(entry, `${entry.platform}: `));
  const hint = reportPath
    ? `Open ${reportPath} to see each broken link.`
    : 'Fix the broken hops or lower the thresholds.';
  return {
    ok: false,
    reason: 'below-threshold',
    message: failure('pass the trace coverage gate', parts.join('; '), hint),
  };
}
