import type { CapturedRequest } from '../../model';
import { decodeTraceparent, headerValues, TRACE_HEADER_NAMES } from '../../propagation';
import type { LeakedHeaderProblem } from '../problem';

/** Which hosts may receive trace headers; the capture's own `firstParty` flag when absent. */
export interface LeakOptions {
  readonly firstParty?: readonly string[];
}

/**
 * `leaked-header`: trace headers reached a host outside the first-party list (a third party such as
 * analytics). One problem per host and header name.
 */
export function findLeakedHeaders(
  captures: readonly CapturedRequest[],
  options: LeakOptions = {},
): LeakedHeaderProblem[] {
  const problems: LeakedHeaderProblem[] = [];
  const seen = new Set<string>();
  for (const capture of captures) {
    const firstParty = options.firstParty ? options.firstParty.includes(capture.service) : capture.firstParty;
    if (firstParty) continue;
    // The first line names the leaked trace even when a duplicate makes the header invalid as a whole.
    const traceparent = decodeTraceparent(headerValues(capture.headers, 'traceparent').slice(0, 1));
    for (const header of TRACE_HEADER_NAMES) {
      if (headerValues(capture.headers, header).length === 0) continue;
      const key = `${capture.service} ${header}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({
        kind: 'leaked-header',
        traceId: traceparent.ok ? traceparent.value.traceId : null,
        spanId: traceparent.ok ? traceparent.value.parentId : null,
        service: capture.service,
        header,
        host: capture.service,
        message:
          `${capture.service} is a third party and received ${header} on ${capture.method} ${capture.path.split('?')[0]}: ` +
          'the caller injects trace headers for every host instead of first-party hosts only',
      });
    }
  }
  return problems;
}
