import fc from 'fast-check';
import { asSpanId, asTraceId, decodeOtlpJson, encodeOtlpJson, type Span } from '../../harness/model';
import { verifySpans } from '../../harness/verify';

const SERVICES = ['api-gateway', 'payment-api', 'fraud-service', 'auth-service'];
const TRACE = asTraceId('4bf92f3577b34da6a3ce929d0e0e4736');

/**
 * A random call tree: hop i > 0 is called by hop parents[i-1] < i. Hop 0 is the app's root span; every
 * call is a CLIENT span in the caller and a SERVER span in the callee, nested in time.
 */
function callTreeSpans(parents: readonly number[], services: readonly number[]): Span[] {
  const spans: Span[] = [];
  const id = (n: number) => asSpanId((n + 1).toString(16).padStart(16, '0'));
  const hopSpan: number[] = [0];
  spans.push({
    traceId: TRACE,
    spanId: id(0),
    name: 'journey',
    kind: 'internal',
    service: 'mobile-app',
    startTimeMs: 0,
    endTimeMs: 1e6,
    attributes: {},
    traceFlags: 1,
  });
  parents.forEach((parentHop, index) => {
    const hop = index + 1;
    const caller = spans[hopSpan[parentHop]!]!;
    const depth = hop;
    const clientNo = spans.length;
    spans.push({
      traceId: TRACE,
      spanId: id(clientNo),
      parentSpanId: caller.spanId,
      name: `call ${hop}`,
      kind: 'client',
      service: caller.service,
      startTimeMs: caller.startTimeMs + 1,
      endTimeMs: caller.endTimeMs - 1,
      attributes: {},
      traceFlags: 1,
    });
    hopSpan[hop] = spans.length;
    spans.push({
      traceId: TRACE,
      spanId: id(spans.length),
      parentSpanId: id(clientNo),
      name: `serve ${hop}`,
      kind: 'server',
      service: SERVICES[services[index]! % SERVICES.length]!,
      startTimeMs: caller.startTimeMs + 2,
      endTimeMs: caller.endTimeMs - 2,
      attributes: { depth },
      traceFlags: 1,
    });
  });
  return spans;
}

const callTree = fc
  .integer({ min: 0, max: 30 })
  .chain((size) =>
    fc.tuple(
      fc.tuple(...Array.from({ length: size }, (_, i) => fc.integer({ min: 0, max: i }))),
      fc.array(fc.nat(), { minLength: size, maxLength: size }),
    ),
  );

describe('verifier properties over random call trees', () => {
  it('finds any well-formed call tree clean, however its spans are shuffled and split into batches', () => {
    fc.assert(
      fc.property(callTree, fc.integer({ min: 1, max: 5 }), fc.nat(), ([parents, services], batches, seed) => {
        const spans = callTreeSpans(parents, services);
        const shuffled = [...spans].sort(
          (a, b) => ((a.spanId.charCodeAt(15) * 31 + seed) % 7) - ((b.spanId.charCodeAt(15) * 31 + seed) % 7),
        );
        const lines = Array.from({ length: batches }, (_, b) => shuffled.filter((_, i) => i % batches === b))
          .filter((batch) => batch.length > 0)
          .map((batch) => JSON.stringify(encodeOtlpJson(batch)));
        const decoded = decodeOtlpJson(lines.join('\n'), 'batches.jsonl');
        if (!decoded.ok) throw new Error(decoded.message);
        const verdict = verifySpans(decoded.spans);
        expect([verdict.traces.length, verdict.problems, verdict.warnings]).toEqual([1, [], []]);
      }),
    );
  });

  it('reports exactly one orphan-span for any span whose parent id is rewritten to an unknown one', () => {
    fc.assert(
      fc.property(
        callTree.filter(([parents]) => parents.length > 0),
        fc.nat(),
        ([parents, services], pick) => {
          const spans = callTreeSpans(parents, services);
          const victim = 1 + (pick % (spans.length - 1));
          const broken = spans.map((span, i) =>
            i === victim ? { ...span, parentSpanId: asSpanId('badc0ffee0ddf00d') } : span,
          );
          const verdict = verifySpans(broken);
          expect(verdict.problems.map((p) => [p.kind, p.spanId])).toEqual([['orphan-span', spans[victim]!.spanId]]);
        },
      ),
    );
  });
});
