import { forEachParentLink, type SpanId, type Trace } from '../model';
import { describeSpan, roughDuration } from './internal/describe';
import type { Warning } from './problem';

const NONE: ReadonlySet<SpanId> = new Set();

/** Span ids held by more than one span (none in the common case, found without a second map). */
function duplicatedIds(trace: Trace): ReadonlySet<SpanId> {
  if (trace.nodeById.size === trace.spans.length) return NONE;
  const seen = new Set<SpanId>();
  const repeated = new Set<SpanId>();
  for (const span of trace.spans) {
    if (seen.has(span.spanId)) repeated.add(span.spanId);
    else seen.add(span.spanId);
  }
  return repeated;
}

/**
 * `clock-skew` warnings: a child that starts before its parent or ends after it, across services. Never a
 * defect: device clocks drift, and parent links, not timestamps, decide propagation.
 */
export function findClockSkew(trace: Trace): Warning[] {
  const warnings: Warning[] = [];
  const ambiguous = duplicatedIds(trace);
  forEachParentLink(trace, ({ span: parent }, span) => {
    // A child of a duplicated id hangs under the first copy, which may not be its real parent.
    if (parent.service === span.service || ambiguous.has(parent.spanId)) return;
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
