import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { failure, TracehopError } from '../internal/messages';
import { nearestName } from '../internal/nearest-name';
import { commandLineCause, parseCommandLine } from './command-line';
import { EXIT_UNUSABLE, processIo, type CliIo } from './io';
import { untilSignal } from './stop-signal';

const USAGE = `Usage:
  tracehop check [--expect svc1,svc2,... | --journeys FILE [--journey NAME]] [--format NAME] [--json] FILE...
  tracehop serve [--topology FILE] [--faults LIST] [--port NAME=PORT,...]
  tracehop report --merge COVERAGE.json... -o DIR
  tracehop report --spans DUMP... [--format NAME] --journeys FILE -o DIR
  tracehop init [--dry-run]
  tracehop --version
`;

/** What a first argument may be, for the one a mistyped command most likely misspells. */
const WORDS = ['check', 'serve', 'report', 'init', 'help', 'version', '--help', '--version'];

/** The commands that take options of their own ("tracehop help check" prints "tracehop check --help"). */
const COMMANDS = ['check', 'serve', 'report', 'init'];

/**
 * What `--help` or `--version` (`action`: "print tracehop's usage") makes of the words after it, by the rule
 * every command holds: `-h`/`--help` anywhere is a request for the usage, any other word is refused (exit 2),
 * never dropped. `alone`: no other word; `help`: print the usage; otherwise the refusal, usage included.
 */
function readLoneCommand(
  rest: readonly string[],
  action: string,
  alone: string,
): 'alone' | 'help' | { refusal: string } {
  const line = parseCommandLine(rest, {});
  if (line.ok && line.help) return 'help';
  const stray = line.ok ? line.value.positionals[0] : undefined;
  if (line.ok && stray === undefined) return 'alone';
  const cause = line.ok ? `there is no option "${stray ?? ''}"` : commandLineCause(line, false);
  const hint =
    stray !== undefined && COMMANDS.includes(stray)
      ? `Run "tracehop ${stray} --help" for the options of ${stray}.`
      : `Run "tracehop ${alone}" alone, or "tracehop <command> --help" for the options of a command.`;
  return { refusal: `${failure(action, cause, hint)}\n${USAGE}` };
}

/**
 * tracehop's own version, from the package.json above this file (harness/cli in the repository, dist/harness/cli
 * in the package), or undefined when none names tracehop.
 */
function ownVersion(): string | undefined {
  for (let dir = __dirname, up = 0; up < 4; dir = dirname(dir), up++) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof manifest === 'object' && manifest !== null && 'name' in manifest && manifest.name === 'tracehop')
        return 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : undefined;
    } catch {
      // No package.json here (or not JSON): look one folder up.
    }
  }
  return undefined;
}

/**
 * A command's module, or undefined once the TracehopError that loading it threw (msw that will not load, under
 * Yarn Plug'n'Play say) is printed: that message says what to do, so it is no tracehop bug (bin/tracehop.js
 * calls anything that escapes main one).
 */
async function loadCommand<T>(load: () => Promise<T>, io: CliIo): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    if (!(error instanceof TracehopError)) throw error;
    io.stderr(`${error.message}\n`);
    return undefined;
  }
}

/**
 * Runs the CLI and resolves with its exit code. `serveStopped` is `serve`'s stop signal when the caller listened
 * for it already (bin/tracehop.js does, before it loads this module); otherwise `serve` listens here.
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo(),
  serveStopped?: Promise<NodeJS.Signals>,
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    // Each command is loaded on demand: `check` must not pay for loading the backend (msw, the SDK).
    case 'check':
      return (await import('./check')).runCheck(rest, io);
    case 'serve': {
      // Listened for before loading the backend (msw, the SDK): a Ctrl-C while it loads stops it cleanly.
      const stopped = serveStopped ?? untilSignal();
      const serve = await loadCommand(() => import('./serve'), io);
      return serve === undefined ? EXIT_UNUSABLE : serve.runServe(rest, io, () => stopped);
    }
    case 'report':
      return (await import('./report')).runReport(rest, io);
    case 'init':
      return (await import('./init')).runInit(rest, io);
    case undefined:
      // No command is a usage error: the usage goes where errors go, so `tracehop > out` still shows it.
      io.stderr(`${failure('run tracehop', 'no command was given', 'Use check, serve, report or init.')}\n${USAGE}`);
      return EXIT_UNUSABLE;
    case '-h':
    case '--help':
    case 'help': {
      // "tracehop help check" (as "git help commit", "npm help install"): the command's own usage.
      const [topic, ...more] = rest;
      if (topic !== undefined && more.length === 0 && COMMANDS.includes(topic)) return main([topic, '--help'], io);
      const read = readLoneCommand(rest, "print tracehop's usage", command);
      if (typeof read === 'object') {
        io.stderr(read.refusal);
        return EXIT_UNUSABLE;
      }
      io.stdout(`${USAGE}Run "tracehop <command> --help" for the options of each.\n`);
      return 0;
    }
    case '-V':
    case '--version':
    case 'version': {
      const read = readLoneCommand(rest, "print tracehop's version", command);
      if (read === 'help') {
        io.stdout(`${USAGE}Run "tracehop <command> --help" for the options of each.\n`);
        return 0;
      }
      if (typeof read === 'object') {
        io.stderr(read.refusal);
        return EXIT_UNUSABLE;
      }
      const version = ownVersion();
      if (version !== undefined) {
        io.stdout(`tracehop ${version}\n`);
        return 0;
      }
      io.stderr(
        `${failure("print tracehop's version", 'no package.json naming tracehop was found above its files', 'Reinstall tracehop (npm ci, or npm install tracehop).')}\n`,
      );
      return EXIT_UNUSABLE;
    }
    default: {
      const nearest = nearestName(command, WORDS);
      const cause = `there is no such command${nearest === undefined ? '' : ` (did you mean "${nearest}"?)`}`;
      io.stderr(`${failure(`run "tracehop ${command}"`, cause, 'Use check, serve, report or init.')}\n${USAGE}`);
      return EXIT_UNUSABLE;
    }
  }
}
