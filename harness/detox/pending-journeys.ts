/**
 * Journeys a test started and did not see to their end: the tracehop test environment fails a test (or an
 * each-hook) that returned while one of its journeys still ran, or whose journey failed with nobody awaiting
 * it. Either would otherwise pass green, the failure surfacing later, outside any test, as an unhandled
 * rejection.
 */
import { failure } from '../internal/messages';

/** Global the test environment sets to the running test's journeys (journey() adds them). */
export const PENDING_JOURNEYS_GLOBAL = '__tracehopPendingJourneys';

/** One journey() call, as the environment judges it when its test returns. */
export interface PendingJourney {
  readonly name: string;
  /** Whether anything called then() on the journey's promise (await, return, .rejects, Promise.all). */
  readonly observed: () => boolean;
  settled: boolean;
  /** The journey's error, when it failed. */
  failure?: { readonly error: unknown };
  /** Whether a test was failed for it already. */
  reported: boolean;
}

export type PendingJourneys = Set<PendingJourney>;

/** The promise journey() returns when tracked: it notes whether anything waits on it. */
class JourneyRun<T> extends Promise<T> {
  // Promises derived from it (then, catch, finally) are plain ones.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  observed = false;

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.observed = true;
    return super.then(onfulfilled, onrejected);
  }
}

function isPendingJourneys(value: unknown): value is PendingJourneys {
  const set = value as Partial<PendingJourneys> | null | undefined;
  return typeof set?.add === 'function' && typeof set.delete === 'function';
}

/**
 * `run` as journey() returns it: unchanged without the tracehop test environment; under it, tracked until the
 * environment has judged it. The rejection of a journey nobody awaits is caught here (so it cannot crash the
 * worker) and reported by the environment as its test's failure.
 */
export function trackJourney<T>(run: Promise<T>, name: string): Promise<T> {
  // The environment's Set comes from another realm than the test's (Jest runs tests in a vm context), so
  // `instanceof Set` would be false: it is known by its methods.
  const pending = (globalThis as Record<string, unknown>)[PENDING_JOURNEYS_GLOBAL];
  if (!isPendingJourneys(pending)) return run;
  const tracked = new JourneyRun<T>((resolve, reject) => {
    run.then(resolve, reject);
  });
  const entry: PendingJourney = { name, observed: () => tracked.observed, settled: false, reported: false };
  pending.add(entry);
  // Promise.prototype.then itself, so that watching the run does not count as observing it.
  void Promise.prototype.then.call(
    tracked,
    () => {
      entry.settled = true;
    },
    (error: unknown) => {
      entry.settled = true;
      entry.failure = { error };
    },
  );
  return tracked;
}

interface TestEvent {
  readonly name: string;
  readonly test?: { readonly name?: unknown; readonly errors?: unknown; readonly concurrent?: unknown };
}

function isTestEvent(event: unknown): event is TestEvent {
  return typeof event === 'object' && event !== null && typeof (event as { name?: unknown }).name === 'string';
}

/** The first line of an error's message, without its closing period (the sentence it goes into ends there). */
function firstLine(error: unknown): string {
  // Known by its message, not instanceof: the journey's Error comes from the test's realm.
  const message = (error as { message?: unknown } | null | undefined)?.message;
  const text = typeof message === 'string' ? message : String(error);
  return (text.split('\n')[0] ?? '').replace(/\.$/, '');
}

/** What is wrong with the journeys of a test or hook that just ended ("returned"), or undefined when nothing is. */
function whatWentUnseen(entries: readonly PendingJourney[], returned: string): string | undefined {
  const running = [...new Set(entries.filter((entry) => !entry.settled).map((entry) => `journey("${entry.name}")`))];
  const failed = entries.filter((entry) => entry.failure !== undefined && !entry.observed());
  const parts: string[] = [];
  if (running.length > 0)
    parts.push(
      `${running.join(', ')} still ran when ${returned}, so ${running.length === 1 ? 'its verdict' : 'their verdicts'} could not decide the test`,
    );
  for (const entry of failed)
    parts.push(`journey("${entry.name}") failed with nothing awaiting it: ${firstLine(entry.failure?.error)}`);
  return parts.length === 0 ? undefined : parts.join('; ');
}

/** How a test function or each-hook ended, by the jest-circus event that says so, as whatWentUnseen words it. */
const ENDINGS: Readonly<Record<string, string>> = {
  test_fn_success: 'the test function returned',
  hook_success: 'the hook returned',
  // A test that failed (threw, rejected, timed out) is told of its own journeys too: left for the next test,
  // they would fail that one, which awaited its own.
  test_fn_failure: 'the test function failed',
  hook_failure: 'the hook failed',
};

/**
 * Reads one jest-circus event. When a test function or an each-hook ends, the journeys it left running,
 * or that failed with nothing awaiting them, fail it with an error naming them (one that failed already gets
 * that error beside its own). A test function starting forgets what is settled and judged. Concurrent tests
 * share the set, so they are not judged.
 */
export function judgePendingJourneys(event: unknown, pending: PendingJourneys): void {
  if (!isTestEvent(event) || event.test?.concurrent === true) return;
  if (event.name === 'test_fn_start') {
    for (const entry of pending)
      if (entry.reported || (entry.settled && (entry.failure === undefined || entry.observed()))) pending.delete(entry);
    return;
  }
  const returned = Object.hasOwn(ENDINGS, event.name) ? ENDINGS[event.name] : undefined;
  const errors = event.test?.errors;
  if (returned === undefined || !Array.isArray(errors)) return;
  const entries = [...pending].filter((entry) => !entry.reported);
  const cause = whatWentUnseen(entries, returned);
  if (cause === undefined) return;
  for (const entry of entries) entry.reported = true;
  const test = typeof event.test?.name === 'string' ? `the test "${event.test.name}"` : 'the test';
  const error = new Error(
    failure(`finish ${test}`, cause, 'Await each journey (await journey(...)) or return it from the test function.'),
  );
  // Its frames would point into tracehop, not at the spec: the message says where to look.
  error.stack = `${error.name}: ${error.message}`;
  errors.push(error);
}
