/**
 * scripts/pick-ios-simulator.js, the iOS job's step that picks an installed runtime and a device type it supports
 * (and creates the simulator when the runner has none), run as the step runs it, against a stand-in xcrun that
 * prints what the real one prints for `--show-sdk-version` and `simctl list --json`, and logs `simctl create`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts/pick-ios-simulator.js');

const TYPE = 'com.apple.CoreSimulator.SimDeviceType.';
const RUNTIME = 'com.apple.CoreSimulator.SimRuntime.';

function deviceType(name: string): { identifier: string; name: string; productFamily: string } {
  const family = name.startsWith('iPad') ? 'iPad' : 'iPhone';
  return { identifier: `${TYPE}${name.replaceAll(' ', '-')}`, name, productFamily: family };
}

function runtime(version: string, types: readonly string[], isAvailable = true): Record<string, unknown> {
  return {
    identifier: `${RUNTIME}iOS-${version.replaceAll('.', '-')}`,
    name: `iOS ${version}`,
    version,
    platform: 'iOS',
    isAvailable,
    supportedDeviceTypes: types.map(deviceType),
  };
}

function device(name: string, udid: string): Record<string, unknown> {
  return { udid, name, deviceTypeIdentifier: deviceType(name).identifier, isAvailable: true, state: 'Shutdown' };
}

/** A macos-15 image with Xcode 16.4 selected: iOS 18.5 (the SDK's) beside older runtimes, simulators made for each. */
const MACOS_15 = {
  devicetypes: ['iPhone 15', 'iPhone 16', 'iPhone 16 Pro', 'iPad Air 11-inch (M3)'].map(deviceType),
  runtimes: [
    runtime('17.5', ['iPhone 15', 'iPad Air 11-inch (M3)']),
    runtime('18.4', ['iPhone 15', 'iPhone 16', 'iPhone 16 Pro']),
    runtime('18.5', ['iPhone 15', 'iPhone 16', 'iPhone 16 Pro', 'iPad Air 11-inch (M3)']),
  ],
  devices: {
    [`${RUNTIME}iOS-18-4`]: [device('iPhone 16', 'UDID-184')],
    [`${RUNTIME}iOS-18-5`]: [device('iPhone 16 Pro', 'UDID-185-PRO'), device('iPhone 16', 'UDID-185')],
  },
};

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly calls: readonly string[];
  readonly githubEnv: string;
}

/** Runs the script with a stand-in xcrun first on PATH; GITHUB_ENV is a fresh file. */
function pick(options: { sdk?: string; list?: unknown; env?: Record<string, string>; xcrunFails?: boolean }): Run {
  const dir = scratchDir('tracehop-pick-sim-');
  writeFileSync(
    join(dir, 'list.json'),
    typeof options.list === 'string' ? options.list : JSON.stringify(options.list ?? MACOS_15),
  );
  writeFileSync(
    join(dir, 'xcrun'),
    [
      '#!/bin/bash',
      `echo "$*" >> '${dir}/calls'`,
      options.xcrunFails ? 'echo "xcrun: error: unable to find utility simctl" >&2; exit 72' : '',
      `if [ "$1" = --sdk ]; then echo '${options.sdk ?? '18.5'}'; exit 0; fi`,
      `if [ "$2" = list ]; then cat '${dir}/list.json'; exit 0; fi`,
      'if [ "$2" = create ]; then echo NEW-UDID; exit 0; fi',
      'exit 64',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'xcrun'), 0o755);
  const githubEnv = join(dir, 'github-env');
  writeFileSync(githubEnv, '');
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, GITHUB_ENV: githubEnv };
  delete env.TRACEHOP_IOS_OS;
  delete env.TRACEHOP_IOS_SIMULATOR;
  const result = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { ...env, ...options.env } });
  const calls = existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : [];
  return { status: result.status, stdout: result.stdout, calls, githubEnv: readFileSync(githubEnv, 'utf8') };
}

const LIST_CALLS = ['--sdk iphonesimulator --show-sdk-version', 'simctl list --json'];
const FAILED = '::error::[pick-ios-simulator] Failed to pick the iOS simulator: ';

