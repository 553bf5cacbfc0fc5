/**
 * Trace dump formats: OTLP/JSON (with protojson ids and Tempo's envelope), OTLP protobuf (bare or the
 * Collector file exporter's framing), Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace
 * and Python's and JS's ConsoleSpanExporter print, detected by content. Node only (files are read as streams).
 */
export { DUMP_FORMATS, DUMP_FORMAT_NAMES, detectJsonFormat, parseDumpFormat } from './dump-format';
export { decodeGoStdouttraceValue } from './go-stdouttrace';
export { decodeJaegerValue } from './jaeger-json';
export { decodePythonConsoleValue } from './python-console';
export { CUT_MARKER, decodeJsConsoleValue } from './js-console';
export { CutValue, InspectObject, MAX_DEPTH, readInspectText } from './inspect-text';
export { decodeZipkinValue } from './zipkin-json';
export { SHARED_SPAN_ID, joinZipkinSpans, sharedServerSpanId } from './zipkin-shared';
export { decodeOtlpProtoFile } from './otlp-proto-file';
export { isOtherSignal, otherSignalOf } from './other-signal';
export { readDumpFile } from './read-dump-file';

export type { DumpFormat, DumpFormatResult } from './dump-format';
export type { InspectResult, InspectValue } from './inspect-text';
export type { OtherSignal } from './other-signal';
export type { DumpReadResult, ReadLimits } from './read-dump-file';
