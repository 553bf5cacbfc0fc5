import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createAppServices, type AppServices } from '../../fixtures/sample-app/src/app-services';
import { DEMO_CATALOG } from '../../fixtures/sample-app/src/api/catalog';
import { addToCart } from '../../fixtures/sample-app/src/cart/cart';
import type { FlushNotice } from '../../fixtures/sample-app/src/tracing/flush-notice';
import { noticeText } from './support/notice-text';
import { fakeFetch, type FakeAnswer } from './support/fake-fetch';
import { SwitchableExporter } from './support/switchable-exporter';

const GATEWAY = 'http://127.0.0.1:4000';
const ANALYTICS = 'http://127.0.0.1:4002';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
const PRODUCT = DEMO_CATALOG[0]!;

interface Harness {
  services: AppServices;
  calls: ReturnType<typeof fakeFetch>['calls'];
  exporter: SwitchableExporter;
  notices: string[];
}

function setUp(answer: (url: string, method: string) => FakeAnswer): Harness {
  const { fetch, calls } = fakeFetch(answer);
  const exporter = new SwitchableExporter();
  const notices: string[] = [];
  const services = createAppServices(
    { backendUrl: GATEWAY, otlpUrl: 'http://127.0.0.1:4001/v1/traces', analyticsUrl: ANALYTICS },
    { fetch, exporter, onFlushed: (notice: FlushNotice) => notices.push(noticeText(notice)) },
  );
  return { services, calls, exporter, notices };
}

const ok: FakeAnswer = { status: 200, json: {} };
const named = (spans: readonly ReadableSpan[], name: string) => spans.filter((span) => span.name === name);
const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;

describe('first-party propagation', () => {
  test('injects a traceparent naming the CLIENT span into gateway requests and none into analytics', async () => {
    const { services, calls, exporter } = setUp(() => ok);
    await services.login('ada', 'secret');

    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      `POST ${ANALYTICS}/events`,
      `POST ${GATEWAY}/login`,
    ]);
    expect(calls[0]?.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' });
    const [, traceId, parentId] = TRACEPARENT.exec(calls[1]?.headers.traceparent ?? '') ?? [];
    const loginRequest = exporter.spans.find((span) => span.spanContext().spanId === parentId);
    expect(loginRequest?.spanContext().traceId).toBe(traceId);
    expect([loginRequest?.name, loginRequest?.kind, loginRequest?.attributes]).toEqual([
      'HTTP POST',
      SpanKind.CLIENT,
      {
        'http.request.method': 'POST',
        'url.full': `${GATEWAY}/login`,
        'server.address': '127.0.0.1',
        'server.port': 4000,
        'http.response.status_code': 200,
      },
    ]);
    expect(loginRequest?.resource.attributes['service.name']).toBe('mobile-app');
  });

  test("sends the trace's tracestate member and the journey's baggage to the gateway", async () => {
    const { services, calls } = setUp(() => ok);
    await services.login('ada', 'secret');

    const { traceparent, ...rest } = calls[1]?.headers ?? {};
    expect(traceparent).toMatch(TRACEPARENT);
    expect(rest).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      tracestate: 'tracehop=mobile-app',
      baggage: 'app.journey=login',
    });
  });

  test('still records a CLIENT span for the analytics request, parented to the journey', async () => {
    const { services, exporter } = setUp(() => ok);
    await services.login('ada', 'secret');
    const [journey] = named(exporter.spans, 'login');
    const analytics = exporter.spans.find((span) => span.attributes['url.full'] === `${ANALYTICS}/events`);
    expect([analytics?.kind, parentOf(analytics)]).toEqual([SpanKind.CLIENT, journey?.spanContext().spanId]);
  });

  test('marks a request that never got an answer as an error span', async () => {
    const { services, exporter } = setUp((url) => (url.endsWith('/login') ? { reject: 'Failed to fetch' } : ok));
    expect(await services.login('ada', 'secret')).toEqual({ ok: false, message: 'Login failed: Failed to fetch' });
    const request = exporter.spans.find((span) => span.attributes['url.full'] === `${GATEWAY}/login`);
    expect([
      request?.status,
      request?.attributes['error.type'],
      request?.attributes['http.response.status_code'],
    ]).toEqual([{ code: SpanStatusCode.ERROR, message: 'Failed to fetch' }, 'TypeError', undefined]);
  });
});

