/**
 * Runs `node scripts/e2e.js` (the real `detox test -c web.headless`) as a child process with its own
 * report and artifact folders, and reads what it printed: each journey's verdict and each spec's result.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');

/** One journey's printed verdict: `[tracehop] <journey>: PASS in N ms` or `FAIL (<kinds>)` and its problem lines. */
export interface PrintedVerdict {
  readonly pass: boolean;
  readonly kinds: string[];
  /** The "<kind>: <message>" lines printed under a FAIL. */
  readonly problems: string[];
  readonly ms: number;
}

export interface E2eRun {
  /** Exit code; null when it was killed. */
  readonly code: number | null;
  /** Spec files Jest reported as failing, e.g. "e2e/checkout.e2e.ts", sorted. */
  readonly failingSpecs: string[];
  readonly passingSpecs: string[];
  readonly verdicts: Record<string, PrintedVerdict>;
  /** The reporter's "[tracehop] Trace coverage ..." line. */
  readonly coverage: string | undefined;
  readonly output: string;
  /** What the run wrote to stderr alone: Jest's results and its "●" failure blocks. */
  readonly stderr: string;
}

const VERDICT = /\[tracehop\] ([a-z0-9-]+): (PASS|FAIL \(([^)]*)\)) in (\d+) ms$/;
const SPEC = /^(PASS|FAIL) (e2e\/\S+\.e2e\.ts)/;

/** Reads the verdict lines, the Jest spec result lines and the coverage line out of a run's output. */
export function parseE2eOutput(output: string): Omit<E2eRun, 'code' | 'output' | 'stderr'> {
  const verdicts: Record<string, PrintedVerdict> = {};
  const failing: string[] = [];
  const passing: string[] = [];
  let coverage: string | undefined;
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    const verdict = VERDICT.exec(line);
    if (verdict) {
      const [, journey, outcome, kinds, ms] = verdict as unknown as [
        string,
        string,
        string,
        string | undefined,
        string,
      ];
      current = [];
      verdicts[journey] = {
        pass: outcome === 'PASS',
        kinds: kinds ? kinds.split(', ') : [],
        problems: current,
        ms: Number(ms),
      };
      continue;
    }
    // Problem lines are indented by two spaces right under their verdict; the trace tree ends them.
    if (current && /^ {2}[a-z-]+: /.test(line)) {
      current.push(line.slice(2));
      continue;
    }
    current = undefined;
    const spec = SPEC.exec(line);
    if (spec) (spec[1] === 'FAIL' ? failing : passing).push(spec[2] as string);
    if (line.startsWith('[tracehop] Trace coverage ')) coverage = line;
  }
  return { failingSpecs: failing.sort(), passingSpecs: passing.sort(), verdicts, coverage };
}

export interface RunOptions {
  /** TRACEHOP_FAULTS for the run ("" for none). */
  readonly faults: string;
  /** TRACEHOP_APP_FAULTS for the run; none when absent. */
  readonly appFaults?: string;
  /** A folder of its own for the run's reports and Detox artifacts. */
  readonly dir: string;
  /** Kills the run (and its browser) after this long. */
  readonly timeoutMs: number;
  /** More arguments for `detox test` (e.g. `--shard=1/2`, `--maxWorkers`, `2`). */
  readonly args?: readonly string[];
  /** TRACEHOP_E2E_WORKERS for the run; default 1, so runs side by side keep one browser each. */
  readonly workers?: number;
}

/** Runs the e2e suite once; resolves when it exits (or was killed at the deadline). */
export function runE2e(options: RunOptions): Promise<E2eRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TRACEHOP_FAULTS: options.faults,
    TRACEHOP_APP_FAULTS: options.appFaults ?? '',
    TRACEHOP_REPORT_DIR: path.join(options.dir, 'tracehop'),
    TRACEHOP_E2E_BUILD: 'skip',
    TRACEHOP_E2E_WORKERS: String(options.workers ?? 1),
  };
  // The outer Jest's variables would confuse the inner run (worker ids, the coverage gate switch).
  delete env.JEST_WORKER_ID;
  delete env.TRACEHOP_COVERAGE_GATE;
  delete env.TRACEHOP_RUNS_DIR;
  const child = spawn(
    process.execPath,
    ['scripts/e2e.js', '--artifacts-location', `${path.join(options.dir, 'detox')}/`, ...(options.args ?? [])],
    {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Both streams in arrival order for `output`, and each on its own for parsing: under load a long write
  // reaches the pipe in pieces, and a piece of the other stream between them would cut a verdict line in two.
  const chunks: Buffer[] = [];
  const streams: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
  for (const name of ['stdout', 'stderr'] as const) {
    child[name].on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      streams[name].push(chunk);
    });
  }
  const timer = setTimeout(() => {
    // The whole group: Detox, its Jest and the browser it launched.
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString('utf8');
      const stderr = Buffer.concat(streams.stderr).toString('utf8');
      const apart = `${Buffer.concat(streams.stdout).toString('utf8')}\n${stderr}`;
      resolve({ code, output, stderr, ...parseE2eOutput(apart) });
    });
  });
}

/** Runs `tasks` with at most `limit` at a time; results in task order. */
export async function inPool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
