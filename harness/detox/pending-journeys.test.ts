import { runInNewContext } from 'node:vm';
import { judgePendingJourneys, PENDING_JOURNEYS_GLOBAL, trackJourney, type PendingJourneys } from './pending-journeys';

const scope = globalThis as Record<string, unknown>;
const HINT = 'Await each journey (await journey(...)) or return it from the test function.';
const never = (): Promise<never> => new Promise<never>(() => undefined);
/** Lets every settled promise's reactions run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A jest-circus event for the test "pays", and the errors it collects. */
function event(name: string, extra: Record<string, unknown> = {}): { event: unknown; errors: unknown[] } {
  const errors: unknown[] = [];
  return { event: { name, test: { name: 'pays', errors, ...extra } }, errors };
}

function judged(pending: PendingJourneys, name = 'test_fn_success', extra: Record<string, unknown> = {}): string[] {
  const { event: circus, errors } = event(name, extra);
  judgePendingJourneys(circus, pending);
  return errors.map((error) => (error as Error).message);
}

describe('journeys a test did not see to their end', () => {
  let pending: PendingJourneys;

  beforeEach(() => {
    pending = new Set();
    scope[PENDING_JOURNEYS_GLOBAL] = pending;
  });

  afterEach(() => {
    delete scope[PENDING_JOURNEYS_GLOBAL];
  });

  it('fail the test that returned while they ran, naming each once', () => {
    void trackJourney(never(), 'checkout');
    void trackJourney(never(), 'checkout');
    void trackJourney(never(), 'login');
    expect([judged(pending), judged(pending)]).toEqual([
      [
        `[tracehop] Failed to finish the test "pays": journey("checkout"), journey("login") still ran when the test function returned, so their verdicts could not decide the test. ${HINT}`,
      ],
      [],
    ]);
  });

  it('fail the test whose journey failed before it returned with nothing awaiting it', async () => {
    void trackJourney(Promise.reject(new Error('[tracehop] checkout: FAIL (broken-chain)\nthe tree')), 'checkout');
    await settle();
    expect(judged(pending)).toEqual([
      `[tracehop] Failed to finish the test "pays": journey("checkout") failed with nothing awaiting it: [tracehop] checkout: FAIL (broken-chain). ${HINT}`,
    ]);
  });

  it("end a journey's message where it ends, with one period, when its first line closes with one", async () => {
    void trackJourney(
      Promise.reject(new Error('[tracehop] Failed to run the "login" journey: its name is empty.')),
      'x',
    );
    await settle();
    expect(judged(pending)).toEqual([
      `[tracehop] Failed to finish the test "pays": journey("x") failed with nothing awaiting it: [tracehop] Failed to run the "login" journey: its name is empty. ${HINT}`,
    ]);
  });

  it('tell a test that failed of its own journeys, so the next test, which awaits its own, is not failed for them', async () => {
    void trackJourney(Promise.reject(new Error('[tracehop] login: FAIL (broken-chain)')), 'login');
    void trackJourney(never(), 'checkout');
    await settle();
    const failed = judged(pending, 'test_fn_failure');
    judged(pending, 'test_fn_start');
    await trackJourney(Promise.resolve('verdict'), 'search');
    expect([failed, judged(pending)]).toEqual([
      [
        `[tracehop] Failed to finish the test "pays": journey("checkout") still ran when the test function failed, so its verdict could not decide the test; journey("login") failed with nothing awaiting it: [tracehop] login: FAIL (broken-chain). ${HINT}`,
      ],
      [],
    ]);
  });

  it('tell an each-hook that failed of its journeys too', () => {
    void trackJourney(never(), 'login');
    expect(judged(pending, 'hook_failure')).toEqual([
      `[tracehop] Failed to finish the test "pays": journey("login") still ran when the hook failed, so its verdict could not decide the test. ${HINT}`,
    ]);
  });

  it('fail the test whose each-hook returned while its journey ran', () => {
    void trackJourney(never(), 'login');
    expect(judged(pending, 'hook_success')).toEqual([
      `[tracehop] Failed to finish the test "pays": journey("login") still ran when the hook returned, so its verdict could not decide the test. ${HINT}`,
    ]);
  });

  it('leave alone a test that awaited its journeys, whether they passed or failed', async () => {
    await trackJourney(Promise.resolve('verdict'), 'checkout');
    await expect(trackJourney(Promise.reject(new Error('broken-chain')), 'login')).rejects.toThrow('broken-chain');
    await Promise.all([trackJourney(Promise.resolve(1), 'a'), trackJourney(Promise.resolve(2), 'b')]);
    expect(judged(pending)).toEqual([]);
  });

  it('leave concurrent tests alone: they share the set, so one would be failed for the journey of another', () => {
    void trackJourney(never(), 'checkout');
    expect([
      judged(pending, 'test_fn_start', { concurrent: true }),
      judged(pending, 'test_fn_success', { concurrent: true }),
    ]).toEqual([[], []]);
    expect(pending.size).toBe(1);
  });

  it('forget, when the next test starts, what settled and what was reported, not a failure nobody saw', async () => {
    void trackJourney(never(), 'reported');
    judged(pending);
    await trackJourney(Promise.resolve('ok'), 'passed');
    void trackJourney(Promise.reject(new Error('lost in beforeAll')), 'unseen');
    await settle();
    judged(pending, 'test_fn_start');
    expect([...pending].map((entry) => entry.name)).toEqual(['unseen']);
  });

  it("track journeys in the environment's Set, which comes from another realm than the test's", () => {
    const foreign = runInNewContext('new Set()') as PendingJourneys;
    scope[PENDING_JOURNEYS_GLOBAL] = foreign;
    void trackJourney(never(), 'checkout');
    expect(judged(foreign)).toEqual([
      `[tracehop] Failed to finish the test "pays": journey("checkout") still ran when the test function returned, so its verdict could not decide the test. ${HINT}`,
    ]);
  });

  it('return the very promise, tracking nothing, without the tracehop test environment', () => {
    delete scope[PENDING_JOURNEYS_GLOBAL];
    const run = never();
    expect([trackJourney(run, 'checkout') === run, pending.size]).toEqual([true, 0]);
  });

  it('read other events and malformed ones without failing anything', () => {
    void trackJourney(never(), 'checkout');
    for (const odd of [undefined, null, 'test_fn_success', { name: 'test_done', test: { errors: [] } }])
      judgePendingJourneys(odd, pending);
    expect(pending.size).toBe(1);
  });
});
