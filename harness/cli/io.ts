/** What a CLI command may touch of the outside world, so commands are testable in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Exit codes shared by every command: 0 ok, 1 defects found, 2 unusable input or usage. */
export const EXIT_OK = 0;
export const EXIT_DEFECTS = 1;
export const EXIT_UNUSABLE = 2;

/**
 * A reader that stops early (`tracehop check --json dump.jsonl | head`) closes the pipe: the rest of the
 * output is dropped quietly, as other command-line tools do, and the exit code stays the verdict. Any other
 * write failure (a full disk) is said once on stderr and makes the exit code 2.
 */
let stdoutClosed = false;
let stdoutGuarded = false;

function guardStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (error.code === 'EPIPE') return;
    process.stderr.write(`[tracehop] Failed to write the output: ${error.message}. Check where stdout goes.\n`);
    process.exitCode = EXIT_UNUSABLE;
  });
}

/** The real process streams and environment. */
export function processIo(): CliIo {
  guardStdout();
  return {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}
