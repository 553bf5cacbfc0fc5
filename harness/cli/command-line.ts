import { parseArgs } from 'node:util';
import { failure } from '../internal/messages';
import { nearestName } from '../internal/nearest-name';
import type { Failure } from '../internal/result';

/**
 * One command-line syntax for every `tracehop` command, on top of `node:util` `parseArgs`: `--name value`,
 * `--name=value`, short flags standing alone (`-o DIR`; never grouped or glued to a value), `--` ending the
 * options, and `-h`/`--help` anywhere. Each command
 * describes its options in a table and turns the generic failures below into its own messages.
 */

/** How one option is written. */
export interface OptionSpec {
  /**
   * `flag`: takes no value (`--json`). `value`: takes one value (`--out DIR`, `--out=DIR`). `list`: starts a
   * list made of the arguments that follow it, up to the next option (`--merge a.json b.json`; `--merge=a.json`
   * gives the first item inline).
   */
  readonly kind: 'flag' | 'value' | 'list';
  /** One-letter alias, written `-x`. */
  readonly short?: string;
  /**
   * `value` options only. `error` (the default): a missing value, an empty one, or the next option in its
   * place is a `missing-value` failure. `pass`: the command's own parser gets whatever came (even undefined)
   * and says what is wrong with it in its own words.
   */
  readonly missing?: 'error' | 'pass';
}

/** A command's options by long name (without the dashes). `help` (`-h`, `--help`) is always there. */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** One option as given, in command-line order. */
export interface GivenOption {
  /** Long name from the table, e.g. `out`. */
  readonly name: string;
  /** As written: `--out` or `-o`. */
  readonly flag: string;
  /** The value (`value` options; `list` options given one inline); undefined for flags. */
  readonly value: string | undefined;
}

export interface CommandLine {
  /** Every option as given, in order (repeats kept). */
  readonly options: readonly GivenOption[];
  /** Arguments that belong to no `list` option. */
  readonly positionals: readonly string[];
  /** The arguments each `list` option collected, by long name (every list option of the table is present). */
  readonly lists: Readonly<Record<string, readonly string[]>>;
}

/**
 * A usage error: `arg` is the argument as written (`--json=1`), `flag` the option's name in it (`--json`);
 * `message` is the cause in plain words, for the command's "Failed to ..." message.
 */
export type CommandLineFailure = Failure<'unknown-option' | 'missing-value' | 'unexpected-value'> & {
  readonly arg: string;
  readonly flag: string;
};

/**
 * A command's usage error, worded whole ("[tracehop] Failed to check: ..."): the command exits 2. Every
 * command's argument parser fails with this one reason; the message says what is wrong.
 */
export type UsageFailure = Failure<'usage'>;

/** The usage failure whose message is `message`. */
export function usageFailure(message: string): UsageFailure {
  return { ok: false, reason: 'usage', message };
}

export type CommandLineResult =
  | { readonly ok: true; readonly help: true }
  | { readonly ok: true; readonly help: false; readonly value: CommandLine }
  | CommandLineFailure;

/**
 * For commands that take file names: what to add when an argument that is no option may be a file name
 * (a single dash, or a dot or slash in a "--" name): "" for a mistyped option such as "--jsn".
 */
export function fileNameHint(arg: string): string {
  const name = arg.split('=')[0] ?? arg;
  const fileLike = /^-[^-]/.test(arg) || (arg.startsWith('--') && /[./]/.test(name));
  return fileLike ? ' (put "--" before a file name that starts with "-")' : '';
}

/**
 * The options a usage error names, from `table` in its order: "Options are --a, --b and --c." ("The only
 * option is --a." for one); a short alias follows its option ("--out (-o)"). `unlisted`: old names kept working.
 */
export function optionsHint(table: OptionTable, unlisted: readonly string[] = []): string {
  const names = Object.entries(table)
    .filter(([name]) => !unlisted.includes(name))
    .map(([name, spec]) => (spec.short ? `--${name} (-${spec.short})` : `--${name}`));
  if (names.length === 1) return `The only option is ${names[0] ?? ''}.`;
  return `Options are ${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}.`;
}

/**
 * What every command says of an argument that is none of its options (`arg`: a mistyped option, or a word where
 * the command takes no file): one wording for check, init, serve and report. `fileNames`: the command takes
 * file names, so one that starts with "-" gets the hint to put "--" before it.
 */
function noOptionCause(arg: string, fileNames: boolean): string {
  return `there is no option "${arg}"${fileNames ? fileNameHint(arg) : ''}`;
}

/**
 * The cause of a command-line failure in every command's words: a parse failure's own message, but an unknown
 * option worded by {@link noOptionCause}.
 */
