import * as fs from 'node:fs';
import { failure } from '../../internal/messages';

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

/** Where we look for a browser when `TRACEHOP_CHROMIUM` is not set, in order. */
export const BROWSER_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export type BrowserResult = { ok: true; path: string } | { ok: false; message: string };

/** What `findBrowser` needs from the outside world, injectable for tests. */
export interface BrowserLookup {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isExecutable: (path: string) => boolean;
}

function isExecutableFile(path: string): boolean {
  try {
    fs.accessSync(path, fs.constants.X_OK);
    return fs.statSync(path).isFile();
  } catch {
    return false;
  }
}

const DEFAULT_LOOKUP: BrowserLookup = { env: process.env, isExecutable: isExecutableFile };

/**
 * Finds the Chromium to drive: `TRACEHOP_CHROMIUM` when set (and it must exist), else the first of
 * `BROWSER_CANDIDATES` that is executable. Never downloads a browser.
 */
export function findBrowser(lookup: BrowserLookup = DEFAULT_LOOKUP): BrowserResult {
  const fromEnv = lookup.env.TRACEHOP_CHROMIUM;
  if (fromEnv !== undefined && fromEnv !== '') {
    return lookup.isExecutable(fromEnv)
      ? { ok: true, path: fromEnv }
      : {
          ok: false,
          message: failure(
            'find a browser',
            `TRACEHOP_CHROMIUM is "${fromEnv}", which is not an executable file`,
            'Point TRACEHOP_CHROMIUM at a Chromium or Chrome binary, or unset it to use /usr/bin/chromium.',
          ),
        };
  }
  const found = BROWSER_CANDIDATES.find((candidate) => lookup.isExecutable(candidate));
  if (found !== undefined) return { ok: true, path: found };
  return {
    ok: false,
    message: failure(
      'find a browser',
      `no Chromium or Chrome at ${BROWSER_CANDIDATES.join(', ')}`,
      'Install one (Debian/Ubuntu: `apt-get install -y chromium`; macOS: install Google Chrome) or set TRACEHOP_CHROMIUM to its path.',
    ),
  };
}
