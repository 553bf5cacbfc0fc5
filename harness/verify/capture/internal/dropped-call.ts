import { CALL_ID_HEADER, type Span } from '../../../model';
import { headerValues } from '../../../propagation';
import type { CaptureView } from './links';

/**
 * The sampled root of a trace in which a request from outside the mock backend (the app's: no call id)
 * arrived with sampled=0 and a parent id no exported span has: the app's sampler dropped the span of its
 * call inside a sampled trace (a ParentBased sampler whose localParentSampled is not AlwaysOn), or a proxy
 * rewrote the header, parent id and flags. Undefined when the request says otherwise: sampled, its parent
 * exported, sent by a service of the backend, in a trace whose root (of another service) is not exported or
 * not sampled, or in which another service had started a span before the request came (then that service,
 * not the root's, may have made the call: a service outside the backend sends no call id either).
 */
export function sampledTraceOfDroppedCall(view: CaptureView, spans: readonly Span[]): Span | undefined {
  const tp = view.traceparent;
  if (!tp || tp.sampled || headerValues(view.capture.headers, CALL_ID_HEADER).length > 0) return undefined;
  let root: Span | undefined;
  const earlier = new Set<string>();
  for (const span of spans) {
    if (span.traceId !== tp.traceId) continue;
    if (span.spanId === tp.parentId) return undefined;
    if (span.parentSpanId === undefined) root = span;
    else if (span.service !== view.capture.service && span.startTimeMs <= view.capture.timeMs)
      earlier.add(span.service);
  }
  const sampled = root?.traceFlags !== undefined && (root.traceFlags & 1) === 1;
  if (root === undefined || !sampled || root.service === view.capture.service) return undefined;
  // The caller is the root's service only when no other service had joined the trace before the request came.
  earlier.delete(root.service);
  return earlier.size === 0 ? root : undefined;
}
