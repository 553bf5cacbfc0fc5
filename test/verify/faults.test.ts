import { decodeOtlpJson, encodeOtlpJson, type Span } from '../../harness/model';
import { verifySpans } from '../../harness/verify';
import {
  CHECKOUT_CHAIN,
  runCheckoutJourney,
  withFlags,
  withParentId,
  type JourneyOptions,
} from './support/checkout-journey';

const EXPECT = { expect: CHECKOUT_CHAIN };

/** Finds the one span of a service with a given name and kind. */
function find(spans: readonly Span[], service: string, name: string, kind: Span['kind']): Span {
  const matches = spans.filter((s) => s.service === service && s.name === name && s.kind === kind);
  if (matches.length !== 1) throw new Error(`expected one ${service} ${kind} span "${name}", found ${matches.length}`);
  return matches[0]!;
}

const short = (id: string | null | undefined) => (id ?? '-').slice(0, 8);

async function journey(options: JourneyOptions) {
  const spans = await runCheckoutJourney(options);
  const verdict = verifySpans(spans, EXPECT);
  return { spans, verdict };
}

describe('faults injected between hops of the real SDK', () => {
  it('finds a sound checkout journey clean', async () => {
    const { spans, verdict } = await journey({});
    expect([spans.length, verdict.traces.length, verdict.problems, verdict.warnings]).toEqual([7, 1, [], []]);
  });

  it('reports a dropped traceparent as broken-chain naming api-gateway and payment-api', async () => {
    const { spans, verdict } = await journey({ rewrite: { 'payment-api': (headers) => delete headers.traceparent } });
    const server = find(spans, 'payment-api', 'POST /payments', 'server');
    const gatewayClient = find(spans, 'api-gateway', 'POST /payments', 'client');
    const gatewayTrace = gatewayClient.traceId;
    expect(verdict.problems).toEqual([
      {
        kind: 'broken-chain',
        traceId: server.traceId,
        spanId: server.spanId,
        service: 'payment-api',
        lastService: 'api-gateway',
        restartedService: 'payment-api',
        lastTraceId: gatewayTrace,
        lastSpanId: gatewayClient.spanId,
        message: `api-gateway received the request but payment-api started a new trace (${short(server.traceId)} instead of ${short(gatewayTrace)}): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does`,
      },
    ]);
  });

  it('reports a traceparent rewritten to another trace id as broken-chain and orphan-span', async () => {
    const otherTrace = '0af7651916cd43dd8448eb211c80319c';
    const { spans, verdict } = await journey({
      rewrite: {
        'payment-api': (headers) =>
          void (headers.traceparent = headers.traceparent!.replace(/^00-[0-9a-f]{32}-/, `00-${otherTrace}-`)),
      },
    });
    const server = find(spans, 'payment-api', 'POST /payments', 'server');
    const gatewayServer = find(spans, 'api-gateway', 'POST /checkout', 'server');
    expect(server.traceId).toBe(otherTrace);
    expect(verdict.problems.map((p) => [p.kind, p.service, p.spanId, p.message])).toEqual([
      [
        'orphan-span',
        'payment-api',
        server.spanId,
        `payment-api "POST /payments" (${short(server.spanId)}) names parent span ${short(server.parentSpanId)}, which was never exported in trace 0af76519: the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent`,
      ],
      [
        'broken-chain',
        'payment-api',
        server.spanId,
        `api-gateway received the request but payment-api continued another trace (0af76519 instead of ${short(gatewayServer.traceId)}): api-gateway forwarded a traceparent with a different trace id`,
      ],
    ]);
  });

  it('reports the first expected service a run never reached as missing-service, once', async () => {
    const { verdict } = await journey({ skipCall: ['payment-api'] });
    expect(verdict.problems.map((p) => [p.kind, p.service, p.message])).toEqual([
      [
        'missing-service',
        'payment-api',
        'payment-api has no span in any trace: api-gateway never called it, or its spans were not exported',
      ],
    ]);
  });

  it('reports a parent id rewritten to an unknown span as orphan-span', async () => {
    const { spans, verdict } = await journey({
      rewrite: { 'payment-api': (headers) => withParentId(headers, 'badc0ffee0ddf00d') },
    });
    const server = find(spans, 'payment-api', 'POST /payments', 'server');
    expect(verdict.problems).toEqual([
      {
        kind: 'orphan-span',
        traceId: server.traceId,
        spanId: server.spanId,
        service: 'payment-api',
        missingParentSpanId: 'badc0ffee0ddf00d',
        message: `payment-api "POST /payments" (${short(server.spanId)}) names parent span badc0ffe, which was never exported in trace ${short(server.traceId)}: the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent`,
      },
    ]);
  });

  it("reports a server span parented to the caller's server span as wrong-parent", async () => {
    const { spans, verdict } = await journey({ injectServerContext: ['api-gateway'] });
    const server = find(spans, 'payment-api', 'POST /payments', 'server');
    const gatewayServer = find(spans, 'api-gateway', 'POST /checkout', 'server');
    const gatewayClient = find(spans, 'api-gateway', 'POST /payments', 'client');
    expect(verdict.problems).toEqual([
      {
        kind: 'wrong-parent',
        traceId: server.traceId,
        spanId: server.spanId,
        service: 'payment-api',
        expectedParentSpanId: gatewayClient.spanId,
        actualParentSpanId: gatewayServer.spanId,
        message: `payment-api "POST /payments" (${short(server.spanId)}) is parented to api-gateway's SERVER span "POST /checkout" (${short(gatewayServer.spanId)}) instead of its CLIENT span "POST /payments" (${short(gatewayClient.spanId)}): api-gateway injected the context of its incoming request instead of the span of its outgoing call (inject from the CLIENT span's context, after starting it)`,
      },
    ]);
  });

  it('reports a retry that reuses its span id as duplicate-span-id', async () => {
    const { spans, verdict } = await journey({ retry: { reuseSpanId: true } });
    const clients = spans.filter((s) => s.service === 'api-gateway' && s.kind === 'client');
    expect(clients.map((s) => s.spanId)).toEqual([clients[0]!.spanId, clients[0]!.spanId]);
    expect(
      verdict.problems.map((p) => [p.kind, p.service, p.spanId, p.kind === 'duplicate-span-id' ? p.count : 0]),
    ).toEqual([['duplicate-span-id', 'api-gateway', clients[0]!.spanId, 2]]);
  });

  it('reports hand-made parent links that loop as cycle', async () => {
    const spans = await runCheckoutJourney({});
    const server = find(spans, 'api-gateway', 'POST /checkout', 'server');
    const client = find(spans, 'api-gateway', 'POST /payments', 'client');
    // The gateway's SERVER span claims its own CLIENT span as parent: the two spans loop.
    const looped = spans.map((s) => (s === server ? { ...s, parentSpanId: client.spanId } : s));
    const verdict = verifySpans(looped);
    expect(verdict.problems).toEqual([
      {
        kind: 'cycle',
        traceId: server.traceId,
        spanId: server.spanId,
        service: 'api-gateway',
        loop: [server.spanId, client.spanId],
        message: `parent links loop in trace ${short(server.traceId)} (${short(server.spanId)} -> ${short(client.spanId)} -> ${short(server.spanId)}, child to parent), so these spans have no root: a span id came back as its own ancestor: an id generator repeats ids (a fixed seed, or ids copied from traceparent) or a proxy wrote a descendant's id into traceparent`,
      },
    ]);
  });

  it('reports an unsampled flag on one hop as sampling-mismatch', async () => {
    const { spans, verdict } = await journey({ rewrite: { 'payment-api': (headers) => withFlags(headers, '00') } });
    const server = find(spans, 'payment-api', 'POST /payments', 'server');
    expect(
      verdict.problems.map((p) => [
        p.kind,
        p.service,
        p.spanId,
        p.kind === 'sampling-mismatch' ? [p.parentSampled, p.childSampled] : null,
      ]),
    ).toEqual([['sampling-mismatch', 'payment-api', server.spanId, [true, false]]]);
  });

  it("keeps the app's tracestate on every span of a sound checkout: each SERVER span inherits its remote parent's", async () => {
    const { spans, verdict } = await journey({ traceStateMember: { 'mobile-app': 'vendor=abc' } });
    expect([spans.map((span) => span.traceState), verdict.problems]).toEqual([Array(7).fill('vendor=abc'), []]);
  });

  it('reports a tracestate stripped on one hop as header-span-mismatch naming the call that carried it', async () => {
    const { spans, verdict } = await journey({
      traceStateMember: { 'mobile-app': 'vendor=abc' },
      rewrite: { 'payment-api': (headers) => delete headers.tracestate },
    });
    const server = find(spans, 'payment-api', 'POST /payments', 'server');
    const client = find(spans, 'api-gateway', 'POST /payments', 'client');
    expect(verdict.problems).toEqual([
      {
        kind: 'header-span-mismatch',
        traceId: client.traceId,
        spanId: client.spanId,
        service: 'payment-api',
        header: 'tracestate',
        headerValue: '',
        message: `payment-api "POST /payments" (${short(server.spanId)}) has no tracestate although api-gateway's call span "POST /payments" (${short(client.spanId)}) carries "vendor=abc": a proxy between them strips the tracestate header, or payment-api read its context with a propagator that has no tracestate (B3 alone); fix: let the proxy between them pass tracestate through`,
      },
    ]);
  });

  it.each<[string, JourneyOptions]>([
    [
      'the callee put its own member in front',
      { traceStateMember: { 'mobile-app': 'vendor=abc', 'payment-api': 'pay=1' } },
    ],
    [
      "the callee's own member is all it has after a strip",
      {
        traceStateMember: { 'mobile-app': 'vendor=abc', 'payment-api': 'pay=1' },
        rewrite: { 'payment-api': (headers) => delete headers.tracestate },
      },
    ],
  ])('reports no lost tracestate when %s', async (_case, options) => {
    const { spans, verdict } = await journey(options);
    const server = find(spans, 'payment-api', 'POST /payments', 'server');
    expect([server.traceState, verdict.problems]).toEqual([options.rewrite ? 'pay=1' : 'pay=1,vendor=abc', []]);
  });

  it('reports a service that is never called as missing-service', async () => {
    const { spans, verdict } = await journey({ skipCall: ['fraud-service'] });
    expect(verdict.problems).toEqual([
      {
        kind: 'missing-service',
        traceId: spans[0]!.traceId,
        spanId: null,
        service: 'fraud-service',
        missingService: 'fraud-service',
        message: 'fraud-service has no span in any trace: payment-api never called it, or its spans were not exported',
      },
    ]);
  });
});

