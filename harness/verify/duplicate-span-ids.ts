import { shortId, type SpanId } from '../model/ids';
import type { Span } from '../model/span';
import type { Trace } from '../model/trace';
import { describeSpan } from './internal/describe';
import type { DuplicateSpanIdProblem } from './problem';

/** `duplicate-span-id`: two or more spans in one trace share a span id (one problem per id). */
export function findDuplicateSpanIds(trace: Trace): DuplicateSpanIdProblem[] {
  // nodeById keeps one node per id: equal sizes mean no id repeats, the common case, with no extra map.
  if (trace.nodeById.size === trace.spans.length) return [];
  const byId = new Map<SpanId, Span[]>();
  let duplicated: SpanId[] | undefined;
  for (const span of trace.spans) {
    const list = byId.get(span.spanId);
    if (!list) {
      byId.set(span.spanId, [span]);
      continue;
    }
    if (list.length === 1) (duplicated ??= []).push(span.spanId);
    list.push(span);
  }
  if (!duplicated) return [];
  return duplicated.map((spanId) => {
    const spans = byId.get(spanId) as Span[];
    return {
      kind: 'duplicate-span-id',
      traceId: trace.traceId,
      spanId,
      service: spans[0].service,
      count: spans.length,
      message:
        `${spans.length} spans share span id ${shortId(spanId)} in trace ${shortId(trace.traceId)} (${spans.map(describeSpan).join(', ')}): ` +
        `a retry or a second instrumentation reused a span id instead of starting a new span`,
    };
  });
}
