/**
 * tracehop's Jest parts under Jest 29, which React Native app templates still ship (tracehop's peers take
 * Jest ^29 || ^30; Detox 20 runs Jest 27 to 30), while every other suite here runs under this repository's
 * Jest 30. A scratch app holds tracehop as npm installs it (package.json and dist/, copied; its dependencies
 * linked) beside Jest 29 (the `jest-29` dev dependency) and Jest 29's own expect, @jest/globals and
 * jest-environment-node, as an app's install hoists them, and Jest 29's CLI runs it in a process of its own:
 * - the span matchers pass and fail in Jest 29's words, and type-check on Jest 29's expect (by the declarations
 *   tracehop merges into the `expect` package, which an app's install resolves to Jest 29's);
 * - the coverage reporter writes its reports, gates the run, and stops it before any test file when its
 *   journeys file is missing;
 * - tracehop/detox/environment wraps Detox's environment around a spec file on a stub Detox device (no
 *   simulator, emulator or browser): it hands the app its backend, journey() passes and records a checkout the
 *   spec plays as the app would, and a test that left its journey running fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanRuns } from '../../harness/report/test-support/sample-runs';
import { scratchDir } from '../../harness/test-support/scratch-dir';
import { installBuiltTracehop, linkPackage } from './support/built-package';

const ROOT = path.join(__dirname, '..', '..');
const JEST_29 = path.join(ROOT, 'node_modules', 'jest-29');
const CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];

let app: string;

interface JestRun {
  readonly code: number | null;
  /** Jest's report (stderr), and Detox's log lines (stdout) */
  readonly stderr: string;
  readonly stdout: string;
}

/** Processes started here that have not exited: a test that timed out leaves none running after the file. */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Runs a Node script (in the app, unless told), with nothing of this run's tracehop or Detox settings in its
 * environment.
 */
function run(script: string, args: readonly string[], cwd = app): Promise<JestRun> {
  const env: NodeJS.ProcessEnv = { FORCE_COLOR: '0', TMPDIR: path.join(app, 'tmp') };
  for (const [key, value] of Object.entries(process.env))
    if (!/^(TRACEHOP_|DETOX_|JEST_|FORCE_COLOR$|NO_COLOR$|TMPDIR$)/.test(key)) env[key] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs Jest 29's CLI in the app. */
const jest29 = (args: readonly string[]): Promise<JestRun> =>
  run(path.join(JEST_29, 'bin', 'jest.js'), ['--ci', ...args]);

/**
 * The test results Jest printed, one `✓ name`, `✕ name` or `○ skipped name` each, without durations; and
 * why a test file failed to run, where one did (its tests print no result then).
 */
function verdicts(run: JestRun): string[] {
  const results = [...run.stderr.matchAll(/^ {2}([✓✕○]) (.+?)(?: \(\d+ ms\))?$/gm)];
  const unrun = run.stderr.includes('  ● Test suite failed to run\n')
    ? [`failed to run: ${failureOf(run, 'Test suite failed to run')}`]
    : [];
  return [...results.map(([, mark, name]) => `${mark} ${name}`), ...unrun];
}

/** The block Jest printed for a failed test, from its `●` heading to the next heading or the summary. */
function failureOf(run: JestRun, test: string): string {
  const heading = `  ● ${test}\n`;
  const start = run.stderr.indexOf(heading);
  if (start < 0) return `no failure printed for "${test}" in:\n${run.stderr}`;
  const rest = run.stderr.slice(start + heading.length);
  const end = rest.search(/^( {2}● |\[tracehop\] |Test Suites: )/m);
  return (end < 0 ? rest : rest.slice(0, end)).replace(/\s+$/, '').replace(/^\n+/, '');
}

/** The lines the tracehop reporter printed. */
const reporterLines = (run: JestRun): string[] =>
  run.stderr.split('\n').filter((line) => line.startsWith('[tracehop]'));

/** Links `name` in the app's node_modules to `target` (a package this repository installed). */
const link = (name: string, target: string): void => linkPackage(app, name, target);

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
  fs.writeFileSync(path.join(app, file), text);
}

const jestConfig = (config: Record<string, unknown>): string =>
  `module.exports = ${JSON.stringify({ transform: {}, cacheDirectory: path.join(app, 'tmp', 'jest-cache'), ...config }, null, 2)};\n`;

