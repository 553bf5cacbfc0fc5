import { asSpanId, asTraceId, groupTraces, type Span } from '../model';
import { makeSpan } from '../model/test-support/make-span';
import { renderTraceTree } from './render-tree';
import { verifySpans } from './verify';

describe('renderTraceTree', () => {
  it('draws the tree and marks the broken spans with their problem kinds', () => {
    const spans = [
      makeSpan({ id: 'a1', service: 'mobile-app', name: 'checkout', start: 0 }),
      makeSpan({ id: 'a2', parent: 'a1', service: 'mobile-app', name: 'POST /checkout', kind: 'client', start: 1 }),
      makeSpan({ id: 'b1', parent: 'a2', service: 'api-gateway', name: 'POST /checkout', kind: 'server', start: 2 }),
      makeSpan({ id: 'b2', parent: 'b1', service: 'api-gateway', name: 'POST /payments', kind: 'client', start: 3 }),
      makeSpan({ id: 'c1', parent: 'b1', service: 'payment-api', name: 'POST /payments', kind: 'server', start: 4 }),
      makeSpan({ id: 'a3', parent: 'a1', service: 'mobile-app', name: 'GET /search', kind: 'client', start: 5 }),
      makeSpan({ id: 'd1', parent: 'ee', service: 'catalog-service', name: 'GET /products', kind: 'server', start: 6 }),
    ];
    const { traces, problems } = verifySpans(spans);
    expect(renderTraceTree(traces[0]!, problems)).toMatchInlineSnapshot(`
"trace 10000000 (7 spans)
├─ mobile-app "checkout" INTERNAL a1000000
│  ├─ mobile-app "POST /checkout" CLIENT a2000000
│  │  └─ api-gateway "POST /checkout" SERVER b1000000
│  │     ├─ api-gateway "POST /payments" CLIENT b2000000
│  │     └─ ✗ payment-api "POST /payments" SERVER c1000000  wrong-parent
│  └─ mobile-app "GET /search" CLIENT a3000000
└─ ✗ catalog-service "GET /products" SERVER d1000000 (parent ee000000 not in trace)  orphan-span"
`);
  });

  it('stops indenting past 30 levels and can cut long traces short', () => {
    const traceId = asTraceId('1'.repeat(32));
    const spans: Span[] = [];
    for (let i = 1; i <= 20_000; i++) {
      const id = (n: number) => asSpanId(n.toString(16).padStart(16, '0'));
      spans.push({
        traceId,
        spanId: id(i),
        ...(i > 1 ? { parentSpanId: id(i - 1) } : {}),
        name: 'hop',
        kind: 'internal',
        service: 'svc',
        startTimeMs: i,
        endTimeMs: i,
        attributes: {},
      });
    }
    const [trace] = groupTraces(spans);
    const full = renderTraceTree(trace!).split('\n');
    expect([full.length, full[20_000]]).toEqual([
      20_001,
      `${' '.repeat(90)}└─ (depth 19999) svc "hop" INTERNAL 00004e20`,
    ]);
    expect(renderTraceTree(trace!, [], { maxLines: 2 })).toBe(
      [
        'trace 11111111 (20000 spans)',
        '└─ svc "hop" INTERNAL 00000001',
        '   └─ svc "hop" INTERNAL 00000002',
        '      … 19998 more span(s) not shown',
      ].join('\n'),
    );
  });
  it('still names the marked spans a line limit cuts off', () => {
    const id = (n: number) => asSpanId((0x1000 + n).toString(16).padEnd(16, '0'));
    const spans: Span[] = [];
    for (let i = 1; i <= 1000; i++) {
      // Span 10 and every 90th after it name a parent nobody exported: 11 orphan tops, 10 of them cut off.
      const parent = i === 1 ? undefined : i % 90 === 10 ? id(4000) : id(i - 1);
      spans.push({
        traceId: asTraceId('1'.repeat(32)),
        spanId: id(i),
        ...(parent ? { parentSpanId: parent } : {}),
        name: 'hop',
        kind: 'internal',
        service: 'svc',
        startTimeMs: i,
        endTimeMs: i,
        attributes: {},
      });
    }
    const { traces, problems } = verifySpans(spans);
    expect(renderTraceTree(traces[0]!, problems, { maxLines: 12 })).toMatchInlineSnapshot(`
"trace 11111111 (1000 spans)
├─ svc "hop" INTERNAL 10010000
│  └─ svc "hop" INTERNAL 10020000
│     └─ svc "hop" INTERNAL 10030000
│        └─ svc "hop" INTERNAL 10040000
│           └─ svc "hop" INTERNAL 10050000
│              └─ svc "hop" INTERNAL 10060000
│                 └─ svc "hop" INTERNAL 10070000
│                    └─ svc "hop" INTERNAL 10080000
│                       └─ svc "hop" INTERNAL 10090000
├─ ✗ svc "hop" INTERNAL 100a0000 (parent 1fa00000 not in trace)  orphan-span
│  └─ svc "hop" INTERNAL 100b0000
│     └─ svc "hop" INTERNAL 100c0000
│        … 988 more span(s) not shown; the marked ones among them:
│           (depth 0) ✗ svc "hop" INTERNAL 10640000 (parent 1fa00000 not in trace)  orphan-span
│           (depth 0) ✗ svc "hop" INTERNAL 10be0000 (parent 1fa00000 not in trace)  orphan-span
│           (depth 0) ✗ svc "hop" INTERNAL 11180000 (parent 1fa00000 not in trace)  orphan-span
│           (depth 0) ✗ svc "hop" INTERNAL 11720000 (parent 1fa00000 not in trace)  orphan-span
│           (depth 0) ✗ svc "hop" INTERNAL 11cc0000 (parent 1fa00000 not in trace)  orphan-span
│           (depth 0) ✗ svc "hop" INTERNAL 12260000 (parent 1fa00000 not in trace)  orphan-span
│           (depth 0) ✗ svc "hop" INTERNAL 12800000 (parent 1fa00000 not in trace)  orphan-span
│           (depth 0) ✗ svc "hop" INTERNAL 12da0000 (parent 1fa00000 not in trace)  orphan-span
│           (depth 0) ✗ svc "hop" INTERNAL 13340000 (parent 1fa00000 not in trace)  orphan-span
│           (depth 0) ✗ svc "hop" INTERNAL 138e0000 (parent 1fa00000 not in trace)  orphan-span
│           … and 1 more marked span(s)"
`);
  });
});
