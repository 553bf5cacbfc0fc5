/**
 * The device workflow's release-report merge step, run as GitHub runs it (bash -e) on what actions/download-artifact
 * leaves: one coverage/tracehop-<platform>/ folder per platform job that uploaded its reports. `npx tracehop` is the
 * built CLI of this checkout (run npm run build first).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TracehopReporter, recordJourney } from '../../harness/jest';
import { cleanRuns } from '../../harness/report/test-support/sample-runs';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = join(__dirname, '..', '..');

interface Step {
  readonly name?: string;
  readonly run?: string;
}

const workflow = parse(readFileSync(join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
  jobs: Record<string, { steps: readonly Step[] }>;
};
const mergeStep = workflow.jobs['release-report']?.steps.find((step) => step.name === "Merge the platforms' coverage");

/** A platform job's artifact as the release job downloads it: coverage/tracehop-<platform>/coverage.json. */
async function platformCoverage(dir: string, platform: 'ios' | 'android' | 'web'): Promise<void> {
  const outputDir = join('coverage', `tracehop-${platform}`);
  const startTime = Date.now();
  for (const run of cleanRuns()) await recordJourney({ ...run, platform, dir: join(dir, outputDir, 'runs') });
  const reporter = new TracehopReporter({ rootDir: dir }, { journeysFile: 'journeys.json', outputDir, gate: false });
  await reporter.onRunComplete(new Set(), { startTime });
}

/** Runs the step's script with bash -e, `npx tracehop` being this checkout's CLI. */
function runStep(dir: string): { status: number | null; stdout: string; stderr: string } {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, 'npx'),
    `#!/bin/sh\n[ "$1" = tracehop ] || exit 127\nshift\nexec "${process.execPath}" "${join(ROOT, 'bin/tracehop.js')}" "$@"\n`,
  );
  chmodSync(join(bin, 'npx'), 0o755);
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', mergeStep?.run ?? 'exit 99'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the release report's merge step (.github/workflows/e2e-devices.yml)", () => {
  let dir: string;
  beforeEach(() => {
    dir = scratchDir('tracehop-release-step-');
    writeFileSync(join(dir, 'journeys.json'), readFileSync(join(ROOT, 'fixtures/journeys.json')));
  });

  it('merges the three platforms when each uploaded its coverage', async () => {
    for (const platform of ['web', 'ios', 'android'] as const) await platformCoverage(dir, platform);
    const result = runStep(dir);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).not.toContain('::warning::');
    const merged = JSON.parse(readFileSync(join(dir, 'artifacts/release/coverage.json'), 'utf8')) as {
      platforms: Array<{ platform: string }>;
    };
    expect(merged.platforms.map((entry) => entry.platform)).toEqual(['ios', 'android', 'web']);
  });

  it('still writes the release report from the others when a platform job stopped before its specs ran', async () => {
    await platformCoverage(dir, 'web');
    await platformCoverage(dir, 'android');
    const result = runStep(dir);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::'))).toEqual([
      '::warning::The ios job uploaded no coverage.json (it stopped before its specs finished): the release report leaves ios out.',
    ]);
    const merged = JSON.parse(readFileSync(join(dir, 'artifacts/release/coverage.json'), 'utf8')) as {
      platforms: Array<{ platform: string }>;
    };
    expect(merged.platforms.map((entry) => entry.platform)).toEqual(['android', 'web']);
    expect(existsSync(join(dir, 'artifacts/release/coverage.md'))).toBe(true);
  });

  it('fails, saying why, when no platform uploaded coverage', () => {
    const result = runStep(dir);
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::error::'))).toEqual([
      '::error::No platform job uploaded coverage.json (web, ios and android all stopped before their specs finished): there is no release report to write.',
    ]);
  });
});
