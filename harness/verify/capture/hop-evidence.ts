import type { CapturedRequest, Span } from '../../model';
import type { BrokenChainProblem, SamplingMismatchProblem } from '../problem';
import { APP_HOP_CAUSES, APP_HOP_FIXES, HOP_CAUSES, HOP_FIXES, shortId, withFix } from '../../model';
import { otherTraceHeader } from '../../propagation';
import { describeSpan } from '../internal/describe';
import { sampledTraceOfDroppedCall } from './internal/dropped-call';
import { receiver, viewCaptures, type CaptureView } from './internal/links';

/** The status of the redirect (3xx answer) an earlier request of the same call got. */
function redirectBefore(view: CaptureView, views: readonly CaptureView[]): number | undefined {
  const caller = view.callerSpan;
  if (!caller || view.callerLink !== 'call-id') return undefined;
  const earlier = views.find(
    (other) =>
      other !== view &&
      other.callerSpan === caller &&
      other.capture.seq < view.capture.seq &&
      other.capture.response !== undefined &&
      other.capture.response.status >= 300 &&
      other.capture.response.status < 400,
  );
  return earlier?.capture.response?.status;
}

/** Why the trace header never arrived, in the words for the caller: the app (linked by URL) or a service. */
function missingTraceparent(view: CaptureView, views: readonly CaptureView[], caller: Span): string {
  const b3 = view.contexts.b3 ?? view.contexts.b3Multi;
  const to = receiver(view);
  const app = view.callerLink === 'url';
  if (b3) {
    return app
      ? withFix(
          APP_HOP_FIXES['b3-only'],
          `${caller.service} sent ${to} B3 headers and no traceparent, so it started a new trace: ${APP_HOP_CAUSES['b3-only']}`,
        )
      : `${caller.service} sent ${to} B3 headers and no traceparent, so it started a new trace: ${HOP_CAUSES['b3-only']}`;
  }
  const other = otherTraceHeader(view.capture.headers);
  if (other) {
    const sent = `${caller.service} sent ${to} ${other.name} and no traceparent, so it started a new trace`;
    return app
      ? withFix(
          `make the app inject W3C traceparent (W3CTraceContextPropagator), keeping ${other.name} beside it in a CompositePropagator only if a backend still reads it`,
          `${sent}: the app injects only ${other.propagator} ${other.name} header while the backend reads W3C traceparent`,
        )
      : withFix(
          `make ${caller.service} inject W3C traceparent (W3CTraceContextPropagator), keeping ${other.name} beside it only if a service still reads it`,
          `${sent}: ${caller.service}'s propagator writes only ${other.propagator} ${other.name} header while ${view.capture.service} reads W3C traceparent`,
        );
  }
  const redirect = redirectBefore(view, views);
  if (redirect) {
    return withFix(
      HOP_FIXES['redirect-drops-headers'],
      `${caller.service}'s call to ${to} was redirected (${redirect}) and the follow-up request carried no traceparent, so it started a new trace: ${HOP_CAUSES['redirect-drops-headers']}`,
    );
  }
  const nothing = !view.contexts.tracestate && !view.contexts.baggage;
  if (app && nothing) {
    // The allow-list is the app fault's cause; an app with no propagator at all sends nothing either (in
    // OpenTelemetry JS 2.x, BasicTracerProvider has no register(), so nothing sets one for it).
    return withFix(
      `${APP_HOP_FIXES['gateway-not-first-party']}, and register a W3C propagator (OpenTelemetry JS: propagation.setGlobalPropagator(new W3CTraceContextPropagator()))`,
      `${caller.service} sent no trace headers at all to ${to}, so it started a new trace: ${APP_HOP_CAUSES['gateway-not-first-party']}, or no propagator is registered in the app`,
    );
  }
  return `${caller.service} sent no traceparent to ${to}, so it started a new trace: ${HOP_CAUSES['drop-traceparent']}`;
}

/**
 * `sampling-mismatch` for a request that arrived with sampled=0 inside a sampled trace, naming a parent that
 * was never exported: the caller's sampler dropped the span of its call (sampledTraceOfDroppedCall).
 */
