import { computeCoverage, percent } from './coverage';
import { cleanRuns, sampleJourneySpecs, sampleRun } from './test-support/sample-runs';
import type { Problem } from '../verify/problem';
import type { TraceId } from '../model/ids';

const spec = sampleJourneySpecs();
const FAULT = { newTraceAt: { from: 'payment-api', to: 'fraud-service' } };

function summary(report: ReturnType<typeof computeCoverage>) {
  return report.journeys.map((journey) => [journey.name, journey.covered, journey.expected, journey.firstBrokenHop]);
}

describe('computeCoverage', () => {
  it('covers every journey at 100% from clean runs', () => {
    const report = computeCoverage(spec, cleanRuns());
    expect(summary(report)).toEqual([
      ['checkout', 3, 3, null],
      ['login', 2, 2, null],
      ['search-retry', 2, 2, null],
      ['offline-replay', 3, 3, null],
      ['privacy', 1, 1, null],
    ]);
    expect([report.coverage, report.coveredJourneys, report.passed]).toEqual([1, 5, true]);
  });

  it('breaks the hop whose callee started a new trace', () => {
    const runs = cleanRuns().map((run) => (run.journey === 'checkout' ? sampleRun('checkout', 1, FAULT) : run));
    const report = computeCoverage(spec, runs);
    const checkout = report.journeys[0];
    expect(checkout.hops.map((hop) => [hop.label, hop.status])).toEqual([
      ['mobile-app -> api-gateway', 'connected'],
      ['api-gateway -> payment-api', 'connected'],
      ['payment-api -> fraud-service', 'broken'],
    ]);
    expect(checkout.firstBrokenReason).toBe('broken-chain: fraud-service started a new trace (001f0002) instead of continuing payment-api\'s trace (001f0001)');
    expect([checkout.coverage, checkout.complete, checkout.passed]).toEqual([2 / 3, false, false]);
    expect([report.coverage, report.passed]).toEqual([0.8, false]);
  });

  it('counts a declared journey that never ran as uncovered', () => {
    const report = computeCoverage(spec, cleanRuns().filter((run) => run.journey !== 'login'));
    const login = report.journeys[1];
    expect([login.coverage, login.runId, login.firstBrokenHop, login.hops.map((hop) => hop.status)]).toEqual([0, null, 'mobile-app -> api-gateway', ['not-run', 'not-run']]);
    expect(report.coverage).toBe(0.8);
  });

  it('reports the worst of several runs of one journey', () => {
    const runs = [sampleRun('checkout', 1, {}, '2026-11-26T01:00:00.000Z'), sampleRun('checkout', 2, FAULT, '2026-11-26T01:00:01.000Z'), sampleRun('checkout', 3, {}, '2026-11-26T01:00:02.000Z')];
    const checkout = computeCoverage(spec, runs).journeys[0];
    expect([checkout.runs, checkout.runId, checkout.covered]).toEqual([3, 'checkout-run-2', 2]);
  });

  it('breaks a connected hop that a verifier problem touches', () => {
    const run = sampleRun('login', 7);
    const gateway = run.spans.find((span) => span.service === 'auth-service');
    const problem: Problem = {
      kind: 'sampling-mismatch',
      traceId: gateway?.traceId as TraceId,
      spanId: gateway?.spanId ?? null,
      service: 'auth-service',
      message: 'auth-service dropped the sampled flag that api-gateway set.',
      parentSampled: true,
      childSampled: false,
    };
    const login = computeCoverage(spec, [{ ...run, problems: [problem] }]).journeys[1];
    expect(login.hops.map((hop) => [hop.label, hop.status, hop.reason, hop.problemKinds])).toEqual([
      ['mobile-app -> api-gateway', 'connected', null, []],
      ['api-gateway -> auth-service', 'broken', 'sampling-mismatch: auth-service dropped the sampled flag that api-gateway set.', ['sampling-mismatch']],
    ]);
  });

  it('runs the verifier itself: a sampled flag dropped at auth-service breaks that hop', () => {
    const run = sampleRun('login', 8);
    const spans = run.spans.map((span) => ({ ...span, traceFlags: span.service === 'auth-service' ? 0 : 1 }));
    const login = computeCoverage(spec, [{ ...run, spans }]).journeys[1];
    expect(login.hops.map((hop) => [hop.label, hop.status, hop.problemKinds])).toEqual([
      ['mobile-app -> api-gateway', 'connected', []],
      ['api-gateway -> auth-service', 'broken', ['sampling-mismatch']],
    ]);
    expect(login.firstBrokenReason).toBe(`sampling-mismatch: ${login.problems[0].message}`);
  });

  it('breaks the privacy journey when analytics receives a traceparent', () => {
    const privacy = computeCoverage(spec, [sampleRun('privacy', 9, { leakToAnalytics: true })]).journeys[4];
    expect(privacy.hops.map((hop) => [hop.label, hop.status, hop.reason])).toEqual([
      ['mobile-app -> analytics (no trace headers)', 'broken', 'leaked-header: analytics received trace headers (traceparent) but is not first-party'],
    ]);
  });

  it('breaks the privacy journey when analytics receives nothing', () => {
    const run = { ...sampleRun('privacy', 9), captures: [] };
    expect(computeCoverage(spec, [run]).journeys[4].firstBrokenReason).toBe('analytics received no request during the journey');
  });

  it('explains a callee with no span at all', () => {
    const run = sampleRun('login', 4);
    const cut = { ...run, spans: run.spans.filter((span) => span.service !== 'auth-service') };
    expect(computeCoverage(spec, [cut]).journeys[1].firstBrokenReason).toBe(
      'missing-service: auth-service has no span: the call from api-gateway never reached it or was not traced',
    );
  });

  it('explains a callee whose parent is not in the trace', () => {
    const run = sampleRun('login', 4);
    const spans = run.spans.map((span) => (span.service === 'auth-service' ? { ...span, parentSpanId: 'ffffffffffffffff' as typeof span.spanId } : span));
    expect(computeCoverage(spec, [{ ...run, spans }]).journeys[1].firstBrokenReason).toBe(
      "orphan-span: auth-service's SERVER span names parent ffffffff, which is not in the trace",
    );
  });

  it('applies per-journey thresholds and lists undeclared journeys', () => {
    const runs = [...cleanRuns().filter((run) => run.journey !== 'checkout'), sampleRun('checkout', 1, FAULT), sampleRun('checkout', 1, {}), { ...sampleRun('login', 30), journey: 'signup', runId: 'signup-1' }];
    const report = computeCoverage(spec, runs.slice(0, 5), { thresholds: { suite: 0.8, journeys: { checkout: 0.6 } } });
    expect([report.passed, report.journeys[0].threshold, report.journeys[0].passed]).toEqual([true, 0.6, true]);
    expect(computeCoverage(spec, runs).undeclared).toEqual(['signup']);
  });
});

describe('percent', () => {
  it('rounds down so an incomplete ratio never reads as 100%', () => {
    expect([percent(1), percent(0.999), percent(2 / 3), percent(0.8), percent(0)]).toEqual(['100%', '99%', '66%', '80%', '0%']);
  });
});
