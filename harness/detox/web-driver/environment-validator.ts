import { TracehopError } from '../../internal/messages';
import { findBrowser } from './browser';

/** Fails the worker early, with what to install, when there is no browser to drive. */
export class WebEnvironmentValidator {
  async validate(): Promise<void> {
    const browser = findBrowser();
    if (!browser.ok) throw new TracehopError(browser.message);
  }
}
