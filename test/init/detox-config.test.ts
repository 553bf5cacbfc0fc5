/**
 * `tracehop init` reads the Detox config Detox 20 itself loads: the first of Detox's file names, in Detox's
 * order (locateExternalConfig in detox/src/configuration/loadExternalConfig.js), then package.json's "detox".
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETOX, init, LAUNCH_ARGS, scratchApps, WEB_APP } from './support';

const { app, dir } = scratchApps();

/** Detox 20.51's names, in its order, each with a config it loads. */
const DETOX_ORDER: readonly (readonly [string, string])[] = [
  ['.detoxrc.cjs', 'module.exports = {};\n'],
  ['.detoxrc.js', 'module.exports = {};\n'],
  ['.detoxrc.json', '{}\n'],
  ['.detoxrc', '{}\n'],
  ['detox.config.cjs', 'module.exports = {};\n'],
  ['detox.config.js', 'module.exports = {};\n'],
  ['detox.config.json', '{}\n'],
];

const NATIVE_APP = { 'package.json': '{ "name": "native-only" }', ...DETOX };

/** The whole --dry-run output for an app without a web build whose Detox config is `config`. */
function nativePlan(config: string): string {
  return `[tracehop] init --dry-run: nothing is written.
would write e2e/journeys.json (one journey: login)
would write e2e/login.e2e.js (its spec)
would write e2e/jest.config.js (Jest config with Detox's and tracehop's reporters)

Point testRunner.args.config in ${config} at e2e/jest.config.js.

${LAUNCH_ARGS}
Then run: npx detox build -c <your configuration> && npx detox test -c <your configuration>
`;
}

describe('tracehop init and the Detox config', () => {
  it.each(DETOX_ORDER.map(([name], index) => [name, index] as const))(
    'takes %s before every name Detox looks for after it',
    async (name, index) => {
      app({ ...NATIVE_APP, ...Object.fromEntries(DETOX_ORDER.slice(index)) });
      expect(await init(dir(), '--dry-run')).toEqual({ code: 0, stderr: '', stdout: nativePlan(name) });
    },
  );

  it.each([
    [
      '.detoxrc.json',
      'e2e/jest.config.json',
      '{ "testRunner": { "args": { "$0": "jest", "config": "e2e/jest.config.json" } } }\n',
    ],
    [
      '.detoxrc.js',
      'e2e/jest.config.json',
      "module.exports = { testRunner: { args: { $0: 'jest', config: './e2e/jest.config.json' } } };\n",
    ],
    [
      '.detoxrc.js',
      'jest.e2e.config.js',
      "module.exports = { testRunner: { args: { $0: 'jest', config: 'jest.e2e.config.js' } } };\n",
    ],
  ])(
    "takes the Jest config that %s names, %s, as the app's own: no second one beside it, nor a note to point Detox away",
    async (name, jestConfig, config) => {
      app({ ...NATIVE_APP, [name]: config, [jestConfig]: '{ "rootDir": ".." }\n' });
      const run = await init(dir());
      expect(run).toEqual({
        code: 0,
        stderr: '',
        stdout: `[tracehop] init
wrote e2e/journeys.json (one journey: login)
wrote e2e/login.e2e.js (its spec)
left alone ${jestConfig}: it exists (tracehop never overwrites a file)

${jestConfig} is yours: make sure it holds
  testMatch: ['<rootDir>/e2e/**/*.e2e.js'],${jestConfig.startsWith('e2e/') ? "  // with rootDir: '..'" : ''}
  testEnvironment: 'tracehop/detox/environment',
  reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]],
  testTimeout: 120000,  // or more: Jest's 5 s default cuts journey() off before its verdict

${LAUNCH_ARGS}
Then run: npx detox build -c <your configuration> && npx detox test -c <your configuration>
`,
      });
      expect(existsSync(join(dir(), 'e2e', 'jest.config.js'))).toBe(false);
    },
  );

  it('takes the "detox" key of package.json when no config file is there', async () => {
    app({ ...DETOX, 'package.json': '{ "name": "native-only", "detox": { "configurations": {} } }' });
    expect(await init(dir(), '--dry-run')).toEqual({
      code: 0,
      stderr: '',
      stdout: nativePlan('the "detox" key of package.json'),
    });
  });

  it('writes no .detoxrc.js beside a .detoxrc.cjs, which Detox would read instead', async () => {
    app({ ...WEB_APP, '.detoxrc.cjs': 'module.exports = {};\n' });
    const run = await init(dir());
    expect([run.code, run.stderr, run.stdout.split('\n').slice(0, 6)]).toEqual([
      0,
      '',
      [
        '[tracehop] init',
        'wrote e2e/journeys.json (one journey: login)',
        'wrote e2e/login.e2e.js (its spec)',
        "wrote e2e/jest.config.js (Jest config with Detox's and tracehop's reporters)",
        '',
        'Add these entries to .detoxrc.cjs (tracehop does not edit it), each inside its block beside your own (write a block it lacks):',
      ],
    ]);
    expect(existsSync(join(dir(), '.detoxrc.js'))).toBe(false);
    expect(readFileSync(join(dir(), '.detoxrc.cjs'), 'utf8')).toBe('module.exports = {};\n');
  });

  it('exits 2 on a .detoxrc.cjs that does not compile, naming it, and writes nothing', async () => {
    app({ ...WEB_APP, '.detoxrc.cjs': 'module.exports = {\n' });
    expect(await init(dir())).toEqual({
      code: 2,
      stdout: '',
      stderr: `[tracehop] Failed to read the Detox config "${join(dir(), '.detoxrc.cjs')}": it is not valid JavaScript (line 2: Unexpected end of input). Fix it, then run tracehop init again.\n`,
    });
    expect(existsSync(join(dir(), 'e2e'))).toBe(false);
  });
});
