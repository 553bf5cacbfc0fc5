import { checkThresholds, computeCoverage, percent } from './coverage';
import { cleanRuns, sampleJourneySpecs, sampleRun, withAppClockBehind } from './test-support/sample-runs';
import { missingRootProblem, type Problem } from '../verify';
import { CALL_ID_ATTRIBUTE, CALL_ID_HEADER, type TraceId } from '../model';
import { numberedSpans } from '../model/test-support/numbered-spans';
import { runsFromSpans } from './otlp-runs';

const spec = sampleJourneySpecs();
const FAULT = { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } };
const IGNORED = { newTraceAt: { from: 'payment-api', to: 'fraud-service' } };

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

  it('breaks the hop whose caller dropped traceparent, in the words of the capture-log check', () => {
    const runs = cleanRuns().map((run) => (run.journey === 'checkout' ? sampleRun('checkout', 1, FAULT) : run));
    const report = computeCoverage(spec, runs);
    const checkout = report.journeys[0]!;
    expect(checkout.hops.map((hop) => [hop.label, hop.status])).toEqual([
      ['mobile-app -> api-gateway', 'connected'],
      ['api-gateway -> payment-api', 'connected'],
      ['payment-api -> fraud-service', 'broken'],
    ]);
    expect(checkout.firstBrokenReason).toBe(
      'broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header',
    );
    expect(checkout.problems.map((problem) => `${problem.kind}: ${problem.message}`)).toEqual([
      'broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header',
      'broken-chain: payment-api received the request but fraud-service started a new trace (001f0002 instead of 001f0001): payment-api did not forward traceparent, or fraud-service did not read it, as an SDK with no W3C propagator set does',
    ]);
    expect([checkout.coverage, checkout.complete, checkout.passed]).toEqual([2 / 3, false, false]);
    expect([report.coverage, report.passed]).toEqual([0.8, false]);
  });

  it('names the header evidence first when the callee ignored the traceparent it received', () => {
    const checkout = computeCoverage(spec, [sampleRun('checkout', 1, IGNORED)]).journeys[0]!;
    expect([checkout.hops[2]!.status, checkout.hops[2]!.problemKinds, checkout.firstBrokenReason]).toEqual([
      'broken',
      ['wrong-parent', 'broken-chain'],
      'wrong-parent: fraud-service (POST /fraud/score) received parent 00100006bbbbbbbb in trace 001f0001cccccccccccccccccccccccc, ' +
        'but its SERVER span 00100007bbbbbbbb is a root in trace 001f0002cccccccccccccccccccccccc: the service extracted its context from somewhere other than the incoming header',
    ]);
  });

  it("uses the span verifier's words for a broken hop of an OTLP run, which has no capture log", () => {
    const run = { ...sampleRun('checkout', 1, FAULT), captures: [], source: 'otlp' as const };
    expect(computeCoverage(spec, [run]).journeys[0]!.firstBrokenReason).toBe(
      'broken-chain: payment-api received the request but fraud-service started a new trace (001f0002 instead of 001f0001): payment-api did not forward traceparent, or fraud-service did not read it, as an SDK with no W3C propagator set does',
    );
  });

  it('counts a declared journey that never ran as uncovered', () => {
    const report = computeCoverage(
      spec,
      cleanRuns().filter((run) => run.journey !== 'login'),
    );
    const login = report.journeys[1]!;
    expect([login.coverage, login.runId, login.firstBrokenHop, login.hops.map((hop) => hop.status)]).toEqual([
      0,
      null,
      'mobile-app -> api-gateway',
      ['not-run', 'not-run'],
    ]);
    expect(report.coverage).toBe(0.8);
  });

  it('reports the worst of several runs of one journey', () => {
    const runs = [
      sampleRun('checkout', 1, {}, '2026-11-26T01:00:00.000Z'),
      sampleRun('checkout', 2, FAULT, '2026-11-26T01:00:01.000Z'),
      sampleRun('checkout', 3, {}, '2026-11-26T01:00:02.000Z'),
    ];
    const checkout = computeCoverage(spec, runs).journeys[0]!;
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
    const login = computeCoverage(spec, [{ ...run, problems: [problem] }]).journeys[1]!;
    expect(login.hops.map((hop) => [hop.label, hop.status, hop.reason, hop.problemKinds])).toEqual([
      ['mobile-app -> api-gateway', 'connected', null, []],
      [
        'api-gateway -> auth-service',
        'broken',
        'sampling-mismatch: auth-service dropped the sampled flag that api-gateway set.',
        ['sampling-mismatch'],
      ],
    ]);
  });

  it("drops a recorded problem that the verifier finds again in other words, and keeps the verifier's", () => {
    const run = sampleRun('checkout', 1, FAULT);
    const fresh = computeCoverage(spec, [run]).journeys[0]!.problems;
    const older = fresh.map((problem) => ({ ...problem, message: `an older version's words for ${problem.kind}` }));
    expect(computeCoverage(spec, [{ ...run, problems: older }]).journeys[0]!.problems).toEqual(fresh);
  });

  it('runs the verifier itself: a sampled flag dropped at auth-service breaks that hop', () => {
    const run = sampleRun('login', 8);
    const spans = run.spans.map((span) => ({ ...span, traceFlags: span.service === 'auth-service' ? 0 : 1 }));
    const login = computeCoverage(spec, [{ ...run, spans }]).journeys[1]!;
    expect(login.hops.map((hop) => [hop.label, hop.status, hop.problemKinds])).toEqual([
      ['mobile-app -> api-gateway', 'connected', []],
      ['api-gateway -> auth-service', 'broken', ['sampling-mismatch']],
    ]);
    expect(login.firstBrokenReason).toBe(`sampling-mismatch: ${login.problems[0]!.message}`);
  });

  it('breaks the privacy journey when analytics receives a traceparent', () => {
    const privacy = computeCoverage(spec, [sampleRun('privacy', 9, { leakToAnalytics: true })]).journeys[4]!;
    expect(privacy.hops.map((hop) => [hop.label, hop.status, hop.reason])).toEqual([
      [
        'mobile-app -> analytics (no trace headers)',
        'broken',
        'leaked-header: analytics is a third party and received traceparent on POST /events: the caller injects trace headers for every host instead of first-party hosts only',
      ],
    ]);
  });

  it('names the trace headers itself when only the journeys file calls the host third party', () => {
    const run = sampleRun('privacy', 9, { leakToAnalytics: true });
    const captures = run.captures.map((capture) => ({ ...capture, firstParty: true }));
    expect(computeCoverage(spec, [{ ...run, captures }]).journeys[4]!.firstBrokenReason).toBe(
      'leaked-header: analytics received trace headers (traceparent) but is not first-party',
    );
  });

  it('breaks the privacy journey when analytics receives only a CORS preflight', () => {
    const run = sampleRun('privacy', 9);
    const captures = run.captures.map((capture) => ({
      ...capture,
      method: 'OPTIONS',
      headers: [['access-control-request-method', 'POST'] as const],
    }));
    expect(computeCoverage(spec, [{ ...run, captures }]).journeys[4]!.firstBrokenReason).toBe(
      'analytics received only CORS preflights during the journey: the request itself never arrived',
    );
  });

  it('breaks the privacy journey when analytics receives nothing', () => {
    const run = { ...sampleRun('privacy', 9), captures: [] };
    expect(computeCoverage(spec, [run]).journeys[4]!.firstBrokenReason).toBe(
      'analytics received no request during the journey',
    );
  });

  it('explains a callee with no span at all', () => {
    const run = sampleRun('login', 4);
    const cut = { ...run, spans: run.spans.filter((span) => span.service !== 'auth-service') };
    expect(computeCoverage(spec, [cut]).journeys[1]!.firstBrokenReason).toBe(
      "missing-service: auth-service has no span in any trace: api-gateway's call \"POST /sessions\" (00400004) got no answer: auth-service never received it in this run's context (the request was refused, or queued and sent later from another context), or auth-service's spans were not exported",
    );
  });

  it('explains a callee whose parent is not in the trace by the header it received', () => {
    const run = sampleRun('login', 4);
    const spans = run.spans.map((span) =>
      span.service === 'auth-service' ? { ...span, parentSpanId: 'ffffffffffffffff' as typeof span.spanId } : span,
    );
    const hop = computeCoverage(spec, [{ ...run, spans }]).journeys[1]!.hops[1]!;
    expect([hop.problemKinds, hop.reason]).toEqual([
      ['wrong-parent', 'orphan-span'],
      'wrong-parent: auth-service (POST /sessions) received parent 00400004bbbbbbbb in trace 004f0001cccccccccccccccccccccccc, ' +
        'but its SERVER span 00400005bbbbbbbb has parent ffffffffffffffff in trace 004f0001cccccccccccccccccccccccc: the service extracted its context from somewhere other than the incoming header',
    ]);
  });

  it("explains an orphan callee with the span verifier's orphan-span when there is no capture log", () => {
    const run = { ...sampleRun('login', 4), captures: [] };
    const spans = run.spans.map((span) =>
      span.service === 'auth-service' ? { ...span, parentSpanId: 'ffffffffffffffff' as typeof span.spanId } : span,
    );
    const login = computeCoverage(spec, [{ ...run, spans }]).journeys[1]!;
    const orphan = login.problems.find((problem) => problem.kind === 'orphan-span');
    expect([login.hops[1]!.problemKinds, login.hops[1]!.reason, orphan?.service]).toEqual([
      ['orphan-span'],
      `orphan-span: ${orphan?.message}`,
      'auth-service',
    ]);
  });

  it('applies per-journey thresholds and lists undeclared journeys', () => {
    const runs = [
      ...cleanRuns().filter((run) => run.journey !== 'checkout'),
      sampleRun('checkout', 1, FAULT),
      sampleRun('checkout', 1, {}),
      { ...sampleRun('login', 30), journey: 'signup', runId: 'signup-1' },
    ];
    const report = computeCoverage(spec, runs.slice(0, 5), { thresholds: { suite: 0.8, journeys: { checkout: 0.6 } } });
    expect([report.passed, report.journeys[0]!.threshold, report.journeys[0]!.passed]).toEqual([true, 0.6, true]);
    expect(computeCoverage(spec, runs).undeclared).toEqual(['signup']);
  });

  it("gives a run without a single span the reason the spec recorded, not every service's missing spans", () => {
    // The app exported nothing: journey() recorded that its root span never came; the gateway got one request.
    const run = sampleRun('login', 1);
    const captures = run.captures.slice(0, 1);
    const chain = ['mobile-app', 'api-gateway', 'auth-service'];
    const recorded = missingRootProblem(
      [],
      'login tap',
      chain,
      'to tracehopOtlpUrl when the journey ends',
      undefined,
      captures,
    );
    const login = computeCoverage(spec, [{ ...run, spans: [], captures, problems: [recorded] }]).journeys[1]!;
    expect(login.hops.map((hop) => [hop.label, hop.status, hop.reason])).toEqual([
      [
        'mobile-app -> api-gateway',
        'broken',
        'broken-chain: the journey\'s root span "login tap" never arrived from mobile-app, so no trace can be tied to the journey; fix: make the app name the journey\'s root span "login tap" (or tag it app.journey=login tap) and export it to tracehopOtlpUrl when the journey ends',
      ],
      [
        'api-gateway -> auth-service',
        'broken',
        'api-gateway has no CLIENT span: its call to auth-service was not traced',
      ],
    ]);
    expect(login.problems).toEqual([recorded]);
  });

  it('keeps, after the recorded reason of a run without a span, what its capture log alone shows: a leaked header', () => {
    const run = sampleRun('privacy', 1, { leakToAnalytics: true });
    const recorded = missingRootProblem(
      [],
      'privacy tap',
      ['mobile-app'],
      'when the journey ends',
      undefined,
      run.captures,
    );
    const privacy = computeCoverage(spec, [{ ...run, spans: [], problems: [recorded] }]).journeys[4]!;
    expect(privacy.problems.map((problem) => `${problem.kind}: ${problem.message}`)).toEqual([
      `broken-chain: ${recorded.message}`,
      'leaked-header: analytics is a third party and received traceparent on POST /events: the caller injects trace headers for every host instead of first-party hosts only',
    ]);
  });

  it("reads how far the app's clock ran behind the backend's from the capture log, and keeps the run's clock-skew warning", () => {
    // The app's clock 5 s behind; the gateway received the app's request 5 ms after the app's CLIENT span began.
    const checkout = computeCoverage(spec, [withAppClockBehind(sampleRun('checkout', 1), 5000)]).journeys[0]!;
    expect([checkout.coverage, checkout.appClockOffsetMs]).toEqual([1, 5005]);
    expect(checkout.warnings.map((warning) => `${warning.kind}: ${warning.message}`)).toEqual([
      'clock-skew: api-gateway "POST /checkout" (00100003) ends 5 seconds after its parent mobile-app "POST /checkout" (00100002): the clocks of mobile-app and api-gateway disagree (not a propagation defect; parent links decide)',
    ]);
  });

  it("reads the offset from the app's own CLIENT spans, not from another caller whose clock is off", () => {
    // api-gateway and payment-api run 5 s behind and call without the mock backend's call id (services of
    // their own): two of their requests would outvote the app's one, whose clock agrees with the backend's.
    const run = sampleRun('checkout', 1);
    const behind = new Set(['api-gateway', 'payment-api']);
    const spans = run.spans.map((span) => {
      if (!behind.has(span.service)) return span;
      const { [CALL_ID_ATTRIBUTE]: _callId, ...attributes } = span.attributes;
      return { ...span, attributes, startTimeMs: span.startTimeMs - 5000, endTimeMs: span.endTimeMs - 5000 };
    });
    const captures = run.captures.map((capture) => ({
      ...capture,
      headers: capture.headers.filter(([name]) => name !== CALL_ID_HEADER),
    }));
    const checkout = computeCoverage(spec, [{ ...run, spans, captures }]).journeys[0]!;
    expect(checkout.appClockOffsetMs).toBe(0);
  });

  it('reads no offset off an app CLIENT span its dump gave no time (hasTime), and judges the run as without it', () => {
    // The app's one CLIENT span starts and ends at 0: the request it made arrived 56 years "after" it began.
    const run = withAppClockBehind(sampleRun('checkout', 1), 5000);
    const spans = run.spans.map((span) =>
      span.service === 'mobile-app' && span.kind === 'client' ? { ...span, startTimeMs: 0, endTimeMs: 0 } : span,
    );
    const checkout = computeCoverage(spec, [{ ...run, spans }]).journeys[0]!;
    expect([checkout.coverage, checkout.appClockOffsetMs]).toEqual([1, 0]);
  });

  it('has an offset of 0 and no warning when the clocks agree, and no offset for a run without a capture log', () => {
    const inStep = computeCoverage(spec, [sampleRun('checkout', 1)]).journeys[0]!;
    const otlp = { ...withAppClockBehind(sampleRun('checkout', 1), 5000), captures: [], source: 'otlp' as const };
    const dumped = computeCoverage(spec, [otlp]).journeys[0]!;
    const never = computeCoverage(spec, []).journeys[0]!;
    expect([inStep.appClockOffsetMs, inStep.warnings, dumped.appClockOffsetMs, never.appClockOffsetMs]).toEqual([
      0,
      [],
      null,
      null,
    ]);
    expect(dumped.warnings.map((warning) => warning.kind)).toEqual(['clock-skew']);
  });
});

