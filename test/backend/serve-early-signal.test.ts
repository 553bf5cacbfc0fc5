/**
 * `tracehop serve` stops cleanly (exit 0, no endpoints printed, nothing on stderr; see README) on a SIGTERM
 * that comes while the built bin loads the CLI, not only once the CLI runs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT } from './support/serve-process';

const SIGNAL_ON_CLI_LOAD = join(__dirname, 'support', 'signal-on-cli-load.js');

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node [nodeArgs] bin/tracehop.js serve` to its end. */
function serveBin(nodeArgs: readonly string[]): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'harness', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run "npm run build" before this suite');
});

it('exits 0, printing nothing, on a SIGTERM that comes while the bin loads the CLI', async () => {
  expect(await serveBin(['-r', SIGNAL_ON_CLI_LOAD])).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
});
