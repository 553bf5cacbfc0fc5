import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file or folder of this repository the docs name exists: a path under one of the repository's own
 * folders (`harness/verify/verify.ts`, `test/native`), or a path in backticks (`model/span.ts`, which
 * docs/ARCHITECTURE.md and docs/PERFORMANCE.md give from `harness/`). A moved or renamed file fails here
 * instead of leaving the docs pointing at nothing.
 */
const ROOT = join(__dirname, '..', '..');
const DOCS = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`)];

/** Paths the docs name that are not in a clone, each for its reason. */
const ELSEWHERE: ReadonlyArray<[RegExp, string]> = [
  [
    /^e2e\/(journeys\.json|topology\.json|login\.e2e\.cjs|jest\.config\.cjs)$/,
    "the user's app, written by tracehop init",
  ],
  [/^e2e\/jest\.config\.json$/, "the user's app, its own Jest config that tracehop init leaves alone"],
  [/^fixtures\/sample-app\/(ios|android|node_modules|web-dist)(\/|$)/, 'generated, or an install'],
  [/^web-dist\//, "a web build's output"],
  [/^(artifacts|runs)\//, "a run's output"],
  [/^node_modules\//, 'an install'],
];

const TOP = '(?:harness|test|fixtures|scripts|bench|e2e|docs|eslint-rules|bin|\\.github|\\.ci)';
/** A path under one of the repository's folders, anywhere in the text; placeholders (`<name>`, `*`) end it. */
const BARE = new RegExp(`(?<![\\w./<-])(${TOP}/[\\w./<>*%-]*[\\w/>*%])`, 'g');
/** A code span that is a path to a file or a folder: `model/span.ts`, `detox/web-driver/`. */
const QUOTED = /`([\w.-]+\/[\w./-]*(?:\.\w+|\/))`/g;

function namedPaths(doc: string): string[] {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const paths = [...text.matchAll(BARE), ...text.matchAll(QUOTED)].map((match) => match[1] ?? '');
  return [...new Set(paths)].filter((path) => !/[<>*%]/.test(path));
}

const exists = (path: string): boolean => existsSync(join(ROOT, path)) || existsSync(join(ROOT, 'harness', path));

describe('paths the docs name', () => {
  test.each(DOCS)('%s names only paths that exist', (doc) => {
    const missing = namedPaths(doc).filter(
      (path) => !exists(path.replace(/\.$/, '')) && !ELSEWHERE.some(([pattern]) => pattern.test(path)),
    );
    expect(missing).toEqual([]);
  });
});
