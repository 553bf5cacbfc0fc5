import { computeCoverage } from './coverage';
import { evaluateGate } from './gate';
import { cleanRuns, sampleJourneySpecs, sampleRun } from './test-support/sample-runs';

const spec = sampleJourneySpecs();
const faultRuns = () =>
  cleanRuns().map((run) =>
    run.journey === 'checkout'
      ? sampleRun('checkout', 1, { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } })
      : run,
  );

describe('evaluateGate', () => {
  it('passes when the suite and every journey meet their thresholds', () => {
    expect(evaluateGate(computeCoverage(spec, cleanRuns()))).toEqual({ ok: true });
  });

  it('names each journey below its threshold and its first broken hop', () => {
    expect(evaluateGate(computeCoverage(spec, faultRuns()), 'artifacts/tracehop/report.html')).toEqual({
      ok: false,
      reason: 'below-threshold',
      message:
        '[tracehop] Failed to pass the trace coverage gate: suite coverage 80% is below 100% (4 of 5 journeys covered); ' +
        'checkout 66% is below 100%, first broken hop payment-api -> fraud-service: broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header. ' +
        'Open artifacts/tracehop/report.html to see each broken link.',
    });
  });

  it('names a journey that never ran', () => {
    const runs = cleanRuns().filter((run) => run.journey !== 'privacy');
    expect(evaluateGate(computeCoverage(spec, runs, { thresholds: { suite: 0.8 } }))).toEqual({
      ok: false,
      reason: 'below-threshold',
      message:
        '[tracehop] Failed to pass the trace coverage gate: privacy 0% is below 100%, it never ran. Fix the broken hops or lower the thresholds.',
    });
  });

  it('fails when no declared journey ran, even with thresholds of 0', () => {
    const report = computeCoverage(spec, [], { thresholds: { suite: 0, journey: 0 } });
    expect(evaluateGate(report)).toEqual({
      ok: false,
      reason: 'nothing-recorded',
      message:
        '[tracehop] Failed to pass the trace coverage gate: no declared journey recorded a run, so nothing was verified. ' +
        'Run each journey spec inside journey() from tracehop/detox, which records its run (a spec that fails before journey() ends, or does not compile, records none: see its error above), or call recordJourney({ journey, spans, captures }) from another runner; either way name a journey of the journeys file.',
    });
  });

  it('names the undeclared journeys that ran when no declared one did', () => {
    const runs = cleanRuns().map((run) => ({ ...run, journey: `${run.journey}-v2` }));
    const report = computeCoverage(spec, runs, { thresholds: { suite: 0, journey: 0 } });
    expect(evaluateGate(report)).toEqual({
      ok: false,
      reason: 'nothing-recorded',
      message:
        '[tracehop] Failed to pass the trace coverage gate: no declared journey recorded a run (runs were recorded only for undeclared journeys: ' +
        'checkout-v2, login-v2, offline-replay-v2, privacy-v2, search-retry-v2), so nothing was verified. ' +
        'Run each journey spec inside journey() from tracehop/detox, which records its run (a spec that fails before journey() ends, or does not compile, records none: see its error above), or call recordJourney({ journey, spans, captures }) from another runner; either way name a journey of the journeys file.',
    });
  });

  it('fails when the runs recorded no span and no request, even with thresholds of 0', () => {
    const runs = cleanRuns().map((run) => ({ ...run, spans: [], captures: [] }));
    expect(evaluateGate(computeCoverage(spec, runs, { thresholds: { suite: 0, journey: 0 } }))).toEqual({
      ok: false,
      reason: 'nothing-verified',
      message:
        '[tracehop] Failed to pass the trace coverage gate: the recorded runs hold no span and no captured request, so nothing was verified. ' +
        "Under journey() from tracehop/detox, the journeys' steps sent no request and the app exported no span before their deadline: see each spec's error above (the app's launch, its backend URL). From another runner, pass recordJourney the spans of the backend store (after waiting for them) and its captures().",
    });
  });

  it('passes a broken journey whose own threshold allows it when the suite threshold does too', () => {
    const report = computeCoverage(spec, faultRuns(), { thresholds: { suite: 0.8, journeys: { checkout: 0.66 } } });
    expect(evaluateGate(report)).toEqual({ ok: true });
  });
});
