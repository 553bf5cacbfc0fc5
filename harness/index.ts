/**
 * tracehop: the trace model, the header codecs and the verifier. Knows nothing of Detox, msw or HTTP;
 * the Jest, backend and Detox adapters live behind `tracehop/jest`, `tracehop/backend` and `tracehop/detox`.
 */

// Model: ids, OTLP encodings, traces
export {
  asSpanId,
  asTraceId,
  buildTrace,
  decodeOtlpJson,
  decodeOtlpJsonLine,
  decodeOtlpJsonValue,
  decodeOtlpProtobuf,
  encodeOtlpJson,
  encodeOtlpProtobuf,
  forEachParentLink,
  groupTraces,
  parseSpanId,
  parseTraceId,
  shortId,
  spanFromReadable,
  walkTrace,
} from './model';

// Propagation: W3C traceparent/tracestate/baggage and B3 codecs
export {
  B3_MULTI_HEADER_NAMES,
  BAGGAGE_MAX_BYTES,
  BAGGAGE_MAX_MEMBERS,
  FLAG_RANDOM,
  FLAG_SAMPLED,
  TRACESTATE_MAX_LENGTH,
  TRACESTATE_MAX_MEMBERS,
  TRACE_HEADER_NAMES,
  continueW3c,
  decodeB3Multi,
  decodeB3Single,
  decodeBaggage,
  decodeTraceparent,
  decodeTracestate,
  encodeB3Multi,
  encodeB3Single,
  encodeBaggage,
  encodeTraceparent,
  encodeTracestate,
  extractContexts,
  headerValues,
  isTracestateKey,
  isTracestateValue,
  truncateTracestate,
  updateTracestate,
} from './propagation';

// Verify: checks, the defect vocabulary, trees
export {
  CALL_ID_ATTRIBUTE,
  CALL_ID_HEADER,
  PROBLEM_KINDS,
  checkCaptures,
  checkExpectedChain,
  findClockSkew,
  findCycles,
  findDuplicateSpanIds,
  findHeaderSpanMismatches,
  findHeaderWrongParents,
  findInvalidHeaders,
  findLeakedHeaders,
  findOrphanSpans,
  findSamplingMismatches,
  findWrongParents,
  isProblemKind,
  renderTraceTree,
  verifySpans,
} from './verify';

// The failure shape shared by the parsers
export type { Failure, Result } from './internal/result';

export type {
  AttributeValue,
  Attributes,
  CapturedRequest,
  HeaderEntry,
  IdReason,
  IdResult,
  OtlpDecodeError,
  OtlpDecodeResult,
  OtlpProtoDecodeResult,
  RootReason,
  Span,
  SpanId,
  SpanKind,
  SpanNode,
  SpanSource,
  Trace,
  TraceId,
  TraceRoot,
} from './model';
export type {
  B3Context,
  B3Result,
  Baggage,
  BaggageResult,
  CodecResult,
  ExtractedContexts,
  Traceparent,
  TraceparentReason,
  TraceparentResult,
  Tracestate,
  TracestateResult,
  W3cContinuation,
} from './propagation';
export type {
  BrokenChainProblem,
  CaptureCheckOptions,
  CycleProblem,
  DuplicateSpanIdProblem,
  HeaderSpanMismatchProblem,
  InvalidHeaderProblem,
  LeakedHeaderProblem,
  MissingServiceProblem,
  OrphanSpanProblem,
  Problem,
  ProblemKind,
  RenderOptions,
  SamplingMismatchProblem,
  Verdict,
  VerifyOptions,
  Warning,
  WrongParentProblem,
} from './verify';
