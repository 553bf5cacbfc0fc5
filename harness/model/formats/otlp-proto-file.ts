/**
 * OTLP protobuf files: one serialized `ExportTraceServiceRequest`; the Collector file exporter's
 * `format: proto` output, where each request is preceded by its length as a 4-byte big-endian unsigned
 * integer; or length-delimited requests, each preceded by its length as a varint (protobuf's
 * `writeDelimitedTo`, as OpenTelemetry Java's disk buffering writes them on Android). A bare request starts
 * with the tag of `resource_spans` (byte 0x0a); a file of 4-byte lengths starts with 0x00 for any request
 * under 16 MiB. So: first byte 0x0a means bare; otherwise the framing whose lengths add up to the file's
 * size is the file's, 4-byte lengths when both or neither do. Grafana Tempo's `/api/v2/traces` answer in
 * protobuf (tempo-proto.ts) is read for the trace it holds; Zipkin's protobuf, which opens with 0x0a too, is
 * refused as such (zipkin-proto.ts).
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
import { OTLP_PROTO_HINT } from './format-hints';
import { tempoPartial, type LeftOut } from './store-answer';
import { tempoTraceAnswerOf } from './tempo-proto';
import { ZIPKIN_PROTO3, isZipkinProto3 } from './zipkin-proto';
import { documentHeap, documentHeapWords } from './heap-guard';

/** How a file's requests are told apart: one alone, or each after its length (4 bytes, or a varint). */
type Framing = 'fixed32' | 'varint';

/** One frame's length and how many bytes that length took; undefined when no length can be read at `at`. */
interface FrameHead {
  readonly size: number;
  readonly headBytes: number;
}

/** The varint at `at` (at most 5 bytes: a request is under 4 GiB), or undefined for a cut or longer one. */
function varintAt(bytes: Uint8Array, at: number): FrameHead | undefined {
  let size = 0;
  for (let i = 0; i < 5 && at + i < bytes.length; i++) {
    const byte = bytes[at + i] as number;
    size += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return { size, headBytes: i + 1 };
  }
  return undefined;
}

function fixed32At(bytes: Uint8Array, at: number): FrameHead | undefined {
  if (bytes.length - at < 4) return undefined;
  const [a, b, c, d] = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]] as [number, number, number, number];
  return { size: a * 16_777_216 + b * 65_536 + c * 256 + d, headBytes: 4 };
}

const HEAD_OF: Readonly<Record<Framing, (bytes: Uint8Array, at: number) => FrameHead | undefined>> = {
  fixed32: fixed32At,
  varint: varintAt,
};

/**
 * How many bytes the whole frames of `framing` cover from the file's start (its size when they all fit).
 * A varint frame is never empty: no writer delimits an empty request, and NUL bytes read as empty frames
 * would make the zeros of a cut file of 4-byte lengths look framed.
 */
function framedLength(bytes: Uint8Array, framing: Framing): number {
  const headAt = HEAD_OF[framing];
  let at = 0;
  while (at < bytes.length) {
    const head = headAt(bytes, at);
    if (head === undefined || head.size > bytes.length - at - head.headBytes) return at;
    if (head.size === 0 && framing === 'varint') return at;
    at += head.headBytes + head.size;
  }
  return at;
}

/**
 * The framing of a file that is not one bare request: 4-byte lengths when their frames cover the file, else
 * varints when theirs do. For a cut file, the framing that reads further, so its message names the cut; when
 * both are cut in their first frame, the one its first byte fits.
 */
