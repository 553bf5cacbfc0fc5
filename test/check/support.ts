import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { main, type CliIo } from '../../harness/cli';
import { scratchDir } from '../../harness/test-support/scratch-dir';

export const ROOT = resolve(__dirname, '../..');
export const CHAIN = 'mobile-app,api-gateway,payment-api,fraud-service';

/** Runs the CLI in-process from the repository root and captures its output. */
export async function runCli(argv: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temp dir with the given files (paths may name subfolders) written into it. */
export function tempFiles(files: Record<string, string>): string {
  const dir = scratchDir('tracehop-check-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** What `tracehop check` says on stderr when it passes a dump with neither --expect nor --journeys. */
export const NO_CHAIN_NOTE =
  '[tracehop] Note: no --expect or --journeys was given, so each trace was judged on its own: a hop that started a new trace (traceparent lost) or a service that never ran is not found that way. Pass --expect svc1,svc2,... or --journeys FILE to judge each run along its chain.\n';
