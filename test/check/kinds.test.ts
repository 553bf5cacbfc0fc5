/**
 * Each defect kind `tracehop check` can find in a dump, from a journey run by the real OpenTelemetry SDK with
 * the fault injected between hops: the whole human output is pinned, and the JSON verdict must say the same.
 */
import { encodeOtlpJson, type Span } from '../../harness/model';
import { runCheckoutJourney, withFlags, withParentId, type JourneyOptions } from '../verify/support/checkout-journey';
import { CHAIN, runCli, tempFiles } from './support';

/** Writes the journey's spans as a two-line JSON Lines dump (backend batch first, then the app's). */
async function dump(options: JourneyOptions, edit: (spans: Span[]) => Span[] = (spans) => spans): Promise<string> {
  const spans = edit(await runCheckoutJourney(options));
  const app = spans.filter((span) => span.service === 'mobile-app');
  const backend = spans.filter((span) => span.service !== 'mobile-app');
  return tempFiles({
    'dump.jsonl': `${JSON.stringify(encodeOtlpJson(backend))}\n${JSON.stringify(encodeOtlpJson(app))}\n`,
  });
}

interface JsonVerdict {
  ok: boolean;
  traces: number;
  spans: number;
  problems: Array<{ kind: string; traceId?: string; spanId?: string; service?: string; message: string }>;
  warnings: Array<{ kind: string; traceId: string; spanId: string; service: string; message: string }>;
  runs: Array<{ traceId: string; journey: string | null; ok: boolean; kinds: string[] }>;
}

/** Runs the human and the JSON check; asserts they agree and returns the human stdout. */
async function check(dir: string, expectChain = true): Promise<string> {
  const args = expectChain ? ['--expect', CHAIN] : [];
  const human = await runCli(['check', ...args, 'dump.jsonl'], dir);
  const json = await runCli(['check', '--json', ...args, 'dump.jsonl'], dir);
  const verdict = JSON.parse(json.stdout) as JsonVerdict;
  expect([human.stderr, json.stderr, json.code]).toEqual(['', '', human.code]);
  expect(Object.keys(verdict)).toEqual(['ok', 'traces', 'spans', 'problems', 'warnings', 'runs']);
  expect([verdict.ok, human.code]).toEqual(verdict.problems.length === 0 ? [true, 0] : [false, 1]);
  for (const problem of verdict.problems) {
    expect(Object.keys(problem)).toEqual(['kind', 'traceId', 'spanId', 'service', 'message']);
    expect(human.stdout).toContain(
      `✗ ${problem.kind}: trace ${problem.traceId ?? '-'}, span ${problem.spanId ?? '-'}, service ${problem.service ?? '-'}: ${problem.message}\n`,
    );
  }
  for (const warning of verdict.warnings) {
    const measure = warning.kind === 'clock-skew' ? 'skewMs' : 'count';
    expect(Object.keys(warning)).toEqual(['kind', 'traceId', 'spanId', 'service', measure, 'message']);
    expect(human.stdout).toContain(
      `! ${warning.kind} (warning): trace ${warning.traceId}, span ${warning.spanId}, service ${warning.service}: ${warning.message}\n`,
    );
  }
  // Every run's verdict agrees with the problems: a run is ok exactly when no problem's kind touches it.
  const kinds = new Set(verdict.problems.map((problem) => problem.kind));
  for (const run of verdict.runs) {
    expect(Object.keys(run)).toEqual(['traceId', 'journey', 'ok', 'kinds']);
    expect([run.ok, run.kinds.every((kind) => kinds.has(kind))]).toEqual([run.kinds.length === 0, true]);
  }
  expect(verdict.runs.some((run) => !run.ok)).toBe(!verdict.ok);
  return human.stdout;
}

