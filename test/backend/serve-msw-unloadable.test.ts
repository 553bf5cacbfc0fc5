/**
 * `tracehop serve` where msw will not load (Yarn Plug'n'Play, seen installing the packed package with Yarn 4):
 * the bin prints tracehop's message, which says what to do, and exits 2, instead of calling it a tracehop bug.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, runNode } from './support/serve-process';

const MSW_UNLOADABLE = join(__dirname, 'support', 'msw-unloadable.js');

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'harness', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run "npm run build" before this suite');
});

it("exits 2 with the message naming the cause and what to do under Plug'n'Play", async () => {
  const exit = await runNode(['-r', MSW_UNLOADABLE, BIN, 'serve']);
  expect(exit).toEqual({
    code: 2,
    stdout: '',
    stderr:
      "[tracehop] Failed to load msw for the mock backend: Cannot find module '/cache/rettime-npm-0.11.13-22bfd23e34-10c0.zip/node_modules/rettime/build/lens-list.mjs'. " +
      "Under Yarn Plug'n'Play, Node cannot load msw's ESM-only dependencies from Yarn's zip archives: set " +
      'nodeLinker: node-modules in .yarnrc.yml (as React Native apps do) and run yarn install, or unplug the ' +
      'package the error names (yarn unplug -R rettime, then run again).\n',
  });
});
