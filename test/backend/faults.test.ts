import { startBackend, type Backend, type FaultName } from '../../harness/backend';
import { checkCaptures } from '../../harness/verify/capture';
import { verifySpans } from '../../harness/verify';
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
      [],
      ['header-span-mismatch'],
      'payment-api (POST /payments) received no tracestate although api-gateway\'s call span carries "tracehop=api-gateway": a proxy between them strips the tracestate header',
    ],
    [
      'strip-baggage',
      [],
      ['header-span-mismatch'],
      'payment-api (POST /payments) received no baggage although api-gateway received "cart=42": a proxy between them strips the baggage header',
    ],
  ])(
    'with api-gateway:%s the spans give %j and the capture log gives %j naming the cause',
    async (fault, spanKinds, captureKinds, message) => {
      backend.setFaults([{ service: 'api-gateway', fault }]);
      expect(await checkoutVerdicts()).toEqual({ spanKinds, captureKinds, messages: [message] });
    },
  );
});
