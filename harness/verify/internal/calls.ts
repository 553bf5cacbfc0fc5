import type { Span, SpanNode } from '../../model';
import { sameRoute } from './routes';

export const CALLER_KINDS: ReadonlySet<string> = new Set(['client', 'producer']);
export const CALLEE_KINDS: ReadonlySet<string> = new Set(['server', 'consumer']);

/** CLIENT/PRODUCER spans beneath `node`, in its own service, that nobody answered. */
export function unansweredBeneath(node: SpanNode): Span[] {
  const found: Span[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop() as SpanNode;
    for (const child of current.children) {
      if (child.span.service !== node.span.service) continue;
      if (CALLER_KINDS.has(child.span.kind) && child.children.length === 0) found.push(child.span);
      stack.push(child);
    }
  }
  return found;
}

/**
 * A forwarded traceparent: `callee` hangs under `callNode` (a CLIENT/PRODUCER span) beside `other`, a span of
 * another service whose own call on the callee's route (or the call running when the callee started) has no
 * child. Returns that unanswered call: the span the callee should hang under.
 */
export function forwardedFrom(callNode: SpanNode, callee: Span, other: SpanNode): Span | undefined {
  if (other.span === callee || other.span.service === callee.service || other.span.service === callNode.span.service)
    return undefined;
  const calls = unansweredBeneath(other);
  return (
    calls.find((span) => sameRoute(span, callee)) ??
    calls.find((span) => span.startTimeMs <= callee.startTimeMs && callee.startTimeMs <= span.endTimeMs)
  );
}
