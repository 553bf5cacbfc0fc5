import { join } from 'node:path';
import { ROOT, runCli, tempFiles } from './support';

const T0 = 1795683600000;
const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const R = 'c'.repeat(32);
const HTTP = { 'http.request.method': 'POST', 'url.path': '/checkout' };

/** An OTLP span, `start` and `end` in ms after T0. */
function span(
  traceId: string,
  spanId: string,
  parentSpanId: string | null,
  name: string,
  kind: number,
  [start, end]: [number, number],
  attributes: Record<string, string | number> = {},
  code = 0,
): unknown {
  const nanos = (ms: number): string => String(BigInt(T0 + ms) * 1000000n);
  return {
    traceId,
    spanId,
    ...(parentSpanId === null ? {} : { parentSpanId }),
    flags: 1,
    name,
    kind,
    startTimeUnixNano: nanos(start),
    endTimeUnixNano: nanos(end),
    attributes: Object.entries(attributes).map(([key, value]) => ({
      key,
      value: typeof value === 'number' ? { intValue: value } : { stringValue: value },
    })),
    status: { code },
  };
}

/**
 * Two checkout runs: A's POST /checkout answered 503 by Envoy with these response_flags, B's journey span with no
 * call of its own; and a request from a new trace (c...) that goes the whole chain, started after A's call ended
 * while both journey spans ran, fitting both as well.
 */
function dump(flags: string, withB = true): string {
  const byService: Record<string, unknown[]> = {
    'mobile-app': [
      span(A, 'a000000000000001', null, 'checkout', 1, [0, 100]),
      span(
        A,
        'a000000000000002',
        'a000000000000001',
        'POST /checkout',
        3,
        [5, 20],
        {
          ...HTTP,
          'http.response.status_code': 503,
          response_flags: flags,
        },
        2,
      ),
      ...(withB ? [span(B, 'b000000000000001', null, 'checkout', 1, [10, 110])] : []),
      span(R, 'c000000000000001', null, 'POST /checkout', 3, [30, 60], { ...HTTP, 'http.response.status_code': 200 }),
    ],
    'api-gateway': [
      span(R, 'c000000000000002', 'c000000000000001', 'POST /checkout', 2, [32, 58], HTTP),
      span(R, 'c000000000000003', 'c000000000000002', 'POST /payments', 3, [34, 56]),
    ],
    'payment-api': [
      span(R, 'c000000000000004', 'c000000000000003', 'POST /payments', 2, [36, 54]),
      span(R, 'c000000000000005', 'c000000000000004', 'POST /fraud/score', 3, [38, 52]),
    ],
    'fraud-service': [span(R, 'c000000000000006', 'c000000000000005', 'POST /fraud/score', 2, [40, 50])],
  };
  return Object.entries(byService)
    .map(([service, spans]) =>
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
            scopeSpans: [{ scope: { name: 'tracehop' }, spans }],
          },
        ],
      }),
    )
    .join('\n');
}

/** check --json --journeys on the dump: each run's row and each problem's kind, trace and message. */
async function judge(flags: string, withB = true): Promise<unknown> {
  const dir = tempFiles({ 'envoy-retry.jsonl': dump(flags, withB) });
  const journeys = join(ROOT, 'fixtures/journeys.json');
  const args = ['check', '--json', '--journeys', journeys, '--journey', 'checkout', join(dir, 'envoy-retry.jsonl')];
  const { code, stdout } = await runCli(args);
  const verdict = JSON.parse(stdout) as {
    runs: Array<{ traceId: string; kinds: string[] }>;
    problems: Array<{ kind: string; traceId: string; message: string }>;
  };
  return [
    code,
    verdict.runs.map(({ traceId, kinds }) => [traceId.slice(0, 8), kinds]),
    verdict.problems.map(({ kind, traceId, message }) => [kind, traceId.slice(0, 8), message]),
  ];
}

const outside = (run: string, repeats: string): string =>
  `mobile-app's CLIENT span "POST /checkout" (c0000000) started a new trace (cccccccc instead of the journey's ${run}) ${repeats}that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "checkout" (${run.slice(0, 1)}0000000) (a replayed request needs the context saved with it)`;

describe('tracehop check --journeys of a request sent from a new trace after a call Envoy answered 503', () => {
  /** A's run, the request its retry from a new trace; B's run, with no call of its own, left without it. */
  const retriedByA = [
    1,
    [
      ['aaaaaaaa', ['broken-chain']],
      ['bbbbbbbb', ['missing-service']],
    ],
    [
      [
        'broken-chain',
        'cccccccc',
        outside(
          'aaaaaaaa',
          `(it sends again the journey's CLIENT span "POST /checkout" (a0000000), which was answered HTTP 503) `,
        ),
      ],
      [
        'missing-service',
        'bbbbbbbb',
        'api-gateway has no span in trace bbbbbbbb: mobile-app never called it, or its spans were not exported',
      ],
    ],
  ];

  it.each(['UF', 'UC'])(
    'ties it to the run whose call Envoy answered 503 (%s), as the retry of that attempt: the app got a 503 either way',
    async (flags) => {
      expect(await judge(flags)).toEqual(retriedByA);
    },
  );

  it('ties it to the one run whose call Envoy answered 503 after forwarding it (UC), as its retry', async () => {
    expect(await judge('UC', false)).toEqual([
      1,
      [['aaaaaaaa', ['broken-chain']]],
      [
        [
          'broken-chain',
          'cccccccc',
          outside(
            'aaaaaaaa',
            `(it sends again the journey's CLIENT span "POST /checkout" (a0000000), which was answered HTTP 503) `,
          ),
        ],
      ],
    ]);
  });
});
