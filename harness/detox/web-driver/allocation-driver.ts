import type { BrowserServer, BrowserType } from 'playwright-core';
import { chromiumType } from './internal/playwright';
import { failure, TracehopError } from '../../internal/messages';
import { CHROMIUM_ARGS, findBrowser } from './browser';
import { causeOf } from './internal/errors';
import { disableFeaturesSwitch, learnDisabledFeatures } from './internal/disabled-features';
import { makeBrowserTemp, removeBrowserTemp } from './internal/browser-temp';

/** What allocation hands the runtime driver (it crosses Detox's IPC, so plain JSON only). */
export interface WebDeviceCookie {
  readonly id: string;
  readonly name: string;
  /** Playwright server endpoint of the headless Chromium this device owns. */
  readonly wsEndpoint: string;
}

/** Detox's options for `free`: `shutdown` after a failed allocation (and on `--cleanup` for phones). */
export interface WebDeallocOptions {
  readonly shutdown?: boolean;
}

interface Device {
  readonly cookie: WebDeviceCookie;
  readonly server: BrowserServer;
  /** The browser's TMPDIR (internal/browser-temp.ts), removed with the browser; none when it kept its own. */
  readonly tmp: string | undefined;
}

/**
 * Launches headless Chromium with a TMPDIR of its own; Playwright gives each launch a fresh temporary profile,
 * removed on close.
 */
async function launch(chromium: BrowserType, executablePath: string): Promise<Omit<Device, 'cookie'>> {
  const args = [...CHROMIUM_ARGS, disableFeaturesSwitch()];
  const tmp = makeBrowserTemp();
  try {
    const server = await chromium.launchServer({
      executablePath,
      headless: true,
      args,
      ...(tmp === undefined ? {} : { env: { ...process.env, TMPDIR: tmp } }),
    });
    return { server, tmp };
  } catch (error) {
    removeBrowserTemp(tmp);
    throw error;
  }
}

/** Closes the browser (if it still runs), then removes its TMPDIR. */
async function closeBrowser({ server, tmp }: Omit<Device, 'cookie'>): Promise<void> {
  try {
    await server.close();
  } finally {
    removeBrowserTemp(tmp);
  }
}

/** Whether the browser's process still runs (a crashed or killed one is never handed out again). */
function isRunning(server: BrowserServer): boolean {
  const child = server.process();
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Detox allocation driver for the web build: headless Chromium launched through playwright-core with the
 * system browser (never a downloaded one), a fresh temporary profile and a TMPDIR of its own that goes with it
 * (so a browser killed rather than closed leaves no singleton folder behind). Runs in Detox's primary process;
 * workers connect to the browser over its endpoint.
 *
 * As Detox does with a booted simulator or emulator, a freed browser stays up for the next spec file of
 * the run, so a run launches one Chromium per worker, not one per spec file. Nothing of a spec outlives it
 * there: each spec's runtime driver opens its own browser contexts (cookies, storage, pages), and they close
 * when its connection does. `cleanup` (the end of the run) closes every browser.
 */
export class WebAllocationDriver {
  private readonly devices = new Map<string, Device>();
  /** Ids of freed devices whose browser still runs, oldest first. */
  private readonly idle: string[] = [];
  private counter = 0;

  /** Hands out a freed browser that still runs, or launches Chromium; returns its cookie. */
  async allocate(): Promise<WebDeviceCookie> {
    for (let id = this.idle.shift(); id !== undefined; id = this.idle.shift()) {
      const device = this.devices.get(id);
      if (device !== undefined && isRunning(device.server)) return device.cookie;
      await this.close(id);
    }
    const browser = findBrowser();
    if (!browser.ok) throw new TracehopError(browser.message);
    // Outside the try: a missing playwright-core is not a Chromium that failed to launch, and its message
    // (what to install) goes out as it is.
    const chromium = chromiumType();
    let launched: Omit<Device, 'cookie'>;
    try {
      launched = await launch(chromium, browser.path);
      // A Playwright newer than the features switch knows: launch again with what it disables too.
      if (learnDisabledFeatures(launched.server.process().spawnargs)) {
        await closeBrowser(launched);
        launched = await launch(chromium, browser.path);
      }
    } catch (error) {
      throw new TracehopError(
        failure(
          `launch Chromium at ${browser.path}`,
          causeOf(error),
          'Run it by hand with --headless --no-sandbox to see why, or set TRACEHOP_CHROMIUM to another Chromium.',
        ),
      );
    }
    this.counter += 1;
    const id = `chromium-${process.pid}-${this.counter}`;
    const cookie: WebDeviceCookie = {
      id,
      name: `Chromium headless (${browser.path})`,
      wsEndpoint: launched.server.wsEndpoint(),
    };
    this.devices.set(id, { cookie, ...launched });
    return cookie;
  }

  /** Keeps the cookie's browser for the next allocation, or closes it when Detox asks for a shutdown. */
  async free(cookie: WebDeviceCookie, options: WebDeallocOptions = {}): Promise<void> {
    const device = this.devices.get(cookie.id);
    if (device === undefined || this.idle.includes(cookie.id)) return;
    if (options.shutdown === true || !isRunning(device.server)) await this.close(cookie.id);
    else this.idle.push(cookie.id);
  }

  /** Closes every browser, in use or not (end of the run). */
  async cleanup(): Promise<void> {
    const ids = [...this.devices.keys()];
    this.idle.length = 0;
    await Promise.all(ids.map((id) => this.close(id)));
  }

  /** Kills browsers synchronously-ish when Detox is interrupted, and removes what they left in their TMPDIR. */
  emergencyCleanup(): void {
    for (const { server, tmp } of this.devices.values()) {
      void server.kill();
      removeBrowserTemp(tmp);
    }
    this.devices.clear();
    this.idle.length = 0;
  }

  private async close(id: string): Promise<void> {
    const device = this.devices.get(id);
    this.devices.delete(id);
    if (device !== undefined) await closeBrowser(device);
  }
}
