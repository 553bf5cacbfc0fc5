/**
 * Scale-out through the real Detox CLI on the web build (`node scripts/e2e.js`, `detox test -c web.headless`):
 *   - `--shard=1/2` and `--shard=2/2` each exit 0 and write their shard's coverage.json, leaving the gate to
 *     `tracehop report --merge`, which reads 100% from the two;
 *   - `--maxWorkers 2` runs two Chromiums against two backends, and no run's spans, captures or coverage hold
 *     anything of another spec's run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JourneyRun } from '../../harness/report';
import { scratchDir } from '../../harness/test-support/scratch-dir';
import { ROOT, runE2e, type E2eRun } from './support/run-e2e';

const RUN_TIMEOUT_MS = 240_000;
const ALL_JOURNEYS = ['checkout', 'login', 'offline-replay', 'privacy', 'search-retry'];
const ALL_SPECS = ALL_JOURNEYS.map((journey) => `e2e/${journey}.e2e.ts`);

interface CoverageFile {
  readonly coverage: number;
  readonly passed: boolean;
  readonly runs: readonly JourneyRun[];
  readonly platforms: readonly { platform: string; coverage: number }[];
}

const readCoverage = (dir: string): CoverageFile =>
  JSON.parse(fs.readFileSync(path.join(dir, 'tracehop', 'coverage.json'), 'utf8')) as CoverageFile;

/** The trace id of a W3C traceparent value, or undefined. */
const traceIdOf = (value: string): string | undefined =>
  /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(value)?.[1];

describe('scale-out through the real Detox CLI (web.headless)', () => {
  let dir = '';
  const shards: E2eRun[] = [];
  let workers: E2eRun;

  beforeAll(
    async () => {
      dir = scratchDir('tracehop-scale-out-');
      // One at a time: the first rebuilds the web app when stale; two cores would starve runs side by side.
      for (const shard of ['1/2', '2/2'])
        shards.push(
          await runE2e({
            faults: '',
            dir: path.join(dir, `shard-${shard[0]}`),
            args: [`--shard=${shard}`],
            timeoutMs: RUN_TIMEOUT_MS,
          }),
        );
      workers = await runE2e({ faults: '', dir: path.join(dir, 'workers'), workers: 2, timeoutMs: RUN_TIMEOUT_MS });
    },
    3 * RUN_TIMEOUT_MS + 60_000,
  );

  it('each shard exits 0 with its own specs, leaving the gate to the merge', () => {
    expect(shards.map((run) => [run.code, run.failingSpecs])).toEqual([
      [0, []],
      [0, []],
    ]);
    const [first, second] = shards.map((run) => run.passingSpecs);
    expect(first?.length).toBeGreaterThan(0);
    expect(second?.length).toBeGreaterThan(0);
    expect([...(first ?? []), ...(second ?? [])].sort()).toEqual(ALL_SPECS);
    // Each coverage.json holds its shard's runs only, on the web platform.
    for (const [index, run] of shards.entries()) {
      const coverage = readCoverage(path.join(dir, `shard-${index + 1}`));
      expect(coverage.runs.map((entry) => `e2e/${entry.journey}.e2e.ts`).sort()).toEqual(run.passingSpecs);
      expect(coverage.passed).toBe(false);
      expect(coverage.platforms.map((entry) => entry.platform)).toEqual(['web']);
    }
  });

  it('tracehop report --merge of the two shards reads 100% and passes the gate', () => {
    const merged = path.join(dir, 'merged');
    const result = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bin/tracehop.js'),
        'report',
        '--merge',
        path.join(dir, 'shard-1/tracehop/coverage.json'),
        path.join(dir, 'shard-2/tracehop/coverage.json'),
        '-o',
        merged,
      ],
      { encoding: 'utf8' },
    );
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 0,
      stdout: `[tracehop] Trace coverage 100% (5 of 5 journeys fully covered); reports in ${merged}\n`,
      stderr: '',
    });
    const coverage = JSON.parse(fs.readFileSync(path.join(merged, 'coverage.json'), 'utf8')) as CoverageFile;
    expect(coverage.platforms).toEqual([expect.objectContaining({ platform: 'web', coverage: 1 })]);
  });

  it('--maxWorkers 2: passes with 100% coverage from two workers', () => {
    expect([workers.code, workers.failingSpecs, workers.passingSpecs]).toEqual([0, [], ALL_SPECS]);
    expect(workers.coverage).toBe(
      `[tracehop] Trace coverage 100% (5 of 5 journeys fully covered); reports in ${path.join(dir, 'workers', 'tracehop', 'report.html')}`,
    );
    const runs = readCoverage(path.join(dir, 'workers')).runs;
    expect(runs.map((run) => run.journey).sort()).toEqual(ALL_JOURNEYS);
    expect(new Set(runs.map((run) => run.worker)).size).toBe(2);
    expect(new Set(runs.map((run) => run.platform))).toEqual(new Set(['web']));
  });

  it('--maxWorkers 2: no trace of one run appears in another, and every capture belongs to its own run', () => {
    const runs = readCoverage(path.join(dir, 'workers')).runs;
    const owner = new Map<string, string>();
    const shared: string[] = [];
    for (const run of runs) {
      const traces = new Set<string>(run.spans.map((span) => span.traceId));
      expect(traces.size).toBeGreaterThan(0);
      for (const traceId of traces) {
        const other = owner.get(traceId);
        if (other !== undefined) shared.push(`${traceId} in ${other} and ${run.journey}`);
        owner.set(traceId, run.journey);
      }
      // A request the other worker's app sent would carry a trace this run never exported.
      const foreign = run.captures
        .flatMap((capture) => capture.headers.filter(([name]) => name === 'traceparent').map(([, value]) => value))
        .map(traceIdOf)
        .filter((traceId): traceId is string => traceId !== undefined && !traces.has(traceId));
      expect({ journey: run.journey, foreign }).toEqual({ journey: run.journey, foreign: [] });
    }
    expect(shared).toEqual([]);
  });
});
