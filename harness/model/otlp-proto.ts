/**
 * OTLP protobuf `ExportTraceServiceRequest` (opentelemetry-proto collector/trace/v1, trace/v1, common/v1,
 * resource/v1) <-> our spans, by hand over the wire format: no generated code, linear in the body size.
 */
import { SERVICE_NAME } from './internal/resource-attributes';
import { failure } from '../internal/messages';
import type { SpanId, TraceId } from './ids';
import { SPAN_KIND_NUMBERS, spanKindFromNumber } from './internal/span-kind';
import { setAttribute } from './internal/any-value';
import { intern } from './internal/intern';
import { msToNanosString } from './internal/nanos';
import {
  ProtobufFault,
  ProtobufReader,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
  wireName,
} from './internal/protobuf-reader';
import { ProtobufWriter } from './internal/protobuf-writer';
import type { AttributeValue, Attributes, Span, SpanLink, SpanSource } from './span';
import { errorMessage, type Failure } from '../internal/result';
import type { DecodeReason } from './decode-reason';

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
  links: 13,
  status: 15,
  flags: 16,
} as const;
const LINK = { traceId: 1, spanId: 2, attributes: 4 } as const;
const STATUS = { code: 3 } as const;
const KEY_VALUE = { key: 1, value: 2 } as const;
const ANY_VALUE = { string: 1, bool: 2, int: 3, double: 4, array: 5, kvlist: 6, bytes: 7 } as const;
const LIST_VALUES = 1; // ArrayValue.values and KeyValueList.values

/** Nested AnyValues deeper than this are cut off (set to null): a hostile body must not overflow the stack. */
const MAX_DEPTH = 32;

/** A span-level problem: the span is rejected, the rest of the body still decodes. */
class SpanFault {
  constructor(readonly problem: string) {}
}

function expectWire(field: string, wire: number, expected: number, at: number): void {
  if (wire !== expected) {
    throw new ProtobufFault(at, `${field} has wire type ${wireName(wire)}, expected ${wireName(expected)}`);
  }
}

// ---- AnyValue / KeyValue ----
// Each reader function is called with the reader entered into its message and reads up to `reader.end`.

/** A value nested one level deeper; refused past MAX_DEPTH (as the JSON decoder does) rather than risking the stack. */
function readNested(reader: ProtobufReader, depth: number): AttributeValue {
  if (depth >= MAX_DEPTH)
    throw new ProtobufFault(reader.pos, `nests attribute arrays or maps deeper than ${MAX_DEPTH} levels`);
  return readAnyValue(reader, depth + 1);
}

function readAnyValue(reader: ProtobufReader, depth: number): AttributeValue {
  let value: AttributeValue = null;
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    switch (field) {
      case ANY_VALUE.string:
        expectWire('AnyValue.string_value', wire, WIRE_LENGTH_DELIMITED, at);
        value = reader.string();
        break;
      case ANY_VALUE.bool:
        expectWire('AnyValue.bool_value', wire, WIRE_VARINT, at);
        value = reader.varint32() !== 0;
        break;
      case ANY_VALUE.int:
        expectWire('AnyValue.int_value', wire, WIRE_VARINT, at);
        value = reader.int64();
        break;
      case ANY_VALUE.double:
        expectWire('AnyValue.double_value', wire, WIRE_FIXED64, at);
        value = reader.double();
        break;
      case ANY_VALUE.array: {
        expectWire('AnyValue.array_value', wire, WIRE_LENGTH_DELIMITED, at);
        const outer = reader.enter();
        const items: AttributeValue[] = [];
        while (!reader.atEnd()) {
          const itemAt = reader.pos;
          const itemTag = reader.varint32();
          if (itemTag >>> 3 !== LIST_VALUES) {
            reader.skip(itemTag & 7, itemAt);
            continue;
          }
          expectWire('ArrayValue.values', itemTag & 7, WIRE_LENGTH_DELIMITED, itemAt);
          const itemOuter = reader.enter();
          items.push(readNested(reader, depth));
          reader.leave(itemOuter);
        }
        reader.leave(outer);
        value = items;
        break;
      }
      case ANY_VALUE.kvlist: {
        expectWire('AnyValue.kvlist_value', wire, WIRE_LENGTH_DELIMITED, at);
        const outer = reader.enter();
        const record: Record<string, AttributeValue> = {};
        while (!reader.atEnd()) {
          const itemAt = reader.pos;
          const itemTag = reader.varint32();
          if (itemTag >>> 3 !== LIST_VALUES) {
            reader.skip(itemTag & 7, itemAt);
            continue;
          }
          expectWire('KeyValueList.values', itemTag & 7, WIRE_LENGTH_DELIMITED, itemAt);
          const itemOuter = reader.enter();
          readKeyValue(reader, record, depth + 1);
          reader.leave(itemOuter);
        }
        reader.leave(outer);
        value = record;
        break;
      }
      case ANY_VALUE.bytes: {
        // Same text as the OTLP/JSON decoder keeps for bytes_value: base64.
        expectWire('AnyValue.bytes_value', wire, WIRE_LENGTH_DELIMITED, at);
        const start = reader.payload();
        value = base64(reader.buf, start, reader.pos);
        break;
      }
      default:
        reader.skip(wire, at);
    }
  }
  return value;
}