describe('computeCoverage of a dump (report --spans)', () => {
  it("gives the app's stray request to one journey only: checkout's, not offline-replay's, though both chains match", () => {
    const T = 1_764_000_000_000;
    const { next, span } = numberedSpans(T);
    // Checkout's journey span, and its request in a trace of its own (the SDK started one per request).
    const spans = [span(1, undefined, 'mobile-app', 'checkout', 'internal', 0, 100, { 'app.journey': 'checkout' })];
    const request = next();
    spans.push(
      span(2, undefined, 'mobile-app', 'HTTP POST', 'client', 1, 99),
      span(2, request, 'api-gateway', 'POST /checkout', 'server', 2, 98),
      span(2, request + 1, 'api-gateway', 'POST /payments', 'client', 3, 97),
      span(2, request + 2, 'payment-api', 'POST /payments', 'server', 4, 96),
      span(2, request + 3, 'payment-api', 'POST /fraud/score', 'client', 5, 95),
      span(2, request + 4, 'fraud-service', 'POST /fraud/score', 'server', 6, 94),
      // An offline replay's journey span whose replay was never exported.
      span(3, undefined, 'mobile-app', 'offline-replay', 'internal', 50, 150, { 'app.journey': 'offline-replay' }),
    );
    const report = computeCoverage(spec, runsFromSpans(spec, spans, { recordedAt: new Date(T).toISOString() }));
    const reason = (name: string) => report.journeys.find((journey) => journey.name === name)?.firstBrokenReason;
    expect([
      reason('checkout')?.split(':')[0],
      reason('checkout')?.includes("00000002 instead of the journey's 00000001"),
      reason('offline-replay')?.split(':')[0],
    ]).toEqual(['broken-chain', true, 'missing-service']);
  });
});

