/**
 * OTLP protobuf files: one serialized `ExportTraceServiceRequest`, or the Collector file exporter's
 * `format: proto` output, where each request is preceded by its length as a 4-byte big-endian unsigned
 * integer. A bare request starts with the tag of `resource_spans` (byte 0x0a); a framed file starts with a
 * length, whose first byte is 0x00 for any request under 16 MiB. So: first byte 0x0a means bare.
 */
import * as zlib from 'node:zlib';
import { failure } from '../../internal/messages';
import { errorMessage } from '../../internal/result';
import type { DecodeReason } from '../decode-reason';
import { decodeOtlpJsonValue, type OtlpDecodeResult } from '../otlp-json';
import { decodeOtlpProtobufFrame, type OtlpProtoFrameResult } from '../otlp-proto';
import { compressionOf } from './compressed-dump';
import { isOtherSignal, otherSignalOf } from './other-signal';
import type { Span, SpanSource } from '../span';

export const OTLP_PROTO_HINT =
  "Write one ExportTraceServiceRequest per file, or use the Collector's file exporter with format: proto.";

const RESOURCE_SPANS_TAG = 0x0a;

/** Decompresses one whole zstd frame. */
export type ZstdDecompress = (bytes: Uint8Array) => Uint8Array;

/** node:zlib's zstdDecompressSync (Node.js 22.15 and later), or undefined where Node.js lacks it. */
function nodeZstd(): ZstdDecompress | undefined {
  const candidate = (zlib as { zstdDecompressSync?: (bytes: Uint8Array) => Buffer }).zstdDecompressSync;
  return typeof candidate === 'function' ? (bytes) => candidate(bytes) : undefined;
}

/** One request's spans; none, counted, for a request of metrics or logs; or why it is no trace request. */
type RequestResult =
  | { readonly ok: true; readonly spans: Span[]; readonly otherSignals: number }
  | Exclude<OtlpProtoFrameResult, { ok: true }>;

/**
 * Decodes one protobuf request. One that is not traces but metrics or logs (a Collector file exporter shared
 * by several pipelines) holds no spans and is counted, so a note can say it was skipped.
 */
function decodeRequest(bytes: Uint8Array, source: SpanSource): RequestResult {
  const result = decodeOtlpProtobufFrame(bytes, 0, bytes.length, source);
  if (result.ok) return { ok: true, spans: result.spans, otherSignals: 0 };
  if (otherSignalOf(bytes, 0, bytes.length) !== undefined) return { ok: true, spans: [], otherSignals: 1 };
  return result;
}

/**
 * One frame whose payload is zstd-compressed, as the Collector's file exporter writes each export with
 * `compression: zstd`: the payload is then the export as protobuf or, with `format: json`, as JSON. `where`
 * names the frame in messages.
 */
function decodeZstdFrame(
  payload: Uint8Array,
  file: string,
  where: string,
  zstd: ZstdDecompress | undefined,
): OtlpProtoFileResult {
  const refuse = (reason: DecodeReason, cause: string, hint = OTLP_PROTO_HINT): OtlpProtoFileResult => ({
    ok: false,
    reason,
    file,
    message: failure(`read spans from "${file}"`, `${where} ${cause}`, hint),
  });
  if (zstd === undefined)
    return refuse(
      'unsupported-compression',
      `is zstd-compressed (as the Collector's file exporter writes with compression: zstd), and Node.js ${process.version} cannot decompress zstd`,
      "Run tracehop on Node.js 22.15 or later, or drop compression from the file exporter's configuration.",
    );
  let inner: Uint8Array;
  try {
    inner = zstd(payload);
  } catch (error) {
    return refuse('corrupt-compression', `holds corrupt zstd data (${errorMessage(error)})`);
  }
  const source = { file };
  const first = inner.findIndex((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
  if (inner[first] !== 0x7b) {
    const result = decodeRequest(inner, source);
    return result.ok ? result : refuse(result.reason, `(zstd-compressed): ${result.message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(inner.buffer, inner.byteOffset, inner.byteLength).toString('utf8'));
  } catch (error) {
    return refuse('not-json', `(zstd-compressed JSON) is not valid JSON (${errorMessage(error)})`);
  }
  if (isOtherSignal(value)) return { ok: true, spans: [], otherSignals: 1 };
  const result = decodeOtlpJsonValue(value, source);
  return result.ok ? { ...result, otherSignals: 0 } : result;
}

/** A protobuf file's spans and how many requests of other signals (metrics, logs) it held; or its failure. */
export type OtlpProtoFileResult =
  | { readonly ok: true; readonly spans: Span[]; readonly otherSignals: number }
  | Exclude<OtlpDecodeResult, { ok: true }>;

function fail(file: string, reason: DecodeReason, cause: string): OtlpProtoFileResult {
  return { ok: false, reason, file, message: failure(`read spans from "${file}"`, cause, OTLP_PROTO_HINT) };
}

/**
 * Decodes a whole OTLP protobuf file, all or nothing: bare, framed, or framed with each frame
 * zstd-compressed (`zstd` decompresses one; node:zlib's where Node.js has it). Never throws; errors name
 * the byte offset.
 */
export function decodeOtlpProtoFile(
  bytes: Uint8Array,
  file: string,
  zstd: ZstdDecompress | undefined = nodeZstd(),
): OtlpProtoFileResult {
  if (bytes.length === 0) return fail(file, 'empty', 'the file is empty');
  const source = { file };
  if (bytes[0] === RESOURCE_SPANS_TAG) {
    const result = decodeRequest(bytes, source);
    return result.ok ? result : fail(file, result.reason, result.message);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const spans: Span[] = [];
  let otherSignals = 0;
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
    const payload = bytes.subarray(at + 4, at + 4 + size);
    if (compressionOf(payload) === 'zstd') {
      const inner = decodeZstdFrame(payload, file, `frame ${frame} at byte ${at}`, zstd);
      if (!inner.ok) return inner;
      for (const span of inner.spans) spans.push(span);
      otherSignals += inner.otherSignals;
      at += 4 + size;
      continue;
    }
    const result = decodeRequest(payload, source);
    if (!result.ok) return fail(file, result.reason, `frame ${frame} at byte ${at}: ${result.message}`);
    for (const span of result.spans) spans.push(span);
    otherSignals += result.otherSignals;
    at += 4 + size;
  }
  return { ok: true, spans, otherSignals };
}
