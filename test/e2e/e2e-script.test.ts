/**
 * scripts/e2e.js before Detox starts: what a newcomer without a browser is told. The machine's browser is
 * hidden in a private mount namespace (root and util-linux `unshare` needed, as on our Debian machines), and
 * apt-get is a stand-in that records its calls, so nothing is installed.
 *
 * The script runs from a copy in a world-readable temporary folder: the checkout may sit in a folder only
 * its owner can read (a `mktemp -d`, /root/... in CI containers), and the unprivileged user (uid 65534)
 * could not load it from there.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BROWSER_CANDIDATES } from '../../harness/detox/web-driver';
import { scratchDir } from '../../harness/test-support/scratch-dir';
import { ROOT } from './support/run-e2e';

/**
 * What scripts/e2e.js loads before Detox starts (TRACEHOP_E2E_BUILD=skip and no browser): itself, the browser
 * lookup and the message formatter from the build.
 */
const COPIED = [
  'scripts/e2e.js',
  'scripts/ensure-browser.js',
  'dist/harness/detox/web-driver/browser.js',
  'dist/harness/internal/messages.js',
];

/** Copies COPIED into a fresh folder under the OS temp dir that every user can read. */
function readableCopy(): string {
  const dir = scratchDir('tracehop-e2e-script-');
  fs.chmodSync(dir, 0o755);
  for (const file of COPIED) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    fs.copyFileSync(path.join(ROOT, file), target);
    fs.chmodSync(target, 0o644);
  }
  // mkdirSync's mode is filtered by the umask: open every folder of the copy explicitly.
  for (const file of COPIED) {
    for (let folder = path.dirname(path.join(dir, file)); folder !== dir; folder = path.dirname(folder)) {
      fs.chmodSync(folder, 0o755);
    }
  }
  return dir;
}

let COPY = '';
let SCRIPT = '';
beforeAll(() => {
  COPY = readableCopy();
  SCRIPT = path.join(COPY, 'scripts/e2e.js');
});
const canHide =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  fs.existsSync('/etc/debian_version') &&
  spawnSync('unshare', ['-m', 'true']).status === 0;
const ENV = { PATH: '/usr/bin:/bin', HOME: '/nonexistent', TRACEHOP_E2E_BUILD: 'skip' };
const SEARCHED = BROWSER_CANDIDATES.map((candidate) => candidate.replace(/^~/, '/nonexistent')).join(', ');

