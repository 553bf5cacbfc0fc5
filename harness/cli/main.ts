import { failure } from '../internal/messages';
import { EXIT_UNUSABLE, processIo, type CliIo } from './io';

const USAGE = `Usage:
  tracehop check [--expect svc1,svc2,... | --journeys FILE [--journey NAME]] [--format NAME] [--json] FILE...
  tracehop serve [--topology FILE] [--faults LIST] [--port NAME=PORT,...]
  tracehop report --merge COVERAGE.json... -o DIR
  tracehop report --spans DUMP... [--format NAME] --journeys FILE -o DIR
  tracehop init [--dry-run]
`;

/** Runs the CLI and resolves with its exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    // Each command is loaded on demand: `check` must not pay for loading the backend (msw, the SDK).
    case 'check':
      return (await import('./check')).runCheck(rest, io);
    case 'serve':
      return (await import('./serve')).runServe(rest, io);
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
    case 'help':
      io.stdout(`${USAGE}Run "tracehop <command> --help" for the options of each.\n`);
      return 0;
    default:
      io.stderr(
        `${failure(`run "tracehop ${command}"`, 'there is no such command', 'Use check, serve, report or init.')}\n${USAGE}`,
      );
      return EXIT_UNUSABLE;
  }
}
