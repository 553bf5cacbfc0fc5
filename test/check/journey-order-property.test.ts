/**
 * A property of `tracehop check --journeys` over generated dumps: runs of two or three journeys that share
 * one chain, overlapping in time, with dropped traceparents (the callee starts a new trace naming no journey),
 * sampled-out calls (the callee exported nothing) and requests the app sent outside the journey's trace.
 * Whatever order the journeys file lists the journeys in, each run gets the same problems, and no new trace
 * is held by two runs.
 */
import { encodeOtlpJson, type Span } from '../../harness/model';
import { numberedSpans } from '../../harness/model/test-support/numbered-spans';
import { journeyChains, journeysByTrace } from '../../harness/report';
import { verifySpans, type Verdict } from '../../harness/verify';
import { runCli, tempFiles } from './support';
import { seededRandom } from '../../harness/test-support/seeded-random';

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];
/** The route of each hop: the call from CHAIN[h - 1] to CHAIN[h] is ROUTES[h - 1]. */
const ROUTES = ['POST /checkout', 'POST /payments', 'POST /score'];
const JOURNEYS = ['checkout', 'offline-replay', 'reorder'];
const DUMPS = 300;

/** Seeded (seededRandom): the same dumps on every run; a whole number from low to high. */
function random(seed: number): (low: number, high: number) => number {
  const draw = seededRandom(seed);
  return (low, high) => low + draw(high - low + 1);
}

/** How crowded a generated dump is: at most `runs` runs, started within `withinMs`, `outside` app requests in 10. */
interface Crowd {
  readonly runs: number;
  readonly withinMs: number;
  readonly outside: number;
}

const USUAL: Crowd = { runs: 10, withinMs: 80, outside: 1 };
/** Many runs at once, most app requests outside the journey: where ties between journeys are closest. */
const HARSH: Crowd = { runs: 25, withinMs: 10, outside: 8 };
const HARSH_DUMPS = 600;
/** How long the crowded-dumps case may take on a busy machine (it computes; it waits on nothing). */
const CROWDED_DUMPS_MS = 180_000;

/**
 * A dump of 2 to `crowd.runs` runs of `journeys` on CHAIN, each started within `crowd.withinMs` of the first,
 * every hop of each kept (60%), dropped (the callee starts a new trace: 25%) or sampled out (the callee and
 * all after it exported nothing: 15%); in `crowd.outside` runs in 10 the app sends its request in a trace of
 * its own.
 */
function generateDump(seed: number, journeys: readonly string[], crowd: Crowd = USUAL): Span[] {
  const pick = random(seed);
  const { span } = numberedSpans(Date.UTC(2026, 11, 4, 9));
  const spans: Span[] = [];
  let traces = 0;
  const runs = pick(2, crowd.runs);
  for (let r = 0; r < runs; r++) {
    let trace = ++traces;
    // Times in ms after the dump's start: each span inside its parent, a few ms in from either end.
    let from = pick(0, crowd.withinMs);
    let to = from + pick(60, 160);
    const journey = journeys[pick(0, journeys.length - 1)] as string;
    let parent = span(trace, undefined, 'mobile-app', journey, 'internal', from, to);
    spans.push(parent);
    for (let hop = 1; hop < CHAIN.length; hop++) {
      const caller = CHAIN[hop - 1] as string;
      from += pick(1, 4);
      to -= pick(1, 4);
      // The app sends its request in a trace of its own, naming no journey, `crowd.outside` runs in 10.
      const outside = hop === 1 && pick(1, 10) <= crowd.outside;
      if (outside) trace = ++traces;
      const request = span(trace, undefined, caller, ROUTES[hop - 1] as string, 'client', from, to);
      const call = outside ? request : { ...request, parentSpanId: parent.spanId };
      spans.push(call);
      const fate = pick(1, 100);
      if (fate > 85) break;
      const dropped = fate > 60;
      if (dropped) trace = ++traces;
      from += pick(0, 3);
      to -= pick(0, 3);
      const server = span(trace, undefined, CHAIN[hop] as string, ROUTES[hop - 1] as string, 'server', from, to);
      parent = dropped ? server : { ...server, parentSpanId: call.spanId };
      spans.push(parent);
    }
  }
  return spans;
}

function orders(names: readonly string[]): string[][] {
  if (names.length <= 1) return [[...names]];
  return names.flatMap((name, i) =>
    orders([...names.slice(0, i), ...names.slice(i + 1)]).map((rest) => [name, ...rest]),
  );
}

interface JsonVerdict {
  problems: Array<{ kind: string; traceId: string | null; spanId: string | null; message: string }>;
  runs: Array<{ traceId: string; journey: string | null; kinds: string[] }>;
}

