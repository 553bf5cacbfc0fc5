import type { SpanId } from '../model/ids';
import type { Span } from '../model/span';
import type { Trace } from '../model/trace';
import { describeSpan, describeSpanName, kindWord } from './internal/describe';
import type { WrongParentProblem } from './problem';

const CALLER_KINDS = new Set(['client', 'producer']);

/**
 * `wrong-parent`: a span whose parent lives in another service must be parented to that service's CLIENT or
 * PRODUCER span (the span of the outgoing call), not to a SERVER or INTERNAL span.
 */
export function findWrongParents(trace: Trace): WrongParentProblem[] {
  const problems: WrongParentProblem[] = [];
  let childrenOf: Map<SpanId, Span[]> | undefined;
  for (const span of trace.spans) {
    if (span.parentSpanId === undefined) continue;
    const parent = trace.spanById.get(span.parentSpanId);
    if (!parent || parent === span || parent.service === span.service || CALLER_KINDS.has(parent.kind)) continue;
    if (!childrenOf) childrenOf = indexChildren(trace);
    // The call span the child should hang under: the parent's only CLIENT/PRODUCER child in its service.
    const callers = (childrenOf.get(parent.spanId) ?? []).filter((s) => s.service === parent.service && CALLER_KINDS.has(s.kind));
    const expected = callers.length === 1 ? callers[0] : undefined;
    problems.push({
      kind: 'wrong-parent',
      traceId: span.traceId,
      spanId: span.spanId,
      service: span.service,
      expectedParentSpanId: expected ? expected.spanId : null,
      actualParentSpanId: parent.spanId,
      message:
        `${describeSpan(span)} is parented to ${parent.service}'s ${kindWord(parent.kind)} span ${describeSpanName(parent)}` +
        `${expected ? ` instead of its CLIENT span ${describeSpanName(expected)}` : ', not to a CLIENT or PRODUCER span'}: ` +
        `${parent.service} injected the context of its incoming request instead of the span of its outgoing call`,
    });
  }
  return problems;
}

function indexChildren(trace: Trace): Map<SpanId, Span[]> {
  const map = new Map<SpanId, Span[]>();
  for (const span of trace.spans) {
    if (span.parentSpanId === undefined) continue;
    let list = map.get(span.parentSpanId);
    if (!list) map.set(span.parentSpanId, (list = []));
    list.push(span);
  }
  return map;
}
