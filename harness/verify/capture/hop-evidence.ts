import type { CapturedRequest, Span } from '../../model';
import type { BrokenChainProblem, SamplingMismatchProblem } from '../problem';
import { HOP_CAUSES } from '../../model';
import { receiver, viewCaptures } from './internal/links';

/**
 * What the capture log says about a hop whose caller is known by call id: the trace header never arrived
 * (`broken-chain`, with B3 sent instead or nothing), or the sampled flag was cleared (`sampling-mismatch`).
 */
export function findHopEvidence(
  captures: readonly CapturedRequest[],
  spans: readonly Span[],
): (BrokenChainProblem | SamplingMismatchProblem)[] {
  const problems: (BrokenChainProblem | SamplingMismatchProblem)[] = [];
  for (const view of viewCaptures(captures, spans).views) {
    const caller = view.callerSpan;
    if (!caller || !view.capture.firstParty) continue;
    const base = { traceId: caller.traceId, spanId: caller.spanId, service: view.capture.service };
    if (!view.contexts.traceparent) {
      const b3 = view.contexts.b3 ?? view.contexts.b3Multi;
      problems.push({
        kind: 'broken-chain',
        ...base,
        lastService: caller.service,
        restartedService: view.capture.service,
        message: b3
          ? `${caller.service} sent ${receiver(view)} B3 headers and no traceparent, so it started a new trace: ${HOP_CAUSES['b3-only']}`
          : `${caller.service} sent no traceparent to ${receiver(view)}, so it started a new trace: ${HOP_CAUSES['drop-traceparent']}`,
      });
      continue;
    }
    const tp = view.traceparent;
    const callerSampled = caller.traceFlags === undefined || (caller.traceFlags & 1) === 1;
    if (tp && callerSampled && !tp.sampled) {
      problems.push({
        kind: 'sampling-mismatch',
        ...base,
        parentSampled: true,
        childSampled: false,
        message: `${caller.service} recorded its call as sampled, but ${receiver(view)} received sampled=0: ${HOP_CAUSES.unsampled}`,
      });
    }
  }
  return problems;
}
