/**
 * A TypeScript app (tsconfig.json) without ts-jest gets a JavaScript spec from `tracehop init`, and a note
 * saying what to install and do for a TypeScript one; followed, init writes the TypeScript spec.
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { init, LAUNCH_ARGS, scratchApps, WEB_APP, WROTE_E2E } from './support';

const { app, dir } = scratchApps();

const TAIL = `${LAUNCH_ARGS}
Then run: npx detox build -c web.headless && npx detox test -c web.headless
`;

const TYPESCRIPT = { 'node_modules/typescript/package.json': '{ "name": "typescript", "version": "5.9.3" }' };

describe('tracehop init in a TypeScript app without ts-jest', () => {
  it('says to install ts-jest and run init again for a TypeScript spec, which init then writes', async () => {
    const inFolder = (folder: string, files: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(files).map(([path, text]) => [`${folder}/${path}`, text]));
    const first = join(app(inFolder('first', { ...WEB_APP, ...TYPESCRIPT, 'tsconfig.json': '{}' })), 'first');
    expect(await init(first)).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
${WROTE_E2E}
wrote .detoxrc.js (web.headless in headless Chromium)

There is a tsconfig.json, but ts-jest is not installed, so the spec is JavaScript (e2e/login.e2e.js). For a TypeScript spec: npm install --save-dev ts-jest, delete e2e/login.e2e.js and e2e/jest.config.js if tracehop init wrote them, and run tracehop init again: it writes e2e/login.e2e.ts and ts-jest's transform in the Jest config.

${TAIL}`,
    });
    // The advice followed in a copy: this process's Node remembers that the first folder had no ts-jest.
    const followed = join(dir(), 'followed');
    cpSync(first, followed, { recursive: true });
    app(
      inFolder('followed', {
        'node_modules/ts-jest/package.json': '{ "name": "ts-jest" }',
        'node_modules/@types/jest/package.json': '{ "name": "@types/jest" }',
      }),
    );
    for (const path of ['e2e/login.e2e.js', 'e2e/jest.config.js']) rmSync(join(followed, path));
    expect(await init(followed)).toEqual({
      code: 0,
      stderr: '',
      stdout: `[tracehop] init
wrote e2e/login.e2e.ts (its spec)
wrote e2e/jest.config.js (Jest config with Detox's and tracehop's reporters)
left alone e2e/journeys.json and .detoxrc.js: they exist (tracehop never overwrites a file)

${TAIL}`,
    });
    expect(readdirSync(join(followed, 'e2e')).sort()).toEqual(['jest.config.js', 'journeys.json', 'login.e2e.ts']);
  });

  it('names TypeScript too when it is missing, at the version ts-jest can use', async () => {
    app({ ...WEB_APP, 'tsconfig.json': '{}' });
    const run = await init(dir(), '--dry-run');
    expect(run.stdout.split('\n').slice(5, 7)).toEqual([
      '',
      "There is a tsconfig.json, but typescript and ts-jest are not installed, so the spec is JavaScript (e2e/login.e2e.js). For a TypeScript spec: npm install --save-dev typescript@5.9 ts-jest, delete e2e/login.e2e.js and e2e/jest.config.js if tracehop init wrote them, and run tracehop init again: it writes e2e/login.e2e.ts and ts-jest's transform in the Jest config.",
    ]);
  });
});
