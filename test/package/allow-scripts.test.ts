/**
 * package.json's allowScripts reviews every dependency with an install script, as npm 11 reads it (npm's docs say a
 * future release will run none it does not allow; npm 10 ignores the field and runs them all). A dependency that gains one fails here until it is
 * reviewed: allowed where the repository needs its script, denied where the script does nothing it uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const read = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

const { allowScripts } = read('package.json') as { allowScripts?: Record<string, boolean> };
const { packages } = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };

describe("package.json's allowScripts", () => {
  it('names every locked package with an install script, by name (a version bump stays reviewed), and no other', () => {
    const withScripts = Object.entries(packages)
      .filter(([, entry]) => entry.hasInstallScript === true)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(Object.keys(allowScripts ?? {}).sort()).toEqual([...new Set(withScripts)].sort());
  });

  it('allows the scripts the repository needs and denies the rest', () => {
    expect(allowScripts).toEqual({
      // On macOS it unpacks Detox.framework and builds the XCUITest runner into ~/Library/Detox: the iOS device
      // job's detox test stops without them (the job also runs detox build-framework-cache).
      detox: true,
      // Checks the platform binary and puts it in place of the JS launcher.
      esbuild: true,
      // Builds from source only when asked (npm_config_build_from_source); its prebuilt binaries come as optional
      // dependencies, and Jest uses it only in watch mode.
      '@parcel/watcher': false,
      // bunyan's optional DTrace probes (Detox logs with bunyan): node-gyp, or a stub when that fails.
      'dtrace-provider': false,
      // Copies its service worker only into a msw.workerDirectory that package.json names; it names none.
      msw: false,
      // Warns only when a dependent asks for another version scheme.
      protobufjs: false,
    });
  });
});
