/**
 * The Android job's step that prunes ~/.gradle before its cache is saved, run as GitHub runs it (bash -e) with HOME
 * in a scratch folder laid out as a build leaves it. actions/cache ignores `!` exclusions below a folder it archives
 * whole (actions/toolkit#713), so this step is what keeps build outputs, lock files and the wrapper's zip out.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = join(__dirname, '..', '..');
const STEP = "Keep build outputs, lock files and the wrapper's zip out of the Gradle cache";

const step = (
  parse(readFileSync(join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
    jobs: Record<string, { steps: ReadonlyArray<{ name?: string; run?: string }> }>;
  }
).jobs.android?.steps.find((entry) => entry.name === STEP);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** ~/.gradle after `detox build` and `gradlew --stop` (Gradle 9.3.1, one dependency, the build cache on). */
const AFTER_BUILD = [
  'caches/modules-2/files-2.1/com.facebook.react/react-android/0.86.3/abc/react-android-0.86.3-release.aar',
  'caches/modules-2/metadata-2.107/descriptors/x.bin',
  'caches/modules-2/modules-2.lock',
  'caches/modules-2/gc.properties',
  'caches/transforms-4/def/transformed/classes.jar',
  'caches/transforms-4/transforms-4.lock',
  'caches/9.3.1/fileHashes/fileHashes.bin',
  'caches/9.3.1/fileHashes/fileHashes.lock',
  'caches/9.3.1/generated-gradle-jars/gradle-api-9.3.1.jar',
  'caches/journal-1/file-access.bin',
  'caches/journal-1/journal-1.lock',
  'caches/build-cache-1/0123456789abcdef',
  'caches/build-cache-1/build-cache-1.lock',
  'caches/CACHEDIR.TAG',
  'wrapper/dists/gradle-9.3.1-bin/h4sh/gradle-9.3.1-bin.zip',
  'wrapper/dists/gradle-9.3.1-bin/h4sh/gradle-9.3.1-bin.zip.ok',
  'wrapper/dists/gradle-9.3.1-bin/h4sh/gradle-9.3.1-bin.zip.lck',
  'wrapper/dists/gradle-9.3.1-bin/h4sh/gradle-9.3.1/bin/gradle',
  'daemon/9.3.1/daemon-4242.out.log',
];

describe("the Android job's Gradle cache pruning step (.github/workflows/e2e-devices.yml)", () => {
  it('removes the build cache, lock files, gc.properties and the wrapper zip, and keeps what the next build reuses', () => {
    const home = scratchDir('tracehop-gradle-cache-step-');
    for (const file of AFTER_BUILD) {
      mkdirSync(dirname(join(home, '.gradle', file)), { recursive: true });
      writeFileSync(join(home, '.gradle', file), '');
    }
    const result = spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', step?.run ?? 'exit 99'], {
      cwd: home,
      encoding: 'utf8',
      env: { ...process.env, HOME: home },
    });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect(
      filesUnder(join(home, '.gradle'))
        .map((file) => relative(join(home, '.gradle'), file))
        .sort(),
    ).toEqual([
      'caches/9.3.1/fileHashes/fileHashes.bin',
      'caches/9.3.1/generated-gradle-jars/gradle-api-9.3.1.jar',
      'caches/CACHEDIR.TAG',
      'caches/journal-1/file-access.bin',
      'caches/modules-2/files-2.1/com.facebook.react/react-android/0.86.3/abc/react-android-0.86.3-release.aar',
      'caches/modules-2/metadata-2.107/descriptors/x.bin',
      'caches/transforms-4/def/transformed/classes.jar',
      'daemon/9.3.1/daemon-4242.out.log',
      'wrapper/dists/gradle-9.3.1-bin/h4sh/gradle-9.3.1-bin.zip.lck',
      'wrapper/dists/gradle-9.3.1-bin/h4sh/gradle-9.3.1-bin.zip.ok',
      'wrapper/dists/gradle-9.3.1-bin/h4sh/gradle-9.3.1/bin/gradle',
    ]);
  });
});
