/**
 * The capture contract between the mock backend (which injects faults and records calls) and the capture
 * checks (which judge them): the fault names, the plain-word real-world cause of each, and the call link.
 * It lives in the model so neither side imports the other (docs/ARCHITECTURE.md).
 *
 * Plain-word real-world causes of broken hops, shared by the capture checks' verdicts and the mock
 * backend's faults, so a verdict names the same cause the fault simulates.
 */
export const HOP_CAUSES = {
  'drop-traceparent': 'a proxy or SDK between them drops the header',
  'new-trace': 'an SDK between them starts a new trace instead of continuing the incoming one',
  'uppercase-traceparent': 'a proxy or SDK between them rewrites the ids in uppercase hex, which W3C forbids',
  'rewrite-parent': 'a proxy between them rewrites the parent id to a span it never exported',
  'duplicate-traceparent': 'two instrumentations each inject their own traceparent',
  'b3-only': 'the caller sends only B3 headers while the next hop reads W3C traceparent',
  unsampled: 'a sampler or proxy between them clears the sampled flag',
  'strip-tracestate': 'a proxy between them strips the tracestate header',
  'strip-baggage': 'a proxy between them strips the baggage header',
} as const;

export type HopCause = keyof typeof HOP_CAUSES;

/** A fault the mock backend can inject: one per hop cause, so every fault has a verdict that names it. */
export type FaultName = HopCause;

/** Every fault name, in the order of {@link HOP_CAUSES}. */
export const FAULT_NAMES: readonly FaultName[] = Object.keys(HOP_CAUSES) as FaultName[];

export function isFaultName(name: string): name is FaultName {
  return Object.prototype.hasOwnProperty.call(HOP_CAUSES, name);
}

/**
 * The header tying a mock-backend call to its caller's CLIENT span: the backend sends it beside the trace
 * headers (faults never touch it), and records the same id on the CLIENT span as {@link CALL_ID_ATTRIBUTE}.
 */
export const CALL_ID_HEADER = 'x-tracehop-call';
/** The CLIENT span attribute holding the call id sent in {@link CALL_ID_HEADER}. */
export const CALL_ID_ATTRIBUTE = 'tracehop.call_id';
