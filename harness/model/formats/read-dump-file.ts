import { constants } from 'node:buffer';
import type { Readable } from 'node:stream';
import { failure, format as withPrefix } from '../../internal/messages';
import { decodeJsonDumpLine, decodeJsonDumpText, opensPrettyDocument, type OtlpDecodeResult } from '../otlp-json';
import type { Span } from '../span';
import { DUMP_FORMAT_NAMES, detectJsonFormat, sniffBytes, type DumpFormat } from './dump-format';
import { HINTS, JsonDumpSession, type IncompleteAnswer } from './json-dump-session';
import { OTLP_PROTO_HINT } from './format-hints';
import { jsConsoleFile, jsonPrintFile, otlpProtoFile, reactNativeLogFile } from './lazy-readers';
import { joinZipkinSpans } from './zipkin-shared';
import { untimedSpansNote } from './untimed-spans';
import { kindlessSpans, kindlessNote } from './kindless-spans';
import { servicelessSpansNote } from './serviceless-spans';
import { errorMessage } from '../../internal/result';
import {
  COMPRESSION_NAMES,
  compressionOf,
  isDecompressionError,
  openDumpStream,
  probeDump,
  type Compression,
} from './compressed-dump';
import { LineSplitter } from './line-splitter';
import {
  HEAP_LOOK_EVERY,
  documentHeap,
  documentHeapFailure,
  heapFailure,
  heapNearlyFull,
  tooLargeFailure,
} from './heap-guard';
import { archiveOf, archiveWords } from './archive';
import { splitHint } from './split-hint';
import { LOOK_FURTHER_BYTES, foreignOutputFailure } from './foreign-output';
import type { JsConsoleFile } from './js-console-file';
import { opensJsConsole } from './js-console-opening';
import type { JsonPrintFile } from './json-print-file';
import { LOG_PREFIX_NAMES, cutLogPrefix, detectLogPrefix, withoutLogPrefix, type LogPrefix } from './log-prefix';
import { cutOff, runsOutOfText } from '../../internal/json-error-offset';
import { readDumpParallel, type ParallelReadOptions } from './read-dump-parallel';
import type { DecodeFailure } from '../decode-reason';

const HINT =
  "Check the path; tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON and Zipkin JSON dumps and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print.";

/**
 * Bytes of a text file that does not open as JSON looked at for a span print: its first span may follow a
 * service's start-up log, and a collected log's lines carry a prefix (log-prefix.ts). Files that open as JSON
 * or are binary are decided on their first chunk, as before.
 */
export const PRINT_SNIFF_BYTES = 1 << 20;

/**
 * Bytes held of a text whose first line neither is JSON nor opens a JSON document (a log, a text file): its
 * message comes from its first lines (a syntax error, a log prefix before an export, a comment), so the rest of
 * a 1 GB log is not read, let alone held, to refuse it.
 */
export const NOT_JSON_HELD_BYTES = 4 << 20;

/** Formats a print in a log may be read as. */
const PRINT_FORMATS: ReadonlySet<DumpFormat | undefined> = new Set([
  undefined,
  'js-console',
  'go-stdouttrace',
  'python-console',
]);

/**
 * Whether the first byte of `chunk` that is not whitespace opens a JSON document: a `{`, or a `[` that is not
 * kubectl's `[pod/` prefix.
 */
function opensJson(chunk: Buffer): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const byte = chunk[i];
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x7b || (byte === 0x5b && chunk.toString('latin1', i, i + 5) !== '[pod/');
  }
  return false;
}

/**
 * Whether the binary-looking `chunk` is text coloured for a terminal: no control bytes in its first 4 KB
 * but tab, CR, LF and the escape byte SGR colours start with (docker compose colours its prefixes).
 */
function colouredText(chunk: Buffer): boolean {
  const end = Math.min(chunk.length, 4096);
  let escapes = false;
  for (let i = 0; i < end; i++) {
    const byte = chunk[i] ?? 0;
    if (byte === 0x1b) escapes = true;
    else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return escapes;
}

/** Whether `format` is a Go or Python print, whose JSON Lines a service's own log lines may interrupt. */
function isJsonPrint(format: DumpFormat | undefined): boolean {
  return format === 'go-stdouttrace' || format === 'python-console';
}

/**
 * Whether a line that failed to read as a JSON Lines document is a service's own log line: text that opens no
 * JSON (`2026/01/01 paid`, `INFO:root:...`), or a JSON object of no format tracehop reads (a structured log).
 * A line that opens as JSON but does not parse (a span cut short) or holds NUL bytes is not: it keeps its error.
 */
function logLineKind(line: string): 'text' | 'json' | undefined {
  if (line.includes('\u0000')) return undefined;
  const text = line.trimStart();
  if (!text.startsWith('{') && !text.startsWith('[')) return 'text';
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && detectJsonFormat(value) === undefined ? 'json' : undefined;
  } catch {
    return undefined;
  }
}

