/**
 * Unit tests sit beside the code (harness/**\/*.test.ts); integration suites live in test/.
 * e2e/ holds the Detox specs, run only by `npm run e2e` with e2e/jest.config.js.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/harness', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/global-setup.js',
};
