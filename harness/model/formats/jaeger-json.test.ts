import { decodeJaegerValue } from './jaeger-json';

const HINT = 'Download the trace from Jaeger (Download JSON in the UI, or GET /api/traces/{traceID}).';

describe('Jaeger JSON', () => {
  it('refuses a list of bare spans, naming the first, instead of reading no spans from it', () => {
    const span = { traceID: '2be38093ead7a083', spanID: '7606ddfe69932d34', operationName: 'op', startTime: 1 };
    const results = [decodeJaegerValue([span], { file: 'spans.json' }), decodeJaegerValue([{}], { file: 'x.json' })];
    expect(results.map((result) => !result.ok && result.message)).toEqual([
      `[tracehop] Failed to read spans from "spans.json": [0] is a span on its own, not a trace object ({traceID, spans, processes}) as the Jaeger API returns. ${HINT}`,
      `[tracehop] Failed to read spans from "x.json": [0] is not a trace object ({traceID, spans, processes}): it has no "spans". ${HINT}`,
    ]);
  });

  it('names a tag whose value nests 5,000 arrays deep with the start of it, not a stack overflow', () => {
    let deep: unknown = [];
    for (let i = 0; i < 5000; i++) deep = [deep];
    const span = {
      traceID: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanID: '7606ddfe69932d34',
      operationName: 'op',
      processID: 'p1',
      tags: [{ key: 'retries', type: 'int64', value: deep }],
    };
    const value = { data: [{ traceID: span.traceID, spans: [span], processes: { p1: { serviceName: 'app' } } }] };
    const result = decodeJaegerValue(value, { file: 'deep.json' });
    expect(!result.ok && result.message).toBe(
      `[tracehop] Failed to read spans from "deep.json": data[0].spans[0].tags[0].value ${'['.repeat(40)}... is not a int64 value. ${HINT}`,
    );
  });

  it('reads w3c.tracestate as the trace state, and a span without the tag as one whose trace state is unknown', () => {
    const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
    const span = (spanID: string, tags: unknown[]) => ({
      traceID: TRACE_ID,
      spanID,
      operationName: 'op',
      processID: 'p1',
      tags,
    });
    const spans = [
      span('7606ddfe69932d34', [{ key: 'w3c.tracestate', type: 'string', value: 'vendor=abc' }]),
      span('7606ddfe69932d35', []),
    ];
    const result = decodeJaegerValue(
      { data: [{ traceID: TRACE_ID, spans, processes: { p1: { serviceName: 'app' } } }] },
      { file: 'state.json' },
    );
    // Absent, not '': the Collector's translator writes the tag only when there is a trace state.
    expect(result.ok && result.spans.map((read) => [read.traceState, 'traceState' in read, read.attributes])).toEqual([
      ['vendor=abc', true, {}],
      [undefined, false, {}],
    ]);
  });

  it("reads the tag types Grafana's Jaeger download writes (boolean, bytes, untyped lists) and refuses others", () => {
    const span = (tags: unknown[]) => ({
      traceID: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanID: '7606ddfe69932d34',
      operationName: 'op',
      startTime: 1795683600035000.25,
      duration: 4999.75,
      processID: 'p1',
      tags,
    });
    const trace = (tags: unknown[]) => ({
      data: [
        { traceID: '4bf92f3577b34da6a3ce929d0e0e4736', spans: [span(tags)], processes: { p1: { serviceName: 'app' } } },
      ],
    });
    const read = decodeJaegerValue(
      trace([
        { key: 'retried', type: 'boolean', value: false },
        { key: 'token', type: 'bytes', value: 'AQID' },
        { key: 'cart', value: [{ stringValue: 'sku-1' }] },
        { key: 'attempt', value: 2 },
        { key: 'sampled', type: 'bool', value: true },
      ]),
      { file: 'grafana.json' },
    );
    expect(read.ok && read.spans.map((s) => [s.attributes, s.startTimeMs, s.endTimeMs])).toEqual([
      [
        { retried: false, token: 'AQID', cart: '[{"stringValue":"sku-1"}]', attempt: 2, sampled: true },
        1795683600035000.25 / 1000,
        1795683600035000.25 / 1000 + 4.99975,
      ],
    ]);
    const bad = [
      decodeJaegerValue(trace([{ key: 'x', type: 'uint64', value: 1 }]), { file: 'x.json' }),
      decodeJaegerValue(trace([{ key: 'x', type: 'boolean', value: 'yes' }]), { file: 'x.json' }),
      decodeJaegerValue(trace([{ key: 'x', value: null }]), { file: 'x.json' }),
    ];
    const at = '[tracehop] Failed to read spans from "x.json": data[0].spans[0].tags[0]';
    expect(bad.map((result) => !result.ok && result.message)).toEqual([
      `${at}.type "uint64" is not a tag type (string, bool, int64, float64, binary; boolean, bytes as Grafana writes them). ${HINT}`,
      `${at}.value "yes" is not a boolean value. ${HINT}`,
      `${at}.value null is not a string value. ${HINT}`,
    ]);
  });

  it('refuses a start time beyond 64 bits instead of reading it as Infinity', () => {
    const span = {
      traceID: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanID: '7606ddfe69932d34',
      operationName: 'op',
      startTime: `1${'0'.repeat(400)}`,
      processID: 'p1',
    };
    const value = { data: [{ traceID: span.traceID, spans: [span], processes: { p1: { serviceName: 'app' } } }] };
    const result = decodeJaegerValue(value, { file: 'big.json' });
    expect(!result.ok && result.message).toBe(
      `[tracehop] Failed to read spans from "big.json": data[0].spans[0].startTime "1${'0'.repeat(39)}..." is not a time in microseconds (a whole number below 2^64). ${HINT}`,
    );
  });

  it('reads span.kind in any case, as opentelemetry-swift writes it ("SERVER"), and refuses an unknown kind', () => {
    const span = (spanID: string, kind: string) => ({
      traceID: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanID,
      operationName: 'op',
      references: [],
      startTime: 1795683600000000,
      duration: 1000,
      tags: [{ key: 'span.kind', type: 'string', value: kind }],
      processID: 'p1',
    });
    const trace = (...spans: unknown[]) => ({
      data: [{ traceID: '4bf92f3577b34da6a3ce929d0e0e4736', spans, processes: { p1: { serviceName: 'mobile-app' } } }],
    });
    const ok = decodeJaegerValue(
      trace(
        span('a000000000000001', 'INTERNAL'),
        span('a000000000000002', 'CLIENT'),
        span('a000000000000003', 'SERVER'),
        span('a000000000000004', 'PRODUCER'),
        span('a000000000000005', 'Consumer'),
        span('a000000000000006', 'server'),
      ),
      { file: 'swift.json' },
    );
    expect(ok.ok && ok.spans.map((s) => [s.kind, s.attributes])).toEqual([
      ['internal', {}],
      ['client', {}],
      ['server', {}],
      ['producer', {}],
      ['consumer', {}],
      ['server', {}],
    ]);
    const bad = decodeJaegerValue(trace(span('a000000000000001', 'SERVER'), span('a000000000000002', 'GATEWAY')), {
      file: 'swift.json',
    });
    expect(!bad.ok && bad.message).toBe(
      `[tracehop] Failed to read spans from "swift.json": data[0].spans[1].tags span.kind "GATEWAY" is not a span kind. ${HINT}`,
    );
  });
});
