import { forEachParentLink, HOP_CAUSES, withFix, type Trace } from '../model';
import { quotedText } from '../internal/terminal-text';
import { describeSpan, describeSpanName } from './internal/describe';
import type { HeaderSpanMismatchProblem } from './problem';

/** What to do about it: the same fix the README gives for the `strip-tracestate` fault. */
const FIX = 'let the proxy between them pass tracestate through';

/**
 * `header-span-mismatch` from spans alone: a caller's CLIENT span carries a trace state and the callee's
 * SERVER span beneath it, in another service, carries none, so the tracestate header did not arrive (as the
 * capture check in capture/header-span-mismatch.ts sees in a live run).
 *
 * An OpenTelemetry SDK gives a SERVER span the trace state of the remote parent it extracted (the sampler
 * may replace it), so a SERVER span whose caller sent tracestate carries some. Judged only where both are
 * known (Span.traceState): the callee's must be known to be empty, not merely unrecorded (Zipkin, Jaeger
 * without `w3c.tracestate`). A callee with any trace state of its own is not judged, even one that kept
 * none of the caller's members: W3C Trace Context lets each participant add and update its own member, and
 * an SDK may rewrite the rest; only "the caller had some, the callee has none" is sure to be a loss.
 */
export function findLostTraceStates(trace: Trace): HeaderSpanMismatchProblem[] {
  const problems: HeaderSpanMismatchProblem[] = [];
  forEachParentLink(trace, ({ span: parent }, span) => {
    if (span.traceState !== '' || !parent.traceState) return;
    if (span.kind !== 'server' || parent.kind !== 'client' || span.service === parent.service) return;
    // Anchored as the capture check anchors it: the caller's call span, and the service that lost the state.
    problems.push({
      kind: 'header-span-mismatch',
      traceId: parent.traceId,
      spanId: parent.spanId,
      service: span.service,
      header: 'tracestate',
      headerValue: '',
      message: withFix(
        FIX,
        `${describeSpan(span)} has no tracestate although ${parent.service}'s call span ${describeSpanName(parent)} carries ${quotedText(parent.traceState)}: ` +
          `${HOP_CAUSES['strip-tracestate']}, or ${span.service} read its context with a propagator that has no tracestate (B3 alone)`,
      ),
    });
  });
  return problems;
}
