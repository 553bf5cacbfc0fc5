import { expect as jestExpect } from '@jest/globals';
import { by, device, element } from 'detox';
import { TRACE_HEADER_NAMES } from '../harness';
import { journey, workerBackend } from '../harness/detox';
import { search, signIn } from './support/steps';

describe('privacy: the third-party analytics service never sees trace headers', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
  });

  it('sends analytics events without traceparent, tracestate, baggage or B3', async () => {
    await signIn();
    await search('coffee');
    // Adding to the cart sends one analytics event and nothing else: the journeys file's noTraceHeaders
    // (analytics) makes journey() check that request for leaked trace headers.
    const verdict = await journey('privacy', () => element(by.id('product-p1-add')).tap(), { root: 'add-to-cart' });
    const own = verdict.captures.filter((capture) => capture.method !== 'OPTIONS');
    jestExpect(own.map((capture) => `${capture.method} ${capture.service} ${capture.path}`)).toEqual([
      'POST analytics /events',
    ]);

    // Every analytics event of the session (login, search, add to cart) came without trace headers.
    const events = workerBackend()
      .captures()
      .filter((capture) => capture.service === 'analytics' && capture.method === 'POST');
    jestExpect(events.length).toBeGreaterThanOrEqual(3);
    const names: readonly string[] = TRACE_HEADER_NAMES;
    jestExpect(events.flatMap((capture) => capture.headers.filter(([name]) => names.includes(name)))).toEqual([]);
  });
});
