import { asSpanId, asTraceId, type CapturedRequest, type HeaderEntry, type Span } from '../../model';
import { CALL_ID_ATTRIBUTE, CALL_ID_HEADER } from '../../model';
import * as propagation from '../../propagation';
import { checkCaptures } from './check-captures';
import { findHopEvidence } from './hop-evidence';
import { findInvalidHeaders } from './invalid-headers';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const APP_SPAN = '00f067aa0ba902b7';
const SERVER_SPAN = '1111111111111111';

function capture(service: string, headers: HeaderEntry[], extra: Partial<CapturedRequest> = {}): CapturedRequest {
  return {
    seq: 1,
    service,
    firstParty: service !== 'analytics',
    method: 'POST',
    path: '/checkout',
    headers,
    timeMs: 0,
    ...extra,
  };
}

function span(
  service: string,
  spanId: string,
  kind: Span['kind'],
  parentSpanId?: string,
  extra: Partial<Span> = {},
): Span {
  return {
    traceId: asTraceId(TRACE),
    spanId: asSpanId(spanId),
    ...(parentSpanId ? { parentSpanId: asSpanId(parentSpanId) } : {}),
    name: 'op',
    kind,
    service,
    startTimeMs: 0,
    endTimeMs: 1,
    attributes: {},
    traceFlags: 1,
    ...extra,
  };
}

const appSpan = span('mobile-app', APP_SPAN, 'client');
const gatewayCapture = capture('api-gateway', [['traceparent', `00-${TRACE}-${APP_SPAN}-01`]], {
  serverTraceId: TRACE,
  serverSpanId: SERVER_SPAN,
});

