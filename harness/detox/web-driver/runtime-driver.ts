import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumType } from './internal/playwright';
import { failure, TracehopError } from '../../internal/messages';
import type { WebDeviceCookie } from './allocation-driver';
import { DeviceDriverBase, temporaryPath, type RuntimeDriverDeps } from './internal/detox-base';
import { causeOf } from './internal/errors';
import { launchUrl, type LaunchArgs } from './launch-url';
import { startStaticServer, type StaticServer } from './static-server';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

interface WebAppConfig {
  readonly bundleId?: string;
  readonly binaryPath?: string;
}

/** Live runtime drivers by device id, so the screenshot plugin can reach the page of its device. */
const drivers = new Map<string, WebRuntimeDriver>();

/** The runtime driver of a device, if one is live in this process. */
export function runtimeDriverFor(deviceId: string | undefined): WebRuntimeDriver | undefined {
  return deviceId === undefined ? undefined : drivers.get(deviceId);
}

/** How long actions and assertions wait for the page by default (ms); `timeoutMs` on the device config. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Detox runtime driver for the web build. The "device" is a headless Chromium, the "app" is the web build
 * (`binaryPath` points at its index.html), served over loopback. Launch args become URL query parameters;
 * app data (localStorage, cookies) survives terminate + launch and is wiped by `delete`/uninstall, as on
 * a phone.
 */
export class WebRuntimeDriver extends DeviceDriverBase {
  readonly timeoutMs: number;
  private readonly cookie: WebDeviceCookie;
  private readonly apps: readonly WebAppConfig[];
  private browser: Browser | undefined;
  private context: BrowserContext | undefined;
  private currentPage: Page | undefined;
  private savedState: StorageState | undefined;
  private readonly servers = new Map<string, StaticServer>();
  private launches = 0;

  constructor(
    deps: RuntimeDriverDeps & { appsConfig?: Readonly<Record<string, WebAppConfig>> },
    cookie: WebDeviceCookie,
  ) {
    super(deps);
    this.cookie = cookie;
    this.apps = Object.values(deps.appsConfig ?? {});
    const configured = deps.deviceConfig?.timeoutMs;
    this.timeoutMs = typeof configured === 'number' && configured > 0 ? configured : DEFAULT_TIMEOUT_MS;
    drivers.set(cookie.id, this);
  }

  getExternalId(): string {
    return this.cookie.id;
  }

  getDeviceName(): string {
    return this.cookie.name;
  }

  getPlatform(): string {
    return 'web';
  }

  getBundleIdFromBinary(binaryPath: string): string {
    return path.basename(path.dirname(path.resolve(binaryPath)));
  }

  /** The page of the running app; throws a tracehop error when no app is running. */
  page(): Page {
    if (this.currentPage === undefined || this.currentPage.isClosed()) {
      throw new TracehopError(
        failure(
          'find the app page',
          'the web app is not running',
          'Call `await device.launchApp()` before using `element(...)`.',
        ),
      );
    }
    return this.currentPage;
  }

  async launchApp(bundleId: string, launchArgs: LaunchArgs): Promise<number> {
    const base = await this.serve(bundleId);
    this.launches += 1;
    // A launch while the app runs only brings it forward on a phone: keep the page as it is.
    if (this.isAppRunning()) return this.launches;
    const browser = await this.connect();
    // A phone-sized viewport, so layouts match what the specs see on devices.
    this.context = await browser.newContext({ storageState: this.savedState, viewport: { width: 414, height: 896 } });
    this.context.setDefaultTimeout(this.timeoutMs);
    this.currentPage = await this.context.newPage();
    const url = launchUrl(base, launchArgs);
    try {
      await this.currentPage.goto(url, { waitUntil: 'load' });
    } catch (error) {
      throw new TracehopError(
        failure(`open the web app at ${url}`, causeOf(error), 'Check that the web build loads in a browser.'),
      );
    }
    return this.launches;
  }

  /** The app is ready once its page has loaded; there is no native Detox client to wait for. */
  async waitUntilReady(): Promise<void> {}

  async reloadReactNative(): Promise<void> {
    await this.page().reload({ waitUntil: 'load' });
  }

  /** Closes the app's page, keeping its storage for the next launch (like killing a phone app). */
  async terminate(): Promise<void> {
    const context = this.context;
    this.context = undefined;
    this.currentPage = undefined;
    if (context === undefined) return;
    this.savedState = await context.storageState();
    await context.close();
  }

  /** Forgets the app's storage, as uninstalling does on a phone. */
  async uninstallApp(): Promise<void> {
    this.savedState = undefined;
  }

  async takeScreenshot(screenshotName: string): Promise<string> {
    const file = await this.screenshotTo(temporaryPath.for.png());
    await this.emitter.emit('createExternalArtifact', {
      pluginId: 'screenshot',
      artifactName: screenshotName || path.basename(file, '.png'),
      artifactPath: file,
    });
    return file;
  }

  /** Writes a PNG of the current page to `file`. */
  async screenshotTo(file: string): Promise<string> {
    try {
      await this.page().screenshot({ path: file, fullPage: true });
    } catch (error) {
      throw new TracehopError(failure('take a screenshot', causeOf(error), 'Take it while the app is running.'));
    }
    return file;
  }

  /** Whether an app page is open (the screenshot plugin skips devices with none). */
  isAppRunning(): boolean {
    return this.currentPage !== undefined && !this.currentPage.isClosed();
  }

  override async cleanup(bundleId?: string): Promise<void> {
    drivers.delete(this.cookie.id);
    await this.terminate();
    await this.browser?.close();
    this.browser = undefined;
    await Promise.all([...this.servers.values()].map((server) => server.close()));
    this.servers.clear();
    await super.cleanup(bundleId);
  }

  private async connect(): Promise<Browser> {
    if (this.browser?.isConnected()) return this.browser;
    // Outside the try: a missing playwright-core is not a browser that went away; its message goes out as it is.
    const chromium = chromiumType();
    try {
      this.browser = await chromium.connect(this.cookie.wsEndpoint, { timeout: this.timeoutMs });
    } catch (error) {
      throw new TracehopError(
        failure(
          `connect to Chromium at ${this.cookie.wsEndpoint}`,
          causeOf(error),
          'Check that the browser Detox allocated is still running.',
        ),
      );
    }
    return this.browser;
  }

  /** Serves the app's build folder once per app and returns the URL of its index.html. */
  private async serve(bundleId: string): Promise<string> {
    const app =
      this.apps.find((candidate) => candidate.bundleId === bundleId) ??
      (this.apps.length === 1 ? this.apps[0] : undefined);
    const binaryPath = app?.binaryPath;
    if (binaryPath === undefined) {
      throw new TracehopError(
        failure(
          `launch the web app "${bundleId}"`,
          'its app config has no binaryPath',
          "Set the app's binaryPath in .detoxrc.js to the web build's index.html.",
        ),
      );
    }
    const file = path.resolve(binaryPath);
    if (!fs.existsSync(file)) {
      throw new TracehopError(
        failure(
          `launch the web app "${bundleId}"`,
          `its binaryPath ${file} does not exist`,
          'Build the web app first.',
        ),
      );
    }
    let server = this.servers.get(file);
    if (server === undefined) {
      server = await startStaticServer(path.dirname(file));
      this.servers.set(file, server);
    }
    return new URL(path.basename(file), server.url).toString();
  }
}
