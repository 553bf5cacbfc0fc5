import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { scratchDir } from '../../harness/test-support/scratch-dir';
import { ROOT, runNode } from './support/serve-process';

/**
 * A team calls `startBackend` from its own Jest suites, with its own config (CommonJS, babel-jest or
 * ts-jest). msw's ESM-only dependencies must not break that (see harness/backend/internal/msw.ts), so this
 * runs a tiny user project against the built package, by path, in a Jest process of its own.
 */
const BUILT_BACKEND = join(ROOT, 'dist', 'harness', 'backend');
const JEST = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

const CHECKOUT = (load: string): string => `
${load}
test('a checkout through the backend gives its spans', async () => {
  const backend = await startBackend();
  try {
    const response = await fetch(backend.urls.services['api-gateway'] + '/checkout', { method: 'POST', body: '{}' });
    await response.text();
    const spans = await backend.store.waitFor((all) => all.length >= 5, { timeout: 5000 });
    expect({ status: response.status, services: [...new Set(spans.map((span) => span.service))].sort() }).toEqual({
      status: 200,
      services: ['api-gateway', 'fraud-service', 'payment-api'],
    });
  } finally {
    await backend.stop();
  }
});
`;

let dir: string;

beforeAll(() => {
  dir = scratchDir('tracehop-user-jest-');
  writeFileSync(join(dir, 'package.json'), '{ "name": "user-app", "private": true }\n');
  writeFileSync(
    join(dir, 'jest.config.js'),
    `module.exports = ${JSON.stringify({
      testEnvironment: 'node',
      transform: {
        '^.+\\.ts$': [
          join(ROOT, 'node_modules', 'ts-jest'),
          { isolatedModules: true, tsconfig: { module: 'commonjs', target: 'es2022', types: [] } },
        ],
        '^.+\\.js$': join(ROOT, 'node_modules', 'babel-jest'),
      },
    })};\n`,
  );
  writeFileSync(
    join(dir, 'babel-cjs.test.js'),
    CHECKOUT(`const { startBackend } = require(${JSON.stringify(BUILT_BACKEND)});`),
  );
  writeFileSync(
    join(dir, 'ts-jest.test.ts'),
    CHECKOUT(
      `declare const require: (id: string) => any;\nconst { startBackend } = require(${JSON.stringify(BUILT_BACKEND)});\njest.resetModules();`,
    ),
  );
  writeFileSync(
    join(dir, 'bare-msw.test.js'),
    `test('msw itself', () => { require(${JSON.stringify(join(ROOT, 'node_modules', 'msw'))}); });\n`,
  );
});

describe('startBackend inside a user project’s own Jest', () => {
  it('runs with babel-jest and with ts-jest, where a bare require of msw fails', async () => {
    const { code, stderr } = await runNode(
      [JEST, '--config', join(dir, 'jest.config.js'), '--rootDir', dir, '--ci'],
      { FORCE_COLOR: '0' },
      60000,
    );
    const verdicts = [...stderr.matchAll(/^(PASS|FAIL) (\S+)/gm)]
      .map(([, verdict, file]) => `${basename(file!)} ${verdict}`)
      .sort();
    expect({ code, verdicts, mswError: /Must use import to load ES Module/.test(stderr) }).toEqual({
      code: 1,
      verdicts: ['babel-cjs.test.js PASS', 'bare-msw.test.js FAIL', 'ts-jest.test.ts PASS'],
      mswError: true,
    });
  });
});
