/**
 * `tracehop check --journeys` on journeys that share a chain (a checkout and an offline replay): a new trace
 * naming no journey is one request, left by one run, and which run is blamed must not depend on which journey
 * the journeys file lists first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOtlpJson, type Span } from '../../harness/model';
import { numberedSpanId, numberedSpans, numberedTraceId } from '../../harness/model/test-support/numbered-spans';
import { runCli, tempFiles } from './support';

interface JsonVerdict {
  problems: Array<{ kind: string; traceId: string | null; spanId: string | null; message: string }>;
  runs: Array<{ traceId: string; journey: string | null; ok: boolean; kinds: string[] }>;
}

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api'];
const short = (id: string) => id.slice(0, 8);

/** Each run of a verdict as [its journey, its short trace id, its problem kinds], sorted: the same in any order. */
const runRows = (verdict: JsonVerdict) =>
  verdict.runs.map((run) => [run.journey, short(run.traceId), run.kinds]).sort();

/** Checks `spans` with a journeys file listing `order`, every journey on CHAIN. */
async function checkInOrder(spans: readonly Span[], order: readonly string[]): Promise<JsonVerdict> {
  const journeys = JSON.stringify({
    journeys: order.map((name) => ({ name, chain: CHAIN, owner: 'payments', criticality: 'high' })),
  });
  const dir = tempFiles({ 'dump.jsonl': `${JSON.stringify(encodeOtlpJson(spans))}\n`, 'journeys.json': journeys });
  const result = await runCli(['check', '--json', '--journeys', 'journeys.json', 'dump.jsonl'], dir);
  expect([result.code, result.stderr]).toEqual([1, '']);
  return JSON.parse(result.stdout) as JsonVerdict;
}

/**
 * A run of `journey` in trace `trace` whose api-gateway called payment-api from `start` to `end` and got no
 * answer in the trace: four spans, the call last.
 */
function waitingRun(
  span: ReturnType<typeof numberedSpans>['span'],
  trace: number,
  journey: string,
  start: number,
  end: number,
): Span[] {
  const first = [
    span(trace, undefined, 'mobile-app', journey, 'internal', 0, 100),
    span(trace, undefined, 'mobile-app', 'POST /checkout', 'client', 1, 99),
  ];
  const app = first[1] as Span;
  const server = span(trace, undefined, 'api-gateway', 'POST /checkout', 'server', 2, 98);
  const call = span(trace, undefined, 'api-gateway', 'POST /payments', 'client', start, end);
  return [
    first[0] as Span,
    { ...app, parentSpanId: (first[0] as Span).spanId },
    { ...server, parentSpanId: app.spanId },
    { ...call, parentSpanId: server.spanId },
  ];
}

/** A checkout (trace 1) and a replay (trace 2) in flight when payment-api started trace 3; the replay's call fits it. */
function tighterReplay(): Span[] {
  const { span } = numberedSpans(Date.UTC(2026, 11, 4, 9));
  return [
    ...waitingRun(span, 1, 'checkout', 3, 97),
    ...waitingRun(span, 2, 'offline-replay', 3, 60),
    span(3, undefined, 'payment-api', 'POST /payments', 'server', 4, 59),
  ];
}

/** The replay's broken-chain on tighterReplay(), a guess since the checkout's call was in flight too. */
const REPLAY_BROKEN = `api-gateway received the request but payment-api started a new trace (${short(numberedTraceId(3))} instead of ${short(numberedTraceId(2))}): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does (route and timing fit 1 other run as well, of journey checkout: which run it left is a guess)`;
/** The checkout's missing-service on tighterReplay(): trace 3 fits its call as well, and went to the replay. */
const CHECKOUT_UNANSWERED = `payment-api has no span in trace ${short(numberedTraceId(1))}: api-gateway's call "POST /payments" (${short(numberedSpanId(4))}) got no answer in this trace: payment-api's span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), or payment-api started new trace ${short(numberedTraceId(3))} (tied to run ${short(numberedTraceId(2))} of journey offline-replay, though route and timing fit this run too: a call that arrived sampled out leaves no span to compare, so which run it left is a guess)`;

