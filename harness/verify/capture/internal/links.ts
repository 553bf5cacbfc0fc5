import type { CapturedRequest, Span } from '../../../model';
import { extractContexts, headerValues, type ExtractedContexts, type Traceparent } from '../../../propagation';
import { CALL_ID_ATTRIBUTE, CALL_ID_HEADER } from '../../../model';

/** One capture with what the checks need around it. */
export interface CaptureView {
  readonly capture: CapturedRequest;
  readonly contexts: ExtractedContexts;
  /** The decoded traceparent, when exactly one valid header arrived. */
  readonly traceparent?: Traceparent;
  /** The caller's CLIENT span, tied by the backend's call id header. */
  readonly callerSpan?: Span;
  /** The SERVER span the receiving service started, when it was stored. */
  readonly serverSpan?: Span;
}

export interface CaptureViews {
  readonly views: CaptureView[];
  readonly spanById: Map<string, Span[]>;
}

/** The views of the running {@link withSharedViews} call, so the checks it runs decode each header once. */
let shared: { captures: readonly CapturedRequest[]; spans: readonly Span[]; result: CaptureViews } | undefined;

/** Runs `checks` with one decoding of the captures shared by every viewCaptures call on the same arrays. */
export function withSharedViews<T>(captures: readonly CapturedRequest[], spans: readonly Span[], checks: () => T): T {
  shared = { captures, spans, result: buildViews(captures, spans) };
  try {
    return checks();
  } finally {
    shared = undefined;
  }
}

/** Indexes spans and decodes each capture once (once per {@link withSharedViews} run). */
export function viewCaptures(captures: readonly CapturedRequest[], spans: readonly Span[]): CaptureViews {
  return shared && shared.captures === captures && shared.spans === spans ? shared.result : buildViews(captures, spans);
}

function buildViews(captures: readonly CapturedRequest[], spans: readonly Span[]): CaptureViews {
  const byCallId = new Map<string, Span>();
  const spanById = new Map<string, Span[]>();
  for (const span of spans) {
    const callId = span.attributes[CALL_ID_ATTRIBUTE];
    if (typeof callId === 'string' && span.kind === 'client') byCallId.set(callId, span);
    let list = spanById.get(span.spanId);
    if (!list) spanById.set(span.spanId, (list = []));
    list.push(span);
  }
  const views = captures.map((capture): CaptureView => {
    const contexts = extractContexts(capture.headers);
    const traceparent = contexts.traceparent?.result.ok ? contexts.traceparent.result.value : undefined;
    const callId = headerValues(capture.headers, CALL_ID_HEADER)[0];
    const callerSpan = callId !== undefined ? byCallId.get(callId) : undefined;
    const serverSpan = capture.serverSpanId
      ? spanById
          .get(capture.serverSpanId)
          ?.find((span) => span.traceId === capture.serverTraceId && span.service === capture.service)
      : undefined;
    return {
      capture,
      contexts,
      ...(traceparent ? { traceparent } : {}),
      ...(callerSpan ? { callerSpan } : {}),
      ...(serverSpan ? { serverSpan } : {}),
    };
  });
  return { views, spanById };
}

/** "api-gateway" for a linked caller, else "its caller". */
export function callerName(view: CaptureView): string {
  return view.callerSpan?.service ?? 'its caller';
}

/** "payment-api (POST /payments)". */
export function receiver(view: CaptureView): string {
  return `${view.capture.service} (${view.capture.method} ${view.capture.path.split('?')[0]})`;
}
