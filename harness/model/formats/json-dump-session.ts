import { failure, format as withPrefix } from '../../internal/messages';
import type { DecodeReason } from '../decode-reason';
import {
  decodeOtlpJsonValue,
  type JsonValueDecoder,
  type OtlpDecodeResult,
  type OtlpJsonIdContext,
} from '../otlp-json';
import type { SpanSource } from '../span';
import { DUMP_FORMAT_NAMES, detectJsonFormat, type DumpFormat, type JsonDumpFormat } from './dump-format';
import { isBareOtherSignal, isOtherSignal } from './other-signal';
import {
  GO_STDOUTTRACE_HINT,
  JAEGER_HINT,
  JS_CONSOLE_HINT,
  OTLP_PROTO_HINT,
  PYTHON_CONSOLE_HINT,
  ZIPKIN_HINT,
} from './format-hints';
import { goStdouttrace, jaegerJson, pythonConsole, zipkinJson } from './lazy-readers';
import { errorResponseOf, isJaegerGrpcChunk, leftOutOf, searchAnswerOf } from './store-answer';
import { GRAFANA_FRAME_HINT, grafanaFrameOf } from '../internal/grafana-frame';
import { isRecord } from './json-fault';

type DecodeFailed = Extract<OtlpDecodeResult, { ok: false }>;

const OTLP_JSON_HINT = "Export with the OTLP JSON encoding or the Collector's file exporter.";
const ANY_HINT =
  "tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.";

/** What to do about a file that is not the format it was read as, per format. */
export const HINTS: Readonly<Record<DumpFormat, string>> = {
  'otlp-json': OTLP_JSON_HINT,
  'otlp-proto': OTLP_PROTO_HINT,
  jaeger: JAEGER_HINT,
  zipkin: ZIPKIN_HINT,
  'go-stdouttrace': GO_STDOUTTRACE_HINT,
  'python-console': PYTHON_CONSOLE_HINT,
  'js-console': JS_CONSOLE_HINT,
};

/**
 * Decodes the JSON documents of one file: detects the format from the first (unless forced) and holds
 * every later one to it, so a file mixing formats is refused rather than half read.
 */
export class JsonDumpSession {
  format: JsonDumpFormat | undefined;
  private firstAt: string | undefined;
  readonly ids: OtlpJsonIdContext = { allowBase64: true, base64Ids: 0 };
  /** Documents of other OTLP signals (metrics, logs, profiles) skipped. */
  otherSignals = 0;
  /**
   * Trace store answers that left traces or spans out (store-answer.ts): error answers (`error` set), read as
   * no spans, and answers whose traces were read though they say they are not all.
   */
  readonly incomplete: IncompleteAnswer[] = [];

  constructor(
    readonly file: string,
    readonly forced: JsonDumpFormat | undefined,
  ) {
    this.format = forced;
  }

  get hint(): string {
    return this.format ? HINTS[this.format] : ANY_HINT;
  }

  readonly decode: JsonValueDecoder = (value, source) => {
    // A Collector file exporter shared by the traces, metrics and logs pipelines writes them all to one file.
    if (
      (this.format === undefined || this.format === 'otlp-json') &&
      (isOtherSignal(value) || isBareOtherSignal(value))
    ) {
      this.otherSignals++;
      return { ok: true, spans: [] };
    }
    const where = source.line !== undefined ? `line ${source.line}` : 'the document';
    // An error answer saved instead of traces, with --format too (it holds no traces to decode).
    // A file of nothing else is refused at its end (refusal); beside traces (an api/v3 stream cut short, curl >>
    // of several answers), a note names it.
    const error = errorResponseOf(value);
    if (error !== undefined && (detectJsonFormat(value) === undefined || isEmptyJaegerAnswer(value))) {
      const what = `an error answer (${JSON.stringify(error)}), not traces`;
      this.incomplete.push({ source, where, what, refetch: 'fetch the answer again', error });
      return { ok: true, spans: [] };
    }
    const frame = grafanaFrameOf(value);
    if (frame !== undefined) return this.fail(source, 'unknown-format', `${where} is ${frame}`, GRAFANA_FRAME_HINT);
    const search = searchAnswerOf(value);
    if (search !== undefined) return this.fail(source, 'unknown-format', `${where} is ${search.what}`, search.fetch);
    if (isJaegerGrpcChunk(value))
      return this.fail(
        source,
        'unknown-format',
        `${where} is a chunk of Jaeger's api_v2 gRPC answer (SpansResponseChunk, as grpcurl prints it), which tracehop does not read`,
        "Fetch the trace from Jaeger's HTTP API instead: GET /api/traces/<traceID> (Jaeger JSON) or /api/v3/traces/<traceID> (OTLP/JSON).",
      );
    if (!this.forced) {
      const detected = detectJsonFormat(value);
      if (detected === undefined) {
        const cause = `${where} is none of the formats tracehop reads (no OTLP "resourceSpans", no Jaeger "data", not a Zipkin list of spans, no stdouttrace "SpanContext", no ConsoleSpanExporter "context")`;
        return this.fail(source, 'unknown-format', cause, ANY_HINT);
      }
      if (this.format !== undefined && detected !== this.format) {
        const cause = `${where} is ${DUMP_FORMAT_NAMES[detected]}, but ${this.firstAt ?? 'the file'} is ${DUMP_FORMAT_NAMES[this.format]}: a file holds one format`;
        return this.fail(source, 'mixed-formats', cause, 'Split the dump into one file per format.');
      }
      if (this.format === undefined) {
        this.format = detected;
        this.firstAt = where;
      }
    }
    const result = this.decodeAs(this.format, value, source);
    const leftOut = result.ok ? leftOutOf(value) : undefined;
    if (leftOut !== undefined) this.incomplete.push({ source, where, ...leftOut });
    return result;
  };

