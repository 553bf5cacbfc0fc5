/** The dump formats tracehop reads, their names for `--format`, and detection by content. */
import type { Failure } from '../../internal/result';
import { isOtlpJsonValue } from '../otlp-json';
import { goStdouttrace, jaegerJson, pythonConsole, zipkinJson } from './lazy-readers';

/**
 * `otlp-json`: OTLP/JSON, one document or JSON Lines, hex or base64 (protojson, Grafana Tempo) ids;
 * `otlp-proto`: OTLP protobuf, one ExportTraceServiceRequest or the Collector file exporter's framing;
 * `jaeger`: Jaeger JSON; `zipkin`: Zipkin JSON; `go-stdouttrace`: the spans OpenTelemetry Go's stdouttrace
 * exporter prints (go-stdouttrace.ts); `python-console`: the spans OpenTelemetry Python's ConsoleSpanExporter
 * prints (python-console.ts); `js-console`: the spans OpenTelemetry JS's ConsoleSpanExporter prints, util.inspect
 * text rather than JSON (js-console.ts).
 */
export type DumpFormat =
  'otlp-json' | 'otlp-proto' | 'jaeger' | 'zipkin' | 'go-stdouttrace' | 'python-console' | 'js-console';

/** The formats that are JSON documents, one after another or one a line. */
export type JsonDumpFormat = Exclude<DumpFormat, 'otlp-proto' | 'js-console'>;

export const DUMP_FORMATS: readonly DumpFormat[] = [
  'otlp-json',
  'otlp-proto',
  'jaeger',
  'zipkin',
  'go-stdouttrace',
  'python-console',
  'js-console',
];

/** Names for messages. */
export const DUMP_FORMAT_NAMES: Readonly<Record<DumpFormat, string>> = {
  'otlp-json': 'OTLP/JSON',
  'otlp-proto': 'OTLP protobuf',
  jaeger: 'Jaeger JSON',
  zipkin: 'Zipkin JSON',
  'go-stdouttrace': "OpenTelemetry Go's stdouttrace output",
  'python-console': "OpenTelemetry Python's ConsoleSpanExporter output",
  'js-console': "OpenTelemetry JS's ConsoleSpanExporter output",
};

export type DumpFormatResult = { ok: true; value: DumpFormat } | Failure<'unknown-format'>;

/** Parses a `--format` value. */
export function parseDumpFormat(text: string): DumpFormatResult {
  const found = DUMP_FORMATS.find((format) => format === text);
  if (found) return { ok: true, value: found };
  return {
    ok: false,
    reason: 'unknown-format',
    message: `there is no format ${JSON.stringify(text)}; formats are ${DUMP_FORMATS.join(', ')}`,
  };
}

/**
 * The JSON format a parsed document is written in, or undefined when it is none of them. The other readers are
 * loaded only for a document that is not OTLP/JSON (lazy-readers.ts).
 */
export function detectJsonFormat(value: unknown): JsonDumpFormat | undefined {
  if (isOtlpJsonValue(value)) return 'otlp-json';
  if (jaegerJson().isJaegerValue(value)) return 'jaeger';
  if (zipkinJson().isZipkinValue(value)) return 'zipkin';
  if (goStdouttrace().isGoStdouttraceValue(value)) return 'go-stdouttrace';
  if (pythonConsole().isPythonConsoleValue(value)) return 'python-console';
  return undefined;
}

/** Fewest NUL bytes an all-zero file has to hold to read as zero-filled (an empty protobuf frame is 4). */
const LEADING_ZEROS = 16;
/** Leading NUL bytes that make a file zero-filled whatever follows: a disk sector, the least a crash zeroes. */
const ZERO_BLOCK = 512;

/**
 * Whether a file's first bytes are text (JSON) or binary (protobuf): JSON starts with `{` or `[` after
 * optional whitespace and has no control bytes but tab, CR and LF; protobuf has them in its first tags and
 * lengths. A file that starts zero-filled counts as JSON, for the JSON reader to name the NULs. `head` has
 * the byte order mark already removed.
 */
export function sniffBytes(head: Uint8Array): 'json' | 'binary' | 'empty' {
  let first = -1;
  let control = false;
  let nul = false;
  for (let i = 0; i < head.length; i++) {
    const byte = head[i] ?? 0;
    if (byte === 0) nul = true;
    else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control = true;
    if (first === -1 && byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) first = byte;
    if (i >= 256 && first !== -1) break;
  }
  if (first === -1 && !nul && !control) return 'empty';
  // A file that starts zero-filled (a crash writes whole blocks of zeros: a sector or more, or all the file)
  // is for the JSON reader to name. Protobuf frames start with NULs too (a 4-byte length, 0 for an empty
  // request, then the next length's high bytes), but not with a block of them, nor with nothing else.
  let zeros = 0;
  while (zeros < head.length && head[zeros] === 0) zeros++;
  if (zeros >= ZERO_BLOCK || (zeros >= LEADING_ZEROS && zeros === head.length)) return 'json';
  // A document whose only control bytes are NULs (a zero-filled tail, a NUL inside a line) is JSON for the
  // JSON reader to name; protobuf has other control bytes among its first tags and lengths.
  if (!control && (!nul || first === 0x7b || first === 0x5b)) return 'json';
  return 'binary';
}
