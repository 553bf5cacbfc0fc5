import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');

interface Step {
  readonly 'timeout-minutes'?: number;
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, string | number | boolean>;
}

interface Job {
  readonly 'runs-on': string;
  readonly 'timeout-minutes'?: number;
  readonly needs?: readonly string[];
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly steps: readonly Step[];
}

const workflow = parse(fs.readFileSync(path.join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  concurrency?: unknown;
  permissions?: unknown;
  jobs: Record<string, Job>;
};
const testWorkflow = parse(fs.readFileSync(path.join(ROOT, '.github/workflows/test.yml'), 'utf8')) as {
  permissions?: unknown;
  jobs: Record<string, Job>;
};
const detoxrc = require(path.join(ROOT, '.detoxrc.js')) as {
  configurations: Record<string, unknown>;
  devices: { emulator: { device: { avdName: string } } };
};

/** Every shell command of a job: `run` steps and the emulator runner's `script`. */
function commands(job: Job): string[] {
  return job.steps.flatMap((step) =>
    [step.run, step.with?.script].filter((text): text is string => typeof text === 'string'),
  );
}

/** The configurations named by `detox build|test -c <name>` in a job's commands. */
function detoxConfigurations(job: Job): string[] {
  return commands(job).flatMap((text) =>
    [...text.matchAll(/detox (?:build|test)\b[^\n]*?(?:-c|--configuration)[ =](\S+)/g)].map(
      (match) => match[1] as string,
    ),
  );
}

describe('.github/workflows/e2e-devices.yml', () => {
  it('has a web, an iOS and an Android job, and the release report that merges them', () => {
    expect(Object.keys(workflow.jobs).sort()).toEqual(['android', 'ios', 'release-report', 'web']);
  });

  it('runs on pushes to main, nightly and by hand, not on every pull request', () => {
    expect(workflow.on).toEqual({
      push: { branches: ['main'] },
      schedule: [{ cron: '17 3 * * *' }],
      workflow_dispatch: null,
    });
  });

  it('gives GITHUB_TOKEN read access to the repository only, in every job of both workflows', () => {
    for (const file of [workflow, testWorkflow]) {
      expect(file.permissions).toEqual({ contents: 'read' });
      expect(Object.entries(file.jobs).filter(([, job]) => 'permissions' in job)).toEqual([]);
    }
  });

  it('cancels an older run of the same event and branch only: a push never cancels the nightly run', () => {
    expect(workflow.concurrency).toEqual({
      group: 'e2e-devices-${{ github.event_name }}-${{ github.ref }}',
      'cancel-in-progress': true,
    });
  });

  it.each(['web', 'ios', 'android'])(
    "%s uploads Detox's artifacts and tracehop's reports always, and writes coverage.md to the step summary",
    (platform) => {
      const job = workflow.jobs[platform] as Job;
      const uploads = job.steps.filter((step) => step.uses === 'actions/upload-artifact@v4');
      expect(uploads.map((step) => [step.if, step.with?.name, step.with?.path])).toEqual([
        ['always()', `detox-artifacts-${platform}`, 'artifacts/detox/'],
        ['always()', `tracehop-${platform}`, 'artifacts/tracehop/'],
      ]);
      const summary = job.steps.find((step) => step.run?.includes('GITHUB_STEP_SUMMARY'));
      expect([summary?.if, summary?.run]).toEqual([
        'always()',
        'cat artifacts/tracehop/coverage.md >> "$GITHUB_STEP_SUMMARY" || echo "No coverage.md was written." >> "$GITHUB_STEP_SUMMARY"',
      ]);
    },
  );

  const TIMED: Record<string, Array<[string, number]>> = {
    ios: [
      ['npm ci', 10],
      ["Detox's framework cache", 10],
      ['Install applesimutils (Detox drives the simulator with it)', 10],
      ['Pick the simulator', 5],
      ['Install pods', 20],
      ['Build the app', 35],
      ['Detox on the iOS simulator', 25],
      ['Shut the simulator down', 2],
      ['actions/upload-artifact@v4', 5],
      ['actions/upload-artifact@v4', 5],
    ],
    android: [
      ['npm ci', 10],
      ['Build the app and its Detox test APK (x86_64)', 40],
      ['Install the emulator and the system image the AVD is made from', 10],
      ['Create the AVD and its snapshot', 15],
      ['Detox on the Android emulator', 30],
      ['Shut the emulator down', 2],
      ['actions/upload-artifact@v4', 5],
      ['actions/upload-artifact@v4', 5],
    ],
  };

  it.each(Object.entries(TIMED))(
    '%s: a hung step times out on its own, leaving the job time to shut the device down and upload the artifacts',
    (platform, timed) => {
      // Reached, the job's timeout cancels every step left, always() ones included: the artifacts of the run that hung
      // would be lost. So each long step has its own timeout, and the job's is their sum plus 20 minutes for the short
      // steps (checkout, setup, caches, the summary). What the shutdown steps do: device-shutdown-step.test.ts.
      const job = workflow.jobs[platform] as Job;
      const name = (step: Step) => step.name ?? step.uses ?? step.run;
      const steps = job.steps.filter((step) => step['timeout-minutes'] !== undefined);
      expect(steps.map((step) => [name(step), step['timeout-minutes']])).toEqual(timed);
      expect(job['timeout-minutes']).toBe(timed.reduce((sum, [, minutes]) => sum + minutes, 20));
      const names = job.steps.map(name);
      const specs = platform === 'ios' ? 'Detox on the iOS simulator' : 'Detox on the Android emulator';
      const shutdown = platform === 'ios' ? 'Shut the simulator down' : 'Shut the emulator down';
      expect(job.steps.find((step) => step.name === shutdown)?.if).toBe('always()');
      expect(names.slice(names.indexOf(specs) + 1)).toEqual([
        shutdown,
        'Coverage to the step summary',
        'actions/upload-artifact@v4',
        'actions/upload-artifact@v4',
      ]);
    },
  );

  it('merges the three platforms into one release report with tracehop report --merge, even when one failed', () => {
    const job = workflow.jobs['release-report'] as Job;
    expect([job.needs, job.if]).toEqual([['web', 'ios', 'android'], '${{ !cancelled() }}']);
    // What the merge step does with one, two or three platforms' coverage: test/detox/release-report-step.test.ts.
    expect(commands(job).filter((text) => text.includes('npx tracehop report --merge'))).toHaveLength(1);
    expect(job.steps.find((step) => step.uses === 'actions/download-artifact@v4')?.with).toEqual({
      pattern: 'tracehop-*',
      path: 'coverage',
    });
  });

  it("builds Detox's iOS framework cache after npm ci, whatever npm's install-script policy ran", () => {
    // detox's postinstall builds it, but npm 11+ runs it only as package.json's allowScripts says (npm 12 blocks an
    // unreviewed one), and ignore-scripts runs none: detox test then stops (IosSimulatorEnvValidator).
    const ios = workflow.jobs.ios as Job;
    const names = ios.steps.map((step) => step.name ?? step.uses ?? step.run);
    expect(names.slice(names.indexOf('Pin Xcode'), names.indexOf('npm ci') + 2)).toEqual([
      'Pin Xcode',
      'actions/setup-node@v4',
      'npm ci',
      "Detox's framework cache",
    ]);
    expect(ios.steps.find((step) => step.name === "Detox's framework cache")?.run).toBe(
      'npx detox build-framework-cache',
    );
  });

  it('pins Xcode, failing with the Xcodes the image has when it lacks that one, and leaves the simulator to the picker', () => {
    const ios = workflow.jobs.ios as Job;
    const pin = ios.steps.find((step) => step.name === 'Pin Xcode')?.run ?? '';
    expect(pin).toContain('xcode=/Applications/Xcode_16.4.app\n');
    expect(pin).toContain('sudo xcode-select -s "$xcode"\n');
    // The runtime and device type come from scripts/pick-ios-simulator.js (pick-ios-simulator.test.ts).
    expect(ios.env).toBeUndefined();
  });

  it('builds x86_64 only, caches Gradle after generating the project, and caches the AVD snapshot', () => {
    const android = workflow.jobs.android as Job;
    expect(android.env?.TRACEHOP_ANDROID_ABIS).toBe('x86_64');
    const names = android.steps.map((step) => step.name ?? step.uses ?? step.run);
    expect(names.indexOf('Gradle cache')).toBeGreaterThan(names.indexOf('Generate the native project'));
    expect(names.indexOf('Gradle cache')).toBeLessThan(names.indexOf('Build the app and its Detox test APK (x86_64)'));
    const avd = android.steps.find((step) => step.name === 'AVD cache');
    expect(avd?.uses).toBe('actions/cache/restore@v4');
    const snapshot = android.steps.find((step) => step.name === 'Create the AVD and its snapshot');
    expect(snapshot?.if).toBe("steps.avd-cache.outputs.cache-hit != 'true'");
    for (const step of [snapshot, android.steps.find((entry) => entry.name === 'Detox on the Android emulator')]) {
      expect(step?.with).toMatchObject({
        'ram-size': '4096M',
        'disk-size': '6000M',
        'force-avd-creation': false,
      });
    }
  });

  it('saves the Gradle and AVD caches before the Detox run, so a run whose specs fail still fills them', () => {
    // actions/cache saves in its post step only when the whole job succeeded (its action.yml: post-if: success()).
    const android = workflow.jobs.android as Job;
    expect(android.steps.filter((step) => step.uses === 'actions/cache@v4').map((step) => step.name)).toEqual([]);
    const names = android.steps.map((step) => step.name ?? step.uses ?? step.run);
    const detox = names.indexOf('Detox on the Android emulator');
    const saved = (restoreName: string, saveName: string, after: string, saveIf = '') => {
      const restore = android.steps.find((step) => step.name === restoreName);
      const save = android.steps.find((step) => step.name === saveName);
      expect(restore?.uses).toBe('actions/cache/restore@v4');
      expect(save?.uses).toBe('actions/cache/save@v4');
      const id = restore?.id;
      expect(save?.if).toBe(`${saveIf}steps.${id}.outputs.cache-hit != 'true'`);
      expect(save?.with).toEqual({ path: restore?.with?.path, key: `\${{ steps.${id}.outputs.cache-primary-key }}` });
      expect(names.indexOf(saveName)).toBeGreaterThan(names.indexOf(after));
      expect(names.indexOf(saveName)).toBeLessThan(detox);
    };
    saved('Gradle cache', 'Save the Gradle cache', 'Build the app and its Detox test APK (x86_64)');
    saved('AVD cache', 'Save the AVD cache', 'Create the AVD and its snapshot');
    saved(
      'NDK and CMake cache',
      'Save the NDK and CMake cache',
      'Build the app and its Detox test APK (x86_64)',
      "steps.native-tools.outputs.on-image != 'true' && ",
    );
    // The Gradle daemon is stopped before its caches are archived (a running daemon holds their lock files).
    expect(names.indexOf('Stop the Gradle daemon')).toBeGreaterThan(
      names.indexOf('Build the app and its Detox test APK (x86_64)'),
    );
    expect(names.indexOf('Stop the Gradle daemon')).toBeLessThan(names.indexOf('Save the Gradle cache'));
  });

  it('keys the Gradle cache on what decides its downloads, restores no older key, and prunes it before saving', () => {
    // With restore-keys, a cache restored from an older key was saved under the new one with everything in it: every
    // superseded dependency version was carried forward, run over run. package-lock.json changed the key with every JS
    // dev dependency; the generated app's package.json and Detox's name what the Android build resolves.
    const android = workflow.jobs.android as Job;
    expect(android.steps.find((step) => step.name === 'Gradle cache')?.with).toEqual({
      path: '~/.gradle/caches\n~/.gradle/wrapper\n',
      key:
        "gradle-${{ runner.os }}-${{ hashFiles('fixtures/sample-app/android/**/*.gradle', " +
        "'fixtures/sample-app/android/gradle.properties', " +
        "'fixtures/sample-app/android/gradle/wrapper/gradle-wrapper.properties', 'fixtures/sample-app/package.json', " +
        "'node_modules/detox/package.json') }}",
    });
    // What the pruning step removes: gradle-cache-step.test.ts.
    const names = android.steps.map((step) => step.name ?? step.uses ?? step.run);
    const prune = "Keep build outputs, lock files and the wrapper's zip out of the Gradle cache";
    expect(android.steps.find((step) => step.name === prune)?.if).toBe(
      "steps.gradle-cache.outputs.cache-hit != 'true'",
    );
    expect(['Stop the Gradle daemon', prune, 'Save the Gradle cache'].map((name) => names.indexOf(name))).toEqual([
      names.indexOf('Stop the Gradle daemon'),
      names.indexOf('Stop the Gradle daemon') + 1,
      names.indexOf('Stop the Gradle daemon') + 2,
    ]);
  });

  it("boots an AOSP image (target default), as Detox's Android guide asks, under an AVD cache key that names it", () => {
    // Detox's guide (guide/android-dev-env.md, "Android (AOSP) Emulators"): images with Google APIs bring play-services
    // and gboard, which load the CPU and make tests flaky; it strongly recommends the ;default; (AOSP) images.
    const android = workflow.jobs.android as Job;
    expect(android.env).toMatchObject({
      AVD_API_LEVEL: 34,
      AVD_TARGET: 'default',
      AVD_ARCH: 'x86_64',
      AVD_PROFILE: 'pixel_6',
    });
    const runners = android.steps.filter((step) => step.uses === 'reactivecircus/android-emulator-runner@v2');
    const avd = (step: Step) => [
      step.name,
      step.with?.['api-level'],
      step.with?.target,
      step.with?.arch,
      step.with?.profile,
    ];
    const fromEnv = [
      '${{ env.AVD_API_LEVEL }}',
      '${{ env.AVD_TARGET }}',
      '${{ env.AVD_ARCH }}',
      '${{ env.AVD_PROFILE }}',
    ];
    expect(runners.map(avd)).toEqual([
      ['Create the AVD and its snapshot', ...fromEnv],
      ['Detox on the Android emulator', ...fromEnv],
    ]);
  });

  it('keys the AVD cache on what decides whether the snapshot boots: image, profile, emulator build, image revision', () => {
    // A snapshot saved by one emulator build or system image revision does not boot in another: a runner image update
    // must miss the cache, not restore a snapshot the new emulator cannot load. What the step reads: avd-image-step.test.ts.
    const android = workflow.jobs.android as Job;
    const names = android.steps.map((step) => step.name ?? step.uses ?? step.run);
    const reader = android.steps.find((step) => step.id === 'avd-image');
    expect(names.indexOf(reader?.name)).toBeLessThan(names.indexOf('AVD cache'));
    expect(android.steps.find((step) => step.name === 'AVD cache')?.with?.key).toBe(
      'avd-${{ env.AVD_API_LEVEL }}-${{ env.AVD_TARGET }}-${{ env.AVD_ARCH }}-${{ env.AVD_PROFILE }}' +
        '-emulator-${{ steps.avd-image.outputs.emulator }}-image-${{ steps.avd-image.outputs.image }}',
    );
  });

  it('caches the NDK and CMake the build downloads, keyed on the versions read from the generated project', () => {
    // What the reading step outputs, and when it fails: native-tools-step.test.ts.
    const android = workflow.jobs.android as Job;
    const names = android.steps.map((step) => step.name ?? step.uses ?? step.run);
    const reader = android.steps.find((step) => step.id === 'native-tools');
    expect(names.indexOf(reader?.name)).toBeGreaterThan(names.indexOf('Generate the native project'));
    expect(names.indexOf(reader?.name)).toBeLessThan(names.indexOf('NDK and CMake cache'));
    expect(names.indexOf('NDK and CMake cache')).toBeLessThan(
      names.indexOf('Build the app and its Detox test APK (x86_64)'),
    );
    // Neither restored nor saved when the runner image has both: that would be a second copy of what is installed.
    const restore = android.steps.find((step) => step.name === 'NDK and CMake cache');
    expect([restore?.if, restore?.with]).toEqual([
      "steps.native-tools.outputs.on-image != 'true'",
      {
        path: '${{ steps.native-tools.outputs.ndk-dir }}\n${{ steps.native-tools.outputs.cmake-dir }}\n',
        key: 'android-native-tools-${{ runner.os }}-ndk-${{ steps.native-tools.outputs.ndk }}-cmake-${{ steps.native-tools.outputs.cmake }}',
      },
    ]);
  });

  it('caches what pod install downloads under a key a clone without Podfile.lock can compute, saved before the build', () => {
    // ios/ is generated and git-ignored: a key hashing Podfile.lock would hash nothing, one empty key forever.
    // What the install step does when pod install fails: pod-install-step.test.ts.
    const ios = workflow.jobs.ios as Job;
    const names = ios.steps.map((step) => step.name ?? step.uses ?? step.run);
    const restore = ios.steps.find((step) => step.name === 'CocoaPods and React Native download caches');
    const save = ios.steps.find((step) => step.name === 'Save the CocoaPods and React Native download caches');
    expect([restore?.uses, restore?.id, restore?.with]).toEqual([
      'actions/cache/restore@v4',
      'pods-cache',
      {
        path: '~/Library/Caches/CocoaPods\n~/Library/Caches/ReactNative\n',
        key: "pods-${{ runner.os }}-${{ hashFiles('fixtures/sample-app/ios/Podfile', 'package-lock.json') }}",
      },
    ]);
    expect([save?.uses, save?.if, save?.with]).toEqual([
      'actions/cache/save@v4',
      "steps.pods-cache.outputs.cache-hit != 'true'",
      { path: restore?.with?.path, key: '${{ steps.pods-cache.outputs.cache-primary-key }}' },
    ]);
    const first = names.indexOf('Generate the native project');
    expect(
      ['Generate the native project', restore?.name, 'Install pods', save?.name, 'Build the app'].map((name) =>
        names.indexOf(name),
      ),
    ).toEqual([first, first + 1, first + 2, first + 3, first + 4]);
  });

  it('names only configurations that .detoxrc.js defines', () => {
    const named = Object.values(workflow.jobs).flatMap(detoxConfigurations);
    expect(named.filter((name) => !(name in detoxrc.configurations))).toEqual([]);
    expect(new Set(named)).toEqual(new Set(['web.headless', 'ios.sim.release', 'android.emu.release']));
  });

  it('builds and tests the iOS release configuration on a macOS runner', () => {
    const ios = workflow.jobs.ios as Job;
    expect(ios['runs-on']).toMatch(/^macos-/);
    expect(detoxConfigurations(ios)).toEqual(['ios.sim.release', 'ios.sim.release']);
    expect(commands(ios).some((text) => text.includes('detox build -c ios.sim.release'))).toBe(true);
  });

  it('runs the iOS specs headless, as the Android ones: Detox otherwise opens Simulator.app on the runner', () => {
    // detox/src/devices/common/drivers/ios/tools/AppleSimUtils.js boot(): `if (!headless) _openSimulatorApp(udid)`.
    const ios = workflow.jobs.ios as Job;
    expect(ios.steps.find((step) => step.name === 'Detox on the iOS simulator')?.run).toBe(
      'npx detox test -c ios.sim.release --headless --cleanup --record-logs failing',
    );
  });

  it('runs the Android release configuration in the emulator runner with KVM, on the AVD Detox expects', () => {
    const android = workflow.jobs.android as Job;
    const runner = android.steps.find((step) => step.name === 'Detox on the Android emulator');
    expect(runner?.uses).toBe('reactivecircus/android-emulator-runner@v2');
    expect(runner?.with?.script).toBe(
      'npx detox test -c android.emu.release --headless --cleanup --record-logs failing',
    );
    expect(runner?.with?.['avd-name']).toBe(android.env?.TRACEHOP_ANDROID_AVD);
    expect(commands(android).some((text) => text.includes('udevadm trigger --name-match=kvm'))).toBe(true);
    expect(detoxConfigurations(android)).toEqual(['android.emu.release', 'android.emu.release']);
  });

  it('runs npm run e2e on the web and checks that the fault is caught', () => {
    const web = workflow.jobs.web as Job;
    expect(commands(web)).toContain('npm run e2e -- --cleanup');
    expect(
      commands(web).some(
        (text) => text.includes('TRACEHOP_FAULTS=api-gateway:drop-traceparent') && text.includes('broken-chain'),
      ),
    ).toBe(true);
  });
});

describe('.github/workflows/test.yml', () => {
  const test = parse(fs.readFileSync(path.join(ROOT, '.github/workflows/test.yml'), 'utf8')) as {
    jobs: Record<string, Job & { steps: readonly (Step & { with?: Record<string, string> })[] }>;
  };

  it("runs npm test (with the fault matrix) after npm ci on Node 20, with the runner's Chrome and shellcheck", () => {
    const job = test.jobs.test as Job;
    expect(commands(job)).toEqual([
      'command -v shellcheck || { sudo apt-get update -qq && sudo apt-get install -y -qq shellcheck; }',
      'npm ci',
      'npm test',
    ]);
    expect(job.steps.find((step) => step.uses === 'actions/setup-node@v4')?.with?.['node-version']).toBe('20.19');
    // test/detox/shellcheck.test.ts skips its checks where shellcheck is missing, unless this asks for it.
    expect(job.env).toEqual({ TRACEHOP_CHROMIUM: '/usr/bin/google-chrome', TRACEHOP_REQUIRE_SHELLCHECK: '1' });
  });

  it("builds the iOS release bundle with Xcode's own bundle phase script, and checks it is Hermes bytecode", () => {
    const step = (test.jobs['metro-bundles'] as Job).steps.find((entry) => entry.name?.startsWith('iOS release'));
    expect((step as { env?: Record<string, string> } | undefined)?.env).toEqual({
      CONFIGURATION: 'Release',
      PLATFORM_NAME: 'iphonesimulator',
      PROJECT_DIR: '${{ github.workspace }}/fixtures/sample-app/ios',
      PODS_ROOT: '${{ github.workspace }}/fixtures/sample-app/ios/Pods',
      REACT_NATIVE_PATH: '${{ github.workspace }}/node_modules/react-native',
      HERMES_CLI_PATH: '${{ github.workspace }}/node_modules/hermes-compiler/hermesc/linux64-bin/hermesc',
      CONFIGURATION_BUILD_DIR: '${{ runner.temp }}/ios-build',
      UNLOCALIZED_RESOURCES_FOLDER_PATH: 'TracehopSample.app',
    });
    // The phase's script in the generated Xcode project: with-environment.sh running react-native-xcode.sh.
    const pbxproj = fs.readFileSync(
      path.join(
        ROOT,
        'node_modules/@react-native-community/template/template/ios/HelloWorld.xcodeproj/project.pbxproj',
      ),
      'utf8',
    );
    expect(pbxproj).toContain('WITH_ENVIRONMENT=\\"$REACT_NATIVE_PATH/scripts/xcode/with-environment.sh\\"');
    expect(pbxproj).toContain('REACT_NATIVE_XCODE=\\"$REACT_NATIVE_PATH/scripts/react-native-xcode.sh\\"');
    expect(step?.run).toContain(
      '"$REACT_NATIVE_PATH/scripts/xcode/with-environment.sh" "$REACT_NATIVE_PATH/scripts/react-native-xcode.sh"\n',
    );
    expect(step?.run).toContain('[ "$magic" != c61fbc03c103191f ]');
  });
});
