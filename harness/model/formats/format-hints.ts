/**
 * What to do about a file that is not the format it was read as, per format: kept apart from the readers so that
 * naming a format in a message does not load its reader (tracehop check on an OTLP/JSON dump loads none of them).
 */

export const OTLP_PROTO_HINT =
  "Write one ExportTraceServiceRequest per file, or use the Collector's file exporter with format: proto.";

export const JAEGER_HINT = 'Download the trace from Jaeger (Download JSON in the UI, or GET /api/traces/{traceID}).';

export const ZIPKIN_HINT =
  'Export Zipkin v2 JSON (GET /api/v2/traces, or the body a Zipkin exporter POSTs to /api/v2/spans).';

export const GO_STDOUTTRACE_HINT =
  'Check the file as go.opentelemetry.io/otel/exporters/stdout/stdouttrace wrote it (one JSON object per span, pretty-printed or one a line), or export with otlptracehttp to tracehop serve.';

export const PYTHON_CONSOLE_HINT =
  "Check the file as opentelemetry-sdk's ConsoleSpanExporter wrote it (ReadableSpan.to_json of each span), or export with opentelemetry-exporter-otlp to tracehop serve.";

/**
 * What to do about a span print (Go's, Python's, JS's) cut short in a span: a CI log cut at its size limit, a
 * process killed while printing. The same words for every print.
 */
export const PRINT_CUT_HINT =
  'Copy the output again once the process has exited, or delete the unfinished span to check the rest.';

export const JS_CONSOLE_HINT =
  "Check the file as @opentelemetry/sdk-trace-base's ConsoleSpanExporter wrote it (console.dir of each span), or export with @opentelemetry/exporter-trace-otlp-http to tracehop serve.";
