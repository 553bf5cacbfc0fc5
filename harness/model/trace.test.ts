import { asSpanId, asTraceId } from './ids';
import type { Span } from './span';
import { groupTraces, walkTrace, type Trace } from './trace';
import { makeSpan } from './test-support/make-span';

function shape(trace: Trace): string[] {
  const lines: string[] = [];
  walkTrace(trace, (node, depth, root) =>
    lines.push(`${'  '.repeat(depth)}${node.span.spanId.replace(/0+$/, '')}${depth === 0 ? ` (${root.reason})` : ''}`),
  );
  return lines;
}

describe('groupTraces', () => {
  it('groups spans of one trace given in any order over batches and builds the tree', () => {
    const spans = [
      makeSpan({ id: 'c', parent: 'b', start: 3 }),
      makeSpan({ trace: '2', id: 'f', start: 0 }),
      makeSpan({ id: 'd', parent: 'a', start: 4 }),
      makeSpan({ id: 'a', start: 1 }),
      makeSpan({ id: 'b', parent: 'a', start: 2 }),
    ];
    const traces = groupTraces(spans);
    expect(traces.map((t) => [t.traceId.replace(/0+$/, ''), shape(t)])).toEqual([
      ['2', ['f (root)']],
      ['1', ['a (root)', '  b', '    c', '  d']],
    ]);
  });

  it('puts orphans and parent loops at the top with their reason', () => {
    const spans = [
      makeSpan({ id: 'a', start: 1 }),
      makeSpan({ id: 'b', parent: '99', start: 2 }),
      makeSpan({ id: 'c', parent: 'd', start: 3 }),
      makeSpan({ id: 'd', parent: 'c', start: 4 }),
      makeSpan({ id: 'e', parent: 'd', start: 5 }),
      makeSpan({ id: 'f', parent: 'f', start: 6 }),
    ];
    expect(shape(groupTraces(spans)[0]!)).toEqual(['a (root)', 'b (orphan)', 'c (cycle)', '  d', '    e', 'f (cycle)']);
  });

  it('keeps every duplicate span in the forest exactly once', () => {
    const spans = [
      makeSpan({ id: 'a', start: 1 }),
      makeSpan({ id: 'b', parent: 'a', start: 2 }),
      makeSpan({ id: 'b', parent: 'a', start: 3 }),
      makeSpan({ id: 'c', parent: 'b', start: 4 }),
    ];
    expect(shape(groupTraces(spans)[0]!)).toEqual(['a (root)', '  b', '    c', '  b']);
  });

  it('builds a trace 20,000 spans deep without overflowing the stack', () => {
    const traceId = asTraceId('1'.repeat(32));
    const spans: Span[] = [];
    for (let i = 1; i <= 20_000; i++) {
      spans.push({
        traceId,
        spanId: asSpanId(i.toString(16).padStart(16, '0')),
        ...(i > 1 ? { parentSpanId: asSpanId((i - 1).toString(16).padStart(16, '0')) } : {}),
        name: 'hop',
        kind: 'internal',
        service: 'svc',
        startTimeMs: i,
        endTimeMs: 50_000 - i,
        attributes: {},
      });
    }
    const [trace] = groupTraces(spans.reverse());
    let deepest = 0;
    walkTrace(trace!, (_node, depth) => (deepest = Math.max(deepest, depth)));
    expect([trace!.roots.length, deepest]).toEqual([1, 19_999]);
  });
});
