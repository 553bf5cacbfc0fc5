import { APP_HOP_CAUSES, APP_HOP_FIXES, shortId, withFix, type CapturedRequest, type Span } from '../../model';
import type { BrokenChainProblem } from '../problem';
import { receiver, viewCaptures } from './internal/links';
import { quotedText } from '../../internal/terminal-text';

/** The root span of `span`'s tree among `spans` (itself when its parent was not exported). */
function rootOf(span: Span, spans: readonly Span[]): Span {
  const byId = new Map(spans.filter((other) => other.traceId === span.traceId).map((other) => [other.spanId, other]));
  let current = span;
  const seen = new Set<string>();
  while (current.parentSpanId !== undefined && !seen.has(current.spanId)) {
    seen.add(current.spanId);
    const parent = byId.get(current.parentSpanId);
    if (parent === undefined) break;
    current = parent;
  }
  return current;
}

/**
 * `broken-chain` for a request the app sent during a journey but outside the journey's trace: its CLIENT
 * span (tied to the request by URL and time) is the root of a trace of its own (the app starts a trace per
 * request), or hangs under another of the app's journeys (a replay sent in the replaying journey's context).
 * `journeyRoot` is the app's root span of the journey.
 * @example findDetachedRequests(captures, spans, journeyRoot(spans, 'checkout'))
 */
export function findDetachedRequests(
  captures: readonly CapturedRequest[],
  spans: readonly Span[],
  journeyRoot: Span,
): BrokenChainProblem[] {
  const problems: BrokenChainProblem[] = [];
  for (const view of viewCaptures(captures, spans).views) {
    const caller = view.callerSpan;
    if (!caller || view.callerLink !== 'url' || !view.capture.firstParty || view.capture.method === 'OPTIONS') continue;
    if (caller.traceId === journeyRoot.traceId) continue;
    const journey = `journey ${quotedText(journeyRoot.name)} (trace ${shortId(journeyRoot.traceId)})`;
    const base = {
      kind: 'broken-chain' as const,
      traceId: caller.traceId,
      spanId: caller.spanId,
      service: view.capture.service,
      lastService: caller.service,
      restartedService: view.capture.service,
    };
    if (caller.parentSpanId === undefined) {
      problems.push({
        ...base,
        message: withFix(
          APP_HOP_FIXES['trace-per-request'],
          `${caller.service}'s request to ${receiver(view)} started its own trace ${shortId(caller.traceId)} instead of continuing ${journey}, so ${view.capture.service} never joined the journey's trace: ${APP_HOP_CAUSES['trace-per-request']}`,
        ),
      });
      continue;
    }
    const other = rootOf(caller, spans);
    problems.push({
      ...base,
      message: withFix(
        APP_HOP_FIXES['replay-loses-context'],
        `${caller.service} sent its request to ${receiver(view)} in the context of ${quotedText(other.name)} (trace ${shortId(caller.traceId)}) instead of ${journey}, so ${view.capture.service} continued the wrong trace: ${APP_HOP_CAUSES['replay-loses-context']}`,
      ),
    });
  }
  return problems;
}
