import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BackendUrls } from '../../../harness/backend';

export const ROOT = join(__dirname, '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'tracehop.js');

/** A running `tracehop serve` child process. */
export interface ServeProcess {
  readonly urls: BackendUrls;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns the built CLI (`node bin/tracehop.js serve ...`) and resolves with its first stdout line, the
 * endpoints JSON. Rejects with stderr when the process exits first or the deadline passes.
 */
export function startServe(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 15000,
): Promise<ServeProcess> {
  if (!existsSync(join(ROOT, 'dist', 'harness', 'cli', 'main.js'))) {
    return Promise.reject(new Error('dist/ is missing: run "npm run build" before this suite'));
  }
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<ServeProcess>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`tracehop serve printed no endpoints within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve({
        urls: JSON.parse(line) as BackendUrls,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tracehop serve exited with ${code} before printing endpoints; stderr: ${stderr}`));
    });
  });
}

/** Runs the built CLI to completion and returns its exit code and output. */
export function runCli(
  args: readonly string[],
  timeoutMs = 15000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNode([BIN, ...args], {}, timeoutMs);
}

/** Runs `node ARGS...` from the repository root to completion. */
export function runNode(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 30000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`node ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // 'close', not 'exit': the child's output may still be in its pipes when it exits.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
