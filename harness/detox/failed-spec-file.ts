import { basename, dirname, join, resolve } from 'node:path';
import type { Backend } from '../backend';
import { errorMessage } from '../internal/result';
import { DEFAULT_RUNS_DIR, FAILED_SPEC_FILES_DIR, RUNS_DIR_ENV, recordJourney } from '../jest';
import type { Platform } from '../report';

/**
 * Where a spec file that failed leaves what its backend saw: beside the run records (`runs/`, which the reporter
 * reads as journeys), never in them. On a device the first failures come before any journey (the app never reaches
 * the backend: a cleartext rule, a port not reversed, a launch argument lost), and journey() records nothing then.
 * The folder is beside the runs folder the reporter set for the workers (else the default's).
 */
export function failedSpecFilesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(resolve(env[RUNS_DIR_ENV] || DEFAULT_RUNS_DIR)), FAILED_SPEC_FILES_DIR);
}

/** What failed, from a Jest circus event: a test function or a hook (beforeAll's failure fails every test). */
export function failureOfEvent(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const { name, test, hook } = event as { name?: unknown; test?: { name?: unknown }; hook?: { type?: unknown } };
  if (name === 'test_fn_failure') return `the test "${String(test?.name)}"`;
  if (name === 'hook_failure') return `a ${String(hook?.type)} hook`;
  return undefined;
}

/**
 * Writes the spec file's capture log and spans (redacted as run records are; `platform` read from the spec file's
 * global, as journey() does, since this runs outside it) to {@link failedSpecFilesDir}, and
 * says where on the console. Never throws: a teardown must still stop the backend; a write that fails is said.
 */
export async function saveFailedSpecFile(
  testPath: string,
  failures: readonly string[],
  backend: Pick<Backend, 'captures' | 'store'>,
  platform: Platform | undefined,
): Promise<void> {
  const captures = backend.captures();
  const spans = backend.store.spans();
  const name = basename(testPath);
  try {
    const file = await recordJourney({
      journey: name,
      spans,
      captures,
      dir: failedSpecFilesDir(),
      testPath,
      ...(platform === undefined ? {} : { platform }),
    });
    console.log(
      `[tracehop] ${name}: ${failures.join(', ')} failed; what its backend saw (${captures.length} requests, ${spans.length} spans) is in ${file}`,
    );
  } catch (error) {
    console.warn(`[tracehop] ${name}: could not save what its backend saw: ${errorMessage(error)}`);
  }
}
