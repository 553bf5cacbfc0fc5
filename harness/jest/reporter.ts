import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TracehopError, failure, format } from '../internal/messages';
import {
  checkThresholds,
  computeCoverage,
  evaluateGate,
  loadJourneys,
  loadPreviousCoverage,
  percent,
  readRuns,
  redactReport,
  writeReports,
  type JourneySpec,
} from '../report';
import { FAILED_SPEC_FILES_DIR, JOURNEYS_ENV, REDACT_HEADERS_ENV, RUNS_DIR_ENV } from './record-journey';
import { checkOptions, type TracehopReporterOptions } from './reporter-options';

export type { TracehopReporterOptions } from './reporter-options';

/** Overrides the reporter's `outputDir` (relative to rootDir), e.g. for two runs on one machine at once. */
export const REPORT_DIR_ENV = 'TRACEHOP_REPORT_DIR';

/**
 * `off`: report coverage without failing the run on it, as when only some specs run (the gate needs every
 * journey); the `gate` option, when given, wins. `on` or unset: the default.
 */
export const COVERAGE_GATE_ENV = 'TRACEHOP_COVERAGE_GATE';

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

/** The four reports writeReports leaves in the output directory. */
const REPORT_FILES = ['coverage.json', 'coverage.md', 'junit.xml', 'report.html'];

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
  /** Whether outputDir is the user's (or the default they left), not a stand-in for a wrong-typed one. */
  private readonly outputChosen: boolean;
  /** The previous coverage, read at run start: it may be the very coverage.json this run replaces. */
  private previous: ReturnType<typeof loadPreviousCoverage> | undefined;

  constructor(globalConfig: ReporterGlobalConfig, options: TracehopReporterOptions = {}) {
    this.rootDir = globalConfig.rootDir;
    this.options = options;
    // A wrong-typed option is reported at run start (checkOptions); until then the defaults stand in.
    const valid = checkOptions(options).ok;
    const outputDir: unknown = options.outputDir;
    this.outputChosen =
      Boolean(process.env[REPORT_DIR_ENV]) ||
      outputDir === undefined ||
      (typeof outputDir === 'string' && outputDir !== '');
    this.outputDir = resolve(
      this.rootDir,
      process.env[REPORT_DIR_ENV] || (this.outputChosen && options.outputDir) || join('artifacts', 'tracehop'),
    );
    this.runsDir = join(this.outputDir, 'runs');
    this.sharded = (globalConfig.shard?.shardCount ?? 1) > 1;
    // Workers are forked after reporters are built and inherit these, so specs write where we read, and
    // redact what we redact.
    process.env[RUNS_DIR_ENV] = this.runsDir;
    // journey() finds the journeys file here when no tracehop test environment hands it over (plain Jest).
    if (valid && options.journeysFile && !process.env[JOURNEYS_ENV])
      process.env[JOURNEYS_ENV] = resolve(this.rootDir, options.journeysFile);
    if (valid && options.redactHeaders !== undefined && options.redactHeaders.length > 0)
      process.env[REDACT_HEADERS_ENV] = JSON.stringify(options.redactHeaders);
    else delete process.env[REDACT_HEADERS_ENV];
  }

  /**
   * Jest calls this before any test file runs. The reports of earlier runs are removed, so a run that fails
   * before writing its own never leaves an old green report behind. Then the options and the journeys file
   * are checked: when they are wrong the run stops here, before a long device run, with the message (Jest
   * exits 1 on an error thrown here, and runs no test file). Run records of earlier runs are removed, and what
   * the backends of their failing spec files saw (failed-spec-files/):
   * coverage speaks of this run only, and an old record in an older format must not fail it. A Detox retry
   * (`detox test --retries N` runs Jest again for the files that failed) keeps the records of its session's
   * earlier attempts: the journeys of the files that passed are not run again.
   */
  async onRunStart(): Promise<void> {
    this.lastError = undefined;
    this.previous =
      typeof this.options.previousCoverage === 'string' && this.options.previousCoverage !== ''
        ? loadPreviousCoverage(resolve(this.rootDir, this.options.previousCoverage))
        : undefined;
    await this.previous;
    // Only where the user chose: with a wrong-typed outputDir, the default directory is no one's choice.
    if (this.outputChosen)
      await Promise.all(REPORT_FILES.map((name) => rm(join(this.outputDir, name), { force: true })));
    const checked = await this.checkConfig();
    if (!checked.ok) {
      const error = new TracehopError(checked.message);
      // Jest prints the stack of an error thrown here (so it is not written twice): the message says it all.
      error.stack = error.message;
      this.lastError = error;
      throw error;
    }

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
    await rm(join(this.outputDir, FAILED_SPEC_FILES_DIR), { recursive: true, force: true });
    await rm(file, { force: true });
    if (session) {
      await mkdir(this.outputDir, { recursive: true });
      await writeFile(file, `${JSON.stringify({ id: session.id, startedAt: Date.now() })}\n`);
    }
  }

  /** Jest calls this once every test file has finished. */
  async onRunComplete(_contexts: unknown, results: ReporterRunResults): Promise<void> {
    this.lastError = undefined;
    const checked = await this.checkConfig();
    if (!checked.ok) return this.fail(checked.message);
    const journeys = checked.value;

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
      const loaded = await (this.previous ??
        loadPreviousCoverage(resolve(this.rootDir, this.options.previousCoverage)));
      if (!loaded.ok) process.stderr.write(`${loaded.message}\n`);
      else previous = loaded.value;
    }

    // Redacted before the gate too: its message goes to CI logs, which are artifacts as well.
    const report = redactReport(
      computeCoverage(journeys, runs, { thresholds: this.options.thresholds }),
      this.options.redactHeaders,
    );
    const envOff = this.options.gate === undefined && process.env[COVERAGE_GATE_ENV] === 'off';
    const gated = !(this.options.gate === false || envOff || (this.options.gate === undefined && this.sharded));
    const ungated = gated
      ? undefined
      : this.options.gate === false
        ? 'not gated (gate: false)'
        : envOff
          ? `not gated (${COVERAGE_GATE_ENV}=off)`
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
    // A journey that never ran, with others that did: most often only some specs were picked.
    const unrun = report.journeys.filter((journey) => journey.runId === null).length;
    const picked =
      gate.ok || gate.reason !== 'below-threshold' || unrun === 0
        ? ''
        : `\n${format(`Ran only some specs? ${unrun === 1 ? 'A journey' : `${unrun} journeys`} never ran; ${COVERAGE_GATE_ENV}=off reports coverage without failing the run on it (the gate needs every journey).`)}`;
    if (!gate.ok) this.fail(`${gate.message}${picked}`);
  }

  /** The options, the journeys file and the thresholds against it: what a run needs before it starts. */
  private async checkConfig(): Promise<{ ok: true; value: JourneySpec[] } | { ok: false; message: string }> {
    const options = checkOptions(this.options);
    if (!options.ok) return options;
    const gateEnv = process.env[COVERAGE_GATE_ENV];
    if (gateEnv !== undefined && gateEnv !== '' && gateEnv !== 'on' && gateEnv !== 'off') {
      return {
        ok: false,
        message: failure(
          'report trace coverage',
          `${COVERAGE_GATE_ENV} is ${JSON.stringify(gateEnv)}`,
          `Set it to off (report without gating) or on, or unset it.`,
        ),
      };
    }
    const journeysFile = this.options.journeysFile;
    if (!journeysFile) {
      return {
        ok: false,
        message: failure(
          'report trace coverage',
          'the reporter has no "journeysFile" option',
          'Add the path of your journeys.json to the reporter options in your Jest config.',
        ),
      };
    }
    const journeys = await loadJourneys(resolve(this.rootDir, journeysFile));
    if (!journeys.ok) return journeys;
    const thresholds = checkThresholds(journeys.value, this.options.thresholds ?? {});
    if (!thresholds.ok) return thresholds;
    return journeys;
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
