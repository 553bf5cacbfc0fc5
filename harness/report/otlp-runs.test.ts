import { runsFromSpans } from './otlp-runs';
import { sampleJourneySpecs, sampleRun } from './test-support/sample-runs';

const spec = sampleJourneySpecs();
const AT = '2026-11-26T02:00:00.000Z';

describe('runsFromSpans', () => {
  it('gives a trace tagged with a journey to that journey only, and untagged traces to every journey', () => {
    const login = sampleRun('login', 1).spans.map((span) => (span.parentSpanId === undefined ? { ...span, attributes: { ...span.attributes, 'app.journey': 'login' } } : span));
    const untagged = sampleRun('search-retry', 2).spans;
    const runs = runsFromSpans(spec, [...login, ...untagged], { recordedAt: AT, source: 'staging' });
    expect(runs.map((run) => [run.journey, run.runId, run.source, run.spans.length])).toEqual([
      ['checkout', 'checkout-otlp-staging', 'otlp', untagged.length],
      ['login', 'login-otlp-staging', 'otlp', login.length + untagged.length],
      ['search-retry', 'search-retry-otlp-staging', 'otlp', untagged.length],
      ['offline-replay', 'offline-replay-otlp-staging', 'otlp', untagged.length],
      ['privacy', 'privacy-otlp-staging', 'otlp', untagged.length],
    ]);
  });

  it('ignores a tag naming a journey that is not declared, and keeps only problems of the run\'s traces', () => {
    const spans = sampleRun('login', 1).spans.map((span) => ({ ...span, attributes: { ...span.attributes, 'tracehop.journey': 'signup' } }));
    const problem = { kind: 'orphan-span' as const, traceId: spans[0].traceId, spanId: spans[0].spanId, service: 'mobile-app', message: 'm', missingParentSpanId: spans[0].spanId };
    const elsewhere = { ...problem, traceId: sampleRun('login', 9).spans[0].traceId };
    const runs = runsFromSpans(spec, spans, { recordedAt: AT, problems: [problem, elsewhere] });
    expect(runs.map((run) => [run.journey, run.spans.length, run.problems.length])).toEqual([
      ['checkout', 5, 1],
      ['login', 5, 1],
      ['search-retry', 5, 1],
      ['offline-replay', 5, 1],
      ['privacy', 5, 1],
    ]);
  });
});
