import { extractContexts, TRACE_HEADER_NAMES } from './extract';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('extractContexts', () => {
  it('returns nothing for a request without trace headers', () => {
    expect(extractContexts([['content-type', 'application/json']])).toEqual({});
  });

  it('decodes every format present, keeping raw lines in arrival order', () => {
    const contexts = extractContexts([
      ['traceparent', TRACEPARENT],
      ['tracestate', 'rojo=00f067aa0ba902b7'],
      ['tracestate', 'congo=t61rcWkgMzE'],
      ['baggage', 'userId=alice'],
      ['b3', '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1'],
      ['x-b3-traceid', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['X-B3-SpanId', '00f067aa0ba902b7'],
    ]);
    expect(contexts).toEqual({
      traceparent: {
        values: [TRACEPARENT],
        result: {
          ok: true,
          value: {
            version: 0,
            traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
            parentId: '00f067aa0ba902b7',
            traceFlags: 1,
            sampled: true,
            random: false,
          },
        },
      },
      tracestate: {
        values: ['rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE'],
        result: {
          ok: true,
          value: [
            { key: 'rojo', value: '00f067aa0ba902b7' },
            { key: 'congo', value: 't61rcWkgMzE' },
          ],
        },
      },
      baggage: {
        values: ['userId=alice'],
        result: { ok: true, value: [{ key: 'userId', value: 'alice', properties: [] }] },
      },
      b3: {
        values: ['4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1'],
        result: {
          ok: true,
          value: {
            kind: 'ids',
            traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
            traceIdLength: 32,
            spanId: '00f067aa0ba902b7',
            sampling: 'accept',
          },
        },
      },
      b3Multi: {
        values: ['x-b3-traceid: 4bf92f3577b34da6a3ce929d0e0e4736', 'x-b3-spanid: 00f067aa0ba902b7'],
        result: {
          ok: true,
          value: {
            kind: 'ids',
            traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
            traceIdLength: 32,
            spanId: '00f067aa0ba902b7',
            sampling: 'defer',
          },
        },
      },
    });
  });

  it('reports two traceparent lines as a duplicate header', () => {
    expect(
      extractContexts([
        ['traceparent', TRACEPARENT],
        ['traceparent', TRACEPARENT],
      ]).traceparent,
    ).toEqual({
      values: [TRACEPARENT, TRACEPARENT],
      result: {
        ok: false,
        reason: 'duplicate-header',
        message: 'traceparent was sent 2 times: send exactly one (two instrumentations are probably each injecting it)',
      },
    });
  });

  it('reports an uppercase traceparent with its reason', () => {
    expect(extractContexts([['traceparent', TRACEPARENT.toUpperCase()]]).traceparent?.result).toEqual({
      ok: false,
      reason: 'uppercase-hex',
      message: 'trace-id contains uppercase hex: lowercase it',
    });
  });

  it('skips malformed entries from untrusted callers instead of throwing', () => {
    const headers = [['traceparent'], null, ['traceparent', TRACEPARENT]] as unknown as [string, string][];
    expect(extractContexts(headers).traceparent?.values).toEqual([TRACEPARENT]);
  });
});

describe('TRACE_HEADER_NAMES', () => {
  it('lists every header that carries trace context or baggage, lowercase', () => {
    expect(TRACE_HEADER_NAMES).toEqual([
      'traceparent',
      'tracestate',
      'baggage',
      'b3',
      'x-b3-traceid',
      'x-b3-spanid',
      'x-b3-parentspanid',
      'x-b3-sampled',
      'x-b3-flags',
    ]);
  });
});
