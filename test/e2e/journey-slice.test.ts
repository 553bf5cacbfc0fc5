import { randomBytes } from 'node:crypto';
import { startBackend, type Backend } from '../../harness/backend';
import { asSpanId, asTraceId, type Span } from '../../harness/model';
import { checkCaptures } from '../../harness/verify/capture';
import { journeySlice } from '../../harness/verify';

const CHECKOUT_CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];

/** Plays one app journey without an SDK: a root span, one CLIENT span per request, stored as if exported. */
async function appJourney(
  backend: Backend,
  name: string,
  requests: readonly { service: string; path: string; headers?: (traceparent: string) => Record<string, string> }[],
): Promise<Span> {
  const traceId = asTraceId(randomBytes(16).toString('hex'));
  const root: Span = {
    traceId,
    spanId: asSpanId(randomBytes(8).toString('hex')),
    name,
    kind: 'internal',
    service: 'mobile-app',
    startTimeMs: Date.now(),
    endTimeMs: Date.now(),
    attributes: {},
    traceFlags: 1,
  };
  const spans: Span[] = [root];
  for (const request of requests) {
    const spanId = asSpanId(randomBytes(8).toString('hex'));
    const traceparent = `00-${traceId}-${spanId}-01`;
    const response = await fetch(`${backend.urls.services[request.service]}${request.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(request.headers ? request.headers(traceparent) : { traceparent }),
      },
      body: '{}',
    });
    await response.text();
    spans.push({
      traceId,
      spanId,
      parentSpanId: root.spanId,
      name: 'HTTP POST',
      kind: 'client',
      service: 'mobile-app',
      startTimeMs: Date.now(),
      endTimeMs: Date.now(),
      attributes: {},
      traceFlags: 1,
    });
  }
  backend.store.add(...spans);
  return root;
}

/** The first epoch millisecond after every request so far, once the clock has reached it (a tick, not a sleep). */
function afterLastCapture(backend: Backend): number {
  const since = Math.max(0, ...backend.captures().map((capture) => capture.timeMs)) + 1;
  while (Date.now() < since);
  return since;
}

const traceServices = (spans: readonly Span[], traceId: string | undefined): string[] =>
  [...new Set(spans.filter((span) => span.traceId === traceId).map((span) => span.service))].sort();

describe('journeySlice', () => {
  let backend: Backend;

  beforeEach(async () => {
    backend = await startBackend({
      faults: [{ service: 'api-gateway', fault: 'drop-traceparent' }],
      onWarning: () => undefined,
    });
  });

  afterEach(async () => {
    await backend.stop();
  });

  it("keeps a checkout's restarted traces and requests, and leaves out the login before it", async () => {
    const login = await appJourney(backend, 'login', [{ service: 'api-gateway', path: '/login' }]);
    const startedAtMs = Date.now();
    const checkout = await appJourney(backend, 'checkout', [{ service: 'api-gateway', path: '/checkout' }]);
    const spans = backend.store.spans();
    const slice = journeySlice(spans, backend.captures(), {
      root: 'checkout',
      chain: CHECKOUT_CHAIN,
      sinceMs: startedAtMs,
    });

    expect(slice.traceId).toBe(checkout.traceId);
    expect(slice.spans.some((span) => span.traceId === login.traceId)).toBe(false);
    // The gateway dropped the header: payment-api started over, and its trace is the checkout's too.
    const traces = [...new Set(slice.spans.map((span) => span.traceId))];
    expect(traces.map((traceId) => traceServices(slice.spans, traceId)).sort()).toEqual([
      ['api-gateway', 'mobile-app'],
      ['fraud-service', 'payment-api'],
    ]);
    expect(slice.captures.map((capture) => `${capture.service} ${capture.path}`)).toEqual([
      'api-gateway /checkout',
      'payment-api /payments',
      'fraud-service /fraud/score',
    ]);
    expect(checkCaptures(slice.captures, slice.spans).map((problem) => `${problem.kind} ${problem.service}`)).toEqual([
      'broken-chain payment-api',
    ]);
  });

  it("gives the login's restarted auth-service trace to login, and none of it to a journey whose chain ends at the app", async () => {
    const startedAtMs = Date.now();
    const login = await appJourney(backend, 'login', [
      { service: 'analytics', path: '/events', headers: () => ({}) },
      { service: 'api-gateway', path: '/login' },
    ]);
    const spans = backend.store.spans();
    const asLogin = journeySlice(spans, backend.captures(), {
      root: 'login',
      chain: ['mobile-app', 'api-gateway', 'auth-service'],
      sinceMs: startedAtMs,
    });
    expect(asLogin.captures.map((capture) => `${capture.service} ${capture.path}`)).toEqual([
      'api-gateway /login',
      'auth-service /sessions',
    ]);
    expect(new Set(asLogin.spans.map((span) => span.traceId)).size).toBe(2);

    const asPrivacy = journeySlice(spans, backend.captures(), {
      root: 'login',
      chain: ['mobile-app'],
      thirdParty: ['analytics'],
      sinceMs: startedAtMs,
    });
    expect(asPrivacy.traceId).toBe(login.traceId);
    expect(traceServices(asPrivacy.spans, login.traceId)).toEqual(['api-gateway', 'mobile-app']);
    expect(asPrivacy.captures.map((capture) => `${capture.service} ${capture.path}`)).toEqual(['analytics /events']);
    expect(checkCaptures(asPrivacy.captures, asPrivacy.spans)).toEqual([]);
  });

  it('keeps the privacy check: a trace header sent to the third party is a leaked-header of the journey', async () => {
    const before = await appJourney(backend, 'login', [
      { service: 'analytics', path: '/events', headers: (traceparent) => ({ traceparent }) },
    ]);
    const startedAtMs = afterLastCapture(backend);
    const login = await appJourney(backend, 'login', [
      { service: 'analytics', path: '/events', headers: (traceparent) => ({ traceparent }) },
    ]);
    const slice = journeySlice(backend.store.spans(), backend.captures(), {
      root: 'login',
      chain: ['mobile-app'],
      thirdParty: ['analytics'],
      sinceMs: startedAtMs,
    });
    // Only this journey's event: the leak of the run before belongs to that run.
    expect(
      slice.captures.map((capture) => capture.headers.find(([name]) => name === 'traceparent')?.[1].slice(3, 35)),
    ).toEqual([login.traceId]);
    expect(before.traceId).not.toBe(login.traceId);
    expect(checkCaptures(slice.captures, slice.spans).map((problem) => problem.kind)).toEqual(['leaked-header']);
  });
});
