import { runInNewContext } from 'node:vm';
import { judgePendingJourneys, PENDING_JOURNEYS_GLOBAL, trackJourney, type PendingJourneys } from './pending-journeys';

const scope = globalThis as Record<string, unknown>;

/** A jest-circus `test_fn_success` event for the test "pays", and the errors it collects. */
function success(): { event: { name: string; test: { name: string; errors: unknown[] } }; errors: unknown[] } {
  const errors: unknown[] = [];
  return { event: { name: 'test_fn_success', test: { name: 'pays', errors } }, errors };
}

const messages = (errors: unknown[]): string[] => errors.map((error) => (error as Error).message);

describe('journeys still running when a test returns', () => {
  let pending: PendingJourneys;

  beforeEach(() => {
    pending = new Set();
    scope[PENDING_JOURNEYS_GLOBAL] = pending;
  });

  afterEach(() => {
    delete scope[PENDING_JOURNEYS_GLOBAL];
  });

  it('fail the test that returned, naming each journey once', () => {
    const never = new Promise<never>(() => undefined);
    trackJourney(never, 'checkout');
    trackJourney(never, 'checkout');
    trackJourney(never, 'login');
    const { event, errors } = success();
    judgePendingJourneys(event, pending);
    expect({ messages: messages(errors), left: pending.size }).toEqual({
      messages: [
        '[tracehop] Failed to finish the test "pays": journey("checkout"), journey("login") still ran when the test function returned, so its verdict could not decide the test. Await it (await journey(...)) or return it from the test function.',
      ],
      left: 0,
    });
  });

  it('leave a test alone whose journeys settled, resolved or rejected, before it returned', async () => {
    const resolved = Promise.resolve('verdict');
    const rejected = Promise.reject(new Error('broken-chain'));
    trackJourney(resolved, 'checkout');
    trackJourney(rejected, 'login');
    await resolved;
    await rejected.catch(() => undefined);
    const { event, errors } = success();
    judgePendingJourneys(event, pending);
    expect({ errors, left: pending.size }).toEqual({ errors: [], left: 0 });
  });

  it('forget a journey of an earlier test when the next test starts (the earlier test was failed for it)', () => {
    trackJourney(new Promise<never>(() => undefined), 'checkout');
    judgePendingJourneys({ name: 'test_fn_start', test: { name: 'next', errors: [] } }, pending);
    const { event, errors } = success();
    judgePendingJourneys(event, pending);
    expect(errors).toEqual([]);
  });

  it("track journeys in the environment's Set, which comes from another realm than the test's", () => {
    const foreign = runInNewContext('new Set()') as PendingJourneys;
    scope[PENDING_JOURNEYS_GLOBAL] = foreign;
    trackJourney(new Promise<never>(() => undefined), 'checkout');
    const { event, errors } = success();
    judgePendingJourneys(event, foreign);
    expect(messages(errors)).toEqual([
      '[tracehop] Failed to finish the test "pays": journey("checkout") still ran when the test function returned, so its verdict could not decide the test. Await it (await journey(...)) or return it from the test function.',
    ]);
  });

  it('track nothing without the tracehop test environment (its own environment awaits as it likes)', () => {
    delete scope[PENDING_JOURNEYS_GLOBAL];
    trackJourney(new Promise<never>(() => undefined), 'checkout');
    expect(pending.size).toBe(0);
  });

  it('read other events and malformed ones without failing anything', () => {
    trackJourney(new Promise<never>(() => undefined), 'checkout');
    for (const event of [undefined, null, 'test_fn_success', { name: 'test_done', test: { errors: [] } }])
      judgePendingJourneys(event, pending);
    expect(pending.size).toBe(1);
  });
});
