import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempFiles } from './support';

/**
 * A React Native app's device log passed to check: the spans the app logged with console.log, read from
 * logcat's ReactNativeJS lines or the iOS log's JavaScript lines (fixtures/dumps/mobile-logs/, made by its
 * make.ts with React Native's own console polyfill), or a refusal naming the log and what to do.
 */
const DIR = 'fixtures/dumps/mobile-logs';
const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const NO_EXPECT =
  '[tracehop] Note: no --expect or --journeys was given, so each trace was judged on its own: a hop that started a new trace (traceparent lost) or a service that never ran is not found that way. Pass --expect svc1,svc2,... or --journeys FILE to judge each run along its chain.\n';
const OTLP =
  "export the app's spans with OTLPTraceExporter (@opentelemetry/exporter-trace-otlp-http) to the otlp URL tracehop serve prints (an Android device or emulator reaches it after adb reverse tcp:PORT tcp:PORT), then check what its spans URL answers.";
const HINT =
  "Export the app's spans with OTLPTraceExporter (@opentelemetry/exporter-trace-otlp-http) to the otlp URL tracehop serve prints (an Android device or emulator reaches it after adb reverse tcp:PORT tcp:PORT), then check what its spans URL answers (curl -f -o spans.json URL).";
const NO_DIR =
  "ConsoleSpanExporter's console.dir never reaches it (React Native sends console.dir to the debugger only); tracehop reads the spans an app logs itself with console.log from an uncompressed logcat (threadtime, time or brief) or iOS log stream file";

async function check(name: string, body: string): Promise<[number, string, string]> {
  const dir = tempFiles({});
  writeFileSync(join(dir, name), body);
  const result = await runCli(['check', name], dir);
  return [result.code, result.stdout, result.stderr];
}

const read = (name: string, form: string, other = ''): string =>
  `[tracehop] Note: "${name}" is ${form}: the 2 spans a React Native app logged with console.log were read from its JS console's lines${other}; other apps' and tags' lines were left out.\n`;

