/**
 * Guards for the generated native projects that run without Xcode or the Android SDK: the Gradle `react {}`
 * block names the hermesc that is installed (and that hermesc compiles the Metro release bundle), autolinking
 * runs the locked CLI from the root node_modules with the network off, for both platforms, each platform lets
 * the app send plain HTTP to the host of the URLs the Detox environment hands it, and the iOS Release configuration
 * builds every simulator architecture unless told (the device job tells it, with TRACEHOP_IOS_ARCHS).
 * The one file generates the projects (generate-native.js rewrites them), so nothing else races it, and
 * it puts back the ones that were there before.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { parse } from 'yaml';
import { startBackend } from '../../harness/backend';
import { launchArgsFor } from '../../harness/detox';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = path.resolve(__dirname, '../..');
const APP = path.join(ROOT, 'fixtures/sample-app');
const ANDROID = path.join(APP, 'android');
const NODE_MODULES = fs.realpathSync(path.join(ROOT, 'node_modules'));
const CLI = path.join(NODE_MODULES, '@react-native-community/cli/build/bin.js');

/** The plugin's own mapping (PathUtils.kt getHermesOSBin): the folder of hermes-compiler/hermesc for this OS. */
function hermesOsBin(): string | undefined {
  if (process.platform === 'darwin') return 'osx-bin';
  if (process.platform === 'linux' && process.arch === 'x64') return 'linux64-bin';
  if (process.platform === 'win32') return 'win64-bin';
  return undefined;
}

/** One Groovy string assignment of the generated app/build.gradle's react {} block. */
function reactSetting(name: string): string {
  const gradle = fs.readFileSync(path.join(ANDROID, 'app/build.gradle'), 'utf8');
  const lines = gradle.split('\n').filter((line) => new RegExp(`^\\s+${name} = `).test(line));
  expect(lines).toHaveLength(1);
  return (lines[0] ?? '').trim().slice(`${name} = `.length);
}

let tmp = '';

/**
 * What generate-native.js rewrites. A developer's own generated projects (pods installed, an app built under
 * ios/build) are moved aside while the tests generate fresh ones, and put back after: npm test must not
 * delete them. The move stays on the repository's file system (.tracehop-tmp/, ignored by git).
 */
const GENERATED = ['ios', 'android', 'package.json'];
let kept = '';

beforeAll(() => {
  const present = GENERATED.filter((name) => fs.existsSync(path.join(APP, name)));
  if (present.length > 0) {
    fs.mkdirSync(path.join(ROOT, '.tracehop-tmp'), { recursive: true });
    kept = fs.mkdtempSync(path.join(ROOT, '.tracehop-tmp', 'native-kept-'));
    for (const name of present) fs.renameSync(path.join(APP, name), path.join(kept, name));
  }
  execFileSync(process.execPath, [path.join(APP, 'scripts/generate-native.js')], { cwd: ROOT, stdio: 'pipe' });
  tmp = scratchDir('tracehop-native-');
}, 120000);

afterAll(() => {
  if (kept === '') return;
  for (const name of GENERATED) {
    fs.rmSync(path.join(APP, name), { recursive: true, force: true });
    if (fs.existsSync(path.join(kept, name))) fs.renameSync(path.join(kept, name), path.join(APP, name));
  }
  fs.rmSync(kept, { recursive: true, force: true });
});

