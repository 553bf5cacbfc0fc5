'use strict';
/**
 * Finds Chromium for `npm run e2e` and `npm test`. As root on Debian (not Ubuntu, whose Chromium is a snap),
 * installs Debian's chromium once when there is none (after an apt-get update when the package lists are
 * stale); anywhere else, returns a message saying exactly what to install. Needs dist/ (npm run build).
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** @returns {{ ok: true, path: string } | { ok: false, message: string }} */
function ensureBrowser(log = (line) => process.stdout.write(`${line}\n`)) {
  const dist = path.join(ROOT, 'dist');
  const { currentHost, findBrowser, installCommand } = require(path.join(dist, 'harness/detox/web-driver/browser.js'));
  const { failure } = require(path.join(dist, 'harness/internal/messages.js'));
  const found = findBrowser();
  if (found.ok) return { ok: true, path: found.path };
  if (process.env.TRACEHOP_CHROMIUM) return { ok: false, message: found.message };
  const host = currentHost();
  // Only Debian's archive has a chromium package: Ubuntu's Chromium is a snap (the message says so).
  if (host.platform !== 'linux' || !host.debian || host.ubuntu || !host.root)
    return { ok: false, message: found.message };
  log(`[tracehop] no browser found; installing Debian's chromium: ${installCommand(host)}`);
  const aptGet = (args) => {
    const result = spawnSync('apt-get', args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return { code: result.status ?? 1, error: result.error ? result.error.message : undefined };
  };
  let installed = aptGet(['install', '-y', 'chromium']);
  if (installed.code !== 0) {
    aptGet(['update']);
    installed = aptGet(['install', '-y', 'chromium']);
  }
  if (installed.code !== 0) {
    return {
      ok: false,
      message: failure(
        'install chromium with apt-get',
        installed.error ?? `apt-get install -y chromium exited with ${installed.code}`,
        'Run `apt-get update && apt-get install -y chromium` to see why, or set TRACEHOP_CHROMIUM to the path of a Chromium or Chrome binary.',
      ),
    };
  }
  const again = findBrowser();
  return again.ok ? { ok: true, path: again.path } : { ok: false, message: again.message };
}

module.exports = { ensureBrowser };
