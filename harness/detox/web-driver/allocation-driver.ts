import type { BrowserServer } from 'playwright-core';
import { chromiumType } from './internal/playwright';
import { failure, TracehopError } from '../../internal/messages';
import { CHROMIUM_ARGS, findBrowser } from './browser';
import { causeOf } from './internal/errors';

/** What allocation hands the runtime driver (it crosses Detox's IPC, so plain JSON only). */
export interface WebDeviceCookie {
  readonly id: string;
  readonly name: string;
  /** Playwright server endpoint of the headless Chromium this device owns. */
  readonly wsEndpoint: string;
}

/**
 * Detox allocation driver for the web build: one headless Chromium per allocated device, launched through
 * playwright-core with the system browser (never a downloaded one) and a fresh temporary profile.
 * Runs in Detox's primary process; workers connect to the browser over its endpoint.
 */
export class WebAllocationDriver {
  private readonly servers = new Map<string, BrowserServer>();
  private counter = 0;

  /** Launches Chromium and returns its cookie. */
  async allocate(): Promise<WebDeviceCookie> {
    const browser = findBrowser();
    if (!browser.ok) throw new TracehopError(browser.message);
    const chromium = chromiumType();
    let server: BrowserServer;
    try {
      // Playwright gives each launch its own fresh temporary user-data dir and removes it on close.
      server = await chromium.launchServer({ executablePath: browser.path, headless: true, args: [...CHROMIUM_ARGS] });
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
    this.servers.set(id, server);
    return { id, name: `Chromium headless (${browser.path})`, wsEndpoint: server.wsEndpoint() };
  }

  /** Closes the cookie's browser. */
  async free(cookie: WebDeviceCookie): Promise<void> {
    const server = this.servers.get(cookie.id);
    this.servers.delete(cookie.id);
    await server?.close();
  }

  /** Closes every browser still open (end of the run). */
  async cleanup(): Promise<void> {
    const open = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(open.map((server) => server.close()));
  }

  /** Kills browsers synchronously-ish when Detox is interrupted. */
  emergencyCleanup(): void {
    for (const server of this.servers.values()) void server.kill();
    this.servers.clear();
  }
}