describe('checkCaptures', () => {
  it('finds nothing when every header matches an exported span and its SERVER span', () => {
    expect(checkCaptures([gatewayCapture], [appSpan, span('api-gateway', SERVER_SPAN, 'server', APP_SPAN)])).toEqual(
      [],
    );
  });

  it('reports wrong-parent when the SERVER span is not parented to the header parent id', () => {
    const spans = [appSpan, span('api-gateway', SERVER_SPAN, 'server', '2222222222222222')];
    expect(checkCaptures([gatewayCapture], spans)).toEqual([
      {
        kind: 'wrong-parent',
        traceId: TRACE,
        spanId: SERVER_SPAN,
        service: 'api-gateway',
        expectedParentSpanId: APP_SPAN,
        actualParentSpanId: '2222222222222222',
        message: `api-gateway (POST /checkout) received parent ${APP_SPAN} in trace ${TRACE}, but its SERVER span ${SERVER_SPAN} has parent 2222222222222222 in trace ${TRACE}: the service extracted its context from somewhere other than the incoming header`,
      },
    ]);
  });

  it('reports header-span-mismatch when the header names a parent no exported span has', () => {
    const spans = [span('api-gateway', SERVER_SPAN, 'server', APP_SPAN)];
    expect(checkCaptures([gatewayCapture], spans).map((p) => [p.kind, p.message])).toEqual([
      [
        'header-span-mismatch',
        `api-gateway (POST /checkout) received parent id ${APP_SPAN}, which no exported span has: the caller never exported that span, or a proxy between them rewrites the parent id to a span it never exported`,
      ],
    ]);
  });

  it("names the app's own exported span when it injected that instead of its call span, not a proxy", () => {
    // The app injected its journey span's context; its CLIENT span (found by URL and time) went unnamed.
    const ROOT = '2222222222222222';
    const journey = span('mobile-app', ROOT, 'internal', undefined, { name: 'checkout', endTimeMs: 10 });
    const call = span('mobile-app', APP_SPAN, 'client', ROOT, {
      attributes: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:8080/checkout' },
    });
    const arrived = capture('api-gateway', [['traceparent', `00-${TRACE}-${ROOT}-01`]], {
      serverTraceId: TRACE,
      serverSpanId: SERVER_SPAN,
    });
    const problems = checkCaptures([arrived], [journey, call, span('api-gateway', SERVER_SPAN, 'server', ROOT)]);
    expect(problems.filter((p) => p.kind === 'header-span-mismatch').map((p) => p.message)).toEqual([
      `api-gateway (POST /checkout) received parent id ${ROOT}, mobile-app's INTERNAL span "checkout" (22222222), not its call span ${APP_SPAN}: mobile-app injected the context of another of its spans instead of the CLIENT span of the call (inject from the CLIENT span's context, after starting it)`,
    ]);
  });

  it("names an open session span of another trace that the app injected, not an 'earlier request'", () => {
    // An interceptor injected the app-wide session span (trace 5..., open since launch); the CLIENT span of the
    // call is in the journey's trace.
    const SESSION_TRACE = '5'.repeat(32);
    const SESSION = '3333333333333333';
    const session = {
      ...span('mobile-app', SESSION, 'internal', undefined, {
        name: 'app-session',
        startTimeMs: -1000,
        endTimeMs: 60_000,
      }),
      traceId: asTraceId(SESSION_TRACE),
    };
    const call = span('mobile-app', APP_SPAN, 'client', undefined, {
      attributes: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:8080/checkout' },
    });
    const arrived = capture('api-gateway', [['traceparent', `00-${SESSION_TRACE}-${SESSION}-01`]]);
    expect(checkCaptures([arrived], [session, call]).map((p) => [p.kind, p.message])).toEqual([
      [
        'header-span-mismatch',
        `api-gateway (POST /checkout) received parent id ${SESSION}, mobile-app's INTERNAL span "app-session" (33333333) in trace 55555555, not its call span ${APP_SPAN}: mobile-app injected the context of another of its spans instead of the CLIENT span of the call (inject from the CLIENT span's context, after starting it)`,
      ],
    ]);
  });

  it('reports leaked-header once per header for a third-party host, with the trace it leaked', () => {
    const leaked = capture('analytics', [
      ['traceparent', `00-${TRACE}-${APP_SPAN}-01`],
      ['baggage', 'user=1'],
      ['traceparent', `00-${TRACE}-${APP_SPAN}-01`],
    ]);
    expect(checkCaptures([leaked], [appSpan]).filter((p) => p.kind === 'leaked-header')).toEqual([
      {
        kind: 'leaked-header',
        traceId: TRACE,
        spanId: APP_SPAN,
        service: 'analytics',
        header: 'traceparent',
        host: 'analytics',
        message:
          'analytics is a third party and received traceparent on POST /checkout: the caller injects trace headers for every host instead of first-party hosts only',
      },
      {
        kind: 'leaked-header',
        traceId: TRACE,
        spanId: APP_SPAN,
        service: 'analytics',
        header: 'baggage',
        host: 'analytics',
        message:
          'analytics is a third party and received baggage on POST /checkout: the caller injects trace headers for every host instead of first-party hosts only',
      },
    ]);
  });

  it('uses the first-party list from the options over the capture flag', () => {
    const toCdn = capture('api-gateway', [['traceparent', `00-${TRACE}-${APP_SPAN}-01`]]);
    expect(
      checkCaptures([toCdn], [appSpan], { firstParty: ['payment-api'] }).map((p) => `${p.kind} ${p.service}`),
    ).toEqual(['leaked-header api-gateway']);
  });

  test.each([
    ['traceparent', `ff-${TRACE}-${APP_SPAN}-01`, 'version-ff'],
    ['traceparent', `00-${TRACE}-0000000000000000-01`, 'all-zero-parent-id'],
    ['tracestate', 'UPPER=1', 'invalid-key'],
    ['b3', `${TRACE}-${APP_SPAN}-x`, 'invalid-sampling'],
  ])('reports invalid-header for %s %j with the codec reason %s', (header, value, reason) => {
    const bad = capture('api-gateway', [[header, value]]);
    const found = checkCaptures([bad], []).filter((p) => p.kind === 'invalid-header');
    expect(found.map((p) => (p.kind === 'invalid-header' ? [p.header, p.headerValue, p.reason] : []))).toEqual([
      [header, value, reason],
    ]);
  });

  it('reports a dropped traceparent on a linked hop as broken-chain naming both services and the cause', () => {
    const client = span('api-gateway', '3333333333333333', 'client', SERVER_SPAN, {
      attributes: { [CALL_ID_ATTRIBUTE]: 'call-1' },
    });
    const hop = capture('payment-api', [[CALL_ID_HEADER, 'call-1']], { path: '/payments' });
    expect(checkCaptures([hop], [client])).toEqual([
      {
        kind: 'broken-chain',
        traceId: TRACE,
        spanId: '3333333333333333',
        service: 'payment-api',
        lastService: 'api-gateway',
        restartedService: 'payment-api',
        message:
          'api-gateway sent no traceparent to payment-api (POST /payments), so it started a new trace: a proxy or SDK between them drops the header',
      },
    ]);
  });
  it.each([
    [
      'marked unsampled',
      0,
      "mobile-app exported its call span but sent api-gateway (POST /checkout) sampled=0, so a backend that honours the flag drops this journey: the app's sampler drops its roots (sampled=0) while the app still exports its spans and sends headers; fix: make the app's sampler keep journey roots (AlwaysOn, or ParentBased with the backend's ratio) so the sampled flag it sends matches the spans it exports",
    ],
    [
      'of unknown sampling (its exporter wrote no trace flags)',
      undefined,
      "mobile-app exported its call span but sent api-gateway (POST /checkout) sampled=0, so a backend that honours the flag drops this journey: the app's sampler drops its roots (sampled=0) while the app still exports its spans and sends headers; fix: make the app's sampler keep journey roots (AlwaysOn, or ParentBased with the backend's ratio) so the sampled flag it sends matches the spans it exports",
    ],
    [
      'marked sampled',
      1,
      'mobile-app recorded its call as sampled, but api-gateway (POST /checkout) received sampled=0: a sampler or proxy between them clears the sampled flag',
    ],
  ])('blames the sampled=0 an app call %s sent on the right side', (_what, traceFlags, message) => {
    const { traceFlags: _sampled, ...unflagged } = span('mobile-app', APP_SPAN, 'client', undefined, {
      attributes: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:8080/checkout' },
    });
    const call = traceFlags === undefined ? unflagged : { ...unflagged, traceFlags };
    const unsampled = capture('api-gateway', [['traceparent', `00-${TRACE}-${APP_SPAN}-00`]]);
    expect(findHopEvidence([unsampled], [call]).map((problem) => [problem.kind, problem.message])).toEqual([
      ['sampling-mismatch', message],
    ]);
  });

  it("names Jaeger's uber-trace-id an app sent instead of traceparent, not a missing allow-list entry", () => {
    const call = span('mobile-app', APP_SPAN, 'client', undefined, {
      attributes: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:8080/checkout' },
    });
    const jaegerOnly = capture('api-gateway', [['uber-trace-id', `${TRACE}:${APP_SPAN}:0:01`]]);
    expect(findHopEvidence([jaegerOnly], [call]).map((problem) => [problem.kind, problem.message])).toEqual([
      [
        'broken-chain',
        "mobile-app sent api-gateway (POST /checkout) uber-trace-id and no traceparent, so it started a new trace: the app injects only Jaeger's (JaegerPropagator) uber-trace-id header while the backend reads W3C traceparent; fix: make the app inject W3C traceparent (W3CTraceContextPropagator), keeping uber-trace-id beside it in a CompositePropagator only if a backend still reads it",
      ],
    ]);
  });

  it("names the other propagator's header a service sent on a linked hop instead of blaming a proxy", () => {
    const client = span('api-gateway', '3333333333333333', 'client', SERVER_SPAN, {
      attributes: { [CALL_ID_ATTRIBUTE]: 'call-1' },
    });
    const hop = capture(
      'payment-api',
      [
        [CALL_ID_HEADER, 'call-1'],
        ['X-Amzn-Trace-Id', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'],
      ],
      { path: '/payments' },
    );
    expect(findHopEvidence([hop], [client]).map((problem) => [problem.kind, problem.message])).toEqual([
      [
        'broken-chain',
        "api-gateway sent payment-api (POST /payments) x-amzn-trace-id and no traceparent, so it started a new trace: api-gateway's propagator writes only AWS X-Ray's (AWSXRayPropagator) x-amzn-trace-id header while payment-api reads W3C traceparent; fix: make api-gateway inject W3C traceparent (W3CTraceContextPropagator), keeping x-amzn-trace-id beside it only if a service still reads it",
      ],
    ]);
  });

  it('decodes each captured request once for all its checks, and afresh on the next run', () => {
    const extract = jest.spyOn(propagation, 'extractContexts');
    try {
      const captures = [gatewayCapture, capture('payment-api', [['traceparent', `00-${TRACE}-${SERVER_SPAN}-01`]])];
      checkCaptures(captures, [appSpan]);
      const shared = extract.mock.calls.length;
      findInvalidHeaders(captures, [appSpan]);
      findHopEvidence(captures, [appSpan]);
      expect([shared, extract.mock.calls.length]).toEqual([2, 6]);
    } finally {
      extract.mockRestore();
    }
  });
});
