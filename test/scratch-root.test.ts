/**
 * Every run of this repository's Jest keeps what its test processes write to the temp folder in the run's own
 * folder (test/scratch-root.js), removed when the run ends: Detox, loaded by every suite that loads its
 * environment or the web driver, opens a session log there (`<session>.<pid>.detox.jsonl`) that nothing
 * removes outside a `detox test` run, and the web driver's screenshots go there too.
 */
import * as os from 'node:os';

it("gives test processes the run's folder as their temp folder", () => {
  expect(os.tmpdir()).toBe(process.env['TRACEHOP_SCRATCH_ROOT']);
});