describe("tracehop check on a React Native app's device log", () => {
  it.each([
    ['checkout.logcat-threadtime.txt', 'Android logcat output (adb logcat, threadtime)'],
    ['checkout.logcat-brief.txt', 'Android logcat output (adb logcat -v brief)'],
    ['checkout.ios-log-stream.txt', 'the iOS unified log (log stream)'],
  ])('reads the spans the app logged from %s', async (name, form) => {
    expect(await check(name, fixture(name))).toEqual([
      0,
      '[tracehop] OK: 1 trace, 2 spans, no problems.\n',
      read(name, form) + NO_EXPECT,
    ]);
  });

  it('reads logcat -v time, and counts the app lines that hold no span', async () => {
    // -v time: "MM-DD HH:MM:SS.mmm L/TAG(PID): " (logprint.cpp), from the threadtime lines' own parts.
    const body = fixture('checkout.logcat-threadtime.txt')
      .replace(
        /^(\d\d-\d\d \S+) +(\d+) +\d+ ([A-Z]) (\S+) *: /gm,
        (_all, time: string, pid: string, level: string, tag: string) =>
          `${time} ${level}/${tag.padEnd(8)}(${pid.padStart(5)}): `,
      )
      .concat('12-06 01:02:04.100 I/ReactNativeJS( 4321): Running "CheckoutApp" with {"rootTag":1}\n');
    expect(await check('app.log', body)).toEqual([
      0,
      '[tracehop] OK: 1 trace, 2 spans, no problems.\n',
      read('app.log', 'Android logcat output (adb logcat -v time)', ', and 1 other line of it skipped') + NO_EXPECT,
    ]);
  });

  it('reads it under --format js-console too', async () => {
    const name = 'checkout.logcat-brief.txt';
    const dir = tempFiles({ [name]: fixture(name) });
    const result = await runCli(['check', '--format', 'js-console', name], dir);
    expect([result.code, result.stdout, result.stderr]).toEqual([
      0,
      '[tracehop] OK: 1 trace, 2 spans, no problems.\n',
      read(name, 'Android logcat output (adb logcat -v brief)') + NO_EXPECT,
    ]);
  });

  it('finds the span whose parent the app never logged (orphan-span)', async () => {
    const body = fixture('checkout.logcat-threadtime.txt').replace(
      "spanId: 'eee19b7ec3c1b174'",
      "spanId: '1111111111111111'",
    );
    expect(await check('app.log', body)).toEqual([
      1,
      '1 problem: orphan-span 1\n\ntrace 5b8efff7 (2 spans)\n├─ checkout-app "POST" CLIENT eee19b7e\n└─ ✗ checkout-app "render receipt" INTERNAL 53995c3f (parent 11111111 not in trace)  orphan-span\n\n' +
        '✗ orphan-span: trace 5b8efff798038103d269b633813fc60c, span 53995c3f42cd8ad8, service checkout-app: checkout-app "render receipt" (53995c3f) names parent span 11111111, which was never exported in trace 5b8efff7: the caller\'s span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent\n' +
        '[tracehop] Failed to verify traces: 1 problem in 1 trace, 2 spans. Each problem above names the hop that lost the trace context.\n',
      read('app.log', 'Android logcat output (adb logcat, threadtime)'),
    ]);
  });

  it("refuses a span React Native's console cut after 200 values, naming the line", async () => {
    const name = 'checkout-too-big.logcat-threadtime.txt';
    expect(await check(name, fixture(name))).toEqual([
      2,
      '',
      `[tracehop] Failed to read spans from "${name}": the span printed from line 48 was cut by React Native's console on line 161: it prints no more than 200 values of one console.log call ("[TOO BIG formatValueCalls ...]" in place of the rest), so every value after that is lost. Log fewer values with each span (leave its events and extra resource attributes out), or better, ${OTLP}\n`,
    ]);
  });

  it('refuses a log cut short in a span', async () => {
    const body = fixture('checkout.logcat-threadtime.txt').replace(/\n[^\n]*\n$/, '\n');
    expect(await check('app.log', body)).toEqual([
      2,
      '',
      '[tracehop] Failed to read spans from "app.log": the object printed from line 29 never ends: the log is cut short. Save the log again once the app has logged the whole span, or delete the unfinished print to check the rest.\n',
    ]);
  });

  it('refuses a span print it cannot read', async () => {
    const body = fixture('checkout.logcat-threadtime.txt').replace('kind: 0,', 'kind: #,');
    expect(await check('app.log', body)).toEqual([
      2,
      '',
      `[tracehop] Failed to read spans from "app.log": line 41 (in the object printed from line 29) has "#" where a value should be. ${OTLP.charAt(0).toUpperCase()}${OTLP.slice(1)}\n`,
    ]);
  });

  it('names a logcat without the app, and an app log without spans', async () => {
    const other =
      '12-06 01:02:03.456  1630  1702 I ActivityManager: Displayed com.example.checkout/.MainActivity: +612ms\n';
    expect(await check('app.log', other + other)).toEqual([
      2,
      '',
      `[tracehop] Failed to read spans from "app.log": the file is Android logcat output (adb logcat -v threadtime), and no span a React Native app logged (tag ReactNativeJS) was found in it: ${NO_DIR}. ${HINT}\n`,
    ]);
    const app = '12-06 01:02:04.100  4321  4350 I ReactNativeJS: Running "CheckoutApp" with {"rootTag":1}\n';
    expect(await check('app.log', other + app + app)).toEqual([
      2,
      '',
      `[tracehop] Failed to read spans from "app.log": the file is Android logcat output (adb logcat, threadtime), and no span is in it: ConsoleSpanExporter's console.dir never reaches this log (React Native sends console.dir to the debugger only), so only spans the app logs itself with console.log are. ${OTLP.charAt(0).toUpperCase()}${OTLP.slice(1)}\n`,
    ]);
  });

  it("names Metro's terminal output", async () => {
    const name = 'checkout.metro.txt';
    expect(await check(name, fixture(name))).toEqual([
      2,
      '',
      `[tracehop] Failed to read spans from "${name}": the file is Metro's terminal output (react-native start --client-logs) of a React Native app's JS console, not a trace export: ConsoleSpanExporter's console.dir never reaches Metro, and a span the app logs with console.log comes as pretty-format's text, which cuts objects nested deeper than 3 to [Object]. ${HINT}\n`,
    ]);
  });
});
