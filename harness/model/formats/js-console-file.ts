/**
 * The spans of a file of OpenTelemetry JS ConsoleSpanExporter output, fed line by line (in a collected log,
 * with each line's prefix cut off and the container it names: each container's span is read apart): each span is a
 * block from a line "{" to a line "}" (console.dir indents everything between), so the blocks are found
 * without reading the file as one string, and lines between them (a service's own log lines, other
 * processes' output written to the same stream) are skipped, as is a block without a traceId, an id and most
 * keys every printed span has (an object the service logged: console.log of a request, a config, or
 * { traceId, id, msg } for correlation: js-console.ts's hasJsSpanKeys). A line without indentation inside a
 * block is no part of the print either (util.inspect indents every line but the last), so it is skipped too; a
 * second "{" before the "}" means two prints were interleaved line by line, and is refused. Colours
 * (console.dir to a terminal) are removed.
 */
import { failure, format as withPrefix } from '../../internal/messages';
import type { DecodeReason } from '../decode-reason';
import type { OtlpDecodeResult } from '../otlp-json';
import type { Span } from '../span';
import { DUMP_FORMAT_NAMES, detectJsonFormat, type JsonDumpFormat } from './dump-format';
import { readInspectText } from './inspect-text';
import { decodeJsConsoleValue, hasJsSpanKeys, type CutCount } from './js-console';
import { JS_CONSOLE_HINT, PRINT_CUT_HINT as CUT_HINT } from './format-hints';

/** The line of a span's own trace id in a print of several lines: indented once, as console.dir indents keys. */
const SPAN_TRACE_ID = '  traceId: ';
/** A span printed on one line (a console.dir with a wide breakLength): "{ traceId: '...', ... }". */
const ONE_LINE_TRACE_ID = /\btraceId: '/;
/**
 * The opening of a span printed on one line, as console.dir starts each span's keys (resource first in SDK 2.x,
 * traceId first in 1.x): a line that opens so and does not end with "}" is a span cut short.
 */
