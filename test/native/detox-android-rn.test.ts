/**
 * Detox 20.51 declares no React Native support range (its package.json has a jest peer and a node engine only, and
 * its own development pins react-native 0.85), and its JavaScript makes no React Native version check at run time:
 * detox/src/utils/rn-consts/rn-consts.js is read only by scripts/updateGradle.js, in its postinstall, which patches
 * Detox's own android/ folder. What decides whether it drives a React Native 0.86 app on Android is its compiled
 * library (Detox-android/com/wix/detox/<version>/detox-<version>.aar): it is built against one React Native and
 * names no react-android dependency in its pom, so it runs against the app's, and a class or member it uses that
 * 0.86 lacks fails only on the emulator. Read here from its class files, without a JDK or a device:
 *
 * - every React Native class it names has a source file in react-native's ReactAndroid;
 * - every React Native field and method it calls is declared there;
 * - the fields it reads by reflection, by the names it picks for React Native 0.81 and later (RNVersion.getMinor()
 *   against 79, 80 and 81 in JavaTimersReflected, NetworkingModuleReflected and FabricUIManagerIdlingResources), are
 *   declared in the classes it reads them from.
 *
 * Names only: a changed parameter type or a member moved to a superclass is not seen here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classConstants, zipEntries, type ClassConstants } from './support/class-constants';

const ROOT = path.resolve(__dirname, '../..');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const RN_JAVA = path.join(NODE_MODULES, 'react-native/ReactAndroid/src/main/java');
const { version: DETOX } = JSON.parse(fs.readFileSync(path.join(NODE_MODULES, 'detox/package.json'), 'utf8')) as {
  version: string;
};
const { version: REACT_NATIVE } = JSON.parse(
  fs.readFileSync(path.join(NODE_MODULES, 'react-native/package.json'), 'utf8'),
) as { version: string };

/** Every class file of Detox's Android library, read once. */
function detoxClasses(): Map<string, ClassConstants> {
  const aar = path.join(NODE_MODULES, `detox/Detox-android/com/wix/detox/${DETOX}/detox-${DETOX}.aar`);
  const jar = zipEntries(fs.readFileSync(aar)).get('classes.jar');
  if (jar === undefined) throw new Error(`${aar} holds no classes.jar`);
  const classes = new Map<string, ClassConstants>();
  for (const [name, bytes] of zipEntries(jar)) {
    if (name.endsWith('.class')) classes.set(name.slice(0, -'.class'.length), classConstants(bytes));
  }
  return classes;
}

const DETOX_CLASSES = detoxClasses();
const RN_PREFIX = 'com/facebook/react/';

/** The source of a React Native class (its outer class's file), or undefined when ReactAndroid has none. */
function rnSource(internalName: string): string | undefined {
  const outer = internalName.split('$')[0] ?? internalName;
  for (const extension of ['.kt', '.java']) {
    const file = path.join(RN_JAVA, `${outer}${extension}`);
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  }
  return undefined;
}

/** Whether `source` declares `name`: a Kotlin fun, val or var, a Java field or method, or an enum constant. */
function declares(source: string, name: string): boolean {
  const escaped = name.replace(/[$]/g, '\\$');
  return (
    (/\benum\b/.test(source) && new RegExp(`^\\s*${escaped}\\s*[,;(]`, 'm').test(source)) ||
    new RegExp(`\\bfun\\s+(?:<[^>]*>\\s*)?(?:[\\w.]+\\.)?${escaped}\\s*\\(`).test(source) ||
    new RegExp(`\\b(?:val|var)\\s+${escaped}\\b`).test(source) ||
    new RegExp(`[\\w>\\]]\\s+${escaped}\\s*(?:[;=(])`).test(source)
  );
}

/** A JVM member name as Kotlin may declare it: getFoo/isFoo/setFoo for a property foo, Companion for `companion object`. */
function declaredAs(source: string, name: string): boolean {
  if (name === 'Companion') return /\bcompanion object\b/.test(source);
  if (declares(source, name)) return true;
  const property = /^(?:get|set)([A-Z])(\w*)$/.exec(name);
  if (property) return declares(source, `${(property[1] ?? '').toLowerCase()}${property[2] ?? ''}`);
  // Kotlin keeps the `is` prefix of a Boolean property in its getter's name.
  return /^is[A-Z]/.test(name) && declares(source, name);
}

