import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { failure } from '../../internal/messages';
import type { Failure } from '../../internal/result';

/** The flags every tracehop Chromium runs with: headless, quiet, no network chatter of its own. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where we look for a browser when `TRACEHOP_CHROMIUM` is not set, in order (`~` is the home folder). */
export const BROWSER_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  // Ubuntu's chromium is a snap.
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  // macOS apps dragged into the user's own Applications folder.
  '~/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '~/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Command names looked up on PATH when no candidate path holds a browser, in order. */
export const BROWSER_COMMANDS: readonly string[] = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
];

/** The first of BROWSER_COMMANDS in a folder of `searchPath` (PATH) that is executable. */
function onPath(searchPath: string | undefined, isExecutable: (path: string) => boolean): string | undefined {
  const folders = (searchPath ?? '').split(path.delimiter).filter((folder) => path.isAbsolute(folder));
  for (const command of BROWSER_COMMANDS) {
    for (const folder of folders) {
      const candidate = path.join(folder, command);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The browser binary found, or why none: `TRACEHOP_CHROMIUM` names no executable (`not-executable`), or no
 * candidate path holds one (`not-found`). The success keeps `path`, which scripts/ensure-browser.js reads.
 */
export type BrowserResult = { ok: true; path: string } | Failure<'not-executable' | 'not-found'>;

/** The machine, as far as the install advice goes. */
export interface BrowserHost {
  readonly platform: NodeJS.Platform;
  /** Debian or a derivative (Ubuntu): /etc/debian_version exists. */
  readonly debian: boolean;
  /**
   * Ubuntu or a derivative of it (/etc/os-release): its archive has no chromium package (Chromium is a
   * snap), so Debian's install command does not apply. Absent: not Ubuntu.
   */
  readonly ubuntu?: boolean;
  /** Running as root (uid 0). */
  readonly root: boolean;
  readonly home: string;
}

/** What `findBrowser` needs from the outside world, injectable for tests. */
export interface BrowserLookup {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isExecutable: (path: string) => boolean;
  /** Defaults to this machine. */
  readonly host?: BrowserHost;
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether an os-release file names Ubuntu (`ID`) or a system built on it (`ID_LIKE`, a list). */
export function osReleaseNamesUbuntu(text: string): boolean {
  for (const line of text.split('\n')) {
    const match = /^(ID|ID_LIKE)=(.*)$/.exec(line.trim());
    const value = match?.[2]?.replace(/^["']|["']$/g, '');
    if (value !== undefined && value.split(/\s+/).includes('ubuntu')) return true;
  }
  return false;
}

function isUbuntu(): boolean {
  try {
    return osReleaseNamesUbuntu(fs.readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

/** This machine, for the install advice. */
export function currentHost(): BrowserHost {
  return {
    platform: process.platform,
    debian: fs.existsSync('/etc/debian_version'),
    ubuntu: process.platform === 'linux' && isUbuntu(),
    root: typeof process.getuid === 'function' && process.getuid() === 0,
    home: os.homedir(),
  };
}

const DEFAULT_LOOKUP: BrowserLookup = { env: process.env, isExecutable: isExecutableFile };

/** The exact command that installs a browser tracehop finds on this host, or undefined when we know none. */
export function installCommand(host: BrowserHost): string | undefined {
  if (host.platform === 'darwin') return 'brew install --cask google-chrome';
  if (host.platform === 'linux' && host.ubuntu === true) return `${host.root ? '' : 'sudo '}snap install chromium`;
  if (host.platform === 'linux' && host.debian) return `${host.root ? '' : 'sudo '}apt-get install -y chromium`;
  return undefined;
}

/** What to do when no browser was found: the install command for this host, and the way around it. */
export function installHint(host: BrowserHost): string {
  const command = installCommand(host);
  const setIt = 'set TRACEHOP_CHROMIUM to the path of a Chromium or Chrome binary';
  if (host.platform === 'darwin') {
    return `Install Google Chrome (\`${command}\`, or the installer from google.com/chrome) and run npm run e2e again, or ${setIt}.`;
  }
  if (host.platform === 'linux' && host.ubuntu === true) {
    // Snaps need snapd, which containers and WSL often lack: Google's .deb works there.
    return `Install Chromium (\`${command}\`; without snapd, Google Chrome's .deb from google.com/chrome) and run npm run e2e again, or ${setIt}.`;
  }
  if (command !== undefined) return `Install Chromium (\`${command}\`) and run npm run e2e again, or ${setIt}.`;
  return `Install Chromium or Google Chrome with your system's package manager, then ${setIt} if it is not at one of those paths.`;
}

/**
 * Finds the Chromium to drive: `TRACEHOP_CHROMIUM` when set (and it must exist), else the first of
 * `BROWSER_CANDIDATES` that is executable, else the first of `BROWSER_COMMANDS` on PATH. Never downloads a
 * browser.
 */
export function findBrowser(lookup: BrowserLookup = DEFAULT_LOOKUP): BrowserResult {
  const fromEnv = lookup.env.TRACEHOP_CHROMIUM;
  if (fromEnv !== undefined && fromEnv !== '') {
    return lookup.isExecutable(fromEnv)
      ? { ok: true, path: fromEnv }
      : {
          ok: false,
          reason: 'not-executable',
          message: failure(
            'find a browser',
            `TRACEHOP_CHROMIUM is "${fromEnv}", which is not an executable file`,
            'Point TRACEHOP_CHROMIUM at a Chromium or Chrome binary, or unset it to let tracehop look for one.',
          ),
        };
  }
  const host = lookup.host ?? currentHost();
  const candidates = BROWSER_CANDIDATES.map((candidate) =>
    candidate.startsWith('~/') ? path.join(host.home, candidate.slice(2)) : candidate,
  );
  const found = candidates.find((candidate) => lookup.isExecutable(candidate));
  const foundOnPath = found ?? onPath(lookup.env.PATH, lookup.isExecutable);
  if (foundOnPath !== undefined) return { ok: true, path: foundOnPath };
  const commands = `${BROWSER_COMMANDS.slice(0, -1).join(', ')} or ${BROWSER_COMMANDS[BROWSER_COMMANDS.length - 1] ?? ''}`;
  return {
    ok: false,
    reason: 'not-found',
    message: failure(
      'find a browser',
      `no Chromium or Chrome at ${candidates.join(', ')}, nor on PATH as ${commands}`,
      installHint(host),
    ),
  };
}
