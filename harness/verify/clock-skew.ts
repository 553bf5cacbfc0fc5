import { forEachParentLink, repeatsSpanIds, type SpanId, type Trace } from '../model';
import { describeSpan, roughDuration } from './internal/describe';
import type { ClockSkewWarning } from './problem';

/** Skew at or below this many milliseconds is rounding between clocks and encoders, not worth a warning. */
export const DEFAULT_SKEW_TOLERANCE_MS = 1;

const NONE: ReadonlySet<SpanId> = new Set();

/** Span ids held by more than one span (none in the common case, found without a second map). */
function duplicatedIds(trace: Trace): ReadonlySet<SpanId> {
  if (!repeatsSpanIds(trace)) return NONE;
  const seen = new Set<SpanId>();
  const repeated = new Set<SpanId>();
  for (const span of trace.spans) {
    if (seen.has(span.spanId)) repeated.add(span.spanId);
    else seen.add(span.spanId);
  }
  return repeated;
}

/**
 * `clock-skew` warnings: a child that starts before its parent or ends after it by more than `toleranceMs`
 * (default 1 ms), across services; a SERVER or CONSUMER child only when it also starts after its parent
 * ended. Times not written (a start of 0, a parent's end with no duration) are
 * not judged. Never a defect: device clocks drift, and parent links, not timestamps,
 * decide propagation. A CONSUMER under its PRODUCER is never judged: a queued message is read whenever the
 * consumer gets to it, long after the producer's span ended.
 */
export function findClockSkew(trace: Trace, toleranceMs: number = DEFAULT_SKEW_TOLERANCE_MS): ClockSkewWarning[] {
  const warnings: ClockSkewWarning[] = [];
  const ambiguous = duplicatedIds(trace);
  forEachParentLink(trace, ({ span: parent }, span) => {
    // A child of a duplicated id hangs under the first copy, which may not be its real parent.
    if (parent.service === span.service || ambiguous.has(parent.spanId)) return;
    if (parent.kind === 'producer' && span.kind === 'consumer') return;
    // A time of 0 (the epoch) is a time the writer did not know: Zipkin's half spans have no timestamp, and
    // a parent of no duration with a child under it had none written. Neither says anything of clocks.
    if (parent.startTimeMs <= 0 || span.startTimeMs <= 0) return;
    const early = parent.startTimeMs - span.startTimeMs;
    // A SERVER span that starts within its caller's span and ends after it says nothing of clocks: HTTP
    // instrumentations end it once the response is flushed, which can be after the caller read the answer
    // (tens of ms on a busy host). Only one that starts after its caller ended is late beyond doubt.
    const overhangs =
      !(span.kind === 'server' || span.kind === 'consumer') || span.startTimeMs > parent.endTimeMs + toleranceMs;
    const late = parent.endTimeMs > parent.startTimeMs && overhangs ? span.endTimeMs - parent.endTimeMs : 0;
    if (early <= toleranceMs && late <= toleranceMs) return;
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
