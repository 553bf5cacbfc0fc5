import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { failure, format } from '../internal/messages';
import { fail, type Failure } from '../internal/result';
import {
  checkThresholdKeys,
  checkThresholds,
  computeCoverage,
  evaluateGate,
  loadJourneys,
  loadPreviousCoverage,
  percent,
  readRuns,
  redactReport,
  writeReports,
  type ThresholdOptions,
} from '../report';
import { RUNS_DIR_ENV } from './record-journey';

/** Overrides the reporter's `outputDir` (relative to rootDir), e.g. for two runs on one machine at once. */
export const REPORT_DIR_ENV = 'TRACEHOP_REPORT_DIR';

/** Options of the coverage reporter, given in Jest's `reporters` array. */
export interface TracehopReporterOptions {
  /** Path of the journeys file (relative to Jest's rootDir). Required. */
  readonly journeysFile?: string;
  /**
   * Where the reports go (relative to rootDir); runs are read from `<outputDir>/runs`. Default
   * artifacts/tracehop; $TRACEHOP_REPORT_DIR, when set, wins.
   */
  readonly outputDir?: string;
  readonly thresholds?: ThresholdOptions;
  /** An earlier run's coverage.json, for the movement column of coverage.md. */
  readonly previousCoverage?: string;
  /** Header names to redact in addition to the default credential headers. */
  readonly redactHeaders?: readonly string[];
  /**
   * Whether coverage below the thresholds fails the Jest run. Default true, except under `jest --shard`,
   * where each shard sees only part of the journeys: gate the merged report with `tracehop report --merge`.
   */
  readonly gate?: boolean;
}

/** The parts of Jest's global config the reporter reads (structural, so no dependency on Jest's types). */
export interface ReporterGlobalConfig {
  readonly rootDir: string;
  readonly shard?: { readonly shardIndex: number; readonly shardCount: number } | null;
}

/** The parts of Jest's aggregated results the reporter reads. */
export interface ReporterRunResults {
  readonly startTime: number;
}

const OPTION_NAMES = ['journeysFile', 'outputDir', 'thresholds', 'previousCoverage', 'redactHeaders', 'gate'];

/** Names misspelt options: Jest config is untyped, and a dropped `redactHeaders` would leak a secret into the artifacts. */
function checkOptions(options: TracehopReporterOptions): { ok: true } | Failure<'unknown-option' | 'not-a-threshold'> {
  const action = 'read the tracehop reporter options';
  const extra = Object.keys(options).filter((key) => !OPTION_NAMES.includes(key));
  if (extra.length > 0)
    return fail(
      'unknown-option',
      failure(
        action,
        `${extra.map((key) => `"${key}"`).join(', ')} ${extra.length === 1 ? 'is not an option' : 'are not options'}`,
        `Options are ${OPTION_NAMES.join(', ')}.`,
      ),
    );
  return options.thresholds === undefined ? { ok: true } : checkThresholdKeys(options.thresholds, action);
}

/**
 * A Jest reporter that turns the runs recorded by `recordJourney` into coverage.json, coverage.md,
 * junit.xml and report.html, and fails the run when coverage is below the thresholds. It sits beside
 * Detox's own reporter: `reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', {...}]]`.
 */
export class TracehopReporter {
  private readonly rootDir: string;
  private readonly options: TracehopReporterOptions;
  private readonly outputDir: string;
  private readonly runsDir: string;
  private readonly sharded: boolean;
  private lastError: Error | undefined;

  constructor(globalConfig: ReporterGlobalConfig, options: TracehopReporterOptions = {}) {
    this.rootDir = globalConfig.rootDir;
    this.options = options;
    this.outputDir = resolve(
      this.rootDir,
      process.env[REPORT_DIR_ENV] || options.outputDir || join('artifacts', 'tracehop'),
    );
    this.runsDir = join(this.outputDir, 'runs');
    this.sharded = (globalConfig.shard?.shardCount ?? 1) > 1;
    // Workers are forked after reporters are built and inherit this, so specs write where we read.
    process.env[RUNS_DIR_ENV] = this.runsDir;
  }

  /**
   * Jest calls this before any test file runs. Run records of earlier runs are removed: coverage speaks of
   * this run only, and an old record in an older format must not fail it.
   */
  async onRunStart(): Promise<void> {
    await rm(this.runsDir, { recursive: true, force: true });
  }

  /** Jest calls this once every test file has finished. */
  async onRunComplete(_contexts: unknown, results: ReporterRunResults): Promise<void> {
    this.lastError = undefined;
    const options = checkOptions(this.options);
    if (!options.ok) return this.fail(options.message);
    const journeysFile = this.options.journeysFile;
    if (!journeysFile) {
      return this.fail(
        failure(
          'report trace coverage',
          'the reporter has no "journeysFile" option',
          'Add the path of your journeys.json to the reporter options in your Jest config.',
        ),
      );
    }
    const journeys = await loadJourneys(resolve(this.rootDir, journeysFile));
    if (!journeys.ok) return this.fail(journeys.message);
    const thresholds = checkThresholds(journeys.value, this.options.thresholds ?? {});
    if (!thresholds.ok) return this.fail(thresholds.message);

    const { runs, errors } = await readRuns(this.runsDir, { since: new Date(results.startTime) });
    for (const error of errors) process.stderr.write(`${error}\n`);

    let previous;
    if (this.options.previousCoverage) {
      const loaded = await loadPreviousCoverage(resolve(this.rootDir, this.options.previousCoverage));
      if (!loaded.ok) process.stderr.write(`${loaded.message}\n`);
      else previous = loaded.value;
    }

    // Redacted before the gate too: its message goes to CI logs, which are artifacts as well.
    const report = redactReport(
      computeCoverage(journeys.value, runs, { thresholds: this.options.thresholds }),
      this.options.redactHeaders,
    );
    const written = await writeReports(report, this.outputDir, { redactHeaders: this.options.redactHeaders, previous });
    if (!written.ok) return this.fail(written.message);

    process.stderr.write(
      `${format(`Trace coverage ${percent(report.coverage)} (${report.coveredJourneys} of ${report.declared} journeys fully covered); reports in ${written.value.html}`)}\n`,
    );
    if (this.options.gate === false || (this.options.gate === undefined && this.sharded)) return;
    const gate = evaluateGate(report, written.value.html);
    if (!gate.ok) this.fail(gate.message);
  }

  /** Jest marks the run failed (exit code 1) when a reporter returns an error here. */
  getLastError(): Error | undefined {
    return this.lastError;
  }

  private fail(message: string): void {
    process.stderr.write(`${message}\n`);
    this.lastError = new Error(message);
  }
}

export default TracehopReporter;