describe(`Detox ${DETOX}'s Android library against React Native ${REACT_NATIVE}'s ReactAndroid sources`, () => {
  it('reads the class files of the library (the check below has something to check)', () => {
    expect(DETOX_CLASSES.size).toBeGreaterThan(100);
    expect(DETOX_CLASSES.has('com/wix/detox/reactnative/idlingresources/timers/JavaTimersReflected')).toBe(true);
  });

  it('names only React Native classes that ReactAndroid has', () => {
    const named = new Set(
      [...DETOX_CLASSES.values()].flatMap((constants) =>
        constants.classes.filter((name) => name.startsWith(RN_PREFIX)).map((name) => name.split('$')[0] ?? name),
      ),
    );
    expect(named.size).toBeGreaterThan(20);
    expect([...named].filter((name) => rnSource(name) === undefined)).toEqual([]);
  });

  it('calls only React Native fields and methods that ReactAndroid declares', () => {
    const members = new Map<string, { owner: string; name: string }>();
    for (const constants of DETOX_CLASSES.values()) {
      for (const member of constants.members) {
        if (member.owner.startsWith(RN_PREFIX) && member.name !== '<init>')
          members.set(`${member.owner}.${member.name}`, member);
      }
    }
    expect(members.size).toBeGreaterThan(40);
    const missing = [...members.entries()]
      .filter(([, member]) => !declaredAs(rnSource(member.owner) ?? '', member.name))
      .map(([key]) => key);
    expect(missing).toEqual([]);
  });

  /** [Detox class that reflects, field name it picks for React Native 0.81 and later, React Native class]. */
  const REFLECTED: ReadonlyArray<readonly [string, string, string]> = [
    ['reactnative/idlingresources/timers/JavaTimersReflected', 'reactHost', 'runtime/BridgelessReactContext'],
    ['reactnative/idlingresources/timers/JavaTimersReflected', 'reactInstance', 'runtime/ReactHostImpl'],
    ['reactnative/idlingresources/timers/JavaTimersReflected', 'javaTimerManager', 'runtime/ReactInstance'],
    [
      'reactnative/idlingresources/timers/JavaTimersReflected',
      'hasActiveTimersInRange',
      'modules/core/JavaTimerManager',
    ],
    ['reactnative/idlingresources/network/NetworkingModuleReflected', 'client', 'modules/network/NetworkingModule'],
    [
      'reactnative/idlingresources/uimodule/fabric/FabricUIManagerIdlingResources',
      'mMountItemDispatcher',
      'fabric/FabricUIManager',
    ],
    [
      'reactnative/idlingresources/uimodule/fabric/FabricUIManagerIdlingResources',
      'mountItems',
      'fabric/mounting/MountItemDispatcher',
    ],
    [
      'reactnative/idlingresources/uimodule/fabric/FabricUIManagerIdlingResources',
      'viewCommandMountItems',
      'fabric/mounting/MountItemDispatcher',
    ],
    ['reactnative/idlingresources/looper/MQThreadsReflector', 'mJSMessageQueueThread', 'bridge/ReactContext'],
    [
      'reactnative/idlingresources/looper/MQThreadsReflector',
      'mNativeModulesMessageQueueThread',
      'bridge/ReactContext',
    ],
  ];

  it.each(REFLECTED)('%s reads %s by reflection, which %s declares', (detoxClass, field, rnClass) => {
    expect(DETOX_CLASSES.get(`com/wix/detox/${detoxClass}`)?.strings).toContain(field);
    expect(declares(rnSource(`${RN_PREFIX}${rnClass}`) ?? '', field)).toBe(true);
  });

  it('reads the React Native version from ReactNativeVersion.VERSION, which holds 0.86', () => {
    const source = rnSource(`${RN_PREFIX}modules/systeminfo/ReactNativeVersion`) ?? '';
    expect(/"major" to (\d+),\s*"minor" to (\d+)/.exec(source)?.slice(1)).toEqual(REACT_NATIVE.split('.').slice(0, 2));
    expect(DETOX_CLASSES.get('com/wix/detox/reactnative/ReactNativeInfo')?.strings).toEqual(
      expect.arrayContaining(['major', 'minor', 'patch']),
    );
  });
});
