/**
 * tracehop/jest: matchers (typed by declaration merging), the journey recorder that specs call, and the
 * coverage reporter that runs beside Detox's own.
 */
import './matchers-types';

// Matchers
export { registerTracehopMatchers, tracehopMatchers } from './matchers';

// Journey runs, read by the reporter
export {
  DEFAULT_RUNS_DIR,
  FAILED_SPEC_FILES_DIR,
  JOURNEYS_ENV,
  REDACT_HEADERS_ENV,
  RUNS_DIR_ENV,
  TEST_PATH_GLOBAL,
  recordJourney,
} from './record-journey';

// Coverage reporter (also usable as `reporters: [['tracehop/jest/reporter', {...}]]`)
export { REPORT_DIR_ENV, TracehopReporter } from './reporter';

export type { ExtendableExpect, TraceMatcherResult } from './matchers';
export type { NoTraceProblemsOptions, TracehopMatchers } from './matchers-types';
export type { RecordJourneyOptions } from './record-journey';
export type { ReporterGlobalConfig, ReporterRunResults, TracehopReporterOptions } from './reporter';
