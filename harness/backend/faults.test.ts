import { describeFault, FAULT_NAMES, parseFaultList } from './faults';

const SERVICES = ['api-gateway', 'payment-api'];

describe('parseFaultList', () => {
  it('reads comma-separated service:fault pairs, ignoring blanks', () => {
    expect(parseFaultList(' api-gateway:drop-traceparent, ,payment-api:unsampled', SERVICES, '--faults')).toEqual({
      ok: true,
      value: [
        { service: 'api-gateway', fault: 'drop-traceparent' },
        { service: 'payment-api', fault: 'unsampled' },
      ],
    });
  });

  it('reads an empty list as no faults', () => {
    expect(parseFaultList('', SERVICES, 'TRACEHOP_FAULTS')).toEqual({ ok: true, value: [] });
  });

  test.each([
    ['drop-traceparent', '[tracehop] Failed to read --faults: "drop-traceparent" is not a service:fault pair. Write pairs such as "api-gateway:drop-traceparent", comma separated.'],
    ['api-gateway:', '[tracehop] Failed to read --faults: "api-gateway:" is not a service:fault pair. Write pairs such as "api-gateway:drop-traceparent", comma separated.'],
    ['cart:unsampled', '[tracehop] Failed to apply --faults: there is no service "cart". Use one of: api-gateway, payment-api.'],
    [
      'api-gateway:slow',
      '[tracehop] Failed to apply --faults: "slow" is not a fault. Use one of: drop-traceparent, new-trace, uppercase-traceparent, rewrite-parent, duplicate-traceparent, b3-only, unsampled, strip-tracestate, strip-baggage.',
    ],
  ])('rejects %j with a message naming the input', (text, message) => {
    expect(parseFaultList(text, SERVICES, '--faults')).toEqual({ ok: false, message });
  });
});

describe('describeFault', () => {
  it('names the hop and the real-world cause of every fault', () => {
    expect(FAULT_NAMES.map((fault) => describeFault('payment-api', 'fraud-service', fault))).toEqual([
      'payment-api sent no traceparent to fraud-service: a proxy or SDK between them drops the header',
      'payment-api sent fraud-service a traceparent for a new trace: an SDK between them starts a new trace instead of continuing the incoming one',
      'payment-api sent fraud-service an uppercase traceparent: a proxy or SDK between them rewrites the ids in uppercase hex, which W3C forbids',
      'payment-api sent fraud-service a traceparent naming a parent span it never exported: a proxy between them rewrites the parent id to a span it never exported',
      'payment-api sent fraud-service two traceparent headers: two instrumentations each inject their own traceparent',
      'payment-api sent fraud-service B3 headers and no traceparent: the caller sends only B3 headers while the next hop reads W3C traceparent',
      'payment-api sent fraud-service a traceparent with the sampled flag cleared: a sampler or proxy between them clears the sampled flag',
      'payment-api sent no tracestate to fraud-service: a proxy between them strips the tracestate header',
      'payment-api sent no baggage to fraud-service: a proxy between them strips the baggage header',
    ]);
  });
});
