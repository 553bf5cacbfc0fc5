/**
 * The spans of OpenTelemetry Go's stdouttrace or Python's ConsoleSpanExporter print read from a collected log
 * (log-prefix.ts cut each line's prefix off), fed line by line: each span is a JSON object from a line "{" to
 * a line "}" (both SDKs indent everything between, Go with tabs, Python with spaces) or one object on one line,
 * kept per container since containers' lines interleave. It also reads a print after other log lines, and one
 * whose JSON Lines or pretty documents a log line interrupted (read-dump-file.ts reads it again as a print).
 * Lines between spans (a service's own log lines, containers that print no spans) are skipped and counted; a line
 * opening a JSON object that does not parse (a span cut short) is refused. Each span is decoded by the file's
 * JsonDumpSession, which detects the format and holds every span to it.
 */
import { failure, format as withPrefix } from '../../internal/messages';
import { decodeJsonDumpLine, type OtlpDecodeResult } from '../otlp-json';
import type { Span } from '../span';
import { runsOutOfText } from '../../internal/json-error-offset';
import { detectJsonFormat } from './dump-format';
import { PRINT_CUT_HINT } from './format-hints';
import type { JsonDumpSession } from './json-dump-session';

type Failed = Extract<OtlpDecodeResult, { ok: false }>;

/** A span being read: its lines so far, their bytes, the line it opened on. */
interface OpenSpan {
  readonly block: string[];
  bytes: number;
  readonly startLine: number;
}

/**
 * Whether text with the prefixes cut off (withoutLogPrefix) holds a span as stdouttrace or to_json prints it:
 * a line "{" whose next line opens "Name" or "SpanContext" (Go) or "name" or "context" (Python), or a span
 * on one line.
 */
export function opensJsonPrint(text: string): boolean {
  return /(?:^|\n)\{(?:\r?\n[\t ]+|)"(?:Name|SpanContext|name|context)": ?/.test(text);
}

export class JsonPrintFile {
  private readonly open = new Map<string, OpenSpan>();
  private skipped = 0;
  /** The line of the first line skipped, for the note. */
  private firstSkipped = 0;
  /**
   * A span on one line whose JSON ran out before its end (`line`), with its failure: a span cut short when no
   * line follows it but blank ones or other output, else a broken line in the middle, refused as such.
   */
  private runOut: { line: number; failure: Failed } | undefined;
  /** Whether end() refused a span cut short at the end of the file (over many lines or on one). */
  cutShort = false;
  readonly spans: Span[] = [];

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
    private readonly session: JsonDumpSession,
  ) {}

  private fail(cause: string, line: number, hint = this.session.hint): Failed {
    const message = failure(`read spans from "${this.file}"`, cause, hint);
    return { ok: false, reason: 'invalid-document', file: this.file, line, message };
  }

  /** Counts line `lineNo`, no part of any print (a collector's line without a container's prefix, a log line). */
  skipLine(lineNo: number): void {
    // An object is counted when it closes, after lines other containers interleaved: the first is the lowest.
    if (this.skipped++ === 0 || lineNo < this.firstSkipped) this.firstSkipped = lineNo;
  }

  /** Takes line `lineNo` of the file, of the output of container `source`; a failure ends the read. */
  takeLine(raw: string, lineNo: number, source: string): Failed | undefined {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // A span after the one that ran out: that one was broken in the middle of the print.
    if (this.runOut !== undefined && (line === '{' || line.startsWith('{"'))) return this.runOut.failure;
    const open = this.open.get(source);
    if (open === undefined) {
      if (line === '{') {
        this.open.set(source, { block: [line], bytes: line.length, startLine: lineNo });
        return undefined;
      }
      // A line opening a JSON object that does not parse (a span cut short) is refused, not skipped as a log line.
      if (line.startsWith('{"')) return this.decode(line, lineNo);
      if (line.trim() !== '') this.skipLine(lineNo);
      return undefined;
    }
    if (line === '{')
      return this.fail(
        `line ${lineNo} opens a span while the span opened on line ${open.startLine} is still open: two processes' prints are interleaved line by line`,
        lineNo,
      );
    if (line === '}') {
      open.block.push(line);
      this.open.delete(source);
      return this.decode(open.block.join('\n'), open.startLine);
    }
    // Both SDKs indent every line of a span but its first and last: a line that is not is no part of it.
    if (line !== '' && line.charCodeAt(0) !== 0x20 && line.charCodeAt(0) !== 0x09) {
      this.skipLine(lineNo);
      return undefined;
    }
    open.bytes += line.length + 1;
    if (open.bytes > this.maxBytes)
      return this.fail(
        `the span opened on line ${open.startLine} is longer than ${this.maxBytes} bytes, more than one string can hold`,
        open.startLine,
      );
    open.block.push(line);
    return undefined;
  }

  /**
   * Decodes one span's text; its errors name the line the span opened on. A JSON object that is no span (a
   * service's structured log line) is other output, unless --format named the print.
   */
  private decode(text: string, start: number): Failed | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const failed = decodeJsonDumpLine(text, this.file, start, this.session.decode, this.session.hint);
      if (failed.ok) return undefined;
      // A span on one line that runs out may be the last, cut short: said so at the end if nothing follows it.
      if (!text.includes('\n') && failed.reason === 'not-json' && runsOutOfText(failed.message, text)) {
        this.runOut = { line: start, failure: failed };
        return undefined;
      }
      return failed;
    }
    const format = detectJsonFormat(value);
    if (this.session.forced === undefined && format !== 'go-stdouttrace' && format !== 'python-console') {
      this.skipLine(start);
      return undefined;
    }
    const result = this.session.decode(value, { file: this.file, line: start });
    if (!result.ok) return result;
    for (const span of result.spans) this.spans.push(span);
    return undefined;
  }

  /** Ends the file: a failure when a span is left open, or when there was none. */
  end(lines: number): Failed | undefined {
    let first = Infinity;
    for (const open of this.open.values()) first = Math.min(first, open.startLine);
    if (first !== Infinity) {
      this.cutShort = true;
      return this.fail(
        `the span opened on line ${first} never ends (no line "}" after it, to line ${lines}): the file is cut short, and the span cannot be read`,
        first,
        PRINT_CUT_HINT,
      );
    }
    if (this.runOut !== undefined) {
      this.cutShort = true;
      return this.fail(
        `the span printed on line ${this.runOut.line} ends before its JSON does: the print was cut short, and the span cannot be read`,
        this.runOut.line,
        PRINT_CUT_HINT,
      );
    }
    if (this.spans.length === 0)
      return {
        ok: false,
        reason: 'invalid-document',
        file: this.file,
        message: failure(
          `read spans from "${this.file}"`,
          'the log holds no span as stdouttrace or ConsoleSpanExporter prints it (a line "{", the span\'s fields indented, a line "}", after each line\'s prefix)',
          this.session.hint,
        ),
      };
    return undefined;
  }

  notes(): string[] {
    if (this.skipped === 0) return [];
    const [lines, where, was] = this.skipped === 1 ? ['line', 'on', 'it was'] : ['lines', 'the first on', 'they were'];
    return [
      withPrefix(
        `Note: "${this.file}" holds ${this.skipped} ${lines} of other output between the printed spans (${where} line ${this.firstSkipped}); ${was} skipped.`,
      ),
    ];
  }
}
