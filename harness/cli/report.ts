import { resolve } from 'node:path';
import { failure, format } from '../internal/messages';
import { readTextFile, type Failure } from '../internal/result';
import {
  checkThresholds,
  computeCoverage,
  evaluateGate,
  JOURNEY_ATTRIBUTES,
  loadJourneys,
  loadPreviousCoverage,
  mergeCoverage,
  namesAnyJourney,
  parseCoverageFile,
  percent,
  PLATFORMS,
  isPlatform,
  redactReport,
  runsFromSpans,
  undeclaredJourneyNames,
  undeclaredJourneysNote,
  writeReports,
  type CoverageInput,
  type CoverageReport,
  type Platform,
  type PreviousCoverage,
  type ReportInputReason,
  type ThresholdOptions,
} from '../report';
import { readCommandLine, usageFailure, type OptionTable, type UsageFailure } from './command-line';
import { EXIT_DEFECTS, EXIT_OK, EXIT_UNUSABLE, type CliIo } from './io';
import { parseFormatOption, readSpanFiles, spansLeftOut } from './read-span-files';
import { respellJourneys, serviceSpellings } from './chain-spelling';
import { notCoverage } from './not-coverage';
import type { DecodeReason } from '../model';
import type { DumpFormat } from '../model/formats';

/** A journey name as a journeys file allows it: no "__proto__", nothing a threshold object would swallow. */
const JOURNEY_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const JOURNEY_NAME_HINT =
  'Journey names are lowercase letters, digits, ".", "_" or "-", as in the journeys file: write checkout=0.8.';

const USAGE_HINT =
  'Usage: tracehop report --merge COVERAGE.json... -o DIR, or tracehop report --spans DUMP... [--format NAME] --journeys FILE -o DIR ' +
  '(-o is also --out; --otlp is the old name of --spans; ratios as 0.8 or 80%) ' +
  '[--previous COVERAGE.json] [--redact-headers a,b] [--suite-threshold 0..1] [--journey-threshold 0..1] [--journey-threshold NAME=0..1]... ' +
  '[--platform-threshold PLATFORM:suite=0..1] [--platform-threshold PLATFORM:journey=0..1] [--platform-threshold PLATFORM:NAME=0..1]...';

export interface ReportArgs {
  readonly merge: string[];
  /** Trace dumps (`--spans`, or its old name `--otlp`). */
  readonly spans: string[];
  readonly format?: DumpFormat;
  readonly journeys?: string;
  readonly out?: string;
  readonly previous?: string;
  readonly redactHeaders: string[];
  readonly thresholds: ThresholdOptions;
}

function parseThreshold(flag: string, text: string | undefined): { ok: true; value: number } | UsageFailure {
  // Number('') is 0 and Number('0x1') is 1: only plain decimals, optionally as a percentage, are ratios.
  const plain = text !== undefined && /^(?:\d+(?:\.\d*)?|\.\d+)%?$/.test(text);
  const value = !plain ? NaN : text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    return usageFailure(
      failure(`read ${flag}`, `"${text ?? ''}" is not a ratio between 0 and 1`, 'Write it as 0.8 or 80%.'),
    );
  }
  return { ok: true, value };
}

/** The options of `tracehop report`. Thresholds pass a missing value on: their parser names it. */
export const REPORT_OPTIONS: OptionTable = {
  merge: { kind: 'list' },
  spans: { kind: 'list' },
  otlp: { kind: 'list' }, // the old name of --spans, kept as an alias
  format: { kind: 'value' },
  journeys: { kind: 'value' },
  out: { kind: 'value', short: 'o' },
  previous: { kind: 'value' },
  'redact-headers': { kind: 'value' },
  'suite-threshold': { kind: 'value', missing: 'pass' },
  'journey-threshold': { kind: 'value', missing: 'pass' },
  'platform-threshold': { kind: 'value', missing: 'pass' },
};

export type ReportArgsResult = { ok: true; value: ReportArgs } | UsageFailure | { ok: 'help' };

