import { startBackend, type Backend } from '../../../harness/backend';

/** A backend a test file shares, and every warning it gave, in order. */
export interface HeldBackend {
  /** The backend started in the file's beforeAll; reading it earlier throws. */
  readonly backend: Backend;
  readonly warnings: string[];
}

/** Starts a backend before the file's tests and stops it after them, keeping its warnings. */
export function backendWithWarnings(): HeldBackend {
  let started: Backend | undefined;
  const warnings: string[] = [];
  beforeAll(async () => {
    started = await startBackend({ onWarning: (message) => warnings.push(message) });
  });
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get backend(): Backend {
      if (started === undefined) throw new Error('the backend starts in beforeAll: read it inside a test');
      return started;
    },
    warnings,
  };
}