const ORDERS = [
  ['checkout', 'offline-replay'],
  ['offline-replay', 'checkout'],
];

describe('tracehop check --journeys ties a shared new trace whatever the journeys file order', () => {
  it.each(ORDERS)(
    "gives it to the other journey's run whose call fits it more tightly (%s first)",
    async (...order) => {
      // A checkout (trace 1) and an offline replay (trace 2) each had a payment call in flight when
      // payment-api started trace 3 (spans 9 to 12 show where each call is). The replay's call ended as the new
      // trace did; the checkout's ran on. The journey listed first took trace 3, so the order chose the blame.
      const verdict = await checkInOrder(tighterReplay(), order);
      expect([runRows(verdict), verdict.problems.map((p) => p.message).sort()]).toEqual([
        [
          ['checkout', short(numberedTraceId(1)), ['missing-service']],
          ['offline-replay', short(numberedTraceId(2)), ['broken-chain']],
        ],
        [REPLAY_BROKEN, CHECKOUT_UNANSWERED],
      ]);
    },
  );

  it.each([
    ['start together and end together', 3, 97, 3, 97, 'offline-replay'],
    ['end as far from the new trace', 8, 97, 9, 98, 'checkout'],
  ])(
    'breaks an even fit by the earlier call, then the trace id, not the file order: calls that %s',
    async (_what, checkoutStart, checkoutEnd, replayStart, replayEnd, winner) => {
      // The replay runs in trace 1, the checkout in trace 2; trace 3 fits both calls as tightly. In either
      // order the earlier call wins, and of two calls started together the lower trace id.
      const verdicts = [];
      for (const order of ORDERS) {
        const { span } = numberedSpans(Date.UTC(2026, 11, 4, 9));
        const spans = [
          ...waitingRun(span, 1, 'offline-replay', replayStart, replayEnd),
          ...waitingRun(span, 2, 'checkout', checkoutStart, checkoutEnd),
          span(3, undefined, 'payment-api', 'POST /payments', 'server', 10, 96),
        ];
        const verdict = await checkInOrder(spans, order);
        verdicts.push(runRows(verdict));
      }
      const held = (journey: string) => (journey === winner ? ['broken-chain'] : ['missing-service']);
      const expected = [
        ['checkout', short(numberedTraceId(2)), held('checkout')],
        ['offline-replay', short(numberedTraceId(1)), held('offline-replay')],
      ];
      expect(verdicts).toEqual([expected, expected]);
    },
  );

  it.each(ORDERS)(
    'ties a new trace linked to runs of both journeys to every run it links to (%s first)',
    async (...order) => {
      // payment-api read, as a batch, the messages of two checkouts (traces 1 and 2) and of a replay (trace 3),
      // and linked each in its new trace 4. The journey listed first took trace 4 and the other's linked run
      // read as sampled out; with the replay first, one checkout still went on in trace 4 (its tie by link
      // came before the claim that failed) and the other did not.
      const { span } = numberedSpans(Date.UTC(2026, 11, 4, 9));
      const runs = [
        waitingRun(span, 1, 'checkout', 3, 97),
        waitingRun(span, 2, 'checkout', 3, 97),
        waitingRun(span, 3, 'offline-replay', 3, 97),
      ];
      const calls = runs.map((run) => run[3] as Span);
      const batch = {
        ...span(4, undefined, 'payment-api', 'POST /payments', 'server', 4, 96),
        links: calls.map((call) => ({ traceId: call.traceId, spanId: call.spanId })),
      };
      const verdict = await checkInOrder([...runs.flat(), batch], order);
      const linked = (run: number) =>
        `payment-api's SERVER span "POST /payments" (${short(numberedSpanId(13))}) started a new trace (${short(numberedTraceId(4))} instead of ${short(numberedTraceId(run))}) with a span link to api-gateway CLIENT span "POST /payments" (${short(numberedSpanId(4 * run))}): linked, not parented, so the run is split in two traces (extract the message's context as the parent, or pass --accept-links if payment-api is a batch consumer)`;
      expect([runRows(verdict), verdict.problems.map((p) => p.message).sort()]).toEqual([
        [
          ['checkout', short(numberedTraceId(1)), ['broken-chain']],
          ['checkout', short(numberedTraceId(2)), ['broken-chain']],
          ['offline-replay', short(numberedTraceId(3)), ['broken-chain']],
        ],
        [linked(1), linked(2), linked(3)],
      ]);
    },
  );

  it.each(ORDERS)('blames the same runs in report --spans as in check --journeys (%s first)', async (...order) => {
    // report --spans judged the dump with the journeys in the file's order too: the journey listed first
    // showed the other's new trace as its broken chain, and the other its own run as sampled out.
    const journeys = JSON.stringify({
      journeys: order.map((name) => ({ name, chain: CHAIN, owner: 'payments', criticality: 'high' })),
    });
    const dir = tempFiles({
      'dump.jsonl': `${JSON.stringify(encodeOtlpJson(tighterReplay()))}\n`,
      'journeys.json': journeys,
    });
    const result = await runCli(['report', '--spans', 'dump.jsonl', '--journeys', 'journeys.json', '-o', 'out'], dir);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'coverage.json'), 'utf8')) as {
      journeys: Array<{ name: string; problems: Array<{ kind: string; traceId: string; message: string }> }>;
    };
    expect([
      result.code,
      report.journeys
        .map(({ name, problems }) => [
          name,
          problems.map(({ kind, traceId, message }) => [kind, short(traceId), message]),
        ])
        .sort(),
    ]).toEqual([
      1,
      [
        ['checkout', [['missing-service', short(numberedTraceId(1)), CHECKOUT_UNANSWERED]]],
        ['offline-replay', [['broken-chain', short(numberedTraceId(3)), REPLAY_BROKEN]]],
      ],
    ]);
  });

  it.each(ORDERS)(
    "gives the app's request in a trace of its own to the journey span it fits more tightly (%s first)",
    async (...order) => {
      // The app sent a request naming no journey in a trace of its own (3) while a checkout's journey span (1)
      // and a replay's (2) ran; the replay's span started nearer it and ends as far. The journey listed first
      // took the request, and the other journey's trace read as one that never called api-gateway.
      const { span } = numberedSpans(Date.UTC(2026, 11, 4, 9));
      const spans = [
        span(1, undefined, 'mobile-app', 'checkout', 'internal', 0, 100),
        span(2, undefined, 'mobile-app', 'offline-replay', 'internal', 5, 100),
        span(3, undefined, 'mobile-app', 'POST /checkout', 'client', 10, 60),
        span(3, 3, 'api-gateway', 'POST /checkout', 'server', 11, 59),
        span(3, 4, 'api-gateway', 'POST /payments', 'client', 12, 58),
        span(3, 5, 'payment-api', 'POST /payments', 'server', 13, 57),
      ];
      const verdict = await checkInOrder(spans, order);
      expect([runRows(verdict), verdict.problems.map((p) => p.message).sort()]).toEqual([
        [
          ['checkout', short(numberedTraceId(1)), ['missing-service']],
          ['offline-replay', short(numberedTraceId(2)), ['broken-chain']],
        ],
        [
          `api-gateway has no span in trace ${short(numberedTraceId(1))}: mobile-app never called it, or its spans were not exported`,
          `mobile-app's CLIENT span "POST /checkout" (${short(numberedSpanId(3))}) started a new trace (${short(numberedTraceId(3))} instead of the journey's ${short(numberedTraceId(2))}) (1 other run's journey span ran then too, of journey checkout: which run it left is a guess) that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "offline-replay" (${short(numberedSpanId(2))}) (a replayed request needs the context saved with it)`,
        ],
      ]);
    },
  );
});

