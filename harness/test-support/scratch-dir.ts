/**
 * Scratch folders for tests, removed once the importing test file's tests have run: a suite that writes
 * files leaves nothing behind in the OS temp dir, however often it runs. Under `npm test` they are made inside
 * the run's own folder (`TRACEHOP_SCRATCH_ROOT`, test/scratch-root.js), which goes when the run ends, so a
 * file whose hooks never ran (a `-t` filter skipped all its tests) leaves nothing either.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

// Registered when a test file first imports this module (Jest gives each test file its own copy).
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp dir whose name starts with `prefix`; removed after the test file. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(process.env['TRACEHOP_SCRATCH_ROOT'] || tmpdir(), prefix));
  made.push(dir);
  return dir;
}
