/**
 * `tracehop init` in scratch app repositories (in os.tmpdir()), in-process: whole outputs, exact files,
 * exit codes.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETOX, init, LAUNCH_ARGS, scratchApps, WEB_APP, WEB_ENTRIES, WROTE_E2E } from './support';

const { app, dir } = scratchApps();

/**
 * What init prints when it runs again in a web app it set up: every file left alone, said once on one line (a line
 * a file repeated why), no entries to add.
 */
function secondRun(spec: 'js' | 'ts'): string {
  return `[tracehop] init
left alone e2e/journeys.json, e2e/login.e2e.${spec}, e2e/jest.config.js and .detoxrc.js: they exist (tracehop never overwrites a file)

${LAUNCH_ARGS}
Then run: npx detox build -c web.headless && npx detox test -c web.headless
`;
}

describe('tracehop init', () => {
  it('writes the journeys file, the spec, the Jest config and a web .detoxrc.js, and prints the launch args', async () => {
    const run = await init(app(WEB_APP));
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
${WROTE_E2E}
wrote .detoxrc.js (web.headless in headless Chromium)

${LAUNCH_ARGS}
Then run: npx detox build -c web.headless && npx detox test -c web.headless
`,
    });
    expect(readdirSync(join(dir(), 'e2e')).sort()).toEqual(['jest.config.js', 'journeys.json', 'login.e2e.js']);
    expect(JSON.parse(readFileSync(join(dir(), 'e2e', 'journeys.json'), 'utf8'))).toEqual({
      journeys: [
        {
          name: 'login',
          description: "Sign in: the app's request reaches the mock api-gateway, which calls the auth-service.",
          chain: ['mobile-app', 'api-gateway', 'auth-service'],
          owner: 'shop',
          criticality: 'critical',
        },
      ],
    });
    const jestConfig = require(join(dir(), 'e2e', 'jest.config.js')) as Record<string, unknown>;
    expect([jestConfig.testEnvironment, jestConfig.reporters, jestConfig.testMatch]).toEqual([
      'tracehop/detox/environment',
      ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]],
      ['<rootDir>/e2e/**/*.e2e.js'],
    ]);
    const detoxrc = require(join(dir(), '.detoxrc.js')) as Record<string, unknown>;
    expect([detoxrc.devices, detoxrc.configurations, detoxrc.apps]).toEqual([
      { chromium: { type: 'tracehop/detox/web-driver' } },
      { 'web.headless': { device: 'chromium', app: 'web' } },
      {
        web: {
          type: 'web.bundle',
          bundleId: 'shop-web',
          binaryPath: 'web-dist/index.html',
          build: 'npm run build:web',
        },
      },
    ]);
    expect(readFileSync(join(dir(), 'e2e', 'login.e2e.js'), 'utf8')).toContain(
      "const { journey } = require('tracehop/detox');",
    );
  });

  // bundleId was the one string of the written .detoxrc.js in double quotes (JSON.stringify), beside single-quoted
  // others: a lint or prettier run in the app flagged it. A name with a quote or a backslash still loads as given.
  it.each([
    ['shop', "      bundleId: 'shop-web',"],
    ["o'shop\\", "      bundleId: 'o\\'shop\\\\-web',"],
  ])('writes the web app of %s with its bundleId in single quotes, as every other string', async (name, line) => {
    app({ ...DETOX, 'package.json': JSON.stringify({ name, scripts: { 'build:web': 'vite build' } }) });
    expect((await init(dir())).code).toBe(0);
    const text = readFileSync(join(dir(), '.detoxrc.js'), 'utf8');
    expect(text.split('\n').filter((row) => row.includes('bundleId'))).toEqual([line]);
    const detoxrc = require(join(dir(), '.detoxrc.js')) as { apps: { web: { bundleId: string } } };
    expect(detoxrc.apps.web.bundleId).toBe(`${name}-web`);
  });

  it('never overwrites: a second run leaves every file alone and says so', async () => {
    await init(app(WEB_APP));
    writeFileSync(join(dir(), 'e2e', 'journeys.json'), 'mine');
    const run = await init(dir());
    expect(run).toEqual({ code: 0, stderr: '', stdout: secondRun('js') });
    expect(readFileSync(join(dir(), 'e2e', 'journeys.json'), 'utf8')).toBe('mine');
  });

  it('--dry-run prints the plan and the entries to add to an existing .detoxrc.js, and writes nothing', async () => {
    app({ ...WEB_APP, '.detoxrc.js': 'module.exports = {};\n' });
    const run = await init(dir(), '--dry-run');
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init --dry-run: nothing is written.
would write e2e/journeys.json (one journey: login)
would write e2e/login.e2e.js (its spec)
would write e2e/jest.config.js (Jest config with Detox's and tracehop's reporters)

${WEB_ENTRIES}
Point testRunner.args.config in .detoxrc.js at e2e/jest.config.js.

${LAUNCH_ARGS}
Then run: npx detox build -c web.headless && npx detox test -c web.headless
`,
    });
    expect(existsSync(join(dir(), 'e2e'))).toBe(false);
    expect(readFileSync(join(dir(), '.detoxrc.js'), 'utf8')).toBe('module.exports = {};\n');
  });

  it("prints what an app's own e2e/jest.config.js must hold, and what a TypeScript spec still lacks", async () => {
    const ts = {
      'node_modules/typescript/package.json': '{ "name": "typescript", "version": "7.0.2" }',
      'node_modules/ts-jest/package.json': '{ "name": "ts-jest" }',
      // A React Native app's Jest: npm would add the newest @types/jest (30) unless told its major.
      'node_modules/jest/package.json': '{ "name": "jest", "version": "29.7.0" }',
    };
    app({ ...WEB_APP, ...ts, 'e2e/jest.config.js': 'module.exports = { testMatch: ["**/*.test.js"] };\n' });
    const run = await init(dir(), '--dry-run');
    expect(run.stdout.split('\n').slice(5, 21)).toEqual([
      '',
      'e2e/jest.config.js is yours: make sure it holds',
      "  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],  // with rootDir: '..'",
      "  testEnvironment: 'tracehop/detox/environment',",
      "  reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]],",
      "  testTimeout: 120000,  // or more: Jest's 5 s default cuts journey() off before its verdict",
      "  transform: { '\\\\.tsx?$': 'ts-jest' },",
      '',
      'TypeScript 7 has no JavaScript API, which ts-jest needs to compile the spec: npm install --save-dev typescript@5.9',
      '',
      "The TypeScript spec needs Jest's types: npm install --save-dev @types/jest@29",
      '',
      'There is no tsconfig.json: ts-jest compiles the spec with one. A minimal one:',
      '  { "compilerOptions": { "strict": true, "module": "commonjs", "target": "es2022", "esModuleInterop": true, "skipLibCheck": true, "types": ["jest"] }, "include": ["e2e"] }',
      '',
      'Your app must read these launch arguments (Detox launchArgs; query parameters of the page on web):',
    ]);
  });

  it('prints none of that with @types/jest, a tsconfig.json, and the Jest config init wrote itself', async () => {
    app({
      ...WEB_APP,
      'node_modules/typescript/package.json': '{ "name": "typescript" }',
      'node_modules/ts-jest/package.json': '{ "name": "ts-jest" }',
      'node_modules/@types/jest/package.json': '{ "name": "@types/jest" }',
      'tsconfig.json': '{}',
    });
    await init(dir());
    const again = await init(dir());
    expect(again.stdout).toBe(secondRun('ts'));
  });

  it('takes a CommonJS Detox config with a top-level return (legal in a module) without running it', async () => {
    app({ ...WEB_APP, '.detoxrc.js': 'if (process.env.CI) { module.exports = {}; return; }\nmodule.exports = {};\n' });
    const run = await init(dir(), '--dry-run');
    expect([run.code, run.stderr, run.stdout.split('\n')[0]]).toEqual([
      0,
      '',
      '[tracehop] init --dry-run: nothing is written.',
    ]);
  });

  it.each([
    [
      'not a package root',
      {},
      `[tracehop] Failed to set up tracehop in "<dir>": there is no package.json here. Run tracehop init in your app's package root.\n`,
    ],
    [
      'a workspaces root that is no app',
      { 'package.json': '{ "name": "mono", "private": true, "workspaces": ["apps/*", "packages/*"] }', ...DETOX },
      `[tracehop] Failed to set up tracehop in "<dir>": its package.json declares workspaces ("apps/*", "packages/*") and names no react-native, react-native-web or expo dependency, no build:web script and no Detox config: it is a monorepo's root, not an app. Run tracehop init in your app's folder, the workspace whose package.json names react-native (npx finds the tracehop installed here from there too).\n`,
    ],
    [
      'a Yarn workspaces root ({ packages }) that is no app',
      { 'package.json': '{ "name": "mono", "workspaces": { "packages": ["apps/mobile"] } }', ...DETOX },
      `[tracehop] Failed to set up tracehop in "<dir>": its package.json declares workspaces ("apps/mobile") and names no react-native, react-native-web or expo dependency, no build:web script and no Detox config: it is a monorepo's root, not an app. Run tracehop init in your app's folder, the workspace whose package.json names react-native (npx finds the tracehop installed here from there too).\n`,
    ],
    [
      'no Detox installed',
      { 'package.json': '{ "name": "shop" }' },
      `[tracehop] Failed to set up tracehop in "<dir>": Detox is not installed here. Run npm install --save-dev detox jest, then tracehop init again.\n`,
    ],
    // The install command is the app's package manager's: it said npm's in a pnpm or Yarn app.
    [
      'no Detox installed, in a pnpm app',
      { 'package.json': '{ "name": "shop", "packageManager": "pnpm@9.12.0" }' },
      `[tracehop] Failed to set up tracehop in "<dir>": Detox is not installed here. Run pnpm add --save-dev detox jest, then tracehop init again.\n`,
    ],
    [
      'no Detox installed, in a Yarn app',
      { 'package.json': '{ "name": "shop" }', 'yarn.lock': '' },
      `[tracehop] Failed to set up tracehop in "<dir>": Detox is not installed here. Run yarn add --dev detox jest, then tracehop init again.\n`,
    ],
    [
      'an unreadable package.json',
      { 'package.json': '{ "name": ' },
      `[tracehop] Failed to read "<dir>/package.json": it is not JSON (line 1, column 11: Unexpected end of JSON input). Fix it, then run tracehop init again.\n`,
    ],
    // An array passed as "a JSON object": init went on to read fields of the array, as of an empty manifest.
    [
      'a package.json holding an array',
      { 'package.json': '[{ "name": "shop" }]' },
      `[tracehop] Failed to read "<dir>/package.json": it is not a JSON object. Fix it, then run tracehop init again.\n`,
    ],
    [
      'a Detox config in JavaScript that does not compile',
      { ...WEB_APP, '.detoxrc.js': 'module.exports = {\n' },
      `[tracehop] Failed to read the Detox config "<dir>/.detoxrc.js": it is not valid JavaScript (line 2: Unexpected end of input). Fix it, then run tracehop init again.\n`,
    ],
    // V8's reason alone ("Unexpected token ','", "... at position 2") named no line to look at, nor what was wrong.
    [
      'a Detox config in JavaScript with a stray comma',
      { ...WEB_APP, '.detoxrc.js': 'module.exports = {\n  apps: {},,\n};\n' },
      `[tracehop] Failed to read the Detox config "<dir>/.detoxrc.js": it is not valid JavaScript (line 2, column 12: Unexpected token ','). Fix it, then run tracehop init again.\n`,
    ],
    [
      'an unreadable Detox config',
      { ...WEB_APP, '.detoxrc.json': '{ apps' },
      `[tracehop] Failed to read the Detox config "<dir>/.detoxrc.json": it is not JSON (line 1, column 3: Expected property name or '}'). Fix it, then run tracehop init again.\n`,
    ],
  ])('exits 2 on %s, writing nothing', async (_case, files, message) => {
    const run = await init(app(files));
    expect(run).toEqual({ code: 2, stdout: '', stderr: message.replaceAll('<dir>', dir()) });
    expect(existsSync(join(dir(), 'e2e'))).toBe(false);
  });

  it.each([
    ['react-native', '{ "name": "shop", "workspaces": ["packages/*"], "dependencies": { "react-native": "0.86.3" } }'],
    [
      'a build:web script',
      '{ "name": "shop", "workspaces": ["packages/*"], "scripts": { "build:web": "vite build" } }',
    ],
  ])('sets up a workspaces root that is the app itself (it names %s)', async (_what, pkg) => {
    const run = await init(app({ 'package.json': pkg, ...DETOX }), '--dry-run');
    expect([run.code, run.stderr, run.stdout.split('\n')[0]]).toEqual([
      0,
      '',
      '[tracehop] init --dry-run: nothing is written.',
    ]);
  });

  it.each(['package.json', '.detoxrc.js', 'e2e/jest.config.js', 'e2e/journeys.json'])(
    'exits 2 when %s is a folder, naming it, and writes nothing',
    async (folder) => {
      const files = folder === 'package.json' ? DETOX : WEB_APP;
      mkdirSync(join(app(files), folder), { recursive: true });
      const run = await init(dir());
      expect(run).toEqual({
        code: 2,
        stdout: '',
        stderr: `[tracehop] Failed to set up tracehop in "${dir()}": "${join(dir(), folder)}" is a folder, where init reads or writes a file. Move or rename that folder, then run tracehop init again.\n`,
      });
      expect(readdirSync(join(dir(), folder))).toEqual([]);
      expect(existsSync(join(dir(), 'e2e', 'login.e2e.js'))).toBe(false);
    },
  );

  it.each([
    ['init', []],
    ['init --dry-run', ['--dry-run']],
  ])('exits 2 when e2e is a file, naming it, and writes nothing (%s)', async (_name, args: string[]) => {
    writeFileSync(join(app(WEB_APP), 'e2e'), 'notes\n');
    const run = await init(dir(), ...args);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `[tracehop] Failed to set up tracehop in "${dir()}": "${join(dir(), 'e2e')}" is a file, where init writes a folder. Move or rename that file, then run tracehop init again.\n`,
    });
    expect([readFileSync(join(dir(), 'e2e'), 'utf8'), existsSync(join(dir(), '.detoxrc.js'))]).toEqual([
      'notes\n',
      false,
    ]);
  });

  it('exits 2 on an unknown option, with the usage', async () => {
    expect(await init(app(WEB_APP), '--force')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '[tracehop] Failed to init: there is no option "--force". The only option is --dry-run.\nUsage: tracehop init [--dry-run]\n',
    });
  });
});
