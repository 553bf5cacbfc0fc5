/**
 * The header codecs: W3C traceparent, tracestate (with Level 1's key rule beside Level 2's) and baggage, B3
 * single and multi. Every decode returns a result with a reason instead of throwing; `extractContexts` reads
 * every format in one request's headers. Published by the `tracehop` entry; knows nothing of HTTP servers.
 */
// traceparent (W3C Trace Context Level 2)
export { decodeTraceparent, encodeTraceparent, FLAG_RANDOM, FLAG_SAMPLED } from './traceparent';
// tracestate (W3C Trace Context Level 2)
export {
  decodeTracestate,
  encodeTracestate,
  isTracestateKey,
  isTracestateValue,
  truncateTracestate,
  updateTracestate,
  TRACESTATE_MAX_LENGTH,
  TRACESTATE_MAX_MEMBERS,
} from './tracestate';
// tracestate keys of W3C Trace Context Level 1 (what OpenTelemetry Go and JS accept)
export { isLevel1TracestateKey, level1KeyProblem } from './tracestate-level1';
// baggage (W3C Baggage)
export { decodeBaggage, encodeBaggage, BAGGAGE_MAX_BYTES, BAGGAGE_MAX_MEMBERS } from './baggage';
// B3 single and multi (openzipkin/b3-propagation)
export { B3_MULTI_HEADER_NAMES, decodeB3Multi, decodeB3Single, encodeB3Multi, encodeB3Single } from './b3';
// every format of one request
export { extractContexts, headerValues, TRACE_HEADER_NAMES } from './extract';
// other propagators' headers (Jaeger, X-Ray, Datadog, ...), named but not decoded
export { isTraceContextHeader, OTHER_TRACE_HEADER_NAMES, otherTraceHeader } from './other-propagators';
export type { OtherTraceHeader } from './other-propagators';
// the W3C participant decision
export { continueW3c } from './w3c-participant';

export type { CodecResult } from './result';
export type { HeaderInput } from './internal/header-text';
export type { Traceparent, TraceparentFields, TraceparentReason, TraceparentResult } from './traceparent';
export type {
  Tracestate,
  TracestateDecodeOptions,
  TracestateMember,
  TracestateReason,
  TracestateResult,
} from './tracestate';
export type { Baggage, BaggageEntry, BaggageProperty, BaggageReason, BaggageResult } from './baggage';
export type { B3Context, B3Ids, B3Reason, B3Result, B3Sampling, B3SamplingOnly } from './b3';
export type { ExtractedContexts, ExtractedHeader, TraceHeaderName } from './extract';
export type { W3cContinuation, W3cParticipantOptions } from './w3c-participant';
