import { findBrowser, installHint, osReleaseNamesUbuntu, type BrowserHost } from './browser';

const onlyExecutable =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

const DEBIAN_ROOT: BrowserHost = { platform: 'linux', debian: true, root: true, home: '/root' };
const DEBIAN_USER: BrowserHost = { platform: 'linux', debian: true, root: false, home: '/home/ada' };
const MAC: BrowserHost = { platform: 'darwin', debian: false, root: false, home: '/Users/ada' };
const OTHER_LINUX: BrowserHost = { platform: 'linux', debian: false, root: false, home: '/home/ada' };
const UBUNTU_ROOT: BrowserHost = { platform: 'linux', debian: true, ubuntu: true, root: true, home: '/root' };
const SEARCHED =
  '/usr/bin/chromium, /usr/bin/chromium-browser, /snap/bin/chromium, /usr/bin/google-chrome, /usr/bin/google-chrome-stable, ' +
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome, /Applications/Chromium.app/Contents/MacOS/Chromium';

describe('findBrowser', () => {
  it('uses TRACEHOP_CHROMIUM when it is executable', () => {
    expect(
      findBrowser({
        env: { TRACEHOP_CHROMIUM: '/opt/chrome' },
        isExecutable: onlyExecutable('/opt/chrome', '/usr/bin/chromium'),
      }),
    ).toEqual({
      ok: true,
      path: '/opt/chrome',
    });
  });

  it('says TRACEHOP_CHROMIUM is wrong instead of silently falling back', () => {
    expect(
      findBrowser({ env: { TRACEHOP_CHROMIUM: '/opt/none' }, isExecutable: onlyExecutable('/usr/bin/chromium') }),
    ).toEqual({
      ok: false,
      reason: 'not-executable',
      message:
        '[tracehop] Failed to find a browser: TRACEHOP_CHROMIUM is "/opt/none", which is not an executable file. ' +
        'Point TRACEHOP_CHROMIUM at a Chromium or Chrome binary, or unset it to let tracehop look for one.',
    });
  });

  it('takes the first installed candidate in order', () => {
    expect(
      findBrowser({ env: {}, isExecutable: onlyExecutable('/usr/bin/google-chrome', '/usr/bin/chromium-browser') }),
    ).toEqual({
      ok: true,
      path: '/usr/bin/chromium-browser',
    });
  });

  it("finds Chrome on macOS, also in the user's own Applications folder", () => {
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser({ env: { TRACEHOP_CHROMIUM: '' }, isExecutable: onlyExecutable(mac), host: MAC })).toEqual({
      ok: true,
      path: mac,
    });
    const own = '/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium';
    expect(findBrowser({ env: {}, isExecutable: onlyExecutable(own), host: MAC })).toEqual({ ok: true, path: own });
  });

  it('looks on PATH when no candidate path holds one, commands in order, folders in PATH order', () => {
    const env = { PATH: 'relative/bin:/opt/homebrew/bin::/usr/local/bin' };
    const inBoth = onlyExecutable(
      '/usr/local/bin/chromium',
      '/opt/homebrew/bin/google-chrome',
      'relative/bin/chromium',
    );
    expect(findBrowser({ env, isExecutable: inBoth, host: MAC })).toEqual({
      ok: true,
      path: '/usr/local/bin/chromium',
    });
    const fixedFirst = onlyExecutable('/usr/local/bin/chromium', '/usr/bin/google-chrome');
    expect(findBrowser({ env, isExecutable: fixedFirst, host: DEBIAN_USER })).toEqual({
      ok: true,
      path: '/usr/bin/google-chrome',
    });
  });

  it("finds Ubuntu's snap chromium", () => {
    expect(findBrowser({ env: {}, isExecutable: onlyExecutable('/snap/bin/chromium'), host: DEBIAN_USER })).toEqual({
      ok: true,
      path: '/snap/bin/chromium',
    });
  });

  it('says exactly what to install on Debian without root: the sudo command', () => {
    expect(findBrowser({ env: {}, isExecutable: () => false, host: DEBIAN_USER })).toEqual({
      ok: false,
      reason: 'not-found',
      message:
        `[tracehop] Failed to find a browser: no Chromium or Chrome at ${SEARCHED}, /home/ada/Applications/Google Chrome.app/Contents/MacOS/Google Chrome, ` +
        '/home/ada/Applications/Chromium.app/Contents/MacOS/Chromium, nor on PATH as chromium, chromium-browser, google-chrome or google-chrome-stable. ' +
        'Install Chromium (`sudo apt-get install -y chromium`) and run npm run e2e again, or set TRACEHOP_CHROMIUM to the path of a Chromium or Chrome binary.',
    });
  });

  it('says exactly what to install on macOS: Google Chrome with Homebrew or its installer', () => {
    expect(findBrowser({ env: {}, isExecutable: () => false, host: MAC })).toEqual({
      ok: false,
      reason: 'not-found',
      message:
        `[tracehop] Failed to find a browser: no Chromium or Chrome at ${SEARCHED}, /Users/ada/Applications/Google Chrome.app/Contents/MacOS/Google Chrome, ` +
        '/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium, nor on PATH as chromium, chromium-browser, google-chrome or google-chrome-stable. ' +
        'Install Google Chrome (`brew install --cask google-chrome`, or the installer from google.com/chrome) and run npm run e2e again, ' +
        'or set TRACEHOP_CHROMIUM to the path of a Chromium or Chrome binary.',
    });
  });
});

describe('installHint', () => {
  it('names the command for root on Debian without sudo', () => {
    expect(installHint(DEBIAN_ROOT)).toBe(
      'Install Chromium (`apt-get install -y chromium`) and run npm run e2e again, or set TRACEHOP_CHROMIUM to the path of a Chromium or Chrome binary.',
    );
  });

  it("names Ubuntu's snap, and Google Chrome's .deb where snapd is missing, not Debian's apt package", () => {
    expect(installHint(UBUNTU_ROOT)).toBe(
      "Install Chromium (`snap install chromium`; without snapd, Google Chrome's .deb from google.com/chrome) and run npm run e2e again, or set TRACEHOP_CHROMIUM to the path of a Chromium or Chrome binary.",
    );
  });

  it('falls back to the package manager and TRACEHOP_CHROMIUM elsewhere', () => {
    expect(installHint(OTHER_LINUX)).toBe(
      "Install Chromium or Google Chrome with your system's package manager, then set TRACEHOP_CHROMIUM to the path of a Chromium or Chrome binary if it is not at one of those paths.",
    );
  });
});

describe('osReleaseNamesUbuntu', () => {
  it.each([
    ['Ubuntu', 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n', true],
    ['Linux Mint (ID_LIKE lists ubuntu)', 'ID=linuxmint\nID_LIKE="ubuntu debian"\n', true],
    ['Pop!_OS, quoted', 'ID="pop"\nID_LIKE="ubuntu debian"\n', true],
    ['Debian', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n', false],
    ['a name that only contains the word', 'ID=notubuntu\nVERSION_CODENAME=ubuntu\n', false],
  ])('reads %s', (_what, text, expected) => {
    expect(osReleaseNamesUbuntu(text)).toBe(expected);
  });
});