export function commandLineCause(line: CommandLineFailure, fileNames: boolean): string {
  // "-abc" and "-o=DIR" carry their own hint (short options stand alone).
  const plain = line.reason === 'unknown-option' && line.message === `there is no option "${line.arg}"`;
  return plain ? noOptionCause(line.arg, fileNames) : line.message;
}

/**
 * ' (did you mean "--json"?)' for a long option `flag` (as written, without its value) that misspells one of
 * `table`'s or --help; "" for any other.
 */
export function optionGuess(flag: string, table: OptionTable): string {
  if (!flag.startsWith('--')) return '';
  const nearest = nearestName(flag.slice(2), [...Object.keys(table), 'help']);
  return nearest === undefined ? '' : ` (did you mean "--${nearest}"?)`;
}

/** Parses `args` against `table`. Never throws: every usage error is a failure naming the argument. */
export function parseCommandLine(args: readonly string[], table: OptionTable): CommandLineResult {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(table)) {
    options[name] = {
      type: spec.kind === 'value' ? 'string' : 'boolean',
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  // strict: false keeps unknown options and odd values as tokens, so each gets our own message instead of
  // parseArgs' exception text.
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });

  // Help only as written alone: "-hourly.jsonl" is a file name that needed "--", not -h -o urly.jsonl.
  const asHelp = (arg: string | undefined): boolean => arg === '-h' || arg === '--help' || !!arg?.startsWith('--help=');
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help' && asHelp(args[token.index])))
    return { ok: true, help: true };

  const given: GivenOption[] = [];
  const positionals: string[] = [];
  const lists: Record<string, string[]> = {};
  for (const [name, spec] of Object.entries(table)) if (spec.kind === 'list') lists[name] = [];
  let list: string[] | undefined;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      (list ?? positionals).push(token.value);
      continue;
    }
    const spec = Object.prototype.hasOwnProperty.call(table, token.name) ? table[token.name] : undefined;
    const raw = args[token.index] ?? token.rawName;
    if (!raw.startsWith('--') && raw.length > 2) {
      // parseArgs reads "-abc" as -a -b -c and "-o=DIR" as -o with "=DIR": neither is what anyone meant.
      return {
        ok: false,
        reason: 'unknown-option',
        arg: raw,
        flag: token.rawName,
        message: `there is no option "${raw}" (short options stand alone, as in "-o DIR"; put "--" before a file name that starts with "-")`,
      };
    }
    const fail = (reason: CommandLineFailure['reason'], message: string): CommandLineFailure => ({
      ok: false,
      reason,
      arg: raw,
      flag: token.rawName,
      message,
    });
    if (!spec) return fail('unknown-option', `there is no option "${raw}"${optionGuess(token.rawName, table)}`);
    if (spec.kind === 'flag') {
      if (token.value !== undefined) return fail('unexpected-value', `${token.rawName} takes no value`);
      given.push({ name: token.name, flag: token.rawName, value: undefined });
      list = undefined;
      continue;
    }
    if (spec.kind === 'list') {
      list = lists[token.name];
      if (token.value !== undefined) list?.push(token.value);
      given.push({ name: token.name, flag: token.rawName, value: token.value });
      continue;
    }
    const value = token.value;
    const missing = value === undefined || value === '' || (!token.inlineValue && value.startsWith('-'));
    if (missing && spec.missing !== 'pass') return fail('missing-value', `${token.rawName} needs a value`);
    given.push({ name: token.name, flag: token.rawName, value });
    list = undefined;
  }
  return { ok: true, help: false, value: { options: given, positionals, lists } };
}

/** How a command that takes no positional arguments words a command line it cannot read. */
export interface CommandWords {
  /** What failed, as in "Failed to <action>: ...". */
  readonly action: string;
  /** The usage, printed on the line after the failure. */
  readonly usage: string;
  /** Whether its options take file names (an argument starting with "-" gets the hint to put "--" first). */
  readonly fileNames: boolean;
  /** Options it still reads but does not offer (an old name). */
  readonly unlisted?: readonly string[];
}

/**
 * Parses the command line of a command that takes no positional arguments (init, serve, report). A failure, or a
 * word that is no option, is a usage failure in every such command's words: the cause, the options there are,
 * then the usage on a line of its own. Never throws.
 */
export function readCommandLine(
  args: readonly string[],
  table: OptionTable,
  words: CommandWords,
):
  | { readonly ok: true; readonly help: true }
  | { readonly ok: true; readonly help: false; readonly value: CommandLine }
  | UsageFailure {
  const refuse = (cause: string): UsageFailure =>
    usageFailure(`${failure(words.action, cause, optionsHint(table, words.unlisted))}\n${words.usage}`);
  const line = parseCommandLine(args, table);
  if (!line.ok) return refuse(commandLineCause(line, words.fileNames));
  if (line.help) return line;
  const [stray] = line.value.positionals;
  return stray === undefined ? line : refuse(noOptionCause(stray, words.fileNames));
}
