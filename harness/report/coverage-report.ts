import type { Problem, ProblemKind, UnsettledJourneys, Warning } from '../verify';
import type { Criticality, JourneySpec } from './journeys';
import type { Platform } from './platform';
import type { JourneyRun } from './run-record';

// The shapes of a coverage report, apart from the code that computes them (report/coverage.ts) so the hop
// evaluation in internal/ and the renderers depend on the shapes only.

/** A hop either propagates context (caller -> callee) or must carry no trace headers (to a third party). */
export type HopKind = 'propagate' | 'no-trace-headers';
/** `not-run`: the journey never ran, or the hop cannot be checked from what was recorded. */
export type HopStatus = 'connected' | 'broken' | 'not-run';

/** One expectation of a journey: a caller -> callee edge of its chain, or a host that must get no trace headers. */
export interface HopResult {
  readonly from: string;
  readonly to: string;
  readonly kind: HopKind;
  /** "payment-api -> fraud-service" */
  readonly label: string;
  readonly status: HopStatus;
  /** Why the hop is not connected, in plain words; null when connected. */
  readonly reason: string | null;
  readonly problemKinds: readonly ProblemKind[];
  /** The caller's CLIENT span and the callee's SERVER span that prove (or break) the hop. */
  readonly callerTraceId: string | null;
  readonly callerSpanId: string | null;
  readonly calleeTraceId: string | null;
  readonly calleeSpanId: string | null;
}

/** Coverage of one declared journey. */
export interface JourneyCoverage {
  readonly name: string;
  readonly owner: string;
  readonly criticality: Criticality;
  readonly chain: readonly string[];
  /** connected / expected, 0..1. A journey that never ran has coverage 0. */
  readonly coverage: number;
  /** Number of hops the journey must cover. */
  readonly expected: number;
  /** Number of hops observed connected with correct parentage. */
  readonly covered: number;
  /** True only at 100%. */
  readonly complete: boolean;
  readonly threshold: number;
  /** coverage >= threshold */
  readonly passed: boolean;
  /** How many recorded runs the journey had; the worst one is reported. */
  readonly runs: number;
  /** The run whose hops are reported (the worst), or null when the journey never ran. */
  readonly runId: string | null;
  readonly firstBrokenHop: string | null;
  readonly firstBrokenReason: string | null;
  readonly hops: readonly HopResult[];
  readonly problems: readonly Problem[];
  /** The reported run's warnings: clock skew between a child and its parent, spans exported twice. */
  readonly warnings: readonly Warning[];
  /**
   * About how far (ms) the app's clock ran behind the backend's in the reported run (negative: ahead): a
   * request's arrival less the start of the app's CLIENT span that sent it, the shift that fits the most
   * requests (so a request's time on the wire counts in). 0 when the clocks agree to within a few hundred
   * ms or nothing ties a request to a span; null when the run has no capture log (an OTLP dump) or the
   * journey never ran.
   */
  readonly appClockOffsetMs: number | null;
}

/** One platform's thresholds: each part left out takes the top-level value. */
export interface PlatformThresholds {
  readonly suite?: number;
  readonly journey?: number;
  readonly journeys?: Readonly<Record<string, number>>;
}

/**
 * Coverage thresholds, 0..1. `journeys` overrides `journey` per journey name; `platforms` overrides any of
 * them for the runs of one platform (e.g. `{ android: { journeys: { checkout: 0.66 } } }`).
 */
export interface Thresholds {
  readonly suite: number;
  readonly journey: number;
  readonly journeys: Readonly<Record<string, number>>;
  readonly platforms?: Readonly<Partial<Record<Platform, PlatformThresholds>>>;
}

/** Thresholds as configured: any part left out takes its default. */
export type ThresholdOptions = Partial<Thresholds>;

/** Coverage of the runs of one platform, judged against that platform's thresholds. */
export interface PlatformCoverage {
  readonly platform: Platform;
  /** Covered journeys / declared journeys on this platform, 0..1. */
  readonly coverage: number;
  readonly declared: number;
  readonly coveredJourneys: number;
  /** The thresholds that apply on this platform (top level, overridden by `thresholds.platforms[platform]`). */
  readonly thresholds: Thresholds;
  readonly passed: boolean;
  /** Every declared journey, from this platform's runs only (never run here = 0). */
  readonly journeys: readonly JourneyCoverage[];
}

/** The whole picture: enough to re-render every report and to merge shards. */
export interface CoverageReport {
  readonly version: 1;
  readonly generatedAt: string;
  /** Covered journeys / declared journeys, 0..1. */
  readonly coverage: number;
  readonly declared: number;
  readonly coveredJourneys: number;
  readonly thresholds: Thresholds;
  /**
   * True when the suite and every journey meet their thresholds; when runs name platforms, when every
   * platform does (each judged on its own runs).
   */
  readonly passed: boolean;
  /** Every declared journey over all runs (the worst run decides, whatever its platform). */
  readonly journeys: readonly JourneyCoverage[];
  /** One entry per platform that recorded a run, in the order ios, android, web; empty when no run names one. */
  readonly platforms: readonly PlatformCoverage[];
  /** Names of recorded journeys that the journeys file does not declare (ignored for coverage). */
  readonly undeclared: readonly string[];
  /**
   * Only when the runs read from a trace dump were judged as `tracehop check --journeys` judges it and the
   * journeys judged again did not settle (see Verdict.unsettled): which journeys, and check's note on it.
   */
  readonly unsettled?: UnsettledJourneys;
  /** The declared journeys and the (redacted) runs, so `tracehop report --merge` can rebuild everything. */
  readonly spec: readonly JourneySpec[];
  readonly runs: readonly JourneyRun[];
}
