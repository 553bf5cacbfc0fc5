/**
 * Files that hold spans but are no trace export: SDKs' debugging prints and local storage that tracehop does
 * not read, because they leave out what a check needs (parent ids, the service) or are not JSON at all; and
 * files that hold no spans but an HTTP error's body (an HTML page, a line of text) saved instead of them. A
 * file that fails to read as a dump and opens like one of these gets a message naming the exporter that
 * wrote it and the one to use. (The prints of OpenTelemetry Go's stdouttrace and Python's and JS's
 * ConsoleSpanExporter carry all a check needs: they are read, by go-stdouttrace.ts, python-console.ts and
 * js-console.ts.)
 */
import { failure } from '../../internal/messages';
import type { DecodeReason } from '../decode-reason';
import type { OtlpDecodeResult } from '../otlp-json';
import { MOBILE_APP_LOGS } from './mobile-app-log';

type DecodeFailed = Extract<OtlpDecodeResult, { ok: false }>;

export interface ForeignOutput {
  /** Whether the file's first 4 KB (read as Latin-1) look like this output. */
  readonly opens: (head: string) => boolean;
  /** The cause, fixed or made of the file's first bytes. */
  readonly cause: string | ((head: string) => string);
  readonly hint: string;
  /**
   * Named only when the file failed at its first line: its words can sit in a line of a dump too (a span's
   * tag, a log line among documents), and a dump whose earlier lines read is a dump with a bad line.
   */
  readonly firstLineOnly?: boolean;
  /**
   * Also looked for past the first 4 KB, in the lines of the file's first LOOK_FURTHER_BYTES that hold one of
   * these words (see furtherLines), when no output is found in the first 4 KB: output written into a log
   * after other lines (a Collector's start-up lines come before its debug exporter's).
   */
  readonly furtherWords?: readonly string[];
}

/** Bytes of a file's start the outputs with `furtherWords` are looked for in (the reader holds them anyway). */
export const LOOK_FURTHER_BYTES = 1 << 20;
/** Lines holding the words looked at, and the characters of each: enough for a log line's prefix and message. */
const FURTHER_LINES = 100;
const FURTHER_LINE_CHARS = 2048;

/** What to do about an error answer saved instead of traces. */
const FETCH_AGAIN =
  "Fetch the trace from the store's API again (Jaeger: /api/traces/<traceID>; Tempo: /api/v2/traces/<traceID>) with curl -f, which fails on an HTTP error instead of saving its body.";

/** What to do about one of tracehop report's own files passed to check. */
const OWN_REPORT = 'Check the dump the report was made from (the DUMP of tracehop report --spans DUMP) instead.';

/** The longest text, whole, read as an error answer's body (a message, not a file of some other output). */
const SHORT_TEXT = 200;

/** The text of `latin1`, the head's bytes read as Latin-1 (one char a byte), as UTF-8: as the file says it. */
function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** Whether `text` is one JSON document. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Where an OTLP exporter's spans become a dump tracehop reads. */
const OTLP_TARGET = 'to tracehop serve, or to a Collector whose file exporter writes the dump';

