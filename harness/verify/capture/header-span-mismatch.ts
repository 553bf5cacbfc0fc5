import { hasTime, shortId, type CapturedRequest, type Span } from '../../model';
import { headerValues } from '../../propagation';
import type { HeaderSpanMismatchProblem } from '../problem';
import { HOP_CAUSES } from '../../model';
import { describeSpanName, INJECT_CALL_SPAN_FIX, kindWord } from '../internal/describe';
import { sampledTraceOfDroppedCall } from './internal/dropped-call';
import { callerName, receiver, viewCaptures, type CaptureView } from './internal/links';

function problem(view: CaptureView, header: string, headerValue: string, message: string): HeaderSpanMismatchProblem {
  const anchor = view.callerSpan ?? view.serverSpan;
  return {
    kind: 'header-span-mismatch',
    traceId: anchor?.traceId ?? view.traceparent?.traceId ?? null,
    spanId: anchor?.spanId ?? view.traceparent?.parentId ?? null,
    service: view.capture.service,
    header,
    headerValue,
    message,
  };
}

function checkTraceparent(
  view: CaptureView,
  spanById: Map<string, Span[]>,
  spans: readonly Span[],
): HeaderSpanMismatchProblem | undefined {
  const tp = view.traceparent;
  if (!tp) return undefined;
  const value = view.contexts.traceparent?.values.join(', ') ?? '';
  const caller = view.callerSpan;
  if (caller) {
    // The header names another span the caller exported: not a parent id a proxy made up.
    const named = spanById
      .get(tp.parentId)
      ?.find((span) => span.traceId === tp.traceId && span.service === caller.service && span !== caller);
    // A CLIENT span that had ended before this call began: the traceparent of an earlier request, kept and
    // sent again. Only times tell that (hasTime): a span with none is just another of the caller's spans.
    if (
      named &&
      named.kind === 'client' &&
      hasTime(named) &&
      hasTime(caller) &&
      named.endTimeMs <= caller.startTimeMs
    ) {
      const before = Math.round(caller.startTimeMs - named.startTimeMs);
      return problem(
        view,
        'traceparent',
        value,
        `${receiver(view)} received the traceparent of an earlier request: it names ${caller.service}'s ${kindWord(named.kind)} span ${describeSpanName(named)} in trace ${shortId(tp.traceId)}, which started ${before} ms before this call's span ${shortId(caller.spanId)} (trace ${shortId(caller.traceId)}): ${caller.service} sent a traceparent it kept (set once as a default header, or cached with the request) instead of injecting each call's own context; fix: inject traceparent for each request from its CLIENT span's context, and never set it as a default header (axios.defaults.headers, an interceptor's cached value)`,
      );
    }
    // Any other span of the caller's (the journey span, an app-wide session span, the request it serves).
    if (named && tp.parentId !== caller.spanId) {
      const where = named.traceId === caller.traceId ? '' : ` in trace ${shortId(named.traceId)}`;
      return problem(
        view,
        'traceparent',
        value,
        `${receiver(view)} received parent id ${tp.parentId}, ${caller.service}'s ${kindWord(named.kind)} span ${describeSpanName(named)}${where}, not its call span ${caller.spanId}: ${caller.service} injected the context of another of its spans instead of the CLIENT span of the call ${INJECT_CALL_SPAN_FIX}`,
      );
    }
    if (tp.traceId !== caller.traceId) {
      return problem(
        view,
        'traceparent',
        value,
        `${receiver(view)} received a traceparent for trace ${tp.traceId}, but ${caller.service}'s call span is in trace ${caller.traceId}: ${HOP_CAUSES['new-trace']}`,
      );
    }
    if (tp.parentId !== caller.spanId) {
      return problem(
        view,
        'traceparent',
        value,
        `${receiver(view)} received parent id ${tp.parentId}, which ${caller.service} never exported (its call span is ${caller.spanId}): ${HOP_CAUSES['rewrite-parent']}`,
      );
    }
    return undefined;
  }
  const named = spanById.get(tp.parentId);
  if (!named) {
    // A span the caller's sampler dropped inside a sampled trace: sampling-mismatch says so (hop-evidence.ts).
    if (sampledTraceOfDroppedCall(view, spans)) return undefined;
    return problem(
      view,
      'traceparent',
      value,
      `${receiver(view)} received parent id ${tp.parentId}, which no exported span has: the caller never exported that span, or ${HOP_CAUSES['rewrite-parent']}`,
    );
  }
  const [firstNamed] = named;
  if (firstNamed && !named.some((span) => span.traceId === tp.traceId)) {
    return problem(
      view,
      'traceparent',
      value,
      `${receiver(view)} received trace ${tp.traceId} with parent ${tp.parentId}, but that span was exported in trace ${firstNamed.traceId}: ${HOP_CAUSES['new-trace']}`,
    );
  }
  return undefined;
}

/** tracestate and baggage that the caller had but did not pass on (needs the call-id link). */
function checkStripped(view: CaptureView, inboundOf: Map<string, CapturedRequest>): HeaderSpanMismatchProblem[] {
  const caller = view.callerSpan;
  if (!caller || !view.traceparent) return [];
  const found: HeaderSpanMismatchProblem[] = [];
  if (caller.traceState && !view.contexts.tracestate) {
    found.push(
      problem(
        view,
        'tracestate',
        '',
        `${receiver(view)} received no tracestate although ${caller.service}'s call span carries "${caller.traceState}": ${HOP_CAUSES['strip-tracestate']}`,
      ),
    );
  }
  const callerInbound = caller.parentSpanId ? inboundOf.get(caller.parentSpanId) : undefined;
  const sentBaggage = callerInbound ? headerValues(callerInbound.headers, 'baggage') : [];
  if (sentBaggage.length > 0 && !view.contexts.baggage) {
    found.push(
      problem(
        view,
        'baggage',
        '',
        `${receiver(view)} received no baggage although ${callerName(view)} received "${sentBaggage.join(', ')}": ${HOP_CAUSES['strip-baggage']}`,
      ),
    );
  }
  return found;
}

/**
 * `header-span-mismatch`: a received traceparent names a trace or parent span the caller never exported,
 * or context the caller held (tracestate, baggage) did not arrive.
 */
export function findHeaderSpanMismatches(
  captures: readonly CapturedRequest[],
  spans: readonly Span[],
): HeaderSpanMismatchProblem[] {
  const { views, spanById } = viewCaptures(captures, spans);
  const inboundOf = new Map<string, CapturedRequest>();
  for (const capture of captures) if (capture.serverSpanId) inboundOf.set(capture.serverSpanId, capture);
  const problems: HeaderSpanMismatchProblem[] = [];
  for (const view of views) {
    if (!view.capture.firstParty) continue;
    const mismatch = checkTraceparent(view, spanById, spans);
    if (mismatch) problems.push(mismatch);
    problems.push(...checkStripped(view, inboundOf));
  }
  return problems;
}
