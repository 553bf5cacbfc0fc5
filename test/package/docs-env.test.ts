import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The TRACEHOP_* environment variables the docs name are the ones the code reads, both ways: a variable added
 * to the code without a word in README.md, CONTRIBUTING.md or docs/ fails here, and so does a doc that names
 * one nothing reads any more. Tests' own variables (the scratch root) are not the user's and are not scanned.
 */
const ROOT = join(__dirname, '..', '..');
const VARIABLE = /\bTRACEHOP_[A-Z0-9_]+\b/g;

/** What the user runs: the harness (its tests and test-support aside), the scripts, the bench and the configs. */
const CODE = ['harness', 'scripts', 'bench', 'bin', 'fixtures/sample-app/scripts'];
/** .ci/run, CI's entry point, sets what the suite reads on CI (TRACEHOP_REQUIRE_SHELLCHECK). */
const CONFIGS = ['.detoxrc.js', 'e2e/jest.config.js', 'jest.config.js', 'test/global-setup.js', '.ci/run'];
const DOCS = ['README.md', 'CONTRIBUTING.md', 'docs'];

function filesUnder(path: string, keep: (file: string) => boolean): string[] {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return keep(path) ? [path] : [];
  return readdirSync(full)
    .filter((name) => name !== 'node_modules' && name !== 'test-support')
    .flatMap((name) => filesUnder(relative(ROOT, join(full, name)), keep));
}

function variablesIn(files: readonly string[]): Set<string> {
  return new Set(files.flatMap((file) => readFileSync(join(ROOT, file), 'utf8').match(VARIABLE) ?? []));
}

const isCode = (file: string): boolean => /\.(ts|js|cjs|mjs|sh)$/.test(file) && !/\.test\.ts$/.test(file);

describe('TRACEHOP_* variables in the docs and the code', () => {
  const read = variablesIn([...CODE.flatMap((dir) => filesUnder(dir, isCode)), ...CONFIGS]);
  const documented = variablesIn(DOCS.flatMap((path) => filesUnder(path, (file) => file.endsWith('.md'))));

  it('documents every variable the code reads', () => {
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });

  it('names no variable the code does not read', () => {
    expect([...documented].filter((name) => !read.has(name)).sort()).toEqual([]);
  });
});