  private decodeAs(format: JsonDumpFormat | undefined, value: unknown, source: SpanSource): OtlpDecodeResult {
    switch (format) {
      case 'jaeger':
        return jaegerJson().decodeJaegerValue(value, source);
      case 'zipkin':
        return zipkinJson().decodeZipkinValue(value, source);
      case 'go-stdouttrace':
        return goStdouttrace().decodeGoStdouttraceValue(value, source);
      case 'python-console':
        return pythonConsole().decodePythonConsoleValue(value, source);
      default:
        return decodeOtlpJsonValue(value, source, this.ids);
    }
  }

  /**
   * The failure for a file whose documents gave `spans` spans in all, when it gave none and held an error
   * answer of the trace store (an answer saved instead of traces); else undefined.
   */
  refusal(spans: number): DecodeFailed | undefined {
    const first = this.incomplete.find((answer) => answer.error !== undefined);
    if (spans > 0 || first === undefined) return undefined;
    const cause = `${first.where} is an error answer of the trace store (${JSON.stringify(first.error)}), not traces`;
    const hint = 'Save the answer of a query that found the trace: check its id and time range.';
    return this.fail(first.source, 'unknown-format', cause, hint);
  }

  private fail(source: SpanSource, reason: DecodeReason, cause: string, hint: string): DecodeFailed {
    return {
      ok: false,
      reason,
      file: source.file,
      ...(source.line !== undefined ? { line: source.line } : {}),
      message: failure(`read spans from "${source.file}"`, cause, hint),
    };
  }

  notes(): string[] {
    const notes: string[] = [];
    if (this.ids.base64Ids > 0) notes.push(base64IdsNote([this.file], this.ids.base64Ids));
    if (this.otherSignals > 0) notes.push(otherSignalsNote([{ file: this.file, documents: this.otherSignals }]));
    if (this.incomplete.length > 0) notes.push(incompleteAnswersNote(this.incomplete));
    return notes;
  }
}

/** A trace store's answer that left traces or spans out, where it is in its file, and how to get it all. */
export interface IncompleteAnswer {
  readonly source: SpanSource;
  readonly where: string;
  readonly what: string;
  readonly refetch: string;
  /** The error answered instead of traces, when it is one. */
  readonly error?: string;
}

/**
 * Who a note is about: one file by name, or several (the first three named, and how many more) so that
 * answers saved one per file (hundreds of Tempo answers) give one note, not one line each.
 */
function filesWord(files: readonly string[], one: string, many: string): string {
  const named = files.slice(0, 3).map((file) => `"${file}"`);
  if (files.length === 1) return `${named.join('')} ${one}`;
  const more = files.length > named.length ? ` and ${files.length - named.length} more` : '';
  return `${files.length} files (${named.join(', ')}${more}) ${many}`;
}

/** The note that `files` held documents of other OTLP signals, skipped: one note for all the files. */
export function otherSignalsNote(files: readonly { file: string; documents: number }[]): string {
  const documents = files.reduce((sum, { documents }) => sum + documents, 0);
  const who = filesWord(
    files.map(({ file }) => file),
    'holds',
    'hold',
  );
  return withPrefix(
    `Note: ${who} ${documents} ${documents === 1 ? 'document' : 'documents'} of OTLP metrics, logs or profiles (a Collector file exporter shared by several pipelines); ${documents === 1 ? 'it was' : 'they were'} skipped.`,
  );
}

/**
 * The note that trace store answers left traces or spans out (`answers`, of one file or several): the first
 * three named by file and place, how many more, and how to fetch them whole; one note for all the files.
 */
export function incompleteAnswersNote(answers: readonly IncompleteAnswer[]): string {
  const files = [...new Set(answers.map((answer) => answer.source.file))];
  const count = answers.length;
  // One file's answers by place alone, as before; several files' by file and place.
  const place = ({ source, where }: IncompleteAnswer): string =>
    files.length === 1 ? where : where === 'the document' ? `"${source.file}"` : `"${source.file}" ${where}`;
  const shown = answers.slice(0, 3).map((answer) => `${place(answer)} is ${answer.what}`);
  if (count > shown.length) shown.push(`and ${count - shown.length} more`);
  const what = count === 1 ? 'an incomplete answer' : `${count} incomplete answers`;
  const who = filesWord(files, `holds ${what}`, `hold ${what}`);
  const refetch = [...new Set(answers.map((answer) => answer.refetch))].join('; ');
  return withPrefix(
    `Note: ${who} of the trace store: ${shown.join('; ')}. Traces or spans ${count === 1 ? 'it' : 'they'} left out may read as a missing-service or broken-chain that the services did not cause: ${refetch}, before trusting such a verdict.`,
  );
}

/**
 * The note that `files` write ids in base64, `ids` of them decoded: one note for all the files, so that
 * Grafana Tempo's answers saved one per trace (hundreds of files) do not print one line each.
 */
export function base64IdsNote(files: readonly string[], ids: number): string {
  return withPrefix(
    `Note: ${filesWord(files, 'writes', 'write')} ids in base64 (the protobuf JSON mapping, as Grafana Tempo and grpcurl write OTLP); ${ids} ids were decoded to hex.`,
  );
}

/** Jaeger's answer with an empty `data` list (its errors say why: no trace of those asked for found). */
function isEmptyJaegerAnswer(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.data) && value.data.length === 0;
}
