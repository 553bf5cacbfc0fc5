import { expect as jestExpect } from '@jest/globals';
import { by, device, element, expect, waitFor } from 'detox';
import { journey } from '../harness/detox';
import { fillCart, signIn, SCREEN_TIMEOUT_MS } from './support/steps';

describe('checkout journey: app -> api-gateway -> payment-api -> fraud-service', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
    await signIn();
  });

  it("keeps one trace through every hop, each server span under its caller's client span", async () => {
    await fillCart('p1');
    const verdict = await journey('checkout', async () => {
      await element(by.id('checkout-submit')).tap();
      await waitFor(element(by.id('confirmation-screen')))
        .toBeVisible()
        .withTimeout(SCREEN_TIMEOUT_MS);
      await expect(element(by.id('order-status'))).toHaveText('Confirmed');
      // Lands in Detox's artifacts folder (kept for failing tests, or all with --take-screenshots all).
      await device.takeScreenshot('order-confirmed');
    });
    // The span matchers in a Detox spec: on Jest's expect, which e2e/support/matchers.ts registered them on.
    jestExpect(verdict.trace).toPropagateThrough(['mobile-app', 'api-gateway', 'payment-api', 'fraud-service']);
  });
});
