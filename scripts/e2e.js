#!/usr/bin/env node
'use strict';
/**
 * `npm run e2e`: the Detox specs on the web build, in headless Chromium, through the real Detox CLI.
 *
 *   1. rebuilds dist/ (npm run build) when a harness source is newer than its output,
 *   2. rebuilds the sample app's web build when it is stale,
 *   3. finds a browser (as root on Debian, installs chromium with apt-get when there is none; elsewhere
 *      it says exactly what to install: `sudo apt-get install -y chromium`, `brew install --cask google-chrome`),
 *   4. runs `detox test -c web.headless <extra args>` with a temp folder of its own (removed when it exits) and
 *      exits with its exit code.
 *
 *   npm run e2e -- e2e/checkout.e2e.ts        extra args go to detox test (and on to Jest)
 *   npm run e2e -- -c ios.sim.release          a -c/--configuration of your own replaces web.headless
 *   TRACEHOP_COVERAGE_GATE=off                 reports coverage without failing the run on it
 *   TRACEHOP_E2E_BUILD=skip                    uses dist/ as it is (a caller that has just built it); another value exits 2
 *   TRACEHOP_CHROMIUM=/path/to/chrome          drives that browser instead of the first one found; one that is no
 *                                              executable stops the run (exit 2) the same way
 *   TRACEHOP_E2E_WORKERS=N                     Detox workers (each its own browser and backend); default: one
 *                                              per core, at most 4, on web; 1 on ios and android; --maxWorkers wins
 *   TRACEHOP_FAULTS=service:fault,...          backend faults; TRACEHOP_APP_FAULTS=name,... the app's own faults.
 *                                              A misspelt name stops the run (exit 2) before any spec, listing the valid names.
 *   TRACEHOP_TOPOLOGY=path/to/topology.json    the mock backend's services (faults are checked against them), from
 *                                              the current directory, wherever Detox runs;
 *                                              a missing or invalid file stops the run (exit 2) the same way
 *   TRACEHOP_FORWARD_OTLP=http://.../v1/traces  also forwards every span to your collector; anything but an
 *                                              http(s) URL stops the run (exit 2) the same way
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const DEFAULT_CONFIGURATION = 'web.headless';

/** The shared message formatter, from the build; its exact format until the first build exists. */
function failure(action, cause, hint) {
  try {
    return require(path.join(DIST, 'harness/internal/messages.js')).failure(action, cause, hint);
  } catch {
    return `[tracehop] Failed to ${action}: ${cause}.${hint ? ` ${hint}` : ''}`;
  }
}

function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Why dist/ needs a build, or undefined when every harness source has an up-to-date output. */
function distStaleReason(dir = path.join(ROOT, 'harness')) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const source = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const reason = distStaleReason(source);
      if (reason) return reason;
      continue;
    }
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts') || entry.name.endsWith('.test.ts')) continue;
    if (source.includes(`${path.sep}test-support${path.sep}`)) continue;
    const output = path.join(DIST, path.relative(ROOT, source)).replace(/\.ts$/, '.js');
    const built = fs.statSync(output, { throwIfNoEntry: false });
    if (!built) return `${path.relative(ROOT, output)} is missing`;
    if (fs.statSync(source).mtimeMs > built.mtimeMs) return `${path.relative(ROOT, source)} is newer than its build`;
  }
  return undefined;
}

// Detox runs `jest` by name: put our node_modules/.bin first, as `npm run` does, so `node scripts/e2e.js` works too.
function childEnv(extra = {}) {
  return {
    ...process.env,
    PATH: [path.join(ROOT, 'node_modules', '.bin'), process.env.PATH].filter(Boolean).join(path.delimiter),
    ...extra,
  };
}

/**
 * A new temp folder for the run, in the OS one; none when its path would leave Chromium's singleton socket
 * (org.chromium.Chromium.XXXXXX/SingletonSocket in it) too long a path for a Unix socket, where Chromium fails
 * to start: the run then keeps the inherited TMPDIR.
 */
function ownTmpdir() {
  const socketPathMax = process.platform === 'darwin' ? 103 : 107;
  const socketInTmpdir = '/org.chromium.Chromium.XXXXXX/SingletonSocket';
  const prefix = path.join(os.tmpdir(), 'tracehop-e2e-');
  if (prefix.length + 'XXXXXX'.length + socketInTmpdir.length > socketPathMax) return undefined;
  return fs.mkdtempSync(prefix);
}

