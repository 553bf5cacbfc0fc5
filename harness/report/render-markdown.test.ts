import { computeCoverage } from './coverage';
import { renderMarkdown } from './render-markdown';
import { cleanRuns, sampleJourneySpecs, sampleRun, withAppClockBehind } from './test-support/sample-runs';

const spec = sampleJourneySpecs();

describe('renderMarkdown', () => {
  it("lists, under the table, each journey whose app clock ran off the backend's and its warnings by kind", () => {
    const runs = cleanRuns().map((run) => (run.journey === 'login' ? withAppClockBehind(run, -90_000) : run));
    const markdown = renderMarkdown(computeCoverage(spec, runs));
    expect(markdown.slice(markdown.indexOf('Thresholds:'))).toBe(
      [
        'Thresholds: suite 100%, journey 100%.',
        '',
        '### Warnings (never a defect; report.html has each one)',
        '',
        "- login: mobile-app's clock ran about 90.0 s ahead of the backend's; 1 clock-skew warning",
        '',
      ].join('\n'),
    );
    expect(renderMarkdown(computeCoverage(spec, cleanRuns()))).not.toContain('### Warnings');
  });

  it('names the first broken hop and the movement since the previous run', () => {
    const runs = cleanRuns()
      .filter((run) => run.journey !== 'privacy')
      .map((run) =>
        run.journey === 'checkout'
          ? sampleRun('checkout', 1, { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } })
          : run,
      );
    const previous = {
      coverage: 1,
      journeys: ['checkout', 'login', 'search-retry', 'offline-replay'].map((name) => ({ name, coverage: 1 })),
    };
    expect(renderMarkdown(computeCoverage(spec, runs), previous)).toMatchInlineSnapshot(`
"## tracehop trace coverage

**60%** of critical journeys fully covered (3 of 5), ❌ gate failed (previous run: 100%, ▼ -40 pts).

| Journey | Coverage | Hops | First broken hop | Owner | Criticality | Since last run |
| --- | ---: | ---: | --- | --- | --- | --- |
| ❌ checkout | 66% | 2/3 | \`payment-api -> fraud-service\`: broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header | payments | critical | ▼ -34 pts |
| ✅ login | 100% | 2/2 | — | identity | critical | no change |
| ✅ search-retry | 100% | 2/2 | — | discovery | high | no change |
| ✅ offline-replay | 100% | 3/3 | — | payments | high | no change |
| ❌ privacy | 0% | 0/1 | never run | privacy | critical | new |

Thresholds: suite 100%, journey 100%.
"
`);
  });

  it('shortens a long reason in the table and keeps its cause, while coverage.json keeps it whole', () => {
    const report = computeCoverage(spec, [
      sampleRun('checkout', 1, { newTraceAt: { from: 'payment-api', to: 'fraud-service' } }),
    ]);
    expect(renderMarkdown(report).split('\n')[6]).toBe(
      '| ❌ checkout | 66% | 2/3 | `payment-api -> fraud-service`: wrong-parent: fraud-service (POST /fraud/score) received parent 00100006 in trace 001f0001, but…: ' +
        'the service extracted its context from somewhere other than the incoming header | payments | critical |',
    );
    expect(report.journeys[0]!.firstBrokenReason).toBe(
      'wrong-parent: fraud-service (POST /fraud/score) received parent 00100006bbbbbbbb in trace 001f0001cccccccccccccccccccccccc, ' +
        'but its SERVER span 00100007bbbbbbbb is a root in trace 001f0002cccccccccccccccccccccccc: the service extracted its context from somewhere other than the incoming header',
    );
  });

  it('escapes pipes in cells so a row never splits', () => {
    const journeys = [{ name: 'a', chain: ['x', 'y'], owner: 'team|ops', criticality: 'low' as const }];
    expect(renderMarkdown(computeCoverage(journeys, [])).split('\n')[6]).toBe(
      '| ❌ a | 0% | 0/1 | never run | team\\|ops | low |',
    );
  });
});
