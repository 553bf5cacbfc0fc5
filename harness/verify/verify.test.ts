import { makeSpan, type SpanSpec } from '../model/test-support/make-span';
import { verifySpans } from './verify';

/** The checkout journey, all links right: app root -> app CLIENT -> gateway SERVER -> CLIENT -> payment SERVER. */
function checkout(overrides: Partial<Record<string, Partial<SpanSpec>>> = {}): SpanSpec[] {
  const base: SpanSpec[] = [
    { id: 'a1', service: 'mobile-app', name: 'checkout', kind: 'internal', start: 0, end: 100, flags: 1 },
    { id: 'a2', parent: 'a1', service: 'mobile-app', name: 'POST /checkout', kind: 'client', start: 1, end: 99, flags: 1 },
    { id: 'b1', parent: 'a2', service: 'api-gateway', name: 'POST /checkout', kind: 'server', start: 2, end: 98, flags: 1 },
    { id: 'b2', parent: 'b1', service: 'api-gateway', name: 'POST /payments', kind: 'client', start: 3, end: 97, flags: 1 },
    { id: 'c1', parent: 'b2', service: 'payment-api', name: 'POST /payments', kind: 'server', start: 4, end: 96, flags: 1 },
  ];
  return base.map((spec) => ({ ...spec, ...overrides[spec.id] }));
}

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api'];

function verdict(specs: SpanSpec[], expect?: string[]) {
  const result = verifySpans(specs.map(makeSpan), expect ? { expect } : {});
  return {
    problems: result.problems.map((p) => `${p.kind} ${p.service} ${p.spanId?.replace(/0+$/, '') ?? '-'}: ${p.message}`),
    warnings: result.warnings.map((w) => `${w.kind} ${w.service} ${w.spanId.replace(/0+$/, '')} ${w.skewMs}`),
  };
}

describe('verifySpans', () => {
  it('finds nothing wrong in a sound chain', () => {
    expect(verdict(checkout(), CHAIN)).toEqual({ problems: [], warnings: [] });
  });

  it('reports an orphan span', () => {
    expect(verdict(checkout({ c1: { parent: 'ff' } })).problems).toEqual([
      'orphan-span payment-api c1: payment-api "POST /payments" (c1000000) names parent span ff000000, which is not in trace 10000000: the caller never exported a span with that id (a proxy or SDK rewrote the parent id in traceparent, or the caller\'s spans were lost)',
    ]);
  });

  it('reports a server span parented to the caller\'s server span as wrong-parent', () => {
    expect(verdict(checkout({ c1: { parent: 'b1' } }), CHAIN).problems).toEqual([
      'wrong-parent payment-api c1: payment-api "POST /payments" (c1000000) is parented to api-gateway\'s SERVER span "POST /checkout" (b1000000) instead of its CLIENT span "POST /payments" (b2000000): api-gateway injected the context of its incoming request instead of the span of its outgoing call',
    ]);
  });

  it('reports two spans sharing an id once', () => {
    const specs = [...checkout(), { id: 'c1', parent: 'b2', service: 'payment-api', name: 'POST /payments', kind: 'server' as const, start: 50, end: 60, flags: 1 }];
    expect(verdict(specs).problems).toEqual([
      'duplicate-span-id payment-api c1: 2 spans share span id c1000000 in trace 10000000 (payment-api "POST /payments" (c1000000), payment-api "POST /payments" (c1000000)): a retry or a second instrumentation reused a span id instead of starting a new span',
    ]);
  });

  it('reports a parent loop', () => {
    expect(verdict([{ id: 'b', parent: 'c', start: 1 }, { id: 'c', parent: 'b', start: 2 }]).problems).toEqual([
      'cycle svc b: parent links loop in trace 10000000 (b0000000 -> c0000000 -> b0000000, child to parent), so these spans have no root: a span id was reused as its own ancestor, by hand-made ids or a rewritten traceparent',
    ]);
  });

  it('reports a sampled flag that changes between hops', () => {
    expect(verdict(checkout({ c1: { flags: 0 } })).problems).toEqual([
      'sampling-mismatch payment-api c1: payment-api "POST /payments" (c1000000) is not sampled but its parent api-gateway "POST /payments" (b2000000) is sampled: the sampled flag changed between hops (a hop sent traceparent with different flags, or a sampler ignored the parent\'s decision)',
    ]);
  });

  it('reports a service that started a new trace as broken-chain', () => {
    expect(verdict(checkout({ c1: { trace: '2', parent: undefined } }), CHAIN).problems).toEqual([
      'broken-chain payment-api c1: api-gateway received the request but payment-api started a new trace (20000000 instead of 10000000): api-gateway did not forward traceparent',
    ]);
  });

  it('reports an expected service with no span anywhere as missing-service', () => {
    expect(verdict(checkout(), [...CHAIN, 'fraud-service']).problems).toEqual([
      'missing-service fraud-service -: fraud-service has no span in any trace: payment-api never called it, or its spans were not exported',
    ]);
  });

  it('warns about clock skew without calling it a defect', () => {
    expect(verdict(checkout({ a1: { start: 300_000, end: 300_100 }, a2: { start: 300_001, end: 300_099 } }), CHAIN)).toEqual({
      problems: [],
      warnings: ['clock-skew api-gateway b1 299999'],
    });
  });

  it('accepts retries with new span ids and sibling calls', () => {
    const specs = [
      ...checkout(),
      { id: 'b3', parent: 'b1', service: 'api-gateway', name: 'POST /payments', kind: 'client' as const, start: 10, end: 20, flags: 1 },
      { id: 'c2', parent: 'b3', service: 'payment-api', name: 'POST /payments', kind: 'server' as const, start: 11, end: 19, flags: 1 },
    ];
    expect(verdict(specs, CHAIN)).toEqual({ problems: [], warnings: [] });
  });
});

describe('wrong-parent without one obvious call span', () => {
  it('says the parent is not a CLIENT or PRODUCER span', () => {
    const specs = checkout({ c1: { parent: 'b1' } }).filter((spec) => spec.id !== 'b2');
    expect(verdict(specs).problems).toEqual([
      'wrong-parent payment-api c1: payment-api "POST /payments" (c1000000) is parented to api-gateway\'s SERVER span "POST /checkout" (b1000000), not to a CLIENT or PRODUCER span: api-gateway injected the context of its incoming request instead of the span of its outgoing call',
    ]);
  });

  it('accepts a CONSUMER span parented to a PRODUCER span of another service', () => {
    const specs: SpanSpec[] = [
      { id: 'a1', service: 'payment-api', kind: 'producer', start: 0, end: 10 },
      { id: 'b1', parent: 'a1', service: 'ledger', kind: 'consumer', start: 5, end: 8 },
    ];
    expect(verdict(specs)).toEqual({ problems: [], warnings: [] });
  });
});
