/**
 * OTLP protobuf `ExportTraceServiceRequest` (opentelemetry-proto collector/trace/v1, trace/v1, common/v1,
 * resource/v1) <-> our spans, by hand over the wire format: no generated code, linear in the body size.
 */
import { failure } from '../internal/messages';
import { parseSpanId, parseTraceId } from './ids';
import type { IdReason, SpanId, TraceId } from './ids';
import { msToNanosString } from './internal/nanos';
import { ProtobufFault, ProtobufReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT, wireName } from './internal/protobuf-reader';
import { ProtobufWriter } from './internal/protobuf-writer';
import type { AttributeValue, Attributes, Span, SpanKind, SpanSource } from './span';

export type OtlpProtoDecodeResult =
  | { readonly ok: true; readonly spans: Span[]; readonly rejected: number; readonly errors: string[] }
  | { readonly ok: false; readonly message: string };

const HINT = 'Send an ExportTraceServiceRequest in the OTLP protobuf encoding (Content-Type: application/x-protobuf).';
/** Rejected spans are all counted, but only this many get a message, so a garbage body cannot flood a log. */
const MAX_ERRORS = 100;

const KINDS_BY_NUMBER: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const KIND_NUMBERS: Readonly<Record<SpanKind, number>> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};

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
  status: 15,
  flags: 16,
} as const;
const STATUS = { code: 3 } as const;
const KEY_VALUE = { key: 1, value: 2 } as const;
const ANY_VALUE = { string: 1, bool: 2, int: 3, double: 4, array: 5, kvlist: 6, bytes: 7 } as const;
const LIST_VALUES = 1; // ArrayValue.values and KeyValueList.values

/** Nested AnyValues deeper than this are cut off (set to null): a hostile body must not overflow the stack. */
const MAX_DEPTH = 32;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function toHex(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += HEX[bytes[i]];
  return text;
}

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
        const list = reader.message();
        const items: AttributeValue[] = [];
        while (!list.atEnd()) {
          const itemAt = list.pos;
          const itemTag = list.varint32();
          if (itemTag >>> 3 !== LIST_VALUES) {
            list.skip(itemTag & 7);
            continue;
          }
          expectWire('ArrayValue.values', itemTag & 7, WIRE_LENGTH_DELIMITED, itemAt);
          const item = list.message();
          items.push(depth < MAX_DEPTH ? readAnyValue(item, depth + 1) : null);
        }
        value = items;
        break;
      }
      case ANY_VALUE.kvlist: {
        expectWire('AnyValue.kvlist_value', wire, WIRE_LENGTH_DELIMITED, at);
        const list = reader.message();
        const record: Record<string, AttributeValue> = {};
        while (!list.atEnd()) {
          const itemAt = list.pos;
          const itemTag = list.varint32();
          if (itemTag >>> 3 !== LIST_VALUES) {
            list.skip(itemTag & 7);
            continue;
          }
          expectWire('KeyValueList.values', itemTag & 7, WIRE_LENGTH_DELIMITED, itemAt);
          readKeyValue(list.message(), record, depth + 1);
        }
        value = record;
        break;
      }
      case ANY_VALUE.bytes:
        // Same text as the OTLP/JSON decoder keeps for bytes_value: base64.
        expectWire('AnyValue.bytes_value', wire, WIRE_LENGTH_DELIMITED, at);
        value = base64(reader.bytes());
        break;
      default:
        reader.skip(wire);
    }
  }
  return value;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
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
      const nested = reader.message();
      value = depth < MAX_DEPTH ? readAnyValue(nested, depth + 1) : null;
    } else reader.skip(wire);
  }
  into[key] = value;
}

// ---- Span ----

function idProblem(field: string, bytes: Uint8Array, length: number, reason: IdReason): string {
  if (reason === 'wrong-length') return `${field} has ${bytes.length} bytes, expected ${length}`;
  return `${field} is all zeros`;
}

