/**
 * `tracehop init` in a package whose package.json says "type": "module", where Node loads every .js file as an
 * ES module: init's CommonJS files are .cjs there, and Detox's own config loader and Jest's load them (in a
 * child Node, as `detox test` does: Jest's own require() here would not see the package type).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scratchDir } from '../../harness/test-support/scratch-dir';
import { DETOX, detoxInit, init, LAUNCH_ARGS, scratchApps, WEB_ENTRIES } from './support';

const { app, dir } = scratchApps();

const ROOT = resolve(__dirname, '../..');
const ESM_WEB_APP = {
  ...DETOX,
  'package.json': '{ "name": "shop", "type": "module", "scripts": { "build:web": "vite build" } }',
};

/**
 * In a child Node in the app: the Detox config Detox 20's loadExternalConfig finds, the Jest config its
 * testRunner.args.config names as Jest's readInitialOptions reads it, and the e2e files its testMatch matches.
 */
const LOAD = `
const { readdirSync } = require('node:fs');
const { relative, resolve } = require('node:path');
const from = (id) => require(require.resolve(id, { paths: [${JSON.stringify(ROOT)}] }));
const loadExternalConfig = from('detox/src/configuration/loadExternalConfig');
const DetoxConfigErrorComposer = from('detox/src/errors/DetoxConfigErrorComposer');
const { readInitialOptions } = from('jest-config');
const { globsToMatcher } = from('jest-util');
(async () => {
  const detox = await loadExternalConfig({ errorComposer: new DetoxConfigErrorComposer(), cwd: process.cwd() });
  const { config, configPath } = await readInitialOptions(detox.config.testRunner.args.config);
  const matches = globsToMatcher(config.testMatch.map((glob) => glob.replace('<rootDir>', config.rootDir)));
  const specs = readdirSync('e2e').map((file) => 'e2e/' + file).filter((file) => matches(resolve(file)));
  return { detoxConfig: relative('.', detox.filepath), jestConfig: relative('.', configPath), specs };
})().then(
  (loaded) => process.stdout.write(JSON.stringify(loaded)),
  (error) => process.stdout.write(JSON.stringify({ error: error.message.split('\\n').slice(0, 4).join('\\n') })),
);
`;

/** Runs LOAD from a file: under `node -e`, Node 20's require() of an ES module .js config returns {} instead. */
function loadInNode(cwd: string): unknown {
  const script = join(scratchDir('tracehop-load-'), 'load.cjs');
  writeFileSync(script, LOAD);
  const child = spawnSync(process.execPath, [script], { cwd, encoding: 'utf8' });
  return JSON.parse(child.stdout) as unknown;
}

const JEST_CONFIG = `/**
 * Detox's Jest config with tracehop: one mock backend per spec file (tracehop/detox/environment), and trace
 * coverage of the journeys in e2e/journeys.json beside Detox's reporter.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  testMatch: ['<rootDir>/e2e/**/*.e2e.cjs'],
  testTimeout: 120000,
  maxWorkers: 1,
  globalSetup: 'detox/runners/jest/globalSetup',
  globalTeardown: 'detox/runners/jest/globalTeardown',
  testEnvironment: 'tracehop/detox/environment',
  reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]],
  verbose: true,
};
`;

const DETOXRC = `/** Detox: the web build in headless Chromium, driven by tracehop's web driver. */
/** @type {Detox.DetoxConfig} */
module.exports = {
  testRunner: {
    args: { $0: 'jest', config: 'e2e/jest.config.cjs' },
    jest: { setupTimeout: 120000 },
  },
  artifacts: { rootDir: 'artifacts/detox', plugins: { screenshot: 'failing' } },
  apps: {
    web: {
      // Any type the web driver accepts: the "app" is your web build's index.html, served over loopback.
      type: 'web.bundle',
      bundleId: 'shop-web',
      binaryPath: 'web-dist/index.html', // where build:web writes index.html
      build: 'npm run build:web',
    },
  },
  devices: {
    // tracehop's Detox driver: the system Chromium, headless (needs playwright-core).
    chromium: { type: 'tracehop/detox/web-driver' },
  },
  configurations: {
    'web.headless': { device: 'chromium', app: 'web' },
  },
};
`;