/** Runs the script in a mount namespace where every installed candidate browser is /dev/null. */
function runWithoutBrowser(
  prefix: readonly string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const hide = BROWSER_CANDIDATES.filter((candidate) => fs.existsSync(candidate))
    .map((candidate) => `mount --bind /dev/null '${candidate}'`)
    .join(' && ');
  const command = `${hide || 'true'} && exec ${[...prefix, 'env', '-i', ...Object.entries(env).map(([key, value]) => `${key}=${value}`), process.execPath, SCRIPT].map((part) => `'${part}'`).join(' ')}`;
  const result = spawnSync('unshare', ['-m', 'sh', '-c', command], { cwd: COPY, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

(canHide ? describe : describe.skip)('npm run e2e without a browser', () => {
  it('tells a Debian user without root the exact sudo command, and starts nothing', () => {
    const result = runWithoutBrowser(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'], ENV);
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr:
        `[tracehop] Failed to find a browser: no Chromium or Chrome at ${SEARCHED}, nor on PATH as chromium, chromium-browser, google-chrome or google-chrome-stable. ` +
        'Install Chromium (`sudo apt-get install -y chromium`) and run npm run e2e again, or set TRACEHOP_CHROMIUM to the path of a Chromium or Chrome binary.\n',
    });
  });

  it('as root on Debian runs apt-get install, then update and install again, and says what failed', () => {
    const bin = scratchDir('tracehop-fake-apt-');
    const calls = path.join(bin, 'calls');
    fs.writeFileSync(path.join(bin, 'apt-get'), `#!/bin/sh\necho "$*" >> '${calls}'\nexit 100\n`, { mode: 0o755 });
    try {
      const result = runWithoutBrowser([], { ...ENV, PATH: `${bin}:/usr/bin:/bin` });
      expect(result).toEqual({
        status: 1,
        stdout: "[tracehop] no browser found; installing Debian's chromium: apt-get install -y chromium\n",
        stderr:
          '[tracehop] Failed to install chromium with apt-get: apt-get install -y chromium exited with 100. ' +
          'Run `apt-get update && apt-get install -y chromium` to see why, or set TRACEHOP_CHROMIUM to the path of a Chromium or Chrome binary.\n',
      });
      expect(fs.readFileSync(calls, 'utf8')).toBe('install -y chromium\nupdate\ninstall -y chromium\n');
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('npm run e2e with TRACEHOP_CHROMIUM', () => {
  it('says TRACEHOP_CHROMIUM is wrong rather than installing anything, with exit 2 as for every bad setting', () => {
    const result = spawnSync(process.execPath, [SCRIPT], {
      cwd: COPY,
      encoding: 'utf8',
      env: { ...ENV, TRACEHOP_CHROMIUM: '/nonexistent/chrome' },
    });
    expect([result.status, result.stdout, result.stderr]).toEqual([
      2,
      '',
      '[tracehop] Failed to find a browser: TRACEHOP_CHROMIUM is "/nonexistent/chrome", which is not an executable file. ' +
        'Point TRACEHOP_CHROMIUM at a Chromium or Chrome binary, or unset it to let tracehop look for one.\n',
    ]);
  });
});

describe('npm run e2e with a misspelt fault', () => {
  // Stops before the browser, the web build and Detox: the output is the message and nothing else. Runs the
  // checkout's own script (no lower user here), which loads the fault lists from the checkout's dist/.
  const run = (env: Record<string, string>) => {
    const script = path.join(ROOT, 'scripts/e2e.js');
    const result = spawnSync(process.execPath, [script], { cwd: ROOT, encoding: 'utf8', env: { ...ENV, ...env } });
    return [result.status, result.stdout, result.stderr];
  };

  it('stops with exit 2 and the valid app fault names for TRACEHOP_APP_FAULTS', () => {
    expect(run({ TRACEHOP_APP_FAULTS: 'gateway-not-first-party,tracer-per-request' })).toEqual([
      2,
      '',
      '[tracehop] Failed to read TRACEHOP_APP_FAULTS: "tracer-per-request" is not an app fault. ' +
        'Use one of: gateway-not-first-party, trace-per-request, replay-loses-context, b3-only, unsampled-root, double-inject.\n',
    ]);
  });

  it('stops with exit 2 and the valid fault names for TRACEHOP_FAULTS', () => {
    expect(run({ TRACEHOP_FAULTS: 'api-gateway:drop-traceparnet' })).toEqual([
      2,
      '',
      '[tracehop] Failed to apply TRACEHOP_FAULTS: "drop-traceparnet" is not a fault. ' +
        'Use one of: drop-traceparent, new-trace, uppercase-traceparent, rewrite-parent, duplicate-traceparent, b3-only, unsampled, ' +
        'strip-tracestate, strip-baggage, cors-omits-trace-headers, redirect-drops-headers.\n',
    ]);
  });

  it('stops with exit 2 and the service names for a misspelt service in TRACEHOP_FAULTS', () => {
    expect(run({ TRACEHOP_FAULTS: 'api-gatway:drop-traceparent' })).toEqual([
      2,
      '',
      '[tracehop] Failed to apply TRACEHOP_FAULTS: there is no service "api-gatway". ' +
        'Use one of: api-gateway, payment-api, fraud-service, auth-service, catalog-service, analytics.\n',
    ]);
  });

  it('stops with exit 2 naming TRACEHOP_E2E_BUILD when it is anything but skip', () => {
    expect(run({ TRACEHOP_E2E_BUILD: 'skp' })).toEqual([
      2,
      '',
      '[tracehop] Failed to build the project: TRACEHOP_E2E_BUILD is "skp", not skip. Set it to skip (use dist/ as it is), or unset it.\n',
    ]);
  });

  // It passed this check and failed every spec file in turn, with a message that named no variable.
  it('stops with exit 2 naming TRACEHOP_FORWARD_OTLP when it is no http(s) URL', () => {
    expect(run({ TRACEHOP_FORWARD_OTLP: 'collector:4318' })).toEqual([
      2,
      '',
      '[tracehop] Failed to forward spans: TRACEHOP_FORWARD_OTLP "collector:4318" is not an http(s) URL. ' +
        'Set it to a collector URL such as http://127.0.0.1:4318/v1/traces.\n',
    ]);
  });

  describe('under TRACEHOP_TOPOLOGY', () => {
    // The team's own services, as the Detox environment will start them: faults are checked against these.
    let dir: string;
    beforeAll(() => {
      dir = scratchDir('tracehop-e2e-topology-');
      const services = [
        { name: 'edge', firstParty: true, routes: [{ method: 'POST', path: '/api/v1/session', calls: [] }] },
      ];
      fs.writeFileSync(path.join(dir, 'topology.json'), JSON.stringify({ services }));
    });

    it("checks the faults against the topology's services, not tracehop's default ones", () => {
      const topology = path.join(dir, 'topology.json');
      expect([
        run({ TRACEHOP_TOPOLOGY: topology, TRACEHOP_FAULTS: 'edge:drop-traceparnet' }),
        run({ TRACEHOP_TOPOLOGY: topology, TRACEHOP_FAULTS: 'api-gateway:drop-traceparent' }),
      ]).toEqual([
        [
          2,
          '',
          '[tracehop] Failed to apply TRACEHOP_FAULTS: "drop-traceparnet" is not a fault. ' +
            'Use one of: drop-traceparent, new-trace, uppercase-traceparent, rewrite-parent, duplicate-traceparent, b3-only, unsampled, ' +
            'strip-tracestate, strip-baggage, cors-omits-trace-headers, redirect-drops-headers.\n',
        ],
        [2, '', '[tracehop] Failed to apply TRACEHOP_FAULTS: there is no service "api-gateway". Use one of: edge.\n'],
      ]);
    });

    it('stops with exit 2 when the topology file is missing, before any spec', () => {
      const missing = path.join(dir, 'missing.json');
      expect(run({ TRACEHOP_TOPOLOGY: missing })).toEqual([
        2,
        '',
        `[tracehop] Failed to read the topology "${missing}": the file does not exist. ` +
          "Check the path in TRACEHOP_TOPOLOGY (read from the current directory), or leave it out to use tracehop's default services.\n",
      ]);
    });
  });
});