/**
 * Runs `detox test` (node ARGS) with a temp folder of its own, TMPDIR for Detox, Jest and the browsers, and
 * removes it when Detox exits, however the run ended, with Detox's IPC socket in /tmp. Detox writes its session
 * logs there (<session>.<pid>.detox.jsonl) and has no setting for where; an interrupted run left them behind,
 * its socket, and the singleton folders (org.chromium.Chromium.*) of the browsers it killed. Meanwhile SIGINT
 * (Ctrl-C, which the terminal sends Detox too) does not stop this process before it cleans up; SIGTERM and
 * SIGHUP go on to Detox. Resolves with how Detox ended.
 */
function runDetox(args) {
  const tmp = ownTmpdir();
  return new Promise((resolve) => {
    const env = childEnv(tmp === undefined ? {} : { TMPDIR: tmp });
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env });
    const forward = (signal) => {
      if (signal !== 'SIGINT') child.kill(signal);
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    const end = (result) => {
      for (const signal of signals) process.off(signal, forward);
      if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
      // Detox's IPC server socket, named after its process (this child): node-ipc makes it in /tmp whatever
      // TMPDIR says, and Detox removes it only when its run ends cleanly.
      if (process.platform !== 'win32' && child.pid !== undefined)
        fs.rmSync(`/tmp/detox.primary-${child.pid}`, { force: true });
      resolve(result);
    };
    child.once('error', (error) => end({ code: 1, error: error.message }));
    child.once('exit', (code, signal) => end({ code: code ?? 1, signal }));
  });
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: childEnv() });
  if (result.error) return { code: 1, error: result.error.message };
  return { code: result.status ?? 1, signal: result.signal };
}

