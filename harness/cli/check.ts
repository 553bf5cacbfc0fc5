import { resolve } from 'node:path';
import { failure, format } from '../internal/messages';
import { shortId, type Trace, type TraceId } from '../model';
import { respell, respellJourneys, serviceSpellings, spellingNote } from './chain-spelling';
import type { JourneySpec } from '../report';
// The verifier and the tree renderer alone, not the verify barrel: it would load the capture checks and the
// journey reports too (a fifth of the modules \`tracehop check\` loads at start-up), which check never runs.
import { verifySpans } from '../verify/verify';
import { renderTraceTree } from '../verify/render-tree';
import type { Problem, RunVerdict, UnsettledJourneys, VerifyOptions, Warning } from '../verify';
import {
  commandLineCause,
  optionsHint,
  parseCommandLine,
  usageFailure,
  type OptionTable,
  type UsageFailure,
} from './command-line';
import { EXIT_DEFECTS, EXIT_OK, EXIT_UNUSABLE, type CliIo } from './io';
import { parseFormatOption, readSpanFiles, spansLeftOut } from './read-span-files';
import type { DumpFormat } from '../model/formats';

const USAGE =
  'Usage: tracehop check [--expect svc1,svc2,... | --journeys FILE [--journey NAME]] [--accept-links] ' +
  '[--skew-tolerance MS] [--max-trees N] ' +
  '[--format otlp-json|otlp-proto|jaeger|zipkin|go-stdouttrace|python-console|js-console] [--json] FILE...';
/** Bounds on the human output, so a dump full of broken runs still prints a readable amount. */
const DEFAULT_MAX_TREES = 3;
const MAX_TREE_LINES = 200;
/** Traces named after a problem that stands for many like it. */
const MAX_LISTED_TRACES = 3;

export interface CheckArgs {
  readonly files: string[];
  readonly expect?: string[];
  readonly journeysFile?: string;
  readonly journey?: string;
  readonly acceptLinks: boolean;
  readonly skewToleranceMs?: number;
  readonly maxTrees: number;
  readonly json: boolean;
  readonly format?: DumpFormat;
}

type Usage = UsageFailure;
export type ParsedArgs = { ok: true; args: CheckArgs } | Usage | { ok: 'help' };

const EXPECT_EXAMPLE = '--expect mobile-app,api-gateway,payment-api';

const usage = (cause: string, hint: string): Usage => usageFailure(failure('check', cause, hint));

/** The `--expect` list: service names separated by single commas, none empty, not another option. */
function parseExpect(value: string | undefined): { ok: true; value: string[] } | Usage {
  const hint = `Example: ${EXPECT_EXAMPLE}.`;
  if (value === undefined || value.trim() === '')
    return usage('--expect needs a comma-separated list of service names', hint);
  if (value.startsWith('-'))
    return usage(
      `--expect needs a comma-separated list of service names, but it is followed by the option "${value}"`,
      hint,
    );
  const services = value.split(',').map((name) => name.trim());
  const empty = services.indexOf('');
  if (empty !== -1) return usage(`--expect "${value}" has an empty service name at position ${empty + 1}`, hint);
  // A repeated name is a typo: "a,a" would pass on any trace where a calls itself.
  const repeated = services.find((name, i) => services.indexOf(name) !== i);
  if (repeated !== undefined) return usage(`--expect "${value}" names "${repeated}" twice`, hint);
  return { ok: true, value: services };
}

/** A value that must follow its option and must not be another option. */
function optionValue(
  option: string,
  value: string | undefined,
  what: string,
  example: string,
): { ok: true; value: string } | Usage {
  if (value === undefined || value === '' || value.startsWith('--'))
    return usage(
      `${option} needs ${what}${value?.startsWith('--') ? `, but it is followed by the option "${value}"` : ''}`,
      `Example: ${option} ${example}.`,
    );
  return { ok: true, value };
}

/** A number option: `integer` for counts, otherwise any finite number; never negative. */
function numberValue(
  option: string,
  text: string,
  integer: boolean,
  example: string,
): { ok: true; value: number } | Usage {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value)))
    return usage(
      `${option} "${text}" is not a ${integer ? 'whole number' : 'number'} of zero or more`,
      `Example: ${option} ${example}.`,
    );
  return { ok: true, value };
}

