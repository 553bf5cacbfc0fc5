/**
 * The app faults (launch argument tracehopAppFaults) through the sample app's real services: what each one
 * makes the app send to the gateway and export, against the healthy app's headers and spans.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { DEMO_CATALOG } from '../../fixtures/sample-app/src/api/catalog';
import { createAppServices, type AppServices } from '../../fixtures/sample-app/src/app-services';
import { addToCart } from '../../fixtures/sample-app/src/cart/cart';
import { readAppConfig } from '../../fixtures/sample-app/src/config/app-config';
import type { AppFault } from '../../fixtures/sample-app/src/config/app-faults';
import { APP_FAULT_NAMES } from '../../harness/detox';
import { fakeFetch, type FakeAnswer } from './support/fake-fetch';
import { SwitchableExporter } from './support/switchable-exporter';

const GATEWAY = 'http://127.0.0.1:4000';
const ANALYTICS = 'http://127.0.0.1:4002';
const PRODUCT = DEMO_CATALOG[0] as (typeof DEMO_CATALOG)[number];
const ok: FakeAnswer = { status: 200, json: {} };

function setUp(appFaults: readonly AppFault[], answer: (url: string) => FakeAnswer = () => ok) {
  const { fetch, calls } = fakeFetch(answer);
  const exporter = new SwitchableExporter();
  const services: AppServices = createAppServices(
    { backendUrl: GATEWAY, otlpUrl: 'http://127.0.0.1:4001/v1/traces', analyticsUrl: ANALYTICS, appFaults },
    { fetch, exporter },
  );
  const gatewayHeaders = () => calls.filter((call) => call.url.startsWith(GATEWAY)).map((call) => call.headers);
  return { services, calls, exporter, gatewayHeaders };
}

const journeyOf = (spans: readonly ReadableSpan[], name: string) => spans.find((span) => span.name === name);
const traceHeaderNames = (headers: Readonly<Record<string, string>>) =>
  Object.keys(headers)
    .filter((name) => !['accept', 'content-type'].includes(name))
    .sort();

describe('app faults', () => {
  test('the app knows exactly the app faults the harness validates', () => {
    const parsed = readAppConfig({ tracehopBackendUrl: GATEWAY, tracehopAppFaults: APP_FAULT_NAMES.join(',') });
    expect(parsed).toEqual({ ok: true, value: { backendUrl: GATEWAY, appFaults: APP_FAULT_NAMES } });
  });

  test('a misspelt app fault is a configuration error naming it and the valid names', () => {
    expect(readAppConfig({ tracehopBackendUrl: GATEWAY, tracehopAppFaults: 'b3-ony' })).toEqual({
      ok: false,
      message:
        'Failed to read the launch arguments: tracehopAppFaults names "b3-ony", which is not an app fault (gateway-not-first-party, trace-per-request, replay-loses-context, b3-only, unsampled-root, double-inject). Leave tracehopAppFaults out, or name app faults.',
    });
  });

  test('healthy: the gateway gets traceparent, tracestate and baggage', async () => {
    const { services, gatewayHeaders } = setUp([]);
    await services.login('ada', 'secret');
    expect(gatewayHeaders().map(traceHeaderNames)).toEqual([['baggage', 'traceparent', 'tracestate']]);
  });

  test('gateway-not-first-party: the allow-list leaves the gateway out, so it gets no trace header', async () => {
    const { services, gatewayHeaders } = setUp(['gateway-not-first-party']);
    await services.login('ada', 'secret');
    expect(gatewayHeaders()).toEqual([{ accept: 'application/json', 'content-type': 'application/json' }]);
  });

  test('trace-per-request: each request span is a root of its own trace, the journey span a lone root', async () => {
    const { services, exporter, gatewayHeaders } = setUp(['trace-per-request']);
    await services.login('ada', 'secret');
    const login = journeyOf(exporter.spans, 'login');
    const clients = exporter.spans.filter((span) => span.name === 'HTTP POST');
    expect(clients.map((span) => span.parentSpanContext?.spanId)).toEqual([undefined, undefined]);
    expect(clients.every((span) => span.spanContext().traceId !== login?.spanContext().traceId)).toBe(true);
    const gatewayClient = clients.find((span) => span.attributes['url.full'] === `${GATEWAY}/login`);
    expect(gatewayHeaders()[0]?.traceparent).toBe(
      `00-${gatewayClient?.spanContext().traceId}-${gatewayClient?.spanContext().spanId}-01`,
    );
    // The journey's baggage still goes: only the span was lost.
    expect(gatewayHeaders()[0]?.baggage).toBe('app.journey=login');
  });

  test("replay-loses-context: the replay continues the replay journey's trace, not the queuing checkout's", async () => {
    let online = false;
    const { services, exporter, gatewayHeaders } = setUp(['replay-loses-context'], (url) =>
      url.startsWith(GATEWAY) && !online ? { reject: 'Failed to fetch' } : ok,
    );
    const cart = addToCart([], PRODUCT);
    expect(await services.checkout(cart)).toEqual({ kind: 'queued', outboxSize: 1 });
    online = true;
    await services.replayOutbox();
    const replay = journeyOf(exporter.spans, 'outbox-replay');
    const checkout = journeyOf(exporter.spans, 'checkout');
    const sent = gatewayHeaders().at(-1)?.traceparent ?? '';
    expect(sent.split('-')[1]).toBe(replay?.spanContext().traceId);
    expect(sent.split('-')[1]).not.toBe(checkout?.spanContext().traceId);
  });

  test('b3-only: the gateway gets a b3 header naming the CLIENT span and no traceparent', async () => {
    const { services, exporter, gatewayHeaders } = setUp(['b3-only']);
    await services.login('ada', 'secret');
    const client = exporter.spans.find((span) => span.attributes['url.full'] === `${GATEWAY}/login`);
    expect(gatewayHeaders()).toEqual([
      {
        accept: 'application/json',
        'content-type': 'application/json',
        b3: `${client?.spanContext().traceId}-${client?.spanContext().spanId}-1`,
        baggage: 'app.journey=login',
      },
    ]);
  });

  test('unsampled-root: every span is exported with sampled=0 and the headers say sampled=0', async () => {
    const { services, exporter, gatewayHeaders } = setUp(['unsampled-root']);
    await services.login('ada', 'secret');
    expect(exporter.spans.map((span) => `${span.name} ${span.spanContext().traceFlags}`).sort()).toEqual([
      'HTTP POST 0',
      'HTTP POST 0',
      'login 0',
    ]);
    expect(gatewayHeaders()[0]?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });

  test("double-inject: the gateway gets two traceparent values, the app's and an unexported one", async () => {
    const { services, exporter, gatewayHeaders } = setUp(['double-inject']);
    await services.login('ada', 'secret');
    const client = exporter.spans.find((span) => span.attributes['url.full'] === `${GATEWAY}/login`);
    const values = (gatewayHeaders()[0]?.traceparent ?? '').split(', ');
    expect(values).toHaveLength(2);
    expect(values[0]).toBe(`00-${client?.spanContext().traceId}-${client?.spanContext().spanId}-01`);
    expect(values[1]).toMatch(new RegExp(`^00-${client?.spanContext().traceId}-[0-9a-f]{16}-01$`));
    expect(values[1]).not.toBe(values[0]);
  });
});
