/**
 * `tracehop check` on dumps of many runs, as a staging Collector writes them: runs built with the real
 * OpenTelemetry SDK, overlapping in time, mixed with health checks, scheduled jobs and other journeys, each
 * situation with its fault injected on one hop. Verdicts and whole messages are pinned.
 */
import { encodeOtlpJson, type Span } from '../../harness/model';
import { numberedSpanId, numberedSpans, numberedTraceId } from '../../harness/model/test-support/numbered-spans';
import {
  CHECKOUT,
  LOGIN,
  buildDump,
  deepTrace,
  manyRuns,
  type DumpSpec,
  type RunSpec,
} from '../verify/support/dump-runs';
import { CHAIN, NO_CHAIN_NOTE, runCli, tempFiles } from './support';

interface JsonVerdict {
  ok: boolean;
  traces: number;
  spans: number;
  problems: Array<{
    kind: string;
    traceId: string | null;
    spanId: string | null;
    service: string | null;
    message: string;
  }>;
  warnings: Array<Record<string, unknown>>;
  runs: Array<{ traceId: string; journey: string | null; ok: boolean; kinds: string[] }>;
}

/** Writes spans as JSON Lines, `batch` spans a line (a Collector's file exporter writes batches). */
function dumpFile(spans: readonly Span[], batch = 50, extra: Record<string, string> = {}): string {
  const lines: string[] = [];
  for (let i = 0; i < spans.length; i += batch) lines.push(JSON.stringify(encodeOtlpJson(spans.slice(i, i + batch))));
  return tempFiles({ 'dump.jsonl': `${lines.join('\n')}\n`, ...extra });
}

async function checkJson(dir: string, args: string[]): Promise<{ code: number; verdict: JsonVerdict }> {
  const result = await runCli(['check', '--json', ...args, 'dump.jsonl'], dir);
  const chained = args.includes('--expect') || args.includes('--journeys');
  expect(result.stderr).toBe(chained || result.code !== 0 ? '' : NO_CHAIN_NOTE);
  return { code: result.code, verdict: JSON.parse(result.stdout) as JsonVerdict };
}

/** Spans 1 to 5 of trace 1: a run of mobile-app -> api-gateway -> payment-api that kept its trace. */
function wholeRun(span: ReturnType<typeof numberedSpans>['span']): Span[] {
  return [
    span(1, undefined, 'mobile-app', 'checkout', 'internal', 0, 90),
    span(1, 1, 'mobile-app', 'POST /checkout', 'client', 1, 80),
    span(1, 2, 'api-gateway', 'POST /checkout', 'server', 2, 70),
    span(1, 3, 'api-gateway', 'POST /payments', 'client', 3, 65),
    span(1, 4, 'payment-api', 'POST /payments', 'server', 4, 60),
  ];
}

/**
 * Spans 6 to 8 of trace 2 (after wholeRun): the app's `journey` span at `at`, its POST to api-gateway and the
 * gateway's SERVER span; a test adds what the gateway did next, from span 9.
 */
function secondRequest(span: ReturnType<typeof numberedSpans>['span'], journey: string, at: number): Span[] {
  return [
    span(2, undefined, 'mobile-app', journey, 'internal', at, at + 100),
    span(2, 6, 'mobile-app', `POST /${journey}`, 'client', at + 1, at + 99),
    span(2, 7, 'api-gateway', `POST /${journey}`, 'server', at + 2, at + 98),
  ];
}

/** The trace id of the run started at `at` (its root span), from the spans. */
function runTrace(spans: readonly Span[], journey: string, at: number): string {
  const roots = spans.filter((span) => span.parentSpanId === undefined && span.name === journey);
  const sorted = [...roots].sort((a, b) => a.startTimeMs - b.startTimeMs);
  const first = sorted[0];
  if (!first) throw new Error(`no run of ${journey}`);
  const root = sorted.find((span) => span.startTimeMs - first.startTimeMs === at);
  if (!root) throw new Error(`no run of ${journey} at ${at}`);
  return root.traceId;
}

const find = (spans: readonly Span[], service: string, name: string, traceId?: string): Span => {
  const found = spans.filter((s) => s.service === service && s.name === name && (!traceId || s.traceId === traceId));
  if (found.length !== 1 || !found[0]) throw new Error(`expected one ${service} "${name}", found ${found.length}`);
  return found[0];
};

const short = (id: string) => id.slice(0, 8);

const hundred = (): RunSpec[] => manyRuns(CHECKOUT, 100, 5);

