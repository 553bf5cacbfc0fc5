import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { runReport } from '../../harness/cli';
import { sampleRun } from '../../harness/report/test-support/sample-runs';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const REPO = join(__dirname, '..', '..');
/** The built package (`npm test` builds first), as a team's Jest loads it: no TypeScript in the child runs. */
const BUILT_JEST = join(REPO, 'dist', 'harness', 'jest');
/** One Jest run of the throwaway project (7 suites' worth of start-up in 2 workers): seconds when idle. */
const JEST_RUN_MS = 50_000;

/**
 * A throwaway project whose two spec files record journeys from Jest workers, with our reporter beside the
 * default one (`options` added to its own). Each request carries an x-session-token header. The journey runs
 * are made here and written as JSON beside the specs, so the workers load no TypeScript (ts-jest took most of
 * each run's time, its cache cold in every new project).
 */
async function project(fault: boolean, options: Record<string, unknown> = {}): Promise<string> {
  if (!existsSync(join(BUILT_JEST, 'reporter.js')))
    throw new Error('dist/ is missing: run "npm run build" before this suite');
  const dir = scratchDir('tracehop-jest-');
  const reporter = join(dir, 'tracehop-reporter.js');
  await writeFile(reporter, `module.exports = require(${JSON.stringify(join(BUILT_JEST, 'reporter.js'))}).default;\n`);
  await writeFile(
    join(dir, 'jest.config.js'),
    `module.exports = ${JSON.stringify({
      rootDir: dir,
      cacheDirectory: join(dir, '.cache'),
      testEnvironment: 'node',
      testMatch: ['**/*.spec.js'],
      // No transform: the specs and the built package are plain CommonJS (babel-jest would compile them all).
      transform: {},
      reporters: ['default', [reporter, { journeysFile: join(REPO, 'fixtures', 'journeys.json'), ...options }]],
    })};\n`,
  );
  const spec = async (journeys: string[]) => {
    await Promise.all(
      journeys.map((journey, index) =>
        writeFile(
          join(dir, `${journey}.run.json`),
          JSON.stringify(
            sampleRun(
              journey,
              index + 1,
              fault && journey === 'checkout'
                ? { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } }
                : {},
            ),
          ),
        ),
      ),
    );
    return (
      `const { recordJourney } = require(${JSON.stringify(join(BUILT_JEST, 'index.js'))});\n` +
      journeys
        .map(
          (journey) =>
            `test(${JSON.stringify(journey)}, async () => {\n` +
            `  const run = require(${JSON.stringify(`./${journey}.run.json`)});\n` +
            `  const captures = run.captures.map((capture) => ({ ...capture, headers: [...capture.headers, ['x-session-token', 'tok-${journey}']] }));\n` +
            `  await recordJourney({ journey: run.journey, spans: run.spans, captures });\n});\n`,
        )
        .join('')
    );
  };
  await writeFile(join(dir, 'a.spec.js'), await spec(['checkout', 'login']));
  await writeFile(join(dir, 'b.spec.js'), await spec(['search-retry', 'offline-replay', 'privacy']));
  return dir;
}

function runJest(dir: string, extra: readonly string[] = []): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.TRACEHOP_RUNS_DIR;
    delete env.JEST_WORKER_ID;
    const child = spawn(
      process.execPath,
      [
        join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--config',
        join(dir, 'jest.config.js'),
        '--maxWorkers=2',
        ...extra,
      ],
      {
        cwd: dir,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`jest in ${dir} did not finish within ${JEST_RUN_MS} ms; stderr: ${stderr}`));
    }, JEST_RUN_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

interface CoverageFile {
  generatedAt: string;
  journeys: Array<{ runId: string | null }>;
  runs: Array<{ runId: string; recordedAt: string; worker: string }>;
}

// What differs between processes by nature: times, run ids (pid, time, random) and worker numbers.
function withoutRunIdentity(file: CoverageFile) {
  const { generatedAt: _at, ...rest } = file;
  return {
    ...rest,
    journeys: file.journeys.map(({ runId: _runId, ...journey }) => journey),
    runs: file.runs.map(({ runId: _runId, recordedAt: _recordedAt, worker: _worker, ...run }) => run),
  };
}

