import { chromiumType } from './playwright';

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

  it("hands out playwright-core's chromium when it is installed", () => {
    expect(chromiumType().name()).toBe('chromium');
  });
});
