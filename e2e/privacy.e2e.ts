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
    // Recorded for coverage (journeys.json "privacy": no trace headers may reach analytics).
    const verdict = await judge({ name: 'privacy', root: 'login', spans: backend().store.spans(), captures: backend().captures(), chain: ['mobile-app'], startedAtMs: startedAt });
    jestExpect(verdict.trace).toFormOneTrace();
    jestExpect(verdict.captureLines).toEqual([]);
    jestExpect(findLeakedHeaders(backend().captures()).map((problem) => `${problem.kind}: ${problem.message}`)).toEqual([]);
  });
});
