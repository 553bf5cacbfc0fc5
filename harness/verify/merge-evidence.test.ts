import { mergeEvidence } from './merge-evidence';
import type { Problem } from './problem';

const spanBreak: Problem = {
  kind: 'broken-chain',
  traceId: null,
  spanId: null,
  service: 'api-gateway',
  lastService: 'mobile-app',
  restartedService: 'api-gateway',
  message: 'mobile-app received the request but api-gateway started a new trace',
};
const orphan: Problem = {
  kind: 'orphan-span',
  traceId: null,
  spanId: null,
  service: 'payment-api',
  missingParentSpanId: 'aaaaaaaaaaaaaaaa' as never,
  message: 'orphan',
};
const headerBreak = (lastService: string, restartedService: string): Problem => ({
  ...spanBreak,
  lastService,
  restartedService,
  message: `${lastService} sent no trace headers at all to ${restartedService}; fix: ...`,
});

describe('mergeEvidence', () => {
  it('drops a span broken-chain the capture log explains on the same hop, keeping everything else in order', () => {
    expect(mergeEvidence([spanBreak, orphan], [headerBreak('mobile-app', 'api-gateway')])).toEqual([
      orphan,
      headerBreak('mobile-app', 'api-gateway'),
    ]);
  });

  it('keeps a span broken-chain of another hop', () => {
    expect(mergeEvidence([spanBreak], [headerBreak('api-gateway', 'payment-api')])).toEqual([
      spanBreak,
      headerBreak('api-gateway', 'payment-api'),
    ]);
  });
});

describe('mergeEvidence and a lost tracestate', () => {
  const lost = (spanId: string, message: string): Problem => ({
    kind: 'header-span-mismatch',
    traceId: 'a'.repeat(32) as never,
    spanId: spanId as never,
    service: 'payment-api',
    header: 'tracestate',
    headerValue: '',
    message,
  });
  const fromSpans = lost('b'.repeat(16), 'payment-api "POST /payments" (c1c1c1c1) has no tracestate although ...');
  const fromCaptures = lost('b'.repeat(16), 'payment-api (POST /payments) received no tracestate although ...');

  it("drops the span check's lost tracestate when the capture log names the same call", () => {
    expect(mergeEvidence([fromSpans, orphan], [fromCaptures])).toEqual([orphan, fromCaptures]);
  });

  it("keeps the span check's lost tracestate of another call", () => {
    const otherCall = lost('d'.repeat(16), fromSpans.message);
    expect(mergeEvidence([otherCall], [fromCaptures])).toEqual([otherCall, fromCaptures]);
  });
});

describe('mergeEvidence and missing services', () => {
  const missing = (service: string, message: string): Problem => ({
    kind: 'missing-service',
    traceId: null,
    spanId: null,
    service,
    missingService: service,
    message,
  });
  const gatewayMissing = missing(
    'api-gateway',
    'api-gateway has no span in any trace: mobile-app never called it, or its spans were not exported',
  );
  const authMissing = missing(
    'auth-service',
    'auth-service has no span in any trace: the chain already stops at mobile-app, before api-gateway',
  );
  const corsRefusal: Problem = {
    ...headerBreak('mobile-app', 'api-gateway'),
    message: 'CORS: api-gateway answered the preflight for POST /login ...; fix: ...',
  };

  it('drops the missing-service of the service a capture-log broken-chain says never got the request, keeping those behind it', () => {
    expect(mergeEvidence([gatewayMissing, authMissing], [corsRefusal])).toEqual([authMissing, corsRefusal]);
  });

  it('given the chain, drops the missing services behind the one that never got the request too', () => {
    const chain = ['mobile-app', 'api-gateway', 'auth-service'];
    expect(mergeEvidence([gatewayMissing, authMissing], [corsRefusal], chain)).toEqual([corsRefusal]);
    // A service that got the request and restarted the trace leaves those behind it reachable.
    expect(mergeEvidence([authMissing], [corsRefusal], chain)).toEqual([authMissing, corsRefusal]);
    // A service before the refused one is not behind it.
    const refusedAuth = headerBreak('api-gateway', 'auth-service');
    expect(mergeEvidence([gatewayMissing, authMissing], [refusedAuth], chain)).toEqual([gatewayMissing, refusedAuth]);
  });

  it('keeps a missing-service no capture-log broken-chain explains', () => {
    expect(mergeEvidence([gatewayMissing], [headerBreak('api-gateway', 'payment-api')])).toEqual([
      gatewayMissing,
      headerBreak('api-gateway', 'payment-api'),
    ]);
  });
});