describe('the reporter in a real Jest run', () => {
  it('passes a run whose workers recorded every journey cleanly', async () => {
    const dir = await project(false);
    const { code, stderr } = await runJest(dir);
    expect(code).toBe(0);
    expect(stderr).toContain(
      `[tracehop] Trace coverage 100% (5 of 5 journeys fully covered); reports in ${join(dir, 'artifacts', 'tracehop', 'report.html')}`,
    );
    const runs = await readdir(join(dir, 'artifacts', 'tracehop', 'runs'));
    const workers = await Promise.all(
      runs.map(
        async (name) => JSON.parse(await readFile(join(dir, 'artifacts', 'tracehop', 'runs', name), 'utf8')).worker,
      ),
    );
    expect([runs.length, workers.every((worker) => /^[0-9]+$/.test(worker))]).toEqual([5, true]);
  });

  it('fails a run whose checkout broke at payment-api -> fraud-service, though every test passed', async () => {
    const dir = await project(true);
    const { code, stderr } = await runJest(dir);
    expect(code).toBe(1);
    expect(stderr).toContain('Tests:       5 passed, 5 total');
    expect(stderr).toContain(
      '[tracehop] Failed to pass the trace coverage gate: suite coverage 80% is below 100% (4 of 5 journeys covered); ' +
        'checkout 66% is below 100%, first broken hop payment-api -> fraud-service: broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header. ' +
        `Open ${join(dir, 'artifacts', 'tracehop', 'report.html')} to see each broken link.`,
    );
  });

  it("redacts the reporter's redactHeaders in the run records the workers write", async () => {
    const dir = await project(false, { redactHeaders: ['X-Session-Token'] });
    const { code } = await runJest(dir);
    const runsDir = join(dir, 'artifacts', 'tracehop', 'runs');
    const texts = await Promise.all((await readdir(runsDir)).map((name) => readFile(join(runsDir, name), 'utf8')));
    const tokens = texts.flatMap((text) =>
      (JSON.parse(text) as { captures: Array<{ headers: Array<[string, string]> }> }).captures.flatMap((capture) =>
        capture.headers.filter(([name]) => name === 'x-session-token').map(([, value]) => value),
      ),
    );
    expect([code, texts.length, texts.some((text) => text.includes('tok-')), [...new Set(tokens)]]).toEqual([
      0,
      5,
      false,
      ['[redacted]'],
    ]);
  });

  it.each([
    [
      { redactHeaders: 'x-session-token' },
      '[tracehop] Failed to read the tracehop reporter options: "redactHeaders" is "x-session-token" (a string), not an array of header names (strings). ' +
        "Write it as redactHeaders: ['x-session-token'].",
    ],
    [
      { journeysFile: 'missing.json' },
      (dir: string) =>
        `[tracehop] Failed to read journeys from "${join(dir, 'missing.json')}": the file does not exist. Pass the path of your journeys.json.`,
    ],
  ])(
    'stops before any spec runs, removing the reports of the run before, when the options are bad: %j',
    async (options, message) => {
      const dir = await project(false, options);
      const out = join(dir, 'artifacts', 'tracehop');
      await mkdir(out, { recursive: true });
      for (const name of ['coverage.json', 'coverage.md', 'junit.xml', 'report.html', 'keep.txt'])
        await writeFile(join(out, name), 'an earlier run\n');
      const { code, stderr } = await runJest(dir);
      const expected = typeof message === 'string' ? message : message(dir);
      expect([code, stderr.includes(expected), stderr.includes('Tests:'), await readdir(out)]).toEqual([
        1,
        true,
        false,
        ['keep.txt'],
      ]);
    },
  );

  it('writes shard files under jest --shard that merge into the coverage.json of one unsharded run', async () => {
    const dir = await project(true);
    const out = join(dir, 'artifacts', 'tracehop');
    const shards: string[] = [];
    for (const shard of ['1/2', '2/2']) {
      const { code, stderr } = await runJest(dir, [`--shard=${shard}`]);
      // Each shard sees part of the journeys, so its reporter leaves the gate to the merge.
      expect([code, stderr.includes('Failed to pass the trace coverage gate')]).toEqual([0, false]);
      const file = join(dir, `shard-${shards.length + 1}.json`);
      await copyFile(join(out, 'coverage.json'), file);
      shards.push(file);
    }
    const shardRuns = await Promise.all(
      shards.map(async (file) => (JSON.parse(await readFile(file, 'utf8')) as CoverageFile).runs.length),
    );
    expect(shardRuns.sort()).toEqual([2, 3]);

    expect((await runJest(dir)).code).toBe(1);
    const unsharded = JSON.parse(await readFile(join(out, 'coverage.json'), 'utf8')) as CoverageFile;

    const stdout: string[] = [];
    const stderr: string[] = [];
    const io = {
      stdout: (text: string) => stdout.push(text),
      stderr: (text: string) => stderr.push(text),
      env: {},
      cwd: dir,
    };
    expect(await runReport(['--merge', ...shards, '-o', 'merged'], io)).toBe(1);
    const merged = JSON.parse(await readFile(join(dir, 'merged', 'coverage.json'), 'utf8')) as CoverageFile;
    expect(withoutRunIdentity(merged)).toEqual(withoutRunIdentity(unsharded));
    expect(stdout).toEqual(['[tracehop] Trace coverage 80% (4 of 5 journeys fully covered); reports in merged\n']);
  }, 180_000); // three Jest runs of the project, one after another: 60 s is too short on a busy machine
});
