/**
 * tracehop/report: trace coverage per critical journey (and per platform), the CI gate, and the reports people
 * read (Markdown, JSON, JUnit, HTML), from the journeys file and the run records that `journey()` and
 * `recordJourney` write or that `tracehop report --spans` builds from trace dumps.
 */

// Journeys
export { CRITICALITIES, JOURNEY_SCHEMA, checkJourneys, parseJourneys, loadJourneys } from './journeys';

// Platforms, and the platform of the Detox device a run ran on (read structurally from Detox's worker global)
export { PLATFORMS, isPlatform } from './platform';
export { detoxPlatform, platformOfDeviceType } from './device-platform';

// Run records
export { RUN_SCHEMA, checkJourneyRun, parseJourneyRun } from './run-record';
export { readRuns } from './read-runs';
export {
  JOURNEY_ATTRIBUTES,
  journeyChains,
  journeysByTrace,
  namesAnyJourney,
  runsFromSpans,
  undeclaredJourneyNames,
  undeclaredJourneysNote,
} from './otlp-runs';

// Coverage and the gate
export {
  DEFAULT_THRESHOLDS,
  checkThresholdKeys,
  checkThresholds,
  computeCoverage,
  percent,
  platformThresholds,
  resolveThresholds,
} from './coverage';
export { evaluateGate } from './gate';
export { mergeCoverage, parseCoverageFile } from './merge';
export { loadPreviousCoverage, parsePreviousCoverage } from './previous';

// Secrets
export { DEFAULT_REDACTED_HEADERS, REDACTED, createRedactor } from './redact';

// Renderers
export { renderHtml } from './render-html';
export { renderJson } from './render-json';
export { renderJunit } from './render-junit';
export { renderMarkdown } from './render-markdown';
export { redactReport, writeReports } from './write-reports';

export type { Criticality, JourneySpec, JourneysResult } from './journeys';
export type { JourneyRun, JourneyRunResult } from './run-record';
export type { Platform } from './platform';
export type { ReadRunsResult } from './read-runs';
export type {
  CoverageOptions,
  CoverageReport,
  HopKind,
  HopResult,
  HopStatus,
  JourneyCoverage,
  PlatformCoverage,
  PlatformThresholds,
  ThresholdOptions,
  ThresholdReason,
  Thresholds,
} from './coverage';
export type { GateReason, GateResult } from './gate';
export type { ReportInputFailure, ReportInputReason } from './input-reason';
export type { CoverageInput } from './merge';
export type { PreviousCoverage, PreviousCoverageResult } from './previous';
export type { Redactor } from './redact';
export type { HtmlOptions } from './render-html';
export type { ReportFiles, WriteReportsOptions } from './write-reports';
