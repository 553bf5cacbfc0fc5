import { failure, TracehopError } from '../../internal/messages';

/** The part of Jest's `expect` that registering needs. */
export interface ExtendableExpect {
  extend(matchers: Record<string, unknown>): void;
}

const isExtendable = (value: unknown): value is ExtendableExpect =>
  typeof value === 'function' && typeof (value as Partial<ExtendableExpect>).extend === 'function';

/** Jest's own expect from `@jest/globals` (Jest's runtime answers that require); undefined outside Jest. */
export function jestGlobalsExpect(): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only Jest's runtime can answer it: no import at load
    return (require('@jest/globals') as { expect?: unknown }).expect;
  } catch {
    return undefined;
  }
}

/**
 * The expect to register matchers on: the one given, else the global one, else (where Detox has put its
 * element `expect` in the global's place) Jest's own from `fromJestGlobals`. Throws a TracehopError that
 * says which was missing.
 */
export function jestExpectFor(
  given: ExtendableExpect | undefined,
  global: unknown,
  fromJestGlobals: () => unknown,
): ExtendableExpect {
  const found = given ?? (isExtendable(global) ? global : fromJestGlobals());
  if (isExtendable(found)) return found;
  throw new TracehopError(
    failure(
      'register the Jest matchers',
      given !== undefined
        ? "the expect given has no extend(), so it is not Jest's"
        : global === undefined
          ? 'there is no global expect here, and @jest/globals gives none (this is not a Jest test file)'
          : "the global expect here is not Jest's (Detox's element expect takes its place in Detox specs), and @jest/globals gives none",
      "Call registerTracehopMatchers() from a Jest setup file (setupFilesAfterEnv), or pass Jest's expect: import { expect } from '@jest/globals'; registerTracehopMatchers(expect).",
    ),
  );
}