describe("tracehop check --journeys ties the app's requests from traces of their own once", () => {
  it('settles on one run for each request, in either order, where the journeys took them from each other round after round', async () => {
    // Five journey spans (traces 1, 2, 4, 6, 7) ran while the app sent three requests in traces of their own
    // (3, 5, 8), each answered down the chain. A journey whose run lost a request to the other journey's
    // tighter fit offered it again from another run of its own (nearest in time), a weaker offer that
    // replaced the one that lost: each judgement then undid the other's, the re-judge loop stopped after its
    // last round unsettled, and trace 8 was held by a checkout run and a replay run, which two by the order.
    const { span } = numberedSpans(Date.UTC(2026, 11, 4, 9));
    const request = (trace: number, first: number, start: number, end: number): Span[] => [
      span(trace, undefined, 'mobile-app', 'POST /checkout', 'client', start, end),
      span(trace, first, 'api-gateway', 'POST /checkout', 'server', start + 1, end - 1),
      span(trace, first + 1, 'api-gateway', 'POST /payments', 'client', start + 3, end - 3),
      span(trace, first + 2, 'payment-api', 'POST /payments', 'server', start + 4, end - 6),
    ];
    const spans = [
      span(1, undefined, 'mobile-app', 'checkout', 'internal', 20, 107),
      span(2, undefined, 'mobile-app', 'offline-replay', 'internal', 13, 85),
      ...request(3, 3, 14, 83),
      span(4, undefined, 'mobile-app', 'offline-replay', 'internal', 19, 123),
      ...request(5, 8, 15, 84),
      span(6, undefined, 'mobile-app', 'checkout', 'internal', 9, 139),
      span(7, undefined, 'mobile-app', 'offline-replay', 'internal', 0, 146),
      ...request(8, 14, 19, 135),
    ];
    const verdicts = [];
    for (const order of ORDERS) {
      const verdict = await checkInOrder(spans, order);
      verdicts.push([
        runRows(verdict),
        verdict.problems.map((p) => [p.kind, short(p.traceId ?? ''), p.message]).sort(),
      ]);
    }
    const outside = (
      request: number,
      trace: number,
      journeyTrace: number,
      guess: string,
      journey: string,
      root: number,
    ) => [
      'broken-chain',
      short(numberedTraceId(trace)),
      `mobile-app's CLIENT span "POST /checkout" (${short(numberedSpanId(request))}) started a new trace (${short(numberedTraceId(trace))} instead of the journey's ${short(numberedTraceId(journeyTrace))})${guess} that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "${journey}" (${short(numberedSpanId(root))}) (a replayed request needs the context saved with it)`,
    ];
    const neverCalled = (trace: number) => [
      'missing-service',
      short(numberedTraceId(trace)),
      `api-gateway has no span in trace ${short(numberedTraceId(trace))}: mobile-app never called it, or its spans were not exported`,
    ];
    const DOUBLY_GUESSED =
      " (timing fits 1 other run as well, and 1 other run's journey span ran then too, of journey checkout: which run it left is a guess)";
    const expected = [
      [
        ['checkout', short(numberedTraceId(1)), ['missing-service']],
        ['checkout', short(numberedTraceId(6)), ['broken-chain']],
        ['offline-replay', short(numberedTraceId(2)), ['broken-chain']],
        ['offline-replay', short(numberedTraceId(4)), ['missing-service']],
        ['offline-replay', short(numberedTraceId(7)), ['broken-chain']],
      ],
      [
        // Replay runs 2 and 7 and checkout run 6 all ran when requests 3 and 5 started: either replay run may
        // have sent either request, and so may the checkout run.
        outside(3, 3, 2, DOUBLY_GUESSED, 'offline-replay', 2),
        outside(8, 5, 7, DOUBLY_GUESSED, 'offline-replay', 13),
        outside(
          14,
          8,
          6,
          " (3 other runs' journey span ran then too, of journey offline-replay: which run it left is a guess)",
          'checkout',
          12,
        ),
        neverCalled(1),
        neverCalled(4),
      ],
    ];
    expect(verdicts).toEqual([expected, expected]);
  });
});
