import { DEFAULT_TOPOLOGY } from './default-topology';
import { describeFault, FAULT_NAMES, faultsWithoutEffect, parseFaultList } from './faults';

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
    [
      'drop-traceparent',
      '[tracehop] Failed to read --faults: "drop-traceparent" is not a service:fault pair. Write pairs such as "api-gateway:drop-traceparent", comma separated.',
      'not-a-pair',
    ],
    [
      'api-gateway:',
      '[tracehop] Failed to read --faults: "api-gateway:" is not a service:fault pair. Write pairs such as "api-gateway:drop-traceparent", comma separated.',
      'not-a-pair',
    ],
    [
      'cart:unsampled',
      '[tracehop] Failed to apply --faults: there is no service "cart". Use one of: api-gateway, payment-api.',
      'unknown-service',
    ],
    [
      'api-gateway:slow',
      '[tracehop] Failed to apply --faults: "slow" is not a fault. Use one of: drop-traceparent, new-trace, uppercase-traceparent, rewrite-parent, duplicate-traceparent, b3-only, unsampled, strip-tracestate, strip-baggage, cors-omits-trace-headers, redirect-drops-headers.',
      'unknown-fault',
    ],
    [
      'api-gateway:drop-traceparent,api-gateway:unsampled',
      '[tracehop] Failed to apply --faults: api-gateway is given two faults (drop-traceparent and unsampled). A service takes one fault at a time: keep one.',
      'two-faults',
    ],
  ])('rejects %j with a message naming the input', (text, message, reason) => {
    expect(parseFaultList(text, SERVICES, '--faults')).toEqual({ ok: false, reason, message });
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
      "payment-api's CORS preflight answer did not allow the trace headers: the service's CORS preflight answer leaves traceparent, tracestate and baggage out of Access-Control-Allow-Headers, so the browser refuses to send the request; fix: add traceparent, tracestate and baggage to the service's Access-Control-Allow-Headers (its CORS preflight answer)",
      "payment-api's call to fraud-service was redirected (307) and followed without the trace headers: the HTTP client follows the redirect with a rebuilt request that carries no trace headers; fix: call the final URL directly, or make the HTTP client copy traceparent, tracestate and baggage onto the redirected request",
    ]);
  });
});

describe('faultsWithoutEffect', () => {
  it('warns about a fault on a service that calls nobody, naming its callers instead', () => {
    expect(
      faultsWithoutEffect(
        [
          { service: 'api-gateway', fault: 'drop-traceparent' },
          { service: 'fraud-service', fault: 'drop-traceparent' },
          { service: 'analytics', fault: 'unsampled' },
        ],
        DEFAULT_TOPOLOGY,
      ),
    ).toEqual([
      '[tracehop] Failed to apply the fault fraud-service:drop-traceparent: fraud-service calls no other service, and a fault only changes what a service sends downstream (its /__tracehop/w3c calls aside), so no journey changes. ' +
        'To break the hop into fraud-service, set the fault on its caller: payment-api:drop-traceparent.',
      '[tracehop] Failed to apply the fault analytics:unsampled: analytics calls no other service, and a fault only changes what a service sends downstream (its /__tracehop/w3c calls aside), so no journey changes. ' +
        'Set it on a service that calls another.',
    ]);
  });
});