describe('clean controls', () => {
  it('accepts a retry that starts a new span id', async () => {
    const { spans, verdict } = await journey({ retry: { reuseSpanId: false } });
    expect([spans.length, verdict.problems, verdict.warnings]).toEqual([11, [], []]);
  });

  it('accepts sibling calls', async () => {
    const { spans, verdict } = await journey({ siblingCall: true });
    expect([spans.length, verdict.problems, verdict.warnings]).toEqual([9, [], []]);
  });

  it('accepts a trace split over shuffled batches and JSON Lines', async () => {
    const spans = await runCheckoutJourney({});
    const order = [5, 0, 2, 4, 1, 6, 3];
    const lines = [order.slice(0, 3), order.slice(3, 5), order.slice(5)].map((batch) =>
      JSON.stringify(encodeOtlpJson(batch.map((i) => spans[i]!))),
    );
    const decoded = decodeOtlpJson(lines.join('\n'), 'batches.jsonl');
    if (!decoded.ok) throw new Error(decoded.message);
    const verdict = verifySpans(decoded.spans, EXPECT);
    expect([decoded.spans.length, verdict.traces.length, verdict.problems, verdict.warnings]).toEqual([7, 1, [], []]);
  });

  it('gives only a clock-skew warning when the device clock is 5 minutes off', async () => {
    const { spans, verdict } = await journey({ clockOffsetMs: { 'mobile-app': 5 * 60_000 } });
    const gateway = find(spans, 'api-gateway', 'POST /checkout', 'server');
    const appClient = find(spans, 'mobile-app', 'POST /checkout', 'client');
    expect(verdict.problems).toEqual([]);
    expect(verdict.warnings).toEqual([
      {
        kind: 'clock-skew',
        traceId: gateway.traceId,
        spanId: gateway.spanId,
        service: 'api-gateway',
        skewMs: 299_995,
        message: `api-gateway "POST /checkout" (${short(gateway.spanId)}) starts 5 minutes before its parent mobile-app "POST /checkout" (${short(appClient.spanId)}): the clocks of mobile-app and api-gateway disagree (not a propagation defect; parent links decide)`,
      },
    ]);
  });
});
