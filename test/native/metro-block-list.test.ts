/**
 * The sample app's metro.config.js, loaded by Metro's own loader, keeps native build output out of what Metro crawls
 * and watches: Metro joins resolver.blockList into one pattern and skips every file and folder it matches.
 * Without Watchman (CI runners have none) each folder it does not skip costs an inotify watch on Linux.
 */
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const APP = path.join(ROOT, 'fixtures/sample-app');

const { loadConfig } = require('metro-config') as {
  loadConfig(options: { cwd: string; config: string }): Promise<{ resolver: { blockList: RegExp | RegExp[] } }>;
};

/** Metro's own joining of a blockList array (metro/src/node-haste/DependencyGraph/createFileMap.js). */
function ignorePattern(blockList: RegExp | RegExp[]): RegExp {
  const list = Array.isArray(blockList) ? blockList : [blockList];
  return new RegExp(list.map((regex) => `(${regex.source})`).join('|'), list[0]?.flags ?? '');
}

describe('fixtures/sample-app/metro.config.js', () => {
  it('skips ios/build, Pods, the Android build folders and Detox artifacts, and nothing the bundle is made from', async () => {
    const config = await loadConfig({ cwd: APP, config: path.join(APP, 'metro.config.js') });
    const pattern = ignorePattern(config.resolver.blockList);
    const paths = [
      'fixtures/sample-app/ios/build',
      'fixtures/sample-app/ios/build/Build/Products/Release-iphonesimulator/TracehopSample.app/main.jsbundle',
      'fixtures/sample-app/ios/Pods',
      'fixtures/sample-app/ios/Pods/Target Support Files/Pods-TracehopSample/Pods-TracehopSample.debug.xcconfig',
      'fixtures/sample-app/android/build/generated/autolinking/autolinking.json',
      'fixtures/sample-app/android/app/build/generated/assets/react/release/index.android.bundle',
      'fixtures/sample-app/android/app/.cxx/RelWithDebInfo/x86_64/compile_commands.json',
      'fixtures/sample-app/android/.gradle/9.3.1/checksums/checksums.lock',
      'artifacts/detox/android.emu.debug/checkout.png',
      'fixtures/sample-app/web-dist/app.js',
      'fixtures/sample-app/index.js',
      'fixtures/sample-app/src/App.tsx',
      'fixtures/sample-app/ios/TracehopSample/Images.xcassets/Contents.json',
      'fixtures/sample-app/ios/buildinfo.json',
      'fixtures/sample-app/android/app/src/main/res/values/strings.xml',
      'node_modules/react-native/index.js',
      'node_modules/react-native/Libraries/Image/assets/back.png',
    ];
    expect(Object.fromEntries(paths.map((file) => [file, pattern.test(path.join(ROOT, file))]))).toEqual({
      'fixtures/sample-app/ios/build': true,
      'fixtures/sample-app/ios/build/Build/Products/Release-iphonesimulator/TracehopSample.app/main.jsbundle': true,
      'fixtures/sample-app/ios/Pods': true,
      'fixtures/sample-app/ios/Pods/Target Support Files/Pods-TracehopSample/Pods-TracehopSample.debug.xcconfig': true,
      'fixtures/sample-app/android/build/generated/autolinking/autolinking.json': true,
      'fixtures/sample-app/android/app/build/generated/assets/react/release/index.android.bundle': true,
      'fixtures/sample-app/android/app/.cxx/RelWithDebInfo/x86_64/compile_commands.json': true,
      'fixtures/sample-app/android/.gradle/9.3.1/checksums/checksums.lock': true,
      'artifacts/detox/android.emu.debug/checkout.png': true,
      'fixtures/sample-app/web-dist/app.js': true,
      'fixtures/sample-app/index.js': false,
      'fixtures/sample-app/src/App.tsx': false,
      'fixtures/sample-app/ios/TracehopSample/Images.xcassets/Contents.json': false,
      'fixtures/sample-app/ios/buildinfo.json': false,
      'fixtures/sample-app/android/app/src/main/res/values/strings.xml': false,
      'node_modules/react-native/index.js': false,
      'node_modules/react-native/Libraries/Image/assets/back.png': false,
    });
  });
});