/** `check --json --journeys` on the dump in `dir` with the journeys listed in `order`: problems and runs as sets. */
async function checkInOrder(dir: string, order: readonly string[]): Promise<{ problems: string[]; runs: string[] }> {
  const file = `journeys-${order.join('-')}.json`;
  const journeys = { journeys: order.map((name) => ({ name, chain: CHAIN, owner: 'payments', criticality: 'high' })) };
  const written = tempFiles({ [file]: JSON.stringify(journeys) });
  const result = await runCli(['check', '--json', '--journeys', `${written}/${file}`, `${dir}/dump.jsonl`]);
  expect(result.stderr).toBe('');
  const verdict = JSON.parse(result.stdout) as JsonVerdict;
  return {
    problems: verdict.problems.map((problem) => JSON.stringify(problem)).sort(),
    runs: verdict.runs.map((run) => JSON.stringify([run.journey, run.traceId, [...run.kinds].sort()])).sort(),
  };
}

/** verifySpans on `spans` with the journeys in `order`, each on CHAIN. */
function judgeInOrder(spans: readonly Span[], order: readonly string[]): Verdict {
  const spec = order.map((name) => ({ name, chain: CHAIN }));
  return verifySpans(spans, { journeys: journeyChains(spec, journeysByTrace(spec, spans)) });
}

/** The new traces held by more than one run, as verifySpans judges the dump with the journeys in `order`. */
function heldTwice(spans: readonly Span[], order: readonly string[]): string[] {
  const verdict = judgeInOrder(spans, order);
  const holders = new Map<string, number>();
  for (const chain of verdict.chains)
    for (const run of chain.runs) for (const id of run.fragments) holders.set(id, (holders.get(id) ?? 0) + 1);
  return [...holders].filter(([, count]) => count > 1).map(([id]) => id);
}

describe('tracehop check --journeys over generated dumps of journeys sharing a chain', () => {
  it(`gives each run the same problems in every journeys-file order, and holds each new trace once (${DUMPS} dumps)`, async () => {
    const differing: number[] = [];
    const twice: number[] = [];
    let contested = 0;
    for (let seed = 1; seed <= DUMPS; seed++) {
      const journeys = JOURNEYS.slice(0, seed % 3 === 0 ? 3 : 2);
      const spans = generateDump(seed, journeys);
      const dir = tempFiles({ 'dump.jsonl': `${JSON.stringify(encodeOtlpJson(spans))}\n` });
      const all = orders(journeys);
      const verdicts = [];
      for (const order of all) verdicts.push(await checkInOrder(dir, order));
      const first = JSON.stringify(verdicts[0]);
      if (verdicts.some((verdict) => JSON.stringify(verdict) !== first)) differing.push(seed);
      if (all.some((order) => heldTwice(spans, order).length > 0)) twice.push(seed);
      if (verdicts[0]?.problems.some((problem) => problem.includes('of journey'))) contested++;
    }
    // Dumps where runs of two journeys had calls in flight for one new trace: the property is not vacuous.
    expect([differing, twice, contested >= DUMPS / 4]).toEqual([[], [], true]);
  });

  it(
    `gives each run the same problems in every order in crowded dumps too, and settles (${HARSH_DUMPS} dumps, in memory)`,
    () => {
      // Up to 25 runs started within 10 ms, 8 app requests in 10 sent outside the journey: a fuzz of 20,000
      // such dumps found the ties that once hung on the order (see journey-order-fuzzed.test.ts).
      const differing: number[] = [];
      const unsettled: number[] = [];
      for (let seed = 1; seed <= HARSH_DUMPS; seed++) {
        const journeys = JOURNEYS.slice(0, seed % 3 === 0 ? 3 : 2);
        const spans = generateDump(seed, journeys, HARSH);
        const verdicts = orders(journeys).map((order) => judgeInOrder(spans, order));
        if (verdicts.some((verdict) => verdict.unsettled)) unsettled.push(seed);
        const shown = verdicts.map((verdict) =>
          JSON.stringify([
            verdict.problems.map((p) => JSON.stringify([p.kind, p.traceId, p.spanId, p.message])).sort(),
            verdict.runs.map((run) => JSON.stringify([run.journey, run.traceId, run.kinds])).sort(),
          ]),
        );
        if (shown.some((verdict) => verdict !== shown[0])) differing.push(seed);
      }
      expect([differing, unsettled]).toEqual([[], []]);
      // CPU in this process, no waiting: 7 s at a load average of 5, 43 s once at 11, which left
      // Jest's 60 s default little room. The budget is for a busy machine, not a sign of a hang.
    },
    CROWDED_DUMPS_MS,
  );
});