/** The options of `tracehop check`: values are checked here, in check's own words. */
export const CHECK_OPTIONS: OptionTable = {
  expect: { kind: 'value', missing: 'pass' },
  journeys: { kind: 'value', missing: 'pass' },
  journey: { kind: 'value', missing: 'pass' },
  'accept-links': { kind: 'flag' },
  'skew-tolerance': { kind: 'value', missing: 'pass' },
  'max-trees': { kind: 'value', missing: 'pass' },
  format: { kind: 'value', missing: 'pass' },
  json: { kind: 'flag' },
};

/** Said on stderr when a check with neither --expect nor --journeys finds no problem. */
const NO_CHAIN_NOTE =
  'Note: no --expect or --journeys was given, so each trace was judged on its own: a hop that started a new trace (traceparent lost) or a service that never ran is not found that way. Pass --expect svc1,svc2,... or --journeys FILE to judge each run along its chain.';

/** `tracehop check` arguments (see USAGE): each value option at most once, and one or more files. */
export function parseCheckArgs(argv: readonly string[]): ParsedArgs {
  const line = parseCommandLine(argv, CHECK_OPTIONS);
  if (!line.ok)
    // "--json=1" names an option there is: that it takes no value is what is wrong, as init says of --dry-run=yes.
    return line.reason === 'unexpected-value'
      ? usage(line.message, `Write ${line.flag} alone.`)
      : usage(commandLineCause(line, true), optionsHint(CHECK_OPTIONS));
  if (line.help) return { ok: 'help' };
  let expect: string[] | undefined;
  let journeysFile: string | undefined;
  let journey: string | undefined;
  let skewToleranceMs: number | undefined;
  let maxTrees = DEFAULT_MAX_TREES;
  let acceptLinks = false;
  let json = false;
  let format: DumpFormat | undefined;
  const given = new Set<string>();
  for (const option of line.value.options) {
    const name = `--${option.name}`;
    if (option.name === 'json') json = true;
    else if (option.name === 'accept-links') acceptLinks = true;
    else if (given.has(name))
      return name === '--expect'
        ? usage('--expect is given twice', `Give one list: ${EXPECT_EXAMPLE}.`)
        : usage(`${name} is given twice`, 'Give it once.');
    else if (option.name === 'expect') {
      const parsedList = parseExpect(option.value);
      if (!parsedList.ok) return parsedList;
      expect = parsedList.value;
    } else if (option.name === 'format') {
      const parsedFormat = parseFormatOption(option.value, 'check');
      if (!parsedFormat.ok) return parsedFormat;
      format = parsedFormat.value;
    } else if (option.name === 'journeys') {
      const value = optionValue(name, option.value, 'the path of a journeys file', 'fixtures/journeys.json');
      if (!value.ok) return value;
      journeysFile = value.value;
    } else if (option.name === 'journey') {
      const value = optionValue(name, option.value, 'the name of a declared journey', 'checkout');
      if (!value.ok) return value;
      journey = value.value;
    } else {
      const integer = option.name === 'max-trees';
      const example = integer ? '10' : '5';
      const value = optionValue(
        name,
        option.value,
        integer ? 'a number of trees' : 'a number of milliseconds',
        example,
      );
      if (!value.ok) return value;
      const parsedNumber = numberValue(name, value.value, integer, example);
      if (!parsedNumber.ok) return parsedNumber;
      if (integer) maxTrees = parsedNumber.value;
      else skewToleranceMs = parsedNumber.value;
    }
    given.add(name);
  }
  // One service is no chain: every trace holding it would pass, as a journey without a hop would (the journeys
  // file and journey() refuse those too).
  if (expect && expect.length < 2)
    return usage(
      `--expect "${expect.join(',')}" names one service, so it has no hop to check and would pass any trace`,
      `Name the chain's services in call order, at least two: ${EXPECT_EXAMPLE}.`,
    );
  if (expect && journeysFile)
    return usage(
      '--expect and --journeys are both given',
      'Give one: a chain, or a journeys file with a chain per journey.',
    );
  if (journey !== undefined && !journeysFile)
    return usage('--journey needs --journeys', 'Example: --journeys fixtures/journeys.json --journey checkout.');
  const files = [...line.value.positionals];
  if (files.length === 0)
    return usage(
      'no files given',
      "Pass one or more dumps: OTLP/JSON (a document or JSON Lines), OTLP protobuf, Jaeger JSON, Zipkin JSON, or the spans OpenTelemetry Go's stdouttrace or Python's or JS's ConsoleSpanExporter printed.",
    );
  return {
    ok: true,
    args: {
      files,
      ...(expect ? { expect } : {}),
      ...(journeysFile !== undefined ? { journeysFile } : {}),
      ...(journey !== undefined ? { journey } : {}),
      acceptLinks,
      ...(skewToleranceMs !== undefined ? { skewToleranceMs } : {}),
      maxTrees,
      json,
      ...(format ? { format } : {}),
    },
  };
}

