import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildWeb } from '../../fixtures/sample-app/scripts/build-web';
import { byTestId, openBrowser, waitForText, type TestBrowser } from './support/browser-page';
import { spansOf, type ExportedSpan } from './support/otlp-spans';
import { startStaticServer } from '../../harness/detox/web-driver';
import { RequestLog, startStub, type StubAnswer, type StubServer } from './support/stub-backend';

/**
 * The web build in headless Chromium against stub servers: login -> search (503 then retry) -> add ->
 * checkout, then an offline checkout replayed from the outbox. Checks what each host received.
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
const CLIENT = 3;

const log = new RequestLog();
const servers: StubServer[] = [];
let browser: TestBrowser;
let pageUrl: string;
let searches = 0;
let checkoutAnswer: StubAnswer = { status: 200, json: { orderId: 'ord-1' } };

beforeAll(async () => {
  const { outDir } = await buildWeb({ log: () => undefined });
  const gateway = await startStub('gateway', log, {
    'POST /login': () => ({ status: 200, json: { token: 't' } }),
    // The first search of the run is unavailable, so the app retries it.
    'GET /search': () => {
      searches += 1;
      return searches === 1
        ? { status: 503 }
        : {
            status: 200,
            json: {
              products: [
                { id: 'sku-1', name: 'Beans', price: 12.5 },
                { id: 'sku-2', name: 'Grinder', price: 89 },
                { id: 'sku-3', name: 'Jug', price: 15 },
              ],
            },
          };
    },
    'POST /checkout': () => checkoutAnswer,
  });
  const analytics = await startStub('analytics', log, { 'POST /events': () => ({ status: 202 }) });
  const otlp = await startStub('otlp', log, { 'POST /v1/traces': () => ({ status: 200, json: {} }) });
  const site = await startStaticServer(outDir);
  servers.push(gateway, analytics, otlp, site);
  const query = new URLSearchParams({
    tracehopBackendUrl: gateway.url,
    tracehopOtlpUrl: `${otlp.url}/v1/traces`,
    tracehopAnalyticsUrl: analytics.url,
  });
  pageUrl = `${site.url}?${query.toString()}`;
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
});

const gatewayRequests = (path: string) => log.requests.filter((r) => r.server === 'gateway' && r.path === path);
const exportedSpans = (): ExportedSpan[] => spansOf(log.requests.filter((r) => r.server === 'otlp'));
const parentIdOf = (traceparent: string | string[] | undefined) => TRACEPARENT.exec(String(traceparent))?.[2];
const traceIdOf = (traceparent: string | string[] | undefined) => TRACEPARENT.exec(String(traceparent))?.[1];
/** Waits until the OTLP stub has received `count` exports holding the root span `journey` (no UI signal). */
const exported = (journey: string, count: number) =>
  log.waitFor((r) => r.server === 'otlp' && spansOf([r]).some((s) => s.name === journey && !s.parentSpanId), count);

test('renders config-error instead of crashing when tracehopBackendUrl is missing', async () => {
  const { page } = browser;
  await page.goto(pageUrl.replace(/tracehopBackendUrl=[^&]*&?/, ''));
  await waitForText(
    page,
    'config-error',
    'Failed to read the launch arguments: tracehopBackendUrl is missing. Launch the app with tracehopBackendUrl=http://127.0.0.1:<port> (and tracehopOtlpUrl, tracehopAnalyticsUrl) as Detox launchArgs or, on web, as query parameters.',
  );
});

