import { expect as jestExpect } from '@jest/globals';
import { by, device, element, waitFor } from 'detox';
import { decodeTraceparent, headerValues } from '../harness';
import { journey, workerBackend } from '../harness/detox';
import { fillCart, signIn, SCREEN_TIMEOUT_MS } from './support/steps';

const status = (text: string) =>
  waitFor(element(by.id('order-status')))
    .toHaveText(text)
    .withTimeout(SCREEN_TIMEOUT_MS);

describe('offline checkout: the order is queued, then replayed when the gateway is back', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
    await signIn();
  });

  afterAll(() => workerBackend().setOffline('api-gateway', false));

  it('replays the queued order in the trace of the journey that queued it', async () => {
    await fillCart('p2');
    // The queuing checkout's trace must run through every service: the replay continues it.
    const verdict = await journey(
      'offline-replay',
      async () => {
        workerBackend().setOffline('api-gateway', true);
        await element(by.id('checkout-submit')).tap();
        await status('Queued — will send when online');
        workerBackend().setOffline('api-gateway', false);
        await element(by.id('outbox-sync')).tap();
        await status('Confirmed');
      },
      { root: 'checkout' },
    );
    const replayed = verdict.captures.filter((capture) => capture.service === 'api-gateway').at(-1);
    const header = decodeTraceparent(headerValues(replayed?.headers ?? [], 'traceparent'));
    jestExpect(header.ok && header.value.traceId).toBe(verdict.traceId);
  });
});
