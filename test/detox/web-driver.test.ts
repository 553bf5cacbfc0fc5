import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import {
  findBrowser,
  WebAllocationDriver,
  WebExpectApi,
  WebRuntimeDriver,
  type WebDeviceCookie,
} from '../../harness/detox/web-driver';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const APP = path.join(__dirname, 'tiny-app', 'index.html');

interface Emitted {
  readonly event: string;
  readonly payload: Record<string, unknown>;
}

describe('web driver on a tiny page in headless Chromium', () => {
  const emitted: Emitted[] = [];
  const allocation = new WebAllocationDriver();
  let cookie: WebDeviceCookie;
  let driver: WebRuntimeDriver;
  let api: WebExpectApi;

  beforeAll(async () => {
    const browser = findBrowser();
    if (!browser.ok) throw new Error(browser.message);
    cookie = await allocation.allocate();
    driver = new WebRuntimeDriver(
      {
        client: null,
        eventEmitter: { emit: async (event, payload) => void emitted.push({ event, payload }), off: () => undefined },
        appsConfig: { default: { bundleId: 'tiny', binaryPath: APP } },
        deviceConfig: { timeoutMs: 3000 },
      },
      cookie,
    );
    api = new WebExpectApi({ runtimeDevice: { deviceDriver: driver } });
  });

  afterAll(async () => {
    await driver.cleanup('tiny');
    await allocation.cleanup();
  });

  /** Keeps the page's main thread busy for `ms` from its next task: it answers no evaluate meanwhile. */
  const keepPageBusy = (ms: number): Promise<void> =>
    driver.page().evaluate((busyMs) => {
      setTimeout(() => {
        const end = Date.now() + busyMs;
        while (Date.now() < end);
      }, 0);
    }, ms);
  /** Waits for row-99 while scrolling the list down, which reaches its edge before any row-99. */
  const scrollForRow99 = (): Promise<void> =>
    api
      .waitFor(api.element(api.by.id('row-99')))
      .toBeVisible()
      .whileElement(api.by.id('list'))
      .scroll(200, 'down');
  const WHILE_SCROLLING = '[tracehop] Failed to see by.id("row-99") to be visible while scrolling by.id("list") down: ';
  const SCREENSHOT_HINT = "Check the failing test's screenshot in the Detox artifacts folder.";

  it("points spans handed to Detox's expect at Jest's expect, and any other non-element at element(by.id(...))", () => {
    const thrown = (call: () => unknown): string => {
      try {
        call();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect([thrown(() => api.expect([] as never)), thrown(() => api.waitFor('login-screen' as never))]).toEqual([
      "[tracehop] Failed to run expect(...): its argument is a list, not an element: in a Detox spec the global expect is Detox's, for elements. For tracehop's span matchers (toFormOneTrace, toPropagateThrough, toHaveNoTraceProblems) assert with Jest's expect: import { expect } from '@jest/globals'.",
      "[tracehop] Failed to run waitFor(...): its argument is not an element. Pass element(by.id('...')), e.g. waitFor(element(by.id('login-screen'))).",
    ]);
  });

  it('passes launch args as query parameters and drops Detox internals', async () => {
    await driver.launchApp('tiny', { tracehopBackendUrl: 'http://127.0.0.1:9', detoxServer: 'ws://x' });
    expect(driver.page().url()).toMatch(/\/index\.html\?tracehopBackendUrl=http%3A%2F%2F127\.0\.0\.1%3A9$/);
    await api.expect(api.element(api.by.id('greeting'))).toHaveText('Backend http://127.0.0.1:9');
  });

  it('types after the current text, taps, and waits for late content', async () => {
    const { by, element, expect: detoxExpect, waitFor } = api;
    await element(by.id('name')).typeText(' Lovelace');
    await detoxExpect(element(by.id('name'))).toHaveText('Ada Lovelace');
    await detoxExpect(element(by.id('done'))).not.toExist();
    await element(by.id('submit')).tap();
    await waitFor(element(by.id('done')))
      .toBeVisible()
      .withTimeout(3000);
    await detoxExpect(element(by.text('Done'))).toBeVisible();
    await detoxExpect(element(by.id('result'))).toHaveText('Hello Ada Lovelace');
    await detoxExpect(element(by.id('result'))).not.toHaveText('Hello Ada');
  });

  it('replaces and clears text', async () => {
    const { by, element, expect: detoxExpect } = api;
    await element(by.id('name')).replaceText('Grace');
    await detoxExpect(element(by.id('name'))).toHaveText('Grace');
    await element(by.id('name')).clearText();
    await detoxExpect(element(by.id('name'))).toHaveText('');
  });

  it('scrolls the scrollable element', async () => {
    await api.element(api.by.id('list')).scroll(100, 'down');
    const top = await driver
      .page()
      .getByTestId('list')
      .evaluate((element) => element.scrollTop);
    expect(top).toBe(100);
    await api.element(api.by.id('list')).scrollTo('top');
  });

  it('counts a row scrolled out of its scroll view as not visible, as on a phone screen', async () => {
    const { by, element, expect: detoxExpect } = api;
    await detoxExpect(element(by.id('row-0'))).toBeVisible();
    await detoxExpect(element(by.id('row-5'))).not.toBeVisible();
    await detoxExpect(element(by.id('row-5'))).toExist();
    await element(by.id('list')).scroll(15, 'down');
    // Row 0 is half scrolled out, row 2 half in: 50% each.
    await detoxExpect(element(by.id('row-0'))).not.toBeVisible();
    await detoxExpect(element(by.id('row-0'))).toBeVisible(50);
    await detoxExpect(element(by.id('row-2'))).toBeVisible(50);
    await expect(
      api
        .waitFor(element(by.id('row-2')))
        .toBeVisible()
        .withTimeout(100),
    ).rejects.toThrow(
      '[tracehop] Failed to see by.id("row-2") to be visible: 50% of it is on screen after 100 ms. ' +
        "Check the failing test's screenshot in the Detox artifacts folder.",
    );
    await element(by.id('list')).scrollTo('top');
  });

  it('scrolls whileElement until the row is visible, then stops', async () => {
    const { by, element, waitFor } = api;
    await waitFor(element(by.id('row-12')))
      .toBeVisible()
      .whileElement(by.id('list'))
      .scroll(50, 'down');
    // 50 px steps: row 12 (360-390 px) is fully inside the 60 px window once scrollTop is 350.
    expect(
      await driver
        .page()
        .getByTestId('list')
        .evaluate((list) => list.scrollTop),
    ).toBe(350);
  });

  it('fails whileElement when the scroll view reaches its edge first', async () => {
    const { by, element } = api;
    await expect(scrollForRow99()).rejects.toThrow(
      `${WHILE_SCROLLING}no element matches when by.id("list") could scroll no further down. ${SCREENSHOT_HINT}`,
    );
    expect(
      await driver
        .page()
        .getByTestId('list')
        .evaluate((list) => list.scrollTop),
    ).toBe(540);
    await element(by.id('list')).scrollTo('top');
  });

  it('fails an expectation with the element, the expectation and what it saw', async () => {
    await expect(api.expect(api.element(api.by.id('result'))).toHaveText('Bye')).rejects.toThrow(
      '[tracehop] Failed to see by.id("result") to have text "Bye": its text is "Hello Ada Lovelace" after 3000 ms. ' +
        "Check the failing test's screenshot in the Detox artifacts folder.",
    );
  });

  it('passes waitFor with no deadline (withTimeout(Infinity)) as soon as the condition holds', async () => {
    await expect(
      api
        .waitFor(api.element(api.by.id('result')))
        .toHaveText('Hello Ada Lovelace')
        .withTimeout(Infinity),
    ).resolves.toBeUndefined();
  });

  it('fails waitFor after its own timeout when the element never appears', async () => {
    await expect(
      api
        .waitFor(api.element(api.by.id('never')))
        .toBeVisible()
        .withTimeout(200),
    ).rejects.toThrow(
      '[tracehop] Failed to see by.id("never") to be visible: no element matches after 200 ms. ' +
        "Check the failing test's screenshot in the Detox artifacts folder.",
    );
  });

  it('fails waitFor at its deadline when the page stops answering, instead of hanging until Jest gives up', async () => {
    // The page's main thread is busy for 6 s: Playwright's evaluate would wait all that time, and for a renderer
    // that hangs, forever.
    await keepPageBusy(6000);
    await expect(
      api
        .waitFor(api.element(api.by.id('result')))
        .toHaveText('never')
        .withTimeout(300),
    ).rejects.toThrow(
      '[tracehop] Failed to see by.id("result") to have text "never": the page did not answer for 2000 ms (its renderer is stalled or busy) after 300 ms. ' +
        "Check the failing test's screenshot in the Detox artifacts folder.",
    );
    // Wait for the page to answer again before the next test uses it.
    await driver.page().evaluate(() => 1);
  });

  it('fails whileElement at its deadline when the page stops answering, instead of hanging', async () => {
    // Busy for 7 s: past the device timeout (3 s) and the 2 s a look is given beyond it.
    await keepPageBusy(7000);
    await expect(scrollForRow99()).rejects.toThrow(
      `${WHILE_SCROLLING}the page did not answer for 2000 ms (its renderer is stalled or busy). ${SCREENSHOT_HINT}`,
    );
    // Wait for the page to answer again before the next test uses it.
    await driver.page().evaluate(() => 1);
  });

  it('takes a screenshot and hands it to Detox as an artifact', async () => {
    const file = await driver.takeScreenshot('tiny');
    expect(fs.readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    expect(emitted.at(-1)).toEqual({
      event: 'createExternalArtifact',
      payload: { pluginId: 'screenshot', artifactName: 'tiny', artifactPath: file },
    });
  });

  it('keeps app storage across terminate and launch, and wipes it on uninstall', async () => {
    const { by, element, expect: detoxExpect } = api;
    await detoxExpect(element(by.id('visits'))).toHaveText('Visits 1');
    await driver.terminate();
    await driver.launchApp('tiny', {});
    await detoxExpect(element(by.id('visits'))).toHaveText('Visits 2');
    await driver.terminate();
    await driver.uninstallApp();
    await driver.launchApp('tiny', {});
    await detoxExpect(element(by.id('visits'))).toHaveText('Visits 1');
  });

  it('reloads the page on reloadReactNative', async () => {
    await driver.reloadReactNative();
    await api.expect(api.element(api.by.id('visits'))).toHaveText('Visits 2');
  });

  it('says the app is not running when an element is used after terminate', async () => {
    await driver.terminate();
    await expect(api.element(api.by.id('submit')).tap()).rejects.toThrow(
      '[tracehop] Failed to find the app page: the web app is not running. Call `await device.launchApp()` before using `element(...)`.',
    );
  });
});

describe('web allocation driver: one browser per worker, as Detox keeps a booted device', () => {
  const drivers: WebAllocationDriver[] = [];
  /** A driver of the test's own, cleaned up after the suite even when the test fails. */
  const newDriver = (): WebAllocationDriver => {
    const driver = new WebAllocationDriver();
    drivers.push(driver);
    return driver;
  };

  afterAll(async () => {
    await Promise.all(drivers.map((driver) => driver.cleanup()));
  });

  /** The Chromium main processes this test process started. */
  const childBrowsers = (): number[] =>
    execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => /chrom/.test(line))
      .map((line) => Number(line.trim().split(/\s+/)[0]));

  const findBrowserPath = (): string => {
    const found = findBrowser();
    if (!found.ok) throw new Error(found.message);
    return found.path;
  };

  /** Allocates a device and finds the Chromium it launched (the one new child browser). */
  const allocateLaunched = async (
    allocation: WebAllocationDriver,
  ): Promise<{ cookie: WebDeviceCookie; pid: number }> => {
    const before = new Set(childBrowsers());
    const cookie = await allocation.allocate();
    const launched = childBrowsers().filter((pid) => !before.has(pid));
    if (launched.length !== 1) throw new Error(`expected one new Chromium, found ${launched.length}`);
    return { cookie, pid: launched[0] as number };
  };

  /** Resolves once `pid` is gone from the process table (its parent, this process, reaped it); fails after 10 s. */
  const reaped = async (pid: number): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (fs.existsSync(`/proc/${pid}`)) {
      if (Date.now() > deadline) throw new Error(`process ${pid} still in the process table after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** Whether a client can connect to the cookie's browser. */
  const connects = async (cookie: WebDeviceCookie): Promise<boolean> => {
    try {
      const browser = await chromium.connect(cookie.wsEndpoint, { timeout: 5000 });
      await browser.close();
      return true;
    } catch {
      return false;
    }
  };

  it('hands a freed browser to the next spec file, oldest first, and a busy one to nobody else', async () => {
    const allocation = newDriver();
    const first = await allocation.allocate();
    const second = await allocation.allocate();
    expect(second.id).not.toBe(first.id);
    await allocation.free(first);
    expect(await allocation.allocate()).toEqual(first);
    await allocation.free(first);
    await allocation.free(second);
    expect([(await allocation.allocate()).id, (await allocation.allocate()).id]).toEqual([first.id, second.id]);
  });

  it('closes the browser when Detox frees it with shutdown, and launches a new one next', async () => {
    const allocation = newDriver();
    const cookie = await allocation.allocate();
    await allocation.free(cookie, { shutdown: true });
    expect(await connects(cookie)).toBe(false);
    const next = await allocation.allocate();
    expect([next.id === cookie.id, await connects(next)]).toEqual([false, true]);
  });

  it('never hands out a browser that died, and launches another', async () => {
    const allocation = newDriver();
    const { cookie, pid } = await allocateLaunched(allocation);
    const browser = await chromium.connect(cookie.wsEndpoint);
    const disconnected = new Promise<void>((resolve) => browser.on('disconnected', () => resolve()));
    process.kill(pid, 'SIGKILL');
    await disconnected;
    // The client may hear of it before this process has reaped the browser and seen it exit.
    await reaped(pid);
    await allocation.free(cookie);
    const next = await allocation.allocate();
    expect([next.id === cookie.id, await connects(next)]).toEqual([false, true]);
  });

  it("runs without the omnibox popups' WebUI, and keeps every feature Playwright itself disables off", async () => {
    const allocation = newDriver();
    const { cookie, pid } = await allocateLaunched(allocation);
    // Chromium reads the last --disable-features switch only.
    const switches = (text: string): string[][] =>
      [...text.matchAll(/--disable-features=(\S*)/g)].map((match) => (match[1] ?? '').split(','));
    const ours = switches(fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ')).at(-1) ?? [];
    const browser = await chromium.connect(cookie.wsEndpoint);
    await (await browser.newContext()).newPage();
    const session = await browser.newBrowserCDPSession();
    const { targetInfos } = (await session.send('Target.getTargets', { filter: [{}] })) as {
      targetInfos: { type: string }[];
    };
    await browser.close();
    // Playwright's own switch, as it launches a browser with no arguments of ours.
    const plain = await chromium.launchServer({
      executablePath: findBrowserPath(),
      headless: true,
      args: ['--no-sandbox'],
    });
    const playwrights = switches(plain.process().spawnargs.join(' ')).at(-1) ?? [];
    await plain.close();
    expect([
      targetInfos.map((target) => target.type).sort(),
      playwrights.length > 0,
      playwrights.filter((feature) => !ours.includes(feature)),
      ours.filter((feature) => feature.startsWith('WebUIOmnibox')),
    ]).toEqual([['page', 'tab'], true, [], ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup']]);
  });

  it('closes every browser, busy or freed, at the end of the run', async () => {
    const allocation = newDriver();
    const before = new Set(childBrowsers());
    const busy = await allocation.allocate();
    const freed = await allocation.allocate();
    await allocation.free(freed);
    expect(childBrowsers().filter((pid) => !before.has(pid))).toHaveLength(2);
    await allocation.cleanup();
    expect([await connects(busy), await connects(freed)]).toEqual([false, false]);
    expect(childBrowsers().filter((pid) => !before.has(pid))).toEqual([]);
  });

  it('leaves nothing in the temp folder, though a browser was killed rather than closed', async () => {
    // Chromium makes its singleton folder (org.chromium.Chromium.XXXXXX) in TMPDIR, and Playwright its profile
    // in os.tmpdir(): both read TMPDIR when a browser launches.
    const tmp = scratchDir('tracehop-driver-tmp-');
    // The driver's own TMPDIRs for each browser, in os.tmpdir() (this process's, not this test file's TMPDIR).
    const driverTemps = (): string[] =>
      fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('tracehop-chromium-'));
    const before = new Set(driverTemps());
    const outer = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp;
    try {
      const allocation = newDriver();
      const { cookie, pid } = await allocateLaunched(allocation);
      const closed = await allocation.allocate();
      process.kill(pid, 'SIGKILL');
      await reaped(pid);
      await allocation.free(cookie);
      await allocation.free(closed, { shutdown: true });
      await allocation.allocate();
      await allocation.cleanup();
    } finally {
      if (outer === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = outer;
    }
    expect({ tmp: fs.readdirSync(tmp), driverTemps: driverTemps().filter((name) => !before.has(name)) }).toEqual({
      tmp: [],
      driverTemps: [],
    });
  });
});