/** Chain label of a summary line: the journey's name and chain, or the `--expect` chain. */
interface ChainLabel {
  readonly journey: string | null;
  readonly chain: readonly string[];
}

/**
 * `tracehop check [--expect ... | --journeys FILE [--journey NAME]] [...] FILE...`: exit 0 without defects,
 * 1 with defects, 2 for unreadable input, usage errors, a dump that holds nothing to verify, or one with no
 * defects whose trace store answers left spans out (docs/ARCHITECTURE.md "Contracts between the layers").
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
  const args = parsed.args;

  let journeys: JourneySpec[] = [];
  /** Every journey the file declares (`journeys` is the one --journey picks). */
  let declared: JourneySpec[] = [];
  // The report module is loaded only for --journeys: a plain check must not pay for it.
  const report = args.journeysFile !== undefined ? await import('../report') : undefined;
  if (report && args.journeysFile !== undefined) {
    const path = resolve(io.cwd, args.journeysFile);
    const loaded = await report.loadJourneys(path);
    if (!loaded.ok) {
      io.stderr(`${loaded.message.split(path).join(args.journeysFile)}\n`);
      return EXIT_UNUSABLE;
    }
    journeys = loaded.value;
    declared = loaded.value;
    if (args.journey !== undefined) {
      const picked = journeys.filter((journey) => journey.name === args.journey);
      if (picked.length === 0) {
        io.stderr(
          `${failure('check', `"${args.journeysFile}" declares no journey "${args.journey}"`, `Declared: ${journeys.map((j) => j.name).join(', ')}.`)}\n`,
        );
        return EXIT_UNUSABLE;
      }
      journeys = picked;
    }
  }

  const read = await readSpanFiles(args.files, io.cwd, 'check traces', args.format, io.env, (note) =>
    io.stderr(`${note}\n`),
  );
  if (!read.ok) {
    io.stderr(`${read.message}\n`);
    return EXIT_UNUSABLE;
  }
  for (const note of read.notes) io.stderr(`${note}\n`);
  let { spans } = read;

  // A chain name the dump spells in another case (Zipkin lower-cases service names) is checked as spelt there.
  const spellings = serviceSpellings(spans);
  let expect = args.expect;
  if (expect) {
    const respelt = respell(expect, spellings);
    expect = respelt.chain;
    for (const [name, spelling] of respelt.changed) io.stderr(`${spellingNote('--expect names', name, spelling)}\n`);
  }
  if (journeys.length > 0 && args.journeysFile !== undefined) {
    const respelt = respellJourneys(journeys, spellings, args.journeysFile);
    journeys = respelt.journeys;
    for (const note of respelt.notes) io.stderr(`${note}\n`);
  }

  const options: VerifyOptions = {
    ...(expect ? { expect } : {}),
    ...(args.acceptLinks ? { acceptLinks: true } : {}),
    ...(args.skewToleranceMs !== undefined ? { skewToleranceMs: args.skewToleranceMs } : {}),
  };
  const labels: ChainLabel[] = expect ? [{ journey: null, chain: expect }] : [];
  if (report) {
    // Which declared journeys each trace names; --journey judges only its own traces and those naming none.
    const undeclared = report.undeclaredJourneysNote(
      report.undeclaredJourneyNames(declared, spans),
      args.journeysFile ?? '',
    );
    if (undeclared !== undefined) io.stderr(`${format(undeclared)}\n`);
    let owners = report.journeysByTrace(declared, spans);
    if (args.journey !== undefined) {
      const picked = args.journey;
      spans = spans.filter((span) => owners.get(span.traceId)?.has(picked) ?? true);
      owners = new Map([...owners].filter(([, names]) => names.has(picked)));
    }
    if (owners.size === 0) {
      const names = journeys.map((journey) => `"${journey.name}"`).join(', ');
      io.stderr(
        `${failure('check journeys', `no trace in the dump names ${journeys.length === 1 ? 'journey' : 'any of the journeys'} ${names} (attributes ${report.JOURNEY_ATTRIBUTES.join(', ')}, or a root span named after the journey), so no run can be judged`, "Tag each journey's root span with tracehop.journey.")}\n`,
      );
      return EXIT_UNUSABLE;
    }
    Object.assign(options, { journeys: report.journeyChains(journeys, owners) });
    for (const journey of journeys) labels.push({ journey: journey.name, chain: journey.chain });
  }

  const verdict = verifySpans(spans, options);
  // A trace store's answer that left spans out (Tempo's PARTIAL trace) cannot prove a pass: a hop in the spans
  // it left out is not judged. Problems found are still defects (the note says which may be its doing).
  const incomplete = read.incomplete;
  const code = verdict.problems.length > 0 ? EXIT_DEFECTS : incomplete > 0 ? EXIT_UNUSABLE : EXIT_OK;
  // With no chain, a hop that lost traceparent leaves two sound traces: a pass here must say what it did not judge.
  if (code === EXIT_OK && !expect && !report) io.stderr(`${format(NO_CHAIN_NOTE)}\n`);
  if (verdict.unsettled) io.stderr(`${format(verdict.unsettled.message)}\n`);
  // Spans as judged: a span re-sent identical counts once (its duplicate-export warning says how often).
  let judged = 0;
  for (let i = 0; i < verdict.traces.length; i++) judged += (verdict.traces[i] as Trace).spans.length;
  const unproven = code === EXIT_UNUSABLE ? incompleteFailure(verdict.traces.length, judged, incomplete) : undefined;
  io.stdout(
    args.json
      ? renderJson(verdict.traces.length, judged, verdict, incomplete)
      : renderHuman(
          verdict.traces,
          judged,
          verdict,
          labels,
          args.maxTrees,
          args.acceptLinks && startsByLink(verdict.traces),
          unproven,
        ),
  );
  // --json says it in "ok" and "incompleteAnswers"; a CI log says why the check did not pass.
  if (args.json && unproven !== undefined) io.stderr(`${unproven}\n`);
  return code;
}

