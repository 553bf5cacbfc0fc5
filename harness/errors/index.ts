/**
 * What tracehop throws when it is used wrongly (a journey the journeys file refuses, a chain with nothing to
 * check, a bad option): one class, so a test can tell tracehop's refusals from its own failures with
 * `instanceof`. Verdicts are never thrown: they are results.
 */
export { TracehopError } from '../internal/messages';
/** The shape of every refusal a result carries: a stable `reason` word and a `message` that says what to do. */
export type { Failure } from '../internal/result';