describe('tracehop check judges every run of the chain', () => {
  it('fails a dump of 100 overlapping checkouts in which exactly one is broken, naming that run', async () => {
    const runs = hundred().map((run, i) => (i === 41 ? { ...run, faults: { 2: 'drop' as const } } : run));
    const spans = await buildDump({ runs });
    const broken = runTrace(spans, 'checkout', 41 * 5);
    const fragment = spans.find((s) => s.service === 'fraud-service' && s.parentSpanId === undefined) as Span;
    const call = find(spans, 'payment-api', 'POST /fraud/score', broken);
    const dir = dumpFile(spans);
    const { code, verdict } = await checkJson(dir, ['--expect', CHAIN]);
    expect([code, verdict.ok, verdict.traces, verdict.spans]).toEqual([1, false, 101, 700]);
    expect(verdict.problems).toEqual([
      {
        kind: 'broken-chain',
        traceId: fragment.traceId,
        spanId: fragment.spanId,
        service: 'fraud-service',
        message: `payment-api received the request but fraud-service started a new trace (${short(fragment.traceId)} instead of ${short(broken)}): payment-api did not forward traceparent, or fraud-service did not read it, as an SDK with no W3C propagator set does`,
      },
    ]);
    expect(verdict.runs.length).toBe(100);
    expect(verdict.runs.filter((run) => !run.ok)).toEqual([
      { traceId: broken, journey: null, ok: false, kinds: ['broken-chain'] },
    ]);
    // The human output: the summary first, the two sides of the break, the problem once.
    const human = await runCli(['check', '--expect', CHAIN, 'dump.jsonl'], dir);
    expect(human.code).toBe(1);
    expect(human.stdout.split('\n').slice(0, 3)).toEqual([
      'mobile-app -> api-gateway -> payment-api -> fraud-service: 100 runs, 1 broken (broken-chain 1)',
      '1 problem: broken-chain 1',
      '',
    ]);
    expect(human.stdout).toContain(
      `└─ ✗ payment-api "POST /fraud/score" CLIENT ${short(call.spanId)}  broken-chain (last hop in this trace)\n`,
    );
  });

  it("ties a fragment to the app's run when the app's own call lost the context", async () => {
    const runs = hundred().map((run, i) => (i === 7 ? { ...run, faults: { 0: 'drop' as const } } : run));
    const spans = await buildDump({ runs });
    const broken = runTrace(spans, 'checkout', 7 * 5);
    const fragment = spans.find((s) => s.service === 'api-gateway' && s.parentSpanId === undefined) as Span;
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    expect([code, verdict.problems, verdict.runs.filter((run) => !run.ok)]).toEqual([
      1,
      [
        {
          kind: 'broken-chain',
          traceId: fragment.traceId,
          spanId: fragment.spanId,
          service: 'api-gateway',
          message: `mobile-app sent the request but api-gateway started a new trace (${short(fragment.traceId)} instead of ${short(broken)}): mobile-app did not inject traceparent, or api-gateway did not read it, as an SDK with no W3C propagator set does; fix: make mobile-app send one valid W3C traceparent to api-gateway (its SDK's propagation targets and propagators decide which hosts get one), and set the W3C TraceContext propagator in api-gateway's SDK`,
        },
      ],
      [{ traceId: broken, journey: null, ok: false, kinds: ['broken-chain'] }],
    ]);
    expect(verdict.runs.length).toBe(100);
  });

  it("takes a hop whose caller's spans were sampled out for an orphan, not a broken chain", async () => {
    // The app samples some journeys out but still sends traceparent (sampled=0); the gateway records anyway.
    const runs = manyRuns(CHECKOUT, 20, 5).map((run, i) =>
      i % 7 === 3 ? { ...run, unexported: ['mobile-app'] } : run,
    );
    // A run broken on that hop later: its call is no match for the orphans, which started long before.
    const dropped: RunSpec = { journey: CHECKOUT, at: 1000, faults: { 0: 'drop' } };
    const spans = await buildDump({ runs: [...runs, dropped] });
    const orphans = spans.filter(
      (s) =>
        s.service === 'api-gateway' &&
        s.kind === 'server' &&
        s.parentSpanId !== undefined &&
        !spans.some((p) => p.spanId === s.parentSpanId),
    );
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    const restarted = spans.find((s) => s.service === 'api-gateway' && s.parentSpanId === undefined) as Span;
    expect([code, verdict.problems.map((p) => `${p.kind} ${p.spanId}`).sort(), verdict.runs.length]).toEqual([
      1,
      [`broken-chain ${restarted.spanId}`, ...orphans.map((s) => `orphan-span ${s.spanId}`)].sort(),
      18,
    ]);
    expect(orphans).toHaveLength(3);
  });

  it('passes clean runs beside a request from a client that does not trace, on a route of the chain', async () => {
    const spans = await buildDump({
      runs: manyRuns(CHECKOUT, 20, 5),
      strays: [{ service: 'payment-api', name: 'POST /payments', at: 42 }],
    });
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    expect([code, verdict.ok, verdict.problems, verdict.traces, verdict.runs.length]).toEqual([0, true, [], 21, 20]);
  });

  it('ties a call a later service made outside its request to the run it served', async () => {
    const runs = hundred().map((run, i) => (i === 41 ? { ...run, faults: { 2: 'detach' as const } } : run));
    const spans = await buildDump({ runs });
    const broken = runTrace(spans, 'checkout', 41 * 5);
    const call = spans.find((s) => s.service === 'payment-api' && s.parentSpanId === undefined) as Span;
    const held = find(spans, 'payment-api', 'POST /payments', broken);
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    expect([code, verdict.problems, verdict.runs.filter((run) => !run.ok), verdict.runs.length]).toEqual([
      1,
      [
        {
          kind: 'broken-chain',
          traceId: call.traceId,
          spanId: call.spanId,
          service: 'payment-api',
          message: `payment-api's CLIENT span "POST /fraud/score" (${short(call.spanId)}) started a new trace (${short(call.traceId)} instead of ${short(broken)}) that reached fraud-service, while "POST /payments" (${short(held.spanId)}) served the request: payment-api made the call outside the request's context; fix: make payment-api start its call in the context of the request it serves (hand the context on with the work to a pool, queue or timer)`,
        },
      ],
      [{ traceId: broken, journey: null, ok: false, kinds: ['broken-chain'] }],
      100,
    ]);
  });

  it('says which run a call made outside its request served is a guess when another run was in flight', async () => {
    // Five pairs of checkouts, the two of a pair started together, 20 ms between pairs; in each, payment-api
    // calls fraud-service outside the request's context. The first call of a pair could have served either
    // run; the second is the other run's, which the first took.
    const runs = manyRuns(CHECKOUT, 5, 20)
      .flatMap((run) => [run, run])
      .map((run) => ({ ...run, faults: { 2: 'detach' as const } }));
    const spans = await buildDump({ runs });
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    const notes = verdict.problems.map(
      (problem) => /served the request( \([^)]*\))?: payment-api made the call/.exec(problem.message)?.[1] ?? '',
    );
    const guess = " (1 other run's spans of payment-api ran then too: which run it served is a guess)";
    expect([code, verdict.runs.filter((run) => !run.ok).length, notes.sort()]).toEqual([
      1,
      10,
      ['', '', '', '', '', guess, guess, guess, guess, guess],
    ]);
  });

  it('leaves a request from a client that does not trace to nobody, when a broken run later has its own fragment', async () => {
    // A synthetic monitor's POST /checkout (no traceparent) at 120 ms, while no call of any run was in flight;
    // the run at 500 ms then loses its context on the first hop. Tied by nearness in time, the monitor's
    // request took that run and its own fragment went unreported.
    const runs = manyRuns(CHECKOUT, 20, 50).map((run, i) =>
      i === 10 ? { ...run, faults: { 0: 'drop' as const } } : run,
    );
    const spans = await buildDump({ runs, strays: [{ service: 'api-gateway', name: 'POST /checkout', at: 120 }] });
    const broken = runTrace(spans, 'checkout', 500);
    const roots = spans.filter((s) => s.service === 'api-gateway' && s.parentSpanId === undefined);
    const fragment = [...roots].sort((a, b) => a.startTimeMs - b.startTimeMs)[1] as Span;
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    expect([code, verdict.problems.map((p) => [p.spanId, p.message]), verdict.runs.filter((run) => !run.ok)]).toEqual([
      1,
      [
        [
          fragment.spanId,
          `mobile-app sent the request but api-gateway started a new trace (${short(fragment.traceId)} instead of ${short(broken)}): mobile-app did not inject traceparent, or api-gateway did not read it, as an SDK with no W3C propagator set does; fix: make mobile-app send one valid W3C traceparent to api-gateway (its SDK's propagation targets and propagators decide which hosts get one), and set the W3C TraceContext propagator in api-gateway's SDK`,
        ],
      ],
      [{ traceId: broken, journey: null, ok: false, kinds: ['broken-chain'] }],
    ]);
  });

  it("ties both fragments of a run that retried a call that lost its context to that run, not the next broken one's", async () => {
    // Trace 1: the app called GET /search twice (a retry), both without traceparent: traces 2 and 3 are the
    // gateway's. Trace 4, 1 s later, broke once: trace 5. The retry's second fragment went to trace 4.
    const { span } = numberedSpans(Date.UTC(2026, 10, 26, 9));
    const spans = [
      span(1, undefined, 'mobile-app', 'search', 'internal', 0, 100),
      span(1, 1, 'mobile-app', 'GET /search', 'client', 1, 30),
      span(1, 1, 'mobile-app', 'GET /search', 'client', 40, 70),
      span(2, undefined, 'api-gateway', 'GET /search', 'server', 2, 29),
      span(3, undefined, 'api-gateway', 'GET /search', 'server', 41, 69),
      span(4, undefined, 'mobile-app', 'search', 'internal', 1000, 1100),
      span(4, 6, 'mobile-app', 'GET /search', 'client', 1001, 1030),
      span(5, undefined, 'api-gateway', 'GET /search', 'server', 1002, 1029),
    ];
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', 'mobile-app,api-gateway']);
    const restart = (fragment: number, run: number) =>
      `mobile-app sent the request but api-gateway started a new trace (${short(numberedTraceId(fragment))} instead of ${short(numberedTraceId(run))}): mobile-app did not inject traceparent, or api-gateway did not read it, as an SDK with no W3C propagator set does; fix: make mobile-app send one valid W3C traceparent to api-gateway (its SDK's propagation targets and propagators decide which hosts get one), and set the W3C TraceContext propagator in api-gateway's SDK`;
    expect([
      code,
      verdict.problems.map((p) => p.message),
      verdict.runs.map((run) => [short(run.traceId), run.ok]),
    ]).toEqual([
      1,
      [restart(2, 1), restart(3, 1), restart(5, 4)],
      [
        [short(numberedTraceId(1)), false],
        [short(numberedTraceId(4)), false],
      ],
    ]);
  });

  it.each<[string, Array<[number, number]>, string]>([
    [
      // The run's call lost its context, and a client that does not trace hit the same route meanwhile.
      'two new traces started while one call ran',
      [
        [2, 29],
        [10, 12],
      ],
      "1 other new trace on this route started while the same call ran: which one is this run's is a guess",
    ],
    [
      // The run's fragment is not in the dump; a new trace on the route started 170 ms after its call ended.
      'a fragment tied to the run nearest in time, no call of which was in flight',
      [[200, 220]],
      'no call of a run on this route was in flight when it started: tied to the run nearest in time, a guess',
    ],
  ])('says the pairing is a guess when %s', async (_case, restarts, guess) => {
    // Trace 1: the run whose GET /search (1 to 30 ms) went unanswered; the gateway's new traces from trace 2 on;
    // then a run at 1 s that kept its trace, so the clocks agree.
    const { span, next } = numberedSpans(Date.UTC(2026, 10, 26, 9));
    const spans = [
      span(1, undefined, 'mobile-app', 'search', 'internal', 0, 100),
      span(1, 1, 'mobile-app', 'GET /search', 'client', 1, 30),
      ...restarts.map(([start, end], i) => span(2 + i, undefined, 'api-gateway', 'GET /search', 'server', start, end)),
    ];
    const sound = next();
    spans.push(
      span(9, undefined, 'mobile-app', 'search', 'internal', 1000, 1100),
      span(9, sound, 'mobile-app', 'GET /search', 'client', 1001, 1030),
      span(9, sound + 1, 'api-gateway', 'GET /search', 'server', 1002, 1029),
    );
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', 'mobile-app,api-gateway']);
    expect([code, verdict.problems.map((p) => p.message)]).toEqual([
      1,
      [
        `mobile-app sent the request but api-gateway started a new trace (${short(numberedTraceId(2))} instead of ${short(numberedTraceId(1))}): mobile-app did not inject traceparent, or api-gateway did not read it, as an SDK with no W3C propagator set does (${guess}); fix: make mobile-app send one valid W3C traceparent to api-gateway (its SDK's propagation targets and propagators decide which hosts get one), and set the W3C TraceContext propagator in api-gateway's SDK`,
      ],
    ]);
  });

  it('names the retry that succeeded yet got no answer, not the failed attempt before it', async () => {
    // The gateway called catalog-service twice: a 503 (ERROR), then a retry that succeeded. Neither has an
    // answer in the trace (the gateway cleared the sampled flag: catalog-service's ParentBased sampler
    // recorded nothing). Saying the failed attempt "most likely never reached" it steered away from the cause.
    const { span } = numberedSpans(Date.UTC(2026, 10, 26, 9));
    const spans = [
      span(1, undefined, 'mobile-app', 'search', 'internal', 0, 100),
      span(1, 1, 'mobile-app', 'GET /search', 'client', 1, 90),
      span(1, 2, 'api-gateway', 'GET /search', 'server', 2, 89),
      { ...span(1, 3, 'api-gateway', 'GET /items', 'client', 3, 20), statusCode: 2 },
      span(1, 3, 'api-gateway', 'GET /items', 'client', 30, 60),
      span(2, undefined, 'mobile-app', 'search', 'internal', 500, 600),
      span(2, 6, 'mobile-app', 'GET /search', 'client', 501, 590),
      span(2, 7, 'api-gateway', 'GET /search', 'server', 502, 589),
      span(2, 8, 'api-gateway', 'GET /items', 'client', 503, 580),
      span(2, 9, 'catalog-service', 'GET /items', 'server', 504, 579),
    ];
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', 'mobile-app,api-gateway,catalog-service']);
    expect([code, verdict.problems.map((p) => p.message)]).toEqual([
      1,
      [
        `catalog-service has no span in trace ${short(numberedTraceId(1))}: api-gateway's call "GET /items" (${short(numberedSpanId(5))}) got no answer in this trace: catalog-service's span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), or catalog-service started a new trace that no span link, route or timing ties to this run`,
      ],
    ]);
  });

  it("leaves another journey's break on the first hop to that journey under --expect", async () => {
    // Searches that kept their trace, and a checkout whose app sent POST /checkout without a header: the
    // gateway's trace went on to payment-api. Tied to the checkout as a "search run", it read as
    // "catalog-service has no span": no search ever takes POST /checkout.
    const { span, next } = numberedSpans(Date.UTC(2026, 10, 26, 9));
    const search = (trace: number, at: number) => {
      const root = next();
      return [
        span(trace, undefined, 'mobile-app', 'search', 'internal', at, at + 100),
        span(trace, root, 'mobile-app', 'GET /search', 'client', at + 1, at + 90),
        span(trace, root + 1, 'api-gateway', 'GET /search', 'server', at + 2, at + 89),
        span(trace, root + 2, 'api-gateway', 'GET /items', 'client', at + 3, at + 80),
        span(trace, root + 3, 'catalog-service', 'GET /items', 'server', at + 4, at + 79),
      ];
    };
    const spans = [...search(1, 0), ...search(2, 1000)];
    const checkout = next();
    spans.push(
      span(3, undefined, 'mobile-app', 'checkout', 'internal', 500, 600),
      span(3, checkout, 'mobile-app', 'POST /checkout', 'client', 501, 590),
      span(4, undefined, 'api-gateway', 'POST /checkout', 'server', 502, 589),
      span(4, checkout + 2, 'api-gateway', 'POST /payments', 'client', 503, 580),
      span(4, checkout + 3, 'payment-api', 'POST /payments', 'server', 504, 579),
    );
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', 'mobile-app,api-gateway,catalog-service']);
    expect([code, verdict.problems, verdict.runs.map((run) => [short(run.traceId), run.ok])]).toEqual([
      0,
      [],
      [
        [short(numberedTraceId(1)), true],
        [short(numberedTraceId(2)), true],
      ],
    ]);
  });

  it('passes 100 clean checkouts among health checks, scheduled jobs and login runs', async () => {
    const spans = await buildDump({
      runs: [...hundred(), ...manyRuns(LOGIN, 20, 17, 2)],
      healthChecks: Array.from({ length: 30 }, (_, i) => ({
        service: ['api-gateway', 'payment-api', 'fraud-service'][i % 3] as string,
        at: i * 13,
      })),
      jobs: [
        { service: 'payment-api', calls: 'fraud-service', at: 101 },
        { service: 'api-gateway', calls: 'payment-api', at: 333 },
      ],
    });
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    expect([code, verdict.ok, verdict.problems, verdict.warnings, verdict.runs.length, verdict.traces]).toEqual([
      0,
      true,
      [],
      [],
      100,
      152,
    ]);
    const human = await runCli(['check', '--expect', CHAIN, 'dump.jsonl'], dumpFile(spans));
    expect(human.stdout).toBe(
      '[tracehop] OK: 152 traces, 836 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace in each of 100 runs.\n',
    );
  });

  it('ties fragments that route and timing cannot tell apart to the runs in start order, and says it guessed', async () => {
    // Two runs at the same instant, both broken on the same hop: either fragment may belong to either run.
    // The verdict on each run is the same either way, so each fragment goes to one run (the earliest free
    // one, in trace order) rather than counting as a run of its own.
    const runs: RunSpec[] = [
      { journey: CHECKOUT, at: 0, faults: { 1: 'drop' } },
      { journey: CHECKOUT, at: 0, faults: { 1: 'drop' } },
    ];
    const spans = await buildDump({ runs });
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    const bySpanId = (a: Span, b: Span) => (a.spanId < b.spanId ? -1 : 1);
    const fragments = spans.filter((s) => s.service === 'payment-api' && s.parentSpanId === undefined);
    const calls = spans.filter((s) => s.service === 'api-gateway' && s.name === 'POST /payments');
    // Fragments are taken in start order (equal here, so in dump order); runs in trace order.
    const runOrder = verdict.runs.map((run) => run.traceId);
    const callsInRunOrder = [...calls].sort((a, b) => runOrder.indexOf(a.traceId) - runOrder.indexOf(b.traceId));
    const pairs = fragments.map((fragment, i) => [fragment, callsInRunOrder[i] as Span] as const);
    expect(code).toBe(1);
    expect(verdict.problems.map((p) => [p.kind, p.spanId, p.message]).sort()).toEqual(
      pairs
        .map(([fragment, call]) => [
          'broken-chain',
          fragment.spanId,
          `api-gateway received the request but payment-api started a new trace (${short(fragment.traceId)} instead of ${short(call.traceId)}): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does` +
            ' (route and timing fit 1 other run as well: which run it left is a guess)',
        ])
        .sort(),
    );
    // Two runs (the two traces the calls are in), each broken on the same hop.
    expect(verdict.runs.map((run) => [run.traceId, run.ok, run.kinds])).toEqual(
      [...calls]
        .sort(bySpanId)
        .map((call) => [call.traceId, false, ['broken-chain']])
        .sort(),
    );
  });

  it.each([
    ['payment-api', 40, 1],
    ['payment-api', -40, 1],
    ['mobile-app', 5 * 60_000, 0],
  ] as const)(
    "ties fragments to their own runs when %s's clock is off by %d ms (hop %d broken in many runs)",
    async (service, offsetMs, hop) => {
      // Runs every 3 ms, about five in flight. Unless the offset the healthy hops show is taken out, a
      // fragment's start falls beside calls of other runs, or of none. Every other run from the 10th to the
      // 30th breaks: several unanswered calls in flight at a time.
      const broken = Array.from({ length: 11 }, (_, i) => 10 + 2 * i);
      const runs = manyRuns(CHECKOUT, 60, 3).map((run, i) =>
        broken.includes(i) ? { ...run, faults: { [hop]: 'drop' as const } } : run,
      );
      const spans = await buildDump({ runs, clockOffsetMs: { [service]: offsetMs } });
      // The k-th fragment to start is the k-th broken run's: the runs are alike but for their start.
      const callee = CHECKOUT.chain[hop + 1];
      const fragments = spans
        .filter((span) => span.service === callee && span.parentSpanId === undefined)
        .sort((a, b) => a.startTimeMs - b.startTimeMs);
      const truth = fragments.map(
        (fragment, k) =>
          `${short(fragment.traceId)} instead of ${short(runTrace(spans, 'checkout', (broken[k] ?? 0) * 3))}`,
      );
      const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
      const ties = verdict.problems.map((problem) => /\((\w+ instead of \w+)\)/.exec(problem.message)?.[1]);
      expect([code, verdict.runs.length, verdict.problems.length, ties.sort()]).toEqual([1, 60, 11, truth.sort()]);
    },
  );
});

