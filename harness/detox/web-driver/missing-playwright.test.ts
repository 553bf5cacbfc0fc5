/**
 * The web driver's devices when playwright-core is not installed: the loader fails as Node's does for a
 * missing module, and both drivers pass on chromiumType()'s message as it is, not as a Chromium failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scratchDir } from '../../test-support/scratch-dir';
import { WebAllocationDriver } from './allocation-driver';
import { WebRuntimeDriver } from './runtime-driver';

jest.mock('playwright-core', () => {
  throw Object.assign(
    new Error("Cannot find module 'playwright-core'\nRequire stack:\n- /app/node_modules/tracehop/dist/index.js"),
    { code: 'MODULE_NOT_FOUND' },
  );
});

const MISSING =
  '[tracehop] Failed to load playwright-core for the tracehop web driver: the package is not installed. Install it beside tracehop: npm install --save-dev playwright-core@1.65 (it drives your system Chromium; no browser is downloaded).';

describe('the web driver without playwright-core', () => {
  const savedChromium = process.env.TRACEHOP_CHROMIUM;

  beforeEach(() => {
    // Any executable will do: nothing is launched without playwright-core.
    process.env.TRACEHOP_CHROMIUM = process.execPath;
  });

  afterEach(() => {
    if (savedChromium === undefined) delete process.env.TRACEHOP_CHROMIUM;
    else process.env.TRACEHOP_CHROMIUM = savedChromium;
  });

  it('allocation says what to install, not that Chromium failed to launch', async () => {
    await expect(new WebAllocationDriver().allocate()).rejects.toThrow(new Error(MISSING));
  });

  it('a runtime driver says what to install, not that it could not connect to Chromium', async () => {
    const index = path.join(scratchDir('tracehop-no-playwright-'), 'index.html');
    fs.writeFileSync(index, '<!doctype html><title>app</title>');
    const driver = new WebRuntimeDriver(
      {
        client: null,
        eventEmitter: { emit: async () => undefined, off: () => undefined },
        appsConfig: { default: { bundleId: 'app', binaryPath: index } },
      },
      { id: 'chromium-test', name: 'Chromium headless', wsEndpoint: 'ws://127.0.0.1:9/none' },
    );
    try {
      await expect(driver.launchApp('app', {})).rejects.toThrow(new Error(MISSING));
    } finally {
      await driver.cleanup('app');
    }
  });
});
