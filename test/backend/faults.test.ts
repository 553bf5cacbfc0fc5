import { startBackend, type Backend, type FaultName } from '../../harness/backend';
import { checkCaptures } from '../../harness/verify/capture';
import { verifySpans } from '../../harness/verify';
import { asSpanId, asTraceId, type Span } from '../../harness/model';
import { fakeAppCheckout } from './support/fake-app';

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];
// A checkout records 5 backend spans (3 SERVER, 2 CLIENT) plus the app's CLIENT span.
const SPANS_PER_CHECKOUT = 6;

let backend: Backend;

/** Ids are random per run; messages are compared with each id replaced by a placeholder. */
function normalizeIds(message: string): string {
  return message.replace(/\b[0-9a-fA-F]{32}\b/g, '<trace-id>').replace(/\b[0-9a-fA-F]{16}\b/g, '<span-id>');
}

beforeAll(async () => {
  backend = await startBackend();
});

afterAll(async () => {
  await backend.stop();
});

afterEach(() => backend.setFaults([]));

async function checkoutVerdicts(): Promise<{ spanKinds: string[]; captureKinds: string[]; messages: string[] }> {
  const before = backend.store.size;
  const capturesBefore = backend.captures().length;
  await fakeAppCheckout(backend, { baggage: 'cart=42' });
  const spans = (
    await backend.store.waitFor((all) => all.length >= before + SPANS_PER_CHECKOUT, { timeout: 5000 })
  ).slice(before);
  const captures = backend.captures().slice(capturesBefore);
  const verdict = verifySpans(spans, { expect: CHAIN });
  const captureProblems = checkCaptures(captures, spans);
  return {
    spanKinds: [...new Set(verdict.problems.map((p) => p.kind))].sort(),
    captureKinds: [...new Set(captureProblems.map((p) => p.kind))].sort(),
    messages: captureProblems.map((p) => normalizeIds(p.message)),
  };
}

describe('a checkout through the mock backend', () => {
  it('passes every span and capture check without a fault', async () => {
    expect(await checkoutVerdicts()).toEqual({ spanKinds: [], captureKinds: [], messages: [] });
  });

  test.each<[FaultName, string[], string[], string]>([
    [
      'drop-traceparent',
      ['broken-chain'],
      ['broken-chain'],
      'api-gateway sent no traceparent to payment-api (POST /payments), so it started a new trace: a proxy or SDK between them drops the header',
    ],
    [
      'new-trace',
      ['broken-chain', 'orphan-span'],
      ['header-span-mismatch'],
      "payment-api (POST /payments) received a traceparent for trace <trace-id>, but api-gateway's call span is in trace <trace-id>: an SDK between them starts a new trace instead of continuing the incoming one",
    ],
    [
      'uppercase-traceparent',
      ['broken-chain'],
      ['invalid-header'],
      'payment-api (POST /payments) received an invalid traceparent from api-gateway (uppercase-hex: trace-id contains uppercase hex: lowercase it): a proxy or SDK between them rewrites the ids in uppercase hex, which W3C forbids',
    ],
    [
      'rewrite-parent',
      ['orphan-span'],
      ['header-span-mismatch'],
      'payment-api (POST /payments) received parent id <span-id>, which api-gateway never exported (its call span is <span-id>): a proxy between them rewrites the parent id to a span it never exported',
    ],
    [
      'duplicate-traceparent',
      ['broken-chain'],
      ['invalid-header'],
      'payment-api (POST /payments) received an invalid traceparent from api-gateway (duplicate-header: traceparent was sent 2 times: send exactly one (two instrumentations are probably each injecting it)): two instrumentations each inject their own traceparent',
    ],
    [
      'b3-only',
      ['broken-chain'],
      ['broken-chain'],
      'api-gateway sent payment-api (POST /payments) B3 headers and no traceparent, so it started a new trace: the caller sends only B3 headers while the next hop reads W3C traceparent',
    ],
    [
      'unsampled',
      ['sampling-mismatch'],
      ['sampling-mismatch'],
      'api-gateway recorded its call as sampled, but payment-api (POST /payments) received sampled=0: a sampler or proxy between them clears the sampled flag',
    ],
    [
      'strip-tracestate',
      ['header-span-mismatch'],
      ['header-span-mismatch'],
      'payment-api (POST /payments) received no tracestate although api-gateway\'s call span carries "tracehop=api-gateway": a proxy between them strips the tracestate header',
    ],
    [
      'strip-baggage',
      [],
      ['header-span-mismatch'],
      'payment-api (POST /payments) received no baggage although api-gateway received "cart=42": a proxy between them strips the baggage header',
    ],
    [
      'redirect-drops-headers',
      ['broken-chain'],
      ['broken-chain'],
      "api-gateway's call to payment-api (POST /payments) was redirected (307) and the follow-up request carried no traceparent, so it started a new trace: the HTTP client follows the redirect with a rebuilt request that carries no trace headers; fix: call the final URL directly, or make the HTTP client copy traceparent, tracestate and baggage onto the redirected request",
    ],
  ])(
    'with api-gateway:%s the spans give %j and the capture log gives %j naming the cause',
    async (fault, spanKinds, captureKinds, message) => {
      backend.setFaults([{ service: 'api-gateway', fault }]);
      expect(await checkoutVerdicts()).toEqual({ spanKinds, captureKinds, messages: [message] });
    },
  );
});

