/**
 * OpenTelemetry JS's ConsoleSpanExporter (@opentelemetry/sdk-trace-base): `console.dir(info, { depth: 3 })` of
 * each span, so util.inspect text (inspect-text.ts reads it), not JSON:
 * `{ resource: { attributes: {...} }, instrumentationScope, traceId: '...', parentId: '...' (SDK 1.x) |
 * parentSpanContext: { traceId, spanId, traceFlags, traceState: TraceState {...}, isRemote } (2.x), traceState:
 * 'k=v' | undefined, name, id: '...', kind: 1, timestamp: <µs>, duration: <µs>, attributes: {...}, status:
 * { code: 0 }, events: [...], links: [...] }`. fixtures/dumps/js-console/ holds real output and the program
 * that wrote it.
 *
 * Mapping to the model:
 * - ids are lowercase hex in full; an absent parent (`parentId: undefined`, `parentSpanContext: undefined`)
 *   is a root span. A 2.x parent in another trace than its span is refused, as for Go's print.
 * - kind is the API's SpanKind number: 0 internal, 1 server, 2 client, 3 producer, 4 consumer (not OTLP's).
 * - timestamp (the start) and duration are microseconds, fractions of one kept.
 * - traceState is the span's own trace state serialized ("rojo=00f067aa0ba902b7"); the print always holds
 *   the key, so `undefined` is a trace state known to be empty (a lost tracestate shows).
 * - status.code is the API's SpanStatusCode, the same numbers as OTLP's (0 unset, 1 ok, 2 error).
 * - trace flags are not printed: every span read is taken as sampled (flags 01), because the SDK's
 *   SimpleSpanProcessor and BatchSpanProcessor hand only sampled spans to an exporter.
 * - resource.attributes' service.name names the service; sdk-trace-base before 1.24 prints no resource at all, so
 *   its spans name none (unknown_service, with a note saying why). Events are not kept; links become links.
 * - What the print cut short (inspect-text.ts's CutValue): an attribute value (a string of more than 10000
 *   characters, a list of more than 100 items, a list nested beyond depth 3 as link attributes are, printed
 *   `[Array]`) is kept as the string CUT_MARKER + what it was ("[cut short by console.dir: a list of 120
 *   items]"), never as the part printed; an id, a name, a time, the trace state or the service cut short is
 *   refused, since no check can stand on part of one.
 */
import type { OtlpDecodeResult } from '../otlp-json';
import type { AttributeValue, Attributes, Span, SpanKind, SpanLink, SpanSource } from '../span';
import type { SpanId, TraceId } from '../ids';
import { errorMessage } from '../../internal/result';
import { shownText } from '../../internal/shown-value';
import { serviceNameOf } from '../internal/service-name';
import { JsonFault, faultResult, readExactSpanId, readExactTraceId } from './json-fault';
import { CutValue, InspectObject, type InspectValue } from './inspect-text';
import { JS_CONSOLE_HINT } from './format-hints';
import { errorStatusMessage } from '../internal/status-message';

/** What an attribute value the print cut short becomes: this, then what it was, then "]". */
export const CUT_MARKER = '[cut short by console.dir: ';

/** The API's SpanKind: INTERNAL 0, SERVER 1, CLIENT 2, PRODUCER 3, CONSUMER 4. */
const KINDS: readonly SpanKind[] = ['internal', 'server', 'client', 'producer', 'consumer'];
/** The sampled flag: only sampled spans reach an exporter (see the file's comment). */
const SAMPLED = 1;

/** What the print cut short or left out of a file's spans, for notes. */
export interface CutCount {
  /** Attribute values the print cut short. */
  cutValues: number;
  /**
   * Spans printed with no `resource` key, as sdk-trace-base before 1.24 prints every span: they name no service
   * (unknown_service).
   */
  withoutResource: number;
}

