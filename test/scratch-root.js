'use strict';
/**
 * Jest global setup and teardown for every project of `npm test`: one folder under the OS temp dir holds the
 * scratch folders of the whole run (`scratchDir` in harness/test-support/scratch-dir.ts makes them inside it),
 * and it goes when the run ends. Each test file also removes its own folders after its tests; this catches the
 * ones whose `afterAll` never ran (a `-t` filter that skips every test of a file skips its hooks too).
 */
const { chmodSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const VARIABLE = 'TRACEHOP_SCRATCH_ROOT';

async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'tracehop-test-run-'));
  // Open to other users as /tmp is: a suite that runs a script as an unprivileged user (test/e2e/e2e-script.test.ts)
  // reaches its own scratch folder through this one.
  chmodSync(root, 0o755);
  // Workers start after global setup and inherit this process's environment.
  process.env[VARIABLE] = root;
}

async function teardown() {
  const root = process.env[VARIABLE];
  if (root) rmSync(root, { recursive: true, force: true });
  delete process.env[VARIABLE];
}

module.exports = { setup, teardown, VARIABLE };
