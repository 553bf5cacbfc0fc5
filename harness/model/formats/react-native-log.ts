/**
 * Spans a React Native app logged with console.log (an exporter of its own, or console.log of
 * ConsoleSpanExporter's object), read from the device's log: Android logcat's ReactNativeJS lines or the iOS
 * unified log's com.facebook.react.log:javascript lines (mobile-app-log.ts says where each form comes from, and
 * why ConsoleSpanExporter's own console.dir never gets there). React Native's console prints an object in a
 * layout of its own (first key on the opening line, nested objects on the next line, the closing brace after
 * the last value), which inspect-text.ts reads as it reads util.inspect's. Each message's lines are found by
 * their prefix (logcat writes one on every line; the iOS log on the first only), a print runs from a line
 * opening with "{" to the first line ending in neither "," nor ":" (React Native ends every other line of an
 * object so), and one holding no span (no traceId, id and the keys every span has) is other output.
 *
 * A print React Native cut after 200 values ("[TOO BIG formatValueCalls ...]") has lost the keys after the cut:
 * it is refused, never read in part.
 */
import { failure, format as withPrefix } from '../../internal/messages';
import type { OtlpDecodeResult } from '../otlp-json';
import type { Span } from '../span';
import { readInspectText } from './inspect-text';
import { decodeJsConsoleValue, hasJsSpanKeys, type CutCount } from './js-console';
import { logcatForm } from './mobile-app-log';

export type ReactNativeLogForm = 'logcat-threadtime' | 'logcat-time' | 'logcat-brief' | 'ios-log-stream';

/** Names for messages. */
export const REACT_NATIVE_LOG_NAMES: Readonly<Record<ReactNativeLogForm, string>> = {
  'logcat-threadtime': 'Android logcat output (adb logcat, threadtime)',
  'logcat-time': 'Android logcat output (adb logcat -v time)',
  'logcat-brief': 'Android logcat output (adb logcat -v brief)',
  'ios-log-stream': 'the iOS unified log (log stream)',
};

/** What to do instead of logging spans, as a hint goes on after "or better, ". */
const OTLP_WAY =
  "export the app's spans with OTLPTraceExporter (@opentelemetry/exporter-trace-otlp-http) to the otlp URL tracehop serve prints (an Android device or emulator reaches it after adb reverse tcp:PORT tcp:PORT), then check what its spans URL answers.";

/** What to do instead of logging spans. */
const OTLP_HINT = OTLP_WAY.charAt(0).toUpperCase() + OTLP_WAY.slice(1);

/** What React Native writes in place of every value after the 200th of one console.log call. */
const TOO_BIG = '[TOO BIG formatValueCalls ';
const IOS_JS = '[com.facebook.react.log:javascript] ';
/** A line of log stream (its default style) opens with the time: "2026-12-06 01:02:03.456789+0000 ". */
const IOS_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+[+-]\d{4} /;
/** A logcat line of each form: its tag and process (and thread) as the source, then the message. */
const LOGCAT_LINE: Readonly<Record<'threadtime' | 'time' | 'brief', RegExp>> = {
  threadtime: /^(?:\d{4}-)?\d\d-\d\d \d\d:\d\d:\d\d\.\d{3,6} +(\d+) +(\d+) [VDIWEFS] (\S*) *: (.*)$/,
  time: /^(?:\d{4}-)?\d\d-\d\d \d\d:\d\d:\d\d\.\d{3,6} [VDIWEFS]\/(\S*) *\( *(\d+)\): (.*)$/,
  brief: /^[VDIWEFS]\/(\S*) *\( *(\d+)\): (.*)$/,
};

/** The React Native log `head` (a file's first bytes) is, or undefined: a logcat form, or the iOS log. */
export function detectReactNativeLog(head: string): ReactNativeLogForm | undefined {
  if (head.includes(IOS_JS) && IOS_LINE.test(head.slice(head.lastIndexOf('\n', head.indexOf(IOS_JS)) + 1)))
    return 'ios-log-stream';
  if (!head.includes('ReactNativeJS')) return undefined;
  const form = logcatForm(head);
  return form === undefined ? undefined : (`logcat-${form}` as ReactNativeLogForm);
}

/** One line of the app's JS console: the process it came from and its text, or undefined for another's line. */
interface JsLine {
  readonly source: string;
  readonly text: string;
}

/** The JS console's part of logcat line `line`, or undefined (another tag, not a logcat line). */
function logcatLine(line: string, form: 'threadtime' | 'time' | 'brief'): JsLine | undefined {
  const match = LOGCAT_LINE[form].exec(line);
  if (match === null) return undefined;
  if (form === 'threadtime')
    return match[3] === 'ReactNativeJS' ? { source: `${match[1]}/${match[2]}`, text: match[4] ?? '' } : undefined;
  return match[1] === 'ReactNativeJS' ? { source: match[2] ?? '', text: match[3] ?? '' } : undefined;
}

/** Whether a line of React Native's print of an object is its last: it ends in neither "," nor ":". */
function endsPrint(text: string): boolean {
  const end = text.trimEnd();
  return !end.endsWith(',') && !end.endsWith(':');
}

