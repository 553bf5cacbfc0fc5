import { HOP_CAUSES, HOP_FIXES, withFix, type CapturedRequest, type Span } from '../../model';
import { headerValues, TRACE_HEADER_NAMES } from '../../propagation';
import type { BrokenChainProblem } from '../problem';
import { viewCaptures } from './internal/links';

const listOf = (values: readonly string[]): string[] =>
  values
    .join(',')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');

const TRACE_HEADERS: readonly string[] = TRACE_HEADER_NAMES;

/** A header's place in TRACE_HEADER_NAMES; any other header after them all. */
const traceHeaderRank = (name: string): number => {
  const rank = TRACE_HEADERS.indexOf(name);
  return rank === -1 ? TRACE_HEADERS.length : rank;
};

/**
 * `broken-chain` at a CORS preflight: the browser asked to send trace headers, the service's answer left
 * some of them out of Access-Control-Allow-Headers, and no request followed (the browser refused to send
 * it). Names the refused headers and the request the app tried (its CLIENT span, linked by URL and time).
 */
export function findCorsRefusals(captures: readonly CapturedRequest[], spans: readonly Span[]): BrokenChainProblem[] {
  const problems: BrokenChainProblem[] = [];
  for (const view of viewCaptures(captures, spans).views) {
    const { capture } = view;
    if (capture.method !== 'OPTIONS' || !capture.response) continue;
    const method = headerValues(capture.headers, 'access-control-request-method')[0]?.toUpperCase();
    if (method === undefined) continue;
    const asked = listOf(headerValues(capture.headers, 'access-control-request-headers'));
    const allowed = listOf(
      capture.response.headers.filter(([name]) => name === 'access-control-allow-headers').map(([, value]) => value),
    );
    if (allowed.includes('*')) continue;
    // Named in TRACE_HEADER_NAMES order (traceparent, tracestate, baggage, ...), whatever order the browser asked in.
    const refused = asked
      .filter((name) => !allowed.includes(name))
      .sort((a, b) => traceHeaderRank(a) - traceHeaderRank(b));
    if (refused.length === 0) continue;
    // The browser sent the request after all (another preflight allowed it): no refusal to report.
    const followed = captures.some(
      (other) =>
        other.seq > capture.seq &&
        other.service === capture.service &&
        other.method === method &&
        other.path === capture.path,
    );
    if (followed) continue;
    const caller = view.callerSpan;
    const path = capture.path.split('?')[0];
    problems.push({
      kind: 'broken-chain',
      traceId: caller?.traceId ?? null,
      spanId: caller?.spanId ?? null,
      service: capture.service,
      lastService: caller?.service ?? 'the browser',
      restartedService: capture.service,
      message: withFix(
        HOP_FIXES['cors-omits-trace-headers'],
        `CORS: ${capture.service} answered the preflight for ${method} ${path} with Access-Control-Allow-Headers "${allowed.join(', ')}", ` +
          `which leaves out ${refused.join(', ')}, so the browser refused to send ${caller ? `${caller.service}'s ` : 'the '}request and ${capture.service} never received it: ` +
          HOP_CAUSES['cors-omits-trace-headers'],
      ),
    });
  }
  return problems;
}
