import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findBrowser } from '../../harness/detox/web-driver';
import { computeCoverage, writeReports } from '../../harness/report';
import {
  SECRET_COOKIE,
  SECRET_TOKEN,
  cleanRuns,
  sampleJourneySpecs,
  sampleRun,
} from '../../harness/report/test-support/sample-runs';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ARTIFACTS = join(__dirname, '..', '..', 'artifacts', 'report-test');

describe('report.html in headless Chromium', () => {
  let context: BrowserContext;
  let profile: string;
  let page: Page;
  const offline: string[] = [];

  beforeAll(async () => {
    const browser = findBrowser();
    if (!browser.ok) throw new Error(browser.message);
    profile = scratchDir('tracehop-chromium-');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browser.path,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    // The report must be self-contained: any request other than the file itself is a defect.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      offline.push(url);
      return route.abort();
    });
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
  });

  async function open(runs: ReturnType<typeof cleanRuns>, name: string): Promise<void> {
    const report = computeCoverage(sampleJourneySpecs(), runs, { generatedAt: '2026-11-26T02:00:00.000Z' });
    const written = await writeReports(report, join(ARTIFACTS, name));
    if (!written.ok) throw new Error(written.message);
    await page.goto(pathToFileURL(written.value.html).href);
  }

  it('draws one waterfall per journey and no broken link for clean runs', async () => {
    await open(cleanRuns(), 'clean');
    expect(
      await page.locator('svg.waterfall').evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute('data-journey'))),
    ).toEqual(['checkout', 'login', 'search-retry', 'offline-replay', 'privacy']);
    expect(await page.locator('g.link.broken').count()).toBe(0);
    expect(await page.locator('.no-traceparent').count()).toBe(0);
    expect(await page.locator('section.journey .badge').allTextContents()).toEqual([
      '100%',
      '100%',
      '100%',
      '100%',
      '100%',
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'report-clean.png'), fullPage: true });
  });

  it('draws the broken payment-api -> fraud-service link in red and shows headers on click', async () => {
    const runs = cleanRuns().map((run) =>
      run.journey === 'checkout'
        ? sampleRun('checkout', 1, { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } })
        : run,
    );
    await open(runs, 'fault');
    const broken = page.locator('g.link.broken');
    expect(
      await broken.evaluateAll((links) =>
        links.map((link) => [link.closest('svg')?.getAttribute('data-journey'), link.getAttribute('data-hop')]),
      ),
    ).toEqual([['checkout', 'payment-api -> fraud-service']]);
    expect(
      await broken
        .locator('path')
        .first()
        .evaluate((path) => getComputedStyle(path).stroke),
    ).toBe('rgb(220, 38, 38)');
    expect(
      await page
        .locator('g.broken-label')
        .evaluateAll((labels) => labels.map((label) => [label.getAttribute('data-hop'), label.textContent])),
    ).toEqual([
      [
        'payment-api -> fraud-service',
        '✗ broken: payment-api -> fraud-service · POST /fraud/score · SERVER · 134.0 ms',
      ],
    ]);
    expect(await page.locator('g.broken-label text').evaluate((text) => getComputedStyle(text).fill)).toBe(
      'rgb(220, 38, 38)',
    );
    const reason =
      'broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header';
    expect(await page.locator('section#journey-checkout li.hop.broken .reason').allTextContents()).toEqual([reason]);
    expect(await page.locator('table.summary tr.fail .reason').allTextContents()).toEqual([reason]);

    const fraudBar = page
      .locator('section#journey-checkout g.span-bar')
      .filter({ has: page.locator('title', { hasText: 'fraud-service' }) });
    await fraudBar.click();
    const details = page.locator(`#${await fraudBar.getAttribute('data-target')}`);
    expect(await details.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(true);
    const headers = await details
      .locator('table.headers tr')
      .evaluateAll((rows) =>
        rows.map((row) => [row.querySelector('th')?.textContent, row.querySelector('td')?.textContent]),
      );
    expect(headers).toEqual([
      ['host', '127.0.0.1:4002'],
      ['content-type', 'application/json'],
      ['authorization', '[redacted]'],
      ['cookie', '[redacted]'],
      ['x-tracehop-call', 'call-1-2'],
    ]);
    expect(await details.locator('.no-traceparent').allTextContents()).toEqual([
      '✗ No traceparent header arrived with this request.',
    ]);
    const html = await page.content();
    expect([html.includes(SECRET_TOKEN), html.includes(SECRET_COOKIE)]).toEqual([false, false]);
    await page.locator('section#journey-checkout').screenshot({ path: join(ARTIFACTS, 'report-fault-checkout.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'report-fault.png') });
  });

  it('loads nothing from the network', () => {
    expect(offline).toEqual([]);
  });
});
