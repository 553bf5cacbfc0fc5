import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { failure } from '../internal/messages';
import { errorMessage, type Failure } from '../internal/result';
import { parseCommandLine, usageFailure, type OptionTable, type UsageFailure } from './command-line';
import { locateDetoxConfig, readDetoxConfig } from './init-detox-config';
import { EXIT_OK, EXIT_UNUSABLE, type CliIo } from './io';
import { initPaths, jestConfigNames, type ProjectFacts } from './init-facts';
import { initTemplates, type InitFile } from './init-templates';

const USAGE = 'Usage: tracehop init [--dry-run]';

/** The options of `tracehop init`. */
export const INIT_OPTIONS: OptionTable = {
  'dry-run': { kind: 'flag' },
};

export interface InitArgs {
  readonly dryRun: boolean;
}

export type InitArgsResult = { ok: true; value: InitArgs } | UsageFailure | { ok: 'help' };

/** `tracehop init` arguments: `--dry-run`, nothing else (no file names either). */
export function parseInitArgs(args: readonly string[]): InitArgsResult {
  const line = parseCommandLine(args, INIT_OPTIONS);
  const usage = (cause: string): InitArgsResult =>
    usageFailure(`${failure('init', cause, 'The only option is --dry-run.')}\n${USAGE}`);
  if (!line.ok) return usage(line.message);
  if (line.help) return { ok: 'help' };
  const [stray] = line.value.positionals;
  if (stray !== undefined) return usage(`there is no option "${stray}"`);
  return { ok: true, value: { dryRun: line.value.options.some((option) => option.name === 'dry-run') } };
}

/**
 * Why init cannot set up a project: no package.json, a package.json or Detox config it cannot parse, or no
 * Detox installed.
 */
type ProjectReason = 'no-package-json' | 'unreadable-config' | 'no-detox';

type Facts = { ok: true; value: ProjectFacts } | Failure<ProjectReason>;

function resolvable(id: string, cwd: string): boolean {
  try {
    createRequire(join(cwd, 'package.json')).resolve(id);
    return true;
  } catch {
    return false;
  }
}

/** The major version of a package the app resolves (`typescript`, `jest`), or undefined when it gives none. */
function installedMajor(name: string, cwd: string): number | undefined {
  try {
    const file = createRequire(join(cwd, 'package.json')).resolve(`${name}/package.json`);
    const version: unknown = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
    const major = typeof version === 'string' ? /^(\d+)\./.exec(version)?.[1] : undefined;
    return major === undefined ? undefined : Number(major);
  } catch {
    return undefined;
  }
}