function readTraceIdBytes(bytes: Uint8Array): TraceId {
  const parsed = parseTraceId(toHex(bytes));
  if (!parsed.ok) throw new SpanFault(idProblem('trace_id', bytes, 16, parsed.reason));
  return parsed.value;
}

function readSpanIdBytes(bytes: Uint8Array, field: string): SpanId {
  const parsed = parseSpanId(toHex(bytes));
  if (!parsed.ok) throw new SpanFault(idProblem(field, bytes, 8, parsed.reason));
  return parsed.value;
}

/** fixed64 Unix nanoseconds -> epoch ms, split like the JSON decoder so both give the same number. */
function nanosToMs(lo: number, hi: number): number {
  const nanos = (BigInt(hi) << 32n) | BigInt(lo);
  return Number(nanos / 1000000n) + Number(nanos % 1000000n) / 1e6;
}

function readStatusCode(reader: ProtobufReader): number {
  let code = 0;
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    if (tag >>> 3 === STATUS.code) {
      expectWire('Status.code', tag & 7, WIRE_VARINT, at);
      code = reader.varint32();
    } else reader.skip(tag & 7);
  }
  return code;
}

function readSpan(reader: ProtobufReader, service: string, source: SpanSource): Span {
  let traceId: Uint8Array | undefined;
  let spanId: Uint8Array | undefined;
  let parentSpanId: Uint8Array | undefined;
  let traceState = '';
  let name = '';
  let kind = 0;
  let start: [number, number] = [0, 0];
  let end: [number, number] = [0, 0];
  const attributes: Attributes = {};
  let statusCode: number | undefined;
  let flags: number | undefined;
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    switch (field) {
      case SPAN.traceId:
        expectWire('trace_id', wire, WIRE_LENGTH_DELIMITED, at);
        traceId = reader.bytes();
        break;
      case SPAN.spanId:
        expectWire('span_id', wire, WIRE_LENGTH_DELIMITED, at);
        spanId = reader.bytes();
        break;
      case SPAN.traceState:
        expectWire('trace_state', wire, WIRE_LENGTH_DELIMITED, at);
        traceState = reader.string();
        break;
      case SPAN.parentSpanId:
        expectWire('parent_span_id', wire, WIRE_LENGTH_DELIMITED, at);
        parentSpanId = reader.bytes();
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
        start = reader.fixed64Parts();
        break;
      case SPAN.endTimeUnixNano:
        expectWire('end_time_unix_nano', wire, WIRE_FIXED64, at);
        end = reader.fixed64Parts();
        break;
      case SPAN.attributes:
        expectWire('attributes', wire, WIRE_LENGTH_DELIMITED, at);
        readKeyValue(reader.message(), attributes, 0);
        break;
      case SPAN.status:
        expectWire('status', wire, WIRE_LENGTH_DELIMITED, at);
        statusCode = readStatusCode(reader.message());
        break;
      case SPAN.flags:
        expectWire('flags', wire, WIRE_FIXED32, at);
        flags = reader.fixed32();
        break;
      default:
        reader.skip(wire);
    }
  }
  if (!traceId) throw new SpanFault('has no trace_id');
  if (!spanId) throw new SpanFault('has no span_id');
  const kindName = KINDS_BY_NUMBER[kind];
  if (kindName === undefined) throw new SpanFault(`kind ${kind} is not a span kind (0-5)`);
  const parent = parentSpanId && parentSpanId.length > 0 ? readSpanIdBytes(parentSpanId, 'parent_span_id') : undefined;
  return {
    traceId: readTraceIdBytes(traceId),
    spanId: readSpanIdBytes(spanId, 'span_id'),
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    kind: kindName,
    service,
    startTimeMs: nanosToMs(start[0], start[1]),
    endTimeMs: nanosToMs(end[0], end[1]),
    attributes,
    // OTLP flags bits 0-7 are the W3C trace flags; bits 8-9 say whether the parent was remote.
    ...(flags !== undefined ? { traceFlags: flags & 0xff } : {}),
    ...(traceState !== '' ? { traceState } : {}),
    ...(statusCode !== undefined ? { statusCode } : {}),
    source,
  };
}