const ONE_LINE_OPENING = /^\{ (?:resource|instrumentationScope|instrumentationLibrary|traceId): /;
/** The SGR escapes console.dir writes to a terminal, colouring values. */
// eslint-disable-next-line no-control-regex -- the escape byte is what this matches
const COLOUR = /\u001b\[[0-9;]*m/g;
const INTERLEAVED_HINT =
  "Write each process's output to its own file (a ConsoleSpanExporter per process, stdout redirected per service) and check the files together.";

/** Whether `line` is a span printed on one line: "{ ", then "traceId: '" before the closing "}" ending it. */
function isOneLineSpan(line: string): boolean {
  return line.startsWith('{ ') && line.endsWith('}') && ONE_LINE_TRACE_ID.test(line.slice(2, -1));
}

/** The dump format of a line that is a JSON document of one (a span of another SDK's print), or undefined. */
function jsonFormatOf(line: string): JsonDumpFormat | undefined {
  try {
    return detectJsonFormat(JSON.parse(line));
  } catch {
    return undefined;
  }
}

/** A span being read: its lines so far, their bytes, the line it opened on. */
interface OpenSpan {
  readonly block: string[];
  bytes: number;
  readonly startLine: number;
}

export class JsConsoleFile {
  /** The span open in each container's output (log-prefix.ts), '' for a file of one process's output. */
  private readonly open = new Map<string, OpenSpan>();
  private skipped = 0;
  /** The line of the first line skipped, for the note. */
  private firstSkipped = 0;
  private readonly count: CutCount = { cutValues: 0, withoutResource: 0 };
  readonly spans: Span[] = [];

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
  ) {}

  private fail(
    cause: string,
    hint: string,
    line?: number,
    reason: DecodeReason = 'invalid-document',
  ): Extract<OtlpDecodeResult, { ok: false }> {
    return {
      ok: false,
      reason,
      file: this.file,
      ...(line !== undefined ? { line } : {}),
      message: failure(`read spans from "${this.file}"`, cause, hint),
    };
  }

  /** Counts line `lineNo`, no part of any print (a collector's line without a container's prefix, a log line). */
  skipLine(lineNo: number): void {
    this.skipLines(lineNo, 1);
  }

  /** Counts `count` lines from line `lineNo` on as other output. */
  private skipLines(lineNo: number, count: number): void {
    // A block is counted when it closes, after lines other containers interleaved: the first is the lowest.
    if (this.skipped === 0 || lineNo < this.firstSkipped) this.firstSkipped = lineNo;
    this.skipped += count;
  }

  /**
   * Takes line `lineNo` of the file, of the output of container `source` when the file is a collected log
   * (log-prefix.ts cut the prefix off); a failure ends the read.
   */
  takeLine(raw: string, lineNo: number, source = ''): Extract<OtlpDecodeResult, { ok: false }> | undefined {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // util.inspect escapes control characters in strings (\x1B), so an escape byte in the print is colour.
    const line = text.includes('\u001b') ? text.replace(COLOUR, '') : text;
    const open = this.open.get(source);
    if (open === undefined) {
      if (line === '{') {
        this.open.set(source, { block: [line], bytes: line.length, startLine: lineNo });
        return undefined;
      }
      // Tested in parts, each one pass: one pattern for all of it backtracked once per "traceId: '" in a long line.
      if (isOneLineSpan(line)) return this.decode([line], lineNo);
      // A span cut short on its one line (a CI log cut at its size limit) is refused, not skipped as a log line.
      if (ONE_LINE_OPENING.test(line)) return this.oneLineCut(lineNo);
      if (line.trim() === '') return undefined;
      const other = line.startsWith('{"') ? jsonFormatOf(line) : undefined;
      if (other !== undefined)
        return this.fail(
          `line ${lineNo} is ${DUMP_FORMAT_NAMES[other]}, but the file is ${DUMP_FORMAT_NAMES['js-console']}: a file holds one format`,
          'Split the dump into one file per format.',
          lineNo,
          'mixed-formats',
        );
      this.skipLine(lineNo);
      return undefined;
    }
    if (line === '{')
      return this.fail(
        `line ${lineNo} opens a span while the span opened on line ${open.startLine} is still open: two processes' prints are interleaved line by line`,
        INTERLEAVED_HINT,
        lineNo,
      );
    if (line === '}') {
      open.block.push(line);
      this.open.delete(source);
      // An object the process logged itself (console.log of a request, a config) is other output: a span's
      // print always has its own traceId, indented once.
      if (!open.block.some((text) => text.startsWith(SPAN_TRACE_ID))) {
        this.skipLines(open.startLine, open.block.length);
        return undefined;
      }
      return this.decode(open.block, open.startLine);
    }
    if (line !== '' && line.charCodeAt(0) !== 0x20) {
      this.skipLine(lineNo);
      return undefined;
    }
    open.bytes += line.length + 1;
    if (open.bytes > this.maxBytes)
      return this.fail(
        `the span opened on line ${open.startLine} is longer than ${this.maxBytes} bytes, more than one string can hold`,
        JS_CONSOLE_HINT,
        open.startLine,
      );
    // A line inside a block keeps its place even when blank, so errors name the right line.
    open.block.push(line);
    return undefined;
  }

  private decode(lines: string[], start: number): Extract<OtlpDecodeResult, { ok: false }> | undefined {
    const text = lines.join('\n');
    const read = readInspectText(text);
    if (!read.ok) {
      // A span on one line that ends with a value's own "}" runs out before its own.
      if (lines.length === 1 && read.offset >= text.length) return this.oneLineCut(start);
      let line = start;
      for (let i = text.indexOf('\n'); i !== -1 && i < read.offset; i = text.indexOf('\n', i + 1)) line++;
      const where = line === start ? `line ${line}` : `line ${line} (in the span opened on line ${start})`;
      return this.fail(`${where} ${read.problem}`, JS_CONSOLE_HINT, line);
    }
    // A logged object with a trace id for correlation ({ traceId, msg }, { traceId, id, msg }) lacks keys every
    // span has: it is no span.
    if (!hasJsSpanKeys(read.value)) {
      this.skipLines(start, lines.length);
      return undefined;
    }
    const result = decodeJsConsoleValue(read.value, { file: this.file, line: start }, this.count);
    if (!result.ok) return result;
    for (const span of result.spans) this.spans.push(span);
    return undefined;
  }

  /** The failure of a span printed on one line, on line `lineNo`, that ends before its closing "}". */
  private oneLineCut(lineNo: number): Extract<OtlpDecodeResult, { ok: false }> {
    return this.fail(
      `the span printed on line ${lineNo} ends before its closing "}": the print was cut short, and the span cannot be read`,
      CUT_HINT,
      lineNo,
    );
  }

  /** Ends the file: a failure when a span is left open, or when there was none. */
  end(lines: number): Extract<OtlpDecodeResult, { ok: false }> | undefined {
    let first = Infinity;
    for (const open of this.open.values()) first = Math.min(first, open.startLine);
    if (first !== Infinity)
      return this.fail(
        `the span opened on line ${first} never ends (no line "}" after it, to line ${lines}): the file is cut short, and the span cannot be read`,
        CUT_HINT,
        first,
      );
    if (this.spans.length === 0)
      return this.fail(
        'the file holds no span as ConsoleSpanExporter prints it (a line "{", the span\'s keys indented, a line "}")',
        JS_CONSOLE_HINT,
      );
    return undefined;
  }

  notes(): string[] {
    const notes: string[] = [];
    if (this.skipped > 0)
      notes.push(
        withPrefix(
          `Note: "${this.file}" holds ${this.skipped} ${this.skipped === 1 ? 'line' : 'lines'} of other output between the spans ConsoleSpanExporter printed (${this.skipped === 1 ? 'on' : 'the first on'} line ${this.firstSkipped}); ${this.skipped === 1 ? 'it was' : 'they were'} skipped.`,
        ),
      );
    const cut = this.count.cutValues;
    if (cut > 0)
      notes.push(
        withPrefix(
          `Note: "${this.file}" is console.dir output, which cuts long values short; ${cut} attribute ${cut === 1 ? 'value was' : 'values were'} read as "[cut short by console.dir: ...]" markers.`,
        ),
      );
    const bare = this.count.withoutResource;
    if (bare > 0)
      notes.push(
        withPrefix(
          `Note: "${this.file}" holds ${bare === 1 ? 'a span' : `${bare} spans`} printed with no resource, as ConsoleSpanExporter of @opentelemetry/sdk-trace-base before 1.24 prints every span, so ${bare === 1 ? 'it names' : 'they name'} no service (read as unknown_service) and --expect or --journeys cannot place ${bare === 1 ? 'it' : 'them'} on the chain; print with sdk-trace-base 1.24 or later (its print holds the resource's service.name), or export with an OTLP exporter to a file or \`tracehop serve\`.`,
        ),
      );
    return notes;
  }
}