/** Options of one read: the format (detected by content when absent) and limits for tests. */
export interface ReadLimits {
  /** Bytes one line (or a whole single document) may have; default: the longest string V8 can build. */
  readonly maxTextBytes?: number;
  /** Read the file as this format instead of detecting it. */
  readonly format?: DumpFormat;
  /**
   * Large JSON Lines files are read by worker threads (read-dump-parallel.ts); false reads on the main
   * thread whatever the size.
   */
  readonly parallel?: ParallelReadOptions | false;
}

/**
 * A file's spans, the format they were read as, and notes for stderr (e.g. ids decoded from base64, whose
 * count `base64Ids` also gives, for a reader of several files to note them once: json-dump-session.ts's
 * base64IdsNote).
 */
export type DumpReadResult =
  | {
      ok: true;
      spans: Span[];
      format: DumpFormat | undefined;
      notes: string[];
      base64Ids?: number;
      /** Documents of other OTLP signals skipped, noted (otherSignalsNote) and counted here for the same reason. */
      otherSignals?: number;
      /** Spans of a Jaeger file none of which says its kind, noted (kindlessNote) and counted here for the same reason. */
      kindlessSpans?: number;
      /** Trace store answers that left traces or spans out, noted (incompleteAnswersNote) and listed here too. */
      incomplete?: readonly IncompleteAnswer[];
    }
  | DecodeFailure;

function readError(file: string, error: unknown): Extract<OtlpDecodeResult, { ok: false }> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause =
    code === 'ENOENT'
      ? 'the file does not exist'
      : code === 'EISDIR'
        ? 'it is a directory, not a file'
        : code === 'EACCES'
          ? 'permission denied'
          : `it cannot be read (${errorMessage(error)})`;
  const reason = code === 'ENOENT' ? 'not-found' : 'unreadable';
  // A directory of answers saved one a file (Tempo's or Jaeger's, one per trace) is read by naming its files.
  const hint =
    code === 'EISDIR'
      ? `Name the dumps in it instead ("${file.replace(/\/+$/, '')}/*"): tracehop reads several files at once, and a trace split over them.`
      : HINT;
  return { ok: false, reason, file, message: failure(`read spans from "${file}"`, cause, hint) };
}

function tooLong(file: string, what: string, line: number | undefined, limit: number, hint: string): OtlpDecodeResult {
  return tooLargeFailure(file, line, `${what} is longer than ${limit} bytes, more than one string can hold`, hint);
}

/** Whether a failed decode of `text` is its JSON running out (see runsOutOfText). */
function endsEarly(result: OtlpDecodeResult, text: string): boolean {
  return !result.ok && result.reason === 'not-json' && runsOutOfText(result.message, text);
}

/** A bad JSON line said in the words of its likely cause: NUL bytes, or a last line cut short. */
function explainBadLine(
  result: OtlpDecodeResult,
  file: string,
  line: number,
  text: string,
  last: boolean,
): OtlpDecodeResult {
  if (result.ok || result.reason !== 'not-json') return result;
  let cause: string | undefined;
  let hint: string | undefined;
  if (text.includes('\u0000')) {
    cause = `line ${line} holds NUL bytes where JSON should be (a file zero-filled by a crash or an unsynced write)`;
    hint = `Copy the dump again from its source, or remove the NUL bytes ("tr -d '\\000' < ${file} > clean.jsonl") to check the rest.`;
  } else if (last && endsEarly(result, text)) {
    cause = cutOff(`line ${line}, the last,`, 'the exporter was still writing it').cause;
    hint =
      'Copy the dump again once the exporter has flushed it, or delete the unfinished last line to check the rest.';
  }
  if (cause === undefined || hint === undefined) return result;
  return { ok: false, reason: 'not-json', file, line, message: failure(`read spans from "${file}"`, cause, hint) };
}

