import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Each package manager's command that adds development dependencies, by the lockfile that says it is used. */
const BY_LOCKFILE: ReadonlyArray<readonly [string, string]> = [
  ['pnpm-lock.yaml', 'pnpm add --save-dev'],
  ['yarn.lock', 'yarn add --dev'],
  ['bun.lock', 'bun add --dev'],
  ['bun.lockb', 'bun add --dev'],
  ['package-lock.json', 'npm install --save-dev'],
  ['npm-shrinkwrap.json', 'npm install --save-dev'],
];

const BY_NAME: Readonly<Record<string, string>> = {
  pnpm: 'pnpm add --save-dev',
  yarn: 'yarn add --dev',
  bun: 'bun add --dev',
  npm: 'npm install --save-dev',
};

/**
 * The command that adds development dependencies in the app at `cwd`, as its package manager spells it: the one
 * package.json's `packageManager` names (Corepack's "pnpm@9.1.0"), else the one whose lockfile is in `cwd` or the
 * nearest folder above it that has one (a monorepo keeps it at its root; the search stops at a `.git` folder),
 * else npm's.
 * @example devInstallCommand('/repo/apps/mobile', undefined) // 'pnpm add --save-dev' beside /repo/pnpm-lock.yaml
 */
export function devInstallCommand(cwd: string, packageManager: unknown): string {
  if (typeof packageManager === 'string') {
    const named = BY_NAME[packageManager.split('@')[0] ?? ''];
    if (named !== undefined) return named;
  }
  for (let dir = cwd; ; dir = dirname(dir)) {
    const found = BY_LOCKFILE.find(([file]) => existsSync(join(dir, file)));
    if (found !== undefined) return found[1];
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return BY_NAME.npm as string;
  }
}

/**
 * {@link devInstallCommand} for the app tracehop runs in, at `cwd` (where `detox test` or `jest` started): its
 * package.json's `packageManager` when there is one, else its lockfiles. For the messages that say what to install.
 */
export function appDevInstallCommand(cwd: string = process.cwd()): string {
  let packageManager: unknown;
  try {
    packageManager = (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { packageManager?: unknown })
      .packageManager;
  } catch {
    // No package.json here, or one that is no JSON object: the lockfiles decide.
  }
  return devInstallCommand(cwd, packageManager);
}
