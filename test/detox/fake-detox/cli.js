'use strict';
/**
 * Stands in for detox/local-cli/cli.js under test/detox/e2e-temp-dir.test.ts: leaves in the temp folder what
 * an interrupted `detox test` leaves (a Detox session log, a Chromium singleton folder; and when interrupted,
 * its IPC socket in /tmp), then ends as
 * FAKE_DETOX says: `exit` with 0, or `interrupt`: a Ctrl-C reaches its parent (scripts/e2e.js) and it ends with 130.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

fs.writeFileSync(path.join(os.tmpdir(), `0f1e2d3c-session.${process.pid}.detox.jsonl`), '{}\n');
fs.mkdirSync(path.join(os.tmpdir(), 'org.chromium.Chromium.fake00'));
fs.writeFileSync(path.join(os.tmpdir(), 'org.chromium.Chromium.fake00', 'SingletonCookie'), '');
if (process.env.FAKE_DETOX === 'interrupt') {
  // Detox's IPC server socket (node-ipc's, in /tmp whatever TMPDIR says), which Detox removes on a clean end only.
  fs.writeFileSync(`/tmp/detox.primary-${process.pid}`, '');
  process.stdout.write(`${process.pid}\n`);
  process.kill(process.ppid, 'SIGINT');
  process.exitCode = 130;
}
