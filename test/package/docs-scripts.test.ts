import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every `npm run <script>` the docs tell a reader to run is a script of package.json (`build:web` aside: that
 * one is the user's app's, which tracehop init's Detox config runs).
 */
const ROOT = join(__dirname, '..', '..');
const DOCS = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`)];
const USER_APP_SCRIPTS = ['build:web'];

describe('npm scripts the docs name', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const scripts = new Set([...Object.keys(manifest.scripts), ...USER_APP_SCRIPTS]);

  test.each(DOCS)('%s names only scripts package.json has', (doc) => {
    const named = [...readFileSync(join(ROOT, doc), 'utf8').matchAll(/\bnpm run ([\w:-]+)/g)].map((match) => match[1]);
    expect([...new Set(named)].filter((name) => name !== undefined && !scripts.has(name))).toEqual([]);
  });
});