function buildProject() {
  const build = process.env.TRACEHOP_E2E_BUILD;
  if (build === 'skip') return;
  // A misspelt "skip" was read as unset: dist/ was rebuilt when the caller had asked for it as it is.
  if (build !== undefined && build !== '')
    fail(
      failure(
        'build the project',
        `TRACEHOP_E2E_BUILD is "${build}", not skip`,
        'Set it to skip (use dist/ as it is), or unset it.',
      ),
      2,
    );
  const reason = distStaleReason();
  if (!reason) return;
  process.stdout.write(`[tracehop] building dist/: ${reason}.\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { code } = run(npm, ['run', 'build']);
  if (code !== 0)
    fail(
      failure(
        'build the project',
        `npm run build exited with ${code}`,
        'Fix the TypeScript errors above, then run npm run e2e again.',
      ),
      code,
    );
}

/**
 * TRACEHOP_TOPOLOGY for Detox and its specs, which run from the project root: the path as the user gave it,
 * from `cwd` (where they ran the script), made absolute. Undefined when it is not set.
 */
function childTopology(env, cwd) {
  return env.TRACEHOP_TOPOLOGY ? path.resolve(cwd, env.TRACEHOP_TOPOLOGY) : undefined;
}

/**
 * Reads the settings the tracehop Detox environment will read (TRACEHOP_TOPOLOGY or the Jest config's
 * testEnvironmentOptions.tracehop.topology, TRACEHOP_FAULTS, TRACEHOP_APP_FAULTS, TRACEHOP_FORWARD_OTLP), with the same code from
 * dist/ (just built), so a typo stops the run with the valid names instead of failing every spec.
 */
async function validateEnvironmentSettings() {
  const { TRACEHOP_FAULTS, TRACEHOP_APP_FAULTS, TRACEHOP_TOPOLOGY, TRACEHOP_FORWARD_OTLP } = process.env;
  // Detox runs from the project root: the specs get the path as read from here, the caller's directory.
  const topology = childTopology(process.env, process.cwd());
  if (topology !== undefined) process.env.TRACEHOP_TOPOLOGY = topology;
  if (!TRACEHOP_FAULTS && !TRACEHOP_APP_FAULTS && !TRACEHOP_TOPOLOGY && !TRACEHOP_FORWARD_OTLP) return;
  const { readEnvironmentSettings } = require(path.join(DIST, 'harness/detox/environment-settings.js'));
  const jestConfig = require(path.join(ROOT, 'e2e/jest.config.js'));
  const rootDir = path.resolve(ROOT, 'e2e', jestConfig.rootDir ?? '.');
  const settings = await readEnvironmentSettings(process.env, jestConfig.testEnvironmentOptions, rootDir);
  if (!settings.ok) fail(settings.message, 2);
}

async function buildWebApp() {
  const { buildWeb } = require(path.join(ROOT, 'fixtures/sample-app/scripts/build-web.js'));
  try {
    await buildWeb({ force: false, log: (line) => process.stdout.write(`${line}\n`) });
  } catch (error) {
    fail(
      failure(
        'build the web app',
        error instanceof Error ? error.message.split('\n')[0] : String(error),
        'Run node fixtures/sample-app/scripts/build-web.js --force to see the whole error.',
      ),
    );
  }
}

/**
 * Finds (or, as root on Debian, installs) Chromium; exits saying what to install when it cannot: with 2 when
 * TRACEHOP_CHROMIUM names no browser (a setting to fix, as every other bad setting here), else with 1.
 */
function ensureBrowser() {
  const found = require('./ensure-browser').ensureBrowser();
  return found.ok ? found.path : fail(found.message, process.env.TRACEHOP_CHROMIUM ? 2 : 1);
}

/** Whether the args pick spec files (a subset of journeys cannot pass the coverage gate). */
function picksSpecs(args) {
  return args.some((arg) => !arg.startsWith('-') && /(^|\/)e2e\/|\.e2e(\.ts)?$/.test(arg));
}

function hasConfiguration(args) {
  return configurationOf(args) !== undefined;
}

/** The Detox configuration named in the args, if any. */
function configurationOf(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c' || args[i] === '--configuration') return args[i + 1] ?? '';
    if (args[i].startsWith('--configuration=')) return args[i].slice('--configuration='.length);
  }
  return undefined;
}

/** `--maxWorkers N` for detox test, unless the args choose workers themselves. */
function workerArgs(args, configuration) {
  if (args.some((arg) => /^(-w|--maxWorkers)(=|$)/.test(arg))) return [];
  const fromEnv = process.env.TRACEHOP_E2E_WORKERS;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!/^[1-9]\d*$/.test(fromEnv))
      fail(
        failure(
          'choose the Detox workers',
          `TRACEHOP_E2E_WORKERS is "${fromEnv}", not a whole number of at least 1`,
          'Set it to 1, 2, ...',
        ),
        2,
      );
    return ['--maxWorkers', fromEnv];
  }
  // Each web worker drives its own Chromium against its own backend; a simulator or emulator per worker is the
  // device farm's business, so native configurations keep one unless asked.
  if (!configuration.startsWith('web')) return [];
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return ['--maxWorkers', String(Math.max(1, Math.min(4, cores)))];
}

async function main() {
  const extra = process.argv.slice(2);
  buildProject();
  await validateEnvironmentSettings();
  // The browser and the web build matter only for the web configurations (ios.* and android.* need neither).
  if ((configurationOf(extra) ?? DEFAULT_CONFIGURATION).startsWith('web')) {
    // The browser first: say what to install before spending a build.
    const browser = ensureBrowser();
    await buildWebApp();
    process.stdout.write(`[tracehop] browser: ${browser}\n`);
  }
  const detoxCli = require.resolve('detox/local-cli/cli.js', { paths: [ROOT] });
  const configuration = configurationOf(extra) ?? DEFAULT_CONFIGURATION;
  const args = [
    detoxCli,
    'test',
    ...(hasConfiguration(extra) ? [] : ['-c', DEFAULT_CONFIGURATION]),
    ...workerArgs(extra, configuration),
    ...extra,
  ];
  if (picksSpecs(extra) && !process.env.TRACEHOP_COVERAGE_GATE) {
    process.stdout.write(
      '[tracehop] running selected specs: the trace coverage gate is off (it needs every journey).\n',
    );
    process.env.TRACEHOP_COVERAGE_GATE = 'off';
  }
  const result = await runDetox(args);
  if (result.error) fail(failure('run detox test', result.error, 'Check that detox is installed (npm ls detox).'));
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.code);
}

if (require.main === module) void main();

module.exports = { workerArgs, childTopology };