function droppedCallProblem(view: CaptureView, spans: readonly Span[]): SamplingMismatchProblem | undefined {
  const sampled = sampledTraceOfDroppedCall(view, spans);
  const tp = view.traceparent;
  if (!sampled || !tp) return undefined;
  return {
    kind: 'sampling-mismatch',
    traceId: tp.traceId,
    spanId: tp.parentId,
    service: view.capture.service,
    parentSampled: true,
    childSampled: false,
    message:
      `${receiver(view)} received sampled=0 from span ${tp.parentId}, which was never exported, in trace ${shortId(tp.traceId)}, whose root ${describeSpan(sampled)} is sampled: ` +
      `${sampled.service}'s sampler did not sample the span of its call inside a sampled trace (so the span was dropped and the flag cleared for every hop after it), ` +
      `or a proxy between them rewrote the traceparent's parent id and flags; ` +
      `fix: sample every span of a sampled trace (ParentBased with its default localParentSampled, AlwaysOn), and let proxies pass traceparent on unchanged`,
  };
}

/**
 * What the capture log says about a hop whose caller is known (by call id, or for the app by URL and time):
 * the trace header never arrived (`broken-chain`: B3 or another propagator's header instead, a redirect that dropped it, an app that left
 * the host off its allow-list, or nothing), the sampled flag was cleared on the way, or the app exported a
 * call span it marked unsampled (`sampling-mismatch`).
 */
export function findHopEvidence(
  captures: readonly CapturedRequest[],
  spans: readonly Span[],
): (BrokenChainProblem | SamplingMismatchProblem)[] {
  const problems: (BrokenChainProblem | SamplingMismatchProblem)[] = [];
  const { views } = viewCaptures(captures, spans);
  for (const view of views) {
    const caller = view.callerSpan;
    if (!caller && view.capture.firstParty) {
      const dropped = droppedCallProblem(view, spans);
      if (dropped) problems.push(dropped);
    }
    // A preflight carries no trace header by design (the CORS check reads it), and a 3xx answer is followed.
    if (!caller || !view.capture.firstParty || view.capture.method === 'OPTIONS') continue;
    if (view.capture.response && view.capture.response.status >= 300 && view.capture.response.status < 400) continue;
    const base = { traceId: caller.traceId, spanId: caller.spanId, service: view.capture.service };
    if (!view.contexts.traceparent) {
      problems.push({
        kind: 'broken-chain',
        ...base,
        lastService: caller.service,
        restartedService: view.capture.service,
        message: missingTraceparent(view, views, caller),
      });
      continue;
    }
    const tp = view.traceparent;
    // An app's call span that does not say whether it was sampled (its exporter wrote no trace flags) and
    // sent sampled=0 is the app's own unsampled call: the header carries that span's context.
    const flagsUnknown = caller.traceFlags === undefined;
    const appOwnCall = view.callerLink === 'url';
    const callerSampled = flagsUnknown ? !appOwnCall : (caller.traceFlags & 1) === 1;
    if (tp && callerSampled && !tp.sampled) {
      problems.push({
        kind: 'sampling-mismatch',
        ...base,
        parentSampled: true,
        childSampled: false,
        message: `${caller.service} recorded its call as sampled, but ${receiver(view)} received sampled=0: ${HOP_CAUSES.unsampled}`,
      });
    } else if (tp && !callerSampled && !tp.sampled && appOwnCall) {
      // Exported yet unsampled: the app keeps spans a backend honouring the flag throws away.
      problems.push({
        kind: 'sampling-mismatch',
        ...base,
        parentSampled: false,
        childSampled: false,
        message: withFix(
          APP_HOP_FIXES['unsampled-root'],
          `${caller.service} exported its call span but sent ${receiver(view)} sampled=0, so a backend that honours the flag drops this journey: ${APP_HOP_CAUSES['unsampled-root']}`,
        ),
      });
    }
  }
  return problems;
}
