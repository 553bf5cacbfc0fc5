/**
 * The launch arguments the Detox environment hands the app (launchArgsFor), through Detox's own encodings, as far as
 * a shell on this machine can follow them, and read back by the sample app's config reader:
 *
 * - Android: Detox 20.51 passes each as `-e <key> <base64 value>` to `adb shell am instrument`
 *   (detox/src/devices/common/drivers/android/tools/instrumentationArgs.js prepareInstrumentationArgs, ADB.js
 *   spawnInstrumentation). adb joins its arguments with spaces into one command line for the device's shell, so a
 *   word survives only as the shell reads it back. An empty value is base64 "" and autoEscape.shell("") is "" (no
 *   quotes): the device's shell never sees that word, and `am` takes the next `-e` as the value and the key after it
 *   as the instrumentation runner, so the launch fails. That is Detox's side, not the app's reader; launchArgsFor
 *   leaves out what it has no value for, so tracehop never sends one.
 * - iOS: `xcrun simctl launch ... --args` with `-<key> <value>` pairs (detox/src/devices/common/drivers/ios/tools/
 *   AppleSimUtils.js _mergeLaunchArgs, _launchMagically), quoted by detox/src/utils/shellQuote.js quote(), which is
 *   autoEscape.shell per word: "" again, so the empty word is lost here too, and every later pair shifts by one.
 *   The app then reads the next key as that key's value, and the values after it as keys: Detox's own -detoxServer
 *   and -detoxSessionId (sent first) keep their place only when the empty value comes after them, and
 *   react-native-launch-arguments 4.1.1 (ios/LaunchArguments.m isFlag:, substringToIndex:2) raises
 *   NSRangeException, a crash at startup, on a one-character word that lands where it expects a key.
 */
import { spawnSync } from 'node:child_process';
import { readAppConfig } from '../../fixtures/sample-app/src/config/app-config';
import { APP_FAULT_NAMES, launchArgsFor, type AppFaultName } from '../../harness/detox';

const { prepareInstrumentationArgs } =
  require('detox/src/devices/common/drivers/android/tools/instrumentationArgs') as {
    prepareInstrumentationArgs(args: Record<string, unknown>): { args: string[] };
  };
const AppleSimUtils = require('detox/src/devices/common/drivers/ios/tools/AppleSimUtils') as new () => {
  _mergeLaunchArgs(args: Record<string, unknown>, languageAndLocale?: unknown): Array<[string, string]>;
};
const { quote } = require('detox/src/utils/shellQuote') as { quote(args: readonly string[]): string };

/** The words a POSIX shell reads from a command line (what the device's shell, or simctl's caller, gets). */
function shellWords(line: string): string[] {
  const result = spawnSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stdout.split('\0').slice(0, -1);
}

const RUNNER = 'com.tracehopsample.test/androidx.test.runner.AndroidJUnitRunner';

/**
 * What `am instrument` reads from its words (its options loop, then the runner component): the extras, base64-
 * decoded as Detox's Android side decodes every key not starting with "detox", or the error am stops with.
 */
function amInstrument(words: readonly string[]): Record<string, string> | { error: string } {
  const extras: Record<string, string> = {};
  let index = words.indexOf('instrument') + 1;
  while (index < words.length && (words[index] ?? '').startsWith('-')) {
    const option = words[index];
    if (option === '-e') {
      const key = words[index + 1] ?? '';
      const value = words[index + 2] ?? '';
      extras[key] = key.startsWith('detox') || key === 'debug' ? value : Buffer.from(value, 'base64').toString('utf8');
      index += 3;
    } else index += 1;
  }
  const component = words[index] ?? '';
  return component === RUNNER ? extras : { error: `Bad component name: ${component}` };
}

/** Detox's Android launch: prepareInstrumentationArgs, then `adb shell am instrument -w -r ... <runner>`. */
function throughAndroid(launchArgs: Record<string, string>): Record<string, string> | { error: string } {
  const { args } = prepareInstrumentationArgs(launchArgs);
  const debug = prepareInstrumentationArgs({ debug: false }).args;
  // adb shell: one command line, the words joined by spaces.
  const line = ['am', 'instrument', '-w', '-r', ...args, ...debug, RUNNER].join(' ');
  const read = amInstrument(shellWords(line));
  if ('error' in read) return read;
  const { debug: _debug, ...extras } = read;
  return extras;
}

/** Detox's iOS launch: the process arguments the app gets, after `-key value` pairs are quoted and read by a shell. */
function iosWords(launchArgs: Record<string, string>): string[] {
  return shellWords(quote(new AppleSimUtils()._mergeLaunchArgs(launchArgs).flat()));
}

/** Those arguments as `-key value` pairs, which is how they are meant to be read. */
function throughIos(launchArgs: Record<string, string>): Record<string, string> {
  const words = iosWords(launchArgs);
  const read: Record<string, string> = {};
  for (let index = 0; index < words.length; index += 2) read[(words[index] ?? '').slice(1)] = words[index + 1] ?? '';
  return read;
}

const BACKEND = {
  urls: {
    services: {
      'api-gateway': 'http://127.0.0.1:40123',
      'payment-api': 'http://127.0.0.1:40124',
      analytics: 'http://127.0.0.1:40125',
    },
    otlp: 'http://127.0.0.1:40200/v1/traces',
  },
};

const CASES: Array<[string, readonly AppFaultName[]]> = [
  ['no app fault', []],
  ...APP_FAULT_NAMES.map((name): [string, readonly AppFaultName[]] => [name, [name]]),
  ['every app fault', APP_FAULT_NAMES],
];

describe("launchArgsFor through Detox's launch encodings", () => {
  it.each(CASES)('%s: every value arrives as sent on Android and iOS, and the app reads it', (_name, appFaults) => {
    const args = { ...launchArgsFor(BACKEND, { appFaults }) };
    expect(Object.values(args).filter((value) => value === '')).toEqual([]);
    expect(throughAndroid(args)).toEqual(args);
    expect(throughIos(args)).toEqual(args);
    const config = readAppConfig(args);
    expect(config).toEqual({
      ok: true,
      value: {
        backendUrl: 'http://127.0.0.1:40123',
        otlpUrl: 'http://127.0.0.1:40200/v1/traces',
        analyticsUrl: 'http://127.0.0.1:40125',
        ...(appFaults.length === 0 ? {} : { appFaults }),
      },
    });
  });

  it("an empty value is lost on both platforms, which is why launchArgsFor sends none (the app's reader would take it)", () => {
    const args = { tracehopAppFaults: '', ...launchArgsFor(BACKEND) };
    // Android: am takes "-e" as the empty key's value and the next key as the runner: the launch fails.
    expect(throughAndroid(args)).toEqual({ error: 'Bad component name: tracehopBackendUrl' });
    // iOS: the empty word is gone, so every later value sits where a key should be.
    expect(iosWords(args)).toEqual([
      '-tracehopAppFaults',
      '-tracehopBackendUrl',
      'http://127.0.0.1:40123',
      '-tracehopOtlpUrl',
      'http://127.0.0.1:40200/v1/traces',
      '-tracehopAnalyticsUrl',
      'http://127.0.0.1:40125',
    ]);
    // Had it arrived, the app would read it as no value.
    expect(readAppConfig(args)).toEqual(readAppConfig({ ...launchArgsFor(BACKEND) }));
  });
});
