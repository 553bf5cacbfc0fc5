import { forEachParentLink, type Trace } from '../model/trace';
import { describeSpan, roughDuration } from './internal/describe';
import type { Warning } from './problem';

/**
 * `clock-skew` warnings: a child that starts before its parent or ends after it, across services. Never a
 * defect: device clocks drift, and parent links, not timestamps, decide propagation.
 */
export function findClockSkew(trace: Trace): Warning[] {
  const warnings: Warning[] = [];
  forEachParentLink(trace, ({ span: parent }, span) => {
    if (parent.service === span.service) return;
    const early = parent.startTimeMs - span.startTimeMs;
    const late = span.endTimeMs - parent.endTimeMs;
    if (early <= 0 && late <= 0) return;
    const skewMs = Math.max(early, late);
    const what = early >= late ? `starts ${roughDuration(early)} before` : `ends ${roughDuration(late)} after`;
    warnings.push({
      kind: 'clock-skew',
      traceId: span.traceId,
      spanId: span.spanId,
      service: span.service,
      skewMs,
      message:
        `${describeSpan(span)} ${what} its parent ${describeSpan(parent)}: ` +
        `the clocks of ${parent.service} and ${span.service} disagree (not a propagation defect; parent links decide)`,
    });
  });
  return warnings;
}
