/**
 * Detox's iOS side against React Native 0.86 (see detox-android-rn.test.ts for why: Detox declares no React Native
 * range). Detox.framework and DetoxSync find React Native at run time by name (NSClassFromString, selectors,
 * ivars), so a name 0.86 dropped is no build error: Detox just stops waiting for what it no longer sees. Read here
 * from the sources detox ships (Detox-ios-src.tbz) against react-native's own:
 *
 * - DetoxSync takes the new-architecture path (the JS thread and timer sync resources of bridgeless React Native)
 *   only when RCTAppDelegate answers -newArchEnabled with YES (DTXReactNativeSupport.m isNewArchEnabled);
 * - on that path it hooks +[RCTJSThreadManager runRunLoop] (the JS thread), and -[RCTModuleData setUpMethodQueue]
 *   with its _methodQueue ivar (module queues);
 * - every React Native class it looks up by name is declared in 0.86, except the legacy ones it looks up only to
 *   skip when absent.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = path.resolve(__dirname, '../..');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const RN = path.join(NODE_MODULES, 'react-native');

let detoxSources = '';

beforeAll(() => {
  detoxSources = scratchDir('tracehop-detox-ios-');
  execFileSync('tar', ['-xjf', path.join(NODE_MODULES, 'detox/Detox-ios-src.tbz'), '-C', detoxSources]);
}, 60000);

function filesUnder(dir: string, extensions: readonly string[]): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension)))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** React Native's Objective-C sources: where its classes are declared. */
function rnObjc(): string[] {
  return ['React', 'Libraries', 'ReactCommon'].flatMap((dir) => filesUnder(path.join(RN, dir), ['.h', '.m', '.mm']));
}

describe("Detox's iOS sources against React Native's", () => {
  it('takes the new-architecture path: RCTAppDelegate answers -newArchEnabled with YES', () => {
    const support = read(
      path.join(detoxSources, 'DetoxSync/DetoxSync/DetoxSync/ReactNativeSupport/DTXReactNativeSupport.m'),
    );
    expect(support).toContain('NSClassFromString(@"RCTAppDelegate")');
    expect(support).toContain('NSSelectorFromString(@"newArchEnabled")');
    expect(read(path.join(RN, 'Libraries/AppDelegate/RCTAppDelegate.h'))).toMatch(
      /@interface RCTAppDelegate : RCTDefaultReactNativeFactoryDelegate\b/,
    );
    expect(read(path.join(RN, 'Libraries/AppDelegate/RCTDefaultReactNativeFactoryDelegate.mm'))).toMatch(
      /- \(BOOL\)newArchEnabled\s*\{\s*return YES;\s*\}/,
    );
  });

  it('hooks +[RCTJSThreadManager runRunLoop] and -[RCTModuleData setUpMethodQueue], which 0.86 has', () => {
    const support = read(
      path.join(detoxSources, 'DetoxSync/DetoxSync/DetoxSync/ReactNativeSupport/DTXReactNativeSupport.m'),
    );
    expect(support).toContain('NSClassFromString(@"RCTJSThreadManager")');
    expect(support).toContain('NSSelectorFromString(@"runRunLoop")');
    expect(support).toContain('class_getInstanceVariable(cls, "_methodQueue")');
    expect(read(path.join(RN, 'ReactCommon/react/runtime/platform/ios/ReactCommon/RCTJSThreadManager.mm'))).toMatch(
      /^\+ \(void\)runRunLoop$/m,
    );
    const moduleData = read(path.join(RN, 'React/Base/RCTModuleData.mm'));
    expect(moduleData).toMatch(/^- \(void\)setUpMethodQueue$/m);
    expect(moduleData).toContain('@synthesize methodQueue = _methodQueue;');
  });

  it('looks up by name only React Native classes 0.86 declares, or legacy ones it skips when absent', () => {
    const lookedUp = new Set(
      filesUnder(detoxSources, ['.m', '.mm']).flatMap((file) =>
        [...read(file).matchAll(/NSClassFromString\(@"(RCT\w+)"\)/g)].map((match) => match[1] ?? ''),
      ),
    );
    expect(lookedUp.size).toBeGreaterThan(10);
    const sources = rnObjc().map(read).join('\n');
    const undeclared = [...lookedUp].filter((name) => !new RegExp(`@interface ${name}\\b`).test(sources)).sort();
    // RCTJSCExecutor (the JSC bridge), RCTPicker and RCTText (Paper views): each lookup is followed by a nil check.
    expect(undeclared).toEqual(['RCTJSCExecutor', 'RCTPicker', 'RCTText']);
  });
});
