/**
 * `tracehop check` on a staging-size dump the real OpenTelemetry JS SDK wrote (44 runs, 16 at once, seeded faults:
 * test/check/real-sdk/README.md), against the ground truth the generator recorded for each run
 * (scripts/real-sdk-staging/generate.js): every run's verdict, and every problem's trace, service and run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAIN, ROOT, runCli } from './support';

const DIR = join(__dirname, 'real-sdk');
const DUMP = 'staging-44-runs.jsonl';

/** What check should say of one run in one mode (see scripts/real-sdk-staging/faults.js). */
interface Expected {
  readonly runTrace: string;
  readonly kinds: string[];
  readonly service: string;
  readonly problemTrace: string;
}

interface GroundTruth {
  readonly truth: Array<{
    readonly run: string;
    readonly journey: string;
    readonly fault: string;
    readonly expected: { readonly journeys: Expected; readonly expect: Expected | null };
  }>;
}

interface Verdict {
  readonly runs: Array<{ traceId: string; ok: boolean; kinds: string[] }>;
  readonly problems: Array<{ kind: string; traceId: string; service: string; message: string }>;
}

const truth = (JSON.parse(readFileSync(join(DIR, 'staging-44-runs.ground-truth.json'), 'utf8')) as GroundTruth).truth;

/** The runs of a mode's ground truth as verdict rows: [trace id's first 8 characters, ok, kinds], by trace id. */
function truthRows(mode: 'journeys' | 'expect'): Array<[string, boolean, string[]]> {
  const rows: Array<[string, boolean, string[]]> = [];
  for (const { expected } of truth) {
    const run = expected[mode];
    if (run) rows.push([run.runTrace.slice(0, 8), run.kinds.length === 0, run.kinds]);
  }
  return rows.sort((a, b) => a[0].localeCompare(b[0]));
}

/** A verdict's runs as rows, by trace id. */
const verdictRows = (verdict: Verdict): Array<[string, boolean, string[]]> =>
  verdict.runs
    .map(({ traceId, ok, kinds }): [string, boolean, string[]] => [traceId.slice(0, 8), ok, kinds])
    .sort((a, b) => a[0].localeCompare(b[0]));

/**
 * The ground truth's problems in a mode as [kind, trace, service, run]: the run a broken chain's message says
 * its new trace left, else the problem's own trace. `swapped`: runs whose new traces the verdict pairs the other
 * way round, each with the run it names instead.
 */
function truthProblems(mode: 'journeys' | 'expect', swapped: Record<string, string> = {}): string[][] {
  const rows: string[][] = [];
  for (const { expected } of truth) {
    const run = expected[mode];
    if (!run) continue;
    for (const kind of run.kinds) {
      const named = swapped[run.runTrace.slice(0, 8)] ?? run.runTrace.slice(0, 8);
      rows.push([kind, run.problemTrace.slice(0, 8), run.service, named]);
    }
  }
  return rows.sort((a, b) => a.join().localeCompare(b.join()));
}

/** A verdict's problems as [kind, trace, service, run named as the one a new trace left (else its trace)]. */
const verdictProblems = (verdict: Verdict): string[][] =>
  verdict.problems
    .map(({ kind, traceId, service, message }) => [
      kind,
      traceId.slice(0, 8),
      service,
      /instead of (?:the journey's )?([0-9a-f]{8})/.exec(message)?.[1] ?? traceId.slice(0, 8),
    ])
    .sort((a, b) => a.join().localeCompare(b.join()));

describe('tracehop check on a staging-size real OpenTelemetry JS dump, against its ground truth', () => {
  it('gives every journey run the verdict of its injected fault with --journeys', async () => {
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const { code, stdout } = await runCli(['check', '--json', '--journeys', journeys, DUMP], DIR);
    const verdict = JSON.parse(stdout) as Verdict;
    // Replays 02d478d9 (of 5858fa08) and 81914e0d (of ab1d1475) went out in the same millisecond, while both
    // runs' spans ran, each after its refused attempt of the same millisecond: nothing tells them apart, the
    // pairing is the other way round, and both messages say it is a guess.
    const guessed = verdict.problems
      .filter(({ traceId }) => ['02d478d9', '81914e0d'].includes(traceId.slice(0, 8)))
      .map(({ message }) => / \(timing fits \d other runs? as well: which run it left is a guess\)/.test(message));
    expect([code, verdictRows(verdict), verdictProblems(verdict), guessed]).toEqual([
      1,
      truthRows('journeys'),
      truthProblems('journeys', { '5858fa08': 'ab1d1475', ab1d1475: '5858fa08' }),
      [true, true],
    ]);
  });

  it('gives every run of the checkout chain the verdict of its injected fault with --expect', async () => {
    // --expect knows no login, and takes a retry or replay sent from a new trace for a sound run of its own.
    const { code, stdout } = await runCli(['check', '--json', `--expect=${CHAIN}`, DUMP], DIR);
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, verdictRows(verdict), verdictProblems(verdict)]).toEqual([
      1,
      truthRows('expect'),
      truthProblems('expect'),
    ]);
  });
});
