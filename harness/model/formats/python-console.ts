/**
 * OpenTelemetry Python's ConsoleSpanExporter (opentelemetry-sdk, opentelemetry.sdk.trace.export): each span as
 * ReadableSpan.to_json() writes it (json.dumps with indent 4) followed by a newline, so a file holds pretty
 * JSON objects one after another (one a line with a formatter calling to_json(indent=None)):
 * `{"name", "context": {"trace_id": "0x...", "span_id": "0x...", "trace_state": "[]"}, "kind":
 * "SpanKind.SERVER", "parent_id": "0x..." | null, "start_time", "end_time", "status": {"status_code",
 * "description"?}, "attributes": {...}, "events": [...], "links": [...], "resource": {"attributes": {...},
 * "schema_url": ""}}`.
 *
 * Mapping to the model (shapes from opentelemetry-sdk 1.0 on):
 * - ids are hex in full after "0x" (1.0's first releases wrote parent_id without it: both read); a null
 *   parent_id is a root span.
 * - kind is str() of the SpanKind enum ("SpanKind.CLIENT").
 * - start_time and end_time are UTC with microseconds ("2026-12-04T16:40:39.728489Z"): the SDK's nanoseconds
 *   go through a float and strftime's %f, so times are kept to the microsecond.
 * - trace_state is repr() of the TraceState: "['{key=rojo, value=00f067aa0ba902b7}']", read back as "rojo=...".
 * - status_code "UNSET", "OK" or "ERROR" is OTLP's status code.
 * - the trace flags are not printed: every span read is taken as sampled (flags 01), because the SDK's
 *   SimpleSpanProcessor and BatchSpanProcessor hand only sampled spans to an exporter.
 * - resource is {"attributes", "schema_url"} (the attributes alone, before 1.12); its service.name names the
 *   service. Events are not kept, but for an ERROR span's `exception` events (`record_exception`:
 *   Span.exceptions); links become links.
 */
import type { OtlpDecodeResult } from '../otlp-json';
import type { AttributeValue, Attributes, Span, SpanException, SpanKind, SpanLink, SpanSource } from '../span';
import type { SpanId } from '../ids';
import { shownValue } from '../../internal/shown-value';
import { serviceNameOf } from '../internal/service-name';
import { readIsoTime } from './iso-time';
import { JsonFault, isRecord, readArray, readExactSpanId, readExactTraceId, readString } from './json-fault';
import { decodePrintedSpan, type SpanPrint } from './printed-span';
import { PYTHON_CONSOLE_HINT } from './format-hints';
import { errorStatusMessage } from '../internal/status-message';
import { EXCEPTION_EVENT, errorExceptions, exceptionOfObject } from '../internal/exception-events';

const TIME_EXAMPLE = 'ConsoleSpanExporter writes "2026-12-04T16:40:39.728489Z"';
const KINDS: Readonly<Record<string, SpanKind>> = {
  INTERNAL: 'internal',
  SERVER: 'server',
  CLIENT: 'client',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};
