/**
 * The trace model: branded ids, spans, OTLP/JSON encoding and decoding, and conversion from the
 * OpenTelemetry JS SDK.
 */

// Ids
export { asSpanId, asTraceId, parseSpanId, parseTraceId, shortId, shortIdsApart } from './ids';

// OTLP/JSON
export {
  decodeOtlpJson,
  decodeOtlpJsonExport,
  decodeOtlpJsonLine,
  decodeOtlpJsonValue,
  encodeOtlpJson,
} from './otlp-json';

// OTLP protobuf (decoding; tests take the encoder from test-support/otlp-protobuf.ts, the receiver's
// response bodies are in otlp-responses/)
export { decodeOtlpProtobuf } from './otlp-proto';

// B3 shared spans, as the Zipkin reader marks them
export { SHARED_SPAN_ID, holdsSharedCallId } from './b3-shared-span';

// Traces
export { buildTrace, forEachParentLink, groupTraces, repeatsSpanIds, walkTrace } from './trace';
export { hasTime } from './span-time';

// OpenTelemetry JS SDK
export { spanFromReadable } from './from-sdk';
export type { SdkAttributes, SdkReadableSpan } from './from-sdk';

// The capture contract between the mock backend and the capture checks
export {
  APP_HOP_CAUSES,
  APP_HOP_FIXES,
  CALL_ID_ATTRIBUTE,
  CALL_ID_HEADER,
  FAULT_NAMES,
  HOP_CAUSES,
  HOP_FIXES,
  isFaultName,
  withFix,
} from './capture-contract';

export type { IdReason, IdResult, SpanId, TraceId } from './ids';
export type {
  AttributeValue,
  Attributes,
  Span,
  SpanEvent,
  SpanException,
  SpanKind,
  SpanLink,
  SpanNode,
  SpanOrigin,
  SpanScope,
  SpanSource,
} from './span';
export type { CapturedRequest, CapturedResponse, HeaderEntry } from './capture';
export type { AppHopCause, FaultName, HopCause } from './capture-contract';
export type { RootReason, Trace, TraceRoot } from './trace';
export type { DecodeFailure, DecodeReason } from './decode-reason';
export type { ExportDecodeOptions, OtlpDecodeResult, OtlpJsonExportResult } from './otlp-json';
export type { OtlpProtoDecodeResult } from './otlp-proto';
export type {
  OtlpAnyValue,
  OtlpJsonDocument,
  OtlpJsonSpan,
  OtlpKeyValue,
  OtlpResourceSpans,
  OtlpScopeSpans,
} from './otlp-json-types';
