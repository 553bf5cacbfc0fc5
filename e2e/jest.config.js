/**
 * Jest config for the Detox specs (run through `detox test`, see .detoxrc.js). Follows Detox's Jest
 * conventions; the test environment is Detox's, wrapped by tracehop to give each spec file its own mock
 * backend. journey() reads the journeys file from the tracehop reporter's options below.
 */
const { refuseJest29 } = require('../scripts/refuse-jest-29');

// node_modules/.bin/jest, which Detox runs, can be the jest-29 dev dependency's (see scripts/refuse-jest-29.js).
refuseJest29();

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
  // Not in the temp folder: scripts/e2e.js gives each run a temp folder of its own and removes it afterwards.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest-e2e',
  globalSetup: 'detox/runners/jest/globalSetup',
  globalTeardown: 'detox/runners/jest/globalTeardown',
  reporters: [
    'detox/runners/jest/reporter',
    // Trace coverage per journey from the runs the specs record (compiled by npm run build). The gate
    // needs every journey to run: scripts/e2e.js sets TRACEHOP_COVERAGE_GATE=off when you pick specs, and the
    // reporter reads it. `gate` is left out, so under `detox test --shard=i/n` (Jest's shard) the reporter
    // leaves the gate to the merge. It reads TRACEHOP_REPORT_DIR too: runs side by side (the fault matrix)
    // keep their own reports.
    ['<rootDir>/dist/harness/jest/reporter.js', { journeysFile: 'fixtures/journeys.json' }],
  ],
  testEnvironment: '<rootDir>/e2e/support/environment.ts',
  // tracehop's span matchers, on Jest's expect (Detox's takes the global's place): see e2e/support/matchers.ts.
  setupFilesAfterEnv: ['<rootDir>/e2e/support/matchers.ts'],
  verbose: true,
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
};