/** A bad single document said in the words of its likely cause, as explainBadLine does for a line. */
function explainBadDocument(result: OtlpDecodeResult, file: string, text: string): OtlpDecodeResult {
  if (result.ok || result.reason !== 'not-json') return result;
  const nul = text.includes('\u0000');
  if (!nul && !endsEarly(result, text)) return result;
  const { cause, hint } = nul
    ? {
        cause: 'the document holds NUL bytes where JSON should be (a file zero-filled by a crash or an unsynced write)',
        hint: 'Copy the dump again once it is written whole.',
      }
    : cutOff('the document');
  return { ok: false, reason: 'not-json', file, message: failure(`read spans from "${file}"`, cause, hint) };
}

/**
 * UTF-16 text: its byte order mark, or JSON as UTF-16 without one: in the first 16 bytes, a zero byte after
 * each printable or whitespace ASCII character (or before each), the first that is not whitespace a `{` or `[`.
 * Protobuf never looks like that: its tags and lengths are not ASCII text.
 */
function isUtf16(chunk: Buffer): boolean {
  const [a, b] = [chunk[0], chunk[1]];
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return true;
  if (chunk.length < 16 || (a !== 0 && b !== 0)) return false;
  const zeroAt = a === 0 ? 0 : 1;
  let first: number | undefined;
  for (let i = 0; i < 16; i++) {
    const byte = chunk[i] ?? 0;
    if (i % 2 === zeroAt) {
      if (byte !== 0) return false;
      continue;
    }
    const space = byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
    if (!space && (byte < 0x20 || byte > 0x7e)) return false;
    if (!space && first === undefined) first = byte;
  }
  return first === 0x7b || first === 0x5b;
}

/** A UTF-8 byte order mark, which some Windows tools write and JSON.parse refuses. */
function bomLength(chunk: Buffer): number {
  return chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
}

/** Why a compressed file could not be read to its end. */
function decompressError(
  file: string,
  compression: Compression,
  error: unknown,
): Extract<OtlpDecodeResult, { ok: false }> {
  const cause = `the ${COMPRESSION_NAMES[compression]} data is corrupt or cut short (${errorMessage(error)})`;
  const test = compression === 'gzip' ? 'gzip -t' : 'zstd -t';
  const hint = `Check that the file was copied whole; "${test} ${file}" tests it.`;
  return { ok: false, reason: 'corrupt-compression', file, message: failure(`read spans from "${file}"`, cause, hint) };
}

/** A file's spans read together (Zipkin's joined, see joinZipkinSpans), and what to note of them. */
function joinFile(
  label: string,
  spans: Span[],
  format: DumpFormat | undefined,
): { spans: Span[]; notes: string[]; kindlessSpans?: number } {
  const joined = format === 'zipkin' ? joinZipkinSpans(spans) : spans;
  const kindless = kindlessSpans(joined, format);
  const notes = [
    untimedSpansNote(label, joined, format),
    kindless === undefined ? undefined : kindlessNote([{ file: label, spans: kindless }]),
    servicelessSpansNote(label, joined, format),
  ];
  return {
    spans: joined,
    notes: notes.filter((note) => note !== undefined),
    ...(kindless === undefined ? {} : { kindlessSpans: kindless }),
  };
}

/**
 * Reads a trace dump from disk as a stream: OTLP/JSON (one document or JSON Lines, hex or base64 ids),
 * OTLP protobuf (bare or framed), Jaeger JSON, Zipkin JSON or the span prints of OpenTelemetry Go's stdouttrace
 * and Python's ConsoleSpanExporter (one JSON object per span, pretty or one a line) and of JS's
 * ConsoleSpanExporter (util.inspect text, read by js-console-file.ts), detected by content unless
 * `options.format` names one; the three prints are also read after other log lines (the first span within
 * PRINT_SNIFF_BYTES) and from a log collector's output (log-prefix.ts: each line's prefix cut off, each
 * container's lines read apart); gzip- or zstd-compressed files are decompressed as they are read (zstd needs
 * Node.js 22.15 or later). JSON Lines are decoded one line at a time so a large dump never becomes one
 * giant string. Never rejects. Node only.
 * @example const result = await readDumpFile('dump.jsonl')
 */