/**
 * Why a check with no problems does not pass: `incomplete` answers of a trace store left spans out, and a hop in
 * those is not judged.
 */
function incompleteFailure(traces: number, spans: number, incomplete: number): string {
  return failure(
    'verify traces',
    `${plural(traces, 'trace')}, ${plural(spans, 'span')} read with no problems, but ${spansLeftOut(incomplete)}`,
    'Fetch those traces whole, as the note says, and check them again.',
  );
}

function renderJson(
  traces: number,
  spans: number,
  verdict: {
    problems: readonly Problem[];
    warnings: readonly Warning[];
    runs: readonly RunVerdict[];
    unsettled?: UnsettledJourneys | undefined;
  },
  incomplete: number,
): string {
  const { problems, warnings, runs, unsettled } = verdict;
  const body = {
    ok: problems.length === 0 && incomplete === 0,
    traces,
    spans,
    problems: problems.map(({ kind, traceId, spanId, service, message }) => ({
      kind,
      traceId,
      spanId,
      service,
      message,
    })),
    warnings: warnings.map((warning) =>
      warning.kind === 'clock-skew'
        ? {
            kind: warning.kind,
            traceId: warning.traceId,
            spanId: warning.spanId,
            service: warning.service,
            skewMs: warning.skewMs,
            message: warning.message,
          }
        : {
            kind: warning.kind,
            traceId: warning.traceId,
            spanId: warning.spanId,
            service: warning.service,
            count: warning.count,
            message: warning.message,
          },
    ),
    ...(unsettled ? { unsettled: { journeys: unsettled.journeys, message: unsettled.message } } : {}),
    // Answers of a trace store that left spans out: "ok" is false even with no problems.
    ...(incomplete > 0 ? { incompleteAnswers: incomplete } : {}),
  };
  // One run a line: a dump of 50,000 runs stays a few MB, and each run reads as one record.
  const head = JSON.stringify(body, null, 2).slice(0, -2);
  if (runs.length === 0) return `${head},\n  "runs": []\n}\n`;
  const lines = new Array<string>(runs.length);
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i] as RunVerdict;
    lines[i] =
      `    {"traceId": "${run.traceId}", "journey": ${JSON.stringify(run.journey)}, "ok": ${run.ok}, "kinds": ${JSON.stringify(run.kinds)}}`;
  }
  return `${head},\n  "runs": [\n${lines.join(',\n')}\n  ]\n}\n`;
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

