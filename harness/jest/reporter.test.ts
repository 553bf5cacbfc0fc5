import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanRuns, sampleRun } from '../report/test-support/sample-runs';
import { TEST_PATH_GLOBAL, recordJourney } from './record-journey';
import { TracehopReporter, type DetoxSession } from './reporter';
import { scratchDir } from '../test-support/scratch-dir';

const JOURNEYS = join(__dirname, '..', '..', 'fixtures', 'journeys.json');

async function setup(runs: ReturnType<typeof cleanRuns>) {
  const rootDir = scratchDir('tracehop-reporter-');
  await copyFile(JOURNEYS, join(rootDir, 'journeys.json'));
  const startTime = Date.now();
  for (const run of runs) {
    await recordJourney({
      journey: run.journey,
      spans: run.spans,
      captures: run.captures,
      dir: join(rootDir, 'out', 'runs'),
    });
  }
  return { rootDir, startTime };
}

describe('TracehopReporter', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    // Every reporter built here hands its journeys file on; none may leak into the next test.
    delete process.env.TRACEHOP_JOURNEYS;
  });
  const written = () => stderr.mock.calls.map(([text]) => String(text));

  it('writes the four reports and passes the gate when every journey is covered', async () => {
    const { rootDir, startTime } = await setup(cleanRuns());
    const reporter = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out' });
    await reporter.onRunComplete(undefined, { startTime });
    expect(reporter.getLastError()).toBeUndefined();
    expect((await readdir(join(rootDir, 'out'))).sort()).toEqual([
      'coverage.json',
      'coverage.md',
      'junit.xml',
      'report.html',
      'runs',
    ]);
    expect(written()).toEqual([
      `[tracehop] Trace coverage 100% (5 of 5 journeys fully covered); reports in ${join(rootDir, 'out', 'report.html')}\n`,
    ]);
  });

  it('fails the run with the gate message when a hop breaks', async () => {
    const runs = cleanRuns().map((run) =>
      run.journey === 'checkout'
        ? sampleRun('checkout', 1, { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } })
        : run,
    );
    const { rootDir, startTime } = await setup(runs);
    const reporter = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out' });
    await reporter.onRunComplete(undefined, { startTime });
    const message =
      '[tracehop] Failed to pass the trace coverage gate: suite coverage 80% is below 100% (4 of 5 journeys covered); ' +
      'checkout 66% is below 100%, first broken hop payment-api -> fraud-service: broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header. ' +
      `Open ${join(rootDir, 'out', 'report.html')} to see each broken link.`;
    expect(reporter.getLastError()?.message).toBe(message);
    expect(written()[1]).toBe(`${message}\n`);
  });

  describe('$TRACEHOP_COVERAGE_GATE', () => {
    afterEach(() => {
      delete process.env.TRACEHOP_COVERAGE_GATE;
    });

    it('says how to report without gating when journeys never ran, as when one spec is picked', async () => {
      const { rootDir, startTime } = await setup(cleanRuns().filter((run) => run.journey === 'login'));
      const reporter = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out' });
      await reporter.onRunComplete(undefined, { startTime });
      expect(reporter.getLastError()?.message.split('\n')[1]).toBe(
        '[tracehop] Ran only some specs? 4 journeys never ran; TRACEHOP_COVERAGE_GATE=off reports coverage without failing the run on it (the gate needs every journey).',
      );
    });

    it('off: writes the reports and does not fail the run; the gate option wins over it', async () => {
      process.env.TRACEHOP_COVERAGE_GATE = 'off';
      const { rootDir, startTime } = await setup(cleanRuns().filter((run) => run.journey === 'login'));
      const reporter = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out' });
      await reporter.onRunComplete(undefined, { startTime });
      expect(reporter.getLastError()).toBeUndefined();
      expect((await readFile(join(rootDir, 'out', 'coverage.md'), 'utf8')).split('\n')[2]).toBe(
        '**20%** of critical journeys fully covered (1 of 5), not gated (TRACEHOP_COVERAGE_GATE=off).',
      );
      const gating = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out', gate: true });
      await gating.onRunComplete(undefined, { startTime });
      expect(gating.getLastError()?.message.split(':')[0]).toBe('[tracehop] Failed to pass the trace coverage gate');
    });

    it('refuses a value other than on or off, before any spec runs', async () => {
      process.env.TRACEHOP_COVERAGE_GATE = 'false';
      const { rootDir } = await setup([]);
      const reporter = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out' });
      const error = await reporter.onRunStart().then(
        () => reporter.getLastError(),
        (thrown: unknown) => thrown as Error,
      );
      expect(error?.message).toBe(
        '[tracehop] Failed to report trace coverage: TRACEHOP_COVERAGE_GATE is "false". Set it to off (report without gating) or on, or unset it.',
      );
    });
  });

  it('counts every attempt of a test retried by jest.retryTimes: the worst run decides', async () => {
    // The first attempt of checkout broke, the retry passed: both were recorded in this run.
    const broken = sampleRun('checkout', 1, { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } });
    const { rootDir, startTime } = await setup([broken, ...cleanRuns()]);
    const reporter = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out' });
    await reporter.onRunComplete(undefined, { startTime });
    const coverage = JSON.parse(await readFile(join(rootDir, 'out', 'coverage.json'), 'utf8'));
    const checkout = coverage.journeys.find((journey: { name: string }) => journey.name === 'checkout');
    expect([
      reporter.getLastError()?.message.split(':')[0],
      coverage.coverage,
      checkout.runs,
      checkout.covered,
    ]).toEqual(['[tracehop] Failed to pass the trace coverage gate', 0.8, 2, 2]);
  });

  it('leaves the gate to the merge step under jest --shard', async () => {
    const { rootDir, startTime } = await setup(cleanRuns().slice(0, 2));
    const reporter = new TracehopReporter(
      { rootDir, shard: { shardIndex: 1, shardCount: 2 } },
      { journeysFile: 'journeys.json', outputDir: 'out' },
    );
    await reporter.onRunComplete(undefined, { startTime });
    expect(reporter.getLastError()).toBeUndefined();
    expect(JSON.parse(await readFile(join(rootDir, 'out', 'coverage.json'), 'utf8')).coverage).toBe(0.4);
    // The CI step summary of a shard says the gate is the merge's, not "gate failed" beside a green shard.
    expect((await readFile(join(rootDir, 'out', 'coverage.md'), 'utf8')).split('\n')[2]).toBe(
      '**40%** of critical journeys fully covered (2 of 5), not gated here: one shard of several, `tracehop report --merge` gates them together.',
    );
  });

  it('ignores runs left over from an earlier Jest run', async () => {
    const { rootDir } = await setup(cleanRuns());
    const reporter = new TracehopReporter(
      { rootDir },
      { journeysFile: 'journeys.json', outputDir: 'out', thresholds: { suite: 0, journey: 0 } },
    );
    await reporter.onRunComplete(undefined, { startTime: Date.now() + 60_000 });
    expect(JSON.parse(await readFile(join(rootDir, 'out', 'coverage.json'), 'utf8')).coverage).toBe(0);
  });

  it('removes run records of earlier runs when a run starts, so an old record cannot fail this one', async () => {
    const { rootDir } = await setup(cleanRuns());
    await writeFile(join(rootDir, 'out', 'runs', 'stale.json'), '{"version":0}\n');
    await mkdir(join(rootDir, 'out', 'failed-spec-files'));
    await writeFile(join(rootDir, 'out', 'failed-spec-files', 'login.e2e.ts-w1.json'), '{"version":1}\n');
    const reporter = new TracehopReporter(
      { rootDir },
      { journeysFile: 'journeys.json', outputDir: 'out', gate: false },
    );
    await reporter.onRunStart();
    await reporter.onRunComplete(undefined, { startTime: Date.now() });
    expect(await readdir(join(rootDir, 'out', 'runs')).catch((error: NodeJS.ErrnoException) => error.code)).toBe(
      'ENOENT',
    );
    expect(
      await readdir(join(rootDir, 'out', 'failed-spec-files')).catch((error: NodeJS.ErrnoException) => error.code),
    ).toBe('ENOENT');
    expect(written()).toEqual([
      `[tracehop] Trace coverage 0% (0 of 5 journeys fully covered); reports in ${join(rootDir, 'out', 'report.html')}\n`,
    ]);
  });

  it("keeps a Detox retry's earlier records: a file that passed is not run again, a retried file's new runs replace its old", async () => {
    const rootDir = scratchDir('tracehop-reporter-');
    await copyFile(JOURNEYS, join(rootDir, 'journeys.json'));
    const dir = join(rootDir, 'out', 'runs');
    let session: DetoxSession | undefined = { id: 'session-1', index: 0 };
    class UnderDetox extends TracehopReporter {
      protected override detoxSession(): DetoxSession | undefined {
        return session;
      }
    }
    const reporter = new UnderDetox({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out' });
    const [checkout, ...others] = cleanRuns().sort((a) => (a.journey === 'checkout' ? -1 : 1));
    if (!checkout) throw new Error('no checkout run');
    const broken = sampleRun('checkout', 1, { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } });
    // The spec file a run is recorded from, as tracehop's Detox environment sets it.
    const scope = globalThis as Record<string, unknown>;
    const record = async (run: typeof checkout, testPath: string) => {
      scope[TEST_PATH_GLOBAL] = testPath;
      try {
        await recordJourney({ journey: run.journey, spans: run.spans, captures: run.captures, dir });
      } finally {
        delete scope[TEST_PATH_GLOBAL];
      }
    };
    // Attempt 1: checkout.e2e.ts breaks, the other files pass.
    await reporter.onRunStart();
    const firstStart = Date.now();
    await record(broken, '/app/e2e/checkout.e2e.ts');
    for (const run of others) await record(run, `/app/e2e/${run.journey}.e2e.ts`);
    await reporter.onRunComplete(undefined, { startTime: firstStart });
    const firstError = reporter.getLastError()?.message.split(':')[0];
    // Attempt 1 happened a minute ago (its records and the session note say so): no two attempts share a
    // millisecond, as they never do under Detox.
    const minuteAgo = (text: string) =>
      text.replace(/"(recordedAt|startedAt)":("[^"]*"|\d+)/, (_all, key: string) =>
        key === 'startedAt'
          ? `"startedAt":${Date.now() - 60_000}`
          : `"recordedAt":"${new Date(Date.now() - 50_000).toISOString()}"`,
      );
    for (const name of await readdir(dir))
      await writeFile(join(dir, name), minuteAgo(await readFile(join(dir, name), 'utf8')));
    const note = join(rootDir, 'out', 'runs-session.json');
    await writeFile(note, minuteAgo(await readFile(note, 'utf8')));
    // Attempt 2 (Detox's retry): only checkout.e2e.ts runs again, and passes.
    session = { id: 'session-1', index: 1 };
    await reporter.onRunStart();
    const retryStart = Date.now();
    await record(checkout, '/app/e2e/checkout.e2e.ts');
    await reporter.onRunComplete(undefined, {
      startTime: retryStart,
      testResults: [{ testFilePath: '/app/e2e/checkout.e2e.ts' }],
    });
    const coverage = JSON.parse(await readFile(join(rootDir, 'out', 'coverage.json'), 'utf8'));
    expect([firstError, reporter.getLastError(), coverage.coverage, coverage.runs.length]).toEqual([
      '[tracehop] Failed to pass the trace coverage gate',
      undefined,
      1,
      5,
    ]);
    // A new session (another detox test) starts from nothing.
    session = { id: 'session-2', index: 0 };
    await reporter.onRunStart();
    expect(await readdir(dir).catch((error: NodeJS.ErrnoException) => error.code)).toBe('ENOENT');
  });

  it.each([
    [
      { journeysFile: 'journeys.json', redactHeader: ['x-session-token'] },
      '[tracehop] Failed to read the tracehop reporter options: "redactHeader" is not an option. Options are journeysFile, outputDir, thresholds, previousCoverage, redactHeaders, gate.',
    ],
    [
      { journeysFile: 'journeys.json', thresholds: { checkout: 0.5 } },
      '[tracehop] Failed to read the tracehop reporter options: thresholds.checkout is not a threshold. ' +
        'Thresholds are suite, journey (every journey), journeys (per journey name) and platforms (the same per platform), e.g. { suite: 1, journeys: { checkout: 0.5 }, platforms: { android: { journey: 0.8 } } }.',
    ],
    [
      { journeysFile: 'journeys.json', thresholds: 0.8 },
      '[tracehop] Failed to read the tracehop reporter options: "thresholds" is not an object. Write it as { suite: 1, journey: 1, journeys: { checkout: 0.5 } }.',
    ],
  ])('fails the run naming a misspelt option instead of ignoring it: %j', async (options, message) => {
    const reporter = new TracehopReporter({ rootDir: tmpdir() }, options as never);
    await reporter.onRunComplete(undefined, { startTime: Date.now() });
    expect([reporter.getLastError()?.message, written()]).toEqual([message, [`${message}\n`]]);
  });

  it.each([
    [
      { redactHeaders: 'x-session-token' },
      '"redactHeaders" is "x-session-token" (a string), not an array of header names (strings). Write it as redactHeaders: [\'x-session-token\'].',
    ],
    [
      { redactHeaders: ['x-session-token', 5] },
      '"redactHeaders" is ["x-session-token",5] (an array), not an array of header names (strings). Write it as redactHeaders: [\'x-session-token\'].',
    ],
    [
      { outputDir: 5 },
      "\"outputDir\" is 5 (a number), not a directory (a non-empty string). Write it as outputDir: 'artifacts/tracehop', relative to Jest's rootDir, or leave it out.",
    ],
    [
      { journeysFile: ['e2e/journeys.json'] },
      '"journeysFile" is ["e2e/journeys.json"] (an array), not a path (a non-empty string). Write it as journeysFile: \'e2e/journeys.json\', relative to Jest\'s rootDir.',
    ],
    [
      { previousCoverage: true },
      "\"previousCoverage\" is true (a boolean), not a path (a non-empty string). Write it as previousCoverage: 'previous/coverage.json', relative to Jest's rootDir, or leave it out.",
    ],
    [
      { gate: 'false' },
      '"gate" is "false" (a string), not true or false. Write it as gate: false to only report, or leave it out to gate.',
    ],
    [
      { thresholds: null },
      '"thresholds" is not an object. Write it as { suite: 1, journey: 1, journeys: { checkout: 0.5 } }.',
    ],
  ])('refuses an option of the wrong type at run start, naming it and what it got: %j', async (options, cause) => {
    const rootDir = scratchDir('tracehop-reporter-');
    await copyFile(JOURNEYS, join(rootDir, 'journeys.json'));
    const reporter = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', ...options } as never);
    const message = `[tracehop] Failed to read the tracehop reporter options: ${cause}`;
    await expect(reporter.onRunStart()).rejects.toMatchObject({ name: 'TracehopError', message });
    expect(reporter.getLastError()?.message).toBe(message);
    await reporter.onRunComplete(undefined, { startTime: Date.now() });
    expect([reporter.getLastError()?.message, written()]).toEqual([message, [`${message}\n`]]);
  });

  it('removes the reports of the run before at run start, and stops there when the journeys file is bad', async () => {
    const { rootDir, startTime } = await setup(cleanRuns());
    const good = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out' });
    await good.onRunComplete(undefined, { startTime });
    await writeFile(join(rootDir, 'journeys.json'), '{"journeys":[]}\n');
    const bad = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out' });
    const message = `[tracehop] Failed to read journeys from "${join(rootDir, 'journeys.json')}": journeys must hold at least 1 item. Each journey needs "name", "chain" (services in call order), "owner" and "criticality".`;
    await expect(bad.onRunStart()).rejects.toMatchObject({ name: 'TracehopError', message });
    expect((await readdir(join(rootDir, 'out'))).sort()).toEqual(['runs']);
  });

  it('reads the previous coverage at run start, so it may be the coverage.json this run replaces', async () => {
    const { rootDir, startTime } = await setup(cleanRuns());
    const options = { journeysFile: 'journeys.json', outputDir: 'out', previousCoverage: 'out/coverage.json' };
    await new TracehopReporter({ rootDir }, options).onRunComplete(undefined, { startTime });
    const reporter = new TracehopReporter({ rootDir }, options);
    await reporter.onRunStart();
    await reporter.onRunComplete(undefined, { startTime: Date.now() + 60_000 });
    const markdown = await readFile(join(rootDir, 'out', 'coverage.md'), 'utf8');
    expect(markdown.split('\n')[2]).toBe(
      '**0%** of critical journeys fully covered (0 of 5), ❌ gate failed (previous run: 100%, ▼ -100 pts).',
    );
  });

  it('fails the run when the journeys option is missing', async () => {
    const reporter = new TracehopReporter({ rootDir: tmpdir() }, {});
    await reporter.onRunComplete(undefined, { startTime: Date.now() });
    expect(reporter.getLastError()?.message).toBe(
      '[tracehop] Failed to report trace coverage: the reporter has no "journeysFile" option. Add the path of your journeys.json to the reporter options in your Jest config.',
    );
  });

  it('passes a broken checkout under its own lower threshold from the config', async () => {
    const runs = cleanRuns().map((run) =>
      run.journey === 'checkout'
        ? sampleRun('checkout', 1, { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } })
        : run,
    );
    const { rootDir, startTime } = await setup(runs);
    const thresholds = { suite: 0.8, journeys: { checkout: 0.66 } };
    const reporter = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir: 'out', thresholds });
    await reporter.onRunComplete(undefined, { startTime });
    expect(reporter.getLastError()).toBeUndefined();
    expect(JSON.parse(await readFile(join(rootDir, 'out', 'coverage.json'), 'utf8')).thresholds).toEqual({
      suite: 0.8,
      journey: 1,
      journeys: { checkout: 0.66 },
    });
  });

  it('fails the run when a threshold names a journey the journeys file does not declare', async () => {
    const { rootDir, startTime } = await setup(cleanRuns());
    const reporter = new TracehopReporter(
      { rootDir },
      { journeysFile: 'journeys.json', outputDir: 'out', thresholds: { journeys: { chekout: 0.5 } } },
    );
    await reporter.onRunComplete(undefined, { startTime });
    expect(reporter.getLastError()?.message).toBe(
      '[tracehop] Failed to apply the coverage thresholds: a threshold names journey "chekout", which the journeys file does not declare. ' +
        'Declared journeys: checkout, login, search-retry, offline-replay, privacy.',
    );
  });

  it('fails the run when a threshold is a percentage number instead of a ratio', async () => {
    const { rootDir, startTime } = await setup(cleanRuns());
    const reporter = new TracehopReporter(
      { rootDir },
      { journeysFile: 'journeys.json', outputDir: 'out', thresholds: { suite: 80 } },
    );
    await reporter.onRunComplete(undefined, { startTime });
    expect(reporter.getLastError()?.message).toBe(
      '[tracehop] Failed to apply the coverage thresholds: the suite threshold 80 is not a ratio between 0 and 1. Write each threshold as a ratio between 0 and 1, such as 0.8.',
    );
  });

  it('writes where $TRACEHOP_REPORT_DIR says, over the outputDir option', async () => {
    const { rootDir, startTime } = await setup([]);
    process.env.TRACEHOP_REPORT_DIR = 'elsewhere';
    try {
      const reporter = new TracehopReporter(
        { rootDir },
        { journeysFile: 'journeys.json', outputDir: 'out', gate: false },
      );
      expect(process.env.TRACEHOP_RUNS_DIR).toBe(join(rootDir, 'elsewhere', 'runs'));
      await reporter.onRunComplete(undefined, { startTime });
    } finally {
      delete process.env.TRACEHOP_REPORT_DIR;
      delete process.env.TRACEHOP_RUNS_DIR;
    }
    expect((await readdir(join(rootDir, 'elsewhere'))).sort()).toEqual([
      'coverage.json',
      'coverage.md',
      'junit.xml',
      'report.html',
    ]);
  });

  it('hands spec workers its redactHeaders, and none when it has none', () => {
    try {
      new TracehopReporter({ rootDir: '/repo' }, { journeysFile: 'j.json', redactHeaders: ['X-Session-Token'] });
      const handed = process.env.TRACEHOP_REDACT_HEADERS;
      new TracehopReporter({ rootDir: '/repo' }, { journeysFile: 'j.json' });
      expect([handed, process.env.TRACEHOP_REDACT_HEADERS]).toEqual(['["X-Session-Token"]', undefined]);
    } finally {
      delete process.env.TRACEHOP_REDACT_HEADERS;
      delete process.env.TRACEHOP_RUNS_DIR;
    }
  });

  it('hands spec workers its journeysFile, resolved, unless $TRACEHOP_JOURNEYS names one already', () => {
    try {
      new TracehopReporter({ rootDir: '/repo' }, { journeysFile: 'e2e/journeys.json' });
      const handed = process.env.TRACEHOP_JOURNEYS;
      new TracehopReporter({ rootDir: '/repo' }, { journeysFile: 'other.json' });
      expect([handed, process.env.TRACEHOP_JOURNEYS]).toEqual(['/repo/e2e/journeys.json', '/repo/e2e/journeys.json']);
    } finally {
      delete process.env.TRACEHOP_RUNS_DIR;
    }
  });

  it('tells spec workers where to record runs', () => {
    const before = process.env.TRACEHOP_RUNS_DIR;
    try {
      new TracehopReporter({ rootDir: '/repo' }, { journeysFile: 'j.json' });
      expect(process.env.TRACEHOP_RUNS_DIR).toBe('/repo/artifacts/tracehop/runs');
    } finally {
      if (before === undefined) delete process.env.TRACEHOP_RUNS_DIR;
      else process.env.TRACEHOP_RUNS_DIR = before;
    }
  });
});
