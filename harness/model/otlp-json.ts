import { failure } from '../internal/messages';
import { parseSpanId, parseTraceId, type IdReason, type IdResult, type SpanId, type TraceId } from './ids';
import { decodeKeyValues, encodeKeyValues } from './internal/any-value';
import { jsonErrorOffset } from './internal/json-error-offset';
import { SPAN_KIND_NUMBERS, spanKindFromName, spanKindFromNumber } from './internal/span-kind';
import { msToNanosString, nanosStringToMs } from './internal/nanos';
import type { OtlpJsonDocument, OtlpJsonSpan, OtlpResourceSpans } from './otlp-json-types';
import type { AttributeValue, Span, SpanKind, SpanSource } from './span';
import { errorMessage } from '../internal/result';

/** Where and why an OTLP/JSON input could not be read. `message` is user-facing (prefixed). */
export interface OtlpDecodeError {
  readonly file: string;
  /** 1-based line of a JSON Lines file, or of a JSON syntax error. */
  readonly line?: number;
  /** JSON path inside the document, e.g. `resourceSpans[0].scopeSpans[1].spans[3].spanId`. */
  readonly path?: string;
  readonly message: string;
}

export type OtlpDecodeResult = { ok: true; spans: Span[] } | { ok: false; error: OtlpDecodeError };

const HINT = "Export with the OTLP JSON encoding or the Collector's file exporter.";

// ---- encoding ----

function encodeSpan(span: Span): OtlpJsonSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    ...(span.traceState ? { traceState: span.traceState } : {}),
    ...(span.traceFlags !== undefined ? { flags: span.traceFlags } : {}),
    name: span.name,
    kind: SPAN_KIND_NUMBERS[span.kind],
    startTimeUnixNano: msToNanosString(span.startTimeMs),
    endTimeUnixNano: msToNanosString(span.endTimeMs),
    attributes: encodeKeyValues(span.attributes),
    ...(span.statusCode !== undefined ? { status: { code: span.statusCode } } : {}),
  };
}

/**
 * Encodes spans as one OTLP/JSON `ExportTraceServiceRequest`, one `resourceSpans` entry per service.
 * @example JSON.stringify(encodeOtlpJson(spans)) // ready for `tracehop check` or a trace viewer
 */
export function encodeOtlpJson(spans: readonly Span[]): OtlpJsonDocument {
  const byService = new Map<string, OtlpJsonSpan[]>();
  for (const span of spans) {
    let list = byService.get(span.service);
    if (!list) byService.set(span.service, (list = []));
    list.push(encodeSpan(span));
  }
  const resourceSpans: OtlpResourceSpans[] = [];
  for (const [service, list] of byService) {
    resourceSpans.push({
      resource: { attributes: encodeKeyValues({ 'service.name': service }) },
      scopeSpans: [{ scope: { name: 'tracehop' }, spans: list }],
    });
  }
  return { resourceSpans };
}

// ---- decoding ----

/** A failure inside one document: the JSON path and what is wrong there. */
interface Fault {
  readonly path?: string;
  readonly problem: string;
}

class DecodeFault {
  constructor(readonly fault: Fault) {}