describe('tracehop check names the real-world causes', () => {
  it('wrong-parent: a hop forwarded the traceparent it received instead of its CLIENT span', async () => {
    const spans = await buildDump({ runs: [{ journey: CHECKOUT, at: 0, faults: { 1: 'forward' } }] });
    const server = find(spans, 'payment-api', 'POST /payments');
    const appCall = find(spans, 'mobile-app', 'POST /checkout');
    const gatewayCall = find(spans, 'api-gateway', 'POST /payments');
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    expect([code, verdict.problems]).toEqual([
      1,
      [
        {
          kind: 'wrong-parent',
          traceId: server.traceId,
          spanId: server.spanId,
          service: 'payment-api',
          message: `payment-api "POST /payments" (${short(server.spanId)}) is parented to mobile-app's CLIENT span "POST /checkout" (${short(appCall.spanId)}) instead of api-gateway's CLIENT span "POST /payments" (${short(gatewayCall.spanId)}) on the hop api-gateway -> payment-api: api-gateway forwarded the traceparent it received instead of injecting its own client span (inject from the CLIENT span's context, after starting it)`,
        },
      ],
    ]);
    expect(verdict.runs).toEqual([{ traceId: server.traceId, journey: null, ok: false, kinds: ['wrong-parent'] }]);
  });

  it('passes a chain through a queue whose consumer reads 1.5 s after the producer, without a skew warning', async () => {
    const spans = await buildDump({ runs: [{ journey: CHECKOUT, at: 0, queueHops: [2], queueDelayMs: 1500 }] });
    const consumer = find(spans, 'fraud-service', 'POST /fraud/score');
    const producer = find(spans, 'payment-api', 'POST /fraud/score');
    expect([producer.kind, consumer.kind, consumer.parentSpanId, consumer.startTimeMs - producer.endTimeMs]).toEqual([
      'producer',
      'consumer',
      producer.spanId,
      1500,
    ]);
    const result = await runCli(['check', '--expect', CHAIN, 'dump.jsonl'], dumpFile(spans));
    expect(result).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace.\n',
      stderr: '',
    });
  });

  it.each([0, 1])(
    'judges runs whose first hop holds an id in its path, broken on hop %d, not dropping them as another journey',
    async (hop) => {
      // A gateway without a router names its SERVER span after the concrete path: each run's route differs. On
      // hop 0 the app's trace reaches nobody: its call's route must still read as the sound runs' route.
      const runs: RunSpec[] = Array.from({ length: 6 }, (_, i) => ({
        journey: { ...CHECKOUT, routes: [`POST /carts/c-${1000 + i}/checkout`, ...CHECKOUT.routes.slice(1)] },
        at: i * 40,
        ...(i % 3 === 2 ? { faults: { [hop]: 'drop' as const } } : {}),
      }));
      const spans = await buildDump({ runs });
      const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
      expect([code, verdict.problems.map((problem) => problem.kind), verdict.runs.map((run) => run.ok)]).toEqual([
        1,
        ['broken-chain', 'broken-chain'],
        [true, true, false, true, true, false],
      ]);
    },
  );

  it('leaves alone another operation behind a GraphQL gateway that shares the first hop but not the next', async () => {
    const graphql = { ...CHECKOUT, routes: ['POST /graphql', ...CHECKOUT.routes.slice(1)] };
    const query = {
      name: 'paymentMethods',
      chain: CHECKOUT.chain.slice(0, 3),
      routes: ['POST /graphql', 'GET /payment-methods'],
    };
    const spans = await buildDump({
      runs: [0, 100, 200].flatMap((at) => [
        { journey: graphql, at },
        { journey: query, at: at + 50 },
      ]),
    });
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    expect([code, verdict.problems, verdict.runs.map((run) => run.ok)]).toEqual([0, [], [true, true, true]]);
  });

  it.each([
    ['a second call to the same service (a capture after an authorize)', 'POST /payments/capture', undefined],
    ['a redirect followed without the trace headers', 'POST /v2/payments', 307],
  ])('broken-chain: a run that got past a hop loses the context of %s', async (_what, lostRoute, redirect) => {
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    const url = (route: string): Record<string, string> => ({ 'url.full': `http://payment-api${route.split(' ')[1]}` });
    const spans = [
      span(1, undefined, 'mobile-app', 'checkout', 'internal', 0, 400), // 1
      span(1, 1, 'mobile-app', 'POST /checkout', 'client', 10, 380), // 2
      span(1, 2, 'api-gateway', 'POST /checkout', 'server', 20, 370), // 3
      span(1, 3, 'api-gateway', 'POST', 'client', 30, 180, {
        ...url('POST /payments'),
        ...(redirect ? { 'http.response.status_code': redirect } : {}),
      }), // 4
      span(1, 4, 'payment-api', 'POST /payments', 'server', 40, 170), // 5
      ...(redirect
        ? []
        : [
            span(1, 5, 'payment-api', 'POST /fraud/score', 'client', 50, 160),
            span(1, 6, 'fraud-service', 'POST /fraud/score', 'server', 60, 150),
          ]),
      // The second call: its CLIENT span unanswered, the SERVER span the root of a trace of its own.
      span(1, 3, 'api-gateway', 'POST', 'client', 200, 360, url(lostRoute)),
      span(2, undefined, 'payment-api', lostRoute, 'server', 210, 350, {
        'http.route': lostRoute.split(' ')[1] as string,
      }),
      ...(redirect
        ? [
            span(2, 7, 'payment-api', 'POST /fraud/score', 'client', 220, 340),
            span(2, 8, 'fraud-service', 'POST /fraud/score', 'server', 230, 330),
          ]
        : []),
    ];
    const lost = spans.find((candidate) => candidate.name === lostRoute) as Span;
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    expect([
      code,
      verdict.problems.map((problem) => [problem.kind, problem.traceId, problem.message]),
      verdict.runs,
    ]).toEqual([
      1,
      [
        [
          'broken-chain',
          lost.traceId,
          `api-gateway received the request but payment-api started a new trace (${short(lost.traceId)} instead of ${short(spans[0]!.traceId)}): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does`,
        ],
      ],
      [{ traceId: spans[0]!.traceId, journey: null, ok: false, kinds: ['broken-chain'] }],
    ]);
  });

  it('missing-service: says a call that failed never reached the service, rather than blame its trace context', async () => {
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    const whole = wholeRun(span);
    // The retry's run, whose gateway call was refused: an ERROR status and no answer (spans 6 to 9).
    const failedRun = [
      ...secondRequest(span, 'checkout', 100),
      { ...span(2, 8, 'api-gateway', 'POST /payments', 'client', 103, 104), statusCode: 2 },
    ];
    const refused = failedRun[3] as Span;
    const { code, verdict } = await checkJson(dumpFile([...whole, ...failedRun]), [
      '--expect',
      'mobile-app,api-gateway,payment-api',
    ]);
    expect([code, verdict.problems.map((problem) => [problem.kind, problem.traceId, problem.message])]).toEqual([
      1,
      [
        [
          'missing-service',
          refused.traceId,
          `payment-api has no span in trace ${short(refused.traceId)}: api-gateway's call "POST /payments" (${short(refused.spanId)}) failed (its span's status is ERROR) and got no answer in this trace: most likely it never reached payment-api, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)`,
        ],
      ],
    ]);
  });

  it('leaves alone another journey whose last service also called a third party that does not trace', async () => {
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    const whole = wholeRun(span);
    const login = [
      ...secondRequest(span, 'login', 200),
      // The identity provider's keys, fetched from a host that records no span: unanswered, and no hop of the chain.
      span(2, 8, 'api-gateway', 'GET', 'client', 203, 210, {
        'url.full': 'https://www.googleapis.com/oauth2/v3/certs',
      }),
      span(2, 8, 'api-gateway', 'POST /auth', 'client', 211, 290),
      span(2, 10, 'auth-service', 'POST /auth', 'server', 212, 289),
    ];
    const { code, verdict } = await checkJson(dumpFile([...whole, ...login]), [
      '--expect',
      'mobile-app,api-gateway,payment-api',
    ]);
    expect([code, verdict.problems, verdict.runs.map((run) => run.ok)]).toEqual([0, [], [true]]);
  });

  it('judges a run that took its own route on a later hop and broke there, rather than drop it as another journey', async () => {
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    let n = 0;
    const spans: Span[] = [];
    const run = (trace: number, at: number, route: string, broken: boolean): void => {
      const first = n + 1;
      spans.push(
        span(trace, undefined, 'mobile-app', 'checkout', 'internal', at, at + 90),
        span(trace, first, 'mobile-app', 'POST /checkout', 'client', at + 1, at + 80),
        span(trace, first + 1, 'api-gateway', 'POST /checkout', 'server', at + 2, at + 70),
        span(trace, first + 2, 'api-gateway', `POST ${route}`, 'client', at + 3, at + 65),
        span(trace, first + 3, 'payment-api', `POST ${route}`, 'server', at + 4, at + 60),
        span(trace, first + 4, 'payment-api', 'POST /fraud/score', 'client', at + 5, at + 50),
        broken
          ? span(100 + trace, undefined, 'fraud-service', 'POST /fraud/score', 'server', at + 6, at + 45)
          : span(trace, first + 5, 'fraud-service', 'POST /fraud/score', 'server', at + 6, at + 45),
      );
      n += 7;
    };
    run(1, 0, '/payments/card', false);
    run(2, 100, '/payments/card', false);
    run(3, 200, '/payments/wallet', true);
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', CHAIN]);
    expect([code, verdict.problems.map((problem) => problem.kind), verdict.runs.map((one) => one.ok)]).toEqual([
      1,
      ['broken-chain'],
      [true, true, false],
    ]);
  });

  it('broken-chain: a call made outside its request that links back to it is named so', async () => {
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    const request = [
      span(1, undefined, 'mobile-app', 'checkout', 'internal', 0, 200),
      span(1, 1, 'mobile-app', 'POST /checkout', 'client', 1, 190),
      span(1, 2, 'api-gateway', 'POST /checkout', 'server', 2, 180),
    ];
    const served = request[2] as Span;
    const outside = {
      ...span(2, undefined, 'api-gateway', 'POST /payments', 'client', 10, 100),
      links: [{ traceId: served.traceId, spanId: served.spanId }],
    };
    const spans = [...request, outside, span(2, 4, 'payment-api', 'POST /payments', 'server', 11, 90)];
    const { code, verdict } = await checkJson(dumpFile(spans), ['--expect', 'mobile-app,api-gateway,payment-api']);
    expect([code, verdict.problems.map((problem) => problem.message.split(', while')[0])]).toEqual([
      1,
      [
        `api-gateway's CLIENT span "POST /payments" (${short(outside.spanId)}) started a new trace (${short(outside.traceId)} instead of ${short(served.traceId)}) that reached payment-api`,
      ],
    ]);
  });

  it('missing-service: names the call meant for the missing service, not a failed database query beside it', async () => {
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    const whole = wholeRun(span);
    const broken = [
      ...secondRequest(span, 'checkout', 100),
      {
        ...span(2, 8, 'api-gateway', 'SELECT carts', 'client', 103, 104, { 'db.system.name': 'postgresql' }),
        statusCode: 2,
      },
      span(2, 8, 'api-gateway', 'POST /payments', 'client', 105, 160),
    ];
    const call = broken[4] as Span;
    const { verdict } = await checkJson(dumpFile([...whole, ...broken]), [
      '--expect',
      'mobile-app,api-gateway,payment-api',
    ]);
    expect(verdict.problems.map((problem) => problem.message)).toEqual([
      `payment-api has no span in trace ${short(call.traceId)}: api-gateway's call "POST /payments" (${short(call.spanId)}) got no answer in this trace: payment-api's span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), or payment-api started a new trace that no span link, route or timing ties to this run`,
    ]);
  });

  it('missing-service: a call whose span recorded an answer was answered, so the callee left no span of it (sampled out)', async () => {
    // A hop cleared the sampled flag: the callee's ParentBased sampler recorded nothing, yet it answered.
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    const whole = wholeRun(span);
    const broken = [
      ...secondRequest(span, 'checkout', 100),
      span(2, 8, 'api-gateway', 'POST /payments', 'client', 105, 160, { 'http.response.status_code': 200 }),
    ];
    const call = broken[3]!;
    // Alone, without payment-api's span: the older attribute, as a Zipkin or Jaeger tag holds it (a string).
    const gatewayCall = { ...whole[3]!, attributes: { 'http.status_code': '503' } };
    const alone = [...whole.slice(0, 3), gatewayCall];
    const messages = async (spans: Span[]): Promise<string[]> =>
      (await checkJson(dumpFile(spans), ['--expect', 'mobile-app,api-gateway,payment-api'])).verdict.problems.map(
        (problem) => problem.message,
      );
    // A failed call answered 5xx (by a proxy, the callee being down) is a failed attempt, its status named.
    const failedCall = { ...gatewayCall, statusCode: 2 as const };
    const failedAlone = [...whole.slice(0, 3), failedCall];
    expect({
      elsewhere: await messages([...whole, ...broken]),
      nowhere: await messages(alone),
      failed: await messages(failedAlone),
    }).toEqual({
      failed: [
        `payment-api has no span in any trace: api-gateway's call "POST /payments" (${short(gatewayCall.spanId)}) failed with HTTP 503 (its span's status is ERROR) and payment-api left no span of it in the dump: ` +
          'most likely a proxy or load balancer in front of payment-api answered it without reaching payment-api, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain), or payment-api answered it itself and its spans were not exported',
      ],
      elsewhere: [
        `payment-api has no span in trace ${short(call.traceId)}: api-gateway's call "POST /payments" (${short(call.spanId)}) was answered (HTTP 200) but payment-api left no span of it in this trace: ` +
          "the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), payment-api's own sampler dropped it though api-gateway sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), payment-api started a new trace that no span link, route or timing ties to this run, or a proxy or cache answered in its place",
      ],
      nowhere: [
        `payment-api has no span in any trace: api-gateway's call "POST /payments" (${short(gatewayCall.spanId)}) was answered (HTTP 503) but payment-api left no span of it in the dump: ` +
          "the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), payment-api's own sampler dropped it though api-gateway sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), payment-api's spans were not exported, or a proxy or cache answered in its place",
      ],
    });
  });

  it('missing-service: a failed call a proxy answered 502 or 504 may have reached the callee; 520 or 524 did', async () => {
    // A gateway answers 502 or 504 whether or not the upstream got the request (a refused or timed-out connect, or
    // a broken or late answer); Cloudflare answers 520 and 524 only after it connected and sent the request.
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    const whole = wholeRun(span);
    const answeredWith = async (status: number): Promise<string[]> => {
      const call = { ...whole[3]!, statusCode: 2 as const, attributes: { 'http.response.status_code': status } };
      const dir = dumpFile([...whole.slice(0, 3), call]);
      return (await checkJson(dir, ['--expect', 'mobile-app,api-gateway,payment-api'])).verdict.problems.map(
        (problem) => problem.message,
      );
    };
    const call = `payment-api has no span in any trace: api-gateway's call "POST /payments" (${short(whole[3]!.spanId)})`;
    const tried = (status: number): string =>
      `${call} failed with HTTP ${status}, a proxy's answer after trying payment-api: whether payment-api received the request is not known ` +
      `(a proxy answers ${status} when it could not reach payment-api in time as well as when payment-api broke off or timed out after receiving it), ` +
      'and payment-api left no span of it in the dump: the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain), ' +
      'or payment-api received it sampled out (by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off) or its spans were not exported';
    const forwarded = (status: number): string =>
      `${call} was answered (HTTP ${status}, by a proxy that had forwarded the request: its upstream connection reset or timed out) but payment-api left no span of it in the dump: ` +
      "the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), " +
      "payment-api's own sampler dropped it though api-gateway sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), " +
      "or payment-api's spans were not exported";
    expect({
      502: await answeredWith(502),
      504: await answeredWith(504),
      520: await answeredWith(520),
      524: await answeredWith(524),
    }).toEqual({ 502: [tried(502)], 504: [tried(504)], 520: [forwarded(520)], 524: [forwarded(524)] });
  });

  it('missing-service: with no run in any trace, an app call a gateway answered 502 is named as tried, not as never made', async () => {
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    const whole = wholeRun(span);
    const call = { ...whole[1]!, statusCode: 2 as const, attributes: { 'http.response.status_code': 502 } };
    const dir = dumpFile([whole[0]!, call]);
    const { verdict } = await checkJson(dir, ['--expect', 'mobile-app,api-gateway,payment-api']);
    expect(verdict.problems.map((problem) => problem.message)).toEqual([
      `api-gateway has no span in any trace: mobile-app's call "POST /checkout" (${short(call.spanId)}) failed with HTTP 502, a proxy's answer after trying api-gateway: ` +
        'whether api-gateway received the request is not known (a proxy answers 502 when it could not reach api-gateway in time as well as when api-gateway broke off or timed out after receiving it), ' +
        'and api-gateway left no span of it in the dump: the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain), ' +
        'or api-gateway received it sampled out (by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off) or its spans were not exported',
      'payment-api has no span in any trace: the chain already stops at mobile-app, before api-gateway',
    ]);
  });

  it("missing-service: an answered call's flags say which samplers may have dropped it", async () => {
    // api-gateway's span of the call says it sent the request sampled (flags 01): payment-api's own sampler
    // (traceidratio, jaeger_remote, always_off: one that ignores the flag) may have dropped it, as well as a hop
    // after that cleared the flag in front of a parentbased_ sampler. Flags 00: the gateway itself sent it unsampled.
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    const whole = wholeRun(span);
    const sampled = { ...whole[3]!, traceFlags: 1, attributes: { 'http.response.status_code': 200 } };
    const unknown = { ...sampled, traceFlags: undefined };
    const unsampled = { ...sampled, traceFlags: 0 };
    const messages = async (spans: Span[]): Promise<string[]> =>
      (await checkJson(dumpFile(spans), ['--expect', 'mobile-app,api-gateway,payment-api'])).verdict.problems.map(
        (problem) => problem.message,
      );
    const answered = `payment-api has no span in any trace: api-gateway's call "POST /payments" (${short(sampled.spanId)}) was answered (HTTP 200) but payment-api left no span of it in the dump: `;
    expect({
      sampled: await messages([...whole.slice(0, 3), sampled]),
      unknown: await messages([...whole.slice(0, 3), unknown]),
      unsampled: await messages([...whole.slice(0, 3), unsampled]),
    }).toEqual({
      sampled: [
        answered +
          "the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), " +
          "payment-api's own sampler dropped it though api-gateway sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), " +
          "payment-api's spans were not exported, or a proxy or cache answered in its place",
      ],
      // No flags in the dump: either cause stays open.
      unknown: [
        answered +
          "the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), " +
          "payment-api's own sampler dropped it (one that ignores the sampled flag: traceidratio, jaeger_remote or always_off), " +
          "payment-api's spans were not exported, or a proxy or cache answered in its place",
      ],
      // api-gateway sent it unsampled itself: no hop after it had to clear the flag.
      unsampled: [
        `api-gateway "POST /payments" (${short(sampled.spanId)}) is not sampled but its parent api-gateway "POST /checkout" (${short(whole[2]!.spanId)}) is sampled: ` +
          "the sampled flag was cleared inside api-gateway, or api-gateway's sampler ignored the parent's decision (use a ParentBased sampler)",
        answered +
          "the request left api-gateway sampled out (its span's flags say 00), and a sampler that follows the flag records nothing of it (any parentbased_ one, the SDKs' default), " +
          "payment-api's spans were not exported, or a proxy or cache answered in its place",
      ],
    });
  });

  it("missing-service: a Spring client's call with Micrometer's status tag (and no http.status_code) was answered", async () => {
    // Spring Boot 3's RestClient through Micrometer Tracing: the answer's status in `status` (IO_ERROR or
    // CLIENT_ERROR when there was none) beside `outcome`, and no http.status_code or http.response.status_code.
    const { span } = numberedSpans(Date.UTC(2026, 10, 26));
    const whole = wholeRun(span);
    const spring = { status: '200', outcome: 'SUCCESS', 'http.url': 'http://payment-api:8080/payments' };
    const call = { ...whole[3]!, attributes: spring };
    const ioError = { ...call, attributes: { ...spring, status: 'IO_ERROR', outcome: 'UNKNOWN' } };
    const messages = async (spans: Span[]): Promise<string[]> =>
      (await checkJson(dumpFile(spans), ['--expect', 'mobile-app,api-gateway,payment-api'])).verdict.problems.map(
        (problem) => problem.message,
      );
    expect({
      answered: await messages([...whole.slice(0, 3), call]),
      unanswered: await messages([...whole.slice(0, 3), ioError]),
    }).toEqual({
      answered: [
        `payment-api has no span in any trace: api-gateway's call "POST /payments" (${short(call.spanId)}) was answered (HTTP 200) but payment-api left no span of it in the dump: ` +
          "the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), payment-api's own sampler dropped it though api-gateway sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), payment-api's spans were not exported, or a proxy or cache answered in its place",
      ],
      unanswered: [
        `payment-api has no span in any trace: api-gateway's call "POST /payments" (${short(call.spanId)}) got no answer: ` +
          "payment-api never received it in this run's context (the request was refused, or queued and sent later from another context), or payment-api's spans were not exported",
      ],
    });
  });

  describe('consumers that link to the runs whose messages they read', () => {
    const { next, span } = numberedSpans(Date.UTC(2026, 10, 26));
    /** Three runs, each ending at payment-api's PRODUCER span: spans 1-6 are run 1's, 7-12 run 2's, 13-18 run 3's. */
    const runs = [1, 2, 3].flatMap((trace) => {
      const at = trace * 100;
      const first = (trace - 1) * 6 + 1;
      return [
        span(trace, undefined, 'mobile-app', 'checkout', 'internal', at, at + 90),
        span(trace, first, 'mobile-app', 'POST /checkout', 'client', at + 1, at + 80),
        span(trace, first + 1, 'api-gateway', 'POST /checkout', 'server', at + 2, at + 70),
        span(trace, first + 2, 'api-gateway', 'POST /payments', 'client', at + 3, at + 65),
        span(trace, first + 3, 'payment-api', 'POST /payments', 'server', at + 4, at + 60),
        span(trace, first + 4, 'payment-api', 'send payments', 'producer', at + 5, at + 6),
      ];
    });
    const producers = runs.filter((candidate) => candidate.kind === 'producer');
    const link = (producer: Span): { traceId: Span['traceId']; spanId: Span['spanId'] } => ({
      traceId: producer.traceId,
      spanId: producer.spanId,
    });
    const chain = 'mobile-app,api-gateway,payment-api,fraud-service';

    it('ties a batch consumer to every run it links to, and --accept-links accepts them all', async () => {
      const batch = {
        ...span(9, undefined, 'fraud-service', 'process payments', 'consumer', 500, 560),
        links: producers.map(link),
      };
      const dir = dumpFile([...runs, batch]);
      const strict = await checkJson(dir, ['--expect', chain]);
      const accepted = await checkJson(dir, ['--expect', chain, '--accept-links']);
      expect([
        strict.code,
        strict.verdict.problems.map((problem) => problem.message.split(':')[0]).sort(),
        strict.verdict.runs.map((run) => run.kinds),
        accepted.code,
        accepted.verdict.runs.map((run) => run.ok),
      ]).toEqual([
        1,
        producers.map(
          (producer) =>
            `fraud-service's CONSUMER span "process payments" (${short(batch.spanId)}) started a new trace (${short(batch.traceId)} instead of ${short(producer.traceId)}) with a span link to payment-api PRODUCER span "send payments" (${short(producer.spanId)})`,
        ),
        [['broken-chain'], ['broken-chain'], ['broken-chain']],
        0,
        [true, true, true],
      ]);
    });

    const longer = `${chain},notifier`;

    it('takes a pull consumer that goes on to call the next service for a linked fragment, not a detached call', async () => {
      const [producer] = producers as [Span];
      const receiveNo = next();
      const receive = {
        ...span(9, undefined, 'fraud-service', 'receive payments', 'client', 500, 510),
        links: [link(producer)],
      };
      const processNo = next();
      const process = { ...span(9, receiveNo, 'fraud-service', 'process payments', 'consumer', 511, 560) };
      const callNo = next();
      const call = span(9, processNo, 'fraud-service', 'POST /notify', 'client', 520, 550);
      const notified = span(9, callNo, 'notifier', 'POST /notify', 'server', 521, 549);
      const dir = dumpFile([...runs.slice(0, 6), receive, process, call, notified]);
      const strict = await checkJson(dir, ['--expect', longer]);
      const accepted = await checkJson(dir, ['--expect', longer, '--accept-links']);
      expect([
        strict.verdict.problems.map((problem) => problem.message.split(': linked')[0]),
        accepted.code,
        accepted.verdict.runs.map((run) => run.ok),
      ]).toEqual([
        [
          `fraud-service's CLIENT span "receive payments" (${short(receive.spanId)}) started a new trace (${short(receive.traceId)} instead of ${short(producer.traceId)}) with a span link to payment-api PRODUCER span "send payments" (${short(producer.spanId)})`,
        ],
        0,
        [true],
      ]);
    });

    it('breaks every run a batch consumer linked to when the chain breaks past the batch', async () => {
      const batchNo = next();
      const batch = {
        ...span(9, undefined, 'fraud-service', 'process payments', 'consumer', 500, 560),
        links: producers.slice(0, 2).map(link),
      };
      const call = span(9, batchNo, 'fraud-service', 'POST /notify', 'client', 510, 550);
      // notifier lost the context: a trace of its own.
      const restarted = span(10, undefined, 'notifier', 'POST /notify', 'server', 511, 549);
      const dir = dumpFile([...runs.slice(0, 12), batch, call, restarted]);
      const accepted = await checkJson(dir, ['--expect', longer, '--accept-links']);
      expect(accepted.verdict.runs.map((run) => [run.ok, run.kinds])).toEqual([
        [false, ['broken-chain']],
        [false, ['broken-chain']],
      ]);
    });

    it('reads the link of a pull consumer: a "receive" CLIENT span at the top, the CONSUMER span beneath', async () => {
      const [producer] = producers as [Span];
      const receiveNo = next();
      const receive = {
        ...span(9, undefined, 'fraud-service', 'receive payments', 'client', 500, 510),
        links: [link(producer)],
      };
      const process = {
        ...span(9, receiveNo, 'fraud-service', 'process payments', 'consumer', 511, 560),
        links: [link(producer)],
      };
      const dir = dumpFile([...runs.slice(0, 6), receive, process]);
      const strict = await checkJson(dir, ['--expect', chain]);
      const accepted = await checkJson(dir, ['--expect', chain, '--accept-links']);
      expect([strict.code, strict.verdict.problems.map((problem) => problem.message), accepted.code]).toEqual([
        1,
        [
          `fraud-service's CLIENT span "receive payments" (${short(receive.spanId)}) started a new trace (${short(receive.traceId)} instead of ${short(producer.traceId)}) with a span link to payment-api PRODUCER span "send payments" (${short(producer.spanId)}): linked, not parented, so the run is split in two traces (extract the message's context as the parent, or pass --accept-links if fraud-service is a batch consumer)`,
        ],
        0,
      ]);
    });
  });

  it('broken-chain: a consumer linked to its producer instead of parented; --accept-links accepts it', async () => {
    const spans = await buildDump({
      runs: [{ journey: CHECKOUT, at: 0, queueHops: [2], queueDelayMs: 1500, faults: { 2: 'link' } }],
    });
    const consumer = find(spans, 'fraud-service', 'POST /fraud/score');
    const producer = find(spans, 'payment-api', 'POST /fraud/score');
    const dir = dumpFile(spans);
    const { code, verdict } = await checkJson(dir, ['--expect', CHAIN]);
    expect([code, verdict.problems]).toEqual([
      1,
      [
        {
          kind: 'broken-chain',
          traceId: consumer.traceId,
          spanId: consumer.spanId,
          service: 'fraud-service',
          message: `fraud-service's CONSUMER span "POST /fraud/score" (${short(consumer.spanId)}) started a new trace (${short(consumer.traceId)} instead of ${short(producer.traceId)}) with a span link to payment-api PRODUCER span "POST /fraud/score" (${short(producer.spanId)}): linked, not parented, so the run is split in two traces (extract the message's context as the parent, or pass --accept-links if fraud-service is a batch consumer)`,
        },
      ],
    ]);
    const accepted = await checkJson(dir, ['--expect', CHAIN, '--accept-links']);
    expect([accepted.code, accepted.verdict.problems, accepted.verdict.runs]).toEqual([
      0,
      [],
      [{ traceId: producer.traceId, journey: null, ok: true, kinds: [] }],
    ]);
    // The summary says the run went on across the link, not that it ran in one trace.
    expect(await runCli(['check', '--expect', CHAIN, '--accept-links', 'dump.jsonl'], dir)).toEqual({
      code: 0,
      stdout: `[tracehop] OK: 2 traces, ${spans.length} spans, no problems; ${CHAIN.split(',').join(' -> ')} run in one trace or across a span link (--accept-links).\n`,
      stderr: '',
    });
  });

  it('warns of clock skew only beyond the tolerance: 1 ms by default, --skew-tolerance MS', async () => {
    const subMs = await buildDump({ runs: [{ journey: CHECKOUT, at: 0 }], clockOffsetMs: { 'payment-api': -0.4 } });
    expect((await checkJson(dumpFile(subMs), ['--expect', CHAIN])).verdict.warnings).toEqual([]);
    const spans = await buildDump({ runs: [{ journey: CHECKOUT, at: 0 }], clockOffsetMs: { 'payment-api': -3 } });
    const server = find(spans, 'payment-api', 'POST /payments');
    const dir = dumpFile(spans);
    const { code, verdict } = await checkJson(dir, ['--expect', CHAIN]);
    // payment-api's clock is 3 ms behind: payment-api's SERVER span starts 2 ms before its caller's CLIENT
    // span. fraud-service's SERVER span ends 2 ms after payment-api's CLIENT span, but it started within it:
    // a response flushed late looks the same, so that is no warning.
    expect([code, verdict.warnings.map((w) => [w.kind, w.spanId, w.skewMs])]).toEqual([
      0,
      [['clock-skew', server.spanId, 2]],
    ]);
    expect(find(spans, 'fraud-service', 'POST /fraud/score').endTimeMs).toBeGreaterThan(
      find(spans, 'payment-api', 'POST /fraud/score').endTimeMs + 1,
    );
    expect((await checkJson(dir, ['--expect', CHAIN, '--skew-tolerance', '2'])).verdict.warnings).toEqual([]);
    expect((await checkJson(dir, ['--expect', CHAIN, '--skew-tolerance=1.5'])).verdict.warnings.length).toBe(1);
  });

  it('prints no clock-skew warning for a clean 20,000-deep trace whose hops differ by 0.001 ms', async () => {
    const spans = await deepTrace(20_000, 0.001);
    const dir = dumpFile(spans, 1000);
    expect(await runCli(['check', 'dump.jsonl'], dir)).toEqual({
      code: 0,
      stdout: '[tracehop] OK: 1 trace, 20000 spans, no problems.\n',
      stderr: NO_CHAIN_NOTE,
    });
    // Without a tolerance every hop into a new service would warn: the tolerance is what keeps it quiet.
    const strict = await checkJson(dir, ['--skew-tolerance', '0']);
    expect([strict.code, strict.verdict.warnings.length, strict.verdict.problems]).toEqual([0, 9_999, []]);
  });

  it('counts a batch the exporter re-sent once, with one duplicate-export warning per span and its count', async () => {
    const spans = await buildDump({ runs: [{ journey: CHECKOUT, at: 0 }] });
    const backend = spans.filter((s) => s.service !== 'mobile-app');
    // The backend batch arrives twice (a lost acknowledgement): the same line written again.
    const dir = dumpFile([...spans, ...backend], 100);
    const { code, verdict } = await checkJson(dir, ['--expect', CHAIN]);
    // 12 spans read, 7 judged: each re-sent span counts once.
    expect([code, verdict.spans, verdict.problems, verdict.warnings.length]).toEqual([0, 7, [], 5]);
    const server = find(spans, 'payment-api', 'POST /payments');
    expect(verdict.warnings.find((w) => w.spanId === server.spanId)).toEqual({
      kind: 'duplicate-export',
      traceId: server.traceId,
      spanId: server.spanId,
      service: 'payment-api',
      count: 2,
      message: `payment-api "POST /payments" (${short(server.spanId)}) was exported 2 times, identical in every field tracehop reads, in trace ${short(server.traceId)}: counted once (an exporter re-sent a batch after a lost acknowledgement, as exporters retry, or the dump holds the trace more than once: answers of a trace store that each returned it, such as one query per service or time windows that overlap, or a file passed twice)`,
    });
    const human = await runCli(['check', '--expect', CHAIN, 'dump.jsonl'], dir);
    expect(human.stdout.split('\n').slice(-3)).toEqual([
      '  … and 4 more like it (trace ' + short(server.traceId) + '; --json lists every one)',
      '[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace (5 warnings).',
      '',
    ]);
  });

  it('a parent cycle is one cycle problem, never "continued another trace (X instead of X)"', async () => {
    const spans = await buildDump({ runs: [{ journey: CHECKOUT, at: 0 }] });
    const server = find(spans, 'api-gateway', 'POST /checkout');
    const client = find(spans, 'api-gateway', 'POST /payments');
    const looped = spans.map((span) => (span === server ? { ...span, parentSpanId: client.spanId } : span));
    const { code, verdict } = await checkJson(dumpFile(looped), ['--expect', CHAIN]);
    expect([code, verdict.problems.map((p) => [p.kind, p.spanId])]).toEqual([1, [['cycle', server.spanId]]]);
    expect(verdict.runs).toEqual([{ traceId: server.traceId, journey: null, ok: false, kinds: ['cycle'] }]);
  });

  it('a service missing from the middle of the chain is missing-service alone, never "not beneath"', async () => {
    const spans = await buildDump({ runs: [{ journey: CHECKOUT, at: 0 }] });
    const { code, verdict } = await checkJson(dumpFile(spans), [
      '--expect',
      'mobile-app,api-gateway,ledger,payment-api,fraud-service',
    ]);
    expect([code, verdict.problems]).toEqual([
      1,
      [
        {
          kind: 'missing-service',
          traceId: spans[0]?.traceId,
          spanId: null,
          service: 'ledger',
          message:
            'ledger has no span in any trace: api-gateway never called it (payment-api is in the trace, called without it), or its spans were not exported',
        },
      ],
    ]);
  });
});

