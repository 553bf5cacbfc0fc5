import { forEachParentLink, type Trace } from '../model';
import { describeSpan } from './internal/describe';
import type { SamplingMismatchProblem } from './problem';

const sampledWord = (sampled: boolean): string => (sampled ? 'sampled' : 'not sampled');

/** Where the flag changed: across a hop (a header was rewritten) or inside one service. */
function changed(from: string, to: string, nowSampled: boolean): string {
  const verb = nowSampled ? 'set' : 'cleared';
  return from === to
    ? `the sampled flag was ${verb} inside ${to}`
    : `the sampled flag was ${verb} between ${from} and ${to}: a proxy or SDK rewrote the traceparent flags`;
}

/** `sampling-mismatch`: the sampled flag differs between a span and its parent (both flags known). */
export function findSamplingMismatches(trace: Trace): SamplingMismatchProblem[] {
  const problems: SamplingMismatchProblem[] = [];
  forEachParentLink(trace, ({ span: parent }, span) => {
    if (span.traceFlags === undefined || parent.traceFlags === undefined) return;
    const parentSampled = (parent.traceFlags & 1) === 1;
    const childSampled = (span.traceFlags & 1) === 1;
    if (parentSampled === childSampled) return;
    problems.push({
      kind: 'sampling-mismatch',
      traceId: span.traceId,
      spanId: span.spanId,
      service: span.service,
      parentSampled,
      childSampled,
      message:
        `${describeSpan(span)} is ${sampledWord(childSampled)} but its parent ${describeSpan(parent)} is ${sampledWord(parentSampled)}: ` +
        `${changed(parent.service, span.service, childSampled)}, or ${span.service}'s sampler ignored the parent's decision (use a ParentBased sampler)`,
    });
  });
  return problems;
}
