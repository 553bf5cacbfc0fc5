/**
 * What the `tracehop init` suites share: a scratch app repository in os.tmpdir() per test, init run on it
 * in-process, and the text init prints after every plan. Detox is "installed" as a bare
 * node_modules/detox/package.json, which is all init looks for.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../harness/cli';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tracehop init` with these arguments in `cwd`, capturing its exit code and output. */
export async function init(cwd: string, ...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(['init', ...args], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}

/** A fresh scratch folder for each test of the calling suite, removed after it; `dir()` names it. */
export function scratchApps(): { dir(): string; app(files: Record<string, string>): string } {
  let current: string | undefined;
  beforeEach(() => {
    current = mkdtempSync(join(tmpdir(), 'tracehop-init-'));
  });
  afterEach(() => {
    if (current !== undefined) rmSync(current, { recursive: true, force: true });
  });
  const dir = (): string => {
    if (current === undefined) throw new Error('scratchApps().dir() is for use inside a test');
    return current;
  };
  /** Writes the files (paths may name subfolders) into the scratch folder and returns it. */
  const app = (files: Record<string, string>): string => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir(), path)), { recursive: true });
      writeFileSync(join(dir(), path), text);
    }
    return dir();
  };
  return { dir, app };
}

export const DETOX = { 'node_modules/detox/package.json': '{ "name": "detox", "version": "20.51.0" }' };
export const WEB_APP = { 'package.json': '{ "name": "shop", "scripts": { "build:web": "vite build" } }', ...DETOX };

/** What init reports writing for an app's e2e folder, with a JavaScript spec. */
export const WROTE_E2E = `wrote e2e/journeys.json (one journey: login)
wrote e2e/login.e2e.js (its spec)
wrote e2e/jest.config.js (Jest config with Detox's and tracehop's reporters)`;

/** The entries init prints for the web build, for a JavaScript .detoxrc.js the app already has. */
export const WEB_ENTRIES = `Add these entries to .detoxrc.js (tracehop does not edit it), each inside its block beside your own (write a block it lacks):
  inside apps:
    web: {
      // Any type the web driver accepts: the "app" is your web build's index.html, served over loopback.
      type: 'web.bundle',
      bundleId: 'shop-web',
      binaryPath: 'web-dist/index.html', // where build:web writes index.html
      build: 'npm run build:web',
    },
  inside devices:
    // tracehop's Detox driver: the system Chromium, headless (needs playwright-core).
    chromium: { type: 'tracehop/detox/web-driver' },
  inside configurations:
    'web.headless': { device: 'chromium', app: 'web' },`;

export const LAUNCH_ARGS = `Your app must read these launch arguments (Detox launchArgs; query parameters of the page on web):
  tracehopBackendUrl    the mock api-gateway: send the journey requests there
  tracehopOtlpUrl       OTLP/HTTP traces endpoint: export your spans there, promptly in test builds
  tracehopAnalyticsUrl  the third-party analytics service, if your app sends analytics
and name each journey's root span after the journey (or tag it app.journey), with service.name "mobile-app".
`;

/** Runs the real `npx detox init` (this repository's Detox) in `cwd`: its exit code, stdout and stderr. */
export function detoxInit(cwd: string): { code: number | null; output: string } {
  const cli = require.resolve('detox/local-cli/cli.js');
  const child = spawnSync(process.execPath, [cli, 'init'], { cwd, encoding: 'utf8' });
  return { code: child.status, output: `${child.stdout}${child.stderr}` };
}
