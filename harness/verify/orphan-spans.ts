import { shortId, type SpanId, type Trace } from '../model';
import { describeSpan } from './internal/describe';
import type { OrphanSpanProblem } from './problem';

/** `orphan-span`: a span whose parent span id is not present in its trace. */
export function findOrphanSpans(trace: Trace): OrphanSpanProblem[] {
  const problems: OrphanSpanProblem[] = [];
  for (const root of trace.roots) {
    if (root.reason !== 'orphan') continue;
    const span = root.node.span;
    const missing = span.parentSpanId as SpanId;
    problems.push({
      kind: 'orphan-span',
      traceId: span.traceId,
      spanId: span.spanId,
      service: span.service,
      missingParentSpanId: missing,
      message:
        `${describeSpan(span)} names parent span ${shortId(missing)}, which was never exported in trace ${shortId(span.traceId)}: ` +
        `the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent`,
    });
  }
  return problems;
}
