/**
 * The iOS and Android jobs' steps that shut the simulator or emulator down after the specs, whatever happened to them
 * (a step timeout kills `detox test --cleanup` before it lets go of the device). Run as GitHub runs them (bash -e)
 * against a stand-in xcrun or adb that logs its arguments and prints what the real one prints.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = join(__dirname, '..', '..');

const jobs = (
  parse(readFileSync(join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
    jobs: Record<string, { steps: ReadonlyArray<{ name?: string; run?: string }> }>;
  }
).jobs;

/** Writes an executable stand-in at `path` that appends its arguments to `log`, then runs `body` (sh). */
function standIn(path: string, log: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\necho "$*" >> '${log}'\n${body}\n`);
  chmodSync(path, 0o755);
}

function run(script: string | undefined, env: Record<string, string>) {
  const result = spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', script ?? 'exit 99'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout };
}

describe("the Android job's emulator shutdown step", () => {
  const step = jobs.android?.steps.find((entry) => entry.name === 'Shut the emulator down');

  function shutDown(devices: string, killStatus = 0) {
    const home = scratchDir('tracehop-emulator-shutdown-');
    const log = join(home, 'adb.log');
    mkdirSync(join(home, 'platform-tools'));
    // `adb devices` lists `devices`; `adb -s <serial> emu kill` exits killStatus.
    standIn(
      join(home, 'platform-tools', 'adb'),
      log,
      `if [ "$1" = devices ]; then printf '%s' '${devices}'; exit 0; fi\nexit ${killStatus}`,
    );
    const result = run(step?.run, { ANDROID_HOME: home });
    return { ...result, calls: existsSync(log) ? readFileSync(log, 'utf8') : '' };
  }

  it('kills every emulator adb lists, and only emulators', () => {
    const devices = 'List of devices attached\nemulator-5554\tdevice\nR58N1234\tdevice\nemulator-5556\toffline\n\n';
    expect(shutDown(devices)).toEqual({
      status: 0,
      stdout: '',
      calls: 'devices\n-s emulator-5554 emu kill\n-s emulator-5556 emu kill\n',
    });
  });

  it('does nothing when no emulator runs (the runner already killed it, or it never booted)', () => {
    expect(shutDown('List of devices attached\n\n')).toEqual({ status: 0, stdout: '', calls: 'devices\n' });
  });

  it('warns and carries on when adb cannot kill one: the runner ends it with the job', () => {
    expect(shutDown('List of devices attached\nemulator-5554\tdevice\n', 1)).toEqual({
      status: 0,
      stdout: '::warning::adb -s emulator-5554 emu kill failed; the runner ends the emulator with the job.\n',
      calls: 'devices\n-s emulator-5554 emu kill\n',
    });
  });
});

describe("the iOS job's simulator shutdown step", () => {
  const step = jobs.ios?.steps.find((entry) => entry.name === 'Shut the simulator down');

  function shutDown(status: number) {
    const bin = scratchDir('tracehop-simulator-shutdown-');
    const log = join(bin, 'xcrun.log');
    standIn(join(bin, 'xcrun'), log, `exit ${status}`);
    const result = run(step?.run, { PATH: `${bin}:${process.env['PATH'] ?? ''}` });
    return { ...result, calls: existsSync(log) ? readFileSync(log, 'utf8') : '' };
  }

  it('shuts every simulator down', () => {
    expect(shutDown(0)).toEqual({ status: 0, stdout: '', calls: 'simctl shutdown all\n' });
  });

  it('warns and carries on when simctl fails: the runner ends it with the job', () => {
    expect(shutDown(1)).toEqual({
      status: 0,
      stdout: '::warning::xcrun simctl shutdown all failed; the runner ends the simulator with the job.\n',
      calls: 'simctl shutdown all\n',
    });
  });
});