// ---- request ----

interface Collector {
  readonly spans: Span[];
  rejected: number;
  readonly errors: string[];
  readonly source: SpanSource;
}

function describeSource(source: SpanSource): string {
  return JSON.stringify(source.file);
}

function readResourceAttributes(reader: ProtobufReader): Attributes {
  const attributes: Attributes = {};
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    if (tag >>> 3 === RESOURCE.attributes) {
      expectWire('Resource.attributes', tag & 7, WIRE_LENGTH_DELIMITED, at);
      readKeyValue(reader.message(), attributes, 0);
    } else reader.skip(tag & 7);
  }
  return attributes;
}

function readScopeSpans(reader: ProtobufReader, service: string, path: string, out: Collector): void {
  let index = 0;
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    if (tag >>> 3 !== SCOPE_SPANS.spans) {
      reader.skip(tag & 7);
      continue;
    }
    expectWire(`${path}.spans`, tag & 7, WIRE_LENGTH_DELIMITED, at);
    // The span's length prefix bounds it: whatever is wrong inside costs only this span.
    const spanReader = reader.message();
    const spanPath = `${path}.spans[${index++}]`;
    try {
      out.spans.push(readSpan(spanReader, service, out.source));
    } catch (error) {
      if (!(error instanceof SpanFault) && !(error instanceof ProtobufFault)) throw error;
      out.rejected++;
      if (out.errors.length < MAX_ERRORS) {
        const problem = error instanceof SpanFault ? error.problem : `byte ${error.offset}: ${error.problem}`;
        out.errors.push(failure(`decode a span from ${describeSource(out.source)}`, `${spanPath} ${problem}`, 'The span was skipped.'));
      }
    }
  }
}