const SPEC = `const { by, device, element, waitFor } = require('detox');
const { journey } = require('tracehop/detox');

describe('login journey', () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true });
  });

  // Your app's steps. The app names the journey's root span "login" (or tags it app.journey=login) and sends
  // the request to tracehopBackendUrl + "/login"; journey() then waits for the spans and judges the trace.
  it('keeps one trace from the app through the gateway to the auth service', () =>
    journey('login', async () => {
      await element(by.id('login-submit')).tap();
      await waitFor(element(by.id('home-screen')))
        .toBeVisible()
        .withTimeout(15000);
    }));
});
`;

const TAIL = `${LAUNCH_ARGS}
Then run: npx detox build -c web.headless && npx detox test -c web.headless
`;

describe('tracehop init in a "type": "module" package', () => {
  it('writes .detoxrc.cjs, e2e/jest.config.cjs and a .cjs spec, which Detox and Jest load there', async () => {
    expect(await init(app(ESM_WEB_APP))).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
wrote e2e/journeys.json (one journey: login)
wrote e2e/login.e2e.cjs (its spec)
wrote e2e/jest.config.cjs (Jest config with Detox's and tracehop's reporters)
wrote .detoxrc.cjs (web.headless in headless Chromium)

${TAIL}`,
    });
    expect(readdirSync(join(dir(), 'e2e')).sort()).toEqual(['jest.config.cjs', 'journeys.json', 'login.e2e.cjs']);
    expect(existsSync(join(dir(), '.detoxrc.js'))).toBe(false);
    expect(
      ['.detoxrc.cjs', 'e2e/jest.config.cjs', 'e2e/login.e2e.cjs'].map((path) =>
        readFileSync(join(dir(), path), 'utf8'),
      ),
    ).toEqual([DETOXRC, JEST_CONFIG, SPEC]);
    expect(loadInNode(dir())).toEqual({
      detoxConfig: '.detoxrc.cjs',
      jestConfig: 'e2e/jest.config.cjs',
      specs: ['e2e/login.e2e.cjs'],
    });
  });

  it('leaves every .cjs file alone on a second run, with no entries to add', async () => {
    await init(app(ESM_WEB_APP));
    expect(await init(dir())).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
left alone e2e/journeys.json, e2e/login.e2e.cjs, e2e/jest.config.cjs and .detoxrc.cjs: they exist (tracehop never overwrites a file)

${TAIL}`,
    });
  });

  it('keeps a TypeScript spec .ts, which Jest loads as CommonJS in any package, beside e2e/jest.config.cjs', async () => {
    app({
      ...ESM_WEB_APP,
      'node_modules/typescript/package.json': '{ "name": "typescript" }',
      'node_modules/ts-jest/package.json': '{ "name": "ts-jest" }',
      'node_modules/@types/jest/package.json': '{ "name": "@types/jest" }',
      'tsconfig.json': '{}',
    });
    const run = await init(dir());
    expect(run.stdout.split('\n').slice(0, 5)).toEqual([
      '[tracehop] init',
      'wrote e2e/journeys.json (one journey: login)',
      'wrote e2e/login.e2e.ts (its spec)',
      "wrote e2e/jest.config.cjs (Jest config with Detox's and tracehop's reporters)",
      'wrote .detoxrc.cjs (web.headless in headless Chromium)',
    ]);
    expect(loadInNode(dir())).toEqual({
      detoxConfig: '.detoxrc.cjs',
      jestConfig: 'e2e/jest.config.cjs',
      specs: ['e2e/login.e2e.ts'],
    });
  });

  it("takes an e2e/jest.config.js already there as the app's own, and writes no jest.config.cjs beside it", async () => {
    app({ ...ESM_WEB_APP, 'e2e/jest.config.js': "export default { rootDir: '..' };\n" });
    expect(await init(dir(), '--dry-run')).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init --dry-run: nothing is written.
would write e2e/journeys.json (one journey: login)
would write e2e/login.e2e.cjs (its spec)
would write .detoxrc.cjs (web.headless in headless Chromium)
left alone e2e/jest.config.js: it exists (tracehop never overwrites a file)

e2e/jest.config.js is yours: make sure it holds
  testMatch: ['<rootDir>/e2e/**/*.e2e.cjs'],  // with rootDir: '..'
  testEnvironment: 'tracehop/detox/environment',
  reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]],
  testTimeout: 120000,  // or more: Jest's 5 s default cuts journey() off before its verdict

