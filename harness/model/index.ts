/**
 * The trace model: branded ids, spans, OTLP/JSON encoding and decoding, and conversion from the
 * OpenTelemetry JS SDK.
 */

// Ids
export { asSpanId, asTraceId, parseSpanId, parseTraceId, shortId } from './ids';

// OTLP/JSON
export { decodeOtlpJson, decodeOtlpJsonLine, decodeOtlpJsonValue, encodeOtlpJson } from './otlp-json';
export { readOtlpJsonFile } from './otlp-json-file';

// OTLP protobuf
export { decodeOtlpProtobuf, encodeOtlpProtobuf } from './otlp-proto';
export { encodeExportResponse, encodeRpcStatus } from './otlp-responses';

// Traces
export { buildTrace, forEachParentLink, groupTraces, walkTrace } from './trace';

// OpenTelemetry JS SDK
export { spanFromReadable } from './from-sdk';

// The capture contract between the mock backend and the capture checks
export { CALL_ID_ATTRIBUTE, CALL_ID_HEADER, FAULT_NAMES, HOP_CAUSES, isFaultName } from './capture-contract';

export type { IdReason, IdResult, SpanId, TraceId } from './ids';
export type { AttributeValue, Attributes, Span, SpanKind, SpanNode, SpanSource } from './span';
export type { CapturedRequest, HeaderEntry } from './capture';
export type { FaultName, HopCause } from './capture-contract';
export type { RootReason, Trace, TraceRoot } from './trace';
export type { OtlpDecodeError, OtlpDecodeResult } from './otlp-json';
export type { OtlpProtoDecodeResult } from './otlp-proto';
export type { ReadLimits } from './otlp-json-file';
export type {
  OtlpAnyValue,
  OtlpJsonDocument,
  OtlpJsonSpan,
  OtlpKeyValue,
  OtlpResourceSpans,
  OtlpScopeSpans,
} from './otlp-json-types';
