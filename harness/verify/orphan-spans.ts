import { shortId, type Span, type SpanId, type Trace } from '../model';
import { describeSpan } from './internal/describe';
import type { OrphanSpanProblem } from './problem';

const sampled = (span: Span): boolean => span.traceFlags === undefined || (span.traceFlags & 1) === 1;

/** No span of the trace is sampled (each one's flags known and 00) and none is a root: the caller exported nothing. */
const unsampledWithoutRoot = (trace: Trace, span: Span): boolean =>
  !sampled(span) && !trace.spans.some(sampled) && !trace.roots.some((root) => root.reason === 'root');

/**
 * `orphan-span`: a span whose parent span id is not present in its trace. When no span of the trace is sampled
 * (each one's trace flags known and 00) and the trace has no root span, the caller's sampler is the likely
 * cause (it exported nothing and sent the flag off), and the message says so.
 */
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
        (unsampledWithoutRoot(trace, span)
          ? `no span of the trace is sampled (${span.service}'s trace flags say 00): the caller's sampler most likely dropped the trace ` +
            `(AlwaysOff, or a ratio below 1), so the caller exported none of its spans, and ${span.service} recorded its own anyway; ` +
            `fix: sample every trace in test builds (ParentBased(AlwaysOn), or OTEL_TRACES_SAMPLER=always_on)`
          : `the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent`),
    });
  }
  return problems;
}
