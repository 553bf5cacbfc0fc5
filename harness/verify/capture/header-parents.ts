import type { CapturedRequest, Span } from '../../model';
import type { WrongParentProblem } from '../problem';
import { receiver, viewCaptures } from './internal/links';

/**
 * `wrong-parent` (header variant): the SERVER span a service started is not parented to the parent id in
 * the valid traceparent it received.
 */
export function findHeaderWrongParents(
  captures: readonly CapturedRequest[],
  spans: readonly Span[],
): WrongParentProblem[] {
  const problems: WrongParentProblem[] = [];
  for (const view of viewCaptures(captures, spans).views) {
    const { traceparent: tp, serverSpan } = view;
    if (!tp || !serverSpan) continue;
    if (serverSpan.traceId === tp.traceId && serverSpan.parentSpanId === tp.parentId) continue;
    problems.push({
      kind: 'wrong-parent',
      traceId: serverSpan.traceId,
      spanId: serverSpan.spanId,
      service: serverSpan.service,
      expectedParentSpanId: tp.parentId,
      actualParentSpanId: serverSpan.parentSpanId ?? null,
      message:
        `${receiver(view)} received parent ${tp.parentId} in trace ${tp.traceId}, but its SERVER span ${serverSpan.spanId} ` +
        `${serverSpan.parentSpanId ? `has parent ${serverSpan.parentSpanId}` : 'is a root'} in trace ${serverSpan.traceId}: ` +
        'the service extracted its context from somewhere other than the incoming header',
    });
  }
  return problems;
}
