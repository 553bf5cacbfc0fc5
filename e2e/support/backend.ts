import type { Backend } from '../../harness/backend';

/** Where the test environment leaves this spec file's backend. */
export const BACKEND_GLOBAL = '__tracehopBackend';

/** The mock backend the test environment started for this spec file. */
export function backend(): Backend {
  const found = (globalThis as Record<string, unknown>)[BACKEND_GLOBAL] as Backend | undefined;
  if (found === undefined) {
    throw new Error(
      '[tracehop] Failed to find the mock backend: the test environment did not start one. Run specs with e2e/jest.config.js (its testEnvironment starts it): `npm run e2e`.',
    );
  }
  return found;
}
