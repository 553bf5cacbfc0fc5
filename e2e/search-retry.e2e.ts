import { expect as jestExpect } from '@jest/globals';
import { by, device, element, expect } from 'detox';
import { journey, workerBackend } from '../harness/detox';
import { search, signIn } from './support/steps';

describe('search journey with a retry: the first attempt gets 503, the app tries again', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
    await signIn();
  });

  it("keeps both attempts in the journey's trace as sibling CLIENT spans", async () => {
    workerBackend().failNext('api-gateway', 'GET', '/search', 1, 503);
    const verdict = await journey(
      'search-retry',
      async () => {
        await search('coffee');
        await expect(element(by.id('search-status'))).toHaveText('3 results');
      },
      { root: 'search' },
    );
    // Both gateway requests came from app CLIENT spans that share the journey's root span as parent.
    const root = verdict.trace.find((span) => span.parentSpanId === undefined);
    const callers = verdict.trace
      .filter((span) => span.service === 'api-gateway' && span.kind === 'server' && span.name === 'GET /search')
      .map((server) => verdict.trace.find((span) => span.spanId === server.parentSpanId));
    jestExpect(callers.map((client) => [client?.service, client?.kind, client?.parentSpanId])).toEqual([
      ['mobile-app', 'client', root?.spanId],
      ['mobile-app', 'client', root?.spanId],
    ]);
    jestExpect(new Set(callers.map((client) => client?.spanId)).size).toBe(2);
  });
});