const REPORTER = ['tracehop/jest/reporter', { journeysFile: 'journeys.json', outputDir: 'report' }];

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'harness', 'jest', 'index.js'))) {
    throw new Error('dist/ is missing: run "npm run build" before this suite');
  }
  app = scratchDir('tracehop-jest29-');
  fs.mkdirSync(path.join(app, 'tmp'));
  write('package.json', '{ "name": "app", "private": true }\n');

  // tracehop as installed, and its own dependencies.
  installBuiltTracehop(app);
  // Jest 29, and what an app's install hoists of it: Detox finds jest and jest-environment-node from the app.
  link('jest', JEST_29);
  for (const name of ['expect', '@jest/globals', 'jest-environment-node'])
    link(name, path.join(JEST_29, 'node_modules', name));
  link('detox', path.join(ROOT, 'node_modules', 'detox'));
  link('@types/node', path.join(ROOT, 'node_modules', '@types', 'node'));

  const journeys = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', 'journeys.json'), 'utf8')) as {
    journeys: { name: string }[];
  };
  write('journeys.json', JSON.stringify({ journeys: journeys.journeys.filter((j) => j.name === 'checkout') }));
  const checkout = cleanRuns().find((run) => run.journey === 'checkout');
  write('run.json', JSON.stringify({ spans: checkout?.spans, captures: checkout?.captures }));

  write('jest.matchers.config.js', jestConfig({ roots: ['<rootDir>/matchers'], reporters: ['default', REPORTER] }));
  write(
    'jest.no-journeys.config.js',
    jestConfig({ roots: ['<rootDir>/matchers'], reporters: ['default', [REPORTER[0], { journeysFile: 'e2e.json' }]] }),
  );
  write(
    'matchers/spans.test.js',
    `const { recordJourney, registerTracehopMatchers } = require('tracehop/jest');
const run = require('../run.json');
registerTracehopMatchers();

test('a clean checkout passes every matcher', () => {
  expect(run.spans).toFormOneTrace();
  expect(run.spans).toPropagateThrough(${JSON.stringify(CHAIN)});
  expect(run.spans).toHaveNoTraceProblems({ expect: ${JSON.stringify(CHAIN)} });
  expect(run.spans.slice(1)).not.toFormOneTrace();
});

test('records the checkout run', async () => {
  await recordJourney({ journey: 'checkout', spans: run.spans, captures: run.captures });
});
`,
  );
  write(
    'matchers/split.test.js',
    `const { registerTracehopMatchers } = require('tracehop/jest');
const run = require('../run.json');
registerTracehopMatchers();

test('a split trace fails toFormOneTrace', () => {
  const split = run.spans.map((span) => (span.service === 'fraud-service' ? { ...span, traceId: 'f'.repeat(32) } : span));
  expect(split).toFormOneTrace();
});
`,
  );

  // A TypeScript spec: the matchers on Jest 29's expect, by the declarations tracehop merges into its package.
  write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: 'es2022',
        module: 'commonjs',
        types: ['node'],
      },
      files: ['types/spans.test.ts'],
    }),
  );
  write(
    'types/spans.test.ts',
    `import { expect, test } from '@jest/globals';
import type { Span } from 'tracehop';
import { registerTracehopMatchers } from 'tracehop/jest';

registerTracehopMatchers(expect);
declare const spans: Span[];

test('the matchers are typed', () => {
  expect(spans).toFormOneTrace();
  expect(spans).toPropagateThrough(['mobile-app', 'api-gateway']);
  expect(spans).not.toHaveNoTraceProblems({ expect: ['mobile-app', 'api-gateway'] });
  // @ts-expect-error a misspelt matcher is no matcher
  expect(spans).toFormOneTrail();
});
`,
  );

  // Detox's own environment under tracehop's, on a stub device: Detox's external-driver contract, doing nothing.
  write(
    'stub-driver.js',
    `const DeviceDriverBase = require('detox/src/devices/runtime/drivers/DeviceDriverBase');
class StubAllocationDriver {
  async allocate() { return { id: 'stub-1', name: 'stub device' }; }
  async free() {}
  async cleanup() {}
}
class StubRuntimeDriver extends DeviceDriverBase {
  constructor(deps, cookie) { super(deps); this.cookie = cookie; }
  getExternalId() { return this.cookie.id; }
  getDeviceName() { return this.cookie.name; }
  getPlatform() { return 'web'; }
}
// Detox's element expect takes the global expect's place, as on a phone.
class StubExpect {
  constructor() { this.expect = () => ({}); this.element = () => ({}); this.waitFor = () => ({}); this.by = {}; }
}
class StubEnvironmentValidator { async validate() {} }
module.exports = {
  DeviceAllocationDriverClass: StubAllocationDriver,
  RuntimeDriverClass: StubRuntimeDriver,
  ExpectClass: StubExpect,
  EnvironmentValidatorClass: StubEnvironmentValidator,
};
`,
  );
  write(
    '.detoxrc.js',
    `module.exports = {
  testRunner: { args: { $0: 'jest', config: 'jest.detox.config.js' } },
  artifacts: false,
  apps: { stub: { type: 'stub.app', bundleId: 'stub', binaryPath: 'stub.app' } },
  devices: { stub: { type: require('path').join(__dirname, 'stub-driver.js') } },
  configurations: { stub: { device: 'stub', app: 'stub' } },
};
`,
  );
  write(
    'jest.detox.config.js',
    jestConfig({
      roots: ['<rootDir>/e2e'],
      maxWorkers: 1,
      globalSetup: 'detox/runners/jest/globalSetup',
      globalTeardown: 'detox/runners/jest/globalTeardown',
      testEnvironment: 'tracehop/detox/environment',
      setupFilesAfterEnv: ['<rootDir>/e2e/matchers.js'],
      reporters: ['default', REPORTER],
    }),
  );
  write('e2e/matchers.js', "require('tracehop/jest').registerTracehopMatchers();\n");
  write(
    'e2e/checkout.test.js',
    `const { randomBytes } = require('node:crypto');
const { expect: jestExpect } = require('@jest/globals');
const { encodeOtlpJson } = require('tracehop');
const { journey, workerBackend } = require('tracehop/detox');
const run = require('../run.json');
const hex = (bytes) => randomBytes(bytes).toString('hex');

test('the app is pointed at the spec file’s backend', () => {
  const backend = workerBackend();
  jestExpect(device.appLaunchArgs.get()).toEqual({
    tracehopBackendUrl: backend.urls.services['api-gateway'],
    tracehopOtlpUrl: backend.urls.otlp,
    tracehopAnalyticsUrl: backend.urls.services.analytics,
  });
});

test('spans are asserted with Jest’s expect, Detox’s having the global’s place', () => {
  jestExpect(run.spans).toPropagateThrough(${JSON.stringify(CHAIN)});
});

// The app's part, played here: its root span and its call to the gateway, the traceparent injected.
test('a checkout journey passes and is recorded', async () => {
  const backend = workerBackend();
  const verdict = await journey('checkout', async () => {
    const traceId = hex(16), rootId = hex(8), clientId = hex(8), start = Date.now();
    const response = await fetch(backend.urls.services['api-gateway'] + '/checkout', {
      method: 'POST',
      headers: { traceparent: '00-' + traceId + '-' + clientId + '-01', 'content-type': 'application/json' },
      body: '{}',
    });
    await response.text();
    const span = (spanId, parentSpanId, name, kind) =>
      ({ traceId, spanId, parentSpanId, name, kind, service: 'mobile-app', startTimeMs: start, endTimeMs: Date.now(), attributes: {}, traceFlags: 1 });
    const spans = [span(rootId, undefined, 'checkout', 'internal'), span(clientId, rootId, 'POST /checkout', 'client')];
    const exported = await fetch(backend.urls.otlp, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(encodeOtlpJson(spans)),
    });
    await exported.text();
  });
  jestExpect({ ok: verdict.ok, lines: verdict.lines }).toEqual({ ok: true, lines: [] });
});

test('forgets to await its journey', () => {
  journey('checkout', () => new Promise(() => {}));
});
`,
  );
});

