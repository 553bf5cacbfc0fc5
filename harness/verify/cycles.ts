import { shortId, type SpanId, type Trace } from '../model';
import type { CycleProblem } from './problem';

/** How many spans of a long loop its message names, at each end. */
const SHOWN_AT_EACH_END = 4;

/** The loop as short ids, child to parent, back to the first; a long one with its middle counted, not listed. */
function loopPath(loop: readonly SpanId[]): string {
  const ids = loop.map(shortId);
  const shown =
    ids.length <= SHOWN_AT_EACH_END * 2 + 1
      ? ids
      : [
          ...ids.slice(0, SHOWN_AT_EACH_END),
          `... ${ids.length - SHOWN_AT_EACH_END * 2} more ...`,
          ...ids.slice(-SHOWN_AT_EACH_END),
        ];
  return [...shown, ids[0]].join(' -> ');
}

/** `cycle`: parent links that loop (one problem per loop, starting at the span the tree was cut at). */
export function findCycles(trace: Trace): CycleProblem[] {
  const problems: CycleProblem[] = [];
  for (const root of trace.roots) {
    if (root.reason !== 'cycle') continue;
    const start = root.node.span;
    const loop: SpanId[] = [start.spanId];
    for (
      let current = trace.nodeById.get(start.parentSpanId as SpanId)?.span;
      current && current.spanId !== start.spanId;
    ) {
      loop.push(current.spanId);
      current = current.parentSpanId !== undefined ? trace.nodeById.get(current.parentSpanId)?.span : undefined;
    }
    const path = loopPath(loop);
    problems.push({
      kind: 'cycle',
      traceId: trace.traceId,
      spanId: start.spanId,
      service: start.service,
      loop,
      message:
        `parent links loop in trace ${shortId(trace.traceId)} (${path}, child to parent), so these spans have no root: ` +
        `a span id came back as its own ancestor: an id generator repeats ids (a fixed seed, or ids copied from traceparent) or a proxy wrote a descendant's id into traceparent`,
    });
  }
  return problems;
}