/** The printed form of a value, for a message: a string quoted, a CutValue as what it was. */
function shown(value: InspectValue): string {
  if (typeof value === 'string') return shownText(value);
  if (value instanceof CutValue) return value.what;
  if (value instanceof InspectObject) return `an object${value.className ? ` (${value.className})` : ''}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

function cutFault(path: string, value: CutValue, what: string): JsonFault {
  return new JsonFault(path, `is ${value.what}, which the print cut short: ${what} cannot be read from part of it`);
}

function readText(value: InspectValue | undefined, path: string, what: string): string {
  if (value instanceof CutValue) throw cutFault(path, value, what);
  if (typeof value !== 'string') throw new JsonFault(path, `${shown(value)} is not a string`);
  return value;
}

function readObject(value: InspectValue | undefined, path: string, what: string): InspectObject {
  if (value instanceof CutValue) throw cutFault(path, value, what);
  if (!(value instanceof InspectObject)) throw new JsonFault(path, `${shown(value)} is not an object (${what})`);
  return value;
}

function traceIdOf(value: InspectValue | undefined, path: string): TraceId {
  if (value instanceof CutValue) throw cutFault(path, value, 'a trace id');
  return readExactTraceId(value, path);
}

function spanIdOf(value: InspectValue | undefined, path: string): SpanId {
  if (value instanceof CutValue) throw cutFault(path, value, 'a span id');
  return readExactSpanId(value, path);
}

function attributeValue(value: InspectValue, path: string, count: CutCount): AttributeValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof CutValue) {
    count.cutValues++;
    return `${CUT_MARKER}${value.what}]`;
  }
  if (Array.isArray(value)) return value.map((item, i) => attributeValue(item, `${path}[${i}]`, count));
  if (value instanceof InspectObject) return readAttributes(value, path, count);
  throw new JsonFault(path, `${shown(value)} is not an attribute value`);
}

function readAttributes(value: InspectValue | undefined, path: string, count: CutCount): Attributes {
  if (value === undefined || value === null) return {};
  const object = readObject(value, path, 'attributes');
  const attributes: Attributes = {};
  for (const [key, item] of object.entries) attributes[key] = attributeValue(item, `${path}.${key}`, count);
  return attributes;
}

function readKind(value: InspectValue | undefined): SpanKind {
  const kind = typeof value === 'number' && Number.isInteger(value) ? KINDS[value] : undefined;
  if (kind !== undefined) return kind;
  if (value === undefined) throw new JsonFault('kind', 'is missing: every ConsoleSpanExporter span has one');
  throw new JsonFault(
    'kind',
    `${shown(value)} is not a span kind (0 internal, 1 server, 2 client, 3 producer, 4 consumer)`,
  );
}

function readMicros(value: InspectValue | undefined, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new JsonFault(path, `${shown(value)} is not a time in microseconds (a number of 0 or more)`);
}

/** The parent's span id: SDK 1.x's parentId, 2.x's parentSpanContext; undefined for a root span. */
function readParent(span: InspectObject, traceId: TraceId): SpanId | undefined {
  if (span.entries.has('parentSpanContext')) {
    const context = span.get('parentSpanContext');
    if (context === undefined || context === null) return undefined;
    const object = readObject(context, 'parentSpanContext', "the parent's span context");
    const parentTrace = traceIdOf(object.get('traceId'), 'parentSpanContext.traceId');
    if (parentTrace !== traceId)
      throw new JsonFault(
        'parentSpanContext.traceId',
        `${shownText(parentTrace)} is not the span's own trace id ${shownText(traceId)}: a parent is in its child's trace`,
      );
    return spanIdOf(object.get('spanId'), 'parentSpanContext.spanId');
  }
  const id = span.get('parentId');
  if (id === undefined || id === null || id === '') return undefined;
  return spanIdOf(id, 'parentId');
}

function readTraceState(span: InspectObject): string | undefined {
  if (!span.entries.has('traceState')) return undefined;
  const value = span.get('traceState');
  // The print always holds the key: undefined is a trace state known to be empty.
  if (value === undefined || value === null) return '';
  return readText(value, 'traceState', 'a trace state');
}

function readStatus(value: InspectValue | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const status = readObject(value, 'status', '{ code, message }');
  const code = status.get('code');
  if (code === 0 || code === 1 || code === 2) return code;
  throw new JsonFault('status.code', `${shown(code)} is not a status code (0 unset, 1 ok, 2 error)`);
}

function readLinks(value: InspectValue | undefined, count: CutCount): SpanLink[] {
  if (value === undefined || value === null) return [];
  if (value instanceof CutValue) throw cutFault('links', value, 'a link');
  if (!Array.isArray(value)) throw new JsonFault('links', `${shown(value)} is not a list`);
  const links: SpanLink[] = [];
  for (let i = 0; i < value.length; i++) {
    const at = `links[${i}]`;
    const link = readObject(value[i], at, 'a link: { context, attributes }');
    const context = readObject(link.get('context'), `${at}.context`, "the link's span context");
    // A link to nothing (all-zero ids) is no link, as in the other readers.
    const spanId = context.get('spanId');
    if (typeof spanId === 'string' && /^0+$/.test(spanId)) continue;
    const attributes = readAttributes(link.get('attributes'), `${at}.attributes`, count);
    links.push({
      traceId: traceIdOf(context.get('traceId'), `${at}.context.traceId`),
      spanId: spanIdOf(spanId, `${at}.context.spanId`),
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    });
  }
  return links;
}

function readService(value: InspectValue | undefined, count: CutCount): string {
  if (value === undefined) count.withoutResource++;
  if (value === undefined || value === null) return serviceNameOf(undefined);
  const resource = readObject(value, 'resource', '{ attributes }');
  const attributes = resource.get('attributes');
  if (attributes === undefined || attributes === null) return serviceNameOf(undefined);
  const name = readObject(attributes, 'resource.attributes', "the resource's attributes").get('service.name');
  if (name instanceof CutValue) throw cutFault("resource.attributes['service.name']", name, 'a service name');
  return serviceNameOf(name);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function decodeSpan(span: InspectObject, source: SpanSource, count: CutCount): Span {
  const traceId = traceIdOf(span.get('traceId'), 'traceId');
  const startMicros = readMicros(span.get('timestamp'), 'timestamp');
  const durationMicros = readMicros(span.get('duration'), 'duration');
  const decoded: Mutable<Span> = {
    traceId,
    spanId: spanIdOf(span.get('id'), 'id'),
    name: readText(span.get('name'), 'name', 'a span name'),
    kind: readKind(span.get('kind')),
    service: readService(span.get('resource'), count),
    startTimeMs: startMicros / 1000,
    endTimeMs: (startMicros + durationMicros) / 1000,
    attributes: readAttributes(span.get('attributes'), 'attributes', count),
    traceFlags: SAMPLED,
    source,
  };
  const parent = readParent(span, traceId);
  if (parent !== undefined) decoded.parentSpanId = parent;
  const traceState = readTraceState(span);
  if (traceState !== undefined) decoded.traceState = traceState;
  const status = readStatus(span.get('status'));
  if (status !== undefined) decoded.statusCode = status;
  const statusValue = span.get('status');
  const message = errorStatusMessage(
    status,
    statusValue instanceof InspectObject ? statusValue.get('message') : undefined,
  );
  if (message !== undefined) decoded.statusMessage = message;
  const links = readLinks(span.get('links'), count);
  if (links.length > 0) decoded.links = links;
  return decoded;
}

/** True when a printed value is one span as ConsoleSpanExporter prints it: an object with traceId and id. */
export function isJsConsoleValue(value: InspectValue): value is InspectObject {
  return value instanceof InspectObject && value.entries.has('traceId') && value.entries.has('id');
}

/**
 * Keys besides traceId and id that every span ConsoleSpanExporter prints has, in every SDK from 0.x to 2.x
 * (resource, instrumentationScope, traceState, links and the parent's key came later or changed).
 */
const SPAN_KEYS = ['name', 'kind', 'timestamp', 'duration', 'attributes', 'status', 'events'];
/** How many of SPAN_KEYS make an object with traceId and id a span: most, so a span short of a key is refused. */
const SPAN_KEYS_NEEDED = 5;

/**
 * Whether `value` is a span, though perhaps a broken one: a traceId, an id and most of the keys every span has
 * (SPAN_KEYS). An object the process logged with a trace id and an id of its own (a request log: `{ traceId,
 * id, msg }`) is not.
 */
export function hasJsSpanKeys(value: InspectValue): value is InspectObject {
  if (!isJsConsoleValue(value)) return false;
  let keys = 0;
  for (const key of SPAN_KEYS) if (value.entries.has(key)) keys++;
  return keys >= SPAN_KEYS_NEEDED;
}

/**
 * Decodes one span as ConsoleSpanExporter prints it (read by readInspectText). Never throws; errors name the
 * file, the line the span starts on, the field and the span. Attribute values the print cut short are
 * counted in `count`.
 */
export function decodeJsConsoleValue(value: InspectValue, source: SpanSource, count: CutCount): OtlpDecodeResult {
  try {
    if (!isJsConsoleValue(value))
      throw new JsonFault('', 'is not a ConsoleSpanExporter span (an object with traceId and id)');
    return { ok: true, spans: [decodeSpan(value, source, count)] };
  } catch (error) {
    if (error instanceof JsonFault) {
      const name = value instanceof InspectObject ? value.get('name') : undefined;
      const fault =
        typeof name === 'string' ? new JsonFault(error.path, `${error.problem} (span ${shownText(name)})`) : error;
      return faultResult(fault, source, JS_CONSOLE_HINT);
    }
    return faultResult(
      new JsonFault('', `could not be decoded (${errorMessage(error)})`),
      source,
      JS_CONSOLE_HINT,
      'decoder-error',
    );
  }
}
