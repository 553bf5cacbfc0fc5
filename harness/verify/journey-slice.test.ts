import { makeSpan, traceHex, type SpanSpec } from '../model/test-support/make-span';
import { journeySlice } from './journey-slice';

/** The trace ids (short) of a slice of `specs`, for the journey whose root is "checkout". */
function slicedTraces(chain: readonly string[], specs: readonly SpanSpec[]): string[] {
  const slice = journeySlice(specs.map(makeSpan), [], { root: 'checkout', chain });
  const short = new Map(specs.map((spec) => [traceHex(spec.trace ?? '1'), spec.trace ?? '1']));
  return [...new Set(slice.spans.map((span) => short.get(span.traceId) ?? span.traceId))].sort();
}

// The journey's own trace: the app's root and its call, served by A (and by B beneath A when `viaB`).
const journeyTrace = (viaB: boolean): SpanSpec[] => [
  { trace: '10', id: 'r0', service: 'mobile-app', name: 'checkout', start: 0, end: 300 },
  {
    trace: '10',
    id: 'c0',
    parent: 'r0',
    service: 'mobile-app',
    kind: 'client',
    name: 'POST /checkout',
    start: 0,
    end: 250,
  },
  { trace: '10', id: 'a0', parent: 'c0', service: 'A', kind: 'server', name: 'POST /checkout', start: 0, end: 250 },
  ...(viaB
    ? [
        {
          trace: '10',
          id: 'ab',
          parent: 'a0',
          service: 'A',
          kind: 'client',
          name: 'POST /b',
          start: 0,
          end: 220,
        } as const,
        {
          trace: '10',
          id: 'b0',
          parent: 'ab',
          service: 'B',
          kind: 'server',
          name: 'POST /b',
          start: 0,
          end: 200,
        } as const,
      ]
    : []),
];

describe('journeySlice: calls a chain service made outside its request context', () => {
  it('takes a call made while a span of a trace joined earlier in the same pass was running', () => {
    // A calls B outside its context (trace 11); B, serving that call, calls D outside its own (trace 12).
    const traces = slicedTraces(
      ['mobile-app', 'A', 'B', 'C'],
      [
        ...journeyTrace(false),
        { trace: '11', id: 'x1', service: 'A', kind: 'client', name: 'POST /b', start: 20, end: 100 },
        { trace: '11', id: 'b1', parent: 'x1', service: 'B', kind: 'server', name: 'POST /b', start: 25, end: 90 },
        { trace: '12', id: 'x2', service: 'B', kind: 'client', name: 'POST /d', start: 30, end: 80 },
        { trace: '12', id: 'd2', parent: 'x2', service: 'D', kind: 'server', name: 'POST /d', start: 31, end: 70 },
      ],
    );
    expect(traces).toEqual(['10', '11', '12']);
  });

  it('refuses a call on another route than an unanswered call of a trace joined earlier in the same pass', () => {
    // Trace 11 (A outside its context) holds B's call on /x that got no answer; B's call on /y (trace 12) is
    // then no call of this journey's.
    const traces = slicedTraces(
      ['mobile-app', 'A', 'B', 'C', 'D'],
      [
        ...journeyTrace(true),
        { trace: '11', id: 'x1', service: 'A', kind: 'client', name: 'POST /b', start: 10, end: 60 },
        { trace: '11', id: 'b1', parent: 'x1', service: 'B', kind: 'server', name: 'POST /b', start: 12, end: 50 },
        { trace: '11', id: 'bc', parent: 'b1', service: 'B', kind: 'client', name: 'POST /c', start: 14, end: 30 },
        { trace: '11', id: 'c1', parent: 'bc', service: 'C', kind: 'server', name: 'POST /c', start: 15, end: 29 },
        { trace: '11', id: 'w1', parent: 'b1', service: 'B', kind: 'client', name: 'POST /x', start: 16, end: 45 },
        { trace: '12', id: 'x2', service: 'B', kind: 'client', name: 'POST /y', start: 50, end: 80 },
        { trace: '12', id: 'd2', parent: 'x2', service: 'D', kind: 'server', name: 'POST /y', start: 51, end: 79 },
      ],
    );
    expect(traces).toEqual(['10', '11']);
  });
});
