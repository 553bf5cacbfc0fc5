/**
 * A temp folder of each launched Chromium's own. Chromium makes its singleton folder
 * (org.chromium.Chromium.XXXXXX, holding SingletonSocket and SingletonCookie) in TMPDIR and removes it when it
 * closes, but not when it is killed (a crash, Detox's emergency cleanup, Playwright's on exit). Launched with
 * TMPDIR here, all it leaves goes with this folder, which the driver removes once the browser is gone, and
 * at the latest when this process exits. Unless that would make the path of its singleton socket too long for
 * a Unix socket, where Chromium fails to start: it then keeps the TMPDIR it inherits.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Folders made and not yet removed. */
const made = new Set<string>();

function removeAll(): void {
  for (const dir of made) removeBrowserTemp(dir);
}

/** What Chromium adds to TMPDIR for its singleton socket. */
const SOCKET_IN_TMPDIR = '/org.chromium.Chromium.XXXXXX/SingletonSocket';
/** The longest path of a Unix socket: 103 characters on macOS (104 bytes with the NUL), 107 on Linux. */
const SOCKET_PATH_MAX = process.platform === 'darwin' ? 103 : 107;
const PREFIX = 'tracehop-chromium-';

/**
 * A new folder in `base` (the OS temp folder), for one browser's TMPDIR; undefined when the path of `base` is
 * too long to hold one Chromium could start in.
 */
export function makeBrowserTemp(base = os.tmpdir()): string | undefined {
  if (path.join(base, `${PREFIX}XXXXXX`).length + SOCKET_IN_TMPDIR.length > SOCKET_PATH_MAX) return undefined;
  const dir = fs.mkdtempSync(path.join(base, PREFIX));
  if (made.size === 0) process.once('exit', removeAll);
  made.add(dir);
  return dir;
}

/** Removes a folder of makeBrowserTemp with all in it (call it once its browser is gone). */
export function removeBrowserTemp(dir: string | undefined): void {
  if (dir === undefined) return;
  fs.rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
  if (made.size === 0) process.off('exit', removeAll);
}
