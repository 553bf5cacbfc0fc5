import type { Span, SpanKind } from '../model';
import { makeSpan } from '../model/test-support/make-span';
import { verifySpans } from './verify';

/**
 * Many checkout runs stamped at the very same instants, each broken on the same hop (payment-api starts a new
 * trace), as a busy service's microsecond clock or a device's coarse one gives: route and timing fit every run
 * alike, and start order (run by run, ids breaking ties) ties each new trace back to its own run. The cost of
 * this case is watched by `npm run bench` (the same-instant rows); here, only that the verdict is exact.
 *
 * 1,000 runs: alike runs are paired as one block of alike fragments and calls (AlikeBlock, docs/PERFORMANCE.md),
 * not RUNS squared pairs weighed one by one as before (2,000 runs took tens of seconds then).
 */
const RUNS = 1000;
const T0 = Date.UTC(2026, 10, 26, 9);

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

function spanOf(
  trace: string,
  id: string,
  parent: string | undefined,
  service: string,
  name: string,
  kind: SpanKind,
  start: number,
  end: number,
): Span {
  const times = { start: T0 + start, end: T0 + end };
  return makeSpan({ trace, id, ...(parent !== undefined ? { parent } : {}), service, name, kind, ...times, flags: 1 });
}

/** Run k's trace ids: the app's (cut at the gateway's payment call) and payment-api's new one. */
const runTrace = (k: number): string => `${hex(k, 8)}${'a'.repeat(24)}`;
const newTrace = (k: number): string => `${hex(k, 8)}${'b'.repeat(24)}`;
const paymentRoot = (k: number): string => `${hex(k, 8)}00000006`;

function brokenRun(k: number): Span[] {
  const app = runTrace(k);
  const cut = newTrace(k);
  const id = (n: number): string => `${hex(k, 8)}${hex(n, 8)}`;
  return [
    spanOf(app, id(1), undefined, 'mobile-app', 'checkout', 'internal', 5, 70),
    spanOf(app, id(2), id(1), 'mobile-app', 'POST /checkout', 'client', 10, 65),
    spanOf(app, id(3), id(2), 'api-gateway', 'POST /checkout', 'server', 15, 60),
    spanOf(app, id(4), id(3), 'api-gateway', 'POST /payments', 'client', 20, 55),
    spanOf(cut, id(6), undefined, 'payment-api', 'POST /payments', 'server', 25, 50),
    spanOf(cut, id(7), id(6), 'payment-api', 'POST /fraud/score', 'client', 30, 45),
    spanOf(cut, id(8), id(7), 'fraud-service', 'POST /fraud/score', 'server', 35, 40),
  ];
}

describe(`${RUNS} runs broken on one hop at the same instants`, () => {
  it('ties each new trace back to its own run, and says every other run fits as well', () => {
    const spans: Span[] = [];
    for (let k = 1; k <= RUNS; k++) spans.push(...brokenRun(k));
    const verdict = verifySpans(spans, { expect: ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'] });
    const expected = Array.from({ length: RUNS }, (_, index) => {
      const k = index + 1;
      return {
        kind: 'broken-chain',
        traceId: newTrace(k),
        spanId: paymentRoot(k),
        service: 'payment-api',
        lastService: 'api-gateway',
        lastTraceId: runTrace(k),
        lastSpanId: `${hex(k, 8)}00000004`,
        restartedService: 'payment-api',
        message: `api-gateway received the request but payment-api started a new trace (${newTrace(k)} instead of ${runTrace(k)}): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does (route and timing fit ${RUNS - 1} other runs as well: which run it left is a guess)`,
      };
    });
    expect(verdict.problems).toEqual(expected);
    expect(verdict.warnings).toEqual([]);
  });
});
