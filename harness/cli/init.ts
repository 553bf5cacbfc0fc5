import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { failure } from '../internal/messages';
import { errorMessage } from '../internal/result';
import { readCommandLine, type OptionTable, type UsageFailure } from './command-line';
import { EXIT_OK, EXIT_UNUSABLE, type CliIo } from './io';
import { initPaths, jestConfigNames, type ProjectFacts } from './init-facts';
import { fileInTheWay, folderInTheWay, isFile, isFolder, readProject } from './init-project';
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
  const line = readCommandLine(args, INIT_OPTIONS, { action: 'init', usage: USAGE, fileNames: false });
  if (!line.ok) return line;
  if (line.help) return { ok: 'help' };
  return { ok: true, value: { dryRun: line.value.options.some((option) => option.name === 'dry-run') } };
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
  // A file where init writes a folder (an "e2e" file) would fail with mkdir's EEXIST: name it first too.
  const file = paths
    .map((path) => (path === undefined ? '.' : dirname(path)))
    .find((parent) => isFile(join(io.cwd, parent)));
  if (file !== undefined) {
    io.stderr(`${fileInTheWay(io.cwd, file)}\n`);
    return EXIT_UNUSABLE;
  }
  const facts = { ...project.value, e2eFolder: !dryRun || existsSync(join(io.cwd, 'e2e')) };
  const plan = initTemplates(ownJestConfig(io.cwd, ownDetoxConfig(io.cwd, facts)));
  const writes = plan.files.filter((file) => !existsSync(join(io.cwd, file.path)));
  const kept = plan.files.filter((file) => existsSync(join(io.cwd, file.path)));
  const lines: string[] = [dryRun ? '[tracehop] init --dry-run: nothing is written.' : '[tracehop] init'];
  for (const file of writes) lines.push(`${dryRun ? 'would write' : 'wrote'} ${describeFile(file)}`);
  // One line for every file left alone: why is said once, not once a file.
  if (kept.length > 0) {
    const names = kept.map((file) => file.path);
    const list = names.length === 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
    lines.push(
      `left alone ${list}: ${names.length === 1 ? 'it exists' : 'they exist'} (tracehop never overwrites a file)`,
    );
  }
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