function base64(buf: Uint8Array, start: number, end: number): string {
  let binary = '';
  for (const byte of buf.subarray(start, end)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function readKeyValue(reader: ProtobufReader, into: Record<string, AttributeValue>, depth: number): void {
  let key = '';
  let value: AttributeValue = null;
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === KEY_VALUE.key) {
      expectWire('KeyValue.key', wire, WIRE_LENGTH_DELIMITED, at);
      key = reader.string();
    } else if (field === KEY_VALUE.value) {
      expectWire('KeyValue.value', wire, WIRE_LENGTH_DELIMITED, at);
      const outer = reader.enter();
      value = readNested(reader, depth);
      reader.leave(outer);
    } else reader.skip(wire, at);
  }
  setAttribute(into, key, value);
}

/** Reads a repeated KeyValue field's entry into `into`. */
function readKeyValueField(reader: ProtobufReader, into: Record<string, AttributeValue>): void {
  const outer = reader.enter();
  readKeyValue(reader, into, 0);
  reader.leave(outer);
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

/** One Span.Link; undefined when its trace or span id is absent or all zeros ("no link"). */
function readLink(reader: ProtobufReader): SpanLink | undefined {
  const outer = reader.enter();
  const buf = reader.buf;
  let traceId: TraceId | undefined;
  let spanId: SpanId | undefined;
  const attributes: Attributes = {};
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    const field = tag >>> 3;
    if (field === LINK.traceId || field === LINK.spanId) {
      const name = field === LINK.traceId ? 'links.trace_id' : 'links.span_id';
      expectWire(name, tag & 7, WIRE_LENGTH_DELIMITED, at);
      const start = reader.payload();
      if (field === LINK.traceId) traceId = readOptionalId<TraceId>(buf, start, reader.pos - start, name, 16);
      else spanId = readOptionalId<SpanId>(buf, start, reader.pos - start, name, 8);
    } else if (field === LINK.attributes) {
      expectWire('links.attributes', tag & 7, WIRE_LENGTH_DELIMITED, at);
      readKeyValueField(reader, attributes);
    } else reader.skip(tag & 7, at);
  }
  reader.leave(outer);
  if (traceId === undefined || spanId === undefined) return undefined;
  return Object.keys(attributes).length > 0 ? { traceId, spanId, attributes } : { traceId, spanId };
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

function readStatusCode(reader: ProtobufReader): number {
  const outer = reader.enter();
  let code = 0;
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    if (tag >>> 3 === STATUS.code) {
      expectWire('Status.code', tag & 7, WIRE_VARINT, at);
      code = reader.varint32();
    } else reader.skip(tag & 7, at);
  }
  reader.leave(outer);
  return code;
}

