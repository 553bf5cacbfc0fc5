/**
 * scripts/e2e.js gives `detox test` a temp folder of its own and removes it when Detox exits, however the run
 * ended: Detox has no setting for where its session logs (`<session>.<pid>.detox.jsonl`) go, and an
 * interrupted run left them, and the singleton folders of the Chromiums it killed, in the shared temp folder.
 * The script runs from a copy whose node_modules/detox is a stand-in (fake-detox/cli.js) that leaves such files.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = path.join(__dirname, '..', '..');

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What is left in the TMPDIR the script was given. */
  readonly tmp: string[];
  /** Whether Detox's IPC socket (/tmp/detox.primary-PID of the Detox process) is left: the stand-in makes one when interrupted. */
  readonly ipcSocket: boolean;
}

/** Runs the copy of scripts/e2e.js (a native configuration: no browser, no web build) with the stand-in Detox. */
function runE2e(mode: 'exit' | 'interrupt'): Promise<Ended> {
  const copy = scratchDir('tracehop-e2e-tmp-copy-');
  fs.mkdirSync(path.join(copy, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'e2e.js'), path.join(copy, 'scripts', 'e2e.js'));
  fs.mkdirSync(path.join(copy, 'node_modules', 'detox', 'local-cli'), { recursive: true });
  fs.writeFileSync(path.join(copy, 'node_modules', 'detox', 'package.json'), '{ "name": "detox" }\n');
  fs.copyFileSync(
    path.join(__dirname, 'fake-detox', 'cli.js'),
    path.join(copy, 'node_modules', 'detox', 'local-cli', 'cli.js'),
  );
  // A short name: the script makes no folder of its own where Chromium's socket path in it would be too long.
  const tmp = scratchDir('e2e-');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(copy, 'scripts', 'e2e.js'), '-c', 'ios.sim.release'], {
      cwd: copy,
      env: { PATH: process.env['PATH'] ?? '', TMPDIR: tmp, TRACEHOP_E2E_BUILD: 'skip', FAKE_DETOX: mode },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // The stand-in prints its pid when it makes an IPC socket.
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const socket = stdout === '' ? undefined : `/tmp/detox.primary-${stdout.trim()}`;
      const ipcSocket = socket !== undefined && fs.existsSync(socket);
      if (socket !== undefined) fs.rmSync(socket, { force: true });
      resolve({ code, signal, tmp: fs.readdirSync(tmp), ipcSocket });
    });
  });
}

describe('npm run e2e and the temp folder', () => {
  it('leaves nothing there after a run', async () => {
    expect(await runE2e('exit')).toEqual({ code: 0, signal: null, tmp: [], ipcSocket: false });
  });

  it("leaves nothing there, nor Detox's IPC socket in /tmp, after a run interrupted with Ctrl-C, and ends as Detox did", async () => {
    expect(await runE2e('interrupt')).toEqual({ code: 130, signal: null, tmp: [], ipcSocket: false });
  });
});
