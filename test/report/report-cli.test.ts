import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runReport, type CliIo } from '../../harness/cli';
import { recordJourney, TracehopReporter } from '../../harness/jest';
import { encodeOtlpJson } from '../../harness/model';
import type { JourneyRun } from '../../harness/report';
import { cleanRuns, sampleRun } from '../../harness/report/test-support/sample-runs';
import { scratchDir } from '../../harness/test-support/scratch-dir';
import { runCheckoutJourney } from '../verify/support/checkout-journey';

const FAULT = { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } };
const faultRuns = () => cleanRuns().map((run) => (run.journey === 'checkout' ? sampleRun('checkout', 1, FAULT) : run));

function captureIo(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (text) => out.push(text), stderr: (text) => err.push(text), env: {}, cwd };
  return { io, out, err };
}

/** One Jest run (a shard when `shard` is given) that records `runs` and writes coverage.json into `outputDir`. */
async function jestRun(
  rootDir: string,
  outputDir: string,
  runs: readonly JourneyRun[],
  shard?: { shardIndex: number; shardCount: number },
) {
  const startTime = Date.now();
  for (const run of runs)
    await recordJourney({
      journey: run.journey,
      spans: run.spans,
      captures: run.captures,
      dir: join(rootDir, outputDir, 'runs'),
    });
  const reporter = new TracehopReporter({ rootDir, shard }, { journeysFile: 'journeys.json', outputDir });
  await reporter.onRunComplete(new Set(), { startTime });
  return join(outputDir, 'coverage.json');
}

/** The runs' spans, each run's root span tagged with its journey (tracehop.journey), as an app would write them. */
function tagJourneys(runs: readonly JourneyRun[]) {
  return runs.flatMap((run) =>
    run.spans.map((span) =>
      span.parentSpanId === undefined && span.service === 'mobile-app'
        ? { ...span, attributes: { ...span.attributes, 'tracehop.journey': run.journey } }
        : span,
    ),
  );
}

// Run ids, times and paths differ between processes; everything else must match.
const comparable = (file: { coverage: number; journeys: Array<Record<string, unknown>> }) => ({
  coverage: file.coverage,
  journeys: file.journeys.map(({ runId: _runId, ...rest }) => rest),
});

