import { asSpanId, asTraceId, type Span, type SpanKind } from '../model';
import { computeCoverage } from './coverage';
import type { JourneyRun } from './run-record';
import { sampleJourneySpecs } from './test-support/sample-runs';

const login = sampleJourneySpecs().filter((journey) => journey.name === 'login');
const T1 = asTraceId('1'.repeat(32));
const T2 = asTraceId('2'.repeat(32));

function span(
  traceId: string,
  id: string,
  parent: string | undefined,
  service: string,
  kind: SpanKind,
  start: number,
  end: number,
): Span {
  return {
    traceId: asTraceId(traceId),
    spanId: asSpanId(id.repeat(16)),
    ...(parent === undefined ? {} : { parentSpanId: asSpanId(parent.repeat(16)) }),
    name: kind === 'client' || kind === 'server' ? 'POST /login' : 'tap',
    kind,
    service,
    startTimeMs: start,
    endTimeMs: end,
    attributes: {},
  };
}

const run = (spans: Span[]): JourneyRun => ({
  version: 1,
  journey: 'login',
  runId: 'login-1',
  recordedAt: '2026-12-05T02:00:00.000Z',
  worker: '1',
  spans,
  captures: [],
  problems: [],
});

/** The hop of both runs below: the second login's callee, an orphan in its trace, tied to that trace's call. */
const ORPHAN_IN_SECOND = {
  from: 'api-gateway',
  to: 'auth-service',
  kind: 'propagate',
  label: 'api-gateway -> auth-service',
  status: 'broken',
  reason:
    'orphan-span: auth-service "POST /login" (99999999) names parent span 88888888, which was never exported in trace 22222222: the caller\'s span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent',
  // Not broken-chain: the callee is in its caller's trace.
  problemKinds: ['orphan-span', 'missing-service'],
  callerTraceId: T2,
  callerSpanId: 'f'.repeat(16),
  calleeTraceId: T2,
  calleeSpanId: '9'.repeat(16),
};

const AT = 1_764_900_000_000;

/**
 * Two logins: the first's gateway call went unanswered; the second's auth-service SERVER span (times `callee`)
 * names a parent (8888...) that is in no trace, under the second's gateway CLIENT span (times `call`).
 */
function twoLogins(call: readonly [number, number], callee: readonly [number, number]): Span[] {
  return [
    span(T1, 'a', undefined, 'mobile-app', 'client', AT, AT + 100),
    span(T1, 'b', 'a', 'api-gateway', 'server', AT + 5, AT + 95),
    span(T1, 'c', 'b', 'api-gateway', 'client', AT + 10, AT + 90),
    span(T2, 'd', undefined, 'mobile-app', 'client', AT + 1000, AT + 1100),
    span(T2, 'e', 'd', 'api-gateway', 'server', AT + 1005, AT + 1095),
    span(T2, 'f', 'e', 'api-gateway', 'client', ...call),
    span(T2, '9', '8', 'auth-service', 'server', ...callee),
  ];
}

describe('the hop table of a run whose callee span has no time', () => {
  it('ties the callee to the caller of its own trace, not to the first call by a time of 0', () => {
    // The second login's auth-service SERVER span has no time (a Zipkin span with no timestamp).
    const spans = twoLogins([AT + 1010, AT + 1090], [0, 0]);
    const hop = computeCoverage(login, [run(spans)]).journeys[0]?.hops[1];
    expect(hop).toEqual(ORPHAN_IN_SECOND);
  });

  it('ties a timed callee to the caller of its own trace that has no time, not to another trace by time', () => {
    // The second login's gateway CLIENT span has no time (an OTLP span with no start): a time of 0 cannot place
    // it before its callee, yet its trace is the callee's.
    const spans = twoLogins([0, 0], [AT + 1015, AT + 1085]);
    const hop = computeCoverage(login, [run(spans)]).journeys[0]?.hops[1];
    expect(hop).toEqual(ORPHAN_IN_SECOND);
  });
});