describe('scripts/pick-ios-simulator.js', () => {
  it("takes the selected Xcode's runtime and the iPhone 16 simulator the runner has", () => {
    expect(pick({})).toEqual({
      status: 0,
      stdout:
        'Found simulator "iPhone 16" (UDID-185) of type "iPhone 16" on "iOS 18.5".\n' +
        'TRACEHOP_IOS_SIMULATOR=iPhone 16\nTRACEHOP_IOS_OS=iOS 18.5\n',
      calls: LIST_CALLS,
      githubEnv: 'TRACEHOP_IOS_SIMULATOR=iPhone 16\nTRACEHOP_IOS_OS=iOS 18.5\n',
    });
  });

  it("warns and takes the newest runtime when the SDK's is not installed, creating the simulator it lacks", () => {
    const list = { ...MACOS_15, runtimes: MACOS_15.runtimes.slice(0, 2), devices: {} };
    expect(pick({ sdk: '18.6', list })).toEqual({
      status: 0,
      stdout:
        `::warning::No available iOS runtime matches the selected Xcode's simulator SDK 18.6 (available: "iOS 17.5", "iOS 18.4"); using the newest, "iOS 18.4".\n` +
        'Created simulator "iPhone 16" (NEW-UDID) on "iOS 18.4": the runner had none.\n' +
        'TRACEHOP_IOS_SIMULATOR=iPhone 16\nTRACEHOP_IOS_OS=iOS 18.4\n',
      calls: [...LIST_CALLS, `simctl create iPhone 16 ${TYPE}iPhone-16 ${RUNTIME}iOS-18-4`],
      githubEnv: 'TRACEHOP_IOS_SIMULATOR=iPhone 16\nTRACEHOP_IOS_OS=iOS 18.4\n',
    });
  });

  it('takes the last iPhone a runtime without iPhone 16 lists, and skips runtimes that are not available', () => {
    const list = {
      devicetypes: [],
      runtimes: [
        runtime('26.0', ['iPhone 17', 'iPhone Air', 'iPhone 17 Pro', 'iPad Pro 13-inch (M5)']),
        runtime('26.1', ['iPhone 16'], false),
      ],
      devices: { [`${RUNTIME}iOS-26-0`]: [device('iPhone 17 Pro', 'UDID-26')] },
    };
    expect(pick({ sdk: '26.0', list })).toMatchObject({
      status: 0,
      stdout:
        '::notice::"iOS 26.0" has no iPhone 16; using "iPhone 17 Pro", the last iPhone it lists.\n' +
        'Found simulator "iPhone 17 Pro" (UDID-26) of type "iPhone 17 Pro" on "iOS 26.0".\n' +
        'TRACEHOP_IOS_SIMULATOR=iPhone 17 Pro\nTRACEHOP_IOS_OS=iOS 26.0\n',
      calls: LIST_CALLS,
    });
  });

  it('keeps TRACEHOP_IOS_OS and TRACEHOP_IOS_SIMULATOR when the runner has them', () => {
    expect(pick({ env: { TRACEHOP_IOS_OS: 'iOS 18.4', TRACEHOP_IOS_SIMULATOR: 'iPhone 16 Pro' } })).toEqual({
      status: 0,
      stdout:
        'Created simulator "iPhone 16 Pro" (NEW-UDID) on "iOS 18.4": the runner had none.\n' +
        'TRACEHOP_IOS_SIMULATOR=iPhone 16 Pro\nTRACEHOP_IOS_OS=iOS 18.4\n',
      calls: [...LIST_CALLS, `simctl create iPhone 16 Pro ${TYPE}iPhone-16-Pro ${RUNTIME}iOS-18-4`],
      githubEnv: 'TRACEHOP_IOS_SIMULATOR=iPhone 16 Pro\nTRACEHOP_IOS_OS=iOS 18.4\n',
    });
  });

  it.each<[string, Parameters<typeof pick>[0], string]>([
    [
      'a TRACEHOP_IOS_OS the runner lacks',
      { env: { TRACEHOP_IOS_OS: 'iOS 18.2' } },
      'TRACEHOP_IOS_OS is "iOS 18.2", which is no available iOS runtime (available: "iOS 17.5", "iOS 18.4", "iOS 18.5"). Set TRACEHOP_IOS_OS to one of them, or leave it unset to take the runtime of the selected Xcode.',
    ],
    [
      'a TRACEHOP_IOS_SIMULATOR the runtime does not support',
      { env: { TRACEHOP_IOS_OS: 'iOS 17.5', TRACEHOP_IOS_SIMULATOR: 'iPhone 16' } },
      'TRACEHOP_IOS_SIMULATOR is "iPhone 16", a device type "iOS 17.5" does not support (its iPhones: "iPhone 15"). Set TRACEHOP_IOS_SIMULATOR to one of them, or leave it unset to take iPhone 16 or the newest iPhone.',
    ],
    [
      'no available iOS runtime',
      { list: { devicetypes: [], runtimes: [runtime('18.5', ['iPhone 16'], false)], devices: {} } },
      'xcrun simctl list runtimes shows no available iOS runtime. Pin an Xcode the runner image ships with its simulator runtime, or install one (xcodebuild -downloadPlatform iOS).',
    ],
    [
      'a runtime with no iPhone',
      { list: { devicetypes: [], runtimes: [runtime('18.5', ['iPad Air 11-inch (M3)'])], devices: {} } },
      '"iOS 18.5" supports no iPhone device type. Run `xcrun simctl list devicetypes` on the runner; set TRACEHOP_IOS_SIMULATOR to a device type the runtime supports.',
    ],
    [
      'a simctl list that is no JSON',
      { list: 'CoreSimulator is out of date' },
      'xcrun simctl list --json printed no JSON (Unexpected token \'C\', "CoreSimula"... is not valid JSON). Run it on the runner to see what it prints.',
    ],
    [
      'an xcrun that fails',
      { xcrunFails: true },
      'xcrun --sdk iphonesimulator --show-sdk-version exited with 72: xcrun: error: unable to find utility simctl. Run it on the runner to see why; the job pins Xcode with xcode-select first.',
    ],
  ])('fails on %s, naming what is installed, and writes nothing to GITHUB_ENV', (_name, options, message) => {
    const run = pick(options);
    expect({ status: run.status, stdout: run.stdout, githubEnv: run.githubEnv }).toEqual({
      status: 1,
      stdout: `${FAILED}${message}\n`,
      githubEnv: '',
    });
  });
});

