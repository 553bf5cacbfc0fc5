import { findBrowser } from './browser';

const onlyExecutable = (...paths: string[]) => (path: string) => paths.includes(path);

describe('findBrowser', () => {
  it('uses TRACEHOP_CHROMIUM when it is executable', () => {
    expect(findBrowser({ env: { TRACEHOP_CHROMIUM: '/opt/chrome' }, isExecutable: onlyExecutable('/opt/chrome', '/usr/bin/chromium') })).toEqual({
      ok: true,
      path: '/opt/chrome',
    });
  });

  it('says TRACEHOP_CHROMIUM is wrong instead of silently falling back', () => {
    expect(findBrowser({ env: { TRACEHOP_CHROMIUM: '/opt/none' }, isExecutable: onlyExecutable('/usr/bin/chromium') })).toEqual({
      ok: false,
      message:
        '[tracehop] Failed to find a browser: TRACEHOP_CHROMIUM is "/opt/none", which is not an executable file. ' +
        'Point TRACEHOP_CHROMIUM at a Chromium or Chrome binary, or unset it to use /usr/bin/chromium.',
    });
  });

  it('takes the first installed candidate in order', () => {
    expect(findBrowser({ env: {}, isExecutable: onlyExecutable('/usr/bin/google-chrome', '/usr/bin/chromium-browser') })).toEqual({
      ok: true,
      path: '/usr/bin/chromium-browser',
    });
  });

  it('finds Chrome on macOS', () => {
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser({ env: { TRACEHOP_CHROMIUM: '' }, isExecutable: onlyExecutable(mac) })).toEqual({ ok: true, path: mac });
  });

  it('says exactly what to install when there is no browser', () => {
    expect(findBrowser({ env: {}, isExecutable: () => false })).toEqual({
      ok: false,
      message:
        '[tracehop] Failed to find a browser: no Chromium or Chrome at /usr/bin/chromium, /usr/bin/chromium-browser, ' +
        '/usr/bin/google-chrome, /Applications/Google Chrome.app/Contents/MacOS/Google Chrome. ' +
        'Install one (Debian/Ubuntu: `apt-get install -y chromium`; macOS: install Google Chrome) or set TRACEHOP_CHROMIUM to its path.',
    });
  });
});
