/**
 * Files that hold spans but are no trace export: SDKs' debugging prints and local storage that tracehop does
 * not read, because they leave out what a check needs (parent ids, the service) or are not JSON at all. A
 * file that fails to read as a dump and opens like one of these gets a message naming the exporter that
 * wrote it and the one to use. (The prints of OpenTelemetry Go's stdouttrace and Python's and JS's
 * ConsoleSpanExporter carry all a check needs: they are read, by go-stdouttrace.ts, python-console.ts and
 * js-console.ts.)
 */
import { failure } from '../../internal/messages';
import type { DecodeReason } from '../decode-reason';
import type { OtlpDecodeResult } from '../otlp-json';

type DecodeFailed = Extract<OtlpDecodeResult, { ok: false }>;

interface ForeignOutput {
  /** Whether the file's first 4 KB (read as Latin-1) look like this output. */
  readonly opens: (head: string) => boolean;
  readonly cause: string;
  readonly hint: string;
}

/** Where an OTLP exporter's spans become a dump tracehop reads. */
const OTLP_TARGET = 'to tracehop serve, or to a Collector whose file exporter writes the dump';

const FOREIGN_OUTPUTS: readonly ForeignOutput[] = [
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
    // "ResourceTraces #0" and a line of name, trace id and span id per span (normal); in a JSON log, in "msg".
    opens: (head) =>
      /^(?:[^\n]*\t)?Resource(?:Spans|Traces) #\d+/m.test(head) ||
      /"msg"\s*:\s*"Resource(?:Spans|Traces) #\d+/.test(head) ||
      /\t(?:Traces|TracesExporter)\t\{[^\n]*"(?:resource spans|#spans)"/.test(head),
    cause:
      "the file is the OpenTelemetry Collector's debug exporter output (text in the Collector's log, which leaves out parent ids at verbosity basic and normal), not a trace export",
    hint: 'Add the file exporter to the traces pipeline beside debug (exporters: [debug, file], with file: {path: ./traces.jsonl}) and check the file it writes.',
  },
];

/** The failures such a file meets when read as a dump; a read or size failure is said as it is. */
const REPLACED: ReadonlySet<DecodeReason> = new Set<DecodeReason>(['not-json', 'invalid-document', 'unknown-format']);

/**
 * The failure `result` as it is, unless the file is SDK output that is no trace export (its first bytes `head`
 * tell which) and failed as such a file does: then a failure naming that output and the exporter to use instead.
 */
export function foreignOutputFailure(head: string, file: string, result: DecodeFailed): DecodeFailed {
  if (!REPLACED.has(result.reason)) return result;
  const output = FOREIGN_OUTPUTS.find((candidate) => candidate.opens(head));
  if (output === undefined) return result;
  return {
    ok: false,
    reason: 'wrong-format',
    file,
    message: failure(`read spans from "${file}"`, output.cause, output.hint),
  };
}