  /** The same fault seen from an enclosing object at `prefix`. */
  within(prefix: string): DecodeFault {
    const path = this.fault.path ? `${prefix}.${this.fault.path}` : prefix;
    return new DecodeFault({ path, problem: this.fault.problem });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIdFault(text: string, reason: IdReason, length: number, what: string): string {
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
  switch (reason) {
    case 'wrong-length':
      if (text.length === Math.ceil(length / 2 / 3) * 4 && /^[A-Za-z0-9+/]+=*$/.test(text)) {
        return `${shown} looks base64-encoded; the OTLP JSON encoding writes ${what}s as ${length} hex characters`;
      }
      return `${shown} is not a ${what}: it has ${text.length} characters, not ${length} hex characters`;
    case 'not-hex':
      return `${shown} is not a ${what}: it has characters that are not hex`;
    case 'all-zero':
      return `${shown} is not a ${what}: it is all zeros, which means "no id"`;
    case 'uppercase-hex':
      return `${shown} is not a ${what}: it has uppercase hex`;
  }
}

/** Reads a hex id with its parser. The OTLP JSON encoding allows either case; the model keeps lowercase. */
function readId<T>(
  value: unknown,
  path: string,
  parse: (text: string) => IdResult<T>,
  length: number,
  what: string,
): T {
  if (typeof value !== 'string') throw new DecodeFault({ path, problem: 'is missing or not a string' });
  let result = parse(value);
  if (!result.ok && result.reason === 'uppercase-hex') result = parse(value.toLowerCase());
  if (!result.ok) throw new DecodeFault({ path, problem: describeIdFault(value, result.reason, length, what) });
  return result.value;
}

const readTraceId = (value: unknown, path: string): TraceId => readId(value, path, parseTraceId, 32, 'trace id');
const readSpanId = (value: unknown, path: string): SpanId => readId(value, path, parseSpanId, 16, 'span id');

function readKind(value: unknown, path: string): SpanKind {
  if (value === undefined || value === null) return 'unspecified';
  const kind =
    typeof value === 'number'
      ? spanKindFromNumber(value)
      : typeof value === 'string'
        ? spanKindFromName(value)
        : undefined;
  if (kind !== undefined) return kind;
  throw new DecodeFault({
    path,
    problem: `${JSON.stringify(value)} is not a span kind (0-5 or "SPAN_KIND_SERVER" and the like)`,
  });
}

function readTime(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value / 1e6;
  if (typeof value === 'string') {
    const ms = nanosStringToMs(value);
    if (ms !== undefined) return ms;
  }
  throw new DecodeFault({ path, problem: `${JSON.stringify(value)} is not a time in Unix nanoseconds` });
}

function readArray(value: unknown, path: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DecodeFault({ path, problem: 'is not an array' });
  return value;
}

function readAttributes(value: unknown, path: string): Record<string, AttributeValue> {
  const result = decodeKeyValues(value);
  if (!result.ok) throw new DecodeFault({ path: `${path}${result.path}`, problem: result.message });
  return result.value;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A string field that may be absent (read as ''), but is never another type. */
function readOptionalString(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new DecodeFault({ path, problem: `${JSON.stringify(value)} is not a string` });
  return value;
}

/** `status.code` (0 unset, 1 ok, 2 error), when a status is present. */
function readStatusCode(status: unknown): number | undefined {
  if (status === undefined || status === null) return undefined;
  if (!isRecord(status)) throw new DecodeFault({ path: 'status', problem: 'is not a Status object' });
  const code = status.code;
  if (code === undefined || code === null) return undefined;
  if (typeof code === 'number' && Number.isInteger(code) && code >= 0) return code;
  // proto3 JSON may write the enum by name.
  const named = typeof code === 'string' ? STATUS_CODES.indexOf(code) : -1;
  if (named !== -1) return named;
  throw new DecodeFault({
    path: 'status.code',
    problem: `${JSON.stringify(code)} is not a status code (0-2 or "STATUS_CODE_ERROR" and the like)`,
  });
}

const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** Decodes one span. Fault paths are relative to the span; the caller prefixes them, only on failure. */
function decodeSpan(raw: unknown, service: string, source: SpanSource): Span {
  if (!isRecord(raw)) throw new DecodeFault({ problem: 'is not a span object' });
  const span: Mutable<Span> = {
    traceId: readTraceId(raw.traceId, 'traceId'),
    spanId: readSpanId(raw.spanId, 'spanId'),
    name: readOptionalString(raw.name, 'name'),
    kind: readKind(raw.kind, 'kind'),
    service,
    startTimeMs: readTime(raw.startTimeUnixNano, 'startTimeUnixNano'),
    endTimeMs: readTime(raw.endTimeUnixNano, 'endTimeUnixNano'),
    attributes: readAttributes(raw.attributes, 'attributes'),
    source,
  };
  const parent = raw.parentSpanId;
  if (parent !== undefined && parent !== null && parent !== '') span.parentSpanId = readSpanId(parent, 'parentSpanId');
  const flags = raw.flags;
  if (flags !== undefined) {
    if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0) {
      throw new DecodeFault({
        path: 'flags',
        problem: `${JSON.stringify(flags)} is not span flags (an unsigned integer)`,
      });
    }
    span.traceFlags = flags & 0xff;
  }
  const traceState = readOptionalString(raw.traceState, 'traceState');
  if (traceState !== '') span.traceState = traceState;
  const statusCode = readStatusCode(raw.status);
  if (statusCode !== undefined) span.statusCode = statusCode;
  return span;
}

function decodeDocument(value: unknown, source: SpanSource, out: Span[]): void {
  if (!isRecord(value) || !('resourceSpans' in value)) {
    throw new DecodeFault({ problem: 'is not OTLP/JSON (no "resourceSpans")' });
  }
  const resourceSpans = readArray(value.resourceSpans, 'resourceSpans');
  for (let r = 0; r < resourceSpans.length; r++) {
    const rPath = `resourceSpans[${r}]`;
    const entry = resourceSpans[r];
    if (!isRecord(entry)) throw new DecodeFault({ path: rPath, problem: 'is not a ResourceSpans object' });
    const rawResource = entry.resource;
    if (rawResource !== undefined && rawResource !== null && !isRecord(rawResource))
      throw new DecodeFault({ path: `${rPath}.resource`, problem: 'is not a Resource object' });
    const resource = rawResource ?? {};
    const attributes = readAttributes(resource.attributes, `${rPath}.resource.attributes`);
    const name = attributes['service.name'];
    const service = typeof name === 'string' && name !== '' ? name : 'unknown_service';
    // `instrumentationLibrarySpans` is the pre-1.0 name some older exporters still write.
    const scopesKey = 'scopeSpans' in entry ? 'scopeSpans' : 'instrumentationLibrarySpans';
    const scopes = readArray(entry[scopesKey], `${rPath}.${scopesKey}`);
    for (let s = 0; s < scopes.length; s++) {
      const sPath = `${rPath}.${scopesKey}[${s}]`;
      const scope = scopes[s];
      if (!isRecord(scope)) throw new DecodeFault({ path: sPath, problem: 'is not a ScopeSpans object' });
      const spans = readArray(scope.spans, `${sPath}.spans`);
      for (let i = 0; i < spans.length; i++) {
        try {
          out.push(decodeSpan(spans[i], service, source));
        } catch (error) {
          throw error instanceof DecodeFault ? error.within(`${sPath}.spans[${i}]`) : error;
        }
      }
    }
  }
}

function errorAt(file: string, fault: Fault, line?: number): OtlpDecodeError {
  const place = [line !== undefined ? `line ${line}` : undefined, fault.path].filter(Boolean).join(', ');
  const cause = place ? `${place} ${fault.problem}` : fault.problem;
  return {
    file,
    ...(line !== undefined ? { line } : {}),
    ...(fault.path !== undefined ? { path: fault.path } : {}),
    message: failure(`read spans from "${file}"`, cause, HINT),
  };
}

/**
 * Decodes one parsed OTLP/JSON document. For callers that split and parse input themselves (streams).
 * Never throws.
 */
export function decodeOtlpJsonValue(value: unknown, source: SpanSource): OtlpDecodeResult {
  const spans: Span[] = [];
  try {
    decodeDocument(value, source, spans);
  } catch (error) {
    if (error instanceof DecodeFault) {
      const fault =
        error.fault.path || source.line !== undefined
          ? error.fault
          : { problem: `the document ${error.fault.problem}` };
      return { ok: false, error: errorAt(source.file, fault, source.line) };
    }
    // Not expected from any input, but this boundary promises a result, never an exception.
    const reason = errorMessage(error);
    return { ok: false, error: errorAt(source.file, { problem: `could not be decoded (${reason})` }, source.line) };
  }
  return { ok: true, spans };
}

/** V8's JSON.parse message without the quoted source excerpt, which may span lines. */
function jsonErrorReason(error: unknown): string {
  const message = errorMessage(error);
  return message.split(/, (?:"|\.\.\.)|\n/, 1)[0] ?? message;
}

/** Finds the 1-based line of a JSON.parse error: where V8 says, or where our own scan stops. */
function syntaxErrorLine(text: string, error: unknown): { line?: number; reason: string } {
  const reason = jsonErrorReason(error);
  const match = /at position (\d+)/.exec(reason);
  const position = match ? Number(match[1]) : jsonErrorOffset(text);
  if (position < 0) return { reason };
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return { line, reason };
}

/**
 * Decodes one OTLP/JSON line of a JSON Lines file (1-based `line`). Blank lines decode to no spans.
 * Never throws.
 */
export function decodeOtlpJsonLine(text: string, file: string, line: number): OtlpDecodeResult {
  if (text.trim() === '') return { ok: true, spans: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: errorAt(file, { problem: `is not valid JSON (${jsonErrorReason(error)})` }, line) };
  }
  return decodeOtlpJsonValue(value, { file, line });
}

/**
 * Decodes a whole OTLP/JSON input: one `ExportTraceServiceRequest` document, or JSON Lines (one document
 * per line, as the Collector file exporter writes). Never throws; errors name the file, line and JSON path.
 * @example decodeOtlpJson(fs.readFileSync('dump.jsonl', 'utf8'), 'dump.jsonl')
 */
export function decodeOtlpJson(text: string, source: string): OtlpDecodeResult {
  if (text.trim() === '') return { ok: false, error: errorAt(source, { problem: 'the file is empty' }) };
  let whole: unknown;
  let wholeError: unknown;
  try {
    whole = JSON.parse(text);
  } catch (error) {
    wholeError = error;
  }
  if (wholeError === undefined) return decodeOtlpJsonValue(whole, { file: source });

  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.trim() !== '');
  if (!firstLineParses(lines[first] ?? '')) {
    // Not JSON Lines: report the syntax error of the document as a whole.
    const { line, reason } = syntaxErrorLine(text, wholeError);
    const problem = `is not valid JSON (${reason})`;
    return {
      ok: false,
      error: errorAt(source, { problem: line !== undefined ? problem : `the document ${problem}` }, line),
    };
  }
  const spans: Span[] = [];
  for (let i = first; i < lines.length; i++) {
    const result = decodeOtlpJsonLine(lines[i] ?? '', source, i + 1);
    if (!result.ok) return result;
    for (const span of result.spans) spans.push(span);
  }
  return { ok: true, spans };
}

function firstLineParses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
