import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHECK_OPTIONS,
  INIT_OPTIONS,
  REPORT_OPTIONS,
  SERVE_OPTIONS,
  main,
  type CliIo,
  type OptionTable,
} from '../../harness/cli';
import { FAULT_NAMES } from '../../harness/model';
import { DUMP_FORMATS } from '../../harness/model/formats';

/**
 * What README.md says of the command line, held to the code: each command's `--help` names every option its
 * parser takes and no other, README names each of them, and README's tables list every dump format and every
 * fault, in the code's order.
 */
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

const COMMANDS: ReadonlyArray<[string, OptionTable]> = [
  ['check', CHECK_OPTIONS],
  ['serve', SERVE_OPTIONS],
  ['report', REPORT_OPTIONS],
  ['init', INIT_OPTIONS],
];

async function helpOf(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: () => undefined, env: {}, cwd: process.cwd() };
  const code = await main(argv, io);
  return { code, stdout };
}

/** The options a usage text names: `--name` and `-x`, each once. */
function optionsIn(usage: string): string[] {
  const long = [...usage.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((match) => `--${match[1]}`);
  const short = [...usage.matchAll(/(?<![\w-])-([a-zA-Z])(?![\w-])/g)].map((match) => `-${match[1]}`);
  return [...new Set([...long, ...short])].sort();
}

/** The options a parser table takes, as written on the command line (`--help`/`-h` aside: every command has them). */
function optionsOf(table: OptionTable): string[] {
  return Object.entries(table)
    .flatMap(([name, spec]) => [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])])
    .sort();
}

/** The first cell of each row of the README table whose header row starts with `header`. */
function firstColumn(header: string): string[] {
  const start = README.indexOf(`\n${header}`);
  const rows: string[] = [];
  for (const line of README.slice(start + 1)
    .split('\n')
    .slice(2)) {
    if (!line.startsWith('|')) break;
    rows.push((line.split(' | ')[0] ?? '').replace(/^\| `|`$/g, ''));
  }
  return rows;
}

describe('README and --help against the parsers', () => {
  test.each(COMMANDS)(
    'tracehop %s --help names every option its parser takes, and no other',
    async (command, table) => {
      const { code, stdout } = await helpOf([command, '--help']);
      expect(code).toBe(0);
      expect(optionsIn(stdout)).toEqual(optionsOf(table));
    },
  );

  test.each(COMMANDS)('README names every option of tracehop %s', (_command, table) => {
    const missing = optionsOf(table).filter((option) => !new RegExp(`(?<![\\w-])${option}(?![\\w-])`).test(README));
    expect(missing).toEqual([]);
  });

  it('tracehop --help names every command', async () => {
    const { code, stdout } = await helpOf(['--help']);
    expect(code).toBe(0);
    const named = new Set([...stdout.matchAll(/^ {2}tracehop ([a-z-]+)/gm)].map((match) => match[1]));
    expect([...named]).toEqual([...COMMANDS.map(([command]) => command), '--version']);
  });

  it("README's --format table lists every dump format, in the order check --help gives them", async () => {
    const { stdout } = await helpOf(['check', '--help']);
    expect(firstColumn('| `--format` |')).toEqual([...DUMP_FORMATS]);
    expect(stdout).toContain(`[--format ${DUMP_FORMATS.join('|')}]`);
  });

  it("README's serve command line is tracehop serve --help's, word for word", async () => {
    const { stdout } = await helpOf(['serve', '--help']);
    expect(README).toContain(`npx ${stdout.replace(/^Usage: /, '').trim()}\n`);
  });

  it("README's fault table lists every fault once, in the code's order", () => {
    expect(firstColumn('| fault |')).toEqual([...FAULT_NAMES]);
  });
});
