/**
 * playwright-core is an optional peer dependency: only the web driver needs it, and only once Detox starts
 * a web device. Loading it here, on first use, lets `tracehop/detox/web-driver` load without it and say
 * what to install instead of "Cannot find module".
 */
import type { BrowserType } from 'playwright-core';
import { appDevInstallCommand } from '../../../internal/install-command';
import { TracehopError, failure } from '../../../internal/messages';
import { isMissingModule } from '../../../internal/missing-module';
import { errorMessage } from '../../../internal/result';

/** The version range tracehop is tested with (package.json peerDependencies). */
export const PLAYWRIGHT_RANGE = '1.65';

/**
 * Why playwright-core could not be loaded, as a user-facing message; `install` is the app's package manager's
 * command (`pnpm add --save-dev`, ...).
 */
export function missingPlaywrightMessage(cause: string, install = appDevInstallCommand()): string {
  return failure(
    'load playwright-core for the tracehop web driver',
    cause,
    `Install it beside tracehop: ${install} playwright-core@${PLAYWRIGHT_RANGE} (it drives your system Chromium; no browser is downloaded).`,
  );
}

/** Playwright's Chromium launcher; throws a TracehopError saying what to install when it is absent. */
export function chromiumType(load: (id: string) => unknown = require): BrowserType {
  let loaded: unknown;
  try {
    loaded = load('playwright-core');
  } catch (error) {
    // Only playwright-core's own MODULE_NOT_FOUND means it is absent; one for a module inside it is named.
    const cause = isMissingModule(error, 'playwright-core')
      ? 'the package is not installed'
      : (errorMessage(error).split('\n')[0] ?? '');
    throw new TracehopError(missingPlaywrightMessage(cause));
  }
  return (loaded as { chromium: BrowserType }).chromium;
}
