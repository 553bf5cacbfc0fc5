/** The entries an app's own e2e Jest config must hold for tracehop, and which of them its text already names. */
import type { InitPaths } from './init-facts';

/** One entry as init prints it, with the words whose presence in the config's text shows it is there. */
interface JestEntry {
  readonly line: string;
  readonly names: readonly string[];
}

function jestEntries(typescript: boolean, paths: InitPaths): JestEntry[] {
  // rootDir defaults to the config's folder: one in e2e/ needs '..' for the testMatch to find the spec.
  const rootDir = paths.jestConfig.startsWith('e2e/') ? "  // with rootDir: '..'" : '';
  return [
    {
      line: `  testMatch: ['${paths.specMatch}'],${rootDir}`,
      names: [paths.specMatch.slice(paths.specMatch.lastIndexOf('/') + 1)],
    },
    { line: "  testEnvironment: 'tracehop/detox/environment',", names: ['tracehop/detox/environment'] },
    {
      line: "  reporters: ['detox/runners/jest/reporter', ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }]],",
      names: ['detox/runners/jest/reporter', 'tracehop/jest/reporter'],
    },
    {
      line: "  testTimeout: 120000,  // or more: Jest's 5 s default cuts journey() off before its verdict",
      names: ['testTimeout'],
    },
    ...(typescript ? [{ line: "  transform: { '\\\\.tsx?$': 'ts-jest' },", names: ['ts-jest'] }] : []),
  ];
}

/**
 * The lines of the entries the app's Jest config lacks: those whose words its `text` does not name (every one
 * when it could not be read). A config is code init does not run, so an entry it names counts as there: a
 * second run after the entries were added prints none of them again.
 */
export function jestEntriesLacking(typescript: boolean, paths: InitPaths, text: string | undefined): string[] {
  return jestEntries(typescript, paths)
    .filter((entry) => text === undefined || !entry.names.every((name) => text.includes(name)))
    .map((entry) => entry.line);
}