/** Reads one span; the reader is entered into the span message. Ids are kept as offsets until the end. */
function readSpan(reader: ProtobufReader, service: string, source: SpanSource): Span {
  const buf = reader.buf;
  let traceIdAt = -1;
  let traceIdLength = 0;
  let spanIdAt = -1;
  let spanIdLength = 0;
  let parentAt = -1;
  let parentLength = 0;
  let traceState = '';
  let name = '';
  let kind = 0;
  let startLo = 0;
  let startHi = 0;
  let endLo = 0;
  let endHi = 0;
  const attributes: Attributes = {};
  let statusCode: number | undefined;
  let flags: number | undefined;
  const links: SpanLink[] = [];
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    switch (field) {
      case SPAN.traceId:
        expectWire('trace_id', wire, WIRE_LENGTH_DELIMITED, at);
        traceIdAt = reader.payload();
        traceIdLength = reader.pos - traceIdAt;
        break;
      case SPAN.spanId:
        expectWire('span_id', wire, WIRE_LENGTH_DELIMITED, at);
        spanIdAt = reader.payload();
        spanIdLength = reader.pos - spanIdAt;
        break;
      case SPAN.traceState:
        expectWire('trace_state', wire, WIRE_LENGTH_DELIMITED, at);
        traceState = reader.string();
        break;
      case SPAN.parentSpanId:
        expectWire('parent_span_id', wire, WIRE_LENGTH_DELIMITED, at);
        parentAt = reader.payload();
        parentLength = reader.pos - parentAt;
        break;
      case SPAN.name:
        expectWire('name', wire, WIRE_LENGTH_DELIMITED, at);
        name = reader.string();
        break;
      case SPAN.kind:
        expectWire('kind', wire, WIRE_VARINT, at);
        kind = reader.varint32();
        break;
      case SPAN.startTimeUnixNano:
        expectWire('start_time_unix_nano', wire, WIRE_FIXED64, at);
        startLo = reader.fixed32();
        startHi = reader.fixed32();
        break;
      case SPAN.endTimeUnixNano:
        expectWire('end_time_unix_nano', wire, WIRE_FIXED64, at);
        endLo = reader.fixed32();
        endHi = reader.fixed32();
        break;
      case SPAN.attributes:
        expectWire('attributes', wire, WIRE_LENGTH_DELIMITED, at);
        readKeyValueField(reader, attributes);
        break;
      case SPAN.links: {
        expectWire('links', wire, WIRE_LENGTH_DELIMITED, at);
        const link = readLink(reader);
        if (link) links.push(link);
        break;
      }
      case SPAN.status:
        expectWire('status', wire, WIRE_LENGTH_DELIMITED, at);
        statusCode = readStatusCode(reader);
        break;
      case SPAN.flags:
        expectWire('flags', wire, WIRE_FIXED32, at);
        flags = reader.fixed32();
        break;
      default:
        reader.skip(wire, at);
    }
  }
  if (traceIdAt < 0) throw new SpanFault('has no trace_id');
  if (spanIdAt < 0) throw new SpanFault('has no span_id');
  const kindName = spanKindFromNumber(kind);
  if (kindName === undefined) throw new SpanFault(`kind ${kind} is not a span kind (0-5)`);
  const span: { -readonly [K in keyof Span]: Span[K] } = {
    traceId: readId<TraceId>(buf, traceIdAt, traceIdLength, 'trace_id', 16),
    spanId: readId<SpanId>(buf, spanIdAt, spanIdLength, 'span_id', 8),
    name: intern(name),
    kind: kindName,
    service,
    startTimeMs: nanosToMs(startLo, startHi),
    endTimeMs: nanosToMs(endLo, endHi),
    attributes,
    source,
  };
  // An empty or all-zero parent_span_id marks a root span (the Collector reads both as empty).
  if (parentLength > 0) {
    const parent = readOptionalId<SpanId>(buf, parentAt, parentLength, 'parent_span_id', 8);
    if (parent !== undefined) span.parentSpanId = parent;
  }
  if (links.length > 0) span.links = links;
  // OTLP flags bits 0-7 are the W3C trace flags; bits 8-9 say whether the parent was remote.
  if (flags !== undefined) span.traceFlags = flags & 0xff;
  if (traceState !== '') span.traceState = intern(traceState);
  if (statusCode !== undefined) span.statusCode = statusCode;
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
}

/** The first bad span of a strict decode: its path and what is wrong. */
class StrictFault {
  constructor(readonly cause: string) {}
}

function describeSource(source: SpanSource): string {
  return JSON.stringify(source.file);
}

function readResourceAttributes(reader: ProtobufReader): Attributes {
  const outer = reader.enter();
  const attributes: Attributes = {};
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    if (tag >>> 3 === RESOURCE.attributes) {
      expectWire('Resource.attributes', tag & 7, WIRE_LENGTH_DELIMITED, at);
      readKeyValueField(reader, attributes);
    } else reader.skip(tag & 7, at);
  }
  reader.leave(outer);
  return attributes;
}

/** Reads the spans of one ScopeSpans message spanning [start, end). */
function readScopeSpans(
  reader: ProtobufReader,
  start: number,
  end: number,
  service: string,
  path: string,
  out: Collector,
): void {
  const outer = reader.end;
  reader.pos = start;
  reader.end = end;
  let index = 0;
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    if (tag >>> 3 !== SCOPE_SPANS.spans) {
      reader.skip(tag & 7, at);
      continue;
    }
    expectWire(`${path}.spans`, tag & 7, WIRE_LENGTH_DELIMITED, at);
    // The span's length prefix bounds it: whatever is wrong inside costs only this span.
    const scopeEnd = reader.enter();
    const spanEnd = reader.end;
    const spanPath = `${path}.spans[${index++}]`;
    try {
      out.spans.push(readSpan(reader, service, out.source));
    } catch (error) {
      if (!(error instanceof SpanFault) && !(error instanceof ProtobufFault)) throw error;
      const problem = error instanceof SpanFault ? error.problem : `byte ${error.offset}: ${error.problem}`;
      if (out.strict) throw new StrictFault(`${spanPath} ${problem}`);
      out.rejected++;
      if (out.errors.length < MAX_ERRORS) {
        out.errors.push(
          failure(
            `decode a span from ${describeSource(out.source)}`,
            `${spanPath} ${problem}`,
            'The span was skipped.',
          ),
        );
      }
    }
    // A fault may have left the reader inside a nested message: resume right after the span.
    reader.end = spanEnd;
    reader.leave(scopeEnd);
  }
  reader.end = outer;
}