describe('tracehop report', () => {
  let rootDir: string;
  let stderr: jest.SpyInstance;
  beforeEach(async () => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    rootDir = scratchDir('tracehop-cli-');
    await copyFile(join(__dirname, '..', '..', 'fixtures', 'journeys.json'), join(rootDir, 'journeys.json'));
  });
  afterEach(() => stderr.mockRestore());

  it('merges two shards into the same coverage as one unsharded run, and fails the gate', async () => {
    const runs = faultRuns();
    const whole = await jestRun(rootDir, 'whole', runs);
    const first = await jestRun(rootDir, 'shard-1', runs.slice(0, 2), { shardIndex: 1, shardCount: 2 });
    const second = await jestRun(rootDir, 'shard-2', runs.slice(2), { shardIndex: 2, shardCount: 2 });
    const { io, out, err } = captureIo(rootDir);
    expect(await runReport(['--merge', first, second, '-o', 'merged'], io)).toBe(1);
    const merged = JSON.parse(await readFile(join(rootDir, 'merged', 'coverage.json'), 'utf8'));
    const unsharded = JSON.parse(await readFile(join(rootDir, whole), 'utf8'));
    expect(comparable(merged)).toEqual(comparable(unsharded));
    expect(merged.coverage).toBe(0.8);
    expect(out).toEqual(['[tracehop] Trace coverage 80% (4 of 5 journeys fully covered); reports in merged\n']);
    expect(err).toEqual([
      '[tracehop] Failed to pass the trace coverage gate: suite coverage 80% is below 100% (4 of 5 journeys covered); ' +
        'checkout 66% is below 100%, first broken hop payment-api -> fraud-service: broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header. ' +
        'Open merged/report.html to see each broken link.\n',
    ]);
    expect(
      (await readFile(join(rootDir, 'merged', 'report.html'), 'utf8')).match(/<svg class="waterfall"/g),
    ).toHaveLength(5);
  });

  it('exits 0 when the merged shards cover every journey', async () => {
    const runs = cleanRuns();
    const first = await jestRun(rootDir, 's1', runs.slice(0, 3), { shardIndex: 1, shardCount: 2 });
    const second = await jestRun(rootDir, 's2', runs.slice(3), { shardIndex: 2, shardCount: 2 });
    const { io, err } = captureIo(rootDir);
    expect(await runReport(['--merge', first, second, '-o', 'merged', '--previous', 's1/coverage.json'], io)).toBe(0);
    expect(err).toEqual([]);
    expect(await readFile(join(rootDir, 'merged', 'coverage.md'), 'utf8')).toContain('(previous run: 60%, ▲ +40 pts)');
  });

  it('warns when no span of the dumps names a journey, since journeys sharing a chain then cover each other', async () => {
    const checkout = cleanRuns().find((run) => run.journey === 'checkout') as JourneyRun;
    await writeFile(join(rootDir, 'untagged.json'), JSON.stringify(encodeOtlpJson(checkout.spans)));
    const { io, err } = captureIo(rootDir);
    expect(
      await runReport(
        [
          '--otlp',
          'untagged.json',
          '--journeys',
          'journeys.json',
          '-o',
          'untagged',
          '--suite-threshold',
          '0',
          '--journey-threshold',
          '0',
        ],
        io,
      ),
    ).toBe(0);
    expect(err).toEqual([
      "[tracehop] Warning: no span in the dumps names a declared journey (attributes tracehop.journey, app.journey), so every trace counts for every journey whose chain it satisfies and journeys with the same chain cover each other. Tag each journey's root span with tracehop.journey for exact coverage per journey.\n",
    ]);
    const coverage = JSON.parse(await readFile(join(rootDir, 'untagged', 'coverage.json'), 'utf8'));
    expect(
      coverage.journeys.map((journey: { name: string; coverage: number }) => [journey.name, journey.coverage]),
    ).toEqual([
      // The one checkout trace covers offline-replay (same chain) and the app -> gateway hop of the others.
      ['checkout', 1],
      ['login', 0.5],
      ['search-retry', 0.5],
      ['offline-replay', 1],
      ['privacy', 0],
    ]);
  });

  it('builds the reports from OTLP dumps, each trace assigned by its journey attribute', async () => {
    const tagged = tagJourneys(faultRuns());
    await writeFile(join(rootDir, 'a.json'), JSON.stringify(encodeOtlpJson(tagged.slice(0, 9))));
    await writeFile(join(rootDir, 'b.json'), JSON.stringify(encodeOtlpJson(tagged.slice(9))));
    const { io, err } = captureIo(rootDir);
    expect(
      await runReport(
        [
          '--otlp',
          'a.json',
          'b.json',
          '--journeys',
          'journeys.json',
          '-o',
          'otlp',
          '--suite-threshold',
          '60%',
          '--journey-threshold',
          '0',
        ],
        io,
      ),
    ).toBe(0);
    expect(err).toEqual([]);
    const coverage = JSON.parse(await readFile(join(rootDir, 'otlp', 'coverage.json'), 'utf8'));
    expect(
      coverage.journeys.map(
        (journey: { name: string; covered: number; expected: number; firstBrokenHop: string | null }) => [
          journey.name,
          journey.covered,
          journey.expected,
          journey.firstBrokenHop,
        ],
      ),
    ).toEqual([
      ['checkout', 2, 3, 'payment-api -> fraud-service'],
      ['login', 2, 2, null],
      ['search-retry', 2, 2, null],
      ['offline-replay', 3, 3, null],
      ['privacy', 0, 1, 'mobile-app -> analytics (no trace headers)'],
    ]);
    expect(coverage.journeys[4].hops[0].reason).toBe(
      'checking headers needs the capture log, which OTLP dumps do not carry',
    );
  });

  it("exits 2 when the gate passes on a trace store's answer that left spans out, and 1 when it fails", async () => {
    const spans = tagJourneys(cleanRuns());
    // Grafana Tempo's /api/v2/traces answer for a trace cut at max_bytes_per_trace.
    const cut = 'Trace exceeds maximum size of 5000 bytes, a partial trace is returned';
    await writeFile(
      join(rootDir, 'partial.json'),
      JSON.stringify({
        trace: { resourceSpans: encodeOtlpJson(spans).resourceSpans },
        status: 'PARTIAL',
        message: cut,
      }),
    );
    const note = `[tracehop] Note: "partial.json" holds an incomplete answer of the trace store: line 1 is Grafana Tempo's PARTIAL trace ("${cut}"). Traces or spans it left out may read as a missing-service or broken-chain that the services did not cause: fetch the trace from Tempo again with a larger max_bytes_per_trace and no q filter, before trusting such a verdict.\n`;
    const passing = captureIo(rootDir);
    const args = ['--spans', 'partial.json', '--journeys', 'journeys.json', '-o', 'out'];
    expect(await runReport([...args, '--suite-threshold', '0', '--journey-threshold', '0'], passing.io)).toBe(2);
    expect(passing.err).toEqual([
      note,
      '[tracehop] Failed to pass the trace coverage gate: the thresholds are met, but an answer of the trace store left spans out (the note above names it): a hop in the spans left out is not judged, so this is no pass. Fetch those traces whole, as the note says, and build the reports again.\n',
    ]);
    // The reports are written all the same: they show what the spans read cover (privacy needs the capture log).
    expect(JSON.parse(await readFile(join(rootDir, 'out', 'coverage.json'), 'utf8')).coverage).toBe(0.8);
    const failing = captureIo(rootDir);
    expect(await runReport([...args, '--suite-threshold', '100%', '--journey-threshold', '100%'], failing.io)).toBe(1);
    expect(failing.err).toEqual([
      note,
      '[tracehop] Failed to pass the trace coverage gate: suite coverage 80% is below 100% (4 of 5 journeys covered); privacy 0% is below 100%, first broken hop mobile-app -> analytics (no trace headers): checking headers needs the capture log, which OTLP dumps do not carry. Open out/report.html to see each broken link.\n',
    ]);
  });

  it('reports a tracestate a proxy stripped in an OTLP dump on the hop that lost it', async () => {
    const spans = await runCheckoutJourney({
      seed: 2028,
      traceStateMember: { 'mobile-app': 'vendor=abc' },
      rewrite: { 'payment-api': (headers) => delete headers.tracestate },
    });
    const tagged = spans.map((span) =>
      span.parentSpanId === undefined
        ? { ...span, attributes: { ...span.attributes, 'tracehop.journey': 'checkout' } }
        : span,
    );
    await writeFile(join(rootDir, 'dump.json'), JSON.stringify(encodeOtlpJson(tagged)));
    const { io, err } = captureIo(rootDir);
    const args = ['--spans', 'dump.json', '--journeys', 'journeys.json', '-o', 'out', '--suite-threshold', '0'];
    expect(await runReport([...args, '--journey-threshold', '0'], io)).toBe(0);
    expect(err).toEqual([]);
    const coverage = JSON.parse(await readFile(join(rootDir, 'out', 'coverage.json'), 'utf8'));
    const checkout = coverage.journeys[0] as {
      name: string;
      firstBrokenHop: string | null;
      firstBrokenReason: string | null;
      hops: Array<{ label: string; status: string; problemKinds: string[] }>;
    };
    expect({
      name: checkout.name,
      firstBrokenHop: checkout.firstBrokenHop,
      firstBrokenReason: checkout.firstBrokenReason,
      hops: checkout.hops.map((hop) => [hop.label, hop.status, hop.problemKinds]),
    }).toEqual({
      name: 'checkout',
      firstBrokenHop: 'api-gateway -> payment-api',
      firstBrokenReason:
        'header-span-mismatch: payment-api "POST /payments" (1ae61241) has no tracestate although api-gateway\'s call span "POST /payments" (1b297929) carries "vendor=abc": a proxy between them strips the tracestate header, or payment-api read its context with a propagator that has no tracestate (B3 alone); fix: let the proxy between them pass tracestate through',
      hops: [
        ['mobile-app -> api-gateway', 'connected', []],
        ['api-gateway -> payment-api', 'broken', ['header-span-mismatch']],
        ['payment-api -> fraud-service', 'connected', []],
      ],
    });
  });

  const unusable: Array<[string, string[], string]> = [
    [
      'no_mode',
      ['-o', 'x'],
      '[tracehop] Failed to read the report arguments: give either --merge or --spans with at least one file.',
    ],
    [
      'no_output',
      ['--merge', 'a.json'],
      '[tracehop] Failed to read the report arguments: the output directory (-o DIR) is missing.',
    ],
    [
      'otlp_without_journeys',
      ['--otlp', 'a.json', '-o', 'x'],
      '[tracehop] Failed to read the report arguments: --spans needs --journeys FILE.',
    ],
  ];
  it.each(unusable)('exits 2 on %s', async (_name, args, start) => {
    const { io, err } = captureIo(rootDir);
    expect(await runReport(args, io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]!.startsWith(`${start} Usage: tracehop report --merge COVERAGE.json... -o DIR`)).toBe(true);
  });

  it('exits 2 on an unknown option, naming it and the options there are, as every command does', async () => {
    const { io, err } = captureIo(rootDir);
    expect(await runReport(['--merge', 'a.json', '--html', '-o', 'x'], io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]!.split('\n').slice(0, 1)).toEqual([
      '[tracehop] Failed to read the report arguments: there is no option "--html". Options are --merge, --spans, --format, --journeys, --out (-o), --previous, --redact-headers, --suite-threshold, --journey-threshold and --platform-threshold.',
    ]);
    expect(err[0]!.split('\n')[1]!.startsWith('Usage: tracehop report --merge COVERAGE.json... -o DIR')).toBe(true);
  });

  // The last of two was taken silently: the reports went to "second" alone, where no one asked twice to look.
  it('exits 2 when -o is given twice', async () => {
    const { io, err } = captureIo(rootDir);
    expect(await runReport(['--merge', 'a.json', '-o', 'first', '--out', 'second'], io)).toBe(2);
    expect(err).toEqual(['[tracehop] Failed to read the report arguments: -o (--out) is given twice. Give it once.\n']);
  });

  it('passes the gate when a per-journey threshold admits the broken checkout', async () => {
    const runs = faultRuns();
    const first = await jestRun(rootDir, 's1', runs.slice(0, 2), { shardIndex: 1, shardCount: 2 });
    const second = await jestRun(rootDir, 's2', runs.slice(2), { shardIndex: 2, shardCount: 2 });
    const { io, err } = captureIo(rootDir);
    const args = [
      '--merge',
      first,
      second,
      '-o',
      'merged',
      '--suite-threshold',
      '80%',
      '--journey-threshold',
      'checkout=0.66',
    ];
    expect(await runReport(args, io)).toBe(0);
    expect(err).toEqual([]);
    const coverage = JSON.parse(await readFile(join(rootDir, 'merged', 'coverage.json'), 'utf8'));
    expect([coverage.passed, coverage.thresholds]).toEqual([
      true,
      { suite: 0.8, journey: 1, journeys: { checkout: 0.66 } },
    ]);
    expect(await readFile(join(rootDir, 'merged', 'coverage.md'), 'utf8')).toContain(
      'Thresholds: suite 80%, journey 100%, checkout 66%.',
    );
  });

  it('merges iOS, Android and web coverage keeping platforms apart; --platform-threshold admits Android alone', async () => {
    const record = async (outputDir: string, platform: 'ios' | 'android' | 'web', runs: readonly JourneyRun[]) => {
      const startTime = Date.now();
      for (const run of runs) await recordJourney({ ...run, platform, dir: join(rootDir, outputDir, 'runs') });
      const reporter = new TracehopReporter({ rootDir }, { journeysFile: 'journeys.json', outputDir, gate: false });
      await reporter.onRunComplete(new Set(), { startTime });
      return join(outputDir, 'coverage.json');
    };
    const files = [
      await record('ios', 'ios', cleanRuns(1)),
      await record('android', 'android', faultRuns()),
      await record('web', 'web', cleanRuns(30)),
    ];
    const failed = captureIo(rootDir);
    expect(await runReport(['--merge', ...files, '-o', 'release'], failed.io)).toBe(1);
    expect(failed.err).toEqual([
      '[tracehop] Failed to pass the trace coverage gate: android: suite coverage 80% is below 100% (4 of 5 journeys covered); ' +
        'android: checkout 66% is below 100%, first broken hop payment-api -> fraud-service: broken-chain: payment-api sent no traceparent ' +
        'to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header. Open release/report.html to see each broken link.\n',
    ]);
    const coverage = JSON.parse(await readFile(join(rootDir, 'release', 'coverage.json'), 'utf8'));
    expect(
      coverage.platforms.map((entry: { platform: string; coverage: number }) => [entry.platform, entry.coverage]),
    ).toEqual([
      ['ios', 1],
      ['android', 0.8],
      ['web', 1],
    ]);
    const admitted = captureIo(rootDir);
    const flags = ['--platform-threshold', 'android:suite=0.8', '--platform-threshold', 'android:checkout=66%'];
    expect(await runReport(['--merge', ...files, '-o', 'release', ...flags], admitted.io)).toBe(0);
    expect(admitted.err).toEqual([]);
    expect(await readFile(join(rootDir, 'release', 'coverage.md'), 'utf8')).toContain(
      '| **suite** | ✅ 100% (5 of 5) | ✅ 80% (4 of 5) | ✅ 100% (5 of 5) |',
    );
  });

  it.each([
    ['android', '"android" is not PLATFORM:suite|journey|NAME=RATIO'],
    ['windows:suite=1', '"windows" is not a platform'],
    ['ios:=1', '"ios:=1" names no journey'],
  ])('exits 2 on --platform-threshold %s', async (value, cause) => {
    const { io, err } = captureIo(rootDir);
    expect(await runReport(['--merge', 'a.json', '-o', 'x', '--platform-threshold', value], io)).toBe(2);
    expect(err).toEqual([
      `[tracehop] Failed to read --platform-threshold: ${cause}. Write it as android:suite=0.8, android:journey=0.9 or android:checkout=0.66 (platforms: ios, android, web).\n`,
    ]);
  });

  it('exits 2 naming a --platform-threshold ratio that is not one', async () => {
    const { io, err } = captureIo(rootDir);
    expect(await runReport(['--merge', 'a.json', '-o', 'x', '--platform-threshold', 'ios:journey=2'], io)).toBe(2);
    expect(err).toEqual([
      '[tracehop] Failed to read --platform-threshold ios:journey: "2" is not a ratio between 0 and 1. Write it as 0.8 or 80%.\n',
    ]);
  });

  it('exits 2 when a per-journey threshold names a journey that is not declared', async () => {
    const first = await jestRun(rootDir, 's1', cleanRuns(), { shardIndex: 1, shardCount: 1 });
    const { io, err } = captureIo(rootDir);
    expect(await runReport(['--merge', first, '-o', 'merged', '--journey-threshold', 'chekout=0.5'], io)).toBe(2);
    expect(err).toEqual([
      '[tracehop] Failed to apply the coverage thresholds: a threshold names journey "chekout", which the journeys file does not declare. ' +
        'Declared journeys: checkout, login, search-retry, offline-replay, privacy.\n',
    ]);
  });

  const badThresholds: Array<[string, string, string]> = [
    [
      'empty_ratio',
      '--suite-threshold',
      '[tracehop] Failed to read --suite-threshold: "" is not a ratio between 0 and 1. Write it as 0.8 or 80%.\n',
    ],
    [
      'hex_ratio',
      '0x1',
      '[tracehop] Failed to read --journey-threshold: "0x1" is not a ratio between 0 and 1. Write it as 0.8 or 80%.\n',
    ],
    [
      'no_journey_name',
      '=0.5',
      '[tracehop] Failed to read --journey-threshold: "=0.5" names no journey before "=". Write it as checkout=0.8, or 0.8 for every journey.\n',
    ],
    [
      'journey_ratio_too_big',
      'login=101%',
      '[tracehop] Failed to read --journey-threshold login: "101%" is not a ratio between 0 and 1. Write it as 0.8 or 80%.\n',
    ],
  ];
  it.each(badThresholds)('exits 2 on %s', async (_name, value, message) => {
    const { io, err } = captureIo(rootDir);
    const args =
      value === '--suite-threshold'
        ? ['--merge', 'a.json', '-o', 'x', '--suite-threshold', '']
        : ['--merge', 'a.json', '-o', 'x', '--journey-threshold', value];
    expect(await runReport(args, io)).toBe(2);
    expect(err).toEqual([message]);
  });

  it('prints its usage on stdout and exits 0 for --help', async () => {
    const { io, out, err } = captureIo(rootDir);
    expect(await runReport(['--help'], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([
      'Usage: tracehop report --merge COVERAGE.json... -o DIR, or tracehop report --spans DUMP... [--format NAME] --journeys FILE -o DIR ' +
        '(-o is also --out; --otlp is the old name of --spans; ratios as 0.8 or 80%) ' +
        '[--previous COVERAGE.json] [--redact-headers a,b] [--suite-threshold 0..1] [--journey-threshold 0..1] [--journey-threshold NAME=0..1]... ' +
        '[--platform-threshold PLATFORM:suite=0..1] [--platform-threshold PLATFORM:journey=0..1] [--platform-threshold PLATFORM:NAME=0..1]...\n',
    ]);
  });

  it.each([
    [['--merge', 'a.json', '-o', 'x', '--previous'], '--previous'],
    [['--merge', 'a.json', '--redact-headers', '-o', 'x'], '--redact-headers'],
    [['--otlp', 'd.jsonl', '--journeys', '-o', 'x'], '--journeys'],
    [['--merge', 'a.json', '-o'], '-o'],
  ])('exits 2 for %j naming the option that lacks its value', async (args, flag) => {
    const { io, err } = captureIo(rootDir);
    expect(await runReport(args, io)).toBe(2);
    expect(err).toEqual([
      `[tracehop] Failed to read the report arguments: ${flag} needs a value. Options are --merge, --spans, --format, --journeys, --out (-o), --previous, --redact-headers, --suite-threshold, --journey-threshold and --platform-threshold.\nUsage: tracehop report --merge COVERAGE.json... -o DIR, or tracehop report --spans DUMP... [--format NAME] --journeys FILE -o DIR ` +
        '(-o is also --out; --otlp is the old name of --spans; ratios as 0.8 or 80%) ' +
        '[--previous COVERAGE.json] [--redact-headers a,b] [--suite-threshold 0..1] [--journey-threshold 0..1] [--journey-threshold NAME=0..1]... ' +
        '[--platform-threshold PLATFORM:suite=0..1] [--platform-threshold PLATFORM:journey=0..1] [--platform-threshold PLATFORM:NAME=0..1]...\n',
    ]);
  });

  it('exits 2 for --journeys with --merge instead of ignoring it', async () => {
    const { io, err } = captureIo(rootDir);
    expect(await runReport(['--merge', 'a.json', '--journeys', 'journeys.json', '-o', 'x'], io)).toBe(2);
    expect(err).toEqual([
      '[tracehop] Failed to read the report arguments: --journeys is for --spans only: --merge takes the journeys from the coverage files. Drop --journeys, or build the shards with that journeys file.\n',
    ]);
  });

  it('exits 2 for OTLP dumps that hold no spans instead of reporting on nothing', async () => {
    await writeFile(join(rootDir, 'empty.json'), '{"resourceSpans": []}');
    const { io, out, err } = captureIo(rootDir);
    expect(
      await runReport(
        [
          '--otlp',
          'empty.json',
          '--journeys',
          'journeys.json',
          '-o',
          'x',
          '--suite-threshold',
          '0',
          '--journey-threshold',
          '0',
        ],
        io,
      ),
    ).toBe(2);
    expect([out, err]).toEqual([
      [],
      [
        '[tracehop] Failed to build the reports: "empty.json" holds no spans. Check that the exporter ran and flushed before the dump was written: await forceFlush() on each provider before its shutdown() and before the process exits. With a SimpleSpanProcessor, @opentelemetry/exporter-trace-otlp-grpc 0.27 to 0.34 loses the spans ended just before shutdown() without any error, whatever is awaited (0.52 logs "14 UNAVAILABLE: Channel closed before call"): use a BatchSpanProcessor and await forceFlush(), or upgrade the exporter to 0.57 or later.\n',
      ],
    ]);
  });

  it('exits 2 naming a missing coverage file', async () => {
    const { io, err } = captureIo(rootDir);
    expect(await runReport(['--merge', 'nope.json', '-o', 'x'], io)).toBe(2);
    expect(err).toEqual([
      '[tracehop] Failed to read coverage from "nope.json": the file does not exist. Pass the coverage.json each shard wrote.\n',
    ]);
  });

  it('exits 2 saying what a file passed to --merge is instead of coverage, and the option that reads it', async () => {
    const otlp = (await readFile(join(__dirname, '../../fixtures/dumps/checkout-ok.jsonl'), 'utf8')).split('\n');
    const files: Record<string, string> = {
      'empty.json': ' \n',
      'dump.jsonl': `${otlp[0]}\n${otlp[1]}\n`,
      'dump.pb': '\u000a\u0003abc',
      'spans.json': '[{"traceId": "0af7651916cd43dd8448eb211c80319c", "id": "b7ad6b7169203331", "name": "x"}]',
      'journeys-copy.json': '{ "journeys": [] }',
      'topology-copy.json': '{ "services": [] }',
    };
    const errors: string[] = [];
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(rootDir, name), text);
      const { io, err } = captureIo(rootDir);
      expect(await runReport(['--merge', name, '-o', 'x'], io)).toBe(2);
      errors.push(...err);
    }
    expect(errors).toEqual([
      '[tracehop] Failed to read coverage from "empty.json": the file is empty. Pass the coverage.json each shard wrote (a reporter writes it when its run ends).\n',
      '[tracehop] Failed to read coverage from "dump.jsonl": it holds spans (OTLP/JSON), not the coverage a reporter wrote. To build the reports from a dump, pass it with --spans: tracehop report --spans dump.jsonl --journeys FILE -o DIR.\n',
      '[tracehop] Failed to read coverage from "dump.pb": it is binary, not the JSON coverage a reporter wrote. A dump in OTLP protobuf or compressed is read with --spans: tracehop report --spans dump.pb --journeys FILE -o DIR.\n',
      '[tracehop] Failed to read coverage from "spans.json": it holds spans (Zipkin JSON), not the coverage a reporter wrote. To build the reports from a dump, pass it with --spans: tracehop report --spans spans.json --journeys FILE -o DIR.\n',
      '[tracehop] Failed to read coverage from "journeys-copy.json": it is a journeys file, not the coverage a reporter wrote. Pass it as --journeys beside --spans DUMP..., or pass the coverage.json each shard wrote to --merge.\n',
      '[tracehop] Failed to read coverage from "topology-copy.json": it is a topology file, not the coverage a reporter wrote. Pass the coverage.json each shard wrote.\n',
    ]);
  });

  it('exits 2 naming a threshold that is not a ratio', async () => {
    const { io, err } = captureIo(rootDir);
    expect(await runReport(['--merge', 'a.json', '-o', 'x', '--suite-threshold', '150%'], io)).toBe(2);
    expect(err).toEqual([
      '[tracehop] Failed to read --suite-threshold: "150%" is not a ratio between 0 and 1. Write it as 0.8 or 80%.\n',
    ]);
  });

  it('exits 2 naming an OTLP dump that is not OTLP', async () => {
    await writeFile(join(rootDir, 'bad.json'), '{"hello": 1}');
    const { io, err } = captureIo(rootDir);
    expect(await runReport(['--otlp', 'bad.json', '--journeys', 'journeys.json', '-o', 'x'], io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^\[tracehop\] Failed to read spans from "bad\.json": .+\n$/);
  });
});
