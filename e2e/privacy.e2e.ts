import { expect as jestExpect } from '@jest/globals';
import { by, device, element, waitFor } from 'detox';
import { TRACE_HEADER_NAMES, findLeakedHeaders } from '../harness';
import { backend } from './support/backend';
import { awaitFlushed, journeyRoot, judge, JOURNEY_TIMEOUT_MS, signIn } from './support/journey';

// The privacy journey's own user action: adding to the cart sends one analytics event and nothing else,
// so its trace is the app's root span and the CLIENT span of the request to the third party.
const ACTION = 'add-to-cart';

describe('privacy: the third-party analytics service never sees trace headers', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
  });

  it('sends analytics events without traceparent, tracestate, baggage or B3', async () => {
    await signIn();
    await element(by.id('search-input')).typeText('coffee');
    await element(by.id('search-submit')).tap();
    await waitFor(element(by.id('product-p1-add')))
      .toBeVisible()
      .withTimeout(JOURNEY_TIMEOUT_MS);
    await awaitFlushed('search', 1);

    const startedAt = Date.now();
    await element(by.id('product-p1-add')).tap();
    await awaitFlushed(ACTION, 1);
    const spans = await backend().store.waitFor((all) => journeyRoot(all, ACTION) !== undefined, {
      timeout: JOURNEY_TIMEOUT_MS,
    });

    // Every analytics event of the session (login, search, add to cart) came without trace headers.
    const events = backend()
      .captures()
      .filter((capture) => capture.service === 'analytics' && capture.path === '/events');
    jestExpect(events.length).toBeGreaterThanOrEqual(3);
    const traceHeaders = events.flatMap((capture) =>
      capture.headers
        .filter(([name]) => (TRACE_HEADER_NAMES as readonly string[]).includes(name))
        .map(([name]) => `${name} -> ${capture.service}`),
    );
    jestExpect(traceHeaders).toEqual([]);

    // Recorded for coverage (journeys.json "privacy": no trace headers may reach analytics): the action's
    // trace and its own requests, the analytics event (after a CORS preflight unless the browser cached one).
    const verdict = await judge({
      name: 'privacy',
      root: ACTION,
      spans,
      captures: backend().captures(),
      chain: ['mobile-app'],
      thirdParty: ['analytics'],
      startedAtMs: startedAt,
    });
    jestExpect(verdict.trace).toFormOneTrace();
    const path = (span: (typeof spans)[number]): string => {
      const url = span.attributes['url.full'];
      return (typeof url === 'string' ? url : '').replace(/^[a-z]+:\/\/[^/]+/, '');
    };
    jestExpect(
      verdict.trace.map((span) => `${span.service} ${span.kind} ${span.name} ${path(span)}`.trim()).sort(),
    ).toEqual(['mobile-app client HTTP POST /events', `mobile-app internal ${ACTION}`]);
    const own = verdict.captures.map((capture) => `${capture.method} ${capture.service} ${capture.path}`);
    jestExpect(own.filter((request) => !request.startsWith('OPTIONS '))).toEqual(['POST analytics /events']);
    jestExpect(
      own
        .filter((request) => request.startsWith('OPTIONS '))
        .every((request) => request === 'OPTIONS analytics /events'),
    ).toBe(true);
    jestExpect(verdict.captureLines).toEqual([]);
    jestExpect(findLeakedHeaders(verdict.captures).map((problem) => `${problem.kind}: ${problem.message}`)).toEqual([]);
  });
});
