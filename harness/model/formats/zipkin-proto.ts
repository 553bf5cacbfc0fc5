import { varint } from './wire-varint';

/**
 * Zipkin's protobuf encoding (zipkin2 proto3: `ListOfSpans {repeated Span spans = 1}`), as Zipkin's exporters POST
 * it to `/api/v2/spans` with `Content-Type: application/x-protobuf` (zipkin-go's `SpanSerializer` for protobuf,
 * Brave's `Encoding.PROTO3`). It opens with the same byte as an OTLP request (field 1, length-delimited), so a dump
 * of it would read as a broken OTLP request; told apart here to be refused in its own words.
 */

/** The wire type of each field of zipkin2's proto3 Span; field 1 (trace_id) and 3 (id) are checked apart. */
const SPAN_WIRE: Readonly<Record<number, number>> = {
  1: 2, // trace_id: 8 or 16 bytes
  2: 2, // parent_id: 8 bytes
  3: 2, // id: 8 bytes
  4: 0, // kind
  5: 2, // name
  6: 1, // timestamp: fixed64, microseconds
  7: 0, // duration
  8: 2, // local_endpoint
  9: 2, // remote_endpoint
  10: 2, // annotations
  11: 2, // tags (map entries)
  12: 0, // debug
  13: 0, // shared
};

/** Whether `bytes[from, to)` is one zipkin2 Span: every field one it has, in its wire type, with its ids' sizes. */
function isZipkinSpan(bytes: Uint8Array, from: number, to: number): boolean {
  let traceId = false;
  let id = false;
  for (let at = from; at < to;) {
    const tag = varint(bytes, at);
    if (tag === undefined) return false;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (SPAN_WIRE[field] !== wire) return false;
    if (wire === 1) {
      at = tag.next + 8;
      continue;
    }
    const value = varint(bytes, tag.next);
    if (value === undefined) return false;
    if (wire === 0) {
      at = value.next;
      continue;
    }
    const size = value.value;
    if (field === 1) traceId = size === 8 || size === 16;
    if ((field === 2 || field === 3) && size !== 8) return false;
    if (field === 3) id = true;
    at = value.next + size;
    if (at > to) return false;
  }
  return traceId && id;
}

/**
 * Whether `bytes` open as a Zipkin proto3 ListOfSpans: its first span (field 1, length-delimited) reads whole as
 * a zipkin2 Span with a trace id and an id. An OTLP request's first ResourceSpans never does: its fields 1 and 2
 * (Resource, ScopeSpans) are messages that are not 8 or 16 bytes of id, and it has no field 3 of 8 bytes beside them.
 */
export function isZipkinProto3(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x0a) return false;
  const size = varint(bytes, 1);
  if (size === undefined || size.next + size.value > bytes.length) return false;
  return isZipkinSpan(bytes, size.next, size.next + size.value);
}

/** The words a Zipkin protobuf file is refused in. */
export const ZIPKIN_PROTO3 = {
  cause:
    'the file is Zipkin protobuf (a proto3 ListOfSpans, as Zipkin exporters POST to /api/v2/spans with Content-Type application/x-protobuf), not OTLP protobuf; tracehop reads Zipkin as JSON',
  hint: "Save the spans as Zipkin JSON instead: GET /api/v2/traces (or /api/v2/trace/{traceId}) from Zipkin's API, or the exporter with its JSON encoding (Encoding.JSON).",
} as const;
