import type { Span } from '../../../model';
import type { CaptureView } from './links';

/**
 * The sampled span of a trace whose request arrived with sampled=0 and a parent id no exported span has:
 * the caller's sampler dropped the span of its call inside a sampled trace (a ParentBased sampler whose
 * localParentSampled is not AlwaysOn), so that span was never exported. The trace's root when it is
 * sampled and exported, else its first sampled span of another service; undefined when the request says
 * otherwise (sampled, its parent exported, or no sampled span of the trace arrived from elsewhere).
 */
export function sampledTraceOfDroppedCall(view: CaptureView, spans: readonly Span[]): Span | undefined {
  const tp = view.traceparent;
  if (!tp || tp.sampled) return undefined;
  let found: Span | undefined;
  for (const span of spans) {
    if (span.traceId !== tp.traceId) continue;
    if (span.spanId === tp.parentId) return undefined;
    const sampled = span.traceFlags !== undefined && (span.traceFlags & 1) === 1;
    if (!sampled || span.service === view.capture.service) continue;
    if (found === undefined || (span.parentSpanId === undefined && found.parentSpanId !== undefined)) found = span;
  }
  return found;
}
