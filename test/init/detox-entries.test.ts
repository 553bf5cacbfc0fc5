/**
 * For a Detox config the app has, `tracehop init` prints only the entries to put inside its apps, devices and
 * configurations blocks, in the config's own syntax: pasted as printed beside the app's entries, they add the
 * web configuration and keep every iOS and Android one. It says to point testRunner.args.config at the Jest
 * config only when the config does not already.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETOX, init, LAUNCH_ARGS, scratchApps, WEB_APP, WEB_ENTRIES } from './support';

const { app, dir } = scratchApps();

/** A Detox config as `npx detox init` writes it (one app, device and configuration of each kind kept). */
const DETOX_INIT_CONFIG = `/** @type {Detox.DetoxConfig} */
module.exports = {
  testRunner: {
    args: {
      '$0': 'jest',
      config: 'e2e/jest.config.js'
    },
  },
  apps: {
    'ios.debug': {
      type: 'ios.app',
      binaryPath: 'ios/build/Build/Products/Debug-iphonesimulator/YOUR_APP.app',
    },
  },
  devices: {
    simulator: {
      type: 'ios.simulator',
      device: { type: 'iPhone 15' },
    },
  },
  configurations: {
    'ios.sim.debug': {
      device: 'simulator',
      app: 'ios.debug',
    },
  },
};
`;

const JSON_CONFIG = `{
  "testRunner": { "args": { "$0": "jest", "config": "e2e/other.config.js" } },
  "apps": {
    "android.debug": { "type": "android.apk", "binaryPath": "android/app-debug.apk" }
  },
  "devices": {
    "emulator": { "type": "android.emulator", "device": { "avdName": "Pixel" } }
  },
  "configurations": {
    "android.emu.debug": { "device": "emulator", "app": "android.debug" }
  }
}
`;

const TAIL = `${LAUNCH_ARGS}
Then run: npx detox build -c web.headless && npx detox test -c web.headless
`;

const PLAN = `[tracehop] init --dry-run: nothing is written.
would write e2e/journeys.json (one journey: login)
would write e2e/login.e2e.js (its spec)
would write e2e/jest.config.js (Jest config with Detox's and tracehop's reporters)
`;

/**
 * Does what the printed text asks: each entry under "inside <block>:" goes in at the top of that block of
 * `config` (a JSON entry followed by the comma between entries).
 */
function paste(config: string, printed: string, json: boolean): string {
  const lines = config.split('\n');
  let at = -1;
  for (const line of printed.split('\n')) {
    const block = /^ {2}inside "?(\w+)"?:$/.exec(line)?.[1];
    if (block !== undefined) at = lines.findIndex((text) => new RegExp(`^ {2}"?${block}"?: \\{$`).test(text)) + 1;
    else if (line.startsWith('    ') && at > 0) lines.splice(at++, 0, json ? `${line},` : line);
  }
  return lines.join('\n');
}

interface Blocks {
  readonly apps: Record<string, unknown>;
  readonly devices: Record<string, unknown>;
  readonly configurations: Record<string, unknown>;
}

const keys = (config: Blocks): string[][] =>
  [config.apps, config.devices, config.configurations].map((block) => Object.keys(block));

describe('tracehop init and a Detox config the app has', () => {
  it('prints JavaScript entries for inside each block, and no testRunner advice the config already follows', async () => {
    app({ ...WEB_APP, '.detoxrc.js': DETOX_INIT_CONFIG });
    const run = await init(dir(), '--dry-run');
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: `${PLAN}
${WEB_ENTRIES}

${TAIL}`,
    });
    writeFileSync(join(dir(), 'pasted.cjs'), paste(DETOX_INIT_CONFIG, run.stdout, false));
    const pasted = require(join(dir(), 'pasted.cjs')) as Blocks;
    expect(keys(pasted)).toEqual([
      ['web', 'ios.debug'],
      ['chromium', 'simulator'],
      ['web.headless', 'ios.sim.debug'],
    ]);
    expect(pasted.apps.web).toEqual({
      type: 'web.bundle',
      bundleId: 'shop-web',
      binaryPath: 'web-dist/index.html',
      build: 'npm run build:web',
    });
  });

  it('prints JSON entries for a JSON config, and says to point testRunner.args.config at the Jest config', async () => {
    app({ ...WEB_APP, '.detoxrc.json': JSON_CONFIG });
    const run = await init(dir(), '--dry-run');
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: `${PLAN}
Add these entries to .detoxrc.json (tracehop does not edit it), each inside its block beside your own, with a comma between entries (write a block it lacks):
  inside "apps":
    "web": { "type": "web.bundle", "bundleId": "shop-web", "binaryPath": "web-dist/index.html", "build": "npm run build:web" }
  inside "devices":
    "chromium": { "type": "tracehop/detox/web-driver" }
  inside "configurations":
    "web.headless": { "device": "chromium", "app": "web" }
Point testRunner.args.config in .detoxrc.json at e2e/jest.config.js.

${TAIL}`,
    });
    const pasted = JSON.parse(paste(JSON_CONFIG, run.stdout, true)) as Blocks;
    expect(keys(pasted)).toEqual([
      ['web', 'android.debug'],
      ['chromium', 'emulator'],
      ['web.headless', 'android.emu.debug'],
    ]);
    expect(readFileSync(join(dir(), '.detoxrc.json'), 'utf8')).toBe(JSON_CONFIG);
  });

  it('prints the entries no more once they are pasted in: a second run asks only for what is still missing', async () => {
    app({ ...WEB_APP, '.detoxrc.js': DETOX_INIT_CONFIG });
    const first = await init(dir(), '--dry-run');
    writeFileSync(join(dir(), '.detoxrc.js'), paste(DETOX_INIT_CONFIG, first.stdout, false));
    expect(await init(dir(), '--dry-run')).toEqual({ code: 0, stderr: '', stdout: `${PLAN}\n${TAIL}` });
  });

  it('prints the JSON entries no more once they are pasted in, but still the testRunner advice not yet followed', async () => {
    app({ ...WEB_APP, '.detoxrc.json': JSON_CONFIG });
    const first = await init(dir(), '--dry-run');
    writeFileSync(join(dir(), '.detoxrc.json'), paste(JSON_CONFIG, first.stdout, true));
    expect(await init(dir(), '--dry-run')).toEqual({
      code: 0,
      stderr: '',
      stdout: `${PLAN}
Point testRunner.args.config in .detoxrc.json at e2e/jest.config.js.

${TAIL}`,
    });
  });

  it.each([
    ['.detoxrc.js', "module.exports = { testRunner: { args: { config: './e2e/jest.config.js' } } };\n"],
    ['detox.config.json', '{ "testRunner": { "args": { "config": "e2e/jest.config.js" } } }\n'],
  ])('prints nothing for a %s that already runs e2e/jest.config.js, without a web build', async (name, text) => {
    app({ ...DETOX, 'package.json': '{ "name": "native-only" }', [name]: text });
    expect(await init(dir(), '--dry-run')).toEqual({
      code: 0,
      stderr: '',
      stdout: `${PLAN}
${LAUNCH_ARGS}
Then run: npx detox build -c <your configuration> && npx detox test -c <your configuration>
`,
    });
  });
});
