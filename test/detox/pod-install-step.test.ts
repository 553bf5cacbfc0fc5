/**
 * The iOS job's pod install step, run as GitHub runs it (bash -eo pipefail) in fixtures/sample-app/ios with a
 * stand-in `pod` that fails its first N calls: which retries it makes, in which order, with which settings.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = join(__dirname, '..', '..');

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly 'working-directory'?: string;
}

const step = (
  parse(readFileSync(join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
    jobs: Record<string, { steps: readonly Step[] }>;
  }
).jobs.ios?.steps.find((entry) => entry.name === 'Install pods');

/** Runs the step with a `pod` that fails its first `failures` calls; each call logs its arguments and core settings. */
function runStep(failures: number): { status: number | null; stdout: string; calls: string } {
  const dir = scratchDir('tracehop-pod-install-step-');
  const bin = join(dir, 'bin');
  const cwd = join(dir, step?.['working-directory'] ?? '.');
  mkdirSync(bin, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  writeFileSync(
    join(bin, 'pod'),
    [
      '#!/bin/sh',
      `log="${join(dir, 'calls.log')}"`,
      'echo "pod $* (RCT_USE_PREBUILT_RNCORE=${RCT_USE_PREBUILT_RNCORE-unset} RCT_USE_RN_DEP=${RCT_USE_RN_DEP-unset}) in $(basename "$PWD")" >> "$log"',
      `[ "$(wc -l < "$log")" -gt ${failures} ]`,
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'pod'), 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  delete env['RCT_USE_PREBUILT_RNCORE'];
  delete env['RCT_USE_RN_DEP'];
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step?.run ?? 'exit 99'], {
    cwd,
    encoding: 'utf8',
    env,
  });
  const log = join(dir, 'calls.log');
  return { status: result.status, stdout: result.stdout, calls: existsSync(log) ? readFileSync(log, 'utf8') : '' };
}

const PLAIN = 'pod install (RCT_USE_PREBUILT_RNCORE=unset RCT_USE_RN_DEP=unset) in ios\n';
const REPO_UPDATE = 'pod install --repo-update (RCT_USE_PREBUILT_RNCORE=unset RCT_USE_RN_DEP=unset) in ios\n';
const FROM_SOURCE = 'pod install --repo-update (RCT_USE_PREBUILT_RNCORE=0 RCT_USE_RN_DEP=0) in ios\n';
const STALE_WARNING =
  "::warning::pod install failed; retrying with CocoaPods' spec repos updated (pod install --repo-update)\n";
const SOURCE_WARNING =
  '::warning::pod install with the prebuilt React Native core failed twice; retrying with the core built from source\n';

describe("the iOS job's pod install step (.github/workflows/e2e-devices.yml)", () => {
  it('runs pod install once in the generated ios/ folder when it succeeds', () => {
    expect(runStep(0)).toEqual({ status: 0, stdout: '', calls: PLAIN });
  });

  it('retries with the spec repos updated first, keeping the prebuilt core', () => {
    expect(runStep(1)).toEqual({ status: 0, stdout: STALE_WARNING, calls: PLAIN + REPO_UPDATE });
  });

  it('builds the core from source, repos updated, only when that fails too', () => {
    expect(runStep(2)).toEqual({
      status: 0,
      stdout: STALE_WARNING + SOURCE_WARNING,
      calls: PLAIN + REPO_UPDATE + FROM_SOURCE,
    });
  });

  it('fails the step when the build from source fails as well', () => {
    expect(runStep(3)).toEqual({
      status: 1,
      stdout: STALE_WARNING + SOURCE_WARNING,
      calls: PLAIN + REPO_UPDATE + FROM_SOURCE,
    });
  });
});
