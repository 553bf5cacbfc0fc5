/**
 * OTLP protobuf `ExportTraceServiceRequest` (opentelemetry-proto collector/trace/v1, trace/v1, common/v1,
 * resource/v1) <-> our spans, by hand over the wire format: no generated code, linear in the body size.
 */
import { SDK_LANGUAGE, SERVICE_NAME } from './internal/resource-attributes';
import { failure } from '../internal/messages';
import type { SpanId, TraceId } from './ids';
import { SPAN_KIND_NUMBERS, spanKindFromNumber } from './internal/span-kind';
import { setAttribute } from './internal/any-value';
import { detailSpan } from './internal/detail-span';
import { intern } from './internal/intern';
import { keepTraceId, lastTraceId, LastSpanFields, sharedAttributes } from './internal/last-span-fields';
import { msToNanosString } from './internal/nanos';
import { otlpFlagsOf, parentIsRemoteOf, traceFlagsOf, writesLowByte } from './internal/span-flags';
import { errorStatusMessage } from './internal/status-message';
import { EXCEPTION_EVENT, errorExceptions, exceptionOfObject } from './internal/exception-events';
import {
  ProtobufFault,
  ProtobufReader,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from './internal/protobuf-reader';
import { type MessageTable, messageTable, walkFields, walkMessage } from './internal/protobuf-walk';
import { ProtobufWriter } from './internal/protobuf-writer';
import type {
  AttributeValue,
  Attributes,
  Span,
  SpanEvent,
  SpanException,
  SpanLink,
  SpanOrigin,
  SpanScope,
  SpanSource,
} from './span';
import { errorMessage, type Failure } from '../internal/result';
import type { DecodeReason } from './decode-reason';
import type { ExportDecodeOptions } from './otlp-json';
import { serviceNameOf } from './internal/service-name';

/**
 * What {@link decodeOtlpProtobuf} returns: the spans kept, how many were rejected and the first messages saying why;
 * or a failure when the body cannot be decoded at all.
 */
export type OtlpProtoDecodeResult =
  | { readonly ok: true; readonly spans: Span[]; readonly rejected: number; readonly errors: string[] }
  | Failure<Extract<DecodeReason, 'invalid-protobuf' | 'decoder-error'>>;

const HINT = 'Send an ExportTraceServiceRequest in the OTLP protobuf encoding (Content-Type: application/x-protobuf).';
/** Rejected spans are all counted, but only this many get a message, so a garbage body cannot flood a log. */
const MAX_ERRORS = 100;

// Field numbers from opentelemetry-proto (trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto).
const REQUEST = { resourceSpans: 1 } as const;
const RESOURCE_SPANS = { resource: 1, scopeSpans: 2, instrumentationLibrarySpans: 1000 } as const;
const RESOURCE = { attributes: 1 } as const;
const SCOPE_SPANS = { scope: 1, spans: 2 } as const;
const SCOPE = { name: 1, version: 2, attributes: 3 } as const;
const SPAN = {
  traceId: 1,
  spanId: 2,
  traceState: 3,
  parentSpanId: 4,
  name: 5,
  kind: 6,
  startTimeUnixNano: 7,
  endTimeUnixNano: 8,
  attributes: 9,
  events: 11,
  links: 13,
  status: 15,
  flags: 16,
} as const;
const LINK = { traceId: 1, spanId: 2, attributes: 4 } as const;
const EVENT = { timeUnixNano: 1, name: 2, attributes: 3 } as const;
const STATUS = { message: 2, code: 3 } as const;
const KEY_VALUE = { key: 1, value: 2 } as const;
const ANY_VALUE = { string: 1, bool: 2, int: 3, double: 4, array: 5, kvlist: 6, bytes: 7 } as const;
const LIST_VALUES = 1; // ArrayValue.values and KeyValueList.values

/** Nested AnyValues deeper than this are refused: a hostile body must not overflow the stack. */
const MAX_DEPTH = 32;

/** A span-level problem: the span is rejected, the rest of the body still decodes. */
class SpanFault {
  constructor(readonly problem: string) {}
}

// Each message below is a table for the one field walk (internal/protobuf-walk.ts): its fields, their wire
// types, and a plain function per field that reads the value into the message's state. The walk checks wire
// types and skips unknown fields; the functions only read values.

// ---- AnyValue / KeyValue ----

/** Where an AnyValue's value goes: its KeyValue, or the current item of its ArrayValue. */
interface ValueSlot {
  value: AttributeValue;
}

class KeyValueState implements ValueSlot {
  key = '';
  value: AttributeValue = null;
}

class ArrayState implements ValueSlot {
  value: AttributeValue = null;
  readonly items: AttributeValue[] = [];
}

/**
 * How depth counts, as in the JSON decoder (any-value.ts): an attribute's KeyValue and its AnyValue are at
 * depth 0; an array's items and a kvlist's entries (KeyValues, with their AnyValues) sit one level below the
 * AnyValue holding them. So a KeyValue at depth d never holds another at d, which keyValueStates relies on.
 * An AnyValue deeper than MAX_DEPTH is refused, as the JSON decoder refuses it, rather than risking the stack.
 */
const ANY_VALUE_TABLE: MessageTable<ValueSlot> = messageTable<ValueSlot>({
  fields: {
    [ANY_VALUE.string]: { name: 'AnyValue.string_value', wire: WIRE_LENGTH_DELIMITED, read: readStringValue },
    [ANY_VALUE.bool]: { name: 'AnyValue.bool_value', wire: WIRE_VARINT, read: readBoolValue },
    [ANY_VALUE.int]: { name: 'AnyValue.int_value', wire: WIRE_VARINT, read: readIntValue },
    [ANY_VALUE.double]: { name: 'AnyValue.double_value', wire: WIRE_FIXED64, read: readDoubleValue },
    [ANY_VALUE.array]: { name: 'AnyValue.array_value', wire: WIRE_LENGTH_DELIMITED, read: readArrayValue },
    [ANY_VALUE.kvlist]: { name: 'AnyValue.kvlist_value', wire: WIRE_LENGTH_DELIMITED, read: readKvlistValue },
    [ANY_VALUE.bytes]: { name: 'AnyValue.bytes_value', wire: WIRE_LENGTH_DELIMITED, read: readBytesValue },
  },
  depthLimit: { max: MAX_DEPTH, problem: `nests attribute arrays or maps deeper than ${MAX_DEPTH} levels` },
});

const ARRAY_VALUE_TABLE: MessageTable<ArrayState> = messageTable<ArrayState>({
  fields: { [LIST_VALUES]: { name: 'ArrayValue.values', wire: WIRE_LENGTH_DELIMITED, read: readArrayItem } },
});

const KEY_VALUE_LIST_TABLE: MessageTable<Attributes> = messageTable<Attributes>({
  fields: { [LIST_VALUES]: { name: 'KeyValueList.values', wire: WIRE_LENGTH_DELIMITED, read: readKvlistEntry } },
});

const KEY_VALUE_TABLE: MessageTable<KeyValueState> = messageTable<KeyValueState>({
  fields: {
    [KEY_VALUE.key]: { name: 'KeyValue.key', wire: WIRE_LENGTH_DELIMITED, read: readKey },
    [KEY_VALUE.value]: { name: 'KeyValue.value', wire: WIRE_LENGTH_DELIMITED, read: readKeyValueValue },
  },
});

function readStringValue(reader: ProtobufReader, slot: ValueSlot): void {
  slot.value = reader.string();
}

function readBoolValue(reader: ProtobufReader, slot: ValueSlot): void {
  slot.value = reader.varint32() !== 0;
}

function readIntValue(reader: ProtobufReader, slot: ValueSlot): void {
  slot.value = reader.int64();
}

function readDoubleValue(reader: ProtobufReader, slot: ValueSlot): void {
  slot.value = reader.double();
}

function readArrayValue(reader: ProtobufReader, slot: ValueSlot, depth: number): void {
  const list = new ArrayState();
  walkMessage(reader, ARRAY_VALUE_TABLE, list, depth);
  slot.value = list.items;
}

function readArrayItem(reader: ProtobufReader, list: ArrayState, depth: number): void {
  list.value = null;
  walkMessage(reader, ANY_VALUE_TABLE, list, depth + 1);
  list.items.push(list.value);
}

function readKvlistValue(reader: ProtobufReader, slot: ValueSlot, depth: number): void {
  const record: Attributes = {};
  walkMessage(reader, KEY_VALUE_LIST_TABLE, record, depth);
  slot.value = record;
}

function readKvlistEntry(reader: ProtobufReader, record: Attributes, depth: number): void {
  readKeyValue(reader, record, depth + 1);
}

/** Same text as the OTLP/JSON decoder keeps for bytes_value: base64. */
function readBytesValue(reader: ProtobufReader, slot: ValueSlot): void {
  const start = reader.payload();
  slot.value = base64(reader.buf, start, reader.pos);
}

function base64(buf: Uint8Array, start: number, end: number): string {
  let binary = '';
  for (const byte of buf.subarray(start, end)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function readKey(reader: ProtobufReader, entry: KeyValueState): void {
  entry.key = reader.string();
}

function readKeyValueValue(reader: ProtobufReader, entry: KeyValueState, depth: number): void {
  entry.value = null; // a repeated value field replaces the earlier one, even when it is empty
  walkMessage(reader, ANY_VALUE_TABLE, entry, depth);
}

/**
 * One KeyValue state per depth, reused: a KeyValue's walk never re-enters its own depth (its value is one
 * level deeper), and a state is reset before each use, so a fault that left one dirty does no harm. This
 * keeps the commonest message of a body from allocating anything but its value.
 */
const keyValueStates: KeyValueState[] = [];

/** Reads one embedded KeyValue (the reader stands at its length prefix) into `into`. */
function readKeyValue(reader: ProtobufReader, into: Attributes, depth: number): void {
  let entry = keyValueStates[depth];
  if (entry === undefined) {
    entry = new KeyValueState();
    keyValueStates[depth] = entry;
  }
  entry.key = '';
  entry.value = null;
  walkMessage(reader, KEY_VALUE_TABLE, entry, depth);
  setAttribute(into, entry.key, entry.value);
  entry.value = null; // do not keep the last value alive
}

/** Reads a repeated KeyValue field's entry (`attributes` of a span, link or resource) into `into`. */
function readAttribute(reader: ProtobufReader, into: Attributes): void {
  readKeyValue(reader, into, 0);
}

// ---- Span ----

let hexSource: Uint8Array | undefined;
let hexView: Buffer | undefined;

/** Lowercase hex of bytes [start, end) as one flat string (Buffer's hex codec; no per-byte concatenation). */
function hexOf(buf: Uint8Array, start: number, end: number): string {
  if (hexSource !== buf || !hexView) {
    hexSource = buf;
    hexView = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return hexView.toString('hex', start, end);
}

/** Lowercase hex of an id field [start, start + length), or undefined when it is all zeros; else a span fault. */
function readOptionalId<T>(
  buf: Uint8Array,
  start: number,
  actual: number,
  field: string,
  length: number,
): T | undefined {
  if (actual !== length) throw new SpanFault(`${field} has ${actual} bytes, expected ${length}`);
  let any = 0;
  for (let i = start; i < start + length; i++) any |= buf[i] ?? 0;
  return any === 0 ? undefined : (hexOf(buf, start, start + length) as T);
}

/** A required id (trace_id, span_id): all zeros is invalid there (W3C, OTLP). */
function readId<T>(buf: Uint8Array, start: number, actual: number, field: string, length: number): T {
  const id = readOptionalId<T>(buf, start, actual, field, length);
  if (id === undefined) throw new SpanFault(`${field} is all zeros`);
  return id;
}

class LinkState {
  traceId: TraceId | undefined = undefined;
  spanId: SpanId | undefined = undefined;
  readonly attributes: Attributes = {};
}

const LINK_TABLE: MessageTable<LinkState> = messageTable<LinkState>({
  fields: {
    [LINK.traceId]: { name: 'links.trace_id', wire: WIRE_LENGTH_DELIMITED, read: readLinkTraceId },
    [LINK.spanId]: { name: 'links.span_id', wire: WIRE_LENGTH_DELIMITED, read: readLinkSpanId },
    [LINK.attributes]: { name: 'links.attributes', wire: WIRE_LENGTH_DELIMITED, read: readLinkAttribute },
  },
});

function readLinkTraceId(reader: ProtobufReader, link: LinkState): void {
  const start = reader.payload();
  link.traceId = readOptionalId<TraceId>(reader.buf, start, reader.pos - start, 'links.trace_id', 16);
}

function readLinkSpanId(reader: ProtobufReader, link: LinkState): void {
  const start = reader.payload();
  link.spanId = readOptionalId<SpanId>(reader.buf, start, reader.pos - start, 'links.span_id', 8);
}

function readLinkAttribute(reader: ProtobufReader, link: LinkState): void {
  readAttribute(reader, link.attributes);
}

const TWO_32_NANOS_WHOLE_MS = 4294; // 2^32 ns = 4294 ms + 967296 ns
const TWO_32_NANOS_REST = 967296;

/**
 * fixed64 Unix nanoseconds (as halves) -> epoch ms, split into whole ms and the remaining ns like the JSON
 * decoder so both give the same number. Every step stays an exact integer below 2^53.
 */
function nanosToMs(lo: number, hi: number): number {
  const rest = hi * TWO_32_NANOS_REST + lo;
  const whole = hi * TWO_32_NANOS_WHOLE_MS + Math.floor(rest / 1e6);
  return whole + (rest % 1e6) / 1e6;
}

/**
 * What a span's fields say, ids kept as offsets into the body until the span is complete. One state serves
 * every span (spans do not nest): `reset` before each, so a span that faulted leaves nothing behind.
 */
class SpanState {
  traceIdAt = -1;
  traceIdLength = 0;
  spanIdAt = -1;
  spanIdLength = 0;
  parentAt = -1;
  parentLength = 0;
  traceState = '';
  name = '';
  kind = 0;
  startLo = 0;
  startHi = 0;
  endLo = 0;
  endHi = 0;
  attributes: Attributes = {};
  statusCode: number | undefined = undefined;
  statusMessage = '';
  flags: number | undefined = undefined;
  links: SpanLink[] | undefined = undefined;
  exceptions: SpanException[] | undefined = undefined;
  /** Whether every event is kept (the receiver's decode), not only an ERROR span's exceptions. */
  keepEvents = false;
  events: SpanEvent[] | undefined = undefined;

  reset(keepEvents: boolean): void {
    this.keepEvents = keepEvents;
    this.events = undefined;
    this.traceIdAt = -1;
    this.traceIdLength = 0;
    this.spanIdAt = -1;
    this.spanIdLength = 0;
    this.parentAt = -1;
    this.parentLength = 0;
    this.traceState = '';
    this.name = '';
    this.kind = 0;
    this.startLo = 0;
    this.startHi = 0;
    this.endLo = 0;
    this.endHi = 0;
    this.attributes = {};
    this.statusCode = undefined;
    this.statusMessage = '';
    this.flags = undefined;
    this.links = undefined;
    this.exceptions = undefined;
  }
}

const spanState = new SpanState();

const SPAN_TABLE: MessageTable<SpanState> = messageTable<SpanState>({
  fields: {
    [SPAN.traceId]: { name: 'trace_id', wire: WIRE_LENGTH_DELIMITED, read: readTraceId },
    [SPAN.spanId]: { name: 'span_id', wire: WIRE_LENGTH_DELIMITED, read: readSpanId },
    [SPAN.traceState]: { name: 'trace_state', wire: WIRE_LENGTH_DELIMITED, read: readTraceState },
    [SPAN.parentSpanId]: { name: 'parent_span_id', wire: WIRE_LENGTH_DELIMITED, read: readParentSpanId },
    [SPAN.name]: { name: 'name', wire: WIRE_LENGTH_DELIMITED, read: readName },
    [SPAN.kind]: { name: 'kind', wire: WIRE_VARINT, read: readKind },
    [SPAN.startTimeUnixNano]: { name: 'start_time_unix_nano', wire: WIRE_FIXED64, read: readStartTime },
    [SPAN.endTimeUnixNano]: { name: 'end_time_unix_nano', wire: WIRE_FIXED64, read: readEndTime },
    [SPAN.attributes]: { name: 'attributes', wire: WIRE_LENGTH_DELIMITED, read: readSpanAttribute },
    [SPAN.events]: { name: 'events', wire: WIRE_LENGTH_DELIMITED, read: readEvent },
    [SPAN.links]: { name: 'links', wire: WIRE_LENGTH_DELIMITED, read: readLink },
    [SPAN.status]: { name: 'status', wire: WIRE_LENGTH_DELIMITED, read: readStatus },
    [SPAN.flags]: { name: 'flags', wire: WIRE_FIXED32, read: readFlags },
  },
});

/** Status is read straight into its span: only its code is kept. */
const STATUS_TABLE: MessageTable<SpanState> = messageTable<SpanState>({
  fields: {
    [STATUS.message]: { name: 'Status.message', wire: WIRE_LENGTH_DELIMITED, read: readStatusMessage },
    [STATUS.code]: { name: 'Status.code', wire: WIRE_VARINT, read: readStatusCode },
  },
});

function readTraceId(reader: ProtobufReader, span: SpanState): void {
  span.traceIdAt = reader.payload();
  span.traceIdLength = reader.pos - span.traceIdAt;
}

function readSpanId(reader: ProtobufReader, span: SpanState): void {
  span.spanIdAt = reader.payload();
  span.spanIdLength = reader.pos - span.spanIdAt;
}

function readTraceState(reader: ProtobufReader, span: SpanState): void {
  span.traceState = reader.string();
}

function readParentSpanId(reader: ProtobufReader, span: SpanState): void {
  span.parentAt = reader.payload();
  span.parentLength = reader.pos - span.parentAt;
}

function readName(reader: ProtobufReader, span: SpanState): void {
  span.name = reader.string();
}

function readKind(reader: ProtobufReader, span: SpanState): void {
  span.kind = reader.varint32();
}

function readStartTime(reader: ProtobufReader, span: SpanState): void {
  span.startLo = reader.fixed32();
  span.startHi = reader.fixed32();
}

function readEndTime(reader: ProtobufReader, span: SpanState): void {
  span.endLo = reader.fixed32();
  span.endHi = reader.fixed32();
}

function readSpanAttribute(reader: ProtobufReader, span: SpanState): void {
  readAttribute(reader, span.attributes);
}

/** One Span.Link; dropped when its trace or span id is absent or all zeros ("no link"). */
function readLink(reader: ProtobufReader, span: SpanState): void {
  const link = new LinkState();
  walkMessage(reader, LINK_TABLE, link, 0);
  const { traceId, spanId, attributes } = link;
  if (traceId === undefined || spanId === undefined) return;
  const kept: SpanLink = Object.keys(attributes).length > 0 ? { traceId, spanId, attributes } : { traceId, spanId };
  if (span.links === undefined) span.links = [kept];
  else span.links.push(kept);
}

/** One Span.Event, read for its name, attributes and time (see readEvent). */
class EventState {
  name = '';
  timeLo = 0;
  timeHi = 0;
  readonly attributes: Attributes = {};
}

const EVENT_TABLE: MessageTable<EventState> = messageTable<EventState>({
  fields: {
    [EVENT.timeUnixNano]: { name: 'events.time_unix_nano', wire: WIRE_FIXED64, read: readEventTime },
    [EVENT.name]: { name: 'events.name', wire: WIRE_LENGTH_DELIMITED, read: readEventName },
    [EVENT.attributes]: { name: 'events.attributes', wire: WIRE_LENGTH_DELIMITED, read: readEventAttribute },
  },
});

function readEventTime(reader: ProtobufReader, event: EventState): void {
  event.timeLo = reader.fixed32();
  event.timeHi = reader.fixed32();
}

function readEventName(reader: ProtobufReader, event: EventState): void {
  event.name = reader.string();
}

function readEventAttribute(reader: ProtobufReader, event: EventState): void {
  readAttribute(reader, event.attributes);
}

/** One Span.Event: an `exception` event's type and message are kept for an ERROR span (Span.exceptions). */
function readEvent(reader: ProtobufReader, span: SpanState): void {
  const event = new EventState();
  walkMessage(reader, EVENT_TABLE, event, 0);
  if (span.keepEvents) {
    const { name, attributes } = event;
    const timeMs = nanosToMs(event.timeLo, event.timeHi);
    const kept: SpanEvent = Object.keys(attributes).length > 0 ? { name, timeMs, attributes } : { name, timeMs };
    (span.events ??= []).push(kept);
  }
  if (event.name !== EXCEPTION_EVENT) return;
  const exception = exceptionOfObject(event.attributes);
  if (exception !== undefined) (span.exceptions ??= []).push(exception);
}

function readStatus(reader: ProtobufReader, span: SpanState): void {
  span.statusCode = 0; // a Status without a code is UNSET
  walkMessage(reader, STATUS_TABLE, span, 0);
}

function readStatusCode(reader: ProtobufReader, span: SpanState): void {
  span.statusCode = reader.varint32();
}

function readStatusMessage(reader: ProtobufReader, span: SpanState): void {
  span.statusMessage = reader.string();
}

function readFlags(reader: ProtobufReader, span: SpanState): void {
  span.flags = reader.fixed32();
}

/** Reads one span; the reader is entered into the span message. */
/** The span's trace id: the last span's string when the bytes are the same (see LastSpanFields). */
function readTraceIdOf(buf: Uint8Array, s: SpanState, last: LastSpanFields): TraceId {
  const known = lastTraceId(last, buf, s.traceIdAt, s.traceIdLength);
  if (known !== undefined) return known as TraceId;
  const traceId = readId<TraceId>(buf, s.traceIdAt, s.traceIdLength, 'trace_id', 16);
  keepTraceId(last, s.traceIdAt, traceId);
  return traceId;
}

function readSpan(
  reader: ProtobufReader,
  service: string,
  out: Collector,
  lowByte: boolean,
  origin: SpanOrigin | undefined,
): Span {
  const buf = reader.buf;
  const s = spanState;
  s.reset(origin !== undefined);
  walkFields(reader, SPAN_TABLE, s, 0);
  if (s.traceIdAt < 0) throw new SpanFault('has no trace_id');
  if (s.spanIdAt < 0) throw new SpanFault('has no span_id');
  const kindName = spanKindFromNumber(s.kind);
  if (kindName === undefined) throw new SpanFault(`kind ${s.kind} is not a span kind (0-5)`);
  const core = {
    traceId: readTraceIdOf(buf, s, out.last),
    spanId: readId<SpanId>(buf, s.spanIdAt, s.spanIdLength, 'span_id', 8),
    name: intern(s.name),
    kind: kindName,
    service,
    startTimeMs: nanosToMs(s.startLo, s.startHi),
    // A start of 0 (none written) is no time at all (hasTime), whatever the end, as otlp-json.ts takes it.
    endTimeMs: s.startLo === 0 && s.startHi === 0 ? 0 : nanosToMs(s.endLo, s.endHi),
    attributes: sharedAttributes(out.last, s.attributes),
    source: out.source,
  };
  // An empty or all-zero parent_span_id marks a root span (the Collector reads both as empty).
  const parent =
    s.parentLength > 0 ? readOptionalId<SpanId>(buf, s.parentAt, s.parentLength, 'parent_span_id', 8) : undefined;
  // OTLP flags bits 0-7 are the W3C trace flags; bits 8-9 say whether the parent was remote.
  const traceFlags = s.flags === undefined ? undefined : traceFlagsOf(s.flags, lowByte);
  // OTLP always carries the trace state: an empty one is known to be empty (Span.traceState).
  const traceState = s.traceState === '' ? '' : intern(s.traceState);
  let span: { -readonly [K in keyof Span]: Span[K] };
  if (origin !== undefined) {
    // The receiver's decode: what the span came with beyond what the verifier reads, in the span's literal.
    const remote = s.flags === undefined ? undefined : parentIsRemoteOf(s.flags);
    const statusCode = s.statusCode;
    const { traceId, spanId, name, kind, startTimeMs, endTimeMs, attributes, source } = core;
    span = detailSpan(
      traceId,
      spanId,
      name,
      kind,
      service,
      startTimeMs,
      endTimeMs,
      attributes,
      source,
      parent,
      traceFlags,
      traceState,
      statusCode,
      origin,
      remote,
    );
    if (s.links !== undefined) span.links = s.links;
  } else {
    span = core;
    if (parent !== undefined) span.parentSpanId = parent;
    if (s.links !== undefined) span.links = s.links;
    if (traceFlags !== undefined) span.traceFlags = traceFlags;
    span.traceState = traceState;
  }
  if (s.statusCode !== undefined && origin === undefined) span.statusCode = s.statusCode;
  const statusMessage = errorStatusMessage(s.statusCode, s.statusMessage);
  if (statusMessage !== undefined) span.statusMessage = statusMessage;
  const exceptions = errorExceptions(s.statusCode, s.exceptions);
  if (exceptions !== undefined) span.exceptions = exceptions;
  if (origin !== undefined && s.events !== undefined) span.events = s.events;
  return span;
}

// ---- request ----

interface Collector {
  readonly spans: Span[];
  rejected: number;
  readonly errors: string[];
  readonly source: SpanSource;
  /** Files: the first bad span stops the decode (a dump must be read whole or not at all). */
  readonly strict?: boolean;
  /** The receiver: each span keeps its origin, remote-parent bits and events (files keep only what check reads). */
  readonly detail?: boolean;
  /** What the last span read leaves for the next to share. */
  readonly last: LastSpanFields;
}

/** The first bad span of a strict decode: its path and what is wrong. */
class StrictFault {
  constructor(readonly cause: string) {}
}

function describeSource(source: SpanSource): string {
  return JSON.stringify(source.file);
}

class ScopeSpansState {
  index = 0;
  constructor(
    readonly path: string,
    readonly service: string,
    readonly out: Collector,
    readonly lowByte: boolean,
    /**
     * Shared by the scope's spans (the receiver's decode only); its scope is filled in wherever it comes on the wire.
     */
    readonly origin: { resource: SpanOrigin['resource']; scope: SpanScope } | undefined,
  ) {}
}

const SCOPE_SPANS_TABLE: MessageTable<ScopeSpansState> = messageTable<ScopeSpansState>({
  fields: {
    [SCOPE_SPANS.scope]: { name: 'scope', wire: WIRE_LENGTH_DELIMITED, read: readScopeOf },
    [SCOPE_SPANS.spans]: { name: 'spans', wire: WIRE_LENGTH_DELIMITED, read: readScopeSpan },
  },
  pathOf: pathOfState,
});

/** An InstrumentationScope as read. */
class ScopeState {
  name = '';
  version = '';
  readonly attributes: Attributes = {};
}

const SCOPE_TABLE: MessageTable<ScopeState> = messageTable<ScopeState>({
  fields: {
    [SCOPE.name]: { name: 'InstrumentationScope.name', wire: WIRE_LENGTH_DELIMITED, read: readScopeName },
    [SCOPE.version]: { name: 'InstrumentationScope.version', wire: WIRE_LENGTH_DELIMITED, read: readScopeVersion },
    [SCOPE.attributes]: {
      name: 'InstrumentationScope.attributes',
      wire: WIRE_LENGTH_DELIMITED,
      read: readScopeAttribute,
    },
  },
});

function readScopeName(reader: ProtobufReader, scope: ScopeState): void {
  scope.name = reader.string();
}

function readScopeVersion(reader: ProtobufReader, scope: ScopeState): void {
  scope.version = reader.string();
}

function readScopeAttribute(reader: ProtobufReader, scope: ScopeState): void {
  readAttribute(reader, scope.attributes);
}

/** A ScopeSpans' scope, kept on its origin (skipped when nothing keeps it). */
function readScopeOf(reader: ProtobufReader, scopeSpans: ScopeSpansState): void {
  const origin = scopeSpans.origin;
  if (origin === undefined) {
    reader.payload();
    return;
  }
  const outer = reader.enter();
  const scopeEnd = reader.end;
  const read = new ScopeState();
  try {
    walkFields(reader, SCOPE_TABLE, read, 0);
  } catch (error) {
    if (!(error instanceof ProtobufFault)) throw error;
    // The verifier never reads a scope: one the receiver cannot read costs the spans URL that scope, not the
    // export (b5af88e skipped it unread, as a decode without detail still does).
    reader.pos = scopeEnd;
    reader.end = outer;
    origin.scope = { name: '' };
    return;
  }
  reader.leave(outer);
  const { name, version, attributes } = read;
  origin.scope = {
    name: intern(name),
    ...(version !== '' ? { version } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
  };
}

function pathOfState(state: { readonly path: string }): string {
  return state.path;
}

/** One span of a ScopeSpans: its length prefix bounds it, so whatever is wrong inside costs only this span. */
function readScopeSpan(reader: ProtobufReader, scope: ScopeSpansState): void {
  const scopeEnd = reader.enter();
  const spanEnd = reader.end;
  const index = scope.index++;
  const out = scope.out;
  try {
    out.spans.push(readSpan(reader, scope.service, out, scope.lowByte, scope.origin));
  } catch (error) {
    if (!(error instanceof SpanFault) && !(error instanceof ProtobufFault)) throw error;
    const spanPath = `${scope.path}.spans[${index}]`;
    const problem = error instanceof SpanFault ? error.problem : `byte ${error.offset}: ${error.problem}`;
    if (out.strict) throw new StrictFault(`${spanPath} ${problem}`);
    out.rejected++;
    if (out.errors.length < MAX_ERRORS) {
      out.errors.push(
        failure(`decode a span from ${describeSource(out.source)}`, `${spanPath} ${problem}`, 'The span was skipped.'),
      );
    }
  }
  // A fault may have left the reader inside a nested message: resume right after the span.
  reader.end = spanEnd;
  reader.leave(scopeEnd);
}

/** Reads the spans of one ScopeSpans message spanning [start, end). */
function readScopeSpans(
  reader: ProtobufReader,
  start: number,
  end: number,
  service: string,
  path: string,
  out: Collector,
  lowByte: boolean,
  resource: SpanOrigin['resource'] | undefined,
): void {
  const outer = reader.end;
  reader.pos = start;
  reader.end = end;
  const origin = resource === undefined ? undefined : { resource, scope: { name: '' } };
  walkFields(reader, SCOPE_SPANS_TABLE, new ScopeSpansState(path, service, out, lowByte, origin), 0);
  reader.end = outer;
}

class ResourceSpansState {
  attributes: Attributes = {};
  /** [start, end, path] of each scope, read once the service name is known. */
  readonly scopes: [number, number, string][] = [];
  scopeIndex = 0;
  libraryIndex = 0;
  constructor(readonly path: string) {}
}

const RESOURCE_SPANS_TABLE: MessageTable<ResourceSpansState> = messageTable<ResourceSpansState>({
  fields: {
    [RESOURCE_SPANS.resource]: { name: 'resource', wire: WIRE_LENGTH_DELIMITED, read: readResource },
    [RESOURCE_SPANS.scopeSpans]: { name: 'scope_spans', wire: WIRE_LENGTH_DELIMITED, read: noteScopeSpans },
    // Pre-1.0 exporters: InstrumentationLibrarySpans has the same shape as ScopeSpans.
    [RESOURCE_SPANS.instrumentationLibrarySpans]: {
      name: 'instrumentation_library_spans',
      wire: WIRE_LENGTH_DELIMITED,
      read: noteLibrarySpans,
    },
  },
  pathOf: pathOfState,
});

const RESOURCE_TABLE: MessageTable<Attributes> = messageTable<Attributes>({
  fields: { [RESOURCE.attributes]: { name: 'Resource.attributes', wire: WIRE_LENGTH_DELIMITED, read: readAttribute } },
});

function readResource(reader: ProtobufReader, resourceSpans: ResourceSpansState): void {
  resourceSpans.attributes = {}; // a repeated resource replaces the earlier one
  walkMessage(reader, RESOURCE_TABLE, resourceSpans.attributes, 0);
}

function noteScopeSpans(reader: ProtobufReader, resourceSpans: ResourceSpansState): void {
  const start = reader.payload();
  const path = `${resourceSpans.path}.scope_spans[${resourceSpans.scopeIndex++}]`;
  resourceSpans.scopes.push([start, reader.pos, path]);
}

function noteLibrarySpans(reader: ProtobufReader, resourceSpans: ResourceSpansState): void {
  const start = reader.payload();
  const path = `${resourceSpans.path}.instrumentation_library_spans[${resourceSpans.libraryIndex++}]`;
  resourceSpans.scopes.push([start, reader.pos, path]);
}

function readResourceSpans(reader: ProtobufReader, path: string, out: Collector): void {
  const outer = reader.enter();
  // Resource may follow the spans on the wire (fields can come in any order), so remember where the scopes
  // are and read them once the service name is known.
  const state = new ResourceSpansState(path);
  walkFields(reader, RESOURCE_SPANS_TABLE, state, 0);
  const name = state.attributes[SERVICE_NAME];
  const service = serviceNameOf(name);
  const lowByte = writesLowByte(state.attributes[SDK_LANGUAGE]);
  // One resource object for every scope of the entry (the receiver's decode only).
  const resource = out.detail === true ? { attributes: state.attributes } : undefined;
  const after = reader.pos;
  for (const [start, end, scopePath] of state.scopes)
    readScopeSpans(reader, start, end, service, scopePath, out, lowByte, resource);
  reader.pos = after;
  reader.leave(outer);
}

class RequestState {
  index = 0;
  constructor(readonly out: Collector) {}
}

const REQUEST_TABLE: MessageTable<RequestState> = messageTable<RequestState>({
  fields: { [REQUEST.resourceSpans]: { name: 'resource_spans', wire: WIRE_LENGTH_DELIMITED, read: readRequestEntry } },
});

function readRequestEntry(reader: ProtobufReader, request: RequestState): void {
  readResourceSpans(reader, `resource_spans[${request.index++}]`, request.out);
}

/** Reads the `ExportTraceServiceRequest` from `reader.pos` to `reader.end`. */
function readRequest(reader: ProtobufReader, out: Collector): void {
  walkFields(reader, REQUEST_TABLE, new RequestState(out), 0);
}

/**
 * Decodes an OTLP/protobuf `ExportTraceServiceRequest`. A span whose own bytes are wrong (bad ids, wrong
 * wire types, truncation inside it) is rejected with a message; a body whose framing is broken is
 * undecodable. Never throws.
 */
export function decodeOtlpProtobuf(
  bytes: Uint8Array,
  source: SpanSource,
  options: ExportDecodeOptions = {},
): OtlpProtoDecodeResult {
  const out: Collector = {
    spans: [],
    rejected: 0,
    errors: [],
    source,
    detail: options.detail === true,
    last: new LastSpanFields(),
  };
  try {
    if (!(bytes instanceof Uint8Array)) throw new ProtobufFault(0, 'is not a byte array');
    const reader = new ProtobufReader(bytes, 0, bytes.length);
    readRequest(reader, out);
  } catch (error) {
    const cause =
      error instanceof ProtobufFault
        ? `byte ${error.offset} ${error.problem}`
        : `the decoder stopped: ${errorMessage(error)}`;
    const reason = error instanceof ProtobufFault ? 'invalid-protobuf' : 'decoder-error';
    return {
      ok: false,
      reason,
      message: failure(`decode the OTLP protobuf body from ${describeSource(source)}`, cause, HINT),
    };
  }
  return { ok: true, spans: out.spans, rejected: out.rejected, errors: out.errors };
}

/** A frame's spans, or why it failed; `message` is the bare cause, which the caller words with its file. */
export type OtlpProtoFrameResult =
  | { ok: true; spans: Span[] }
  | Failure<Extract<DecodeReason, 'invalid-document' | 'invalid-protobuf' | 'decoder-error'>>;

/**
 * Decodes one `ExportTraceServiceRequest` spanning bytes [start, end) of a file, all or nothing: the first
 * bad span or broken framing is the result, with its byte offset (from the start of `bytes`) or its path.
 * Never throws.
 */
export function decodeOtlpProtobufFrame(
  bytes: Uint8Array,
  start: number,
  end: number,
  source: SpanSource,
): OtlpProtoFrameResult {
  const out: Collector = { spans: [], rejected: 0, errors: [], source, strict: true, last: new LastSpanFields() };
  try {
    const reader = new ProtobufReader(bytes, start, end);
    readRequest(reader, out);
  } catch (error) {
    if (error instanceof StrictFault) return { ok: false, reason: 'invalid-document', message: error.cause };
    if (error instanceof ProtobufFault)
      return { ok: false, reason: 'invalid-protobuf', message: `byte ${error.offset} ${error.problem}` };
    return { ok: false, reason: 'decoder-error', message: `the decoder stopped (${errorMessage(error)})` };
  }
  return { ok: true, spans: out.spans };
}

// ---- encoding ----

function writeIdBytes(writer: ProtobufWriter, field: number, hex: string): void {
  const bytes = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16) || 0;
  writer.bytes(field, bytes);
}

function writeAnyValue(writer: ProtobufWriter, value: AttributeValue): void {
  if (value === null) return;
  if (typeof value === 'string') writer.string(ANY_VALUE.string, value);
  else if (typeof value === 'boolean') writer.bool(ANY_VALUE.bool, value);
  else if (typeof value === 'number') {
    // Same split as the JSON encoder: safe integers are int64, everything else (and -0) a double.
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) writer.int64(ANY_VALUE.int, value);
    else writer.double(ANY_VALUE.double, value);
  } else if (Array.isArray(value)) {
    writer.begin(ANY_VALUE.array);
    for (const item of value) {
      writer.begin(LIST_VALUES);
      writeAnyValue(writer, item);
      writer.end();
    }
    writer.end();
  } else {
    writer.begin(ANY_VALUE.kvlist);
    for (const [key, item] of Object.entries(value)) writeKeyValue(writer, LIST_VALUES, key, item);
    writer.end();
  }
}

function writeKeyValue(writer: ProtobufWriter, field: number, key: string, value: AttributeValue): void {
  writer.begin(field);
  writer.string(KEY_VALUE.key, key);
  writer.begin(KEY_VALUE.value);
  writeAnyValue(writer, value);
  writer.end();
  writer.end();
}

/** Epoch ms -> fixed64 Unix nanoseconds, rounded like the JSON encoder (msToNanosString). */
function writeNanos(writer: ProtobufWriter, field: number, ms: number): void {
  const nanos = BigInt(msToNanosString(ms));
  writer.fixed64(field, Number(nanos & 0xffffffffn), Number(nanos >> 32n));
}

function writeSpan(writer: ProtobufWriter, span: Span): void {
  writer.begin(SCOPE_SPANS.spans);
  writeIdBytes(writer, SPAN.traceId, span.traceId);
  writeIdBytes(writer, SPAN.spanId, span.spanId);
  if (span.traceState) writer.string(SPAN.traceState, span.traceState);
  if (span.parentSpanId) writeIdBytes(writer, SPAN.parentSpanId, span.parentSpanId);
  writer.string(SPAN.name, span.name);
  writer.varint(SPAN.kind, SPAN_KIND_NUMBERS[span.kind] ?? 0);
  writeNanos(writer, SPAN.startTimeUnixNano, span.startTimeMs);
  writeNanos(writer, SPAN.endTimeUnixNano, span.endTimeMs);
  for (const [key, value] of Object.entries(span.attributes)) writeKeyValue(writer, SPAN.attributes, key, value);
  if (span.statusCode !== undefined) {
    writer.begin(SPAN.status);
    if (span.statusMessage !== undefined) writer.string(STATUS.message, span.statusMessage);
    writer.varint(STATUS.code, span.statusCode);
    writer.end();
  }
  // Every event the span was received with, as encodeOtlpJson writes them; else its exceptions, at its end.
  if (span.events !== undefined) {
    for (const event of span.events) {
      writer.begin(SPAN.events);
      writeNanos(writer, EVENT.timeUnixNano, event.timeMs);
      writer.string(EVENT.name, event.name);
      for (const [key, value] of Object.entries(event.attributes ?? {}))
        writeKeyValue(writer, EVENT.attributes, key, value);
      writer.end();
    }
  } else {
    for (const exception of span.exceptions ?? []) {
      writer.begin(SPAN.events);
      writeNanos(writer, EVENT.timeUnixNano, span.endTimeMs);
      writer.string(EVENT.name, EXCEPTION_EVENT);
      if (exception.type !== undefined) writeKeyValue(writer, EVENT.attributes, 'exception.type', exception.type);
      if (exception.message !== undefined)
        writeKeyValue(writer, EVENT.attributes, 'exception.message', exception.message);
      writer.end();
    }
  }
  for (const link of span.links ?? []) {
    writer.begin(SPAN.links);
    writeIdBytes(writer, LINK.traceId, link.traceId);
    writeIdBytes(writer, LINK.spanId, link.spanId);
    for (const key of Object.keys(link.attributes ?? {}))
      writeKeyValue(writer, LINK.attributes, key, link.attributes?.[key] ?? null);
    writer.end();
  }
  // Trace flags in bits 0-7 and, when known, whether the parent was remote in bits 8-9, as in encodeOtlpJson.
  const flags = otlpFlagsOf(span.traceFlags === undefined ? undefined : span.traceFlags & 0xff, span.parentIsRemote);
  if (flags !== undefined) writer.fixed32(SPAN.flags, flags);
  writer.end();
}

/** Writes one ScopeSpans' InstrumentationScope: its name, and its version and attributes when it has them. */
function writeScope(writer: ProtobufWriter, scope: SpanScope): void {
  writer.begin(SCOPE_SPANS.scope);
  writer.string(SCOPE.name, scope.name);
  if (scope.version !== undefined) writer.string(SCOPE.version, scope.version);
  for (const [key, value] of Object.entries(scope.attributes ?? {}))
    writeKeyValue(writer, SCOPE.attributes, key, value);
  writer.end();
}

/**
 * Encodes spans as one OTLP/protobuf `ExportTraceServiceRequest` with what encodeOtlpJson writes: one
 * `resource_spans` per origin a received span keeps (its resource and scope, Span.origin), one per service
 * for any other span (scope "tracehop"); each span with its events and the remote-parent bits of its `flags`.
 * As with encodeOtlpJson, a span without a recorded trace state reads back with an empty one.
 */
export function encodeOtlpProtobuf(spans: readonly Span[]): Uint8Array {
  // Grouped as encodeOtlpJson groups them: by the origin object a received span shares, else by service.
  const groups = new Map<SpanOrigin | string, Span[]>();
  for (const span of spans) {
    const key = span.origin ?? span.service;
    const list = groups.get(key);
    if (list) list.push(span);
    else groups.set(key, [span]);
  }
  const writer = new ProtobufWriter();
  for (const [key, list] of groups) {
    const origin: SpanOrigin =
      typeof key === 'string'
        ? { resource: { attributes: { [SERVICE_NAME]: key } }, scope: { name: 'tracehop' } }
        : key;
    writer.begin(REQUEST.resourceSpans);
    writer.begin(RESOURCE_SPANS.resource);
    for (const [name, value] of Object.entries(origin.resource.attributes))
      writeKeyValue(writer, RESOURCE.attributes, name, value);
    writer.end();
    writer.begin(RESOURCE_SPANS.scopeSpans);
    writeScope(writer, origin.scope);
    for (const span of list) writeSpan(writer, span);
    writer.end();
    writer.end();
  }
  return writer.finish().slice();
}
