/**
 * Three Jest projects, all run by `npm test` (after build, typecheck and lint):
 * - unit: harness/**\/*.test.ts, beside the code; fast, no browser, no Detox (`npm run test:unit`);
 * - integration: test/** except the suites below (`npm run test:integration`);
 * - e2e-matrix: the suites that launch headless Chromium or the Detox CLI (`npm run test:e2e-matrix`); only
 *   this project runs test/global-setup.js, which finds (or installs) Chromium first.
 * e2e/ holds the Detox specs, run only by `npm run e2e` with e2e/jest.config.js.
 */
const { availableParallelism } = require('node:os');
const { refuseJest29 } = require('./scripts/refuse-jest-29');

// node_modules/.bin/jest can be the jest-29 dev dependency's (see scripts/refuse-jest-29.js): stop before any suite runs.
refuseJest29();

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
