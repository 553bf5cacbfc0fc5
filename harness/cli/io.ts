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

/** The real process streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}
