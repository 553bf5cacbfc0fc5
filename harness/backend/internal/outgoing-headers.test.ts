import type { SpanContext } from '@opentelemetry/api';
import type { HeaderEntry } from '../../model';
import { MemberTraceState } from './member-trace-state';
import { applyFault, correctHeaders } from './outgoing-headers';

const CLIENT: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
  traceState: new MemberTraceState([{ key: 'tracehop', value: 'api-gateway' }]),
};
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TRACEPARENT_ENTRY: HeaderEntry = ['traceparent', TRACEPARENT];
const BAGGAGE_ENTRY: HeaderEntry = ['baggage', 'cart=1'];
const CORRECT: HeaderEntry[] = [TRACEPARENT_ENTRY, ['tracestate', 'tracehop=api-gateway'], BAGGAGE_ENTRY];

describe('correctHeaders', () => {
  it('encodes the CLIENT span as traceparent, its trace state, and the forwarded baggage', () => {
    expect(correctHeaders({ client: CLIENT, random: false, baggage: 'cart=1' })).toEqual(CORRECT);
  });

  it('sets the Level 2 random flag when the trace id is random', () => {
    expect(correctHeaders({ client: { ...CLIENT, traceState: undefined }, random: true })).toEqual([
      ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03'],
    ]);
  });
});

describe('applyFault', () => {
  test.each<[string, HeaderEntry[]]>([
    ['drop-traceparent', CORRECT.slice(1)],
    ['uppercase-traceparent', [['traceparent', TRACEPARENT.toUpperCase()], ...CORRECT.slice(1)]],
    ['unsampled', [['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00'], ...CORRECT.slice(1)]],
    ['strip-tracestate', [TRACEPARENT_ENTRY, BAGGAGE_ENTRY]],
    ['strip-baggage', CORRECT.slice(0, 2)],
    [
      'b3-only',
      [
        ['b3', '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1'],
        ['x-b3-traceid', '4bf92f3577b34da6a3ce929d0e0e4736'],
        ['x-b3-spanid', '00f067aa0ba902b7'],
        ['x-b3-sampled', '1'],
        ['baggage', 'cart=1'],
      ],
    ],
  ])('%s sends exactly these headers', (fault, expected) => {
    expect(applyFault(CORRECT, fault as Parameters<typeof applyFault>[1], CLIENT)).toEqual(expected);
  });

  it('new-trace sends a traceparent with another trace id and parent id', () => {
    const [, traceId, parentId, flags] = applyFault(CORRECT, 'new-trace', CLIENT)[0]![1].split('-');
    expect({
      newTrace: traceId !== CLIENT.traceId && /^[0-9a-f]{32}$/.test(traceId!),
      newParent: parentId !== CLIENT.spanId,
      flags,
    }).toEqual({ newTrace: true, newParent: true, flags: '01' });
  });

  it('rewrite-parent keeps the trace id and replaces the parent id', () => {
    const [, traceId, parentId] = applyFault(CORRECT, 'rewrite-parent', CLIENT)[0]![1].split('-');
    expect({ traceId, newParent: parentId !== CLIENT.spanId && /^[0-9a-f]{16}$/.test(parentId!) }).toEqual({
      traceId: CLIENT.traceId,
      newParent: true,
    });
  });

  it('duplicate-traceparent sends a second traceparent of the same trace right after the first', () => {
    const headers = applyFault(CORRECT, 'duplicate-traceparent', CLIENT);
    expect({
      names: headers.map(([name]) => name),
      first: headers[0]![1],
      sameTrace: headers[1]![1].startsWith(`00-${CLIENT.traceId}-`),
    }).toEqual({
      names: ['traceparent', 'traceparent', 'tracestate', 'baggage'],
      first: TRACEPARENT,
      sameTrace: true,
    });
  });
});