function folderInTheWay(cwd: string, path: string): string {
  return failure(
    `set up tracehop in "${cwd}"`,
    `"${join(cwd, path)}" is a folder, where init reads or writes a file`,
    'Move or rename that folder, then run tracehop init again.',
  );
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What init needs to know of the app repository, or why it cannot set it up. */
function readProject(cwd: string): Facts {
  const action = `set up tracehop in "${cwd}"`;
  const manifest = join(cwd, 'package.json');
  if (isFolder(manifest))
    return { ok: false, reason: 'unreadable-config', message: folderInTheWay(cwd, 'package.json') };
  if (!existsSync(manifest)) {
    return {
      ok: false,
      reason: 'no-package-json',
      message: failure(action, 'there is no package.json here', "Run tracehop init in your app's package root."),
    };
  }
  let pkg: {
    name?: unknown;
    type?: unknown;
    scripts?: unknown;
    dependencies?: unknown;
    devDependencies?: unknown;
    detox?: unknown;
  };
  try {
    pkg = JSON.parse(readFileSync(manifest, 'utf8').replace(/^\uFEFF/, '')) as typeof pkg;
    if (typeof pkg !== 'object' || pkg === null) throw new Error('it is not a JSON object');
  } catch (error) {
    return {
      ok: false,
      reason: 'unreadable-config',
      message: failure(`read "${manifest}"`, errorMessage(error), 'Fix it, then run tracehop init again.'),
    };
  }
  if (!resolvable('detox/package.json', cwd)) {
    return {
      ok: false,
      reason: 'no-detox',
      message: failure(
        action,
        'Detox is not installed here',
        'Run npm install --save-dev detox jest, then tracehop init again.',
      ),
    };
  }
  const esm = pkg.type === 'module';
  const jestConfig = jestConfigNames(esm).find((path) => existsSync(join(cwd, path)));
  const detoxConfigFile = locateDetoxConfig(cwd, pkg);
  if (detoxConfigFile !== undefined && isFolder(join(cwd, detoxConfigFile)))
    return { ok: false, reason: 'unreadable-config', message: folderInTheWay(cwd, detoxConfigFile) };
  const detoxConfig =
    detoxConfigFile === undefined
      ? undefined
      : readDetoxConfig(cwd, detoxConfigFile, pkg, jestConfig ?? jestConfigNames(esm)[0]);
  if (detoxConfigFile !== undefined && detoxConfig?.ok === false) {
    return {
      ok: false,
      reason: 'unreadable-config',
      message: failure(
        `read the Detox config "${join(cwd, detoxConfigFile)}"`,
        detoxConfig.cause,
        'Fix it, then run tracehop init again.',
      ),
    };
  }
  const deps = { ...(pkg.dependencies as object | undefined), ...(pkg.devDependencies as object | undefined) };
  const scripts = (typeof pkg.scripts === 'object' && pkg.scripts !== null ? pkg.scripts : {}) as Record<
    string,
    unknown
  >;
  const webScript = ['build:web', 'web:build'].find((name) => typeof scripts[name] === 'string');
  const webBuild = webScript !== undefined || 'react-native-web' in deps;
  const typescript = resolvable('typescript/package.json', cwd) && resolvable('ts-jest/package.json', cwd);
  return {
    ok: true,
    value: {
      name: typeof pkg.name === 'string' && pkg.name !== '' ? pkg.name : 'app',
      typescript,
      ...(esm ? { esm } : {}),
      ...(jestConfig === undefined ? {} : { jestConfig }),
      ...(typescript
        ? {
            tsconfig: existsSync(join(cwd, 'tsconfig.json')),
            jestTypes: resolvable('@types/jest/package.json', cwd),
            typescriptMajor: installedMajor('typescript', cwd),
            jestMajor: installedMajor('jest', cwd),
          }
        : {}),
      ...(detoxConfig?.ok === true ? { detoxConfig: detoxConfig.value } : {}),
      ...(webBuild ? { webBuild: webScript === undefined ? 'build:web' : webScript } : {}),
    },
  };
}

/** A Detox config that init itself wrote is one of its files (left alone), not a config to print additions for. */
function ownDetoxConfig(cwd: string, facts: ProjectFacts): ProjectFacts {
  const path = initPaths(facts).detoxConfig;
  if (facts.detoxConfig?.file !== path || facts.webBuild === undefined) return facts;
  const { detoxConfig: _existing, ...withoutConfig } = facts;
  const ours = initTemplates(withoutConfig).files.find((file) => file.path === path);
  return ours !== undefined && readFileSync(join(cwd, path), 'utf8') === ours.text ? withoutConfig : facts;
}

/** A Jest config that init itself wrote, under the name it writes, needs no printed entries: it holds them. */
function ownJestConfig(cwd: string, facts: ProjectFacts): ProjectFacts {
  const path = facts.jestConfig;
  if (path === undefined || path !== jestConfigNames(facts.esm === true)[0]) return facts;
  const ours = initTemplates(facts).files.find((file) => file.path === path);
  if (ours === undefined || readFileSync(join(cwd, path), 'utf8') !== ours.text) return facts;
  const { jestConfig: _existing, ...withoutConfig } = facts;
  return withoutConfig;
}

function describeFile(file: InitFile): string {
  return `${file.path} (${file.what})`;
}

/**
 * `tracehop init [--dry-run]` in an app repository: writes a journeys file with one journey, its spec, and a
 * Jest config with Detox's and tracehop's reporters (and, for a web build without a Detox config, a
 * .detoxrc.js), prints the .detoxrc.js additions for an existing config and the launch arguments the app
 * must read. Never overwrites a file. Exit 0 when set up, 2 on bad input.
 */
export async function runInit(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseInitArgs(argv);
  if (parsed.ok === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (!parsed.ok) {
    io.stderr(`${parsed.message}\n`);
    return EXIT_UNUSABLE;
  }
  const { dryRun } = parsed.value;
  const project = readProject(io.cwd);
  if (!project.ok) {
    io.stderr(`${project.message}\n`);
    return EXIT_UNUSABLE;
  }
  // A folder where init reads or writes a file would fail deep inside with EISDIR: name it first.
  const paths = [...initTemplates(project.value).files.map((file) => file.path), project.value.detoxConfig?.file];
  const folder = paths.find((path) => path !== undefined && isFolder(join(io.cwd, path)));
  if (folder !== undefined) {
    io.stderr(`${folderInTheWay(io.cwd, folder)}\n`);
    return EXIT_UNUSABLE;
  }
  const facts = { ...project.value, e2eFolder: !dryRun || existsSync(join(io.cwd, 'e2e')) };
  const plan = initTemplates(ownJestConfig(io.cwd, ownDetoxConfig(io.cwd, facts)));
  const writes = plan.files.filter((file) => !existsSync(join(io.cwd, file.path)));
  const kept = plan.files.filter((file) => existsSync(join(io.cwd, file.path)));
  const lines: string[] = [dryRun ? '[tracehop] init --dry-run: nothing is written.' : '[tracehop] init'];
  for (const file of writes) lines.push(`${dryRun ? 'would write' : 'wrote'} ${describeFile(file)}`);
  for (const file of kept) lines.push(`left alone ${file.path}: it exists (tracehop never overwrites a file)`);
  if (!dryRun) {
    for (const file of writes) {
      const target = join(io.cwd, file.path);
      try {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, file.text, { flag: 'wx' });
      } catch (error) {
        io.stderr(
          `${failure(`write "${target}"`, errorMessage(error), 'Check that the folder is writable, then run tracehop init again.')}\n`,
        );
        return EXIT_UNUSABLE;
      }
    }
  }
  lines.push('', ...plan.notes);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