test('logs in, searches with one retry, adds a product and checks out with traceparent to the gateway only', async () => {
  const { page } = browser;
  await page.goto(pageUrl);
  await page.fill(byTestId('login-username'), 'ada');
  await page.fill(byTestId('login-password'), 'secret');
  await page.click(byTestId('login-submit'));
  await page.waitForSelector(byTestId('search-screen'));
  await exported('login', 1);

  await page.fill(byTestId('search-input'), 'coffee');
  await page.click(byTestId('search-submit'));
  await waitForText(page, 'search-status', '3 results');
  await exported('search', 1);
  await page.click(byTestId('product-sku-1-add'));
  await exported('add-to-cart', 1);
  await page.click(byTestId('go-to-cart'));
  await page.waitForSelector(byTestId('cart-item-sku-1'));
  await waitForText(page, 'cart-total', 'Total $12.50');
  await page.click(byTestId('checkout-submit'));
  await waitForText(page, 'order-status', 'Confirmed');
  await waitForText(page, 'order-id', 'ord-1');
  await exported('checkout', 1);

  // Every gateway request carries a valid traceparent; no analytics request carries any trace header.
  const gateway = log.requests.filter((r) => r.server === 'gateway');
  expect(gateway.map((r) => `${r.method} ${r.path}`)).toEqual([
    'POST /login',
    'GET /search',
    'GET /search',
    'POST /checkout',
  ]);
  expect(gateway.filter((r) => !TRACEPARENT.test(String(r.headers.traceparent)))).toEqual([]);
  // After login every gateway call carries the session, as a bearer token and as the cookie; nothing else does.
  const session = (r: (typeof log.requests)[number]) =>
    `${r.server} ${r.method} ${r.path} ${r.headers.authorization ?? '-'} ${r.headers.cookie ?? '-'}`;
  expect(log.requests.filter((r) => r.server !== 'otlp').map(session)).toEqual([
    'analytics POST /events - -',
    'gateway POST /login - -',
    'analytics POST /events - -',
    'gateway GET /search Bearer t session=t',
    'gateway GET /search Bearer t session=t',
    'analytics POST /events - -',
    'analytics POST /events - -',
    'gateway POST /checkout Bearer t session=t',
  ]);
  expect(log.requests.filter((r) => r.server === 'otlp' && (r.headers.authorization ?? r.headers.cookie))).toEqual([]);
  const analytics = log.requests.filter((r) => r.server === 'analytics');
  expect(analytics.map((r) => (JSON.parse(r.body) as { event: string }).event)).toEqual([
    'login',
    'search',
    'add-to-cart',
    'checkout',
  ]);
  expect(analytics.filter((r) => r.headers.traceparent !== undefined || r.headers.tracestate !== undefined)).toEqual(
    [],
  );

  // The retry is a sibling CLIENT span of the first search request, both under the search journey span.
  const spans = exportedSpans();
  const [first, retry] = gatewayRequests('/search');
  const firstSpan = spans.find((s) => s.spanId === parentIdOf(first?.headers.traceparent));
  const retrySpan = spans.find((s) => s.spanId === parentIdOf(retry?.headers.traceparent));
  const searchJourney = spans.find((s) => s.name === 'search');
  expect([firstSpan?.name, firstSpan?.kind, firstSpan?.attributes['http.response.status_code']]).toEqual([
    'HTTP GET',
    CLIENT,
    503,
  ]);
  expect([retrySpan?.name, retrySpan?.kind, retrySpan?.attributes['http.response.status_code']]).toEqual([
    'HTTP GET',
    CLIENT,
    200,
  ]);
  expect([firstSpan?.parentSpanId, retrySpan?.parentSpanId]).toEqual([searchJourney?.spanId, searchJourney?.spanId]);
  expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['mobile-app']));
});

test('queues a checkout while offline and replays it in the original journey trace', async () => {
  const { page } = browser;
  await page.click(byTestId('new-order'));
  await page.click(byTestId('product-sku-2-add'));
  await page.click(byTestId('go-to-cart'));
  await waitForText(page, 'cart-total', 'Total $89.00');
  checkoutAnswer = 'drop';
  await page.click(byTestId('checkout-submit'));
  await waitForText(page, 'order-status', 'Queued — will send when online');
  await waitForText(page, 'outbox-count', '1');
  await exported('checkout', 2);
  const queuedJourney = exportedSpans().filter((s) => s.name === 'checkout')[1];

  checkoutAnswer = { status: 200, json: { orderId: 'ord-2' } };
  await page.click(byTestId('outbox-sync'));
  await waitForText(page, 'order-status', 'Confirmed');
  await waitForText(page, 'order-id', 'ord-2');
  await waitForText(page, 'outbox-count', '0');
  await exported('outbox-replay', 1);

  const replayed = gatewayRequests('/checkout').at(-1);
  const replaySpan = exportedSpans().find((s) => s.spanId === parentIdOf(replayed?.headers.traceparent));
  expect(traceIdOf(replayed?.headers.traceparent)).toBe(queuedJourney?.traceId);
  expect([replaySpan?.name, replaySpan?.kind, replaySpan?.parentSpanId]).toEqual([
    'HTTP POST',
    CLIENT,
    queuedJourney?.spanId,
  ]);
});

test('skips an up-to-date web build and names the newer source when it rebuilds', async () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  expect(await buildWeb({ log })).toMatchObject({ rebuilt: false, reason: 'up to date' });
  expect(lines).toEqual(['[build-web] web-dist is up to date; skipping the build (pass --force to rebuild).']);

  const source = path.resolve(__dirname, '../../fixtures/sample-app/src/cart/cart.ts');
  const { atime, mtime } = fs.statSync(source);
  lines.length = 0;
  try {
    fs.utimesSync(source, atime, new Date(Date.now() + 60_000));
    expect(await buildWeb({ log })).toMatchObject({
      rebuilt: true,
      reason: `${path.relative(process.cwd(), source)} is newer than the build`,
    });
  } finally {
    fs.utimesSync(source, atime, mtime);
  }
  expect(lines[0]).toBe(
    `[build-web] rebuilding web-dist: ${path.relative(process.cwd(), source)} is newer than the build.`,
  );
});
