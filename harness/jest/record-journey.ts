import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TracehopError, failure } from '../internal/messages';
import { errorMessage } from '../internal/result';
import type { CapturedRequest, Span } from '../model';
import type { Problem } from '../verify';
import { createRedactor, detoxPlatform, type JourneyRun, type Platform } from '../report';

/** The environment variable that tells spec workers where the reporter reads runs from. */
/**
 * The journeys file, for journey() in the spec workers: the tracehop reporter sets it to its resolved
 * `journeysFile` when it is not set already, so a plain Jest run (without tracehop's test environment) finds
 * it too.
 */
export const JOURNEYS_ENV = 'TRACEHOP_JOURNEYS';

/**
 * Where {@link recordJourney} writes run records: the reporter sets it for its workers; else {@link
 * DEFAULT_RUNS_DIR}.
 */
export const RUNS_DIR_ENV = 'TRACEHOP_RUNS_DIR';

/**
 * The environment variable that hands spec workers the reporter's `redactHeaders` (a JSON array of header
 * names), so run records are redacted as the reports are.
 */
export const REDACT_HEADERS_ENV = 'TRACEHOP_REDACT_HEADERS';

/** Default directory of run records, relative to the working directory. */
export const DEFAULT_RUNS_DIR = join('artifacts', 'tracehop', 'runs');

/**
 * The folder beside the run records where tracehop's Detox environment leaves what the backend of a spec file with
 * a failing test or hook saw (one run record per such file, named after it). The reporter reads none of them as
 * journeys, and empties the folder when it empties the run records.
 */
export const FAILED_SPEC_FILES_DIR = 'failed-spec-files';

/** One journey run for {@link recordJourney}: what `journey()` records, for runners without Detox. */
export interface RecordJourneyOptions {
  /** Journey name as declared in the journeys file. */
  readonly journey: string;
  /** Every span of the run (the app's, received over OTLP, and the backend's). */
  readonly spans: readonly Span[];
  /** The backend's capture log for the run. */
  readonly captures: readonly CapturedRequest[];
  /** Problems the verifier found for the run, if the spec ran it. */
  readonly problems?: readonly Problem[];
  /** Directory of run records; defaults to $TRACEHOP_RUNS_DIR (set by the reporter), else artifacts/tracehop/runs. */
  readonly dir?: string;
  /**
   * Header names to redact in addition to the default credential headers and to the reporter's
   * `redactHeaders` (which reach the workers in $TRACEHOP_REDACT_HEADERS).
   */
  readonly redactHeaders?: readonly string[];
  /**
   * Where the journey ran. Default: from the Detox device config type of the running worker (ios.* -> ios,
   * android.* -> android, tracehop's web driver -> web); left out outside Detox.
   */
  readonly platform?: Platform;
  /** The spec file the run came from. Default: the one Jest (or tracehop's Detox environment) is running. */
  readonly testPath?: string;
}

let counter = 0;

/** Global a test environment may set to the current spec file (Detox replaces Jest's global `expect`). */
export const TEST_PATH_GLOBAL = '__tracehopTestPath';

// The spec file: from the environment's global when set, else Jest's own `expect` state; none outside Jest.
function testPath(): string | undefined {
  const scope = globalThis as { [TEST_PATH_GLOBAL]?: unknown; expect?: { getState?: () => { testPath?: string } } };
  const fromEnvironment = scope[TEST_PATH_GLOBAL];
  if (typeof fromEnvironment === 'string') return fromEnvironment;
  return scope.expect?.getState?.().testPath;
}

// Only the fields of the capture contract go into a run record: backends may hand richer entries (for
// example with decoded contexts), and the record's reader accepts no unknown field.
function captureRecord(capture: CapturedRequest): CapturedRequest {
  const { seq, service, firstParty, method, path, headers, timeMs, serverSpanId, serverTraceId } = capture;
  return {
    seq,
    service,
    firstParty,
    method,
    path,
    headers,
    timeMs,
    ...(serverSpanId === undefined ? {} : { serverSpanId }),
    ...(serverTraceId === undefined ? {} : { serverTraceId }),
  };
}

// Nor does a span keep what only the OTLP receiver hands back (its origin, remote-parent bit and events): the
// verdicts do not read it, and each span would carry a copy of its resource into the file.
function spanRecord(span: Span): Span {
  const { origin: _origin, parentIsRemote: _remote, events: _events, ...kept } = span;
  return kept;
}

/** The reporter's `redactHeaders`, as it left them for the workers; none outside its runs. */
function reporterRedactHeaders(journey: string): string[] {
  const text = process.env[REDACT_HEADERS_ENV];
  if (text === undefined || text === '') return [];
  let names: unknown;
  try {
    names = JSON.parse(text);
  } catch {
    names = undefined;
  }
  if (Array.isArray(names) && names.every((name) => typeof name === 'string')) return names;
  throw new TracehopError(
    failure(
      `record the "${journey}" journey run`,
      `$${REDACT_HEADERS_ENV} is ${JSON.stringify(text)}, not a JSON array of header names`,
      `Set it to a JSON array such as ["x-session-token"], or unset it and give redactHeaders in the tracehop reporter options.`,
    ),
  );
}

/**
 * Records one run of a journey for the coverage reporter: call it at the end of each journey spec. Writes
 * one JSON file (unique per worker and run) and resolves with its path. The default credential headers, the
 * reporter's `redactHeaders` and `options.redactHeaders` read `[redacted]` in it.
 *
 * @example await recordJourney({ journey: 'checkout', spans: backend.store.spans(), captures: backend.captures() });
 */
export async function recordJourney(options: RecordJourneyOptions): Promise<string> {
  const dir = resolve(options.dir ?? process.env[RUNS_DIR_ENV] ?? DEFAULT_RUNS_DIR);
  const redactor = createRedactor([...reporterRedactHeaders(options.journey), ...(options.redactHeaders ?? [])]);
  const secrets = redactor.secretValues(options.captures);
  const worker = process.env.JEST_WORKER_ID ?? 'main';
  counter += 1;
  const path = options.testPath ?? testPath();
  const platform = options.platform ?? detoxPlatform();
  const safeName = options.journey.replace(/[^A-Za-z0-9._-]/g, '_');
  const runId = `${safeName}-w${worker}-p${process.pid}-${Date.now()}-${counter}-${randomBytes(3).toString('hex')}`;
  const run: JourneyRun = {
    version: 1,
    journey: options.journey,
    runId,
    recordedAt: new Date().toISOString(),
    worker,
    ...(path ? { testPath: path } : {}),
    ...(platform ? { platform } : {}),
    spans: options.spans.map((span) => redactor.span(spanRecord(span))),
    captures: options.captures.map((capture) => redactor.capture(captureRecord(capture))),
    // Problems may quote a header they saw: scrub what the secret headers carried.
    problems: (options.problems ?? []).map((problem) => redactor.problem(problem, secrets)),
  };
  const file = join(dir, `${runId}.json`);
  try {
    await mkdir(dir, { recursive: true });
    // Write then rename, so a reader never sees half a file.
    await writeFile(`${file}.tmp`, `${JSON.stringify(run)}\n`);
    await rename(`${file}.tmp`, file);
  } catch (error) {
    // EEXIST and ENOTDIR: a file where the directory (or one above it) must be.
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const hint =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `It, or a directory above it, is a file. Name a directory instead: the reporter's outputDir (runs go in its runs/ folder) or ${RUNS_DIR_ENV}.`
        : 'Check that the directory is writable.';
    throw new TracehopError(
      failure(`record the "${options.journey}" journey run in "${dir}"`, errorMessage(error), hint),
    );
  }
  return file;
}
