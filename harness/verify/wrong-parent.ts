import { forEachParentLink, type Trace } from '../model/trace';
import { describeSpan, describeSpanName, kindWord } from './internal/describe';
import type { WrongParentProblem } from './problem';

const CALLER_KINDS = new Set(['client', 'producer']);

/**
 * `wrong-parent`: a span whose parent lives in another service must be parented to that service's CLIENT or
 * PRODUCER span (the span of the outgoing call), not to a SERVER or INTERNAL span.
 */
export function findWrongParents(trace: Trace): WrongParentProblem[] {
  const problems: WrongParentProblem[] = [];
  forEachParentLink(trace, (parentNode, span) => {
    const parent = parentNode.span;
    if (parent.service === span.service || CALLER_KINDS.has(parent.kind)) return;
    // The call span the child should hang under: the parent's only CLIENT/PRODUCER child in its service.
    const callers = parentNode.children.filter((c) => c.span.service === parent.service && CALLER_KINDS.has(c.span.kind));
    const expected = callers.length === 1 ? callers[0].span : undefined;
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
