/**
 * The logs a React Native app's JS console writes to, named by foreign-output.ts when no span was read from
 * them (react-native-log.ts reads logcat's and the iOS log's), with what to do instead (what follows was read in react-native 0.86's and
 * Metro's sources and AOSP logcat's logprint.cpp):
 *
 * - ConsoleSpanExporter prints with console.dir, which React Native's console polyfill
 *   (@react-native/js-polyfills/console.js) never sends to the native log: it passes console.dir to the
 *   debugger's console only (React Native DevTools), and Libraries/Core/setUpDeveloperTools.js sends Metro
 *   console.log, info, warn, error, debug, trace and group, not dir. So a span reaches these logs only when the
 *   app logs it itself (console.log of the span, or an exporter of its own).
 * - Such a print is not util.inspect's: the polyfill's inspect puts an object's first key on its opening line,
 *   a nested object on the next line indented three spaces, its closing brace after its last value, no class
 *   names (a TraceState's or a Map's fields instead), and it stops after 200 values with
 *   `[TOO BIG formatValueCalls 201 exceeded limit of 200]`, so a span with many attributes loses what follows.
 * - Android logcat (`adb logcat`, which `npx react-native log-android` runs) writes each line of a message with
 *   its own prefix, tag `ReactNativeJS` (ReactAndroid's JSLogging.cpp), between other tags' lines: threadtime
 *   (the default: `MM-DD HH:MM:SS.mmm   PID   TID L TAG     : `), time (`MM-DD HH:MM:SS.mmm L/TAG     (  PID): `)
 *   and brief (`L/TAG     (  PID): `).
 * - iOS: RCTLog.mm writes JS's lines with os_log, subsystem com.facebook.react.log, category javascript, which
 *   `log stream` shows as `[com.facebook.react.log:javascript]` before the message's first line.
 * - Metro's terminal (`npx react-native start --client-logs`, off by default since it is deprecated): metro's
 *   logToConsole.js writes ` LOG `, ` INFO `, ... and a space before what HMRClient.js sent, pretty-format's text
 *   of the object with maxDepth 3 (deeper objects become `[Object]`), keys sorted, on one line.
 */
import type { ForeignOutput } from './foreign-output';

/** What to do instead, for every such log. */
const HINT =
  "Export the app's spans with OTLPTraceExporter (@opentelemetry/exporter-trace-otlp-http) to the otlp URL tracehop serve prints (an Android device or emulator reaches it after adb reverse tcp:PORT tcp:PORT), then check what its spans URL answers (curl -f -o spans.json URL).";

/** Why ConsoleSpanExporter's spans are not in them. */
const NO_DIR =
  "ConsoleSpanExporter's console.dir never reaches it (React Native sends console.dir to the debugger only)";

/** What is read from a device's log (react-native-log.ts). */
const READ =
  'tracehop reads the spans an app logs itself with console.log from an uncompressed logcat (threadtime, time or brief) or iOS log stream file';

/** logcat's forms (logprint.cpp), each a line's prefix; -v year puts the year before the date. */
const LOGCAT_FORMS: readonly (readonly [string, RegExp])[] = [
  ['threadtime', /^(?:\d{4}-)?\d\d-\d\d \d\d:\d\d:\d\d\.\d{3,6} +\d+ +\d+ [VDIWEFS] [^\n:]*: /],
  ['time', /^(?:\d{4}-)?\d\d-\d\d \d\d:\d\d:\d\d\.\d{3,6} [VDIWEFS]\/[^\n(]*\( *\d+\): /],
  ['brief', /^[VDIWEFS]\/[^\n(]*\( *\d+\): /],
];

/** The logcat form at least two of `head`'s lines are in, or undefined. */
export function logcatForm(head: string): string | undefined {
  const lines = head.split('\n');
  return LOGCAT_FORMS.find(([, pattern]) => lines.filter((line) => pattern.test(line)).length >= 2)?.[0];
}

/** A line of Metro's terminal reporting an app's console call, colour and all (logToConsole.js). */
// eslint-disable-next-line no-control-regex -- the escape byte is what this matches
const METRO_LINE = /^(?:\u001b\[[0-9;]*m)* (?:LOG|INFO|WARN|ERROR|DEBUG|GROUP) (?:\u001b\[[0-9;]*m)* /m;

export const MOBILE_APP_LOGS: readonly ForeignOutput[] = [
  {
    opens: (head) => logcatForm(head) !== undefined,
    cause: (head) =>
      `the file is Android logcat output (adb logcat -v ${logcatForm(head) ?? 'threadtime'}), and no span a React Native app logged (tag ReactNativeJS) was found in it: ${NO_DIR}; ${READ}`,
    hint: HINT,
    furtherWords: ['ReactNativeJS'],
  },
  {
    opens: (head) => head.includes('[com.facebook.react.log:javascript]'),
    cause: `the file is a React Native app's iOS log, and no span was found in it: ${NO_DIR}; ${READ}`,
    hint: HINT,
    furtherWords: ['com.facebook.react.log'],
  },
  {
    opens: (head) => METRO_LINE.test(head),
    cause:
      "the file is Metro's terminal output (react-native start --client-logs) of a React Native app's JS console, not a trace export: ConsoleSpanExporter's console.dir never reaches Metro, and a span the app logs with console.log comes as pretty-format's text, which cuts objects nested deeper than 3 to [Object]",
    hint: HINT,
    furtherWords: [' LOG ', ' INFO '],
  },
];