function readResourceSpans(reader: ProtobufReader, path: string, out: Collector): void {
  // Resource may follow the spans on the wire (fields can come in any order), so keep the scopes until the end.
  const scopes: [ProtobufReader, string][] = [];
  let attributes: Attributes = {};
  let scopeIndex = 0;
  let libraryIndex = 0;
  while (!reader.atEnd()) {
    const at = reader.pos;
    const tag = reader.varint32();
    const field = tag >>> 3;
    if (field === RESOURCE_SPANS.resource) {
      expectWire(`${path}.resource`, tag & 7, WIRE_LENGTH_DELIMITED, at);
      attributes = readResourceAttributes(reader.message());
    } else if (field === RESOURCE_SPANS.scopeSpans) {
      expectWire(`${path}.scope_spans`, tag & 7, WIRE_LENGTH_DELIMITED, at);
      scopes.push([reader.message(), `${path}.scope_spans[${scopeIndex++}]`]);
    } else if (field === RESOURCE_SPANS.instrumentationLibrarySpans) {
      // Pre-1.0 exporters: InstrumentationLibrarySpans has the same shape as ScopeSpans.
      expectWire(`${path}.instrumentation_library_spans`, tag & 7, WIRE_LENGTH_DELIMITED, at);
      scopes.push([reader.message(), `${path}.instrumentation_library_spans[${libraryIndex++}]`]);
    } else reader.skip(tag & 7);
  }
  const name = attributes['service.name'];
  const service = typeof name === 'string' && name !== '' ? name : 'unknown_service';
  for (const [scope, scopePath] of scopes) readScopeSpans(scope, service, scopePath, out);
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
    let index = 0;
    while (!reader.atEnd()) {
      const at = reader.pos;
      const tag = reader.varint32();
      if (tag >>> 3 !== REQUEST.resourceSpans) {
        reader.skip(tag & 7);
        continue;
      }
      expectWire('resource_spans', tag & 7, WIRE_LENGTH_DELIMITED, at);
      readResourceSpans(reader.message(), `resource_spans[${index++}]`, out);
    }
  } catch (error) {
    const cause =
      error instanceof ProtobufFault
        ? `byte ${error.offset} ${error.problem}`
        : `the decoder stopped: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, message: failure(`decode the OTLP protobuf body from ${describeSource(source)}`, cause, HINT) };
  }
  return { ok: true, spans: out.spans, rejected: out.rejected, errors: out.errors };
}

// ---- encoding ----

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function writeAnyValue(value: AttributeValue): ProtobufWriter {
  const writer = new ProtobufWriter();
  if (value === null) return writer;
  if (typeof value === 'string') writer.string(ANY_VALUE.string, value);
  else if (typeof value === 'boolean') writer.bool(ANY_VALUE.bool, value);
  else if (typeof value === 'number') {
    // Same split as the JSON encoder: safe integers are int64, everything else (and -0) a double.
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) writer.int64(ANY_VALUE.int, value);
    else writer.double(ANY_VALUE.double, value);
  } else if (Array.isArray(value)) {
    const list = new ProtobufWriter();
    for (const item of value) list.message(LIST_VALUES, writeAnyValue(item));
    writer.message(ANY_VALUE.array, list);
  } else {
    const list = new ProtobufWriter();
    for (const [key, item] of Object.entries(value)) list.message(LIST_VALUES, writeKeyValue(key, item));
    writer.message(ANY_VALUE.kvlist, list);
  }
  return writer;
}

function writeKeyValue(key: string, value: AttributeValue): ProtobufWriter {
  const writer = new ProtobufWriter();
  writer.string(KEY_VALUE.key, key);
  writer.message(KEY_VALUE.value, writeAnyValue(value));
  return writer;
}

function msToNanos(ms: number): bigint {
  return BigInt(msToNanosString(ms));
}

function writeSpan(span: Span): ProtobufWriter {
  const writer = new ProtobufWriter();
  writer.bytes(SPAN.traceId, hexToBytes(span.traceId));
  writer.bytes(SPAN.spanId, hexToBytes(span.spanId));
  if (span.traceState) writer.string(SPAN.traceState, span.traceState);
  if (span.parentSpanId) writer.bytes(SPAN.parentSpanId, hexToBytes(span.parentSpanId));
  writer.string(SPAN.name, span.name);
  writer.varint(SPAN.kind, KIND_NUMBERS[span.kind] ?? 0);
  writer.fixed64(SPAN.startTimeUnixNano, msToNanos(span.startTimeMs));
  writer.fixed64(SPAN.endTimeUnixNano, msToNanos(span.endTimeMs));
  for (const [key, value] of Object.entries(span.attributes)) writer.message(SPAN.attributes, writeKeyValue(key, value));
  if (span.statusCode !== undefined) {
    const status = new ProtobufWriter();
    status.varint(STATUS.code, span.statusCode);
    writer.message(SPAN.status, status);
  }
  if (span.traceFlags !== undefined) writer.fixed32(SPAN.flags, span.traceFlags & 0xff);
  return writer;
}

/**
 * Encodes spans as one OTLP/protobuf `ExportTraceServiceRequest`, one `resource_spans` per service, so they
 * can be forwarded to any OTLP collector.
 */
export function encodeOtlpProtobuf(spans: readonly Span[]): Uint8Array {
  const byService = new Map<string, ProtobufWriter>();
  for (const span of spans) {
    let scope = byService.get(span.service);
    if (!scope) {
      scope = new ProtobufWriter();
      const scopeInfo = new ProtobufWriter();
      scopeInfo.string(1, 'tracehop'); // InstrumentationScope.name
      scope.message(SCOPE_SPANS.scope, scopeInfo);
      byService.set(span.service, scope);
    }
    scope.message(SCOPE_SPANS.spans, writeSpan(span));
  }
  const request = new ProtobufWriter();
  for (const [service, scope] of byService) {
    const resource = new ProtobufWriter();
    resource.message(RESOURCE.attributes, writeKeyValue('service.name', service));
    const resourceSpans = new ProtobufWriter();
    resourceSpans.message(RESOURCE_SPANS.resource, resource);
    resourceSpans.message(RESOURCE_SPANS.scopeSpans, scope);
    request.message(REQUEST.resourceSpans, resourceSpans);
  }
  return request.finish();
}
