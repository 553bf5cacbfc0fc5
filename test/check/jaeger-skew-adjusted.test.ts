import { runCli, tempFiles } from './support';

const T = 1_796_445_073_000_000; // µs, as Jaeger writes times

/** A Jaeger span of trace `trace`, `from` to `to` ms after T, on route `route`. */
function span(
  trace: string,
  id: string,
  parent: string | undefined,
  processID: string,
  kind: string,
  [from, to]: [number, number],
  route: string,
  warnings: string[] | null = null,
): unknown {
  return {
    traceID: trace,
    spanID: id.repeat(8),
    operationName: 'POST',
    references: parent ? [{ refType: 'CHILD_OF', traceID: trace, spanID: parent.repeat(8) }] : [],
    startTime: T + from * 1000,
    duration: (to - from) * 1000,
    tags: [
      { key: 'span.kind', type: 'string', value: kind },
      { key: 'url.path', type: 'string', value: route },
    ],
    logs: [],
    processID,
    warnings,
  };
}

const processes = {
  p1: { serviceName: 'mobile-app', tags: [] },
  p2: { serviceName: 'api-gateway', tags: [] },
  p3: { serviceName: 'payment-api', tags: [] },
};
const [A, B, F] = ['a', 'b', 'f'].map((c) => c.repeat(32)) as [string, string, string];

/**
 * payment-api's clock runs 2 s ahead. Run A kept its trace: Jaeger's clock skew adjuster moved payment-api's
 * span into its caller's call and said so. Run B lost traceparent on the same hop: payment-api's new trace F
 * has no parent to be moved into, so it keeps payment-api's clock.
 */
const answer = JSON.stringify({
  data: [
    {
      traceID: A,
      processes,
      spans: [
        span(A, 'a1', undefined, 'p1', 'client', [0, 100], '/checkout'),
        span(A, 'a2', 'a1', 'p2', 'server', [5, 95], '/checkout'),
        span(A, 'a3', 'a2', 'p2', 'client', [10, 90], '/payments'),
        span(A, 'a4', 'a3', 'p3', 'server', [15, 85], '/payments', ["This span's timestamps were adjusted by -2s"]),
      ],
    },
    {
      traceID: B,
      processes,
      spans: [
        span(B, 'b1', undefined, 'p1', 'client', [1000, 1100], '/checkout'),
        span(B, 'b2', 'b1', 'p2', 'server', [1005, 1095], '/checkout'),
        span(B, 'b3', 'b2', 'p2', 'client', [1010, 1090], '/payments'),
      ],
    },
    { traceID: F, processes, spans: [span(F, 'f1', undefined, 'p3', 'server', [3015, 3085], '/payments')] },
  ],
});

describe('check of a Jaeger answer whose query service adjusted clock skew', () => {
  it('reads the times as the services recorded them, so the new trace is tied by the skew the kept runs show', async () => {
    const dir = tempFiles({ 'jaeger.json': answer });
    const { code, stdout } = await runCli(
      ['check', '--json', '--expect', 'mobile-app,api-gateway,payment-api', 'jaeger.json'],
      dir,
    );
    const verdict = JSON.parse(stdout) as { problems: unknown; warnings: unknown; runs: unknown };
    expect({ code, problems: verdict.problems, warnings: verdict.warnings, runs: verdict.runs }).toEqual({
      code: 1,
      problems: [
        {
          kind: 'broken-chain',
          traceId: F,
          spanId: 'f1'.repeat(8),
          service: 'payment-api',
          message:
            'api-gateway received the request but payment-api started a new trace (ffffffff instead of bbbbbbbb): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does',
        },
      ],
      warnings: [
        {
          kind: 'clock-skew',
          traceId: A,
          spanId: 'a4'.repeat(8),
          service: 'payment-api',
          skewMs: 1995,
          message:
            'payment-api "POST" (a4a4a4a4) ends 2 seconds after its parent api-gateway "POST" (a3a3a3a3): the clocks of api-gateway and payment-api disagree (not a propagation defect; parent links decide)',
        },
      ],
      runs: [
        { traceId: A, journey: null, ok: true, kinds: [] },
        { traceId: B, journey: null, ok: false, kinds: ['broken-chain'] },
      ],
    });
  });
});