/** `tracehop report` arguments; see USAGE_HINT. */
export function parseReportArgs(args: readonly string[]): ReportArgsResult {
  const fail = usageFailure;
  const line = readCommandLine(args, REPORT_OPTIONS, {
    action: 'read the report arguments',
    usage: USAGE_HINT,
    fileNames: true,
    // --otlp, the old name of --spans, still works but is not offered.
    unlisted: ['otlp'],
  });
  if (!line.ok) return line;
  if (line.help) return { ok: 'help' };
  const merge = [...(line.value.lists.merge ?? [])];
  const spans = [...(line.value.lists.spans ?? []), ...(line.value.lists.otlp ?? [])];
  let dumpFormat: DumpFormat | undefined;
  const redactHeaders: string[] = [];
  let journeys: string | undefined;
  let out: string | undefined;
  let previous: string | undefined;
  const thresholds: {
    suite?: number;
    journey?: number;
    journeys: Record<string, number>;
    platforms?: Partial<Record<Platform, { suite?: number; journey?: number; journeys?: Record<string, number> }>>;
  } = { journeys: {} };
  // A value given twice was once taken silently from the last: "-o a -o b" wrote to b, two --journeys files
  // judged the dump against the second. Each value (a threshold per journey or platform key) is given once.
  const given = new Set<string>();
  const twice = (key: string, what: string): ReportArgsResult | undefined => {
    if (!given.has(key)) {
      given.add(key);
      return undefined;
    }
    return fail(failure('read the report arguments', `${what} is given twice`, 'Give it once.'));
  };
  for (const { name, flag, value } of line.value.options) {
    const once = ['format', 'journeys', 'out', 'previous', 'suite-threshold'].includes(name)
      ? twice(name, name === 'out' ? '-o (--out)' : `--${name}`)
      : undefined;
    if (once) return once;
    switch (name) {
      case 'format': {
        const parsed = parseFormatOption(value, 'read the report arguments');
        if (!parsed.ok) return parsed;
        dumpFormat = parsed.value;
        break;
      }
      case 'journeys':
        journeys = value;
        break;
      case 'out':
        out = value;
        break;
      case 'previous':
        previous = value;
        break;
      case 'redact-headers':
        redactHeaders.push(...(value ?? '').split(',').filter(Boolean));
        break;
      case 'suite-threshold': {
        const parsed = parseThreshold(flag, value);
        if (!parsed.ok) return parsed;
        thresholds.suite = parsed.value;
        break;
      }
      case 'journey-threshold': {
        // "0.8" sets every journey's threshold; "checkout=0.8" sets one journey's (repeatable).
        const text = value ?? '';
        const eq = text.indexOf('=');
        const journey = eq >= 0 ? text.slice(0, eq).trim() : undefined;
        if (journey === '')
          return fail(
            failure(
              `read ${flag}`,
              `"${text}" names no journey before "="`,
              'Write it as checkout=0.8, or 0.8 for every journey.',
            ),
          );
        if (journey !== undefined && !JOURNEY_NAME.test(journey))
          return fail(failure(`read ${flag}`, `"${journey}" is not a journey name`, JOURNEY_NAME_HINT));
        const parsed = parseThreshold(
          journey === undefined ? flag : `${flag} ${journey}`,
          eq >= 0 ? text.slice(eq + 1) : text,
        );
        if (!parsed.ok) return parsed;
        const repeated = twice(`journey:${journey ?? ''}`, journey === undefined ? flag : `${flag} ${journey}`);
        if (repeated) return repeated;
        if (journey === undefined) thresholds.journey = parsed.value;
        else thresholds.journeys[journey] = parsed.value;
        break;
      }
      case 'platform-threshold': {
        // "android:suite=0.8", "android:journey=0.9" (every journey on android), "android:checkout=0.66" (repeatable).
        const text = value ?? '';
        const match = /^([^:=]*):([^=]*)=(.*)$/.exec(text);
        const hint = `Write it as android:suite=0.8, android:journey=0.9 or android:checkout=0.66 (platforms: ${PLATFORMS.join(', ')}).`;
        if (!match) return fail(failure(`read ${flag}`, `"${text}" is not PLATFORM:suite|journey|NAME=RATIO`, hint));
        const [, platform = '', key = '', ratio] = match;
        if (!isPlatform(platform)) return fail(failure(`read ${flag}`, `"${platform}" is not a platform`, hint));
        if (key === '') return fail(failure(`read ${flag}`, `"${text}" names no journey`, hint));
        if (!JOURNEY_NAME.test(key))
          return fail(failure(`read ${flag}`, `"${key}" is not a journey name`, JOURNEY_NAME_HINT));
        const parsed = parseThreshold(`${flag} ${platform}:${key}`, ratio);
        if (!parsed.ok) return parsed;
        const repeated = twice(`platform:${platform}:${key}`, `${flag} ${platform}:${key}`);
        if (repeated) return repeated;
        const own = ((thresholds.platforms ??= {})[platform] ??= {});
        if (key === 'suite') own.suite = parsed.value;
        else if (key === 'journey') own.journey = parsed.value;
        else (own.journeys ??= {})[key] = parsed.value;
        break;
      }
    }
  }
  const usage = (cause: string): ReportArgsResult => fail(failure('read the report arguments', cause, USAGE_HINT));
  if (merge.length > 0 === spans.length > 0) return usage('give either --merge or --spans with at least one file');
  if (!out) return usage('the output directory (-o DIR) is missing');
  if (spans.length > 0 && !journeys) return usage('--spans needs --journeys FILE');
  if (merge.length > 0 && dumpFormat)
    return fail(failure('read the report arguments', '--format is for --spans only', 'Drop --format with --merge.'));
  // Silently ignoring it would let a reader believe the merge was checked against that file.
  if (merge.length > 0 && journeys) {
    return fail(
      failure(
        'read the report arguments',
        '--journeys is for --spans only: --merge takes the journeys from the coverage files',
        'Drop --journeys, or build the shards with that journeys file.',
      ),
    );
  }
  return {
    ok: true,
    value: {
      merge,
      spans,
      ...(dumpFormat ? { format: dumpFormat } : {}),
      journeys,
      out,
      previous,
      redactHeaders,
      thresholds,
    },
  };
}

