/**
 * The Android job's step that reads the NDK version the generated app pins (ndkVersion in android/build.gradle) and
 * the CMake version generate-native.js pins (the cmake {} block of android/app/build.gradle), for the NDK and CMake
 * cache, and tells whether the runner image already has both. Run as GitHub runs it (bash -eo pipefail) in a folder
 * laid out like the checkout, with ANDROID_HOME in it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { scratchDir } from '../../harness/test-support/scratch-dir';

const ROOT = join(__dirname, '..', '..');
const BUILD_GRADLE = 'fixtures/sample-app/android/build.gradle';
const APP_BUILD_GRADLE = 'fixtures/sample-app/android/app/build.gradle';
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

/** Runs the step in a checkout-like folder holding `files`, with ANDROID_HOME=<folder>/sdk; `sdk` is written under it. */
function runStep(
  files: Record<string, string>,
  sdk: Record<string, string> = {},
): { status: number | null; stdout: string; output: string } {
  const dir = scratchDir('tracehop-native-tools-step-');
  const write = (file: string, text: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    if (file.endsWith('/bin/cmake')) chmodSync(file, 0o755);
  };
  for (const [file, text] of Object.entries(files)) write(join(dir, file), text);
  for (const [file, text] of Object.entries(sdk)) write(join(dir, 'sdk', file), text);
  const output = join(dir, 'github-output');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step?.run ?? 'exit 99'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANDROID_HOME: join(dir, 'sdk'), GITHUB_OUTPUT: output },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    output: existsSync(output) ? readFileSync(output, 'utf8').replaceAll(join(dir, 'sdk'), '$ANDROID_HOME') : '',
  };
}

const buildGradle = (ndk: string) =>
  `buildscript {\n    ext {\n        buildToolsVersion = "36.0.0"\n        ndkVersion = "${ndk}"\n        kotlinVersion = "2.1.20"\n    }\n}\n`;
/** The android {} block as generate-native.js leaves it. */
const appBuildGradle = (cmake: string) =>
  `android {\n    ndkVersion rootProject.ext.ndkVersion\n    externalNativeBuild {\n        cmake {\n            version "${cmake}"\n        }\n    }\n    defaultConfig {\n        versionCode 1\n        versionName "1.0"\n    }\n}\n`;

const project = { [BUILD_GRADLE]: buildGradle('28.0.13004108'), [APP_BUILD_GRADLE]: appBuildGradle('3.31.6') };
const outputs = (onImage: boolean) =>
  'ndk=28.0.13004108\ncmake=3.31.6\nndk-dir=$ANDROID_HOME/ndk/28.0.13004108\ncmake-dir=$ANDROID_HOME/cmake/3.31.6\n' +
  `on-image=${String(onImage)}\n`;
const failure = (ndk: string, cmake: string) => ({
  status: 1,
  stdout: `::error::Found no single ndkVersion ('${ndk}') in fixtures/sample-app/android/build.gradle or CMake version ('${cmake}') in the cmake {} block of fixtures/sample-app/android/app/build.gradle (generate-native.js writes it): update this step to read where they are pinned now.\n`,
  output: '',
});

describe("the Android job's NDK and CMake version step (.github/workflows/e2e-devices.yml)", () => {
  it('outputs the pinned NDK and CMake and exactly their two folders, to be cached when the image lacks them', () => {
    expect(runStep(project, { 'cmake/3.22.1/bin/cmake': '', 'ndk/27.1.12297006/source.properties': '' })).toEqual({
      status: 0,
      stdout: '',
      output: outputs(false),
    });
  });

  it('says the image has both when their folders are installed, so nothing is restored over them', () => {
    expect(runStep(project, { 'cmake/3.31.6/bin/cmake': '', 'ndk/28.0.13004108/source.properties': '' })).toEqual({
      status: 0,
      stdout: '',
      output: outputs(true),
    });
    expect(runStep(project, { 'ndk/28.0.13004108/source.properties': '' })).toEqual({
      status: 0,
      stdout: '',
      output: outputs(false),
    });
  });

  it('fails naming both files when a version is no longer pinned where it reads it, or pinned twice', () => {
    expect(runStep({ [BUILD_GRADLE]: 'buildscript {}\n', [APP_BUILD_GRADLE]: appBuildGradle('3.22.1') })).toEqual(
      failure('', '3.22.1'),
    );
    expect(runStep({ [BUILD_GRADLE]: buildGradle('27.1.12297006'), [APP_BUILD_GRADLE]: 'android {}\n' })).toEqual(
      failure('27.1.12297006', ''),
    );
    const twice = appBuildGradle('3.22.1').replace(
      '            version "3.22.1"\n',
      '            version "3.22.1"\n'.repeat(2),
    );
    expect(runStep({ [BUILD_GRADLE]: buildGradle('27.1.12297006'), [APP_BUILD_GRADLE]: twice })).toEqual(
      failure('27.1.12297006', '3.22.1\n3.22.1'),
    );
  });

  it("reads the installed template's ndkVersion: it is pinned once, in the form the step reads", () => {
    // The generated app/build.gradle's cmake {} block is read from the generated project: native-project.test.ts.
    const template = readFileSync(join(ROOT, TEMPLATE_BUILD_GRADLE), 'utf8');
    const ndk = [...template.matchAll(/^ *ndkVersion *= *"([^"]*)"/gm)].map((match) => match[1]);
    expect(ndk).toHaveLength(1);
    expect(runStep({ [BUILD_GRADLE]: template, [APP_BUILD_GRADLE]: appBuildGradle('3.22.1') }).output).toBe(
      `ndk=${ndk[0]}\ncmake=3.22.1\nndk-dir=$ANDROID_HOME/ndk/${ndk[0]}\ncmake-dir=$ANDROID_HOME/cmake/3.22.1\non-image=false\n`,
    );
  });
});
