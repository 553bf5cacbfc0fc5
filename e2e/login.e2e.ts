import { expect as jestExpect } from '@jest/globals';
import { by, device, element, expect, waitFor } from 'detox';
import { backend } from './support/backend';
import { awaitFlushed, headerEvidence, journeySpans, judge, JOURNEY_TIMEOUT_MS } from './support/journey';

const CHAIN = ['mobile-app', 'api-gateway', 'auth-service'];

describe('login journey: app -> api-gateway -> auth-service', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
  });

  it('signs in within one trace from the app to the auth service', async () => {
    await expect(element(by.id('login-screen'))).toBeVisible();
    await element(by.id('login-username')).typeText('ada');
    await element(by.id('login-password')).typeText('secret');
    const startedAt = Date.now();
    await element(by.id('login-submit')).tap();
    await waitFor(element(by.id('search-screen')))
      .toBeVisible()
      .withTimeout(JOURNEY_TIMEOUT_MS);
    await expect(element(by.id('login-error'))).not.toExist();
    await awaitFlushed('login', 1);

    const spans = await journeySpans(backend(), 'login', CHAIN);
    const verdict = await judge({
      name: 'login',
      spans,
      captures: backend().captures(),
      chain: CHAIN,
      startedAtMs: startedAt,
    });
    jestExpect(verdict.trace).toFormOneTrace();
    jestExpect(verdict.scope).toPropagateThrough(CHAIN);
    jestExpect(verdict.scope).toHaveNoTraceProblems({ expect: CHAIN });
    jestExpect(verdict.captureLines).toEqual([]);
    const hops = [
      { caller: 'mobile-app', service: 'api-gateway', path: '/login' },
      { caller: 'api-gateway', service: 'auth-service', path: '/sessions' },
    ];
    jestExpect(headerEvidence(backend().captures(), spans, hops)).toEqual([]);
  });
});
