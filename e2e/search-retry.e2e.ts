import { expect as jestExpect } from '@jest/globals';
import { by, device, element, expect, waitFor } from 'detox';
import { backend } from './support/backend';
import { awaitFlushed, journeyRoot, journeySpans, judge, JOURNEY_TIMEOUT_MS, signIn } from './support/journey';

const CHAIN = ['mobile-app', 'api-gateway', 'catalog-service'];

describe('search journey with a retry: the first attempt gets 503, the app tries again', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, delete: true });
    await signIn();
  });

  it("keeps both attempts in the journey's trace as sibling CLIENT spans", async () => {
    backend().failNext('api-gateway', 'GET', '/search', 1, 503);
    await element(by.id('search-input')).typeText('coffee');
    const startedAt = Date.now();
    await element(by.id('search-submit')).tap();
    await waitFor(element(by.id('product-p1')))
      .toBeVisible()
      .withTimeout(JOURNEY_TIMEOUT_MS);
    await expect(element(by.id('search-status'))).toHaveText('3 results');
    await awaitFlushed('search', 1);

    const spans = await journeySpans(backend(), 'search', CHAIN);
    const verdict = await judge({
      name: 'search-retry',
      root: 'search',
      spans,
      captures: backend().captures(),
      chain: CHAIN,
      startedAtMs: startedAt,
    });
    jestExpect(verdict.trace).toFormOneTrace();
    jestExpect(verdict.scope).toPropagateThrough(CHAIN);
    jestExpect(verdict.scope).toHaveNoTraceProblems({ expect: CHAIN });
    jestExpect(verdict.captureLines).toEqual([]);

    const root = journeyRoot(spans, 'search');
    const gatewayServers = spans.filter(
      (span) => span.service === 'api-gateway' && span.kind === 'server' && span.name === 'GET /search',
    );
    const attempts = gatewayServers.map((server) => spans.find((span) => span.spanId === server.parentSpanId));
    // Both gateway requests were made from app CLIENT spans that share the journey span as parent.
    jestExpect(
      attempts.map((client) => [client?.service, client?.kind, client?.traceId, client?.parentSpanId]),
    ).toEqual([
      ['mobile-app', 'client', root?.traceId, root?.spanId],
      ['mobile-app', 'client', root?.traceId, root?.spanId],
    ]);
    jestExpect(new Set(attempts.map((client) => client?.spanId)).size).toBe(2);
  });
});