function framingOf(bytes: Uint8Array): Framing {
  const fixed = framedLength(bytes, 'fixed32');
  if (fixed === bytes.length) return 'fixed32';
  const varint = framedLength(bytes, 'varint');
  if (varint !== fixed) return varint > fixed ? 'varint' : 'fixed32';
  // Both cut in their first frame: a 4-byte length of a request under 16 MiB starts with 0x00, a varint never.
  return fixed === 0 && bytes[0] !== 0 ? 'varint' : 'fixed32';
}

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
      "Run tracehop on Node.js 22.15 or later (23.8 or later on Node.js 23), or drop compression from the file exporter's configuration.",
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
  // JSON the heap cannot hold parsed is refused before JSON.parse, where V8 would abort (heap-guard.ts).
  const heap = documentHeap(inner.byteLength, false);
  if (heap !== undefined) {
    const words = documentHeapWords('(zstd-compressed JSON)', inner.byteLength, heap);
    return refuse(
      'too-large',
      words.cause,
      `Write the file exporter's traces with format: proto (read without parsing JSON), or ${words.more}.`,
    );
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

/**
 * A protobuf file's spans, how many requests of other signals (metrics, logs) it held, and what the answer
 * it is says it left out (Tempo's PARTIAL trace); or its failure.
 */
export type OtlpProtoFileResult =
  | { readonly ok: true; readonly spans: Span[]; readonly otherSignals: number; readonly leftOut?: LeftOut }
  | Exclude<OtlpDecodeResult, { ok: true }>;

function fail(file: string, reason: DecodeReason, cause: string): OtlpProtoFileResult {
  return { ok: false, reason, file, message: failure(`read spans from "${file}"`, cause, OTLP_PROTO_HINT) };
}

/**
 * Decodes a whole OTLP protobuf file, all or nothing: bare, framed (4-byte or varint lengths), or framed
 * with each frame zstd-compressed (`zstd` decompresses one; node:zlib's where Node.js has it). Never throws; errors name
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
    if (result.ok && result.spans.length > 0) return result;
    // Tempo's /api/v2/traces answer in protobuf: the trace inside, as a request. Read as a request itself, it
    // fails or gives no spans (its trace one level too deep); a request read as such an answer does too.
    const tempo = tempoTraceAnswerOf(bytes);
    const inner = tempo && decodeRequest(tempo.trace, source);
    if (tempo && inner?.ok && inner.spans.length > 0)
      return { ...inner, ...(tempo.partial ? { leftOut: tempoPartial(tempo.message) } : {}) };
    // Zipkin's protobuf opens with the same byte: refused as what it is, not as a broken OTLP request.
    if ((!result.ok || result.spans.length === 0) && isZipkinProto3(bytes))
      return {
        ok: false,
        reason: 'unknown-format',
        file,
        message: failure(`read spans from "${file}"`, ZIPKIN_PROTO3.cause, ZIPKIN_PROTO3.hint),
      };
    if (result.ok) return result;
    // A first length-delimited request of exactly 10 bytes starts with 0x0a too.
    if (framedLength(bytes, 'varint') === bytes.length) {
      const framed = decodeFrames(bytes, file, 'varint', zstd);
      if (framed.ok) return framed;
    }
    return fail(file, result.reason, result.message);
  }
  return decodeFrames(bytes, file, framingOf(bytes), zstd);
}

/** Decodes every frame of a framed file, in order; fails at the first bad one, naming it. */
function decodeFrames(
  bytes: Uint8Array,
  file: string,
  framing: Framing,
  zstd: ZstdDecompress | undefined,
): OtlpProtoFileResult {
  const source = { file };
  const headAt = HEAD_OF[framing];
  const spans: Span[] = [];
  let otherSignals = 0;
  let frame = 1;
  for (let at = 0; at < bytes.length; frame++) {
    const left = bytes.length - at;
    const head = headAt(bytes, at);
    if (head === undefined)
      return fail(
        file,
        'invalid-protobuf',
        framing === 'fixed32'
          ? `frame ${frame} at byte ${at} is truncated: its length needs 4 bytes, but ${left} remain`
          : `frame ${frame} at byte ${at} is truncated: its length (a varint) is cut off or longer than 5 bytes`,
      );
    const { size, headBytes } = head;
    if (size > left - headBytes)
      return fail(
        file,
        'invalid-protobuf',
        `frame ${frame} at byte ${at} says ${size} bytes follow, but only ${left - headBytes} do (the file is truncated or not framed)`,
      );
    const payload = bytes.subarray(at + headBytes, at + headBytes + size);
    if (compressionOf(payload) === 'zstd') {
      const inner = decodeZstdFrame(payload, file, `frame ${frame} at byte ${at}`, zstd);
      if (!inner.ok) return inner;
      for (const span of inner.spans) spans.push(span);
      otherSignals += inner.otherSignals;
      at += headBytes + size;
      continue;
    }
    const result = decodeRequest(payload, source);
    if (!result.ok) return fail(file, result.reason, `frame ${frame} at byte ${at}: ${result.message}`);
    for (const span of result.spans) spans.push(span);
    otherSignals += result.otherSignals;
    at += headBytes + size;
  }
  return { ok: true, spans, otherSignals };
}
