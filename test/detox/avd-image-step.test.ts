/**
 * The Android job's step that installs the emulator and the AVD's system image and reads their revisions for the AVD
 * cache key, run as GitHub runs it (bash -eo pipefail) against a stand-in sdkmanager that prints what the real one
 * prints for `--list_installed`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = join(__dirname, '..', '..');

interface Step {
  readonly id?: string;
  readonly run?: string;
}

const android = (
  parse(readFileSync(join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
    jobs: Record<string, { env: Record<string, string | number>; steps: readonly Step[] }>;
  }
).jobs.android;
const step = android?.steps.find((entry) => entry.id === 'avd-image');

/** `sdkmanager --list_installed` on a hosted runner: a progress line, a header, one row per package. */
const LISTED = [
  '[=======================================] 100% Computing updates...             ',
  'Installed packages:',
  '  Path                                        | Version      | Description                                | Location',
  '  -------                                     | -------      | -------                                    | -------',
  '  build-tools;36.0.0                          | 36.0.0       | Android SDK Build-Tools 36                 | build-tools/36.0.0',
  '  emulator                                    | 36.1.9       | Android Emulator                           | emulator',
  '  system-images;android-34;google_apis;x86_64 | 14           | Google APIs Intel x86_64 Atom System Image | system-images/android-34/google_apis/x86_64',
  '  system-images;android-34;default;x86_64     | 4            | Intel x86_64 Atom System Image             | system-images/android-34/default/x86_64',
  '',
].join('\n');

/** Runs the step with ANDROID_HOME holding a stand-in sdkmanager that logs installs and prints `listed`. */
function runStep(listed: string): { status: number | null; stdout: string; installs: string; output: string } {
  const home = scratchDir('tracehop-avd-image-step-');
  const bin = join(home, 'cmdline-tools', 'latest', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(home, 'listed.txt'), listed);
  writeFileSync(
    join(bin, 'sdkmanager'),
    [
      '#!/bin/sh',
      'case "$1" in',
      '  --install) shift; printf "%s\\n" "$*" >> "$ANDROID_HOME/installs.log" ;;',
      '  --list_installed) cat "$ANDROID_HOME/listed.txt" ;;',
      // Reads a few answers and stops, as sdkmanager does once every license is accepted: `yes` then gets SIGPIPE.
      '  --licenses) head -c 4 > /dev/null; echo licenses >> "$ANDROID_HOME/installs.log" ;;',
      '  *) exit 2 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'sdkmanager'), 0o755);
  const output = join(home, 'github-output');
  const env = Object.fromEntries(Object.entries(android?.env ?? {}).map(([name, value]) => [name, String(value)]));
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step?.run ?? 'exit 99'], {
    encoding: 'utf8',
    env: { ...process.env, ...env, ANDROID_HOME: home, GITHUB_OUTPUT: output },
  });
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  return {
    status: result.status,
    stdout: result.stdout,
    installs: read(join(home, 'installs.log')),
    output: read(output),
  };
}

describe("the Android job's AVD image step (.github/workflows/e2e-devices.yml)", () => {
  it('installs the emulator and the AOSP image, and outputs their revisions, not the google_apis one', () => {
    expect(runStep(LISTED)).toEqual({
      status: 0,
      stdout: '',
      installs: 'licenses\nemulator system-images;android-34;default;x86_64\n',
      output: 'emulator=36.1.9\nimage=4\n',
    });
  });

  it('fails naming what sdkmanager did not list, rather than key the cache on an empty revision', () => {
    const withoutImage = LISTED.split('\n')
      .filter((line) => !line.includes('android-34;default'))
      .join('\n');
    expect(runStep(withoutImage)).toEqual({
      status: 1,
      stdout:
        "::error::sdkmanager --list_installed names no revision for emulator ('36.1.9') or system-images;android-34;default;x86_64 (''): the AVD cache key cannot name them.\n",
      installs: 'licenses\nemulator system-images;android-34;default;x86_64\n',
      output: '',
    });
  });
});