describe("the iOS job's simulator step", () => {
  const ios = (
    parse(readFileSync(join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
      jobs: {
        ios: { env?: Record<string, string>; steps: ReadonlyArray<{ name?: string; id?: string; run?: string }> };
      };
    }
  ).jobs.ios;

  it('stops at Pin Xcode, naming the Xcodes the image has, when it lacks the pinned one', () => {
    const pin = ios.steps.find((step) => step.name === 'Pin Xcode')?.run ?? 'exit 99';
    // This machine has no /Applications/Xcode_16.4.app: the step fails before sudo, as on an image without it.
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', pin], { encoding: 'utf8' });
    expect({ status: result.status, stdout: result.stdout }).toEqual({
      status: 1,
      stdout:
        '::error::/Applications/Xcode_16.4.app is not on this runner image (it has: /Applications/Xcode*.app ): change the xcode-select path in .github/workflows/e2e-devices.yml to one of them.\n',
    });
  });

  it('runs the picker after pinning Xcode and before the specs, and pins no runtime or device type itself', () => {
    const names = ios.steps.map((step) => step.name ?? '');
    const index = ios.steps.findIndex((step) => step.id === 'simulator');
    expect(ios.steps[index]?.run).toContain('node scripts/pick-ios-simulator.js\n');
    expect(index).toBeGreaterThan(names.indexOf('Pin Xcode'));
    expect(index).toBeLessThan(names.indexOf('Detox on the iOS simulator'));
    expect(ios.env?.TRACEHOP_IOS_OS).toBeUndefined();
    expect(ios.env?.TRACEHOP_IOS_SIMULATOR).toBeUndefined();
  });
});
