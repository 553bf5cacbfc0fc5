import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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
  /** The test files this Jest run ran (Jest fills it; a Detox retry runs only the files that failed). */
  readonly testResults?: ReadonlyArray<{ readonly testFilePath: string }>;
}

/** Detox's test session when Jest runs under the Detox CLI: one id for every retry, and the retry index. */
export interface DetoxSession {
  readonly id: string;
  readonly index: number;
}

/**
 * The Detox CLI's session, read from `detox/internals` (its global setup has run by the time reporters
 * start); undefined outside the Detox CLI or without Detox.
 */
function currentDetoxSession(): DetoxSession | undefined {
  if (!Object.keys(process.env).some((key) => key.startsWith('DETOX_'))) return undefined;
  try {
    // An optional peer, loaded only under the Detox CLI.
    const internals = require('detox/internals') as { session?: { id?: unknown; testSessionIndex?: unknown } };
    const id = internals.session?.id;
    const index = internals.session?.testSessionIndex;
    return typeof id === 'string' && typeof index === 'number' ? { id, index } : undefined;
  } catch {
    return undefined;
  }
}

/** Where the reporter notes the Detox session its run records belong to. */
const SESSION_FILE = 'runs-session.json';

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
  /** Under a Detox retry: when the session's first attempt started (its run records count too). */
  private sessionStart: number | undefined;

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
   * this run only, and an old record in an older format must not fail it. A Detox retry (`detox test
   * --retries N` runs Jest again for the files that failed) keeps the records of its session's earlier
   * attempts: the journeys of the files that passed are not run again.
   */
  async onRunStart(): Promise<void> {
    const session = this.detoxSession();
    const file = join(this.outputDir, SESSION_FILE);
    this.sessionStart = undefined;
    if (session && session.index > 0) {
      const noted = await readFile(file, 'utf8').then(
        (text) => JSON.parse(text) as { id?: unknown; startedAt?: unknown },
        () => undefined,
      );
      if (noted?.id === session.id && typeof noted.startedAt === 'number') {
        this.sessionStart = noted.startedAt;
        return;
      }
    }
    await rm(this.runsDir, { recursive: true, force: true });
    await rm(file, { force: true });
    if (session) {
      await mkdir(this.outputDir, { recursive: true });
      await writeFile(file, `${JSON.stringify({ id: session.id, startedAt: Date.now() })}\n`);
    }
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

    const since = this.sessionStart ?? results.startTime;
    const read = await readRuns(this.runsDir, { since: new Date(since) });
    for (const error of read.errors) process.stderr.write(`${error}\n`);
    // A retried file's journeys ran again: its earlier attempt's records give way to this one's.
    const retried = new Set(
      this.sessionStart === undefined ? [] : (results.testResults ?? []).map((r) => r.testFilePath),
    );
    const runs = read.runs.filter(
      (run) =>
        run.testPath === undefined || !retried.has(run.testPath) || Date.parse(run.recordedAt) >= results.startTime,
    );

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
    const gated = !(this.options.gate === false || (this.options.gate === undefined && this.sharded));
    const ungated = gated
      ? undefined
      : this.options.gate === false
        ? 'not gated (gate: false)'
        : 'not gated here: one shard of several, `tracehop report --merge` gates them together';
    const written = await writeReports(report, this.outputDir, {
      redactHeaders: this.options.redactHeaders,
      previous,
      ...(ungated ? { ungated } : {}),
    });
    if (!written.ok) return this.fail(written.message);

    process.stderr.write(
      `${format(`Trace coverage ${percent(report.coverage)} (${report.coveredJourneys} of ${report.declared} journeys fully covered); reports in ${written.value.html}`)}\n`,
    );
    if (!gated) return;
    const gate = evaluateGate(report, written.value.html);
    if (!gate.ok) this.fail(gate.message);
  }

  /** The Detox CLI's session (Jest passes its own third constructor argument, so this is a method). */
  protected detoxSession(): DetoxSession | undefined {
    return currentDetoxSession();
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
