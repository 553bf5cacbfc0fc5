/**
 * The Android job's step that reads the NDK version the generated app pins and the Android Gradle Plugin version
 * React Native's Gradle plugin pins (AGP decides the CMake Gradle downloads when the app names none), for the NDK and
 * CMake cache. Run as GitHub runs it (bash -eo pipefail) in a folder laid out like the checkout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = join(__dirname, '..', '..');
const BUILD_GRADLE = 'fixtures/sample-app/android/build.gradle';
const AGP_CATALOG = 'node_modules/@react-native/gradle-plugin/gradle/libs.versions.toml';
/** Where generate-native.js copies android/build.gradle from. */
const TEMPLATE_BUILD_GRADLE = 'node_modules/@react-native-community/template/template/android/build.gradle';

interface Step {
  readonly id?: string;
  readonly run?: string;
}

const step = (
  parse(readFileSync(join(ROOT, '.github/workflows/e2e-devices.yml'), 'utf8')) as {
    jobs: Record<string, { steps: readonly Step[] }>;
  }
).jobs.android?.steps.find((entry) => entry.id === 'native-tools');

/** Runs the step in a checkout-like folder holding `files`, with ANDROID_HOME=/sdk. */
function runStep(files: Record<string, string>): { status: number | null; stdout: string; output: string } {
  const dir = scratchDir('tracehop-native-tools-step-');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const output = join(dir, 'github-output');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step?.run ?? 'exit 99'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANDROID_HOME: '/sdk', GITHUB_OUTPUT: output },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    output: existsSync(output) ? readFileSync(output, 'utf8') : '',
  };
}

const buildGradle = (ndk: string) =>
  `buildscript {\n    ext {\n        buildToolsVersion = "36.0.0"\n        ndkVersion = "${ndk}"\n        kotlinVersion = "2.1.20"\n    }\n}\n`;
const catalog = (agp: string) => `[versions]\nagp = "${agp}"\ngson = "2.8.9"\n\n[libraries]\n`;

describe("the Android job's NDK and CMake version step (.github/workflows/e2e-devices.yml)", () => {
  it('outputs the pinned NDK, the AGP version and the two folders to cache', () => {
    expect(runStep({ [BUILD_GRADLE]: buildGradle('28.0.13004108'), [AGP_CATALOG]: catalog('8.13.1') })).toEqual({
      status: 0,
      stdout: '',
      output: 'ndk=28.0.13004108\nagp=8.13.1\nndk-dir=/sdk/ndk/28.0.13004108\ncmake-dir=/sdk/cmake\n',
    });
  });

  it('fails naming both files when the NDK is no longer pinned where it reads it', () => {
    expect(runStep({ [BUILD_GRADLE]: 'buildscript {}\n', [AGP_CATALOG]: catalog('8.12.0') })).toEqual({
      status: 1,
      stdout:
        "::error::Found no ndkVersion ('') in fixtures/sample-app/android/build.gradle or no agp ('8.12.0') in node_modules/@react-native/gradle-plugin/gradle/libs.versions.toml: update this step to read where React Native now pins them.\n",
      output: '',
    });
  });

  it('reads the installed template and Gradle plugin: each pins its version once, in the form the step reads', () => {
    const template = readFileSync(join(ROOT, TEMPLATE_BUILD_GRADLE), 'utf8');
    const plugin = readFileSync(join(ROOT, AGP_CATALOG), 'utf8');
    const ndk = [...template.matchAll(/^ *ndkVersion *= *"([^"]*)"/gm)].map((match) => match[1]);
    const agp = [...plugin.matchAll(/^agp *= *"([^"]*)"/gm)].map((match) => match[1]);
    expect([ndk.length, agp.length]).toEqual([1, 1]);
    expect(runStep({ [BUILD_GRADLE]: template, [AGP_CATALOG]: plugin })).toEqual({
      status: 0,
      stdout: '',
      output: `ndk=${ndk[0]}\nagp=${agp[0]}\nndk-dir=/sdk/ndk/${ndk[0]}\ncmake-dir=/sdk/cmake\n`,
    });
  });
});