/** A report built from the inputs, or the first input's failure (its reason from the module that read it). */
/** `incomplete`: answers of a trace store in the dumps that left spans out (no gate on them may pass). */
type BuiltReport =
  | { ok: true; value: CoverageReport; incomplete: number }
  | Failure<ReportInputReason | DecodeReason | 'no-spans' | 'usage'>;

async function mergedReport(args: ReportArgs, io: CliIo): Promise<BuiltReport> {
  const inputs: CoverageInput[] = [];
  for (const file of args.merge) {
    const read = await readTextFile(resolve(io.cwd, file));
    if (!read.ok)
      return {
        ...read,
        message: failure(`read coverage from "${file}"`, read.message, 'Pass the coverage.json each shard wrote.'),
      };
    const parsed = parseCoverageFile(read.value, file);
    if (!parsed.ok) {
      const instead = notCoverage(read.value, file);
      return instead === undefined ? parsed : { ...parsed, message: failure(`read coverage from "${file}"`, instead) };
    }
    inputs.push(parsed.value);
  }
  const merged = mergeCoverage(inputs, { thresholds: args.thresholds });
  return merged.ok ? { ...merged, incomplete: 0 } : merged;
}

async function spansReport(args: ReportArgs, io: CliIo): Promise<BuiltReport> {
  const journeys = await loadJourneys(resolve(io.cwd, args.journeys as string));
  if (!journeys.ok) return journeys;
  const read = await readSpanFiles(args.spans, io.cwd, 'build the reports', args.format, io.env, (note) =>
    io.stderr(`${note}\n`),
  );
  if (!read.ok) return read;
  for (const note of read.notes) io.stderr(`${note}\n`);
  const { spans } = read;
  // A chain name the dumps spell in another case (Zipkin lower-cases, an app may write MobileApp), as check does.
  const respelt = respellJourneys(journeys.value, serviceSpellings(spans), args.journeys as string);
  for (const note of respelt.notes) io.stderr(`${note}\n`);
  const spec = respelt.journeys;
  const undeclared = undeclaredJourneysNote(undeclaredJourneyNames(spec, spans), args.journeys as string);
  if (undeclared !== undefined) io.stderr(`${format(undeclared)}\n`);
  // Runs read from dumps carry no platform: a platform's threshold has nothing to apply to.
  const platforms = Object.keys(args.thresholds.platforms ?? {});
  if (platforms.length > 0) {
    io.stderr(
      `${format(`Note: --platform-threshold (${platforms.join(', ')}) has no effect with --spans: runs read from trace dumps carry no platform, so only the suite and journey thresholds apply.`)}\n`,
    );
  }
  // Without any journey tag every trace counts for every journey whose chain it satisfies, so journeys
  // that share a chain (checkout and offline-replay) cover each other: say so rather than look exact.
  if (!namesAnyJourney(spec, spans)) {
    io.stderr(
      `${format(`Warning: no span in the dumps names a declared journey (attributes ${JOURNEY_ATTRIBUTES.join(', ')}), so every trace counts for every journey whose chain it satisfies and journeys with the same chain cover each other. Tag each journey's root span with tracehop.journey for exact coverage per journey.`)}\n`,
    );
  }
  const recordedAt = new Date().toISOString();
  return {
    ok: true,
    value: computeCoverage(spec, runsFromSpans(spec, spans, { recordedAt }), {
      thresholds: args.thresholds,
      generatedAt: recordedAt,
    }),
    incomplete: read.incomplete,
  };
}