export async function readDumpFile(
  path: string,
  label: string = path,
  options: ReadLimits = {},
): Promise<DumpReadResult> {
  const probe = await probeDump(path);
  if (!probe.ok) return readError(label, probe.error);
  const maxBytes = options.maxTextBytes ?? constants.MAX_STRING_LENGTH;
  const forced = options.format;
  if (
    probe.compression === undefined &&
    forced !== 'otlp-proto' &&
    forced !== 'js-console' &&
    options.parallel !== false
  ) {
    const parallel = await readDumpParallel(path, label, probe.size, maxBytes, forced, options.parallel);
    if (parallel) {
      const session = new JsonDumpSession(label, parallel.format);
      session.ids.base64Ids = parallel.base64Ids;
      session.otherSignals = parallel.otherSignals;
      const joined = joinFile(label, parallel.spans, parallel.format);
      const notes = [...session.notes(), ...joined.notes];
      const { base64Ids, otherSignals } = parallel;
      const kindless = joined.kindlessSpans === undefined ? {} : { kindlessSpans: joined.kindlessSpans };
      return { ok: true, spans: joined.spans, format: parallel.format, notes, base64Ids, otherSignals, ...kindless };
    }
  }
  const opened = openDumpStream(path, probe.compression, 1 << 20);
  if (opened.ok) {
    const read = await readDumpStream(opened.stream, probe.compression, label, options);
    if (!read.ok) {
      // A React Native app's device log (logcat, the iOS log; read as js-console): its console.log spans, or why none.
      const app =
        probe.compression === undefined && (forced === undefined || forced === 'js-console')
          ? await reactNativeLogFile().readReactNativeLogFile(path, label, probe.size, maxBytes, read)
          : undefined;
      if (app === undefined || !app.ok) return app ?? read;
      const joined = joinFile(label, app.spans, 'js-console');
      return { ok: true, spans: joined.spans, format: 'js-console', notes: [...app.notes, ...joined.notes] };
    }
    const { kindlessSpans: kindless, ...joined } = joinFile(label, read.spans, read.format);
    return {
      ...read,
      spans: joined.spans,
      notes: [...read.notes, ...joined.notes],
      ...(kindless === undefined ? {} : { kindlessSpans: kindless }),
    };
  }
  const hint = `Decompress it first ("zstd -d ${label}"), or run tracehop on Node.js 22.15 or later (23.8 or later on Node.js 23).`;
  const message = failure(`read spans from "${label}"`, opened.message, hint);
  return { ok: false, reason: 'unsupported-compression', file: label, message };
}