describe('search retry', () => {
  test('retries a 503 once as a sibling CLIENT span under the same search journey', async () => {
    let searches = 0;
    const { services, calls, exporter } = setUp((url) =>
      url.includes('/search')
        ? { status: ++searches === 1 ? 503 : 200, json: [{ id: 'a1', name: 'A', price: 2 }] }
        : ok,
    );
    const onRetry = jest.fn();
    expect(await services.search('tea', onRetry)).toEqual({
      ok: true,
      products: [{ id: 'a1', name: 'A', priceCents: 200 }],
    });
    expect(onRetry).toHaveBeenCalledTimes(1);

    const [journey] = named(exporter.spans, 'search');
    const requests = exporter.spans.filter((span) => span.attributes['url.full'] === `${GATEWAY}/search?q=tea`);
    expect(requests.map((span) => [span.attributes['http.response.status_code'], parentOf(span)])).toEqual([
      [503, journey?.spanContext().spanId],
      [200, journey?.spanContext().spanId],
    ]);
    const sent = calls
      .filter((call) => call.url.includes('/search'))
      .map((call) => TRACEPARENT.exec(call.headers.traceparent ?? '')?.[2]);
    expect(sent).toEqual(requests.map((span) => span.spanContext().spanId));
  });

  test('gives up after the one retry', async () => {
    const { services, calls } = setUp((url) => (url.includes('/search') ? { status: 503 } : ok));
    expect(await services.search('tea', () => undefined)).toEqual({ ok: false, message: 'Search failed (HTTP 503)' });
    expect(calls.filter((call) => call.url.includes('/search'))).toHaveLength(2);
  });
});

describe('offline outbox', () => {
  test('replays a queued checkout as a CLIENT span under the journey that queued it', async () => {
    let online = false;
    const { services, calls, exporter } = setUp((url) =>
      url.endsWith('/checkout')
        ? online
          ? { status: 201, json: { orderId: 'o-9' } }
          : { reject: 'Network request failed' }
        : ok,
    );
    const cart = addToCart([], PRODUCT);
    expect(await services.checkout(cart)).toEqual({ kind: 'queued', outboxSize: 1 });

    online = true;
    expect(await services.replayOutbox()).toEqual({ confirmed: ['o-9'], left: 0 });
    const [checkout] = named(exporter.spans, 'checkout');
    const [replayJourney] = named(exporter.spans, 'outbox-replay');
    const replayed = calls.filter((call) => call.url.endsWith('/checkout'))[1];
    const [, traceId, parentId] = TRACEPARENT.exec(replayed?.headers.traceparent ?? '') ?? [];
    const replaySpan = exporter.spans.find((span) => span.spanContext().spanId === parentId);
    expect(traceId).toBe(checkout?.spanContext().traceId);
    expect([replaySpan?.name, parentOf(replaySpan)]).toEqual(['HTTP POST', checkout?.spanContext().spanId]);
    // The replay is tagged with its own journey, so a report by journey counts the checkout trace for it too.
    expect([
      replaySpan?.attributes['app.journey'],
      replaySpan?.attributes['app.outbox.replay'],
      checkout?.attributes['app.journey'],
    ]).toEqual(['offline-replay', true, 'checkout']);
    expect(replayJourney?.links.map((link) => link.context.spanId)).toEqual([checkout?.spanContext().spanId]);
    expect(JSON.parse(replayed?.body ?? '')).toEqual({
      items: [{ id: 'p1', quantity: 1, priceCents: 1250 }],
      totalCents: 1250,
    });
    // The replay carries the queuing journey's tracestate and baggage, not the replay journey's.
    expect([replayed?.headers.tracestate, replayed?.headers.baggage]).toEqual([
      'tracehop=mobile-app',
      'app.journey=checkout',
    ]);
  });

  test('keeps an order queued while the network is still down', async () => {
    const { services } = setUp((url) => (url.endsWith('/checkout') ? { reject: 'Network request failed' } : ok));
    await services.checkout(addToCart([], PRODUCT));
    expect(await services.replayOutbox()).toEqual({ confirmed: [], left: 1 });
    expect(services.outbox.size).toBe(1);
  });
});

describe('flush notices', () => {
  test('counts journeys per name once their spans are exported', async () => {
    const { services, notices, exporter } = setUp(() => ok);
    await services.login('ada', 'secret');
    await services.search('tea', () => undefined);
    await services.search('tea', () => undefined);
    expect(notices).toEqual(['login 1', 'search 1', 'search 2']);
    expect(exporter.spans.map((span) => span.name)).toEqual([
      'HTTP POST',
      'HTTP POST',
      'login',
      'HTTP POST',
      'HTTP GET',
      'search',
      'HTTP POST',
      'HTTP GET',
      'search',
    ]);
  });

  test('keeps spans from a failed export and sends them with the next journey', async () => {
    const { services, notices, exporter } = setUp(() => ok);
    exporter.online = false;
    await services.login('ada', 'secret');
    exporter.online = true;
    await services.addToCart(PRODUCT);
    expect(notices).toEqual(['login 1 (export failed, 3 spans kept)', 'add-to-cart 1']);
    expect(exporter.spans.map((span) => span.name)).toEqual([
      'HTTP POST',
      'HTTP POST',
      'login',
      'HTTP POST',
      'add-to-cart',
    ]);
  });

  test('says so when no OTLP URL was given', async () => {
    const { fetch } = fakeFetch(() => ok);
    const notices: string[] = [];
    const services = createAppServices(
      { backendUrl: GATEWAY },
      { fetch, onFlushed: (notice) => notices.push(noticeText(notice)) },
    );
    await services.login('ada', 'secret');
    expect(notices).toEqual(['login 1 (not exported: no tracehopOtlpUrl)']);
  });
});