describe('computeCoverage of a dump with a call made outside its request (report --spans)', () => {
  it('blames the call payment-api made outside its request, as check does, not a fraud-service never called', () => {
    const T = 1_764_000_000_000;
    const { span } = numberedSpans(T);
    const spans = [
      span(1, undefined, 'mobile-app', 'checkout', 'internal', 0, 100, { 'app.journey': 'checkout' }),
      span(1, 1, 'mobile-app', 'POST /checkout', 'client', 1, 99),
      span(1, 2, 'api-gateway', 'POST /checkout', 'server', 2, 98),
      span(1, 3, 'api-gateway', 'POST /payments', 'client', 3, 97),
      span(1, 4, 'payment-api', 'POST /payments', 'server', 4, 96),
      // payment-api's call to fraud-service, in a trace of its own (a worker pool that lost the context).
      span(2, undefined, 'payment-api', 'POST /fraud/score', 'client', 10, 90),
      span(2, 6, 'fraud-service', 'POST /fraud/score', 'server', 11, 89),
    ];
    const report = computeCoverage(spec, runsFromSpans(spec, spans, { recordedAt: new Date(T).toISOString() }));
    const checkout = report.journeys.find((journey) => journey.name === 'checkout');
    expect([checkout?.firstBrokenHop, checkout?.problems.map((problem) => [problem.kind, problem.message])]).toEqual([
      'payment-api -> fraud-service',
      [
        [
          'broken-chain',
          `payment-api's CLIENT span "POST /fraud/score" (00000006) started a new trace (00000002 instead of 00000001) that reached fraud-service, while "POST /payments" (00000005) served the request: payment-api made the call outside the request's context; fix: make payment-api start its call in the context of the request it serves (hand the context on with the work to a pool, queue or timer)`,
        ],
      ],
    ]);
  });
});