describe('tracehop check explains each defect kind in a dump', () => {
  it('passes the sound journey', async () => {
    expect(await check(await dump({}))).toMatchInlineSnapshot(`
"[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace.
"
`);
  });

  it('broken-chain: api-gateway dropped traceparent', async () => {
    expect(await check(await dump({ rewrite: { 'payment-api': (headers) => delete headers.traceparent } })))
      .toMatchInlineSnapshot(`
"mobile-app -> api-gateway -> payment-api -> fraud-service: 1 run, 1 broken (broken-chain 1)
1 problem: broken-chain 1

trace 1c67af03 (4 spans)
└─ mobile-app "checkout" INTERNAL 00ad4528
   └─ mobile-app "POST /checkout" CLIENT dd5701d8
      └─ api-gateway "POST /checkout" SERVER b9fabb93
         └─ ✗ api-gateway "POST /payments" CLIENT b228c9da  broken-chain (last hop in this trace)

trace 74b500a9 (3 spans)
└─ ✗ payment-api "POST /payments" SERVER b664ab64  broken-chain
   └─ payment-api "POST /fraud/score" CLIENT cffe90e3
      └─ fraud-service "POST /fraud/score" SERVER c0d89669

✗ broken-chain: trace 74b500a940a915d920529ed0029c4594, span b664ab64420f66e0, service payment-api: api-gateway received the request but payment-api started a new trace (74b500a9 instead of 1c67af03): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does
[tracehop] Failed to verify traces: 1 problem in 2 traces, 7 spans. Each problem above names the hop that lost the trace context.
"
`);
  });

  it('orphan-span: a proxy rewrote the parent id', async () => {
    expect(
      await check(
        await dump({ rewrite: { 'payment-api': (headers) => withParentId(headers, 'badc0ffee0ddf00d') } }),
        false,
      ),
    ).toMatchInlineSnapshot(`
"1 problem: orphan-span 1

trace 1c67af03 (7 spans)
├─ mobile-app "checkout" INTERNAL 00ad4528
│  └─ mobile-app "POST /checkout" CLIENT dd5701d8
│     └─ api-gateway "POST /checkout" SERVER b9fabb93
│        └─ api-gateway "POST /payments" CLIENT b228c9da
└─ ✗ payment-api "POST /payments" SERVER b664ab64 (parent badc0ffe not in trace)  orphan-span
   └─ payment-api "POST /fraud/score" CLIENT 74b500a9
      └─ fraud-service "POST /fraud/score" SERVER 20529ed0

✗ orphan-span: trace 1c67af03d970c3c0e01ccbc455ea99b6, span b664ab64420f66e0, service payment-api: payment-api "POST /payments" (b664ab64) names parent span badc0ffe, which was never exported in trace 1c67af03: the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent
[tracehop] Failed to verify traces: 1 problem in 1 trace, 7 spans. Each problem above names the hop that lost the trace context.
"
`);
  });

  it('orphan-span: the app never flushed its spans', async () => {
    const dir = await dump({}, (spans) => spans.filter((span) => span.service !== 'mobile-app'));
    expect(await check(dir, false)).toMatchInlineSnapshot(`
"1 problem: orphan-span 1

trace 1c67af03 (5 spans)
└─ ✗ api-gateway "POST /checkout" SERVER b9fabb93 (parent dd5701d8 not in trace)  orphan-span
   └─ api-gateway "POST /payments" CLIENT b228c9da
      └─ payment-api "POST /payments" SERVER b664ab64
         └─ payment-api "POST /fraud/score" CLIENT 74b500a9
            └─ fraud-service "POST /fraud/score" SERVER 20529ed0

✗ orphan-span: trace 1c67af03d970c3c0e01ccbc455ea99b6, span b9fabb933f9d3637, service api-gateway: api-gateway "POST /checkout" (b9fabb93) names parent span dd5701d8, which was never exported in trace 1c67af03: the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent
[tracehop] Failed to verify traces: 1 problem in 1 trace, 5 spans. Each problem above names the hop that lost the trace context.
"
`);
  });

  it('header-span-mismatch: api-gateway dropped tracestate', async () => {
    const lost = await dump({
      traceStateMember: { 'mobile-app': 'vendor=abc' },
      rewrite: { 'payment-api': (headers) => delete headers.tracestate },
    });
    expect(await check(lost)).toMatchInlineSnapshot(`
"mobile-app -> api-gateway -> payment-api -> fraud-service: 1 run, 1 broken (header-span-mismatch 1)
1 problem: header-span-mismatch 1

trace 1c67af03 (7 spans)
└─ mobile-app "checkout" INTERNAL 00ad4528
   └─ mobile-app "POST /checkout" CLIENT dd5701d8
      └─ api-gateway "POST /checkout" SERVER b9fabb93
         └─ ✗ api-gateway "POST /payments" CLIENT b228c9da  header-span-mismatch
            └─ payment-api "POST /payments" SERVER b664ab64
               └─ payment-api "POST /fraud/score" CLIENT 74b500a9
                  └─ fraud-service "POST /fraud/score" SERVER 20529ed0

✗ header-span-mismatch: trace 1c67af03d970c3c0e01ccbc455ea99b6, span b228c9dac9685633, service payment-api: payment-api "POST /payments" (b664ab64) has no tracestate although api-gateway's call span "POST /payments" (b228c9da) carries "vendor=abc": a proxy between them strips the tracestate header, or payment-api read its context with a propagator that has no tracestate (B3 alone); fix: let the proxy between them pass tracestate through
[tracehop] Failed to verify traces: 1 problem in 1 trace, 7 spans. Each problem above names the hop that lost the trace context.
"
`);
  });

  it('wrong-parent: api-gateway injected its SERVER span', async () => {
    expect(await check(await dump({ injectServerContext: ['api-gateway'] }), false)).toMatchInlineSnapshot(`
"1 problem: wrong-parent 1

trace 1c67af03 (7 spans)
└─ mobile-app "checkout" INTERNAL 00ad4528
   └─ mobile-app "POST /checkout" CLIENT dd5701d8
      └─ api-gateway "POST /checkout" SERVER b9fabb93
         ├─ api-gateway "POST /payments" CLIENT b228c9da
         └─ ✗ payment-api "POST /payments" SERVER b664ab64  wrong-parent
            └─ payment-api "POST /fraud/score" CLIENT 74b500a9
               └─ fraud-service "POST /fraud/score" SERVER 20529ed0

✗ wrong-parent: trace 1c67af03d970c3c0e01ccbc455ea99b6, span b664ab64420f66e0, service payment-api: payment-api "POST /payments" (b664ab64) is parented to api-gateway's SERVER span "POST /checkout" (b9fabb93) instead of its CLIENT span "POST /payments" (b228c9da): api-gateway injected the context of its incoming request instead of the span of its outgoing call (inject from the CLIENT span's context, after starting it)
[tracehop] Failed to verify traces: 1 problem in 1 trace, 7 spans. Each problem above names the hop that lost the trace context.
"
`);
  });

  it('duplicate-span-id: a retry reused its CLIENT span id', async () => {
    expect(await check(await dump({ retry: { reuseSpanId: true } }), false)).toMatchInlineSnapshot(`
"1 problem: duplicate-span-id 1

trace 1c67af03 (11 spans)
└─ mobile-app "checkout" INTERNAL 00ad4528
   └─ mobile-app "POST /checkout" CLIENT dd5701d8
      └─ api-gateway "POST /checkout" SERVER b9fabb93
         ├─ ✗ api-gateway "POST /payments" CLIENT b228c9da  duplicate-span-id
         │  ├─ payment-api "POST /payments" SERVER b664ab64
         │  │  └─ payment-api "POST /fraud/score" CLIENT 74b500a9
         │  │     └─ fraud-service "POST /fraud/score" SERVER 20529ed0
         │  └─ payment-api "POST /payments" SERVER cffe90e3
         │     └─ payment-api "POST /fraud/score" CLIENT c0d89669
         │        └─ fraud-service "POST /fraud/score" SERVER 8f0174e4
         └─ ✗ api-gateway "POST /payments" CLIENT b228c9da  duplicate-span-id

✗ duplicate-span-id: trace 1c67af03d970c3c0e01ccbc455ea99b6, span b228c9dac9685633, service api-gateway: 2 spans share span id b228c9da in trace 1c67af03 (api-gateway "POST /payments" (b228c9da), api-gateway "POST /payments" (b228c9da)): a retry reused the span id: the SDK must start a new CLIENT span for each attempt
[tracehop] Failed to verify traces: 1 problem in 1 trace, 11 spans. Each problem above names the hop that lost the trace context.
"
`);
  });

  it('cycle: parent links loop', async () => {
    const dir = await dump({}, (spans) => {
      const server = spans.find((span) => span.service === 'api-gateway' && span.kind === 'server') as Span;
      const client = spans.find((span) => span.service === 'api-gateway' && span.kind === 'client') as Span;
      return spans.map((span) => (span === server ? { ...span, parentSpanId: client.spanId } : span));
    });
    expect(await check(dir, false)).toMatchInlineSnapshot(`
"1 problem: cycle 1

trace 1c67af03 (7 spans)
├─ mobile-app "checkout" INTERNAL 00ad4528
│  └─ mobile-app "POST /checkout" CLIENT dd5701d8
└─ ✗ api-gateway "POST /checkout" SERVER b9fabb93 (parent links loop)  cycle
   └─ api-gateway "POST /payments" CLIENT b228c9da
      └─ payment-api "POST /payments" SERVER b664ab64
         └─ payment-api "POST /fraud/score" CLIENT 74b500a9
            └─ fraud-service "POST /fraud/score" SERVER 20529ed0

✗ cycle: trace 1c67af03d970c3c0e01ccbc455ea99b6, span b9fabb933f9d3637, service api-gateway: parent links loop in trace 1c67af03 (b9fabb93 -> b228c9da -> b9fabb93, child to parent), so these spans have no root: a span id came back as its own ancestor: an id generator repeats ids (a fixed seed, or ids copied from traceparent) or a proxy wrote a descendant's id into traceparent
[tracehop] Failed to verify traces: 1 problem in 1 trace, 7 spans. Each problem above names the hop that lost the trace context.
"
`);
  });

  it('sampling-mismatch: the sampled flag was cleared between api-gateway and payment-api', async () => {
    expect(await check(await dump({ rewrite: { 'payment-api': (headers) => withFlags(headers, '00') } }), false))
      .toMatchInlineSnapshot(`
"1 problem: sampling-mismatch 1

trace 1c67af03 (7 spans)
└─ mobile-app "checkout" INTERNAL 00ad4528
   └─ mobile-app "POST /checkout" CLIENT dd5701d8
      └─ api-gateway "POST /checkout" SERVER b9fabb93
         └─ api-gateway "POST /payments" CLIENT b228c9da
            └─ ✗ payment-api "POST /payments" SERVER b664ab64  sampling-mismatch
               └─ payment-api "POST /fraud/score" CLIENT 74b500a9
                  └─ fraud-service "POST /fraud/score" SERVER 20529ed0

✗ sampling-mismatch: trace 1c67af03d970c3c0e01ccbc455ea99b6, span b664ab64420f66e0, service payment-api: payment-api "POST /payments" (b664ab64) is not sampled but its parent api-gateway "POST /payments" (b228c9da) is sampled: the sampled flag was cleared between api-gateway and payment-api: a proxy or SDK rewrote the traceparent flags, or payment-api's sampler ignored the parent's decision (use a ParentBased sampler)
[tracehop] Failed to verify traces: 1 problem in 1 trace, 7 spans. Each problem above names the hop that lost the trace context.
"
`);
  });

  it('missing-service: fraud-service was never called', async () => {
    expect(await check(await dump({ skipCall: ['fraud-service'] }))).toMatchInlineSnapshot(`
"mobile-app -> api-gateway -> payment-api -> fraud-service: 1 run, 1 broken (missing-service 1)
1 problem: missing-service 1

trace 1c67af03 (5 spans)
└─ mobile-app "checkout" INTERNAL 00ad4528
   └─ mobile-app "POST /checkout" CLIENT dd5701d8
      └─ api-gateway "POST /checkout" SERVER b9fabb93
         └─ api-gateway "POST /payments" CLIENT b228c9da
            └─ payment-api "POST /payments" SERVER b664ab64

✗ missing-service: trace 1c67af03d970c3c0e01ccbc455ea99b6, span -, service fraud-service: fraud-service has no span in any trace: payment-api never called it, or its spans were not exported
[tracehop] Failed to verify traces: 1 problem in 1 trace, 5 spans. Each problem above names the hop that lost the trace context.
"
`);
  });

  it('clock skew is a warning, never a defect', async () => {
    expect(await check(await dump({ clockOffsetMs: { 'mobile-app': 5 * 60_000 } }))).toMatchInlineSnapshot(`
"! clock-skew (warning): trace 1c67af03d970c3c0e01ccbc455ea99b6, span b9fabb933f9d3637, service api-gateway: api-gateway "POST /checkout" (b9fabb93) starts 5 minutes before its parent mobile-app "POST /checkout" (dd5701d8): the clocks of mobile-app and api-gateway disagree (not a propagation defect; parent links decide)
[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace (1 warning).
"
`);
  });
});
