/**
 * What the tracehop test environment (tracehop/detox/environment) leaves for the specs of one spec file:
 * the mock backend it started, and the journeys file named by the tracehop reporter in the Jest config.
 */
import type { Backend } from '../backend';
import { TracehopError, failure } from '../internal/messages';
import { JOURNEYS_ENV } from '../jest';

/** Global the test environment sets to the spec file's mock backend. */
export const BACKEND_GLOBAL = '__tracehopBackend';

/** Global the test environment sets to the journeys file of the tracehop reporter (an absolute path). */
export const JOURNEYS_FILE_GLOBAL = '__tracehopJourneysFile';

/** Environment variable naming the journeys file (the tracehop reporter sets it for plain Jest runs). */
export { JOURNEYS_ENV };

function scope(): Record<string, unknown> {
  return globalThis;
}

/** The mock backend the tracehop test environment started for this spec file. */
export function workerBackend(): Backend {
  const found = scope()[BACKEND_GLOBAL];
  if (found === undefined) {
    throw new TracehopError(
      failure(
        'find the mock backend',
        'the test environment did not start one',
        "Set testEnvironment: 'tracehop/detox/environment' in your Jest config, or pass { backend } to journey().",
      ),
    );
  }
  return found as Backend;
}

/** The journeys file: the tracehop reporter's `journeysFile`, else $TRACEHOP_JOURNEYS; undefined when neither. */
export function journeysFilePath(): string | undefined {
  const fromReporter = scope()[JOURNEYS_FILE_GLOBAL];
  if (typeof fromReporter === 'string') return fromReporter;
  const fromEnv = process.env[JOURNEYS_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** A Jest `reporters` entry as the normalized config holds it: a path, or a path with options. */
export type ReporterEntry = string | readonly [string, unknown];

// Matches 'tracehop/jest/reporter' and the compiled file it resolves to (…/harness/jest/reporter.js).
const REPORTER_PATH = /(?:^|[\\/])(?:tracehop[\\/]jest[\\/]reporter|harness[\\/]jest[\\/]reporter(?:\.[cm]?[jt]s)?)$/;

/** The tracehop reporter's `journeysFile` option among Jest's reporters, as written (relative to rootDir). */
export function reporterJourneysFile(reporters: readonly ReporterEntry[] | undefined): string | undefined {
  for (const entry of reporters ?? []) {
    if (typeof entry === 'string') continue;
    const [path, options] = entry;
    if (!REPORTER_PATH.test(path) || typeof options !== 'object' || options === null) continue;
    const file = (options as { journeysFile?: unknown }).journeysFile;
    if (typeof file === 'string' && file !== '') return file;
  }
  return undefined;
}
