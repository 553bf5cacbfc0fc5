/**
 * The sample app's spans as `tracehop report --spans` reads them: exported as OTLP/JSON, decoded by the
 * harness, and split by the journeys of fixtures/journeys.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { createAppServices } from '../../fixtures/sample-app/src/app-services';
import { DEMO_CATALOG } from '../../fixtures/sample-app/src/api/catalog';
import { addToCart } from '../../fixtures/sample-app/src/cart/cart';
import { decodeOtlpJson } from '../../harness/model';
import { parseJourneys, runsFromSpans } from '../../harness/report';
import { fakeFetch } from './support/fake-fetch';
import { SwitchableExporter } from './support/switchable-exporter';

const JOURNEYS = join(__dirname, '../../fixtures/journeys.json');

test('counts the trace of a checkout replayed from the outbox for both checkout and offline-replay', async () => {
  let online = false;
  const { fetch } = fakeFetch((url) =>
    url.endsWith('/checkout')
      ? online
        ? { status: 201, json: { orderId: 'o-1' } }
        : { reject: 'Network request failed' }
      : { status: 200, json: {} },
  );
  const exporter = new SwitchableExporter();
  const services = createAppServices(
    { backendUrl: 'http://127.0.0.1:4000', analyticsUrl: 'http://127.0.0.1:4002' },
    { fetch, exporter },
  );
  await services.login('ada', 'secret');
  expect(await services.checkout(addToCart([], DEMO_CATALOG[0]!))).toEqual({ kind: 'queued', outboxSize: 1 });
  online = true;
  expect(await services.replayOutbox()).toEqual({ confirmed: ['o-1'], left: 0 });

  const text = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(exporter.spans));
  const decoded = decodeOtlpJson(text, 'app-export.json');
  const spec = parseJourneys(readFileSync(JOURNEYS, 'utf8'), JOURNEYS);
  if (!decoded.ok || !spec.ok) throw new Error('the app export or fixtures/journeys.json did not parse');
  const traceOf = (root: string) =>
    decoded.spans.find((span) => span.name === root && span.parentSpanId === undefined)?.traceId;
  const named = new Map([
    [traceOf('login'), 'login'],
    [traceOf('checkout'), 'checkout'],
    [traceOf('outbox-replay'), 'outbox-replay'],
  ]);
  const runs = runsFromSpans(spec.value, decoded.spans, { recordedAt: '2026-11-26T02:00:00.000Z' });
  // outbox-replay (the action's own trace, linked to the checkout) names no declared journey: shared by the
  // journeys that ran (it starts in the app, so it may be a piece of any of them). search-retry and privacy
  // never ran: no trace names them, so they have no run.
  expect(
    runs.map((run) => [run.journey, [...new Set(run.spans.map((span) => named.get(span.traceId)))].sort()]),
  ).toEqual([
    ['checkout', ['checkout', 'outbox-replay']],
    ['login', ['login', 'outbox-replay']],
    ['offline-replay', ['checkout', 'outbox-replay']],
  ]);
});
