/**
 * Three Jest projects, all run by `npm test` (after build, typecheck and lint):
 * - unit: harness/**\/*.test.ts, beside the code; fast, no browser, no Detox (`npm run test:unit`);
 * - integration: test/** except the suites below (`npm run test:integration`);
 * - e2e-matrix: the suites that launch headless Chromium or the Detox CLI (`npm run test:e2e-matrix`); only
 *   this project runs test/global-setup.js, which finds (or installs) Chromium first.
 * e2e/ holds the Detox specs, run only by `npm run e2e` with e2e/jest.config.js.
 */
const { realpathSync } = require('node:fs');
const { availableParallelism } = require('node:os');
const { join, sep } = require('node:path');

// The `jest-29` dev dependency (Jest 29, for test/package/jest29.test.ts) has a `jest` bin too. `npm ci` links
// node_modules/.bin/jest to Jest 30, but `npm install jest-29@...` can link it to Jest 29, which would then run
// every suite here: stop before any does.
const runner = process.argv[1] === undefined ? '' : realpathSync(process.argv[1]);
if (runner.startsWith(join(__dirname, 'node_modules', 'jest-29') + sep)) {
  throw new Error(
    "[tracehop] Failed to run the test suites: this is Jest 29 (the jest-29 dev dependency, for one suite that runs it), not the repository's Jest 30. Run npm ci, or relink the bin: ln -sf ../jest/bin/jest.js node_modules/.bin/jest.",
  );
}

const transform = { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };

/** Suites that launch Chromium (playwright-core) or Detox (scripts/e2e.js, `detox test`). */
const E2E_MATRIX = [
  '<rootDir>/test/e2e/**/*.test.ts',
  '<rootDir>/test/detox/web-driver.test.ts',
  '<rootDir>/test/sample-app/web-flow.test.ts',
  '<rootDir>/test/report/html-report.test.ts',
  '<rootDir>/test/package/packed-app.test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  // Jest's default (cores - 1) runs every suite in band on a 2-core machine, where the heavy suites mostly wait
  // on their child processes (Detox, Chromium, npm, Metro and Hermes): two workers finish sooner there.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // One temp folder for the run's scratch folders, removed when the run ends (test/scratch-root.js).
  globalSetup: '<rootDir>/test/scratch-root-setup.js',
  globalTeardown: '<rootDir>/test/scratch-root-teardown.js',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/harness'],
      testMatch: ['**/*.test.ts'],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/e2e/',
        '<rootDir>/test/detox/web-driver\\.test\\.ts$',
        '<rootDir>/test/sample-app/web-flow\\.test\\.ts$',
        '<rootDir>/test/report/html-report\\.test\\.ts$',
        '<rootDir>/test/package/packed-app\\.test\\.ts$',
      ],
      transform,
    },
    {
      displayName: 'e2e-matrix',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: E2E_MATRIX,
      transform,
      globalSetup: '<rootDir>/test/global-setup.js',
    },
  ],
};
