import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findBrowser } from '../../../harness/detox/web-driver';

export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** The Chromium or Chrome the web driver would use (findBrowser), with a fresh profile; never a downloaded one. */
export async function openBrowser(): Promise<TestBrowser> {
  const browser = findBrowser();
  if (!browser.ok) throw new Error(browser.message);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tracehop-sample-app-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.path,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const byTestId = (id: string): string => `[data-testid="${id}"]`;

/** Waits until the element's text is exactly `text`; the error names what it showed instead. */
export async function waitForText(page: Page, testId: string, text: string, timeoutMs = 10_000): Promise<void> {
  try {
    await page.waitForFunction(
      ([id, expected]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === expected,
      [testId, text] as const,
      { timeout: timeoutMs },
    );
  } catch {
    const actual = await page.evaluate(
      (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '<absent>',
      testId,
    );
    throw new Error(`${testId} shows "${actual}", expected "${text}"`);
  }
}