const STATUS: Readonly<Record<string, number>> = { UNSET: 0, OK: 1, ERROR: 2 };
/** The sampled flag: only sampled spans reach an exporter (see the file's comment). */
const SAMPLED = 1;
/** One entry of TraceState's repr: '{key=rojo, value=00f067aa0ba902b7}', quoted as Python's str() of a list does. */
const TRACE_STATE_ENTRY = /^(['"])\{key=([^,]+), value=(.*)\}\1$/;

/** True when a parsed JSON value is one span as to_json prints it: an object with a "context" of "trace_id". */
export function isPythonConsoleValue(value: unknown): boolean {
  return isRecord(value) && isRecord(value.context) && 'trace_id' in value.context && 'kind' in value;
}

/** A JSON value from an attribute map as an attribute value (the SDK writes strings, numbers, booleans, lists). */
function plainValue(value: unknown, path: string): AttributeValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (Array.isArray(value)) return value.map((item, i) => plainValue(item, `${path}[${i}]`));
  if (isRecord(value)) return readAttributes(value, path);
  throw new JsonFault(path, `${shownValue(value)} is not an attribute value`);
}

function readAttributes(value: unknown, path: string): Attributes {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new JsonFault(path, 'is not an object of attributes');
  const attributes: Attributes = {};
  for (const [key, item] of Object.entries(value)) attributes[key] = plainValue(item, `${path}.${key}`);
  return attributes;
}

/**
 * The W3C tracestate of TraceState's repr ("['{key=a, value=1}', '{key=b, value=2}']" -> "a=1,b=2"), or
 * undefined for an empty one ("[]").
 */
function readTraceState(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  // "[]" is a trace state known to be empty (a lost tracestate shows), not an unrecorded one.
  if (value === '[]') return '';
  const fault = (): JsonFault =>
    new JsonFault(
      path,
      `${shownValue(value)} is not a TraceState as to_json prints it ("[]" or "['{key=k, value=v}']")`,
    );
  if (typeof value !== 'string' || !value.startsWith('[') || !value.endsWith(']')) throw fault();
  // Keys hold no ", " (W3C tracestate keys are lowercase letters, digits and _-*/@); values may hold spaces.
  const entries = value
    .slice(1, -1)
    .split(/, (?=['"]\{key=)/)
    .map((part) => {
      const match = TRACE_STATE_ENTRY.exec(part);
      if (match === null) throw fault();
      // Python's repr escapes a backslash, and the quote it chose, with a backslash.
      const unescape = (text: string | undefined): string => (text ?? '').replace(/\\(.)/g, '$1');
      return `${unescape(match[2])}=${unescape(match[3])}`;
    });
  return entries.join(',');
}

function readKind(value: unknown, path: string): SpanKind {
  const name = typeof value === 'string' ? value.replace(/^SpanKind\./, '') : undefined;
  const kind = name !== undefined && Object.hasOwn(KINDS, name) ? KINDS[name] : undefined;
  if (kind !== undefined) return kind;
  if (value === undefined || value === null) throw new JsonFault(path, 'is missing: every to_json span has one');
  throw new JsonFault(
    path,
    `${shownValue(value)} is not a span kind ("SpanKind.INTERNAL", "SpanKind.SERVER", "SpanKind.CLIENT", "SpanKind.PRODUCER" or "SpanKind.CONSUMER")`,
  );
}

function readParent(value: unknown, path: string): SpanId | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && /^(?:0x)?0+$/.test(value)) return undefined;
  return readExactSpanId(value, path, '0x');
}

function readStatus(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new JsonFault(path, 'is not a status ({"status_code", "description"})');
  const code = value.status_code;
  if (typeof code === 'string' && Object.hasOwn(STATUS, code)) return STATUS[code];
  throw new JsonFault(`${path}.status_code`, `${shownValue(code)} is not a status code ("UNSET", "OK" or "ERROR")`);
}

function readLinks(value: unknown, path: string): SpanLink[] {
  const links: SpanLink[] = [];
  const list = readArray(value, path);
  for (let i = 0; i < list.length; i++) {
    const link = list[i];
    const at = `${path}[${i}]`;
    if (!isRecord(link) || !isRecord(link.context))
      throw new JsonFault(at, 'is not a link ({"context", "attributes"})');
    // A link to nothing (all-zero ids) is no link, as in the other readers.
    if (typeof link.context.span_id === 'string' && /^(?:0x)?0+$/.test(link.context.span_id)) continue;
    const attributes = readAttributes(link.attributes, `${at}.attributes`);
    links.push({
      traceId: readExactTraceId(link.context.trace_id, `${at}.context.trace_id`, '0x'),
      spanId: readExactSpanId(link.context.span_id, `${at}.context.span_id`, '0x'),
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    });
  }
  return links;
}

/** The resource's attributes: under "attributes" (opentelemetry-sdk 1.12 and later), or the object itself. */
function resourceAttributes(value: unknown, path: string): Attributes {
  if (
    isRecord(value) &&
    isRecord(value.attributes) &&
    Object.keys(value).every((key) => key === 'attributes' || key === 'schema_url')
  )
    return readAttributes(value.attributes, `${path}.attributes`);
  return readAttributes(value, path);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The `exception` events of a span's `events` (`{"name", "timestamp", "attributes": {...}}`), read leniently
 * for Span.exceptions: an event of another shape is passed over.
 */
function eventExceptions(events: unknown): SpanException[] | undefined {
  if (!Array.isArray(events)) return undefined;
  let found: SpanException[] | undefined;
  for (const event of events) {
    if (!isRecord(event) || event.name !== EXCEPTION_EVENT) continue;
    const exception = exceptionOfObject(event.attributes);
    if (exception !== undefined) (found ??= []).push(exception);
  }
  return found;
}

function decodeSpan(raw: Record<string, unknown>, source: SpanSource): Span {
  const context = raw.context;
  if (!isRecord(context))
    throw new JsonFault('context', 'is not a span context ({"trace_id", "span_id", "trace_state"})');
  const resource = resourceAttributes(raw.resource, 'resource');
  const span: Mutable<Span> = {
    traceId: readExactTraceId(context.trace_id, 'context.trace_id', '0x'),
    spanId: readExactSpanId(context.span_id, 'context.span_id', '0x'),
    name: readString(raw.name, 'name'),
    kind: readKind(raw.kind, 'kind'),
    service: serviceNameOf(resource['service.name']),
    startTimeMs: readIsoTime(raw.start_time, 'start_time', TIME_EXAMPLE),
    endTimeMs: readIsoTime(raw.end_time, 'end_time', TIME_EXAMPLE),
    attributes: readAttributes(raw.attributes, 'attributes'),
    traceFlags: SAMPLED,
    source,
  };
  const parent = readParent(raw.parent_id, 'parent_id');
  if (parent !== undefined) span.parentSpanId = parent;
  const traceState = readTraceState(context.trace_state, 'context.trace_state');
  if (traceState !== undefined) span.traceState = traceState;
  const status = readStatus(raw.status, 'status');
  if (status !== undefined) span.statusCode = status;
  const message = errorStatusMessage(status, isRecord(raw.status) ? raw.status.description : undefined);
  if (message !== undefined) span.statusMessage = message;
  const exceptions = errorExceptions(status, status === 2 ? eventExceptions(raw.events) : undefined);
  if (exceptions !== undefined) span.exceptions = exceptions;
  const links = readLinks(raw.links, 'links');
  if (links.length > 0) span.links = links;
  return span;
}

const PRINT: SpanPrint = {
  contextField: 'context',
  nameField: 'name',
  what: 'a ConsoleSpanExporter span',
  hint: PYTHON_CONSOLE_HINT,
  decode: decodeSpan,
};

/**
 * Decodes one span as ReadableSpan.to_json prints it. Never throws; errors name the file, the line the span
 * starts on, the field and the span.
 */
export function decodePythonConsoleValue(value: unknown, source: SpanSource): OtlpDecodeResult {
  return decodePrintedSpan(PRINT, value, source);
}