function readDumpStream(
  stream: Readable,
  compression: Compression | undefined,
  label: string,
  options: ReadLimits,
): Promise<DumpReadResult> {
  const maxBytes = options.maxTextBytes ?? constants.MAX_STRING_LENGTH;
  const forced = options.format;
  const session = new JsonDumpSession(label, forced === 'otlp-proto' || forced === 'js-console' ? undefined : forced);
  // Made when the file turns out to be a print: reading an OTLP/JSON dump loads neither reader (lazy-readers.ts).
  let jsFile: JsConsoleFile | undefined;
  let printFile: JsonPrintFile | undefined;
  const js = (): JsConsoleFile => (jsFile ??= new (jsConsoleFile().JsConsoleFile)(label, maxBytes));
  const prints = (): JsonPrintFile => (printFile ??= new (jsonPrintFile().JsonPrintFile)(label, maxBytes, session));
  return new Promise((resolve) => {
    const spans: Span[] = [];
    let mode: 'detect' | 'lines' | 'whole' | 'binary' | 'js' | 'sniff' | 'prints' = 'detect';
    /** The prefix of a collected log's lines (docker compose logs, kubectl logs --prefix), cut before reading. */
    let prefix: LogPrefix | undefined;
    let sniffed: Buffer[] = [];
    let sniffedBytes = 0;
    let sniffKind: 'json' | 'binary' | 'empty' = 'json';
    let binary: Buffer[] = [];
    const lines = new LineSplitter(maxBytes);
    let whole: Buffer[] = [];
    let wholeBytes = 0;
    /** Whether the text read whole opens no JSON document (held up to NOT_JSON_HELD_BYTES, see there). */
    let wholeNotJson = false;
    let lineNo = 0;
    let firstChunk = true;
    /** The file's first bytes as text, to name a file that is no dump at all when reading it fails. */
    let head = '';
    /**
     * The chunks of the file's first LOOK_FURTHER_BYTES (held, not copied), for output that follows a log's
     * other lines (foreign-output.ts): made into text only when reading fails.
     */
    const opening: Buffer[] = [];
    let openingBytes = 0;
    let done = false;

    const finish = (result: OtlpDecodeResult): void => {
      if (done) return;
      done = true;
      stream.destroy();
      if (!result.ok)
        return resolve(
          mode === 'js' || mode === 'prints'
            ? result
            : foreignOutputFailure(head, label, result, () =>
                Buffer.concat(opening).toString('latin1', 0, LOOK_FURTHER_BYTES),
              ),
        );
      // A file of error answers alone (a query that found nothing, saved) holds no traces to check.
      const refused = mode === 'js' ? undefined : session.refusal(result.spans.length);
      if (refused !== undefined) return resolve(refused);
      const collected =
        prefix === undefined
          ? []
          : [
              withPrefix(
                prefix === 'timestamp'
                  ? `Note: "${label}" is a collected log (${LOG_PREFIX_NAMES[prefix]}): each line's timestamp was cut off.`
                  : `Note: "${label}" is a collected log (${LOG_PREFIX_NAMES[prefix]}): each line's prefix was cut off and each container's spans read from its own lines.`,
              ),
            ];
      if (mode === 'js')
        return resolve({ ok: true, spans: result.spans, format: 'js-console', notes: [...collected, ...js().notes()] });
      const counts = {
        base64Ids: session.ids.base64Ids,
        otherSignals: session.otherSignals,
        ...(session.incomplete.length > 0 ? { incomplete: session.incomplete } : {}),
      };
      if (mode === 'prints') {
        const notes = [...collected, ...session.notes(), ...prints().notes()];
        return resolve({ ok: true, spans: result.spans, format: session.format, notes, ...counts });
      }
      const format = forced ?? (mode === 'binary' ? 'otlp-proto' : session.format);
      resolve({ ok: true, spans: result.spans, format, notes: session.notes(), ...counts });
    };
    /**
     * A Go or Python print whose JSON documents a log line interrupts (the service's own logging to the same
     * stream, after its first span) read again as a print: spans kept, other output skipped with a note; or
     * one cut short in its last span (a CI log cut at its size limit), refused in a print's words. Undefined when
     * the file is no such print or does not read as one either (the first failure stands).
     */
    const printAfterAll = (): OtlpDecodeResult | undefined => {
      const text = Buffer.concat(whole).toString('utf8');
      const print = session.format === 'python-console' || session.format === 'go-stdouttrace';
      if (!print && (session.format !== undefined || !jsonPrintFile().opensJsonPrint(text.slice(0, PRINT_SNIFF_BYTES))))
        return undefined;
      const lines = text.split('\n');
      const reader = prints();
      for (let i = 0; i < lines.length; i++)
        if (reader.takeLine(lines[i] ?? '', i + 1, '') !== undefined) return undefined;
      // The piece after a last newline is no line.
      const ended = reader.end(text.endsWith('\n') ? lines.length - 1 : lines.length);
      if (ended === undefined) return { ok: true, spans: reader.spans };
      return reader.cutShort ? ended : undefined;
    };
    const tooLongHint = (): string =>
      splitHint(head, label, compression === undefined ? undefined : compression === 'gzip' ? 'gzip -dc' : 'zstd -dc');
    const refuse = (cause: string, hint: string): void =>
      finish({
        ok: false,
        reason: 'wrong-format',
        file: label,
        message: failure(`read spans from "${label}"`, cause, hint),
      });
    /**
     * A Go or Python JSON Lines print that a log line interrupted, read on as a print from that line
     * (printFrom): the line's failure, given when the rest reads as no print either; whether the file was known
     * to be a print (spans of one before) or only may be (its first line a structured log); bytes read since.
     */
    let printFallback: { failure: OtlpDecodeResult; known: boolean; bytes: number } | undefined;
    /**
     * A line of JSON Lines that ran out before its JSON did, with its failure: the last line cut short when only
     * blank lines follow it (a newline after the cut, as a log copied whole ends), else a line broken in the
     * middle, refused in its JSON error's words.
     */
    let runOut: { line: number; text: string; failure: OtlpDecodeResult } | undefined;
    /**
     * Reads the rest of a JSON Lines file as a print from the line that failed (`line`, with `failed`), when the
     * file is a Go or Python print (or may be: a structured log line first) and the line is a log line: spans
     * read so far kept, other lines skipped with the print's note. False when it is not, and `failed` stands.
     */
    const printFrom = (line: string, failed: OtlpDecodeResult): boolean => {
      if (forced !== undefined && !isJsonPrint(forced)) return false;
      const kind = logLineKind(line);
      const known = isJsonPrint(session.format) && spans.length > 0;
      if (kind === undefined || (!known && !(kind === 'json' && mode === 'detect'))) return false;
      printFallback = { failure: failed, known, bytes: 0 };
      mode = 'prints';
      const reader = prints();
      for (let i = 0; i < spans.length; i++) reader.spans.push(spans[i] as Span);
      spans.length = 0;
      const again = reader.takeLine(line, lineNo, '');
      if (again !== undefined) finish(again);
      return again === undefined;
    };
    /** The line's failure again, read as before, when the print read from it found no span (see printFrom). */
    const printGivesUp = (): boolean => {
      if (printFallback === undefined || printFallback.known || prints().spans.length > 0) return false;
      mode = 'lines';
      finish(printFallback.failure);
      return true;
    };
    /** How many spans read the heap is next looked at (heap-guard.ts). */
    let heapLookAt = HEAP_LOOK_EVERY;
    const accept = (result: OtlpDecodeResult): boolean => {
      if (!result.ok) {
        finish(result);
        return false;
      }
      for (let i = 0; i < result.spans.length; i++) spans.push(result.spans[i] as Span);
      if (spans.length < heapLookAt) return true;
      heapLookAt = spans.length + HEAP_LOOK_EVERY;
      const heap = heapNearlyFull();
      if (heap === undefined) return true;
      finish(heapFailure(label, spans.length, heap, lineNo));
      return false;
    };
    /** Decodes one line (`last`: the file's last, with no newline after it); false when reading must stop. May switch to whole-document mode. */
    const takeLine = (line: string, last = false): boolean => {
      lineNo++;
      if (mode === 'js' || mode === 'prints') {
        const reader = mode === 'js' ? js() : prints();
        // The one place a collected log's prefix is cut off, for all three prints.
        const cut = prefix === undefined ? { source: '', text: line } : cutLogPrefix(line, prefix);
        if (cut === undefined) {
          if (line.trim() !== '') reader.skipLine(lineNo);
          return true;
        }
        const failed = reader.takeLine(cut.text, lineNo, cut.source);
        if (
          printFallback !== undefined &&
          (printFallback.bytes += line.length + 1) > PRINT_SNIFF_BYTES &&
          printGivesUp()
        )
          return false;
        if (failed !== undefined && !printGivesUp()) finish(failed);
        return failed === undefined;
      }
      // A long line is a document to parse at once: refused before, when the heap cannot hold it parsed.
      const heap = documentHeap(line.length, true);
      if (heap !== undefined) {
        finish(documentHeapFailure(label, line.length, heap, tooLongHint(), lineNo));
        return false;
      }
      if (runOut !== undefined) {
        if (line.trim() === '') return true;
        finish(runOut.failure);
        return false;
      }
      if (mode === 'detect') {
        if (line.trim() === '') return true;
        const result = decodeJsonDumpLine(line, label, lineNo, session.decode, session.hint);
        // A first line that is not JSON by itself means a pretty-printed single document.
        if (!result.ok && result.reason === 'not-json') {
          mode = 'whole';
          return true;
        }
        if (!result.ok && printFrom(line, result)) return true;
        mode = 'lines';
        return accept(result);
      }
      // JSON Lines, then documents appended pretty-printed (jq . >> dump.jsonl): the rest is read whole.
      if (opensPrettyDocument(line)) {
        mode = 'whole';
        return true;
      }
      const result = decodeJsonDumpLine(line, label, lineNo, session.decode, session.hint);
      if (!result.ok && printFrom(line, result)) return true;
      if (!last && endsEarly(result, line)) {
        runOut = { line: lineNo, text: line, failure: result };
        return true;
      }
      return accept(result.ok ? result : explainBadLine(result, label, lineNo, line, last));
    };
    // Called right after takeLine (TypeScript cannot see takeLine change `mode`).
    const switchedToWhole = (): boolean => mode === 'whole';
    const keepWhole = (piece: Buffer): boolean => {
      wholeBytes += piece.length;
      if (wholeNotJson && wholeBytes > NOT_JSON_HELD_BYTES) {
        whole.push(piece);
        wholeNotJson = false;
        const refused = decodeHeld(true);
        if (refused.ok) return true;
        finish(refused);
        return false;
      }
      if (wholeBytes > maxBytes) {
        finish(tooLong(label, 'the document', undefined, maxBytes, tooLongHint()));
        return false;
      }
      whole.push(piece);
      return true;
    };
    /** Starts whole-document mode with the lines read so far; blank lines are kept so errors point right. */
    const startWhole = (line: string, rest: Buffer): void => {
      whole = [];
      wholeBytes = 0;
      wholeNotJson = !opensJson(Buffer.from(line));
      if (keepWhole(Buffer.from(`${'\n'.repeat(lineNo - 1)}${line}\n`))) keepWhole(rest);
    };
    /**
     * Decodes the text held whole. `early`: only its first NOT_JSON_HELD_BYTES were read (it opens no JSON
     * document), decoded up to its last whole line so that a line cut by the limit is not taken for a cut file;
     * should that read (it never does but for a strange file), the caller reads on and decodes it all.
     */
    const decodeHeld = (early = false): OtlpDecodeResult => {
      const held = Buffer.concat(whole);
      whole = [held];
      const heap = early ? undefined : documentHeap(held.length, false);
      if (heap !== undefined) return documentHeapFailure(label, held.length, heap, tooLongHint());
      const end = early ? held.lastIndexOf(0x0a) + 1 : held.length;
      const text = held.toString('utf8', 0, end > 0 ? end : held.length);
      const rest = explainBadDocument(decodeJsonDumpText(text, label, session.decode, session.hint), label, text);
      // Spans of the JSON Lines before the pretty-printed documents, if any, come first.
      return rest.ok && spans.length > 0 ? { ok: true, spans: spans.concat(rest.spans) } : rest;
    };

    /**
     * Decides how to read a text file that opens as no JSON from its first bytes: a collected log of a print
     * (its prefix cut, each container's lines read apart), a print after other output, or as before.
     */
    const endSniff = (): Buffer | undefined => {
      const bytes = Buffer.concat(sniffed);
      sniffed = [];
      const text = bytes.toString('utf8', 0, Math.min(bytes.length, PRINT_SNIFF_BYTES));
      const found = detectLogPrefix(text);
      const cut = found === undefined ? '' : withoutLogPrefix(text, found);
      if (found !== undefined && forced !== 'go-stdouttrace' && forced !== 'python-console' && opensJsConsole(cut)) {
        prefix = found;
        mode = 'js';
      } else if (found !== undefined && forced !== 'js-console' && jsonPrintFile().opensJsonPrint(cut)) {
        prefix = found;
        mode = 'prints';
      } else if (forced === 'js-console' || (forced === undefined && opensJsConsole(text))) mode = 'js';
      else if (jsonPrintFile().opensJsonPrint(text)) mode = 'prints';
      else if (sniffKind === 'binary' && forced !== undefined) {
        refuse(`the file is binary, not ${DUMP_FORMAT_NAMES[forced]}`, HINTS[forced]);
        return undefined;
      } else mode = sniffKind === 'binary' ? 'binary' : 'detect';
      return bytes;
    };
    const onData = (data: string | Buffer): void => {
      let chunk = typeof data === 'string' ? Buffer.from(data) : data;
      if (firstChunk) {
        firstChunk = false;
        chunk = chunk.subarray(bomLength(chunk));
        head = chunk.subarray(0, 4096).toString('latin1');
        if (isUtf16(chunk))
          return refuse(
            'the file is UTF-16 text (as Windows PowerShell 5 writes with ">" or Out-File), not UTF-8',
            'Save it as UTF-8 ("Out-File -Encoding utf8" in PowerShell, or "iconv -f UTF-16 -t UTF-8").',
          );
        const inner = compression === undefined ? undefined : compressionOf(chunk);
        if (compression !== undefined && inner !== undefined)
          return refuse(
            `the file is compressed twice: ${COMPRESSION_NAMES[compression]} around ${COMPRESSION_NAMES[inner]}`,
            `Decompress it once (${compression === 'gzip' ? 'gunzip' : 'zstd -d'}), then check what that gives.`,
          );
        const archive = archiveOf(chunk);
        if (archive !== undefined) {
          const words = archiveWords(archive, label, compression);
          return refuse(words.cause, words.hint);
        }
        const kind = sniffBytes(chunk);
        // Before the binary check: console.dir to a terminal (docker logs of a container with a TTY,
        // FORCE_COLOR) colours values with escape bytes, which read as binary. Other binary is no print, though a
        // protobuf string in it may hold the print's opening lines.
        if (
          (forced === undefined || forced === 'js-console') &&
          (kind !== 'binary' || colouredText(chunk)) &&
          opensJsConsole(head)
        )
          mode = 'js';
        // Text that opens as no JSON: a print after other log lines, or a collected log (decided in endSniff).
        else if (PRINT_FORMATS.has(forced) && (kind === 'json' || colouredText(chunk)) && !opensJson(chunk)) {
          sniffKind = kind;
          mode = 'sniff';
        } else if (kind === 'binary' && forced !== undefined && forced !== 'otlp-proto')
          return refuse(`the file is binary, not ${DUMP_FORMAT_NAMES[forced]}`, HINTS[forced]);
        else if (kind === 'json' && forced === 'otlp-proto')
          return refuse('the file is text (JSON), not OTLP protobuf', OTLP_PROTO_HINT);
        else if (kind === 'binary' || forced === 'otlp-proto') mode = 'binary';
        else if (forced === 'js-console') mode = 'js';
      }
      if (openingBytes < LOOK_FURTHER_BYTES) {
        opening.push(chunk);
        openingBytes += chunk.length;
      }
      if (mode === 'sniff') {
        sniffed.push(chunk);
        sniffedBytes += chunk.length;
        if (sniffedBytes < PRINT_SNIFF_BYTES) return;
        const bytes = endSniff();
        if (bytes !== undefined) take(bytes);
        return;
      }
      take(chunk);
    };
    const take = (chunk: Buffer): void => {
      if (mode === 'binary') {
        binary.push(chunk);
        return;
      }
      if (mode === 'whole') {
        keepWhole(chunk);
        return;
      }
      let last = '';
      const split = lines.push(chunk, (line) => {
        last = line;
        return takeLine(line) && !switchedToWhole();
      });
      if (split.state === 'too-long')
        return finish(tooLong(label, `line ${lineNo + 1}`, lineNo + 1, maxBytes, tooLongHint()));
      if (split.state === 'stopped' && switchedToWhole()) startWhole(last, split.rest);
      else if (split.state === 'more' && lines.heldBytes >= NOT_JSON_HELD_BYTES) refuseLongLine();
    };
    /**
     * Refuses a line not yet ended, past NOT_JSON_HELD_BYTES, that opens no JSON document (a log's text with no
     * newline): its first bytes say what is wrong with it, as the whole line would, without holding the rest.
     */
    const refuseLongLine = (): void => {
      if (mode !== 'detect' && mode !== 'lines') return;
      const held = lines.held();
      if (opensJson(held)) return;
      const text = held.toString('utf8', 0, NOT_JSON_HELD_BYTES);
      const line = lineNo + 1;
      const result =
        mode === 'detect'
          ? // Read as the text of a first line that is not JSON is: whole, after its blank lines.
            explainBadDocument(
              decodeJsonDumpText(`${'\n'.repeat(lineNo)}${text}`, label, session.decode, session.hint),
              label,
              text,
            )
          : explainBadLine(
              decodeJsonDumpLine(text, label, line, session.decode, session.hint),
              label,
              line,
              text,
              false,
            );
      if (!result.ok) finish(result);
    };
    stream.on('data', onData);
    stream.on('error', (error) => {
      const corrupt = compression !== undefined && isDecompressionError(error);
      finish(corrupt ? decompressError(label, compression, error) : readError(label, error));
    });
    stream.on('end', () => {
      if (done) return;
      if (mode === 'sniff') {
        const bytes = endSniff();
        if (bytes !== undefined) take(bytes);
      }
      if (done) return;
      const last = mode !== 'whole' ? lines.end() : undefined;
      if (last !== undefined) {
        if (!takeLine(last, true)) return;
        if (switchedToWhole()) startWhole(last, Buffer.alloc(0));
        if (done) return;
      }
      if (runOut !== undefined) return finish(explainBadLine(runOut.failure, label, runOut.line, runOut.text, true));
      if (mode === 'binary') {
        const bytes = Buffer.concat(binary);
        binary = [];
        const result = otlpProtoFile().decodeOtlpProtoFile(bytes, label);
        // Requests of other signals were skipped: the same note as for OTLP/JSON documents says so.
        if (result.ok) session.otherSignals += result.otherSignals;
        if (result.ok && result.leftOut)
          session.incomplete.push({ source: { file: label }, where: 'the document', ...result.leftOut });
        return finish(result);
      }
      if (mode === 'whole') {
        const held = decodeHeld();
        const again = held.ok || spans.length > 0 ? undefined : printAfterAll();
        if (again === undefined) return finish(held);
        mode = 'prints';
        return finish(again);
      }
      if (mode === 'detect') return finish(decodeJsonDumpText('', label, session.decode, session.hint));
      if (mode === 'js') return finish(js().end(lineNo) ?? { ok: true, spans: js().spans });
      if (mode === 'prints') {
        const ended = prints().end(lineNo);
        if (ended !== undefined && printGivesUp()) return;
        return finish(ended ?? { ok: true, spans: prints().spans });
      }
      finish({ ok: true, spans });
    });
  });
}
