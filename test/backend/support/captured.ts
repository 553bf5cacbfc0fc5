import type { Backend } from '../../../harness/backend';

/** The request captured first after the `before`-th, as a test compares it: method, path, headers and answer. */
export function capturedAfter(backend: Backend, before: number): unknown[] {
  return backend
    .captures()
    .slice(before, before + 1)
    .map(({ method, path, headers, response }) => ({ method, path, headers, response }));
}
