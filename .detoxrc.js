/**
 * Detox configurations for the sample app: native iOS/Android builds, and the web build driven in
 * headless Chromium by tracehop's own Detox driver (harness/detox/web-driver, compiled to dist/).
 *
 *   npm run e2e                         -> detox test -c web.headless
 *   detox build -c ios.sim.release && detox test -c ios.sim.release
 *   detox build -c android.emu.release && detox test -c android.emu.release
 *   detox test -c android.genycloud.release      Genymotion SaaS (gmsaas on PATH, logged in; see README "Devices")
 *   ios.sim.debug / android.emu.debug load the JS from Metro, which Detox does not start: start it in the sample app
 *   (cd fixtures/sample-app && node ../../node_modules/@react-native-community/cli/build/bin.js start)
 *   npm run e2e -- --shard=1/2                   one shard: writes its coverage.json, the merge gates
 */
const path = require('node:path');

const APP_DIR = 'fixtures/sample-app';
const IOS_BUILD = `${APP_DIR}/ios/build`;
const IOS_PRODUCTS = `${IOS_BUILD}/Build/Products`;
const APK_DIR = `${APP_DIR}/android/app/build/outputs/apk`;

/**
 * xcodebuild for one configuration, into a derived-data folder Detox can find the .app in. A Release build compiles
 * every target (pods included) for each simulator architecture, arm64 and x86_64; TRACEHOP_IOS_ARCHS (CI: the
 * runner's own, `uname -m`, arm64 on macos-15) builds only those (ARCHS overrides every target's setting).
 */
function xcodebuild(configuration) {
  const archs = process.env.TRACEHOP_IOS_ARCHS ? ` ARCHS=${process.env.TRACEHOP_IOS_ARCHS}` : '';
  return [
    `xcodebuild -workspace ${APP_DIR}/ios/TracehopSample.xcworkspace -scheme TracehopSample`,
    `-configuration ${configuration} -sdk iphonesimulator -derivedDataPath ${IOS_BUILD}${archs}`,
  ].join(' ');
}

/**
 * Gradle builds the app and Detox's instrumentation test APK for one build type. TRACEHOP_ANDROID_ABIS
 * (e.g. x86_64 on CI's emulator) builds only those ABIs instead of all four.
 */
function gradle(buildType) {
  const variant = buildType[0].toUpperCase() + buildType.slice(1);
  const abis = process.env.TRACEHOP_ANDROID_ABIS
    ? ` -PreactNativeArchitectures=${process.env.TRACEHOP_ANDROID_ABIS}`
    : '';
  return `cd ${APP_DIR}/android && ./gradlew assemble${variant} assembleAndroidTest -DtestBuildType=${buildType}${abis}`;
}

/** @type {Detox.DetoxConfig} */
module.exports = {
  testRunner: {
    args: { $0: 'jest', config: 'e2e/jest.config.js' },
    // Detox's own default (300 s): the device job's first simulator or emulator boot on a hosted runner can take
    // minutes, and a shorter wait fails the whole run before its first spec.
    jest: { setupTimeout: 300000 },
  },
  artifacts: {
    rootDir: 'artifacts/detox',
    plugins: { screenshot: 'failing' },
  },
  apps: {
    'ios.debug': {
      type: 'ios.app',
      binaryPath: `${IOS_PRODUCTS}/Debug-iphonesimulator/TracehopSample.app`,
      build: xcodebuild('Debug'),
    },
    'ios.release': {
      type: 'ios.app',
      binaryPath: `${IOS_PRODUCTS}/Release-iphonesimulator/TracehopSample.app`,
      build: xcodebuild('Release'),
    },
    'android.debug': {
      type: 'android.apk',
      binaryPath: `${APK_DIR}/debug/app-debug.apk`,
      testBinaryPath: `${APK_DIR}/androidTest/debug/app-debug-androidTest.apk`,
      build: gradle('debug'),
      // Metro serves the debug bundle to the emulator.
      reversePorts: [8081],
    },
    'android.release': {
      type: 'android.apk',
      binaryPath: `${APK_DIR}/release/app-release.apk`,
      testBinaryPath: `${APK_DIR}/androidTest/release/app-release-androidTest.apk`,
      build: gradle('release'),
    },
    web: {
      // Any type our driver accepts: the "app" is the web build's index.html, served over loopback.
      type: 'web.bundle',
      bundleId: 'tracehop-sample-web',
      binaryPath: `${APP_DIR}/web-dist/index.html`,
      build: `node ${APP_DIR}/scripts/build-web.js`,
    },
  },
  devices: {
    simulator: {
      type: 'ios.simulator',
      // The OS too: an iPhone 16 exists for several runtimes. iOS 18.5 ships with Xcode 16.4. On CI both come from
      // scripts/pick-ios-simulator.js, which reads what the runner has installed.
      device: {
        type: process.env.TRACEHOP_IOS_SIMULATOR || 'iPhone 16',
        os: process.env.TRACEHOP_IOS_OS || 'iOS 18.5',
      },
    },
    emulator: {
      type: 'android.emulator',
      device: { avdName: process.env.TRACEHOP_ANDROID_AVD || 'Pixel_API_34' },
    },
    // Detox's own Genymotion SaaS device: it starts (and stops) one cloud instance per worker from a recipe.
    genycloud: {
      type: 'android.genycloud',
      device: process.env.TRACEHOP_GENYCLOUD_RECIPE_UUID
        ? { recipeUUID: process.env.TRACEHOP_GENYCLOUD_RECIPE_UUID }
        : { recipeName: process.env.TRACEHOP_GENYCLOUD_RECIPE || 'Google Pixel 6' },
    },
    chromium: {
      // In your app repository write type: 'tracehop/detox/web-driver'. Here, inside the tracehop package
      // itself, Detox (resolving from node_modules/detox) cannot self-reference it, so we name the compiled
      // file. TRACEHOP_WEB_DRIVER lets tests point at the TypeScript source instead.
      type: process.env.TRACEHOP_WEB_DRIVER || path.join(__dirname, 'dist/harness/detox/web-driver/index.js'),
      timeoutMs: 15000,
    },
  },
  configurations: {
    'ios.sim.debug': { device: 'simulator', app: 'ios.debug' },
    'ios.sim.release': { device: 'simulator', app: 'ios.release' },
    'android.emu.debug': { device: 'emulator', app: 'android.debug' },
    'android.emu.release': { device: 'emulator', app: 'android.release' },
    'android.genycloud.release': { device: 'genycloud', app: 'android.release' },
    'web.headless': { device: 'chromium', app: 'web' },
  },
};
