import { checkThresholds, computeCoverage } from './coverage';
import { evaluateGate } from './gate';
import { mergeCoverage } from './merge';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import type { JourneyRun } from './run-record';
import { cleanRuns, sampleJourneySpecs, sampleRun } from './test-support/sample-runs';

const spec = sampleJourneySpecs();
const BROKEN = { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } };
const REASON =
  'broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header';

const on = (platform: 'ios' | 'android' | 'web', runs: JourneyRun[]): JourneyRun[] =>
  runs.map((run) => ({ ...run, platform }));
/** iOS clean; Android with checkout broken at payment-api -> fraud-service. */
const iosRuns = () => on('ios', cleanRuns(1));
const androidRuns = () =>
  on(
    'android',
    cleanRuns(10).map((run) => (run.journey === 'checkout' ? sampleRun('checkout', 20, BROKEN) : run)),
  );

describe('coverage per platform', () => {
  it('judges each platform on its own runs: Android breaks while iOS holds', () => {
    const report = computeCoverage(spec, [...iosRuns(), ...androidRuns()]);
    expect(
      report.platforms.map((entry) => ({
        platform: entry.platform,
        coverage: entry.coverage,
        passed: entry.passed,
        journeys: entry.journeys.map((journey) => [journey.name, journey.coverage, journey.passed]),
      })),
    ).toEqual([
      {
        platform: 'ios',
        coverage: 1,
        passed: true,
        journeys: [
          ['checkout', 1, true],
          ['login', 1, true],
          ['search-retry', 1, true],
          ['offline-replay', 1, true],
          ['privacy', 1, true],
        ],
      },
      {
        platform: 'android',
        coverage: 0.8,
        passed: false,
        journeys: [
          ['checkout', 2 / 3, false],
          ['login', 1, true],
          ['search-retry', 1, true],
          ['offline-replay', 1, true],
          ['privacy', 1, true],
        ],
      },
    ]);
    expect(report.passed).toBe(false);
    expect(evaluateGate(report)).toEqual({
      ok: false,
      reason: 'below-threshold',
      message:
        '[tracehop] Failed to pass the trace coverage gate: android: suite coverage 80% is below 100% (4 of 5 journeys covered); ' +
        `android: checkout 66% is below 100%, first broken hop payment-api -> fraud-service: ${REASON}. Fix the broken hops or lower the thresholds.`,
    });
  });

  it('a journey that never ran on one platform is 0% there, even when another platform covered it', () => {
    const report = computeCoverage(spec, [
      ...iosRuns(),
      ...on('web', cleanRuns(30)).filter((run) => run.journey !== 'privacy'),
    ]);
    const web = report.platforms.find((entry) => entry.platform === 'web');
    expect(web?.journeys.find((journey) => journey.name === 'privacy')).toMatchObject({ coverage: 0, runId: null });
    expect(report.journeys.find((journey) => journey.name === 'privacy')).toMatchObject({ coverage: 1, passed: false });
    expect(report.passed).toBe(false);
  });

  it('platform thresholds override the top-level ones for that platform only', () => {
    const thresholds = { platforms: { android: { suite: 0.8, journeys: { checkout: 0.66 } } } };
    const report = computeCoverage(spec, [...iosRuns(), ...androidRuns()], { thresholds });
    expect(report.platforms.map((entry) => [entry.platform, entry.thresholds, entry.passed])).toEqual([
      ['ios', { suite: 1, journey: 1, journeys: {} }, true],
      ['android', { suite: 0.8, journey: 1, journeys: { checkout: 0.66 } }, true],
    ]);
    expect(report.passed).toBe(true);
    expect(evaluateGate(report)).toEqual({ ok: true });
    // The same checkout breaking on iOS is still a failure: iOS keeps the top-level 100%.
    const iosBroken = on('ios', [sampleRun('checkout', 40, BROKEN)]);
    const failed = computeCoverage(spec, [...iosRuns(), ...iosBroken, ...androidRuns()], { thresholds });
    expect(failed.passed).toBe(false);
  });

  it("a platform's journey threshold is its default for every journey; its journeys win over it", () => {
    const report = computeCoverage(spec, androidRuns(), {
      thresholds: { journeys: { checkout: 0.9 }, platforms: { android: { journey: 0.5, suite: 0 } } },
    });
    expect(report.platforms[0]?.thresholds).toEqual({ suite: 0, journey: 0.5, journeys: {} });
    expect(report.passed).toBe(true);
  });

  it('runs without a platform give no platform section and the report reads as before', () => {
    const report = computeCoverage(spec, cleanRuns());
    expect(report.platforms).toEqual([]);
    expect(renderMarkdown(report)).not.toContain('Per platform');
    expect(renderHtml(report)).not.toContain('Journey per platform');
  });

  it('coverage.md shows coverage per journey per platform, with each suite and any platform thresholds', () => {
    const report = computeCoverage(spec, [...iosRuns(), ...androidRuns()], {
      thresholds: { platforms: { android: { journeys: { checkout: 0.66 } } } },
    });
    const markdown = renderMarkdown(report);
    expect(markdown.slice(markdown.indexOf('### Per platform'))).toBe(
      [
        '### Per platform',
        '',
        '| Journey | ios | android |',
        '| --- | ---: | ---: |',
        '| checkout | ✅ 100% | ⚠️ 66% |',
        '| login | ✅ 100% | ✅ 100% |',
        '| search-retry | ✅ 100% | ✅ 100% |',
        '| offline-replay | ✅ 100% | ✅ 100% |',
        '| privacy | ✅ 100% | ✅ 100% |',
        '| **suite** | ✅ 100% (5 of 5) | ❌ 80% (4 of 5) |',
        '',
        'Thresholds on android: suite 100%, journey 100%, checkout 66%.',
        '',
        'Thresholds: suite 100%, journey 100%.',
        '',
      ].join('\n'),
    );
  });

  it('report.html has the same table', () => {
    const html = renderHtml(computeCoverage(spec, [...iosRuns(), ...androidRuns()]));
    const start = html.indexOf('<table class="summary platforms">');
    expect(html.slice(start, html.indexOf('</table>', start) + '</table>'.length)).toBe(
      '<table class="summary platforms"><thead><tr><th>Journey per platform</th><th>ios</th><th>android</th></tr></thead><tbody>' +
        '<tr><td>checkout</td><td class="num pass">100%</td><td class="num fail">66%</td></tr>\n' +
        '<tr><td>login</td><td class="num pass">100%</td><td class="num pass">100%</td></tr>\n' +
        '<tr><td>search-retry</td><td class="num pass">100%</td><td class="num pass">100%</td></tr>\n' +
        '<tr><td>offline-replay</td><td class="num pass">100%</td><td class="num pass">100%</td></tr>\n' +
        '<tr><td>privacy</td><td class="num pass">100%</td><td class="num pass">100%</td></tr>\n' +
        '<tr><th>suite</th><td class="num pass">100% (5 of 5)</td><td class="num fail">80% (4 of 5)</td></tr></tbody></table>',
    );
  });

  it('--merge keeps platforms apart and merges platform thresholds flag over file, journey by journey', () => {
    const file = (runs: JourneyRun[], label: string) => ({
      label,
      spec,
      runs,
      thresholds: { suite: 1, journey: 1, journeys: {}, platforms: { android: { journeys: { login: 0.5 } } } },
    });
    const merged = mergeCoverage([file(iosRuns(), 'ios/coverage.json'), file(androidRuns(), 'android/coverage.json')], {
      thresholds: { platforms: { android: { suite: 0.8, journeys: { checkout: 0.66 } }, web: { suite: 0.5 } } },
    });
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.value.thresholds.platforms).toEqual({
      android: { suite: 0.8, journeys: { login: 0.5, checkout: 0.66 } },
      web: { suite: 0.5 },
    });
    expect(merged.value.platforms.map((entry) => [entry.platform, entry.coverage, entry.passed])).toEqual([
      ['ios', 1, true],
      ['android', 0.8, true],
    ]);
    expect(merged.value.passed).toBe(true);
  });

  it('checkThresholds names an unknown platform, a bad ratio and an undeclared journey under platforms', () => {
    expect(checkThresholds(spec, { platforms: { windows: { suite: 1 } } as never })).toEqual({
      ok: false,
      reason: 'unknown-platform',
      message:
        '[tracehop] Failed to apply the coverage thresholds: platforms names "windows", which is not a platform. Platforms are ios, android, web.',
    });
    expect(checkThresholds(spec, { platforms: { android: { suite: 80 } } })).toEqual({
      ok: false,
      reason: 'not-a-ratio',
      message:
        '[tracehop] Failed to apply the coverage thresholds: the platforms.android.suite threshold 80 is not a ratio between 0 and 1. Write each threshold as a ratio between 0 and 1, such as 0.8.',
    });
    expect(checkThresholds(spec, { platforms: { ios: { journeys: { chekout: 0.5 } } } })).toEqual({
      ok: false,
      reason: 'unknown-journey',
      message:
        '[tracehop] Failed to apply the coverage thresholds: a threshold names journey "chekout", which the journeys file does not declare. Declared journeys: checkout, login, search-retry, offline-replay, privacy.',
    });
    expect(checkThresholds(spec, { platforms: { ios: { jouney: 0.5 } as never } })).toEqual({
      ok: false,
      reason: 'not-a-threshold',
      message:
        '[tracehop] Failed to apply the coverage thresholds: thresholds.platforms.ios.jouney is not a threshold. A platform takes suite, journey and journeys.',
    });
  });
});
