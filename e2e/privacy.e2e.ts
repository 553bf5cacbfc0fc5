import { expect as jestExpect } from '@jest/globals';
import { device } from 'detox';
import { TRACE_HEADER_NAMES } from '../harness/propagation';
import { findLeakedHeaders } from '../harness/verify/capture';
import { backend } from './support/backend';
import { judge, signIn } from './support/journey';

describe('privacy: the third-party analytics service never sees trace headers', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
  });

  it('sends analytics events without traceparent, tracestate, baggage or B3', async () => {
    const startedAt = Date.now();
    await signIn();
    const events = backend()
      .captures()
      .filter((capture) => capture.service === 'analytics' && capture.path === '/events');
    jestExpect(events.length).toBeGreaterThan(0);
    const traceHeaders = events.flatMap((capture) =>
      capture.headers.filter(([name]) => (TRACE_HEADER_NAMES as readonly string[]).includes(name)).map(([name]) => `${name} -> ${capture.service}`),
    );
    jestExpect(traceHeaders).toEqual([]);
    // Recorded for coverage (journeys.json "privacy": no trace headers may reach analytics): the journey's
    // own requests are the login's analytics event (after a CORS preflight unless the browser cached one),
    // and the capture checks look at exactly those.
    // Its chain is the app alone: the services behind the gateway belong to the login journey's verdict.
    const appSpans = backend().store.spans().filter((span) => span.service === 'mobile-app');
    const verdict = await judge({ name: 'privacy', root: 'login', spans: appSpans, captures: backend().captures(), chain: ['mobile-app'], thirdParty: ['analytics'], startedAtMs: startedAt });
    jestExpect(verdict.trace).toFormOneTrace();
    const own = verdict.captures.map((capture) => `${capture.method} ${capture.service} ${capture.path}`);
    jestExpect(own.filter((request) => !request.startsWith('OPTIONS '))).toEqual(['POST analytics /events']);
    jestExpect(own.filter((request) => request.startsWith('OPTIONS ')).every((request) => request === 'OPTIONS analytics /events')).toBe(true);
    jestExpect(verdict.captureLines).toEqual([]);
    jestExpect(findLeakedHeaders(verdict.captures).map((problem) => `${problem.kind}: ${problem.message}`)).toEqual([]);
  });
});