describe('checkThresholds', () => {
  it('accepts ratios for the suite, every journey and declared journeys', () => {
    expect(checkThresholds(spec, { suite: 0.8, journey: 0, journeys: { checkout: 1, privacy: 0.5 } })).toEqual({
      ok: true,
    });
  });

  it('names every per-journey threshold whose journey is not declared', () => {
    expect(checkThresholds(spec, { journeys: { checkout: 0.5, chekout: 0.5, 'log-in': 1 } })).toEqual({
      ok: false,
      reason: 'unknown-journey',
      message:
        '[tracehop] Failed to apply the coverage thresholds: thresholds name journeys "chekout", "log-in", which the journeys file does not declare. ' +
        'Declared journeys: checkout, login, search-retry, offline-replay, privacy.',
    });
  });

  it('names a per-journey threshold that is not a ratio', () => {
    expect(checkThresholds(spec, { journeys: { login: 1.5 } })).toEqual({
      ok: false,
      reason: 'not-a-ratio',
      message:
        '[tracehop] Failed to apply the coverage thresholds: the journeys["login"] threshold 1.5 is not a ratio between 0 and 1. Write each threshold as a ratio between 0 and 1, such as 0.8.',
    });
  });
});

describe('percent', () => {
  it('rounds down so an incomplete ratio never reads as 100%', () => {
    expect([percent(1), percent(0.999), percent(2 / 3), percent(0.8), percent(0)]).toEqual([
      '100%',
      '99%',
      '66%',
      '80%',
      '0%',
    ]);
  });
});
