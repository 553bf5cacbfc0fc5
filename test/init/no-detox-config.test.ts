/**
 * Without a Detox config and a web build, `tracehop init` says how to get one in an order that works:
 * `npx detox init` stops when e2e/ is there, so it comes first (before init writes e2e/), or, once e2e/ is
 * there, the config is written by hand. Each advice is followed here with the real Detox CLI and loader.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETOX, detoxInit, init, LAUNCH_ARGS, scratchApps, WROTE_E2E } from './support';

const { app, dir } = scratchApps();

const NATIVE_APP = { 'package.json': '{ "name": "native-only" }', ...DETOX };

const TAIL = `${LAUNCH_ARGS}
Then run: npx detox build -c <your configuration> && npx detox test -c <your configuration>
`;

describe('tracehop init without a Detox config', () => {
  it('--dry-run says to run npx detox init first, and tracehop init after it prints what to add', async () => {
    expect(await init(app(NATIVE_APP), '--dry-run')).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init --dry-run: nothing is written.
would write e2e/journeys.json (one journey: login)
would write e2e/login.e2e.js (its spec)
would write e2e/jest.config.js (Jest config with Detox's and tracehop's reporters)

There is no Detox config: run npx detox init first (it writes .detoxrc.js and e2e/, and stops if e2e/ is there), then tracehop init: it prints what to add to them.

${TAIL}`,
    });
    expect(detoxInit(dir())).toEqual({
      code: 0,
      output: `Created a file at path: .detoxrc.js
Created a file at path: e2e/jest.config.js
Created a file at path: e2e/starter.test.js
`,
    });
    expect(await init(dir())).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
wrote e2e/journeys.json (one journey: login)
wrote e2e/login.e2e.js (its spec)
left alone e2e/jest.config.js: it exists (tracehop never overwrites a file)

e2e/jest.config.js is yours: make sure it holds
  testMatch: ['<rootDir>/e2e/**/*.e2e.js'],  // with rootDir: '..'
  testEnvironment: 'tracehop/detox/environment',
  reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]],

${TAIL}`,
    });
    // The entries added as printed, a second run says the files are there and nothing of the Jest config: it
    // printed the whole list again, every run, for a config that held it all.
    const jestConfig = join(dir(), 'e2e', 'jest.config.js');
    writeFileSync(
      jestConfig,
      readFileSync(jestConfig, 'utf8')
        .replace("'<rootDir>/e2e/**/*.test.js'", "'<rootDir>/e2e/**/*.e2e.js'")
        .replace(
          "testEnvironment: 'detox/runners/jest/testEnvironment'",
          "testEnvironment: 'tracehop/detox/environment'",
        )
        .replace(
          "reporters: ['detox/runners/jest/reporter']",
          "reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]]",
        ),
    );
    expect(await init(dir())).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
left alone e2e/journeys.json, e2e/login.e2e.js and e2e/jest.config.js: they exist (tracehop never overwrites a file)

${TAIL}`,
    });
  });

  it('once e2e/ is there, says what .detoxrc.js to write by hand, which Detox loads', async () => {
    const run = await init(app(NATIVE_APP));
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
${WROTE_E2E}

There is no Detox config, and npx detox init stops when e2e/ is there: write .detoxrc.js yourself, with your app's apps, devices and configurations (npx detox init run in an empty folder writes examples):
  /** @type {Detox.DetoxConfig} */
  module.exports = {
    testRunner: { args: { $0: 'jest', config: 'e2e/jest.config.js' }, jest: { setupTimeout: 120000 } },
    apps: {},
    devices: {},
    configurations: {},
  };

${TAIL}`,
    });
    expect(detoxInit(dir()).output).toContain('Failed to create e2e folder, because it already exists');
    const written = run.stdout.split('\n').filter((line) => line.startsWith('  ') && !line.startsWith('  tracehop'));
    writeFileSync(join(dir(), '.detoxrc.js'), `${written.map((line) => line.slice(2)).join('\n')}\n`);
    const loadExternalConfig = require('detox/src/configuration/loadExternalConfig') as (options: {
      errorComposer: unknown;
      cwd: string;
    }) => Promise<{ filepath: string; config: unknown }>;
    const DetoxConfigErrorComposer = require('detox/src/errors/DetoxConfigErrorComposer') as new () => unknown;
    expect(await loadExternalConfig({ errorComposer: new DetoxConfigErrorComposer(), cwd: dir() })).toEqual({
      filepath: join(dir(), '.detoxrc.js'),
      config: {
        testRunner: { args: { $0: 'jest', config: 'e2e/jest.config.js' }, jest: { setupTimeout: 120000 } },
        apps: {},
        devices: {},
        configurations: {},
      },
    });
  });
});