${TAIL}`,
    });
    expect(existsSync(join(dir(), 'e2e', 'jest.config.cjs'))).toBe(false);
  });

  it('names the Detox config to add the web entries to by the .cjs name it is told to take', async () => {
    app({
      ...ESM_WEB_APP,
      '.detoxrc.js': "module.exports = { testRunner: { args: { config: 'e2e/jest.config.cjs' } } };\n",
    });
    expect(await init(dir(), '--dry-run')).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init --dry-run: nothing is written.
would write e2e/journeys.json (one journey: login)
would write e2e/login.e2e.cjs (its spec)
would write e2e/jest.config.cjs (Jest config with Detox's and tracehop's reporters)

.detoxrc.js is CommonJS (module.exports), which Detox and Jest cannot load here: this package is "type": "module", where Node loads a .js file as an ES module. Rename it to .detoxrc.cjs.

${WEB_ENTRIES.replace('to .detoxrc.js', 'to .detoxrc.cjs')}

${LAUNCH_ARGS}
Then run: npx detox build -c web.headless && npx detox test -c web.headless
`,
    });
  });

  it('after npx detox init, says to rename its CommonJS .js configs to .cjs, which Detox and Jest then load', async () => {
    app({ ...DETOX, 'package.json': '{ "name": "native-esm", "type": "module" }' });
    expect(detoxInit(dir()).code).toBe(0);
    expect(loadInNode(dir())).toEqual({
      error: `An error occurred while trying to load Detox config from:
${join(dir(), '.detoxrc.js')}

ReferenceError: module is not defined in ES module scope`,
    });
    // Detox's config sets testTimeout already; its testMatch finds no spec of init's until it is edited below.
    // The entries name the Jest config by the name it is told to take (.cjs), on the first run too.
    const entries = `e2e/jest.config.<ext> is yours: make sure it holds
<testMatch>  testEnvironment: 'tracehop/detox/environment',
  reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]],
`;
    const testMatch = "  testMatch: ['<rootDir>/e2e/**/*.e2e.cjs'],  // with rootDir: '..'\n";
    const tail = `${LAUNCH_ARGS}
Then run: npx detox build -c <your configuration> && npx detox test -c <your configuration>
`;
    expect(await init(dir())).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
wrote e2e/journeys.json (one journey: login)
wrote e2e/login.e2e.cjs (its spec)
left alone e2e/jest.config.js: it exists (tracehop never overwrites a file)

.detoxrc.js is CommonJS (module.exports), which Detox and Jest cannot load here: this package is "type": "module", where Node loads a .js file as an ES module. Rename it to .detoxrc.cjs.

e2e/jest.config.js is CommonJS (module.exports), which Detox and Jest cannot load here: this package is "type": "module", where Node loads a .js file as an ES module. Rename it to e2e/jest.config.cjs, and point testRunner.args.config at e2e/jest.config.cjs.

${entries.replace('<ext>', 'cjs').replace('<testMatch>', testMatch)}
${tail}`,
    });
    // The advice followed: both renamed, Detox pointed at the renamed Jest config, which takes init's testMatch.
    renameSync(join(dir(), '.detoxrc.js'), join(dir(), '.detoxrc.cjs'));
    renameSync(join(dir(), 'e2e', 'jest.config.js'), join(dir(), 'e2e', 'jest.config.cjs'));
    const edit = (path: string, from: string, to: string): void =>
      writeFileSync(join(dir(), path), readFileSync(join(dir(), path), 'utf8').replace(from, to));
    edit('.detoxrc.cjs', "config: 'e2e/jest.config.js'", "config: 'e2e/jest.config.cjs'");
    edit('e2e/jest.config.cjs', '*.test.js', '*.e2e.cjs');
    expect(loadInNode(dir())).toEqual({
      detoxConfig: '.detoxrc.cjs',
      jestConfig: 'e2e/jest.config.cjs',
      specs: ['e2e/login.e2e.cjs'],
    });
    expect(await init(dir())).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
left alone e2e/journeys.json, e2e/login.e2e.cjs and e2e/jest.config.cjs: they exist (tracehop never overwrites a file)

${entries.replace('<ext>', 'cjs').replace('<testMatch>', '')}
${tail}`,
    });
  });
});