describe('tracehop check --journeys', () => {
  const journeysFile = JSON.stringify({
    journeys: [
      { name: 'checkout', chain: [...CHECKOUT.chain], owner: 'payments', criticality: 'critical' },
      { name: 'login', chain: [...LOGIN.chain], owner: 'identity', criticality: 'critical' },
    ],
  });

  async function mixed(): Promise<{ spans: Span[]; dir: string }> {
    const checkout = manyRuns(CHECKOUT, 30, 7).map((run, i) =>
      i === 4 ? { ...run, faults: { 1: 'drop' as const } } : run,
    );
    const spec: DumpSpec = {
      runs: [...checkout, ...manyRuns(LOGIN, 10, 11, 3).map((run) => ({ ...run, tag: true }))],
      healthChecks: [{ service: 'auth-service', at: 50 }],
    };
    const spans = await buildDump(spec);
    return { spans, dir: dumpFile(spans, 50, { 'journeys.json': journeysFile }) };
  }

  it('names the journey tags the journeys file does not declare, so a misspelt tag does not pass unnoticed', async () => {
    const miscased = { ...CHECKOUT, name: 'Checkout' };
    const spans = await buildDump({
      runs: [
        ...manyRuns(miscased, 4, 7).map((run) => ({ ...run, tag: true })),
        ...manyRuns(LOGIN, 2, 11, 3).map((run) => ({ ...run, tag: true })),
      ],
    });
    const dir = dumpFile(spans, 50, { 'journeys.json': journeysFile });
    const result = await runCli(['check', '--journeys', 'journeys.json', 'dump.jsonl'], dir);
    expect([result.code, result.stderr, result.stdout.split('\n')[0]]).toEqual([
      0,
      '[tracehop] Note: the spans name journeys that "journeys.json" does not declare: "Checkout" (4 traces); their traces are judged as naming no journey. Declare them, or fix the tag (tracehop.journey, app.journey) to a declared name, spelt exactly.\n',
      'checkout (mobile-app -> api-gateway -> payment-api -> fraud-service): no runs',
    ]);
  });

  it('judges each journey against its own chain and prints one summary line per journey', async () => {
    const { spans, dir } = await mixed();
    const broken = runTrace(spans, 'checkout', 4 * 7);
    const result = await runCli(['check', '--journeys', 'journeys.json', 'dump.jsonl'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').slice(0, 4)).toEqual([
      'checkout (mobile-app -> api-gateway -> payment-api -> fraud-service): 30 runs, 1 broken (broken-chain 1)',
      'login (mobile-app -> api-gateway -> auth-service): 10 runs, none broken',
      '1 problem: broken-chain 1',
      '',
    ]);
    const { verdict } = await checkJson(dir, ['--journeys', 'journeys.json']);
    expect(verdict.runs.filter((run) => run.journey === 'login').every((run) => run.ok)).toBe(true);
    expect(verdict.runs.filter((run) => !run.ok)).toEqual([
      { traceId: broken, journey: 'checkout', ok: false, kinds: ['broken-chain'] },
    ]);
  });

  it("finds the app's request sent outside the journey: a trace per request, an offline replay without its context", async () => {
    const { next, span: s } = numberedSpans(Date.UTC(2026, 10, 26));
    const tid = numberedTraceId;
    const sid = numberedSpanId;
    /** The backend half of a checkout or a login, beneath the app's CLIENT span `parent`. */
    const backend = (trace: number, parent: number, route: string, at: number): Span[] => {
      const first = next();
      return route === 'POST /checkout'
        ? [
            s(trace, parent, 'api-gateway', route, 'server', at, at + 50),
            s(trace, first, 'api-gateway', 'POST /payments', 'client', at + 1, at + 49),
            s(trace, first + 1, 'payment-api', 'POST /payments', 'server', at + 2, at + 48),
            s(trace, first + 2, 'payment-api', 'POST /fraud/score', 'client', at + 3, at + 47),
            s(trace, first + 3, 'fraud-service', 'POST /fraud/score', 'server', at + 4, at + 46),
          ]
        : [
            s(trace, parent, 'api-gateway', route, 'server', at, at + 50),
            s(trace, first, 'api-gateway', 'POST /sessions', 'client', at + 1, at + 49),
            s(trace, first + 1, 'auth-service', 'POST /sessions', 'server', at + 2, at + 48),
          ];
    };
    const spans: Span[] = [];
    // 1: a sound checkout.
    spans.push(
      s(1, undefined, 'mobile-app', 'checkout', 'internal', 0, 100),
      s(1, 1, 'mobile-app', 'HTTP POST', 'client', 1, 99),
    );
    spans.push(...backend(1, 2, 'POST /checkout', 2));
    // 2: a checkout whose request started its own trace (3), its root the app's CLIENT span.
    const journeyRoot = next();
    spans.push(s(2, undefined, 'mobile-app', 'checkout', 'internal', 1000, 1100));
    const request = next();
    spans.push(
      s(3, undefined, 'mobile-app', 'HTTP POST', 'client', 1001, 1099),
      ...backend(3, request, 'POST /checkout', 1002),
    );
    // 4: a login whose request went out later from the outbox, in a trace of its own (5).
    const loginRoot = next();
    spans.push(s(4, undefined, 'mobile-app', 'login', 'internal', 2000, 2010));
    const flush = next();
    spans.push(
      s(5, undefined, 'mobile-app', 'outbox.flush', 'internal', 9000, 9100),
      s(5, flush, 'mobile-app', 'HTTP POST', 'client', 9001, 9099),
    );
    spans.push(...backend(5, flush + 1, 'POST /login', 9002));
    const dir = dumpFile(spans, 50, { 'journeys.json': journeysFile });
    const result = await runCli(['check', '--journeys', 'journeys.json', 'dump.jsonl'], dir);
    expect([
      result.code,
      result.stdout.split('\n').slice(0, 3),
      result.stdout.split('\n').filter((line) => line.startsWith('✗')),
    ]).toEqual([
      1,
      [
        'checkout (mobile-app -> api-gateway -> payment-api -> fraud-service): 2 runs, 1 broken (broken-chain 1)',
        'login (mobile-app -> api-gateway -> auth-service): 1 run, 1 broken (broken-chain 1)',
        '2 problems: broken-chain 2',
      ],
      [
        `✗ broken-chain: trace ${tid(3)}, span ${sid(request)}, service mobile-app: mobile-app's CLIENT span "HTTP POST" (${short(sid(request))}) started a new trace (${short(tid(3))} instead of the journey's ${short(tid(2))}) that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "checkout" (${short(sid(journeyRoot))}) (a replayed request needs the context saved with it)`,
        `✗ broken-chain: trace ${tid(5)}, span ${sid(flush)}, service mobile-app: mobile-app's INTERNAL span "outbox.flush" (${short(sid(flush))}) started a new trace (${short(tid(5))} instead of the journey's ${short(tid(4))}) (tied to the journey's run nearest in time: which run it left is a guess) that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "login" (${short(sid(loginRoot))}) (a replayed request needs the context saved with it)`,
      ],
    ]);
  });

  it('ties a fragment to one journey only when two journeys share a chain and a route', async () => {
    // An offline-replay run at 0 ms and a checkout at 1 s, each losing its context on POST /checkout. Judged
    // as a checkout, the replay's fragment (nearest in time) took the checkout, whose own fragment was lost.
    const shared = JSON.stringify({
      journeys: [
        { name: 'checkout', chain: ['mobile-app', 'api-gateway'], owner: 'payments', criticality: 'critical' },
        { name: 'offline-replay', chain: ['mobile-app', 'api-gateway'], owner: 'payments', criticality: 'high' },
      ],
    });
    const { span } = numberedSpans(Date.UTC(2026, 10, 26, 9));
    const spans = [
      span(1, undefined, 'mobile-app', 'offline-replay', 'internal', 0, 100),
      span(1, 1, 'mobile-app', 'POST /checkout', 'client', 1, 50),
      span(2, undefined, 'api-gateway', 'POST /checkout', 'server', 2, 49),
      span(3, undefined, 'mobile-app', 'checkout', 'internal', 1000, 1100),
      span(3, 4, 'mobile-app', 'POST /checkout', 'client', 1001, 1050),
      span(4, undefined, 'api-gateway', 'POST /checkout', 'server', 1002, 1049),
    ];
    const { code, verdict } = await checkJson(dumpFile(spans, 50, { 'journeys.json': shared }), [
      '--journeys',
      'journeys.json',
    ]);
    const restart = (fragment: number, run: number) =>
      `mobile-app sent the request but api-gateway started a new trace (${short(numberedTraceId(fragment))} instead of ${short(numberedTraceId(run))}): mobile-app did not inject traceparent, or api-gateway did not read it, as an SDK with no W3C propagator set does; fix: make mobile-app send one valid W3C traceparent to api-gateway (its SDK's propagation targets and propagators decide which hosts get one), and set the W3C TraceContext propagator in api-gateway's SDK`;
    expect([
      code,
      verdict.problems.map((p) => p.message).sort(),
      verdict.runs.map((run) => [run.journey, short(run.traceId), run.ok]),
    ]).toEqual([
      1,
      [restart(2, 1), restart(4, 3)].sort(),
      [
        ['checkout', short(numberedTraceId(3)), false],
        ['offline-replay', short(numberedTraceId(1)), false],
      ],
    ]);
  });

  it('blames a call made outside its request in one journey only when two journeys share a chain', async () => {
    // A checkout whose api-gateway calls payment-api in a trace of its own (trace 3), beside an offline replay
    // whose payment call arrived sampled out (nothing downstream). Each journey tied trace 3 to its own run: one
    // request blamed twice, and the replay's own cause (missing-service) lost. Both gateway spans ran when the
    // call started and fit it as well: the lower trace id takes it, and the message says it is a guess.
    const shared = JSON.stringify({
      journeys: [
        {
          name: 'checkout',
          chain: ['mobile-app', 'api-gateway', 'payment-api'],
          owner: 'payments',
          criticality: 'critical',
        },
        {
          name: 'offline-replay',
          chain: ['mobile-app', 'api-gateway', 'payment-api'],
          owner: 'payments',
          criticality: 'high',
        },
      ],
    });
    const { span } = numberedSpans(Date.UTC(2026, 10, 26, 9));
    const spans = [
      span(1, undefined, 'mobile-app', 'checkout', 'internal', 0, 100),
      span(1, 1, 'mobile-app', 'POST /checkout', 'client', 1, 99),
      span(1, 2, 'api-gateway', 'POST /checkout', 'server', 2, 98),
      span(2, undefined, 'mobile-app', 'offline-replay', 'internal', 0, 100),
      span(2, 4, 'mobile-app', 'POST /checkout', 'client', 1, 99),
      span(2, 5, 'api-gateway', 'POST /checkout', 'server', 2, 98),
      span(2, 6, 'api-gateway', 'POST /payments', 'client', 3, 97),
      span(3, undefined, 'api-gateway', 'POST /payments', 'client', 10, 90),
      span(3, 8, 'payment-api', 'POST /payments', 'server', 11, 89),
    ];
    const { code, verdict } = await checkJson(dumpFile(spans, 50, { 'journeys.json': shared }), [
      '--journeys',
      'journeys.json',
    ]);
    expect([
      code,
      verdict.problems.map((p) => [p.kind, short(p.traceId ?? ''), p.spanId === null ? null : short(p.spanId)]),
      verdict.runs.map((run) => [run.journey, short(run.traceId), run.kinds]),
    ]).toEqual([
      1,
      [
        ['broken-chain', short(numberedTraceId(3)), short(numberedSpanId(8))],
        ['missing-service', short(numberedTraceId(2)), null],
      ],
      [
        ['checkout', short(numberedTraceId(1)), ['broken-chain']],
        ['offline-replay', short(numberedTraceId(2)), ['missing-service']],
      ],
    ]);
    expect(verdict.problems.map((p) => p.message)).toEqual([
      `api-gateway's CLIENT span "POST /payments" (${short(numberedSpanId(8))}) started a new trace (${short(numberedTraceId(3))} instead of ${short(numberedTraceId(1))}) that reached payment-api, while "POST /checkout" (${short(numberedSpanId(3))}) served the request (1 other run's spans of api-gateway ran then too, of journey offline-replay: which run it served is a guess): api-gateway made the call outside the request's context; fix: make api-gateway start its call in the context of the request it serves (hand the context on with the work to a pool, queue or timer)`,
      `payment-api has no span in trace ${short(numberedTraceId(2))}: api-gateway's call "POST /payments" (${short(numberedSpanId(7))}) got no answer in this trace: payment-api's span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), or payment-api started a new trace that no span link, route or timing ties to this run`,
    ]);
  });

  it.each([
    ['checkout', 'offline-replay'],
    ['offline-replay', 'checkout'],
  ])(
    'ties a new trace to the run it links to, not to a run in flight of another journey (%s first)',
    async (...order) => {
      // A checkout whose payment-api started a new trace (3) linked to api-gateway's call, beside an offline replay
      // whose payment call arrived sampled out. The link did not claim trace 3, so the replay's call in flight
      // took it: the replay was blamed for the checkout's new trace, and the checkout said to have none.
      const chain = ['mobile-app', 'api-gateway', 'payment-api'];
      const journeys = JSON.stringify({
        journeys: order.map((name) => ({ name, chain, owner: 'payments', criticality: 'high' })),
      });
      const { span } = numberedSpans(Date.UTC(2026, 10, 26, 9));
      const run = [
        span(1, undefined, 'mobile-app', 'checkout', 'internal', 0, 100),
        span(1, 1, 'mobile-app', 'POST /checkout', 'client', 1, 99),
        span(1, 2, 'api-gateway', 'POST /checkout', 'server', 2, 98),
        span(1, 3, 'api-gateway', 'POST /payments', 'client', 3, 97),
      ];
      const call = run[3] as Span;
      const spans = [
        ...run,
        {
          ...span(3, undefined, 'payment-api', 'POST /payments', 'server', 4, 96),
          links: [{ traceId: call.traceId, spanId: call.spanId }],
        },
        span(2, undefined, 'mobile-app', 'offline-replay', 'internal', 0, 100),
        span(2, 6, 'mobile-app', 'POST /checkout', 'client', 1, 99),
        span(2, 7, 'api-gateway', 'POST /checkout', 'server', 2, 98),
        span(2, 8, 'api-gateway', 'POST /payments', 'client', 3, 97),
      ];
      const { code, verdict } = await checkJson(dumpFile(spans, 50, { 'journeys.json': journeys }), [
        '--journeys',
        'journeys.json',
      ]);
      expect([
        code,
        verdict.problems.map((p) => [p.kind, short(p.traceId ?? '')]).sort(),
        verdict.runs.map((run) => [run.journey, short(run.traceId), run.kinds]).sort(),
      ]).toEqual([
        1,
        [
          ['broken-chain', short(numberedTraceId(3))],
          ['missing-service', short(numberedTraceId(2))],
        ],
        [
          ['checkout', short(numberedTraceId(1)), ['broken-chain']],
          ['offline-replay', short(numberedTraceId(2)), ['missing-service']],
        ],
      ]);
      expect(verdict.problems.map((p) => p.message).sort()).toEqual([
        `payment-api has no span in trace ${short(numberedTraceId(2))}: api-gateway's call "POST /payments" (${short(numberedSpanId(9))}) got no answer in this trace: payment-api's span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), or payment-api started a new trace that no span link, route or timing ties to this run`,
        `payment-api's SERVER span "POST /payments" (${short(numberedSpanId(5))}) started a new trace (${short(numberedTraceId(3))} instead of ${short(numberedTraceId(1))}) with a span link to api-gateway CLIENT span "POST /payments" (${short(numberedSpanId(4))}): linked, not parented, so the run is split in two traces (extract the message's context as the parent, or pass --accept-links if payment-api is a batch consumer)`,
      ]);
    },
  );

  it("--journey NAME leaves other journeys' traces out, their structural problems too", async () => {
    // A checkout whose gateway forwarded the traceparent it received: wrong-parent, inside checkout's trace.
    const spans = await buildDump({
      runs: [
        { journey: CHECKOUT, at: 0, faults: { 1: 'forward' }, tag: true },
        ...manyRuns(LOGIN, 3, 11, 3).map((run) => ({ ...run, tag: true })),
      ],
    });
    const dir = dumpFile(spans, 50, { 'journeys.json': journeysFile });
    const all = await runCli(['check', '--journeys', 'journeys.json', 'dump.jsonl'], dir);
    const login = await runCli(['check', '--journeys', 'journeys.json', '--journey', 'login', 'dump.jsonl'], dir);
    expect([all.code, all.stdout.split('\n')[2], login]).toEqual([
      1,
      '1 problem: wrong-parent 1',
      {
        code: 0,
        stdout:
          'login (mobile-app -> api-gateway -> auth-service): 3 runs, none broken\n[tracehop] OK: 3 traces, 15 spans, no problems; 3 runs, each complete in one trace.\n',
        stderr: '',
      },
    ]);
  });

  it('takes no run for a stray request when the app has no journey spans: its requests are its runs', async () => {
    // Each login is one trace whose root is the app's CLIENT span, tagged with the journey; the second
    // got no answer (the network failed), while the third overlapped it.
    const { next, span } = numberedSpans(Date.UTC(2026, 10, 26));
    const tagged = { 'app.journey': 'login' };
    const login = (trace: number, at: number): Span[] => {
      const first = next();
      return [
        span(trace, undefined, 'mobile-app', 'HTTP POST', 'client', at, at + 50, tagged),
        span(trace, first, 'api-gateway', 'POST /login', 'server', at + 1),
        span(trace, first + 1, 'api-gateway', 'POST /sessions', 'client', at + 2),
        span(trace, first + 2, 'auth-service', 'POST /sessions', 'server', at + 3),
      ];
    };
    const unanswered = span(2, undefined, 'mobile-app', 'HTTP POST', 'client', 100, 150, tagged);
    const spans = [...login(1, 0), unanswered, ...login(3, 110)];
    const dir = dumpFile(spans, 50, { 'journeys.json': journeysFile });
    const { verdict } = await checkJson(dir, ['--journeys', 'journeys.json']);
    expect(verdict.runs.map((run) => [run.traceId.slice(0, 8), run.ok, run.kinds])).toEqual([
      ['00000001', true, []],
      ['00000002', false, ['missing-service']],
      ['00000003', true, []],
    ]);
  });

  it('--journey NAME picks one journey', async () => {
    const { dir } = await mixed();
    expect(await runCli(['check', '--journeys', 'journeys.json', '--journey', 'login', 'dump.jsonl'], dir)).toEqual({
      code: 0,
      stdout:
        'login (mobile-app -> api-gateway -> auth-service): 10 runs, none broken\n[tracehop] OK: 12 traces, 54 spans, no problems; 10 runs, each complete in one trace.\n',
      stderr: '',
    });
  });

  it.each([
    [
      ['--journeys', 'journeys.json', '--journey', 'search'],
      '[tracehop] Failed to check: "journeys.json" declares no journey "search". Declared: checkout, login.',
    ],
    [
      ['--journey', 'login'],
      '[tracehop] Failed to check: --journey needs --journeys. Example: --journeys fixtures/journeys.json --journey checkout.',
    ],
    [
      ['--journeys', 'journeys.json', '--expect', CHAIN],
      '[tracehop] Failed to check: --expect and --journeys are both given. Give one: a chain, or a journeys file with a chain per journey.',
    ],
    [
      ['--max-trees', '-1'],
      '[tracehop] Failed to check: --max-trees "-1" is not a whole number of zero or more. Example: --max-trees 10.',
    ],
    [
      ['--skew-tolerance', 'soon'],
      '[tracehop] Failed to check: --skew-tolerance "soon" is not a number of zero or more. Example: --skew-tolerance 5.',
    ],
    [
      ['--journeys', '--json'],
      '[tracehop] Failed to check: --journeys needs the path of a journeys file, but it is followed by the option "--json". Example: --journeys fixtures/journeys.json.',
    ],
  ])('exits 2 for %j', async (args, message) => {
    const { dir } = await mixed();
    const result = await runCli(['check', ...args, 'dump.jsonl'], dir);
    expect([result.code, result.stdout, result.stderr.split('\n')[0]]).toEqual([2, '', message]);
  });

  it('exits 2 when no trace names a declared journey: nothing could be judged', async () => {
    const spans = await buildDump({ runs: manyRuns(CHECKOUT, 2, 5) });
    const renamed = spans.map((span) => (span.name === 'checkout' ? { ...span, name: 'tap' } : span));
    const dir = dumpFile(renamed, 50, { 'journeys.json': journeysFile });
    expect(await runCli(['check', '--journeys', 'journeys.json', 'dump.jsonl'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '[tracehop] Failed to check journeys: no trace in the dump names any of the journeys "checkout", "login" (attributes tracehop.journey, app.journey, or a root span named after the journey), so no run can be judged. Tag each journey\'s root span with tracehop.journey.\n',
    });
  });

  it('fails a journey whose traces are named after it but hold no run of its chain: nothing verified is no pass', async () => {
    // A journeys file whose first service is misspelt: the dump's checkouts name the journey, start nowhere.
    const misspelt = JSON.stringify({
      journeys: [{ name: 'checkout', chain: ['mobile-ap', 'api-gateway'], owner: 'payments', criticality: 'high' }],
    });
    const dir = dumpFile(await buildDump({ runs: manyRuns(CHECKOUT, 2, 5) }), 50, { 'journeys.json': misspelt });
    const result = await runCli(['check', '--journeys', 'journeys.json', 'dump.jsonl'], dir);
    expect(result).toEqual({
      code: 1,
      stdout:
        'checkout (mobile-ap -> api-gateway): no runs\n' +
        '1 problem: missing-service 1\n\n' +
        '✗ missing-service: trace -, span -, service mobile-ap: mobile-ap has no span in any trace: the spans come from api-gateway, fraud-service, mobile-app, payment-api: mobile-ap never exported its spans (flush its exporter before the journey ends), or its service.name is spelt differently\n' +
        '[tracehop] Failed to verify traces: 1 problem in 2 traces, 14 spans. Each problem above names the hop that lost the trace context.\n',
      stderr: '',
    });
  });
});

describe('tracehop check output scales', () => {
  it('draws at most --max-trees trees (default 3), the two sides of a broken chain together, and lists alike problems once', async () => {
    const runs = manyRuns(CHECKOUT, 40, 20).map((run, i) =>
      i % 4 === 0 ? { ...run, faults: { 2: 'drop' as const } } : run,
    );
    const dir = dumpFile(await buildDump({ runs }));
    const result = await runCli(['check', '--expect', CHAIN, 'dump.jsonl'], dir);
    const lines = result.stdout.trimEnd().split('\n');
    // One broken chain's two traces; the next pair would pass the limit of 3.
    expect([result.code, lines.filter((line) => line.startsWith('trace ')).length]).toEqual([1, 2]);
    expect(lines.slice(0, 2)).toEqual([
      'mobile-app -> api-gateway -> payment-api -> fraud-service: 40 runs, 10 broken (broken-chain 10)',
      '10 problems: broken-chain 10',
    ]);
    expect(lines.filter((line) => line.startsWith('✗ '))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('… '))).toEqual([
      '… 18 more traces with problems not drawn (--max-trees draws more; --json lists every problem)',
    ]);
    expect(lines.at(-2)).toMatch(
      /^ {2}… and 9 more like it \(traces [0-9a-f]{8}, [0-9a-f]{8}, [0-9a-f]{8} and 6 more; --json lists every one\)$/,
    );
    const more = await runCli(['check', '--expect', CHAIN, '--max-trees', '20', 'dump.jsonl'], dir);
    expect(more.stdout.split('\n').filter((line) => line.startsWith('trace '))).toHaveLength(20);
    const json = await checkJson(dir, ['--expect', CHAIN]);
    expect([json.verdict.problems.length, json.verdict.runs.filter((run) => !run.ok).length]).toEqual([10, 10]);
  });
});
