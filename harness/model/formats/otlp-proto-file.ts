/**
 * OTLP protobuf files: one serialized `ExportTraceServiceRequest`, or the Collector file exporter's
 * `format: proto` output, where each request is preceded by its length as a 4-byte big-endian unsigned
 * integer. A bare request starts with the tag of `resource_spans` (byte 0x0a); a framed file starts with a
 * length, whose first byte is 0x00 for any request under 16 MiB. So: first byte 0x0a means bare.
 */
import { failure } from '../../internal/messages';
import type { DecodeReason } from '../decode-reason';
import type { OtlpDecodeResult } from '../otlp-json';
import { decodeOtlpProtobufFrame } from '../otlp-proto';
import type { Span } from '../span';

export const OTLP_PROTO_HINT =
  "Write one ExportTraceServiceRequest per file, or use the Collector's file exporter with format: proto.";

const RESOURCE_SPANS_TAG = 0x0a;

function fail(file: string, reason: DecodeReason, cause: string): OtlpDecodeResult {
  return { ok: false, reason, file, message: failure(`read spans from "${file}"`, cause, OTLP_PROTO_HINT) };
}

/** Decodes a whole OTLP protobuf file, all or nothing. Never throws; errors name the byte offset. */
export function decodeOtlpProtoFile(bytes: Uint8Array, file: string): OtlpDecodeResult {
  if (bytes.length === 0) return fail(file, 'empty', 'the file is empty');
  const source = { file };
  if (bytes[0] === RESOURCE_SPANS_TAG) {
    const result = decodeOtlpProtobufFrame(bytes, 0, bytes.length, source);
    return result.ok ? result : fail(file, result.reason, result.message);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const spans: Span[] = [];
  let frame = 1;
  for (let at = 0; at < bytes.length; frame++) {
    const left = bytes.length - at;
    if (left < 4)
      return fail(
        file,
        'invalid-protobuf',
        `frame ${frame} at byte ${at} is truncated: its length needs 4 bytes, but ${left} remain`,
      );
    const size = view.getUint32(at, false);
    if (size > left - 4)
      return fail(
        file,
        'invalid-protobuf',
        `frame ${frame} at byte ${at} says ${size} bytes follow, but only ${left - 4} do (the file is truncated or not framed)`,
      );
    const result = decodeOtlpProtobufFrame(bytes, at + 4, at + 4 + size, source);
    if (!result.ok) return fail(file, result.reason, `frame ${frame} at byte ${at}: ${result.message}`);
    for (const span of result.spans) spans.push(span);
    at += 4 + size;
  }
  return { ok: true, spans };
}
