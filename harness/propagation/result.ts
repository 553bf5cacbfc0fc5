import type { Failure } from '../internal/result';

/**
 * The result every header codec returns: a value, or the shared failure shape (`harness/internal/result.ts`):
 * a reason (a string-literal union per codec, so a matcher can switch on it) with one plain sentence, its
 * `message`, that says what is wrong and what to do.
 */
export type CodecResult<T, R extends string> = { readonly ok: true; readonly value: T } | Failure<R>;

export { fail, succeed as ok } from '../internal/result';
