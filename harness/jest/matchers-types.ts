/**
 * Declaration merging so editors autocomplete the tracehop matchers on `expect(...)`, both for the global
 * `expect` (@types/jest) and for `import { expect } from '@jest/globals'` (the `expect` package).
 */
/** What `toHaveNoTraceProblems` takes: the services every run must pass through, in order (as `--expect`). */
export interface NoTraceProblemsOptions {
  readonly expect?: readonly string[];
}

/** The tracehop matchers as they appear on `expect(spans)`. */
export interface TracehopMatchers<R> {
  /** The spans form one connected trace: one trace id, one root, no orphan or loop. */
  toFormOneTrace(): R;
  /** One trace runs through these services in this order, each beneath the previous one. */
  toPropagateThrough(services: readonly string[]): R;
  /** No defect at all (orphans, duplicate ids, loops, wrong parents, sampling, and the `expect` chain). */
  toHaveNoTraceProblems(options?: NoTraceProblemsOptions): R;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type -- declaration merging must repeat Jest's signature
    interface Matchers<R, T = {}> extends TracehopMatchers<R> {}
  }
}

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type -- declaration merging must repeat expect's signature
  interface Matchers<R extends void | Promise<void>, T = unknown> extends TracehopMatchers<R> {}
}