describe('under Jest 29', () => {
  it('the matchers pass, and the reporter writes the coverage of the recorded run and passes the gate', async () => {
    const run = await jest29(['--config', 'jest.matchers.config.js', 'matchers/spans']);
    const coverage = JSON.parse(fs.readFileSync(path.join(app, 'report', 'coverage.json'), 'utf8')) as {
      coverage: number;
      passed: boolean;
    };
    expect({
      code: run.code,
      verdicts: verdicts(run),
      reporter: reporterLines(run),
      reports: fs.readdirSync(path.join(app, 'report')).sort(),
      coverage: { coverage: coverage.coverage, passed: coverage.passed },
    }).toEqual({
      code: 0,
      verdicts: ['✓ a clean checkout passes every matcher', '✓ records the checkout run'],
      reporter: [
        `[tracehop] Trace coverage 100% (1 of 1 journeys fully covered); reports in ${path.join(app, 'report', 'report.html')}`,
      ],
      reports: ['coverage.json', 'coverage.md', 'junit.xml', 'report.html', 'runs'],
      coverage: { coverage: 1, passed: true },
    });
  });

  it('the gate fails the run when no journey recorded one, though every test passed', async () => {
    const run = await jest29(['--config', 'jest.matchers.config.js', 'matchers/spans', '-t', 'passes every matcher']);
    expect({ code: run.code, verdicts: verdicts(run), reporter: reporterLines(run)[1] }).toEqual({
      code: 1,
      verdicts: ['✓ a clean checkout passes every matcher', '○ skipped records the checkout run'],
      reporter:
        '[tracehop] Failed to pass the trace coverage gate: no declared journey recorded a run, so nothing was verified. Run each journey spec inside journey() from tracehop/detox, which records its run (a spec that fails before journey() ends, or does not compile, records none: see its error above), or call recordJourney({ journey, spans, captures }) from another runner; either way name a journey of the journeys file.',
    });
  });

  it('a reporter whose journeys file is missing stops the run before any test file, with its message alone', async () => {
    const run = await jest29(['--config', 'jest.no-journeys.config.js']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 1,
      stderr: `[tracehop] Failed to read journeys from "${path.join(app, 'e2e.json')}": the file does not exist. Pass the path of your journeys.json.\n`,
    });
  });

  it("the matchers' declarations type-check on Jest 29's expect", async () => {
    const tsc = await run(path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), ['-p', 'tsconfig.json']);
    expect(tsc).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a matcher fails the test with its message, as Jest 29 prints it', async () => {
    const run = await jest29(['--config', 'jest.matchers.config.js', 'matchers/split']);
    expect({ code: run.code, verdicts: verdicts(run) }).toEqual({
      code: 1,
      verdicts: ['✕ a split trace fails toFormOneTrace'],
    });
    expect(failureOf(run, 'a split trace fails toFormOneTrace')).toBe(
      [
        '    expect(spans).toFormOneTrace()',
        '',
        '    Expected: spans forming one connected trace (one trace id, one root)',
        '    Received: 2 traces: 001f0001 (6 spans, 1 top span), ffffffff (1 span, 1 top span)',
        '',
        '    trace 001f0001 (6 spans)',
        '    └─ mobile-app "checkout tap" INTERNAL 00100001',
        '       └─ mobile-app "POST /checkout" CLIENT 00100002',
        '          └─ api-gateway "POST /checkout" SERVER 00100003',
        '             └─ api-gateway "POST /payments" CLIENT 00100004',
        '                └─ payment-api "POST /payments" SERVER 00100005',
        '                   └─ payment-api "POST /fraud/score" CLIENT 00100006',
        '',
        '    trace ffffffff (1 span)',
        '    └─ ✗ fraud-service "POST /fraud/score" SERVER 00100007 (parent 00100006 not in trace)  orphan-span',
        '',
        "      5 | test('a split trace fails toFormOneTrace', () => {",
        "      6 |   const split = run.spans.map((span) => (span.service === 'fraud-service' ? { ...span, traceId: 'f'.repeat(32) } : span));",
        '    > 7 |   expect(split).toFormOneTrace();',
        '        |                 ^',
        '      8 | });',
        '      9 |',
        '',
        '      at Object.<anonymous> (matchers/split.test.js:7:17)',
      ].join('\n'),
    );
  });

  it('the Detox environment runs a spec file on a stub device: its backend, a journey that passes, one left running', async () => {
    const run = await jest29(['--config', 'jest.detox.config.js']);
    expect({ code: run.code, verdicts: verdicts(run), reporter: reporterLines(run) }).toEqual({
      code: 1,
      verdicts: [
        '✓ the app is pointed at the spec file’s backend',
        '✓ spans are asserted with Jest’s expect, Detox’s having the global’s place',
        '✓ a checkout journey passes and is recorded',
        '✕ forgets to await its journey',
      ],
      reporter: [
        `[tracehop] Trace coverage 100% (1 of 1 journeys fully covered); reports in ${path.join(app, 'report', 'report.html')}`,
      ],
    });
    expect(failureOf(run, 'forgets to await its journey')).toBe(
      '    [tracehop] Failed to finish the test "forgets to await its journey": journey("checkout") still ran when the test function returned, so its verdict could not decide the test. Await each journey (await journey(...)) or return it from the test function.',
    );
  });
});

describe("this repository's Jest configs", () => {
  // e2e/jest.config.js is the one `detox test` runs, through node_modules/.bin/jest too.
  it.each([[[]], [['--config', 'e2e/jest.config.js']]])(
    'refuse Jest 29, which `npm install jest-29@...` can link node_modules/.bin/jest to (%j)',
    async (config) => {
      const run29 = await run(path.join(JEST_29, 'bin', 'jest.js'), [...config, '--listTests'], ROOT);
      expect({ code: run29.code, stdout: run29.stdout, error: run29.stderr.split('\n')[0] }).toEqual({
        code: 1,
        stdout: '',
        error:
          "Error: [tracehop] Failed to run the test suites: this is Jest 29 (the jest-29 dev dependency, for one suite that runs it), not the repository's Jest 30. Run npm ci, or relink the bin: ln -sf ../jest/bin/jest.js node_modules/.bin/jest.",
      });
    },
  );
});
