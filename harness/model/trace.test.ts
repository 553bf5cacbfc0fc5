import { asSpanId, asTraceId } from './ids';
import type { Span } from './span';
import { groupTraces, repeatsSpanIds, walkTrace, type Trace } from './trace';
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

  it('builds a trace that is nothing but parent loops, short or long, with a top for each loop', () => {
    const loop = [
      makeSpan({ id: 'c', parent: 'd', start: 3 }),
      makeSpan({ id: 'd', parent: 'c', start: 4 }),
      makeSpan({ id: 'f', parent: 'f', start: 6 }),
    ];
    // Nine spans or more are indexed by a map; the leaves hang under f.
    const leaves = ['1', '2', '3', '4', '5', '6'].map((n) =>
      makeSpan({ id: `f${n}`, parent: 'f', start: 6 + Number(n) }),
    );
    expect(shape(groupTraces(loop)[0]!)).toEqual(['c (cycle)', '  d', 'f (cycle)']);
    expect(shape(groupTraces([...loop, ...leaves])[0]!).filter((line) => !/^ *f\d/.test(line))).toEqual([
      'c (cycle)',
      '  d',
      'f (cycle)',
    ]);
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

  it('builds the same forest, id index and repeat flag whether it scans a short trace or indexes a long one', () => {
    const tangled = [
      makeSpan({ id: 'a', start: 1 }),
      makeSpan({ id: 'b', parent: '99', start: 2 }),
      makeSpan({ id: 'c', parent: 'd', start: 3 }),
      makeSpan({ id: 'd', parent: 'c', start: 4 }),
      makeSpan({ id: 'e', parent: 'a', start: 5 }),
      makeSpan({ id: 'e', parent: 'a', start: 6 }),
      makeSpan({ id: 'f', parent: 'e', start: 7 }),
    ];
    // Eight spans or fewer are scanned; the four leaves make the same trace long enough for a map.
    const leaves = ['1', '2', '3', '4'].map((n) => makeSpan({ id: `f${n}`, parent: 'f', start: 7 + Number(n) }));
    const built = [tangled, [...tangled, ...leaves]].map((spans) => groupTraces(spans)[0]!);
    const describe = (trace: Trace): unknown => ({
      shape: shape(trace).filter((line) => !/^ *f\d/.test(line)),
      repeats: trace.repeatsSpanIds,
      index: [...trace.nodeById].map(([id, node]) => `${id.replace(/0+$/, '')}@${node.span.startTimeMs}`).slice(0, 6),
    });
    const expected = {
      shape: ['a (root)', '  e', '    f', '  e', 'b (orphan)', 'c (cycle)', '  d'],
      repeats: true,
      index: ['a@1', 'b@2', 'c@3', 'd@4', 'e@5', 'f@7'],
    };
    expect(built.map(describe)).toEqual([expected, expected]);
    expect(groupTraces(leaves).map((trace) => trace.repeatsSpanIds)).toEqual([false]);
  });

  it('stays plain data: a copy keeps its id index, and a trace built by hand has its repeats found', () => {
    const spans = [
      makeSpan({ id: 'a', start: 1 }),
      makeSpan({ id: 'b', parent: 'a', start: 2 }),
      makeSpan({ id: 'b', parent: 'a', start: 3 }),
    ];
    const [trace] = groupTraces(spans);
    const ids = (t: Trace): string[] => [...t.nodeById.keys()].map((id) => id.replace(/0+$/, ''));
    expect([ids({ ...trace! }), ids(structuredClone(trace!)), JSON.parse(JSON.stringify(trace)).nodeById]).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      {},
    ]);
    const { repeatsSpanIds: _flag, ...byHand } = { ...trace! };
    expect([
      repeatsSpanIds(trace!),
      repeatsSpanIds(byHand),
      repeatsSpanIds(groupTraces(spans.slice(0, 2))[0]!),
    ]).toEqual([true, true, false]);
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
