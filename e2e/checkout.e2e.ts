import { expect as jestExpect } from '@jest/globals';
import { by, device, element, expect, waitFor } from 'detox';
import { backend } from './support/backend';
import {
  awaitFlushed,
  fillCart,
  headerEvidence,
  journeyRoot,
  journeySpans,
  judge,
  JOURNEY_TIMEOUT_MS,
  signIn,
} from './support/journey';

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];

describe('checkout journey: app -> api-gateway -> payment-api -> fraud-service', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
    await signIn();
  });

  it("keeps one trace through every hop, each server span under its caller's client span", async () => {
    await fillCart('p1');
    const startedAt = Date.now();
    await element(by.id('checkout-submit')).tap();
    await waitFor(element(by.id('confirmation-screen')))
      .toBeVisible()
      .withTimeout(JOURNEY_TIMEOUT_MS);
    await expect(element(by.id('order-status'))).toHaveText('Confirmed');
    // Lands in Detox's artifacts folder (kept for failing tests, or all with --take-screenshots all).
    await device.takeScreenshot('order-confirmed');
    await awaitFlushed('checkout', 1);

    const spans = await journeySpans(backend(), 'checkout', CHAIN);
    const verdict = await judge({
      name: 'checkout',
      spans,
      captures: backend().captures(),
      chain: CHAIN,
      startedAtMs: startedAt,
    });
    jestExpect(verdict.trace).toFormOneTrace();
    jestExpect(verdict.scope).toPropagateThrough(CHAIN);
    jestExpect(verdict.scope).toHaveNoTraceProblems({ expect: CHAIN });
    jestExpect(verdict.captureLines).toEqual([]);

    // The journey's own trace holds every service of the chain.
    const root = journeyRoot(spans, 'checkout');
    const inTrace = new Set(spans.filter((span) => span.traceId === root?.traceId).map((span) => span.service));
    jestExpect(CHAIN.filter((service) => !inTrace.has(service))).toEqual([]);

    // What each service received names the CLIENT span its caller exported.
    const hops = [
      { caller: 'mobile-app', service: 'api-gateway', path: '/checkout' },
      { caller: 'api-gateway', service: 'payment-api', path: '/payments' },
      { caller: 'payment-api', service: 'fraud-service', path: '/fraud/score' },
    ];
    jestExpect(headerEvidence(backend().captures(), spans, hops)).toEqual([]);
  });
});
