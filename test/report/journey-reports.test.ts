import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordJourney, TracehopReporter } from '../../harness/jest';
import { SECRET_COOKIE, SECRET_TOKEN, cleanRuns, sampleRun } from '../../harness/report/test-support/sample-runs';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const FAULT = { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } };

/** Records runs as the e2e specs do, then runs the reporter as Jest would at the end. */
async function runSuite(
  runs: ReturnType<typeof cleanRuns>,
  options: { rootDir?: string; previousCoverage?: string; outputDir?: string } = {},
) {
  const rootDir = options.rootDir ?? scratchDir('tracehop-suite-');
  await copyFile(join(__dirname, '..', '..', 'fixtures', 'journeys.json'), join(rootDir, 'journeys.json'));
  const outputDir = options.outputDir ?? 'artifacts/tracehop';
  const startTime = Date.now();
  for (const run of runs) {
    await recordJourney({
      journey: run.journey,
      spans: run.spans,
      captures: run.captures,
      dir: join(rootDir, outputDir, 'runs'),
      redactHeaders: [],
    });
  }
  const reporter = new TracehopReporter(
    { rootDir },
    { journeysFile: 'journeys.json', outputDir, previousCoverage: options.previousCoverage },
  );
  await reporter.onRunComplete(new Set(), { startTime });
  const out = join(rootDir, outputDir);
  const read = (name: string) => readFile(join(out, name), 'utf8');
  return {
    rootDir,
    out,
    error: reporter.getLastError()?.message,
    json: JSON.parse(await read('coverage.json')),
    markdown: await read('coverage.md'),
    junit: await read('junit.xml'),
    html: await read('report.html'),
    runFiles: await Promise.all(
      (await readdir(join(out, 'runs'))).map((name) => readFile(join(out, 'runs', name), 'utf8')),
    ),
  };
}

describe('coverage reports of a suite run', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());

  it('writes all four artifacts with every journey at 100% from clean runs', async () => {
    const suite = await runSuite(cleanRuns());
    expect(suite.error).toBeUndefined();
    expect(suite.json.coverage).toBe(1);
    expect(
      suite.json.journeys.map(
        (journey: { name: string; coverage: number; expected: number; covered: number; owner: string }) => [
          journey.name,
          journey.coverage,
          journey.covered,
          journey.expected,
          journey.owner,
        ],
      ),
    ).toEqual([
      ['checkout', 1, 3, 3, 'payments'],
      ['login', 1, 2, 2, 'identity'],
      ['search-retry', 1, 2, 2, 'discovery'],
      ['offline-replay', 1, 3, 3, 'payments'],
      ['privacy', 1, 1, 1, 'privacy'],
    ]);
    expect(suite.markdown.split('\n').filter((line) => line.startsWith('| ✅'))).toHaveLength(5);
    expect(suite.markdown).toContain('**100%** of critical journeys fully covered (5 of 5), ✅ gate passed.');
    expect(suite.junit).toContain('<testsuites name="tracehop trace coverage" tests="11" failures="0" errors="0">');
    expect(suite.html.match(/<svg class="waterfall"/g)).toHaveLength(5);
    expect(suite.html).not.toContain('class="link broken"');
  });

  it('keeps every secret out of every artifact', async () => {
    const suite = await runSuite(cleanRuns());
    const artifacts = {
      json: JSON.stringify(suite.json),
      markdown: suite.markdown,
      junit: suite.junit,
      html: suite.html,
      runs: suite.runFiles.join('\n'),
    };
    const leaks = Object.entries(artifacts).filter(
      ([, text]) => text.includes(SECRET_TOKEN) || text.includes(SECRET_COOKIE) || text.includes('sk_live'),
    );
    expect(leaks.map(([name]) => name)).toEqual([]);
    expect(suite.html).toContain('<tr><th>authorization</th><td>[redacted]</td></tr>');
  });

  it('names payment-api -> fraud-service as the broken hop and fails the gate when payment-api drops traceparent', async () => {
    const runs = cleanRuns().map((run) => (run.journey === 'checkout' ? sampleRun('checkout', 1, FAULT) : run));
    const suite = await runSuite(runs);
    const checkout = suite.json.journeys[0];
    expect([checkout.coverage, checkout.firstBrokenHop, checkout.hops[2].problemKinds]).toEqual([
      2 / 3,
      'payment-api -> fraud-service',
      ['broken-chain'],
    ]);
    expect(suite.markdown.split('\n').find((line) => line.startsWith('| ❌ checkout'))).toBe(
      '| ❌ checkout | 66% | 2/3 | `payment-api -> fraud-service`: broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header | payments | critical |',
    );
    expect(suite.error).toBe(
      '[tracehop] Failed to pass the trace coverage gate: suite coverage 80% is below 100% (4 of 5 journeys covered); ' +
        'checkout 66% is below 100%, first broken hop payment-api -> fraud-service: broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header. ' +
        `Open ${join(suite.out, 'report.html')} to see each broken link.`,
    );
    expect(suite.junit).toContain('<testsuites name="tracehop trace coverage" tests="11" failures="1" errors="0">');
    expect(
      checkout.problems.map((problem: { kind: string; service: string }) => [problem.kind, problem.service]),
    ).toEqual([
      ['broken-chain', 'fraud-service'],
      ['broken-chain', 'fraud-service'],
    ]);
    expect(suite.html.match(/class="link broken" data-hop="payment-api -&gt; fraud-service"/g)).toHaveLength(1);
  });

  it('shows the movement since the previous run', async () => {
    const before = await runSuite(cleanRuns(), { outputDir: 'previous' });
    const runs = cleanRuns().map((run) => (run.journey === 'checkout' ? sampleRun('checkout', 1, FAULT) : run));
    const after = await runSuite(runs, { rootDir: before.rootDir, previousCoverage: 'previous/coverage.json' });
    expect(after.markdown).toContain(
      '**80%** of critical journeys fully covered (4 of 5), ❌ gate failed (previous run: 100%, ▼ -20 pts).',
    );
    expect(
      after.markdown
        .split('\n')
        .filter((line) => line.startsWith('| '))
        .map((line) => line.split(' | ').pop()),
    ).toEqual(['Since last run |', '--- |', '▼ -34 pts |', 'no change |', 'no change |', 'no change |', 'no change |']);
  });
});