function readResourceSpans(reader: ProtobufReader, path: string, out: Collector): void {
  const outer = reader.enter();
  // Resource may follow the spans on the wire (fields can come in any order), so remember where the scopes
  // are and read them once the service name is known.
  const scopes: [number, number, string][] = [];
  let attributes: Attributes = {};
  let scopeIndex = 0;
  let libraryIndex = 0;
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    const field = tag >>> 3;
    if (field === RESOURCE_SPANS.resource) {
      expectWire(`${path}.resource`, tag & 7, WIRE_LENGTH_DELIMITED, at);
      attributes = readResourceAttributes(reader);
    } else if (field === RESOURCE_SPANS.scopeSpans) {
      expectWire(`${path}.scope_spans`, tag & 7, WIRE_LENGTH_DELIMITED, at);
      const start = reader.payload();
      scopes.push([start, reader.pos, `${path}.scope_spans[${scopeIndex++}]`]);
    } else if (field === RESOURCE_SPANS.instrumentationLibrarySpans) {
      // Pre-1.0 exporters: InstrumentationLibrarySpans has the same shape as ScopeSpans.
      expectWire(`${path}.instrumentation_library_spans`, tag & 7, WIRE_LENGTH_DELIMITED, at);
      const start = reader.payload();
      scopes.push([start, reader.pos, `${path}.instrumentation_library_spans[${libraryIndex++}]`]);
    } else reader.skip(tag & 7, at);
  }
  const name = attributes[SERVICE_NAME];
  const service = typeof name === 'string' && name !== '' ? intern(name) : 'unknown_service';
  const after = reader.pos;
  for (const [start, end, scopePath] of scopes) readScopeSpans(reader, start, end, service, scopePath, out);
  reader.pos = after;
  reader.leave(outer);
}

/** Reads the `ExportTraceServiceRequest` from `reader.pos` to `reader.end`. */
function readRequest(reader: ProtobufReader, out: Collector): void {
  let index = 0;
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    if (tag >>> 3 !== REQUEST.resourceSpans) {
      reader.skip(tag & 7, at);
      continue;
    }
    expectWire('resource_spans', tag & 7, WIRE_LENGTH_DELIMITED, at);
    readResourceSpans(reader, `resource_spans[${index++}]`, out);
  }
}

/**
 * Decodes an OTLP/protobuf `ExportTraceServiceRequest`. A span whose own bytes are wrong (bad ids, wrong
 * wire types, truncation inside it) is rejected with a message; a body whose framing is broken is
 * undecodable. Never throws.
 */
export function decodeOtlpProtobuf(bytes: Uint8Array, source: SpanSource): OtlpProtoDecodeResult {
  const out: Collector = { spans: [], rejected: 0, errors: [], source };
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
  const out: Collector = { spans: [], rejected: 0, errors: [], source, strict: true };
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
    writer.varint(STATUS.code, span.statusCode);
    writer.end();
  }
  for (const link of span.links ?? []) {
    writer.begin(SPAN.links);
    writeIdBytes(writer, LINK.traceId, link.traceId);
    writeIdBytes(writer, LINK.spanId, link.spanId);
    for (const key of Object.keys(link.attributes ?? {}))
      writeKeyValue(writer, LINK.attributes, key, link.attributes?.[key] ?? null);
    writer.end();
  }
  if (span.traceFlags !== undefined) writer.fixed32(SPAN.flags, span.traceFlags & 0xff);
  writer.end();
}

/**
 * Encodes spans as one OTLP/protobuf `ExportTraceServiceRequest`, one `resource_spans` per service, so they
 * can be forwarded to any OTLP collector.
 */
export function encodeOtlpProtobuf(spans: readonly Span[]): Uint8Array {
  const byService = new Map<string, Span[]>();
  for (const span of spans) {
    const list = byService.get(span.service);
    if (list) list.push(span);
    else byService.set(span.service, [span]);
  }
  const writer = new ProtobufWriter();
  for (const [service, list] of byService) {
    writer.begin(REQUEST.resourceSpans);
    writer.begin(RESOURCE_SPANS.resource);
    writeKeyValue(writer, RESOURCE.attributes, SERVICE_NAME, service);
    writer.end();
    writer.begin(RESOURCE_SPANS.scopeSpans);
    writer.begin(SCOPE_SPANS.scope);
    writer.string(1, 'tracehop'); // InstrumentationScope.name
    writer.end();
    for (const span of list) writeSpan(writer, span);
    writer.end();
    writer.end();
  }
  return writer.finish().slice();
}
