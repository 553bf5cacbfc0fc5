import { asSpanId, asTraceId, type CapturedRequest, type Span } from '../../model';
import type { ExtractedContexts, ExtractedHeader } from '../../propagation';
import type { InvalidHeaderProblem } from '../problem';
import { APP_HOP_CAUSES, APP_HOP_FIXES, HOP_CAUSES, withFix } from '../../model';
import { receiver, viewCaptures } from './internal/links';

type Format = keyof ExtractedContexts;

const HEADER_NAMES: Readonly<Record<Format, string>> = {
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  baggage: 'baggage',
  b3: 'b3',
  b3Multi: 'x-b3-*',
};

/** Real-world causes of the traceparent reasons a proxy or SDK typically produces. */
const TRACEPARENT_CAUSES: Readonly<Record<string, string>> = {
  'uppercase-hex': HOP_CAUSES['uppercase-traceparent'],
  'duplicate-header': HOP_CAUSES['duplicate-traceparent'],
};

/**
 * `invalid-header`: a hop received a trace header that breaks its spec; `reason` is the codec's exact
 * reason (uppercase-hex, version-ff, duplicate-header, ...). An absent header is not invalid.
 */
export function findInvalidHeaders(
  captures: readonly CapturedRequest[],
  spans: readonly Span[] = [],
): InvalidHeaderProblem[] {
  const problems: InvalidHeaderProblem[] = [];
  for (const view of viewCaptures(captures, spans).views) {
    const { capture, contexts } = view;
    for (const format of Object.keys(HEADER_NAMES) as Format[]) {
      const found = contexts[format] as ExtractedHeader<{ ok: boolean; reason?: string; message?: string }> | undefined;
      if (!found || found.result.ok || found.result.reason === undefined) continue;
      const header = HEADER_NAMES[format];
      const cause = format === 'traceparent' ? TRACEPARENT_CAUSES[found.result.reason] : undefined;
      // Two traceparent values from the app itself: its own instrumentations, not a proxy on the way.
      const appDouble =
        format === 'traceparent' && view.callerLink === 'url' && found.result.reason === 'duplicate-header';
      const text =
        `${receiver(view)} received an invalid ${header}${view.callerSpan ? ` from ${view.callerSpan.service}` : ''} ` +
        `(${found.result.reason}: ${found.result.message ?? 'it breaks its spec'})`;
      problems.push({
        kind: 'invalid-header',
        traceId: capture.serverTraceId ? asTraceId(capture.serverTraceId) : null,
        spanId: capture.serverSpanId ? asSpanId(capture.serverSpanId) : null,
        service: capture.service,
        header,
        headerValue: found.values.join(', '),
        reason: found.result.reason,
        message: appDouble
          ? withFix(APP_HOP_FIXES['double-inject'], `${text}: ${APP_HOP_CAUSES['double-inject']}`)
          : `${text}${cause ? `: ${cause}` : ''}`,
      });
    }
  }
  return problems;
}
