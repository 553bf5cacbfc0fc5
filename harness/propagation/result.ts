/**
 * The result every header codec returns: a value, or a reason (a string-literal union per codec, so a
 * matcher can switch on it) with one plain sentence that says what is wrong and what to do.
 */
export type CodecResult<T, R extends string> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: R; readonly detail: string };

/** Builds a success. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Builds a failure with its reason and plain-sentence detail. */
export function fail<R extends string>(
  reason: R,
  detail: string,
): { readonly ok: false; readonly reason: R; readonly detail: string } {
  return { ok: false, reason, detail };
}
