/**
 * A trace as Grafana holds it, saved from its panel inspector in place of a trace download: a data frame of one
 * row per span (columns `traceID`, `spanID`, `parentSpanID`, `operationName`, `serviceName`, `startTime`, ...), as
 * "Download CSV" (Inspect > Data) or the JSON tab ("DataFrame JSON", "Panel data") writes it. Its rows hold the spans
 * in Grafana's own columns, which tracehop does not read; Inspect > Data's "Download traces" writes the same trace
 * as Jaeger, Zipkin or OTLP JSON (grafana/grafana `public/app/features/inspector/utils/download.ts`), which it does.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What to do instead, for both. */
export const GRAFANA_FRAME_HINT =
  'Save the trace with Grafana\'s Inspect > Data > "Download traces" (it writes Jaeger, Zipkin or OTLP JSON, which tracehop reads), or fetch it from the trace store\'s API.';

/** Whether a list of data frame fields (`{name, ...}`) names a trace's span columns. */
function traceColumns(fields: unknown): boolean {
  if (!Array.isArray(fields)) return false;
  const names = new Set(fields.map((field: unknown) => (isRecord(field) ? field.name : undefined)));
  return names.has('traceID') && names.has('spanID');
}

/** Whether `value` is one data frame of a trace: `{schema: {fields}, data: {values}}` or `{fields: [{name, values}]}`. */
function isTraceFrame(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (isRecord(value.schema) && isRecord(value.data)) return traceColumns(value.schema.fields);
  return traceColumns(value.fields);
}

/**
 * What a parsed document is when it is a trace's data frame saved from Grafana's inspector ("DataFrame JSON": a
 * list of frames; "Panel data": `{series: [frames]}`; or one frame), for "line 1 is ..."; else undefined.
 */
export function grafanaFrameOf(value: unknown): string | undefined {
  const frames = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.series) ? value.series : [value];
  if (!frames.some(isTraceFrame)) return undefined;
  return "a trace as a Grafana data frame (Inspect's JSON tab: DataFrame JSON or panel data), Grafana's own columns rather than a trace format";
}

/** Cells of a CSV header line, unquoted, split at commas, semicolons or tabs. */
function headerCells(line: string): string[] {
  return line.split(/[,;\t]/).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

/**
 * The problem of a text whose first lines are a trace's data frame as CSV (Inspect > Data > "Download CSV": a header
 * naming `traceID` and `spanID`, after Excel's `sep=,` line when that option was on); else undefined.
 */
export function grafanaCsvProblem(lines: readonly string[]): string | undefined {
  const first = lines.findIndex((line) => line.trim() !== '');
  let header = lines[first] ?? '';
  if (/^sep=.$/.test(header.trim())) header = lines.slice(first + 1).find((line) => line.trim() !== '') ?? '';
  const cells = headerCells(header);
  if (!cells.includes('traceID') || !cells.includes('spanID')) return undefined;
  return 'is a CSV header (traceID, spanID, ...): the file is a trace as Grafana\'s "Download CSV" writes its data frame, not a trace format';
}
