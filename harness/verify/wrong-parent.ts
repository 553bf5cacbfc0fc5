import { forEachParentLink, type Span, type SpanNode, type Trace } from '../model';
import { describeSpan, describeSpanName, kindWord } from './internal/describe';
import type { WrongParentProblem } from './problem';

const CALLER_KINDS = new Set(['client', 'producer']);

/** The call span a child should hang under: the parent's only CLIENT/PRODUCER child in its own service. */
function onlyCallSpan(parentNode: SpanNode): Span | undefined {
  let found: Span | undefined;
  for (const child of parentNode.children) {
    if (child.span.service !== parentNode.span.service || !CALLER_KINDS.has(child.span.kind)) continue;
    if (found) return undefined;
    found = child.span;
  }
  return found;
}

/**
 * `wrong-parent`: a span whose parent lives in another service must be parented to that service's CLIENT or
 * PRODUCER span (the span of the outgoing call), not to a SERVER or INTERNAL span.
 */
export function findWrongParents(trace: Trace): WrongParentProblem[] {
  const problems: WrongParentProblem[] = [];
  // Once per parent, not per child: a fan-out of many wrong children must stay linear.
  const callerOf = new Map<SpanNode, Span | undefined>();
  forEachParentLink(trace, (parentNode, span) => {
    const parent = parentNode.span;
    if (parent.service === span.service || CALLER_KINDS.has(parent.kind)) return;
    if (!callerOf.has(parentNode)) callerOf.set(parentNode, onlyCallSpan(parentNode));
    const expected = callerOf.get(parentNode);
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
        `${parent.service} injected the context of its incoming request instead of the span of its outgoing call ` +
        `(inject from the CLIENT span's context, after starting it)`,
    });
  });
  return problems;
}