describe('the generated Android project', () => {
  it('sets hermesCommand to the hermesc of the root node_modules, as the Gradle plugin resolves it', () => {
    const setting = reactSetting('hermesCommand');
    expect(setting).toMatch(/^"\$projectDir\/[^"]*\/node_modules\/hermes-compiler\/hermesc\/%OS-BIN%\/hermesc"$/);
    const osBin = hermesOsBin();
    if (osBin === undefined)
      throw new Error(`hermes-compiler ships no hermesc for ${process.platform}/${process.arch}`);
    // Gradle expands $projectDir (android/app); the plugin replaces %OS-BIN% (PathUtils.kt detectOSAwareHermesCommand).
    const command = setting.slice(1, -1).replace('$projectDir', path.join(ANDROID, 'app')).replace('%OS-BIN%', osBin);
    expect(fs.realpathSync(path.resolve(command))).toBe(
      path.join(NODE_MODULES, 'hermes-compiler/hermesc', osBin, 'hermesc'),
    );
  });

  it('points cliFile, reactNativeDir and codegenDir at packages that exist', () => {
    for (const name of ['cliFile', 'reactNativeDir', 'codegenDir']) {
      const match = /^file\("(.+)"\)$/.exec(reactSetting(name));
      expect(match).not.toBeNull();
      expect(fs.existsSync(path.resolve(ANDROID, 'app', match?.[1] ?? ''))).toBe(true);
    }
  });

  it('autolinks with the CLI of the root node_modules in the app folder, never through npx', () => {
    const settings = fs.readFileSync(path.join(ANDROID, 'settings.gradle'), 'utf8');
    expect(settings).not.toContain('npx');
    const match =
      /ex\.autolinkLibrariesFromCommand\(\['node', new File\(settingsDir, '([^']+)'\)\.absolutePath, 'config'\], new File\(settingsDir, '\.\.'\)\)/.exec(
        settings,
      );
    expect(match).not.toBeNull();
    expect(fs.realpathSync(path.resolve(ANDROID, match?.[1] ?? ''))).toBe(CLI);
  });

  it("pins the NDK and the CMake the device job's cache step reads, one version each", () => {
    // The step's own cases: test/detox/native-tools-step.test.ts. Here it reads the generated project, at the root.
    const step = (
      parse(fs.readFileSync(path.join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
        jobs: Record<string, { steps: ReadonlyArray<{ id?: string; run?: string }> }>;
      }
    ).jobs.android?.steps.find((entry) => entry.id === 'native-tools');
    const output = path.join(tmp, 'github-output');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step?.run ?? 'exit 99'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ANDROID_HOME: path.join(tmp, 'sdk'), GITHUB_OUTPUT: output },
    });
    const ndk = /^ *ndkVersion *= *"([^"]*)"/m.exec(fs.readFileSync(path.join(ANDROID, 'build.gradle'), 'utf8'))?.[1];
    expect([result.status, result.stdout, fs.readFileSync(output, 'utf8')]).toEqual([
      0,
      '',
      `ndk=${String(ndk)}\ncmake=3.22.1\nndk-dir=${tmp}/sdk/ndk/${String(ndk)}\ncmake-dir=${tmp}/sdk/cmake/3.22.1\non-image=false\n`,
    ]);
  });

  it('compiles the Metro release bundle for Android with that hermesc', () => {
    const osBin = hermesOsBin() ?? 'unsupported';
    const hermesc = path.join(NODE_MODULES, 'hermes-compiler/hermesc', osBin, 'hermesc');
    const bundle = path.join(tmp, 'index.android.bundle');
    const metro = spawnSync(
      process.execPath,
      [
        CLI,
        'bundle',
        '--platform',
        'android',
        '--dev',
        'false',
        '--entry-file',
        'index.js',
        '--bundle-output',
        bundle,
        '--assets-dest',
        path.join(tmp, 'res'),
      ],
      { cwd: APP, encoding: 'utf8', env: { ...process.env, CI: '1' } },
    );
    expect({ status: metro.status, stderr: metro.status === 0 ? '' : metro.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.statSync(bundle).size).toBeGreaterThan(100000);
    // The flags the Gradle plugin passes by default (hermesFlags "-O", "-output-source-map") plus -w for quiet.
    const output = path.join(tmp, 'index.android.hbc');
    const hermes = spawnSync(hermesc, ['-emit-binary', '-O', '-output-source-map', '-w', `-out=${output}`, bundle], {
      encoding: 'utf8',
    });
    expect({ status: hermes.status, stderr: hermes.stderr }).toEqual({ status: 0, stderr: '' });
    // Hermes bytecode files start with the magic 0x1F1903C103BC1FC6 (little endian).
    expect(fs.readFileSync(output).subarray(0, 8).toString('hex')).toBe('c61fbc03c103191f');
  }, 300000);
});

