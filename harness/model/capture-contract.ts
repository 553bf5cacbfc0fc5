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
  'cors-omits-trace-headers':
    "the service's CORS preflight answer leaves traceparent, tracestate and baggage out of Access-Control-Allow-Headers, so the browser refuses to send the request",
  'redirect-drops-headers': 'the HTTP client follows the redirect with a rebuilt request that carries no trace headers',
} as const;

/** A cause a hop can lose the trace context by: a key of {@link HOP_CAUSES}. */
export type HopCause = keyof typeof HOP_CAUSES;

/** A fault the mock backend can inject: one per hop cause, so every fault has a verdict that names it. */
export type FaultName = HopCause;

/** Every fault name, in the order of {@link HOP_CAUSES}. */
export const FAULT_NAMES: readonly FaultName[] = Object.keys(HOP_CAUSES) as FaultName[];

/** Whether `name` is one of {@link FAULT_NAMES} (a fault the mock backend can inject). */
export function isFaultName(name: string): name is FaultName {
  return Object.prototype.hasOwnProperty.call(HOP_CAUSES, name);
}

/**
 * Causes on the app's side of the app -> gateway hop: the app faults of the sample app
 * (fixtures/sample-app/src/config/app-faults.ts), which the harness's app fault list repeats by name.
 */
export const APP_HOP_CAUSES = {
  'gateway-not-first-party': "the gateway's origin is missing from the app SDK's propagation allow-list",
  'trace-per-request': 'the app starts a new trace for every request instead of continuing the journey span',
  'replay-loses-context': "the app's offline queue replays the request outside its original journey's context",
  'b3-only': 'the app injects only B3 headers while the backend reads W3C traceparent',
  'unsampled-root':
    "the app's sampler drops its roots (sampled=0) while the app still exports its spans and sends headers",
  'double-inject': 'two instrumentations in the app each inject a traceparent',
} as const;

/** A cause the app's own hop (app -> gateway) can lose the trace context by: a key of {@link APP_HOP_CAUSES}. */
export type AppHopCause = keyof typeof APP_HOP_CAUSES;

/**
 * One line a mobile engineer acts on, per cause: every verdict that names one of these causes ends with
 * "; fix: <fix>" (see {@link withFix}).
 */
export const HOP_FIXES: Readonly<Partial<Record<HopCause, string>>> = {
  'cors-omits-trace-headers':
    "add traceparent, tracestate and baggage to the service's Access-Control-Allow-Headers (its CORS preflight answer)",
  'redirect-drops-headers':
    'call the final URL directly, or make the HTTP client copy traceparent, tracestate and baggage onto the redirected request',
};

/** The fix for each app-side cause, in the words of the SDK settings a mobile engineer changes. */
export const APP_HOP_FIXES: Readonly<Record<AppHopCause, string>> = {
  'gateway-not-first-party':
    "add the gateway's origin to the SDK's propagation targets (propagateTraceHeaderCorsUrls / tracePropagationTargets / firstPartyHosts)",
  'trace-per-request':
    "start each request's span inside the journey span's context (pass the journey's context to the HTTP client, or make it the active context)",
  'replay-loses-context':
    "store the journey's span context and baggage with each queued request and send the replay from that context",
  'b3-only':
    'make the app inject W3C traceparent (W3CTraceContextPropagator), keeping B3 only beside it if a backend still reads it',
  'unsampled-root':
    "make the app's sampler keep journey roots (AlwaysOn, or ParentBased with the backend's ratio) so the sampled flag it sends matches the spans it exports",
  'double-inject':
    'register one propagator for traceparent: remove the second instrumentation or disable its header injection',
};

/** `<text>; fix: <fix>` when there is a fix, else the text alone. */
export function withFix(fix: string | undefined, text: string): string {
  return fix === undefined ? text : `${text}; fix: ${fix}`;
}

/**
 * The header tying a mock-backend call to its caller's CLIENT span: the backend sends it beside the trace
 * headers (faults never touch it), and records the same id on the CLIENT span as {@link CALL_ID_ATTRIBUTE}.
 */
export const CALL_ID_HEADER = 'x-tracehop-call';
/** The CLIENT span attribute holding the call id sent in {@link CALL_ID_HEADER}. */
export const CALL_ID_ATTRIBUTE = 'tracehop.call_id';
