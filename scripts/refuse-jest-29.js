'use strict';
/**
 * The guard of this repository's Jest configs (jest.config.js, and e2e/jest.config.js that `detox test` runs).
 * The `jest-29` dev dependency (Jest 29, for test/package/jest29.test.ts) has a `jest` bin too. `npm ci` links
 * node_modules/.bin/jest to Jest 30, but `npm install jest-29@...` can link it to Jest 29, which would then run
 * every suite of the config: stop before any does.
 */
const { realpathSync } = require('node:fs');
const { join, sep } = require('node:path');

const ROOT = join(__dirname, '..');

/** Throws when the Jest that loads the calling config is the `jest-29` dev dependency. */
function refuseJest29() {
  const runner = process.argv[1] === undefined ? '' : realpathSync(process.argv[1]);
  if (runner.startsWith(join(ROOT, 'node_modules', 'jest-29') + sep)) {
    throw new Error(
      "[tracehop] Failed to run the test suites: this is Jest 29 (the jest-29 dev dependency, for one suite that runs it), not the repository's Jest 30. Run npm ci, or relink the bin: ln -sf ../jest/bin/jest.js node_modules/.bin/jest.",
    );
  }
}

module.exports = { refuseJest29 };