const FOREIGN_OUTPUTS: readonly ForeignOutput[] = [
  // A React Native app's logs (logcat, the iOS log, Metro's terminal): before the short-text check.
  ...MOBILE_APP_LOGS,
  {
    // Swift's JSONEncoder of [SpanData]: a trace id is an object of two integers ({"idHi": .., "idLo": ..}).
    opens: (head) => /^\s*\[\s*\{/.test(head) && /"traceId"\s*:\s*\{\s*"id(?:Hi|Lo)"/.test(head),
    cause:
      "the file is opentelemetry-swift's SpanData as JSONEncoder writes it (the storage of its PersistenceSpanExporterDecorator), not a trace export: its ids are {idHi, idLo} objects and its spans name no service",
    hint: `Export with opentelemetry-swift's OtlpHttpTraceExporter (${OTLP_TARGET}) or its ZipkinTraceExporter, and check what that writes.`,
  },
  {
    // io.opentelemetry.exporter.logging.LoggingSpanExporter: "'name' : <trace id> <span id> KIND [tracer: ...] ...".
    // A log that also holds logging-otlp's exports (both exporters on) gets that exporter's own hint instead.
    opens: (head) =>
      /'[^'\n]*' : [0-9a-f]{32} [0-9a-f]{16} (?:INTERNAL|SERVER|CLIENT|PRODUCER|CONSUMER) \[tracer: /.test(head) &&
      !/\{"resource"\s*:/.test(head),
    cause:
      "the file is OpenTelemetry Java's LoggingSpanExporter output (one line of text per span, without parent ids), not a trace export",
    hint: 'Use the logging-otlp exporter instead (otel.traces.exporter=logging-otlp) with java.util.logging.SimpleFormatter.format=%5$s%n for its logger, so that each export is a line of OTLP/JSON, or export over OTLP to tracehop serve or a Collector.',
  },
  {
    // The Collector's debug exporter (and the logging exporter before it) writes to the Collector's own log: a
    // "Traces" line of counts at every verbosity, then "ResourceSpans #0 ... Span #0" blocks (detailed) or
    // "ResourceTraces #0" and a line of name, trace id and span id per span (normal); in a JSON log, in "msg"
    // after "level" or "ts" (not a span's tag of that name).
    opens: (head) =>
      /^(?:[^\n]*\t)?Resource(?:Spans|Traces) #\d+/m.test(head) ||
      /"(?:level|ts)"\s*:[^\n]*"msg"\s*:\s*"Resource(?:Spans|Traces) #\d+/.test(head) ||
      /\t(?:Traces|TracesExporter)\t\{[^\n]*"(?:resource spans|#spans)"/.test(head),
    cause:
      "the file is the OpenTelemetry Collector's debug exporter output (text in the Collector's log, which leaves out parent ids at verbosity basic and normal), not a trace export",
    hint: 'Add the file exporter to the traces pipeline beside debug (exporters: [debug, file], with file: {path: ./traces.jsonl}) and check the file it writes.',
    firstLineOnly: true,
    // The Collector logs its start-up first (tens of lines, often past 4 KB), and the exporter's words only
    // once traces arrive.
    furtherWords: ['Resource', '\tTraces'],
  },
  {
    // tracehop report's own report.html (its title is render-html.ts's), passed to check in place of the dump.
    opens: (head) => /^\s*<!doctype html[\s>]/i.test(head) && head.includes('<title>tracehop trace coverage</title>'),
    cause: "the file is tracehop's own HTML report (the report.html tracehop report writes), not traces",
    hint: OWN_REPORT,
  },
  {
    // tracehop report's coverage.md (render-markdown.ts's heading opens it).
    opens: (head) => /^\s*## tracehop trace coverage\r?\n/.test(head),
    cause: "the file is tracehop's own Markdown report (the coverage.md tracehop report writes), not traces",
    hint: OWN_REPORT,
  },
  {
    // tracehop report's junit.xml (render-junit.ts's testsuites element, named as the report is).
    opens: (head) => /^\s*(?:<\?xml[^>]*\?>\s*)?<testsuites name="tracehop trace coverage"/.test(head),
    cause: "the file is tracehop's own JUnit report (the junit.xml tracehop report writes), not traces",
    hint: OWN_REPORT,
  },
  {
    // tracehop report's coverage.json: a report's record, which tracehop report --merge reads.
    opens: (head) => /^\s*\{/.test(head) && /"coveredJourneys"\s*:/.test(head) && /"thresholds"\s*:/.test(head),
    cause:
      "the file is tracehop's own coverage record (the coverage.json tracehop report writes, which tracehop report --merge reads), not traces",
    hint: OWN_REPORT,
  },
  {
    // An HTTP error page (a proxy's 502, a login page) saved by curl without -f.
    opens: (head) => /^\s*<(?:!doctype html|html)[\s>]/i.test(head),
    cause: (head) => {
      const title = /<title>([^<]{1,300})<\/title>/i.exec(head)?.[1]?.trim();
      return `the file is an HTML page${title ? ` (${JSON.stringify(utf8(title))})` : ''}, not traces: an error page of a proxy or the trace store, or its UI, saved instead of an API answer`;
    },
    hint: FETCH_AGAIN,
  },
  {
    // A short line of text: the body of an error answer ("trace not found", "404 page not found"), saved. Not
    // one JSON value ("a string", 42, null): that is JSON, and the reader's own message says what it is not.
    opens: (head) => {
      const text = head.trim();
      return (
        text.length > 0 &&
        text.length <= SHORT_TEXT &&
        !/[\n{[]/.test(text) &&
        ![...text].some((char) => char < '\t') &&
        !isJson(text)
      );
    },
    cause: (head) =>
      `the file is the text ${JSON.stringify(utf8(head.trim()))}, not traces; a file of one short line of text is most often a trace store's or a proxy's error answer, saved instead of traces`,
    hint: FETCH_AGAIN,
  },
];

/** The failures such a file meets when read as a dump; a read or size failure is said as it is. */
const REPLACED: ReadonlySet<DecodeReason> = new Set<DecodeReason>(['not-json', 'invalid-document', 'unknown-format']);

/**
 * The lines of `text` that hold one of `words`, each cut to FURTHER_LINE_CHARS, the first FURTHER_LINES of
 * them, joined by newlines: a bounded text to match, however long the file's lines and whatever they hold.
 */
function furtherLines(text: string, words: readonly string[]): string {
  const found: string[] = [];
  for (let start = 0; start < text.length && found.length < FURTHER_LINES;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, Math.min(end, start + FURTHER_LINE_CHARS));
    if (words.some((word) => line.includes(word))) found.push(line);
    start = end + 1;
  }
  return found.join('\n');
}

/**
 * The failure `result` as it is, unless the file is SDK output that is no trace export (its first bytes `head`
 * tell which, or for some outputs the lines of its first LOOK_FURTHER_BYTES that `opening` gives) and failed as
 * such a file does: then a failure naming that output and the exporter to use instead.
 */
export function foreignOutputFailure(
  head: string,
  file: string,
  result: DecodeFailed,
  opening?: () => string,
): DecodeFailed {
  if (!REPLACED.has(result.reason)) return result;
  const firstLine = head.split('\n').findIndex((line) => line.trim() !== '') + 1;
  const named = (candidate: ForeignOutput): boolean =>
    !(candidate.firstLineOnly && result.line !== undefined && result.line > firstLine);
  let output = FOREIGN_OUTPUTS.find((candidate) => candidate.opens(head) && named(candidate));
  if (output === undefined && opening !== undefined) {
    const text = opening();
    output = FOREIGN_OUTPUTS.find(
      (candidate) =>
        candidate.furtherWords !== undefined &&
        named(candidate) &&
        candidate.opens(furtherLines(text, candidate.furtherWords)),
    );
  }
  if (output === undefined) return result;
  return {
    ok: false,
    reason: 'wrong-format',
    file,
    message: failure(
      `read spans from "${file}"`,
      typeof output.cause === 'string' ? output.cause : output.cause(head),
      output.hint,
    ),
  };
}
