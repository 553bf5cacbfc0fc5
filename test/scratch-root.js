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
/** TMPDIR before setup, restored by teardown (a run in band runs its tests in this process). */
let outerTmpdir;

async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'tracehop-test-run-'));
  // Open to other users as /tmp is: a suite that runs a script as an unprivileged user (test/e2e/e2e-script.test.ts)
  // reaches its own scratch folder through this one.
  chmodSync(root, 0o755);
  // Workers start after global setup and inherit this process's environment.
  process.env[VARIABLE] = root;
  // Their temp folder too, and their children's (Detox, Chromium, npm): what they leave there goes with the run.
  // Detox opens a session log (<session>.<pid>.detox.jsonl) in every process that loads it, which nothing removes
  // outside a `detox test` run, and the web driver's screenshots land there.
  outerTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = root;
}

async function teardown() {
  const root = process.env[VARIABLE];
  if (root) rmSync(root, { recursive: true, force: true });
  delete process.env[VARIABLE];
  if (outerTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outerTmpdir;
}

module.exports = { setup, teardown, VARIABLE };
