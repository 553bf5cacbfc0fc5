import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface ComposedConfig {
  readonly device: { readonly type: string; readonly device?: Record<string, string>; readonly timeoutMs?: number };
  readonly apps: Record<
    string,
    {
      readonly type: string;
      readonly binaryPath: string;
      readonly testBinaryPath?: string;
      readonly build?: string;
      readonly bundleId?: string;
    }
  >;
  readonly testRunner: { readonly args: { readonly config?: string } };
}

// Detox's own configuration loader: the same code `detox test -c <name>` runs.
const { composeDetoxConfig } = require('detox/src/configuration') as {
  composeDetoxConfig(options: { cwd: string; argv: Record<string, string> }): Promise<ComposedConfig>;
};

async function compose(configuration: string): Promise<ComposedConfig> {
  return composeDetoxConfig({ cwd: ROOT, argv: { configuration } });
}

/** Composes after the environment changed: .detoxrc.js is read again, not taken from the module cache. */
async function composeFresh(configuration: string): Promise<ComposedConfig> {
  jest.resetModules();
  return compose(configuration);
}

describe('.detoxrc.js resolved by Detox', () => {
  const savedDriver = process.env.TRACEHOP_WEB_DRIVER;

  beforeAll(() => {
    // Detox requires the driver module to validate the web device; point it at the TypeScript source.
    process.env.TRACEHOP_WEB_DRIVER = path.join(ROOT, 'harness/detox/web-driver/index.ts');
  });

  afterAll(() => {
    if (savedDriver === undefined) delete process.env.TRACEHOP_WEB_DRIVER;
    else process.env.TRACEHOP_WEB_DRIVER = savedDriver;
  });

  it.each([
    ['ios.sim.debug', 'Debug'],
    ['ios.sim.release', 'Release'],
  ])('resolves %s to an iPhone simulator and the %s .app', async (name, configuration) => {
    const config = await compose(name);
    expect(config.device).toEqual({
      type: 'ios.simulator',
      device: {
        type: process.env.TRACEHOP_IOS_SIMULATOR || 'iPhone 16',
        os: process.env.TRACEHOP_IOS_OS || 'iOS 18.5',
      },
    });
    expect(config.apps.default).toEqual({
      type: 'ios.app',
      binaryPath: `fixtures/sample-app/ios/build/Build/Products/${configuration}-iphonesimulator/TracehopSample.app`,
      build:
        'xcodebuild -workspace fixtures/sample-app/ios/TracehopSample.xcworkspace -scheme TracehopSample ' +
        `-configuration ${configuration} -sdk iphonesimulator -derivedDataPath fixtures/sample-app/ios/build`,
    });
  });

  it.each([
    ['android.emu.debug', 'debug', 'Debug'],
    ['android.emu.release', 'release', 'Release'],
  ])('resolves %s to an emulator AVD and the %s APKs', async (name, buildType, variant) => {
    const config = await compose(name);
    expect(config.device).toEqual({
      type: 'android.emulator',
      device: { avdName: process.env.TRACEHOP_ANDROID_AVD || 'Pixel_API_34' },
    });
    expect(config.apps.default).toMatchObject({
      type: 'android.apk',
      binaryPath: `fixtures/sample-app/android/app/build/outputs/apk/${buildType}/app-${buildType}.apk`,
      testBinaryPath: `fixtures/sample-app/android/app/build/outputs/apk/androidTest/${buildType}/app-${buildType}-androidTest.apk`,
      build: `cd fixtures/sample-app/android && ./gradlew assemble${variant} assembleAndroidTest -DtestBuildType=${buildType}`,
    });
  });

  it("builds only the simulator architectures TRACEHOP_IOS_ARCHS names (CI: the runner's own)", async () => {
    const saved = process.env.TRACEHOP_IOS_ARCHS;
    process.env.TRACEHOP_IOS_ARCHS = 'arm64';
    try {
      const config = await composeFresh('ios.sim.release');
      expect(config.apps.default?.build).toBe(
        'xcodebuild -workspace fixtures/sample-app/ios/TracehopSample.xcworkspace -scheme TracehopSample ' +
          '-configuration Release -sdk iphonesimulator -derivedDataPath fixtures/sample-app/ios/build ARCHS=arm64',
      );
    } finally {
      if (saved === undefined) delete process.env.TRACEHOP_IOS_ARCHS;
      else process.env.TRACEHOP_IOS_ARCHS = saved;
    }
  });

  it('builds only the ABIs TRACEHOP_ANDROID_ABIS names (CI: x86_64)', async () => {
    const saved = process.env.TRACEHOP_ANDROID_ABIS;
    process.env.TRACEHOP_ANDROID_ABIS = 'x86_64';
    try {
      const config = await composeFresh('android.emu.release');
      expect(config.apps.default?.build).toBe(
        'cd fixtures/sample-app/android && ./gradlew assembleRelease assembleAndroidTest -DtestBuildType=release -PreactNativeArchitectures=x86_64',
      );
    } finally {
      if (saved === undefined) delete process.env.TRACEHOP_ANDROID_ABIS;
      else process.env.TRACEHOP_ANDROID_ABIS = saved;
    }
  });

  it("resolves android.genycloud.release to Detox's Genymotion SaaS device and the release APKs", async () => {
    const saved = { uuid: process.env.TRACEHOP_GENYCLOUD_RECIPE_UUID, name: process.env.TRACEHOP_GENYCLOUD_RECIPE };
    delete process.env.TRACEHOP_GENYCLOUD_RECIPE_UUID;
    delete process.env.TRACEHOP_GENYCLOUD_RECIPE;
    try {
      const config = await composeFresh('android.genycloud.release');
      expect(config.device).toEqual({ type: 'android.genycloud', device: { recipeName: 'Google Pixel 6' } });
      expect(config.apps.default).toMatchObject({
        type: 'android.apk',
        binaryPath: 'fixtures/sample-app/android/app/build/outputs/apk/release/app-release.apk',
      });
      process.env.TRACEHOP_GENYCLOUD_RECIPE_UUID = '90f3aa5e-0000-4000-8000-000000000001';
      expect((await composeFresh('android.genycloud.release')).device).toEqual({
        type: 'android.genycloud',
        device: { recipeUUID: '90f3aa5e-0000-4000-8000-000000000001' },
      });
    } finally {
      for (const [key, value] of [
        ['TRACEHOP_GENYCLOUD_RECIPE_UUID', saved.uuid],
        ['TRACEHOP_GENYCLOUD_RECIPE', saved.name],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('resolves web.headless to our driver and the web build', async () => {
    const config = await compose('web.headless');
    expect(config.device).toEqual({ type: path.join(ROOT, 'harness/detox/web-driver/index.ts'), timeoutMs: 15000 });
    expect(config.apps.default).toEqual({
      type: 'web.bundle',
      bundleId: 'tracehop-sample-web',
      binaryPath: 'fixtures/sample-app/web-dist/index.html',
      build: 'node fixtures/sample-app/scripts/build-web.js',
    });
    expect(config.testRunner.args.config).toBe('e2e/jest.config.js');
  });

  it('names the compiled driver by default', () => {
    delete process.env.TRACEHOP_WEB_DRIVER;
    jest.isolateModules(() => {
      const rc = require(path.join(ROOT, '.detoxrc.js')) as { devices: { chromium: { type: string } } };
      expect(rc.devices.chromium.type).toBe(path.join(ROOT, 'dist/harness/detox/web-driver/index.js'));
    });
    process.env.TRACEHOP_WEB_DRIVER = path.join(ROOT, 'harness/detox/web-driver/index.ts');
  });

  it('says where to start Metro for the debug configurations (Detox does not start it; the root has no Metro config)', () => {
    // Debug builds load their JS from Metro. Started at the repository root, the CLI stops with
    // "No Metro config found": it must run in the sample app, whose metro.config.js resolves the root node_modules.
    const command = 'cd fixtures/sample-app && node ../../node_modules/@react-native-community/cli/build/bin.js start';
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const devices = readme.slice(readme.indexOf('## Devices'), readme.indexOf('### What runs here'));
    expect(devices).toContain(`\`${command}\``);
    expect(fs.readFileSync(path.join(ROOT, '.detoxrc.js'), 'utf8')).toContain(`(${command})`);
    expect(fs.existsSync(path.join(ROOT, 'fixtures/sample-app/metro.config.js'))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, 'metro.config.js'))).toBe(false);
    expect(fs.existsSync(path.join(ROOT, 'node_modules/@react-native-community/cli/build/bin.js'))).toBe(true);
  });

  it("rejects an unknown configuration with Detox's own message", async () => {
    await expect(compose('web.headed')).rejects.toThrow(/Failed to find a configuration named "web\.headed"/);
  });
});
