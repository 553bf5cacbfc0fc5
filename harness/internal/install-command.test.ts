import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../test-support/scratch-dir';
import { appDevInstallCommand, devInstallCommand } from './install-command';

/**
 * A repository (a .git folder) in a scratch folder, with `files` written in it (`../` ones in the scratch folder
 * above it), and the path of its app folder apps/mobile.
 */
function repo(files: readonly string[]): string {
  const root = join(scratchDir('tracehop-install-command-'), 'repo');
  mkdirSync(join(root, '.git'), { recursive: true });
  mkdirSync(join(root, 'apps/mobile'), { recursive: true });
  for (const file of files) writeFileSync(join(root, file), '');
  return join(root, 'apps/mobile');
}

describe('devInstallCommand', () => {
  it.each([
    [['pnpm-lock.yaml'], 'pnpm add --save-dev'],
    [['yarn.lock'], 'yarn add --dev'],
    [['bun.lockb'], 'bun add --dev'],
    [['bun.lock'], 'bun add --dev'],
    [['package-lock.json'], 'npm install --save-dev'],
    [[], 'npm install --save-dev'],
    // The app's own lockfile is nearer than the monorepo root's.
    [['pnpm-lock.yaml', 'apps/mobile/yarn.lock'], 'yarn add --dev'],
  ])('names the package manager whose lockfile %j the app or a folder above it holds', (files, command) => {
    expect(devInstallCommand(repo(files), undefined)).toBe(command);
  });

  it("takes package.json's packageManager (Corepack) before any lockfile, and ignores one it does not know", () => {
    const app = repo(['package-lock.json']);
    expect([
      devInstallCommand(app, 'pnpm@9.12.0'),
      devInstallCommand(app, 'yarn@4.5.0+sha512.abc'),
      devInstallCommand(repo(['yarn.lock']), 'deno@2'),
      devInstallCommand(app, 42),
    ]).toEqual(['pnpm add --save-dev', 'yarn add --dev', 'yarn add --dev', 'npm install --save-dev']);
  });

  it('stops at the repository root: a lockfile above it is another project', () => {
    expect(devInstallCommand(repo(['../pnpm-lock.yaml']), undefined)).toBe('npm install --save-dev');
  });
});

describe('appDevInstallCommand', () => {
  it("names the package manager the app's package.json names", () => {
    const app = repo(['package-lock.json']);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', packageManager: 'pnpm@10.34.9' }));
    expect(appDevInstallCommand(app)).toBe('pnpm add --save-dev');
  });

  it('goes by the lockfiles when package.json names none, or is missing or no JSON', () => {
    const named = repo(['yarn.lock']);
    writeFileSync(join(named, 'package.json'), JSON.stringify({ name: 'app' }));
    const broken = repo(['pnpm-lock.yaml']);
    writeFileSync(join(broken, 'package.json'), '{ "name": ');
    expect([appDevInstallCommand(named), appDevInstallCommand(broken), appDevInstallCommand(repo([]))]).toEqual([
      'yarn add --dev',
      'pnpm add --save-dev',
      'npm install --save-dev',
    ]);
  });
});