describe("Detox's Android wiring in the generated project", () => {
  it("resolves com.wix:detox from the installed detox's own Maven repository, at that detox's version", () => {
    const root = fs.readFileSync(path.join(ANDROID, 'build.gradle'), 'utf8');
    const repositories = [...root.matchAll(/maven \{ url\("\$rootDir\/([^"]+)"\) \}/g)].map((match) => match[1]);
    expect(repositories).toHaveLength(1);
    const repository = path.resolve(ANDROID, repositories[0] ?? '');
    const detox = (
      JSON.parse(fs.readFileSync(path.join(NODE_MODULES, 'detox/package.json'), 'utf8')) as { version: string }
    ).version;
    expect(fs.realpathSync(repository)).toBe(path.join(NODE_MODULES, 'detox/Detox-android'));
    expect(fs.existsSync(path.join(repository, `com/wix/detox/${detox}/detox-${detox}.pom`))).toBe(true);
  });

  it('builds the test APK .detoxrc.js names for the build type Detox asks for, run by the AndroidX runner', () => {
    const app = fs.readFileSync(path.join(ANDROID, 'app/build.gradle'), 'utf8');
    // detox build passes -DtestBuildType=release, so the test APK is app-release-androidTest.apk (testBinaryPath).
    expect(app).toContain('        testBuildType System.getProperty("testBuildType", "debug")\n');
    expect(app).toContain('        testInstrumentationRunner "androidx.test.runner.AndroidJUnitRunner"\n');
    expect(app).toContain('    androidTestImplementation("com.wix:detox:+")\n');
    const test = path.join(ANDROID, 'app/src/androidTest/java/com/tracehopsample/DetoxTest.java');
    const source = fs.readFileSync(test, 'utf8');
    expect(source).toMatch(/^package com\.tracehopsample;$/m);
    expect(source).toContain('new ActivityTestRule<>(MainActivity.class, false, false)');
    expect(source).toContain('Detox.runTests(mActivityRule, detoxConfig);');
    // The activity it starts is the app's, in the same package.
    expect(fs.existsSync(path.join(ANDROID, 'app/src/main/java/com/tracehopsample/MainActivity.kt'))).toBe(true);
  });
});

describe('the generated iOS project', () => {
  /** The project-level build configurations of the app's Xcode project, by name, as pbxproj text. */
  function projectConfigurations(): Map<string, string> {
    const pbxproj = fs.readFileSync(path.join(APP, 'ios/TracehopSample.xcodeproj/project.pbxproj'), 'utf8');
    const configurations = new Map<string, string>();
    for (const match of pbxproj.matchAll(
      /isa = XCBuildConfiguration;\s*buildSettings = \{([\s\S]*?)\n\t\t\t\};\s*name = (\w+);/g,
    )) {
      const settings = match[1] ?? '';
      // The project's own (not a target's): the one that sets the SDK for every target.
      if (settings.includes('SDKROOT = iphoneos;')) configurations.set(match[2] ?? '', settings);
    }
    return configurations;
  }

  it("builds every simulator architecture in Release (ONLY_ACTIVE_ARCH is Debug's only), which TRACEHOP_IOS_ARCHS narrows on CI", () => {
    const configurations = projectConfigurations();
    expect([...configurations.keys()].sort()).toEqual(['Debug', 'Release']);
    expect(configurations.get('Debug')).toContain('ONLY_ACTIVE_ARCH = YES;');
    expect(configurations.get('Release')).not.toContain('ONLY_ACTIVE_ARCH');
    // So the device job builds the runner's architecture only (test/detox/detox-config.test.ts: ARCHS=<it>).
    const ios = (
      parse(fs.readFileSync(path.join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
        jobs: { ios: { steps: ReadonlyArray<{ id?: string; run?: string }> } };
      }
    ).jobs.ios;
    expect(ios.steps.find((step) => step.id === 'simulator')?.run).toContain(
      'echo "TRACEHOP_IOS_ARCHS=$(uname -m)" >> "$GITHUB_ENV"',
    );
  });
});

describe('autolinking with the network off', () => {
  it('lists react-native-launch-arguments for iOS and Android from the locked CLI', () => {
    const result = spawnSync(process.execPath, [CLI, 'config'], {
      cwd: APP,
      encoding: 'utf8',
      env: { ...process.env, npm_config_offline: 'true' },
    });
    expect(result.status).toBe(0);
    const config = JSON.parse(result.stdout) as {
      dependencies: Record<
        string,
        { platforms: { ios?: { podspecPath?: string } | null; android?: { packageInstance?: string } | null } }
      >;
    };
    const launchArgs = config.dependencies['react-native-launch-arguments'];
    expect(Object.keys(config.dependencies)).toEqual(['react-native-launch-arguments']);
    expect(launchArgs?.platforms.android?.packageInstance).toBe('new LaunchArgumentsPackage()');
    expect(path.basename(launchArgs?.platforms.ios?.podspecPath ?? '')).toBe('react-native-launch-arguments.podspec');
  });

  it('the Podfile runs the same CLI', () => {
    const podfile = fs.readFileSync(path.join(APP, 'ios/Podfile'), 'utf8');
    const match = /config = use_native_modules!\(\['node', File\.join\(__dir__, '([^']+)'\), 'config'\]\)/.exec(
      podfile,
    );
    expect(match).not.toBeNull();
    expect(fs.realpathSync(path.resolve(APP, 'ios', match?.[1] ?? ''))).toBe(CLI);
  });
});

describe('plain HTTP to the mock backend, at the host the Detox environment hands the app', () => {
  /** The hosts of every URL the app is launched with (gateway, OTLP receiver, analytics), from a real backend. */
  async function launchHosts(): Promise<string[]> {
    const backend = await startBackend();
    try {
      const urls = Object.values(launchArgsFor(backend)).filter((value) => value.startsWith('http'));
      expect(urls).toHaveLength(3);
      return [...new Set(urls.map((url) => new URL(url).hostname))];
    } finally {
      await backend.stop();
    }
  }

  it('Android: the manifest names the network security config, which allows cleartext to those hosts (adb reverse carries them to the machine running Detox)', async () => {
    const manifest = fs.readFileSync(path.join(ANDROID, 'app/src/main/AndroidManifest.xml'), 'utf8');
    expect(manifest).toContain('android:networkSecurityConfig="@xml/network_security_config"');
    const config = fs.readFileSync(path.join(ANDROID, 'app/src/main/res/xml/network_security_config.xml'), 'utf8');
    const cleartext =
      /<domain-config cleartextTrafficPermitted="true">([\s\S]*?)<\/domain-config>/.exec(config)?.[1] ?? '';
    const domains = [...cleartext.matchAll(/<domain includeSubdomains="false">([^<]+)<\/domain>/g)].map(
      (match) => match[1],
    );
    expect(domains).toEqual(['localhost', '127.0.0.1', '10.0.2.2']);
    for (const host of await launchHosts()) expect(domains).toContain(host);
  });

  it("iOS: they are IP addresses, which the template's NSAllowsLocalNetworking lets App Transport Security load over HTTP", async () => {
    const plist = fs.readFileSync(path.join(APP, 'ios/TracehopSample/Info.plist'), 'utf8');
    const ats = /<key>NSAppTransportSecurity<\/key>\s*<dict>([\s\S]*?)<\/dict>/.exec(plist)?.[1] ?? '';
    expect(ats).toMatch(/<key>NSAllowsLocalNetworking<\/key>\s*<true\/>/);
    const hosts = await launchHosts();
    expect(hosts.map((host) => [host, isIP(host)])).toEqual(hosts.map((host) => [host, 4]));
  });
});