describe('redirect-drops-headers', () => {
  it('sends the call to a second listener that answers 307, then follows it to the service without trace headers', async () => {
    backend.setFaults([{ service: 'api-gateway', fault: 'redirect-drops-headers' }]);
    const before = backend.captures().length;
    const { status } = await fakeAppCheckout(backend);
    expect(status).toBe(200);
    const payments = backend
      .captures()
      .slice(before)
      .filter((capture) => capture.service === 'payment-api');
    const traceHeaders = ['traceparent', 'tracestate', 'baggage'];
    expect(
      payments.map((capture) => [
        capture.method,
        capture.path,
        capture.response?.status,
        capture.headers.filter(([name]) => traceHeaders.includes(name)).map(([name]) => name),
      ]),
    ).toEqual([
      ['POST', '/payments', 307, ['traceparent', 'tracestate']],
      ['POST', '/payments', undefined, []],
    ]);
    expect(payments[0]?.response?.headers).toEqual([['location', `${backend.urls.services['payment-api']}/payments`]]);
  });
});

describe('cors-omits-trace-headers', () => {
  const ask = (gateway: string) =>
    fetch(`${gateway}/checkout`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:9',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,traceparent,tracestate,baggage,X-Api-Key',
      },
    });

  it('answers preflights without traceparent, tracestate and baggage, and keeps the answer in the capture log', async () => {
    const gateway = backend.urls.services['api-gateway'] as string;
    const healthy = await ask(gateway);
    // The app's own header (an API key) is allowed either way: the fault is about trace headers only.
    expect(healthy.headers.get('access-control-allow-headers')).toBe(
      'content-type, content-encoding, authorization, traceparent, tracestate, baggage, b3, x-b3-traceid, x-b3-spanid, x-b3-parentspanid, x-b3-sampled, x-b3-flags, x-api-key',
    );
    backend.setFaults([{ service: 'api-gateway', fault: 'cors-omits-trace-headers' }]);
    const refused = await ask(gateway);
    expect([refused.status, refused.headers.get('access-control-allow-headers')]).toEqual([
      204,
      'content-type, content-encoding, authorization, b3, x-b3-traceid, x-b3-spanid, x-b3-parentspanid, x-b3-sampled, x-b3-flags, x-api-key',
    ]);
    const preflight = backend.captures().at(-1);
    expect([preflight?.method, preflight?.path, preflight?.response?.status]).toEqual(['OPTIONS', '/checkout', 204]);
  });

  it("gives a broken-chain naming CORS, the refused headers and the app's request when no request follows the preflight", async () => {
    backend.setFaults([{ service: 'api-gateway', fault: 'cors-omits-trace-headers' }]);
    const gateway = backend.urls.services['api-gateway'] as string;
    const before = backend.captures().length;
    const start = Date.now();
    await ask(gateway);
    // The app's CLIENT span for the POST the browser then refused to send.
    const appSpan: Span = {
      traceId: asTraceId('4bf92f3577b34da6a3ce929d0e0e4736'),
      spanId: asSpanId('00f067aa0ba902b7'),
      name: 'HTTP POST',
      kind: 'client',
      service: 'mobile-app',
      startTimeMs: start,
      endTimeMs: Date.now(),
      attributes: { 'http.request.method': 'POST', 'url.full': `${gateway}/checkout` },
      traceFlags: 1,
    };
    const problems = checkCaptures(backend.captures().slice(before), [appSpan]);
    expect(problems.map((problem) => [problem.kind, problem.traceId, problem.message])).toEqual([
      [
        'broken-chain',
        '4bf92f3577b34da6a3ce929d0e0e4736',
        'CORS: api-gateway answered the preflight for POST /checkout with Access-Control-Allow-Headers "content-type, content-encoding, authorization, b3, x-b3-traceid, x-b3-spanid, x-b3-parentspanid, x-b3-sampled, x-b3-flags, x-api-key", ' +
          "which leaves out traceparent, tracestate, baggage, so the browser refused to send mobile-app's request and api-gateway never received it: " +
          "the service's CORS preflight answer leaves traceparent, tracestate and baggage out of Access-Control-Allow-Headers, so the browser refuses to send the request; " +
          "fix: add traceparent, tracestate and baggage to the service's Access-Control-Allow-Headers (its CORS preflight answer)",
      ],
    ]);
  });
});
