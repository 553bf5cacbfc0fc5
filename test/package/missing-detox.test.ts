/**
 * Detox is an optional peer: an app that names `tracehop/detox/environment` (a Jest testEnvironment) or
 * `tracehop/detox/web-driver` (a Detox device type) without detox installed is told what to install, not
 * "Cannot find module". Each case loads the built entry in a Node process of its own, from an app folder
 * whose node_modules holds tracehop (package.json and dist/, copied so that Node cannot reach this
 * repository's node_modules) and its dependencies, and a detox only where a case puts one.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scratchDir } from '../../harness/test-support/scratch-dir';
import { installBuiltTracehop } from './support/built-package';

const ROOT = path.join(__dirname, '..', '..');

interface Loaded {
  readonly name?: string;
  readonly code?: string;
  readonly message: string;
}

let app: string;

/** What loading `entry` from the app throws (its name, code and first line), or "loaded". */
function load(entry: string): Loaded {
  const script = `
try {
  require(${JSON.stringify(entry)});
  console.log(JSON.stringify({ message: 'loaded' }));
} catch (error) {
  console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message.split('\\n')[0] }));
}`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' });
  return JSON.parse(out) as Loaded;
}

/** Puts a detox package with these files (path inside the package -> content) into the app. */
function installFakeDetox(files: Readonly<Record<string, string>>): void {
  const detox = path.join(app, 'node_modules', 'detox');
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(detox, file)), { recursive: true });
    fs.writeFileSync(path.join(detox, file), content);
  }
}

const HINT = 'Install it beside tracehop: npm install --save-dev detox@20 (tracehop works with detox ^20).';

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'harness', 'detox', 'environment.js'))) {
    throw new Error('dist/ is missing: run "npm run build" before this suite');
  }
  app = scratchDir('tracehop-no-detox-');
  fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  installBuiltTracehop(app);
});

afterEach(() => {
  fs.rmSync(path.join(app, 'node_modules', 'detox'), { recursive: true, force: true });
});

describe('tracehop/detox entries without detox', () => {
  it('the test environment says what to install', () => {
    expect(load('tracehop/detox/environment')).toEqual({
      name: 'TracehopError',
      message: `[tracehop] Failed to load detox for tracehop/detox/environment: the package is not installed. ${HINT}`,
    });
  });

  it('the web driver says what to install', () => {
    expect(load('tracehop/detox/web-driver')).toEqual({
      name: 'TracehopError',
      message: `[tracehop] Failed to load detox for tracehop/detox/web-driver: the package is not installed. ${HINT}`,
    });
  });

  it("names the app's own package manager's command (pnpm, by its lockfile)", () => {
    const lockfile = path.join(app, 'pnpm-lock.yaml');
    fs.writeFileSync(lockfile, "lockfileVersion: '9.0'\n");
    try {
      expect(load('tracehop/detox/environment')).toEqual({
        name: 'TracehopError',
        message:
          '[tracehop] Failed to load detox for tracehop/detox/environment: the package is not installed. ' +
          'Install it beside tracehop: pnpm add --save-dev detox@20 (tracehop works with detox ^20).',
      });
    } finally {
      fs.rmSync(lockfile);
    }
  });

  it('tracehop/detox itself loads (journey() needs no detox module)', () => {
    expect(load('tracehop/detox')).toEqual({ message: 'loaded' });
  });

  it('a detox without the module an entry needs is named with its version', () => {
    installFakeDetox({ 'package.json': '{ "name": "detox", "version": "19.4.0", "main": "index.js" }\n' });
    expect([load('tracehop/detox/environment'), load('tracehop/detox/web-driver')]).toEqual([
      {
        name: 'TracehopError',
        message: `[tracehop] Failed to load detox for tracehop/detox/environment: the installed detox 19.4.0 has no detox/runners/jest. ${HINT}`,
      },
      {
        name: 'TracehopError',
        message: `[tracehop] Failed to load detox for tracehop/detox/web-driver: the installed detox 19.4.0 has no detox/src/devices/runtime/drivers/DeviceDriverBase. ${HINT}`,
      },
    ]);
  });

  it('a module missing inside detox is passed on as Node said it, not as a missing detox', () => {
    installFakeDetox({
      'package.json': '{ "name": "detox", "version": "20.51.4", "main": "index.js" }\n',
      'runners/jest/index.js': "require('no-such-detox-dependency');\n",
    });
    expect(load('tracehop/detox/environment')).toEqual({
      name: 'Error',
      code: 'MODULE_NOT_FOUND',
      message: "Cannot find module 'no-such-detox-dependency'",
    });
  });
});