/** A print being read: its lines and the file line it opened on. */
interface OpenPrint {
  readonly lines: string[];
  readonly startLine: number;
}

type Failed = Extract<OtlpDecodeResult, { ok: false }>;

export type ReactNativeLogResult = { ok: true; spans: Span[]; notes: string[] } | Failed;

/** The spans of the React Native log `text` (of file `file`, in form `form`). Never throws. */
export function readReactNativeLog(text: string, file: string, form: ReactNativeLogForm): ReactNativeLogResult {
  const name = REACT_NATIVE_LOG_NAMES[form];
  const fail = (line: number, cause: string, hint: string): Failed => ({
    ok: false,
    reason: 'invalid-document',
    file,
    line,
    message: failure(`read spans from "${file}"`, cause, hint),
  });
  const spans: Span[] = [];
  const count: CutCount = { cutValues: 0, withoutResource: 0 };
  const open = new Map<string, OpenPrint>();
  let jsLines = 0;
  let other = 0;
  /** The iOS message being continued by lines without a prefix, or undefined after another's line. */
  let iosMessage = false;
  const lines = text.split('\n');
  const close = (print: OpenPrint): Failed | undefined => {
    const body = print.lines.join('\n');
    const cut = body.indexOf(TOO_BIG);
    if (cut !== -1 && body.includes('traceId: ')) {
      const at = print.startLine + (body.slice(0, cut).match(/\n/g)?.length ?? 0);
      return fail(
        at,
        `the span printed from line ${print.startLine} was cut by React Native's console on line ${at}: it prints no more than 200 values of one console.log call ("[TOO BIG formatValueCalls ...]" in place of the rest), so every value after that is lost`,
        `Log fewer values with each span (leave its events and extra resource attributes out), or better, ${OTLP_WAY}`,
      );
    }
    const read = readInspectText(body);
    if (!read.ok && body.includes('traceId: ')) {
      const at = print.startLine + (body.slice(0, read.offset).match(/\n/g)?.length ?? 0);
      return fail(at, `line ${at} (in the object printed from line ${print.startLine}) ${read.problem}`, OTLP_HINT);
    }
    if (!read.ok || !hasJsSpanKeys(read.value)) {
      other += print.lines.length;
      return undefined;
    }
    const decoded = decodeJsConsoleValue(read.value, { file, line: print.startLine }, count);
    if (!decoded.ok) return decoded;
    for (const span of decoded.spans) spans.push(span);
    return undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let js: JsLine | undefined;
    if (form === 'ios-log-stream') {
      if (IOS_LINE.test(line)) {
        const at = line.indexOf(IOS_JS);
        iosMessage = at !== -1;
        js = iosMessage ? { source: '', text: line.slice(at + IOS_JS.length) } : undefined;
      } else if (iosMessage) js = { source: '', text: line };
    } else js = logcatLine(line, form.slice('logcat-'.length) as 'threadtime' | 'time' | 'brief');
    if (js === undefined) continue;
    jsLines++;
    const print = open.get(js.source);
    if (print === undefined && js.text.trim() === '') continue;
    if (print === undefined) {
      if (!js.text.startsWith('{')) {
        other++;
        continue;
      }
      const started: OpenPrint = { lines: [js.text], startLine: i + 1 };
      if (!endsPrint(js.text)) {
        open.set(js.source, started);
        continue;
      }
      const failed = close(started);
      if (failed !== undefined) return failed;
      continue;
    }
    print.lines.push(js.text);
    if (!endsPrint(js.text)) continue;
    open.delete(js.source);
    const failed = close(print);
    if (failed !== undefined) return failed;
  }
  let first = Infinity;
  for (const print of open.values()) first = Math.min(first, print.startLine);
  if (first !== Infinity)
    return fail(
      first,
      `the object printed from line ${first} never ends: the log is cut short`,
      'Save the log again once the app has logged the whole span, or delete the unfinished print to check the rest.',
    );
  if (spans.length === 0)
    return fail(
      1,
      `the file is ${name}${jsLines === 0 ? ', with no line of a React Native app' : ''}, and no span is in it: ConsoleSpanExporter's console.dir never reaches this log (React Native sends console.dir to the debugger only), so only spans the app logs itself with console.log are`,
      OTLP_HINT,
    );
  const notes = [
    withPrefix(
      `Note: "${file}" is ${name}: ${spans.length === 1 ? 'the span' : `the ${spans.length} spans`} a React Native app logged with console.log ${spans.length === 1 ? 'was' : 'were'} read from its JS console's lines${other > 0 ? `, and ${other} other ${other === 1 ? 'line' : 'lines'} of it skipped` : ''}; other apps' and tags' lines were left out.`,
    ),
  ];
  if (count.withoutResource > 0)
    notes.push(
      withPrefix(
        `Note: "${file}" holds ${count.withoutResource === 1 ? 'a span' : `${count.withoutResource} spans`} logged with no resource, so ${count.withoutResource === 1 ? 'it names' : 'they name'} no service (read as unknown_service); log the resource's attributes with each span.`,
      ),
    );
  return { ok: true, spans, notes };
}
