import { expect as jestExpect } from '@jest/globals';
import { by, device, element, expect, waitFor } from 'detox';
import { decodeTraceparent, headerValues } from '../harness';
import { backend } from './support/backend';
import {
  awaitFlushed,
  fillCart,
  journeyRoot,
  journeySpans,
  judge,
  JOURNEY_TIMEOUT_MS,
  signIn,
} from './support/journey';

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];

describe('offline checkout: the order is queued, then replayed when the gateway is back', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
    await signIn();
  });

  afterAll(() => {
    backend().setOffline('api-gateway', false);
  });

  it('replays the queued order in the trace of the journey that queued it', async () => {
    await fillCart('p2');
    backend().setOffline('api-gateway', true);
    const startedAt = Date.now();
    await element(by.id('checkout-submit')).tap();
    await waitFor(element(by.id('confirmation-screen')))
      .toBeVisible()
      .withTimeout(JOURNEY_TIMEOUT_MS);
    await expect(element(by.id('order-status'))).toHaveText('Queued — will send when online');
    await expect(element(by.id('outbox-count'))).toHaveText('1');
    await awaitFlushed('checkout', 1);

    backend().setOffline('api-gateway', false);
    await element(by.id('outbox-sync')).tap();
    await waitFor(element(by.id('order-status')))
      .toHaveText('Confirmed')
      .withTimeout(JOURNEY_TIMEOUT_MS);
    await expect(element(by.id('outbox-count'))).toHaveText('0');
    await awaitFlushed('outbox-replay', 1);

    const spans = await journeySpans(backend(), 'outbox-replay', CHAIN);
    const queuing = journeyRoot(spans, 'checkout');
    const replayed = backend()
      .captures()
      .filter((capture) => capture.service === 'api-gateway' && capture.path === '/checkout')
      .at(-1);
    const header = decodeTraceparent(headerValues(replayed?.headers ?? [], 'traceparent'));
    // The queuing journey's trace now runs through every service: the replay continued it.
    const verdict = await judge({
      name: 'offline-replay',
      root: 'checkout',
      spans,
      captures: backend().captures(),
      chain: CHAIN,
      startedAtMs: startedAt,
    });
    // After the verdict, so a run that breaks the replay still prints why.
    jestExpect(header.ok && header.value.traceId).toBe(queuing?.traceId);
    jestExpect(verdict.trace).toFormOneTrace();
    jestExpect(verdict.scope).toPropagateThrough(CHAIN);
    jestExpect(verdict.scope).toHaveNoTraceProblems({ expect: CHAIN });
    jestExpect(verdict.captureLines).toEqual([]);
  });
});
