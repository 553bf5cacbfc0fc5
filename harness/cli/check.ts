import { failure, format } from '../internal/messages';
import type { Trace } from '../model';
import { renderTraceTree, verifySpans, type Problem, type Warning } from '../verify';
import { parseCommandLine, type OptionTable } from './command-line';
import { EXIT_DEFECTS, EXIT_OK, EXIT_UNUSABLE, type CliIo } from './io';
import { readSpanFiles } from './read-span-files';

const USAGE = 'Usage: tracehop check [--expect svc1,svc2,...] [--json] FILE...';
/** Bounds on the human output, so a dump full of broken traces still prints a readable amount. */
const MAX_TREES = 5;
const MAX_TREE_LINES = 200;

export interface CheckArgs {
  readonly files: string[];
  readonly expect?: string[];
  readonly json: boolean;
}

export type ParsedArgs = { ok: true; args: CheckArgs } | { ok: false; message: string } | { ok: 'help' };

const EXPECT_EXAMPLE = '--expect mobile-app,api-gateway,payment-api';

/** The `--expect` list: service names separated by single commas, none empty, not another option. */
function parseExpect(value: string | undefined): { ok: true; services: string[] } | { ok: false; message: string } {
  const usage = (cause: string): { ok: false; message: string } => ({
    ok: false,
    message: failure('check', cause, `Example: ${EXPECT_EXAMPLE}.`),
  });
  if (value === undefined || value.trim() === '')
    return usage('--expect needs a comma-separated list of service names');
  if (value.startsWith('-'))
    return usage(`--expect needs a comma-separated list of service names, but it is followed by the option "${value}"`);
  const services = value.split(',').map((name) => name.trim());
  const empty = services.indexOf('');
  if (empty !== -1) return usage(`--expect "${value}" has an empty service name at position ${empty + 1}`);
  // A repeated name is a typo: "a,a" would pass on any trace where a calls itself.
  const repeated = services.find((name, i) => services.indexOf(name) !== i);
  if (repeated !== undefined) return usage(`--expect "${value}" names "${repeated}" twice`);
  return { ok: true, services };
}

/** The options of `tracehop check`. */
export const CHECK_OPTIONS: OptionTable = {
  expect: { kind: 'value', missing: 'pass' },
  json: { kind: 'flag' },
};

/** `tracehop check` arguments: `--expect LIST` (once), `--json`, and one or more files. */
export function parseCheckArgs(argv: readonly string[]): ParsedArgs {
  const line = parseCommandLine(argv, CHECK_OPTIONS);
  if (!line.ok) {
    return {
      ok: false,
      message: failure('check', `there is no option "${line.arg}"`, 'Options are --expect and --json.'),
    };
  }
  if (line.help) return { ok: 'help' };
  let expect: string[] | undefined;
  let json = false;
  for (const option of line.value.options) {
    if (option.name === 'json') json = true;
    else if (option.name === 'expect') {
      if (expect)
        return { ok: false, message: failure('check', '--expect is given twice', `Give one list: ${EXPECT_EXAMPLE}.`) };
      const parsedList = parseExpect(option.value);
      if (!parsedList.ok) return parsedList;
      expect = parsedList.services;
    }
  }
  const files = [...line.value.positionals];
  if (files.length === 0)
    return {
      ok: false,
      message: failure('check', 'no files given', 'Pass one or more OTLP/JSON or JSON Lines files.'),
    };
  return { ok: true, args: expect ? { files, expect, json } : { files, json } };
}

/**
 * `tracehop check [--expect svc1,svc2,...] [--json] FILE...`: exit 0 without defects, 1 with defects,
 * 2 for unreadable input or usage errors (docs/ARCHITECTURE.md "Contracts between the layers").
 */
export async function runCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCheckArgs(argv);
  if (parsed.ok === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (!parsed.ok) {
    io.stderr(`${parsed.message}\n${USAGE}\n`);
    return EXIT_UNUSABLE;
  }
  const { files, expect, json } = parsed.args;

  const read = await readSpanFiles(files, io.cwd, 'check traces');
  if (!read.ok) {
    io.stderr(`${read.message}\n`);
    return EXIT_UNUSABLE;
  }
  const { spans } = read;

  const verdict = verifySpans(spans, expect ? { expect } : {});
  const code = verdict.problems.length > 0 ? EXIT_DEFECTS : EXIT_OK;
  io.stdout(
    json
      ? renderJson(verdict.traces.length, spans.length, verdict.problems, verdict.warnings)
      : renderHuman(verdict.traces, spans.length, verdict.problems, verdict.warnings, expect),
  );
  return code;
}

function renderJson(traces: number, spans: number, problems: readonly Problem[], warnings: readonly Warning[]): string {
  const body = {
    ok: problems.length === 0,
    traces,
    spans,
    problems: problems.map(({ kind, traceId, spanId, service, message }) => ({
      kind,
      traceId,
      spanId,
      service,
      message,
    })),
    warnings: warnings.map(({ kind, traceId, spanId, service, skewMs, message }) => ({
      kind,
      traceId,
      spanId,
      service,
      skewMs,
      message,
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function problemLine(problem: Problem): string {
  return `✗ ${problem.kind}: trace ${problem.traceId ?? '-'}, span ${problem.spanId ?? '-'}, service ${problem.service ?? '-'}: ${problem.message}`;
}

function warningLine(warning: Warning): string {
  return `! ${warning.kind} (warning): trace ${warning.traceId}, span ${warning.spanId}, service ${warning.service}: ${warning.message}`;
}

function renderHuman(
  traces: readonly Trace[],
  spanCount: number,
  problems: readonly Problem[],
  warnings: readonly Warning[],
  expect: readonly string[] | undefined,
): string {
  const out: string[] = [];
  const counts = `${plural(traces.length, 'trace')}, ${plural(spanCount, 'span')}`;
  const relevant = new Set<string | null>();
  for (const problem of problems) {
    relevant.add(problem.traceId);
    if (problem.kind === 'broken-chain') relevant.add(problem.lastTraceId ?? null);
  }
  const drawn = traces.filter((trace) => relevant.has(trace.traceId));
  for (const trace of drawn.slice(0, MAX_TREES))
    out.push(renderTraceTree(trace, problems, { maxLines: MAX_TREE_LINES }), '');
  if (drawn.length > MAX_TREES)
    out.push(
      `… ${plural(drawn.length - MAX_TREES, 'more trace')} with problems not drawn (--json lists every problem)`,
      '',
    );
  for (const problem of problems) out.push(problemLine(problem));
  for (const warning of warnings) out.push(warningLine(warning));
  if (problems.length > 0) {
    out.push(
      failure(
        'verify traces',
        `${plural(problems.length, 'problem')} in ${counts}`,
        'Each problem above names the hop that lost the trace context.',
      ),
    );
  } else {
    const chain = expect ? `; ${expect.join(' -> ')} run in one trace` : '';
    out.push(
      format(
        `OK: ${counts}, no problems${chain}${warnings.length > 0 ? ` (${plural(warnings.length, 'warning')})` : ''}.`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
