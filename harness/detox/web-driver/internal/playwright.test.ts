import { chromiumType, missingPlaywrightMessage } from './playwright';

describe('chromiumType', () => {
  it('says what to install when playwright-core is absent', () => {
    const absent = (id: string): never => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => chromiumType(absent)).toThrow(
      new Error(
        '[tracehop] Failed to load playwright-core for the tracehop web driver: the package is not installed. Install it beside tracehop: npm install --save-dev playwright-core@1.65 (it drives your system Chromium; no browser is downloaded).',
      ),
    );
  });

  it('names the module missing inside playwright-core rather than saying the package is not installed', () => {
    const broken = (): never => {
      throw Object.assign(
        new Error("Cannot find module './lib/server'\nRequire stack:\n- /app/node_modules/playwright-core/index.js"),
        { code: 'MODULE_NOT_FOUND' },
      );
    };
    expect(() => chromiumType(broken)).toThrow(
      new Error(
        "[tracehop] Failed to load playwright-core for the tracehop web driver: Cannot find module './lib/server'. Install it beside tracehop: npm install --save-dev playwright-core@1.65 (it drives your system Chromium; no browser is downloaded).",
      ),
    );
  });

  it("names the app's own package manager's command", () => {
    expect(missingPlaywrightMessage('the package is not installed', 'yarn add --dev')).toBe(
      '[tracehop] Failed to load playwright-core for the tracehop web driver: the package is not installed. Install it beside tracehop: yarn add --dev playwright-core@1.65 (it drives your system Chromium; no browser is downloaded).',
    );
  });

  it("hands out playwright-core's chromium when it is installed", () => {
    expect(chromiumType().name()).toBe('chromium');
  });
});
