import { failure } from '../internal/messages';
import { runCheck } from './check';
import { EXIT_UNUSABLE, processIo, type CliIo } from './io';
import { runReport } from './report';
import { runServe } from './serve';

const USAGE = `Usage:
  tracehop check [--expect svc1,svc2,...] [--json] FILE...
  tracehop serve [--topology FILE] [--faults LIST]
  tracehop report --merge COVERAGE.json... -o DIR
  tracehop report --otlp DUMP... --journeys FILE -o DIR
`;

/** Runs the CLI and resolves with its exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest, io);
    case 'serve':
      return runServe(rest, io);
    case 'report':
      return runReport(rest, io);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout(USAGE);
      return command === undefined ? EXIT_UNUSABLE : 0;
    default:
      io.stderr(`${failure(`run "tracehop ${command}"`, 'there is no such command', 'Use check, serve or report.')}\n${USAGE}`);
      return EXIT_UNUSABLE;
  }
}