/**
 * Why a coverage gate that passed is no pass: `incomplete` answers of a trace store left spans out, and a hop in
 * those is not judged (as `tracehop check` says it of the same dumps).
 */
function incompleteGateFailure(incomplete: number): string {
  return failure(
    'pass the trace coverage gate',
    `the thresholds are met, but ${spansLeftOut(incomplete)}`,
    'Fetch those traces whole, as the note says, and build the reports again.',
  );
}

/**
 * `tracehop report --merge COVERAGE.json... -o DIR` folds sharded runs into one set of reports;
 * `tracehop report --spans DUMP... --journeys FILE -o DIR` (old name `--otlp`) builds them from trace dumps
 * in any format `tracehop check` reads. Exit 0 when the
 * coverage gate passes, 1 when it fails, 2 on unusable input or when it passes on dumps a trace store's answers left
 * spans out of.
 */
export async function runReport(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseReportArgs(argv);
  if (parsed.ok === 'help') {
    io.stdout(`${USAGE_HINT}\n`);
    return EXIT_OK;
  }
  if (!parsed.ok) {
    io.stderr(`${parsed.message}\n`);
    return EXIT_UNUSABLE;
  }
  const args = parsed.value;
  let previous: PreviousCoverage | undefined;
  if (args.previous) {
    const loaded = await loadPreviousCoverage(resolve(io.cwd, args.previous));
    if (!loaded.ok) {
      io.stderr(`${loaded.message}\n`);
      return EXIT_UNUSABLE;
    }
    previous = loaded.value;
  }
  const built = args.merge.length > 0 ? await mergedReport(args, io) : await spansReport(args, io);
  if (!built.ok) {
    io.stderr(`${built.message}\n`);
    return EXIT_UNUSABLE;
  }
  // Redacted before the gate too: its message goes to CI logs.
  const report = redactReport(built.value, args.redactHeaders);
  // As check says it: the journeys judged again did not settle, so some pairings may hang on the file's order.
  if (report.unsettled) io.stderr(`${format(report.unsettled.message)}\n`);
  const thresholds = checkThresholds(report.spec, args.thresholds);
  if (!thresholds.ok) {
    io.stderr(`${thresholds.message}\n`);
    return EXIT_UNUSABLE;
  }
  const dir = resolve(io.cwd, args.out as string);
  const written = await writeReports(report, dir, { redactHeaders: args.redactHeaders, previous });
  if (!written.ok) {
    io.stderr(`${written.message}\n`);
    return EXIT_UNUSABLE;
  }
  io.stdout(
    `${format(`Trace coverage ${percent(report.coverage)} (${report.coveredJourneys} of ${report.declared} journeys fully covered); reports in ${args.out}`)}\n`,
  );
  const gate = evaluateGate(report, `${args.out}/report.html`);
  if (!gate.ok) {
    io.stderr(`${gate.message}\n`);
    return EXIT_DEFECTS;
  }
  if (built.incomplete > 0) {
    io.stderr(`${incompleteGateFailure(built.incomplete)}\n`);
    return EXIT_UNUSABLE;
  }
  return EXIT_OK;
}
