/**
 * Journeys a test started and has not finished: the tracehop test environment fails a test whose function
 * returned while one still ran (a journey() neither awaited nor returned), which would otherwise pass green
 * and fail later, outside any test, as an unhandled rejection.
 */
import { failure } from '../internal/messages';

/** Global the test environment sets to the running test's unfinished journeys (journey() adds and removes). */
export const PENDING_JOURNEYS_GLOBAL = '__tracehopPendingJourneys';

/** The names of the journeys running, one entry per journey() call. */
export type PendingJourneys = Set<{ readonly name: string }>;

function isPendingJourneys(value: unknown): value is PendingJourneys {
  const set = value as Partial<PendingJourneys> | null | undefined;
  return typeof set?.add === 'function' && typeof set.delete === 'function';
}

/**
 * Tracks `run` while it runs, when the test environment watches (else leaves it be). A watched run's
 * rejection is handled here too, so an unawaited journey cannot crash the worker: its test fails instead.
 */
export function trackJourney(run: Promise<unknown>, name: string): void {
  const pending = (globalThis as Record<string, unknown>)[PENDING_JOURNEYS_GLOBAL];
  // The environment's Set comes from another realm than the test's (Jest runs tests in a vm context), so
  // `instanceof Set` would be false: it is known by its methods.
  if (!isPendingJourneys(pending)) return;
  const entry = { name };
  pending.add(entry);
  const done = (): void => {
    pending.delete(entry);
  };
  run.then(done, done);
}

interface TestEvent {
  readonly name: string;
  readonly test?: { readonly name?: unknown; readonly errors?: unknown };
}

function isTestEvent(event: unknown): event is TestEvent {
  return typeof event === 'object' && event !== null && typeof (event as { name?: unknown }).name === 'string';
}

/**
 * Reads one jest-circus event: a test function starting forgets the journeys of tests before it; one that
 * succeeded while journeys still ran gets an error naming them, which fails the test.
 */
export function judgePendingJourneys(event: unknown, pending: PendingJourneys): void {
  if (!isTestEvent(event)) return;
  if (event.name === 'test_fn_start') pending.clear();
  if (event.name !== 'test_fn_success' || pending.size === 0) return;
  const errors = event.test?.errors;
  const names = [...new Set([...pending].map((entry) => `journey("${entry.name}")`))];
  pending.clear();
  if (!Array.isArray(errors)) return;
  const test = typeof event.test?.name === 'string' ? `the test "${event.test.name}"` : 'the test';
  const error = new Error(
    failure(
      `finish ${test}`,
      `${names.join(', ')} still ran when the test function returned, so its verdict could not decide the test`,
      'Await it (await journey(...)) or return it from the test function.',
    ),
  );
  // Its frames would point into tracehop, not at the spec: the message says where to look.
  error.stack = `${error.name}: ${error.message}`;
  errors.push(error);
}