/** Problems alike but for ids and times (the same hop broken in many runs) group under one line. */
function likeness(kind: string, message: string): string {
  return `${kind} ${message.replace(/\b[0-9a-f]{8,32}\b/g, '#').replace(/\d+(\.\d+)?/g, '0')}`;
}

function groupAlike<T extends { kind: string; message: string }>(items: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = likeness(item.kind, item.message);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

/** `kind n, kind n` in order of first appearance. */
function kindCounts(kinds: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${kind} ${count}`).join(', ');
}

/** One line per chain: runs, broken runs, and the kinds that broke them. */
function summaryLine(label: ChainLabel, runs: readonly RunVerdict[]): string {
  const own = runs.filter((run) => run.journey === label.journey);
  const broken = own.filter((run) => !run.ok);
  const name = label.journey === null ? label.chain.join(' -> ') : `${label.journey} (${label.chain.join(' -> ')})`;
  if (own.length === 0) return `${name}: no runs`;
  const kinds = broken.length > 0 ? ` (${kindCounts(broken.flatMap((run) => run.kinds))})` : '';
  return `${name}: ${plural(own.length, 'run')}, ${broken.length === 0 ? 'none' : broken.length} broken${kinds}`;
}

function moreLike(group: ReadonlyArray<{ traceId: string | null }>): string {
  const traces = [...new Set(group.slice(1).map((item) => item.traceId ?? '-'))];
  const named = traces.slice(0, MAX_LISTED_TRACES).map((id) => shortId(id as TraceId));
  const rest = traces.length > MAX_LISTED_TRACES ? ` and ${traces.length - MAX_LISTED_TRACES} more` : '';
  return `  … and ${group.length - 1} more like it (trace${traces.length === 1 ? '' : 's'} ${named.join(', ')}${rest}; --json lists every one)`;
}

/**
 * Whether a trace's top service links to another trace (its top span, or a span of that service beneath, as
 * a pull consumer's): what --accept-links lets a run run across.
 */
function startsByLink(traces: readonly Trace[]): boolean {
  return traces.some((trace) => {
    const service = trace.roots[0]?.node.span.service;
    return trace.spans.some(
      (span) => span.service === service && (span.links?.some((link) => link.traceId !== trace.traceId) ?? false),
    );
  });
}

function renderHuman(
  traces: readonly Trace[],
  spanCount: number,
  verdict: { problems: readonly Problem[]; warnings: readonly Warning[]; runs: readonly RunVerdict[] },
  labels: readonly ChainLabel[],
  maxTrees: number,
  linked: boolean,
  unproven: string | undefined,
): string {
  const { problems, warnings, runs } = verdict;
  const counts = `${plural(traces.length, 'trace')}, ${plural(spanCount, 'span')}`;
  // Summary first, when there is more to say than the last line: a line per journey, or per chain with problems.
  const perJourney = labels.some((label) => label.journey !== null);
  const summary = perJourney || problems.length > 0 ? labels.map((label) => summaryLine(label, runs)) : [];
  if (problems.length > 0)
    summary.push(`${plural(problems.length, 'problem')}: ${kindCounts(problems.map((p) => p.kind))}`);
  if (warnings.length > 0 && problems.length > 0)
    summary.push(`${plural(warnings.length, 'warning')}: ${kindCounts(warnings.map((w) => w.kind))}`);

  const problemGroups = groupAlike(problems);
  // Trees: one example of each kind of problem first, then the others, up to maxTrees. A broken chain's two
  // sides (the trace it stopped in and the one the next service started) are drawn together or not at all:
  // the new trace alone would look like a run of its own.
  const relevant = new Set<string>();
  const units: string[][] = [];
  const unitOf = new Map<string, string[]>();
  const sides = (problem: Problem): void => {
    const ids = [problem.traceId, problem.kind === 'broken-chain' ? problem.lastTraceId : undefined];
    // A side already wanted (say, for an orphan) takes the other side into its own unit.
    let unit: string[] | undefined;
    for (const id of ids) if (id) unit ??= unitOf.get(id);
    const fresh = unit === undefined;
    unit ??= [];
    for (const id of ids) {
      if (!id || relevant.has(id)) continue;
      relevant.add(id);
      unit.push(id);
      unitOf.set(id, unit);
    }
    if (fresh && unit.length > 0) units.push(unit);
  };
  for (const group of problemGroups) if (group[0]) sides(group[0]);
  for (const problem of problems) sides(problem);
  // The first unit is drawn whole even past the limit (--max-trees 1 still shows both sides of a break);
  // a later one that does not fit gives way to smaller ones after it.
  const drawnIds = new Set<string>();
  for (const unit of units) {
    if (maxTrees === 0 || (drawnIds.size > 0 && drawnIds.size + unit.length > maxTrees)) continue;
    for (const id of unit) drawnIds.add(id);
  }
  const wanted = relevant;
  const body: string[] = [];
  for (const trace of traces) {
    if (drawnIds.has(trace.traceId)) body.push(renderTraceTree(trace, problems, { maxLines: MAX_TREE_LINES }), '');
  }
  if (wanted.size > drawnIds.size)
    body.push(
      `… ${plural(wanted.size - drawnIds.size, 'more trace')} with problems not drawn (--max-trees draws more; --json lists every problem)`,
      '',
    );
  for (const group of problemGroups) {
    if (!group[0]) continue;
    body.push(problemLine(group[0]));
    if (group.length > 1) body.push(moreLike(group));
  }
  // Re-sent spans come in whole batches: one line for all of them.
  const warningGroups = [
    ...groupAlike(warnings.filter((w) => w.kind !== 'duplicate-export')),
    warnings.filter((w) => w.kind === 'duplicate-export'),
  ];
  for (const group of warningGroups) {
    if (!group[0]) continue;
    body.push(warningLine(group[0]));
    if (group.length > 1) body.push(moreLike(group));
  }

  const out: string[] = [...summary];
  if (summary.length > 0 && body.length > 0) out.push('');
  for (const line of body) out.push(line);
  if (problems.length > 0) {
    out.push(
      failure(
        'verify traces',
        `${plural(problems.length, 'problem')} in ${counts}`,
        'Each problem above names the hop that lost the trace context.',
      ),
    );
  } else if (unproven !== undefined) {
    out.push(unproven);
  } else {
    const runCount = runs.length;
    // With --accept-links a run may go on in a trace its consumer started with a link: say so.
    const where = linked ? 'in one trace or across a span link (--accept-links)' : 'in one trace';
    const chain =
      labels.length === 1 && labels[0] && labels[0].journey === null
        ? `; ${labels[0].chain.join(' -> ')} run ${where}${runCount > 1 ? ` in each of ${runCount} runs` : ''}`
        : labels.length > 0
          ? `; ${plural(runCount, 'run')}, ${runCount === 1 ? 'complete' : 'each complete'} ${where}`
          : '';
    out.push(
      format(
        `OK: ${counts}, no problems${chain}${warnings.length > 0 ? ` (${plural(warnings.length, 'warning')})` : ''}.`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
