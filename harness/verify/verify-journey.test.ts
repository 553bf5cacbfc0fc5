import type { CapturedRequest, Span, SpanKind } from '../model';
import { makeSpan, spanHex, traceHex } from '../model/test-support/make-span';
import { renderJourneyVerdict, verifyJourney } from './verify-journey';

const CHAIN = ['mobile-app', 'api-gateway', 'catalog-service'];

/** The app's request span for GET /search, with the stable HTTP attributes or the older ones. */
const STABLE = { 'http.request.method': 'GET', 'url.full': 'http://127.0.0.1:8080/search?q=tea' };
const OLDER = { 'http.method': 'GET', 'http.url': 'http://127.0.0.1:8080/search?q=tea' };
let requestAttributes: Record<string, string> = STABLE;
const request = (id: string, start: number, end: number) => ({
  ...makeSpan({ trace: 'a', id, parent: 'a1', service: 'mobile-app', name: 'HTTP GET', kind: 'client', start, end }),
  attributes: requestAttributes,
});

/** A search whose first attempt got a 503 and was retried, both sent without trace context. */
function retriedSearchWithoutContext() {
  return [
    makeSpan({ trace: 'a', id: 'a1', service: 'mobile-app', name: 'search', start: 1000, end: 1900 }),
    request('a2', 1010, 1100),
    request('a3', 1200, 1800),
    // The first attempt: the gateway answers 503 and calls nobody.
    makeSpan({
      trace: 'b',
      id: 'b1',
      service: 'api-gateway',
      name: 'GET /search',
      kind: 'server',
      start: 1020,
      end: 1090,
    }),
    // The retry reaches the catalog.
    makeSpan({
      trace: 'c',
      id: 'c1',
      service: 'api-gateway',
      name: 'GET /search',
      kind: 'server',
      start: 1210,
      end: 1790,
    }),
    makeSpan({
      trace: 'c',
      id: 'c2',
      parent: 'c1',
      service: 'api-gateway',
      name: 'GET /products',
      kind: 'client',
      start: 1220,
      end: 1780,
    }),
    makeSpan({
      trace: 'c',
      id: 'c3',
      parent: 'c2',
      service: 'catalog-service',
      name: 'GET /products',
      kind: 'server',
      start: 1230,
      end: 1770,
    }),
  ];
}

/** The gateway's capture log: both attempts arrived with no trace header at all. */
/** api-gateway's arrival `seq` carrying the traceparent of mobile-app's CLIENT span a2 (trace a), served as `server`. */
function keptHeaderArrival(seq: number, timeMs: number, server: string): CapturedRequest {
  return {
    seq,
    service: 'api-gateway',
    firstParty: true,
    method: 'POST',
    path: '/checkout',
    headers: [['traceparent', `00-${traceHex('a')}-${spanHex('a2')}-01`]],
    timeMs,
    serverTraceId: traceHex('a'),
    serverSpanId: spanHex(server),
  };
}

function arrivedWithoutHeaders(): CapturedRequest[] {
  const arrival = (seq: number, timeMs: number, trace: string, span: string): CapturedRequest => ({
    seq,
    service: 'api-gateway',
    firstParty: true,
    method: 'GET',
    path: '/search?q=tea',
    headers: [['accept', 'application/json']],
    timeMs,
    serverTraceId: traceHex(trace),
    serverSpanId: spanHex(span),
  });
  return [arrival(1, 1020, 'b', 'b1'), arrival(2, 1210, 'c', 'c1')];
}

describe('verifyJourney', () => {
  afterEach(() => {
    requestAttributes = STABLE;
  });

  // OpenTelemetry JS's fetch and XHR instrumentations still write http.method and http.url by default.
  it.each([
    ['stable', STABLE],
    ['older', OLDER],
  ])(
    'reports each attempt of a retried call sent without trace context as a broken chain ending with its fix (%s HTTP attributes)',
    (_names, attributes) => {
      requestAttributes = attributes;
      const verdict = verifyJourney({
        name: 'search-retry',
        spans: retriedSearchWithoutContext(),
        captures: arrivedWithoutHeaders(),
        chain: CHAIN,
        root: 'search',
      });
      // One line per attempt; the first attempt's trace lacks catalog-service, which the retry reached.
      expect(verdict.lines).toEqual([
        "broken-chain: mobile-app sent no trace headers at all to api-gateway (GET /search), so it started a new trace: the gateway's origin is missing from the app SDK's propagation allow-list, or no propagator is registered in the app; fix: add the gateway's origin to the SDK's propagation targets (propagateTraceHeaderCorsUrls / tracePropagationTargets / firstPartyHosts), and register a W3C propagator (OpenTelemetry JS: propagation.setGlobalPropagator(new W3CTraceContextPropagator()))",
        "broken-chain: mobile-app sent no trace headers at all to api-gateway (GET /search), so it started a new trace: the gateway's origin is missing from the app SDK's propagation allow-list, or no propagator is registered in the app; fix: add the gateway's origin to the SDK's propagation targets (propagateTraceHeaderCorsUrls / tracePropagationTargets / firstPartyHosts), and register a W3C propagator (OpenTelemetry JS: propagation.setGlobalPropagator(new W3CTraceContextPropagator()))",
      ]);
    },
  );
});

describe('verifyJourney and a request replayed from another context', () => {
  it("ties the app's request tagged with the journey (by its root's name when it has no other) to the journey", () => {
    const url = { 'http.request.method': 'GET', 'url.full': 'http://127.0.0.1:8080/search?q=tea' };
    const spans = [
      makeSpan({ trace: 'a', id: 'a1', service: 'mobile-app', name: 'search', start: 1000, end: 1100 }),
      // The first attempt, while offline: no answer.
      { ...request('a2', 1010, 1090), attributes: url },
      // The replay, later, under the outbox's own root span, tagged with the journey.
      makeSpan({ trace: 'e', id: 'e1', service: 'mobile-app', name: 'outbox.replay', start: 1500, end: 1700 }),
      {
        ...makeSpan({
          trace: 'e',
          id: 'e2',
          parent: 'e1',
          service: 'mobile-app',
          name: 'HTTP GET',
          kind: 'client',
          start: 1510,
          end: 1690,
        }),
        attributes: { ...url, 'app.journey': 'search' },
      },
      makeSpan({
        trace: 'e',
        id: 'e3',
        parent: 'e2',
        service: 'api-gateway',
        name: 'GET /search',
        kind: 'server',
        start: 1520,
        end: 1680,
      }),
      makeSpan({
        trace: 'e',
        id: 'e4',
        parent: 'e3',
        service: 'api-gateway',
        name: 'GET /products',
        kind: 'client',
        start: 1530,
        end: 1670,
      }),
      makeSpan({
        trace: 'e',
        id: 'e5',
        parent: 'e4',
        service: 'catalog-service',
        name: 'GET /products',
        kind: 'server',
        start: 1540,
        end: 1660,
      }),
    ];
    const captures: CapturedRequest[] = [
      {
        seq: 1,
        service: 'api-gateway',
        firstParty: true,
        method: 'GET',
        path: '/search?q=tea',
        headers: [['traceparent', `00-${traceHex('e')}-${spanHex('e2')}-01`]],
        timeMs: 1520,
        serverTraceId: traceHex('e'),
        serverSpanId: spanHex('e3'),
      },
    ];
    const verdict = verifyJourney({ spans, captures, chain: CHAIN, root: 'search' });
    expect([verdict.ok, verdict.problems.map((problem) => problem.kind), verdict.scope.length]).toEqual([
      false,
      ['broken-chain'],
      7,
    ]);
    expect(verdict.lines[0]).toMatch(
      /^broken-chain: mobile-app sent its request to api-gateway \(GET \/search\) in the context of "outbox\.replay"/,
    );
  });
});

describe('verifyJourney with no hop to check', () => {
  it.each([
    [[], 'no service'],
    [['mobile-app'], 'one service'],
  ])('throws for the chain %j instead of passing any trace', (chain, names) => {
    const verify = () =>
      verifyJourney({ name: 'search', spans: retriedSearchWithoutContext(), captures: [], chain, root: 'search' });
    expect(verify).toThrow(
      expect.objectContaining({
        name: 'TracehopError',
        message:
          `[tracehop] Failed to verify the "search" journey: its chain ${JSON.stringify(chain)} has no hop to check: it names ${names} and no third party. ` +
          'Name at least two services in call order, the app first, or the third parties that must receive no trace headers.',
      }),
    );
  });

  it('judges a chain of one service on its third party, and fails it when the third party got no request', () => {
    const sent = (method: string): CapturedRequest => ({
      seq: 1,
      service: 'analytics',
      firstParty: false,
      method,
      path: '/events',
      headers: [['content-type', 'application/json']],
      timeMs: 1500,
    });
    const judge = (captures: CapturedRequest[]) =>
      verifyJourney({
        spans: retriedSearchWithoutContext(),
        captures,
        chain: ['mobile-app'],
        root: 'search',
        thirdParty: ['analytics'],
      });
    const unvisited = [
      "missing-service: third party analytics received no request during the journey, so whether it gets trace headers was not checked; fix: make the journey's steps call analytics, or stop listing it among the journey's third parties (noTraceHeaders)",
    ];
    expect([judge([sent('POST')]), judge([sent('OPTIONS')]), judge([])].map((v) => [v.journey, v.ok, v.lines])).toEqual(
      [
        ['search', true, []],
        ['search', false, unvisited],
        ['search', false, unvisited],
      ],
    );
  });
});

describe('verifyJourney without the journey root span', () => {
  it('takes no root span that started before `since`: an earlier run in the store cannot pass this one', () => {
    const judge = (since: number) =>
      verifyJourney({ spans: retriedSearchWithoutContext(), captures: [], chain: CHAIN, root: 'search', since });
    const earlierRun = judge(1950);
    expect([earlierRun.ok, earlierRun.traceId, earlierRun.lines]).toEqual([
      false,
      undefined,
      [
        'broken-chain: no root span "search" arrived from mobile-app since the journey started: the latest one (trace a0000000) started 950 ms before it, an earlier run\'s, so no trace can be tied to this run; fix: make the app start "search" as a root span in this run and export it before the journey is judged (and take since from the clock the app\'s spans use)',
      ],
    ]);
    expect(judge(1000).traceId).toBe(traceHex('a'));
  });

  it('says a root span with no time (starts at 0) has none, not that it started 56 years before the journey', () => {
    const spans = retriedSearchWithoutContext().map((span) =>
      span.name === 'search' ? { ...span, startTimeMs: 0, endTimeMs: 0 } : span,
    );
    const since = 1_764_750_000_000;
    expect(verifyJourney({ spans, captures: [], chain: CHAIN, root: 'search', since }).lines).toEqual([
      'broken-chain: no root span "search" arrived from mobile-app since the journey started: the latest one (trace a0000000) has no time in the dump (it starts at 0), so it cannot be told from an earlier run\'s and no trace can be tied to this run; fix: make the app export "search" with its start and end times before the journey is judged',
    ]);
  });

  it('says the root arrived under another service.name, instead of that it never arrived', () => {
    const spans = retriedSearchWithoutContext().map((span) =>
      span.service === 'mobile-app' ? { ...span, service: 'com.acme.shop' } : span,
    );
    const verdict = verifyJourney({ spans, captures: [], chain: CHAIN, root: 'search' });
    expect([verdict.ok, verdict.lines]).toEqual([
      false,
      [
        'broken-chain: the journey\'s root span "search" arrived from com.acme.shop (a1000000), not from mobile-app, the first service of its chain, so no trace can be tied to the journey; fix: set the app\'s service.name to "mobile-app", or name "com.acme.shop" first in the journey\'s chain',
      ],
    ]);
  });

  it("names the missing root and the app's root spans that did arrive, not every service as missing", () => {
    const verdict = verifyJourney({
      name: 'search-retry',
      spans: retriedSearchWithoutContext(),
      captures: arrivedWithoutHeaders(),
      chain: CHAIN,
      root: 'serach',
    });
    expect([verdict.ok, verdict.traceId, verdict.lines]).toEqual([
      false,
      undefined,
      [
        `broken-chain: the journey's root span "serach" never arrived from mobile-app (its root spans here are named "search"), so no trace can be tied to the journey; fix: make the app name the journey's root span "serach" (or tag it app.journey=serach) and export it before the journey is judged`,
      ],
    ]);
  });

  it('names the parent of a journey span that arrived as a child, exported or not', () => {
    const session = makeSpan({
      trace: 's',
      id: 'e1',
      service: 'mobile-app',
      name: 'app-session',
      start: 900,
      end: 5000,
    });
    const search = makeSpan({
      trace: 's',
      id: 'e2',
      parent: 'e1',
      service: 'mobile-app',
      name: 'search',
      start: 1000,
      end: 1100,
    });
    const judge = (spans: ReturnType<typeof makeSpan>[]) =>
      verifyJourney({ spans, captures: [], chain: CHAIN, root: 'search' }).lines;
    const fix =
      'not as a root, so no trace is the journey\'s own; fix: start "search" as a root span (no span active around it; OpenTelemetry JS: tracer.startSpan("search", { root: true })) and export it before the journey is judged';
    expect([judge([session, search]), judge([search])]).toEqual([
      [
        `broken-chain: the journey's span "search" from mobile-app (e2000000) arrived beneath mobile-app "app-session" (e1000000), ${fix}`,
      ],
      [
        `broken-chain: the journey's span "search" from mobile-app (e2000000) arrived beneath span e1000000, which is not among the spans that arrived (a span still open, or a context handed to the app), ${fix}`,
      ],
    ]);
  });

  it('says so with no span of the app at all, and lists at most five other root names', () => {
    const roots = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name, index) =>
      makeSpan({ trace: name, id: `${name}1`, service: 'mobile-app', name, start: 1000 + index, end: 1100 }),
    );
    const judge = (spans: ReturnType<typeof makeSpan>[]) =>
      verifyJourney({ spans, captures: [], chain: CHAIN, root: 'search' }).lines;
    const fix = `so no trace can be tied to the journey; fix: make the app name the journey's root span "search" (or tag it app.journey=search) and export it before the journey is judged`;
    expect([judge([]), judge(roots)]).toEqual([
      [`broken-chain: the journey's root span "search" never arrived from mobile-app, ${fix}`],
      [
        `broken-chain: the journey's root span "search" never arrived from mobile-app (its root spans here are named "a", "b", "c", "d", "e" and 2 more), ${fix}`,
      ],
    ]);
  });

  it("says the app's sampler dropped the run when its calls carried traceparent with the sampled flag off", () => {
    // What an app with AlwaysOffSampler sends: an unsampled traceparent, and no span of its own. tracehop's mock
    // gateway records the request all the same (flags 00); a real one that follows the flag would not.
    const header = `00-${traceHex('d')}-${spanHex('d1')}-00`;
    const call = (timeMs: number, traceparent: string): CapturedRequest => ({
      seq: 1,
      service: 'api-gateway',
      firstParty: true,
      method: 'GET',
      path: '/search?q=tea',
      headers: [['traceparent', traceparent]],
      timeMs,
      serverTraceId: traceHex('d'),
      serverSpanId: spanHex('d2'),
    });
    const gateway = makeSpan({
      trace: 'd',
      id: 'd2',
      parent: 'd1',
      service: 'api-gateway',
      name: 'GET /search',
      kind: 'server',
      start: 1010,
      end: 1020,
      flags: 0,
    });
    const judge = (captures: CapturedRequest[], since?: number) =>
      verifyJourney({ spans: [gateway], captures, chain: CHAIN, root: 'search', ...(since ? { since } : {}) });
    const verdict = judge([call(1005, header)], 1000);
    expect([verdict.ok, verdict.traceId, verdict.problems.map((p) => [p.kind, p.traceId]), verdict.lines]).toEqual([
      false,
      undefined,
      [['broken-chain', traceHex('d')]],
      [
        `broken-chain: the journey's root span "search" never arrived from mobile-app, and its call GET /search?q=tea to api-gateway carried traceparent ${header} with the sampled flag off: the app's sampler dropped the journey (AlwaysOff, or a ratio below 1), so the app exported no span of it (and a service that follows the flag records none); fix: sample every trace in test builds (ParentBased(AlwaysOn), or OTEL_TRACES_SAMPLER=always_on) and export the root span "search" before the journey is judged`,
      ],
    ]);
    // A sampled call, or an unsampled one from before the journey started, is no such evidence.
    const plain = `broken-chain: the journey's root span "search" never arrived from mobile-app, so no trace can be tied to the journey; fix: make the app name the journey's root span "search" (or tag it app.journey=search) and export it before the journey is judged`;
    expect([
      judge([call(1005, header.replace(/-00$/, '-01'))], 1000).lines,
      judge([call(900, header)], 1000).lines,
    ]).toEqual([[plain], [plain]]);
  });

  describe("with the device clock off the backend's", () => {
    const URL_ATTRIBUTES = { 'http.request.method': 'GET', 'url.full': 'http://127.0.0.1:8080/search?q=tea' };
    /** A run of the app at `deviceMs` on its clock, its GET arriving `aheadMs` later on the backend's. */
    function run(trace: string, deviceMs: number, backendMs: number, options: { header: boolean }) {
      const root = makeSpan({
        trace,
        id: `${trace}1`,
        service: 'mobile-app',
        name: 'search',
        start: deviceMs,
        end: deviceMs + 100,
      });
      const client = {
        ...makeSpan({
          trace,
          id: `${trace}2`,
          parent: `${trace}1`,
          service: 'mobile-app',
          name: 'GET',
          kind: 'client',
          start: deviceMs + 1,
          end: deviceMs + 50,
        }),
        attributes: URL_ATTRIBUTES,
      };
      // Without a header the gateway starts a trace of its own (trace id from the letter after).
      const serverTrace = options.header ? trace : `${trace}f`;
      const server = makeSpan({
        trace: serverTrace,
        id: `${trace}3`,
        ...(options.header ? { parent: `${trace}2` } : {}),
        service: 'api-gateway',
        name: 'GET /search',
        kind: 'server',
        start: backendMs,
        end: backendMs + 40,
      });
      const capture: CapturedRequest = {
        seq: 1,
        service: 'api-gateway',
        firstParty: true,
        method: 'GET',
        path: '/search?q=tea',
        headers: options.header ? [['traceparent', `00-${traceHex(trace)}-${spanHex(`${trace}2`)}-01`]] : [],
        timeMs: backendMs,
        serverTraceId: traceHex(serverTrace),
        serverSpanId: spanHex(`${trace}3`),
      };
      return { spans: [root, client, server], capture };
    }

    /** The verdict on one run, judged from `since` (backend clock). */
    const judge = (one: ReturnType<typeof run>, since: number) =>
      verifyJourney({
        spans: one.spans,
        captures: [one.capture],
        chain: ['mobile-app', 'api-gateway'],
        root: 'search',
        since,
      });

    it.each([
      ['2 s behind', -2000],
      ['10 minutes ahead', 600_000],
    ])('names the request sent without trace headers when the device clock is %s', (_name, skew) => {
      // The app sends no traceparent (no propagator registered): the gateway restarts the trace.
      const verdict = judge(run('c', 10_000 + skew, 10_002, { header: false }), 9_990);
      expect([verdict.ok, verdict.lines]).toEqual([
        false,
        [
          "broken-chain: mobile-app sent no trace headers at all to api-gateway (GET /search), so it started a new trace: the gateway's origin is missing from the app SDK's propagation allow-list, or no propagator is registered in the app; fix: add the gateway's origin to the SDK's propagation targets (propagateTraceHeaderCorsUrls / tracePropagationTargets / firstPartyHosts), and register a W3C propagator (OpenTelemetry JS: propagation.setGlobalPropagator(new W3CTraceContextPropagator()))",
        ],
      ]);
    });

    it("takes the clock offset from the app's traced requests, not from untraced ones on the same route", () => {
      // A spec's setup sent GET /search twice with plain fetch 20 s before (no span, no header): fitted to this
      // run's CLIENT span they would read as a clock 20 s off, and put this run's root before `since`.
      const one = run('f', 10_000, 10_002, { header: true });
      const setup = (seq: number, timeMs: number): CapturedRequest => ({ ...one.capture, seq, headers: [], timeMs });
      const verdict = verifyJourney({
        spans: one.spans,
        captures: [setup(1, -10_000), setup(2, -9_880), { ...one.capture, seq: 3 }],
        chain: ['mobile-app', 'api-gateway'],
        root: 'search',
        since: 9_990,
      });
      expect([verdict.ok, verdict.lines, verdict.traceId]).toEqual([true, [], traceHex('f')]);
    });

    it('prints the clock-skew warning under the verdict, where a Jest user reads it', () => {
      const verdict = judge(run('e', 610_000, 10_002, { header: true }), 9_990);
      const [headline, warning] = renderJourneyVerdict(verdict).split('\n');
      expect([verdict.ok, headline, warning]).toEqual([
        true,
        '[tracehop] search: PASS',
        `  clock-skew (warning): ${verdict.warnings[0]?.message}`,
      ]);
      expect(verdict.warnings.map((w) => w.kind)).toEqual(['clock-skew']);
    });

    it("does not pass an earlier run when this run's root never arrived and the device clock runs ahead", () => {
      // Run 1 at backend time 10 s kept its trace; the device clock runs 10 minutes ahead. Run 2, from 20 s,
      // exported nothing: its root is missing, whatever the device clock says of run 1's.
      const verdict = judge(run('d', 610_000, 10_002, { header: true }), 20_000);
      expect([verdict.ok, verdict.traceId, verdict.problems.map((p) => p.kind)]).toEqual([
        false,
        undefined,
        ['broken-chain'],
      ]);
      expect(verdict.lines).toEqual([
        `broken-chain: no root span "search" arrived from mobile-app since the journey started: the latest one (trace d0000000) started 9999 ms before it, an earlier run's, so no trace can be tied to this run; fix: make the app start "search" as a root span in this run and export it before the journey is judged (and take since from the clock the app's spans use)`,
      ]);
    });
  });

  it.each([
    ['clock', 0, undefined],
    ['clock 60 s behind, with the root bound journey() passes', -60_000, 5000 - 60_000],
  ])(
    "names a traceparent kept from an earlier request, and leaves that earlier run's request out (device %s)",
    (_name, skew, rootSince) => {
      // Run 1 (trace a) sent POST /checkout with its CLIENT span's traceparent; the app kept the header (a
      // default header) and sent it again in run 2 (trace b): the gateway continued run 1's trace. App spans
      // carry the device's clock (`skew` off the backend's).
      const URL_ATTRIBUTES = { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:8080/checkout' };
      const client = (trace: string, id: string, start: number) => ({
        ...makeSpan({
          trace,
          id,
          parent: `${trace}1`,
          service: 'mobile-app',
          name: 'POST',
          kind: 'client',
          start: start + skew,
          end: start + skew + 49,
        }),
        attributes: URL_ATTRIBUTES,
      });
      const spans = [
        makeSpan({
          trace: 'a',
          id: 'a1',
          service: 'mobile-app',
          name: 'checkout',
          start: 1000 + skew,
          end: 1100 + skew,
        }),
        client('a', 'a2', 1001),
        makeSpan({
          trace: 'a',
          id: 'a3',
          parent: 'a2',
          service: 'api-gateway',
          name: 'POST /checkout',
          kind: 'server',
          start: 1002,
          end: 1049,
        }),
        makeSpan({
          trace: 'b',
          id: 'b1',
          service: 'mobile-app',
          name: 'checkout',
          start: 5000 + skew,
          end: 5100 + skew,
        }),
        client('b', 'b2', 5001),
        makeSpan({
          trace: 'a',
          id: 'c3',
          parent: 'a2',
          service: 'api-gateway',
          name: 'POST /checkout',
          kind: 'server',
          start: 5002,
          end: 5049,
        }),
      ];
      const verdict = verifyJourney({
        spans,
        captures: [keptHeaderArrival(1, 1002, 'a3'), keptHeaderArrival(2, 5002, 'c3')],
        chain: ['mobile-app', 'api-gateway'],
        root: 'checkout',
        since: 4000,
        ...(rootSince === undefined ? {} : { rootSince }),
      });
      expect([verdict.ok, verdict.captures.map((c) => c.seq), verdict.lines]).toEqual([
        false,
        [2],
        [
          "header-span-mismatch: api-gateway (POST /checkout) received the traceparent of an earlier request: it names mobile-app's CLIENT span \"POST\" (a2000000) in trace a0000000, which started 4000 ms before this call's span b2000000 (trace b0000000): mobile-app sent a traceparent it kept (set once as a default header, or cached with the request) instead of injecting each call's own context; fix: inject traceparent for each request from its CLIENT span's context, and never set it as a default header (axios.defaults.headers, an interceptor's cached value)",
        ],
      ]);
    },
  );
});

describe('verifyJourney of a kept traceparent whose span has no time', () => {
  it('names the other span the header carries, never how long before it started from a time of 0', () => {
    // As above, but run 1's CLIENT span has no time (an SDK span with no start): nothing says it came first.
    const at = 1_764_900_000_000;
    const URL_ATTRIBUTES = { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:8080/checkout' };
    const client = (trace: string, id: string, start: number, end: number): Span => ({
      ...makeSpan({ trace, id, parent: `${trace}1`, service: 'mobile-app', name: 'POST', kind: 'client', start, end }),
      attributes: URL_ATTRIBUTES,
    });
    const server = (id: string, start: number): Span =>
      makeSpan({
        trace: 'a',
        id,
        parent: 'a2',
        service: 'api-gateway',
        name: 'POST /checkout',
        kind: 'server',
        start,
        end: start + 47,
      });
    const spans = [
      makeSpan({ trace: 'a', id: 'a1', service: 'mobile-app', name: 'checkout', start: at + 1000, end: at + 1100 }),
      client('a', 'a2', 0, 0),
      server('a3', at + 1002),
      makeSpan({ trace: 'b', id: 'b1', service: 'mobile-app', name: 'checkout', start: at + 5000, end: at + 5100 }),
      client('b', 'b2', at + 5001, at + 5050),
      server('c3', at + 5002),
    ];
    const verdict = verifyJourney({
      spans,
      captures: [keptHeaderArrival(1, at + 1002, 'a3'), keptHeaderArrival(2, at + 5002, 'c3')],
      chain: ['mobile-app', 'api-gateway'],
      root: 'checkout',
      since: at + 4000,
    });
    expect([verdict.ok, verdict.captures.map((c) => c.seq), verdict.lines]).toEqual([
      false,
      [2],
      [
        'header-span-mismatch: api-gateway (POST /checkout) received parent id a200000000000000, mobile-app\'s CLIENT span "POST" (a2000000) in trace a0000000, not its call span b200000000000000: mobile-app injected the context of another of its spans instead of the CLIENT span of the call (inject from the CLIENT span\'s context, after starting it)',
      ],
    ]);
  });
});

describe('verifyJourney on what real SDKs and services leave', () => {
  const gatewayCapture = (headers: Array<[string, string]>, trace: string, span: string): CapturedRequest => ({
    seq: 1,
    service: 'api-gateway',
    firstParty: true,
    method: 'GET',
    path: '/search?q=tea',
    headers,
    timeMs: 1020,
    serverTraceId: traceHex(trace),
    serverSpanId: spanHex(span),
  });
  type Hop = [trace: string, id: string, parent: string | undefined, service: string, name: string, kind: SpanKind];
  /** Spans from [trace, id, parent, service, name, kind] rows, each starting 10 ms after and ending 10 ms before the last. */
  const spansOf = (rows: Hop[], flags?: number) =>
    rows.map(([trace, id, parent, service, name, kind], i) =>
      makeSpan({
        trace,
        id,
        ...(parent ? { parent } : {}),
        service,
        name,
        kind,
        start: 1000 + 10 * i,
        end: 1900 - 10 * i,
        ...(flags !== undefined ? { flags } : {}),
      }),
    );
  const root: Hop = ['a', 'a1', undefined, 'mobile-app', 'search', 'internal'];
  /** The gateway's request span in `trace` (under `parent`) and its call to the catalog. */
  const backend = (trace: string, parent?: string): Hop[] => [
    [trace, 'b1', parent, 'api-gateway', 'GET /search', 'server'],
    [trace, 'b2', 'b1', 'api-gateway', 'GET /products', 'client'],
    [trace, 'c1', 'b2', 'catalog-service', 'GET /products', 'server'],
  ];
  type Timed = [...Hop, start: number, end: number, attributes?: Record<string, string>];
  /** Spans from rows with their own times (and attributes). */
  const timed = (rows: Timed[], flags?: number) =>
    rows.map(([trace, id, parent, service, name, kind, start, end, attributes]) => ({
      ...makeSpan({ trace, id, ...(parent ? { parent } : {}), service, name, kind, start, end, flags }),
      attributes: attributes ?? {},
    }));
  const judge = (spans: Span[], capture: CapturedRequest) =>
    verifyJourney({ spans, captures: [capture], chain: CHAIN, root: 'search', since: 900 }).lines;

  it("says the app's sampler dropped its call inside a sampled trace (sampled=0, its span never exported), not an orphan or a proxy", () => {
    // The gateway's spans start as its request arrives (1020), the catalog's after.
    const spans = [
      ...timed([['a', 'a1', undefined, 'mobile-app', 'search', 'internal', 1000, 1900]], 1),
      ...timed(
        backend('a', 'a2').map((hop, i): Timed => [...hop, 1020 + 10 * i, 1880 - 10 * i]),
        0,
      ),
    ];
    const header = `00-${traceHex('a')}-${spanHex('a2')}-00`;
    expect(judge(spans, gatewayCapture([['traceparent', header]], 'a', 'b1'))).toEqual([
      'sampling-mismatch: api-gateway (GET /search) received sampled=0 from span a200000000000000, which was never exported, in trace a0000000, whose root mobile-app "search" (a1000000) is sampled: ' +
        "mobile-app's sampler did not sample the span of its call inside a sampled trace (so the span was dropped and the flag cleared for every hop after it), or a proxy between them rewrote the traceparent's parent id and flags; " +
        'fix: sample every span of a sampled trace (ParentBased with its default localParentSampled, AlwaysOn), and let proxies pass traceparent on unchanged',
    ]);
  });

  it('blames no sampler when the trace itself is unsampled (a ratio sampler) or the call came from a service of the backend', () => {
    const header = `00-${traceHex('a')}-${spanHex('a2')}-00`;
    const unsampledRoot = [...spansOf([root], 0), ...spansOf(backend('a', 'a2'), 0)];
    const sampledRoot = [...spansOf([root], 1), ...spansOf(backend('a', 'a2'), 0)];
    // The hedged words of before: the caller's span was dropped, or a proxy rewrote the header.
    const hedged = [
      `orphan-span: api-gateway "GET /search" (b1000000) names parent span a2000000, which was never exported in trace a0000000: ` +
        "the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent",
      'header-span-mismatch: api-gateway (GET /search) received parent id a200000000000000, which no exported span has: ' +
        'the caller never exported that span, or a proxy between them rewrites the parent id to a span it never exported',
    ];
    expect([
      judge(unsampledRoot, gatewayCapture([['traceparent', header]], 'a', 'b1')),
      judge(
        sampledRoot,
        gatewayCapture(
          [
            ['traceparent', header],
            ['x-tracehop-call', 'c1'],
          ],
          'a',
          'b1',
        ),
      ),
    ]).toEqual([hedged, hedged]);
  });

  it('judges a trace a service outside the mock backend restarted during the run as broken-chain, not a service missing from every trace', () => {
    // The gateway made its call outside the request's context: a trace of its own, which no capture names.
    const [server, call, callee] = backend('a', 'a2') as [Hop, Hop, Hop];
    const spans = spansOf([
      root,
      ['a', 'a2', 'a1', 'mobile-app', 'HTTP GET', 'client'],
      server,
      ['c', call[1], undefined, call[3], call[4], call[5]],
      ['c', callee[1], callee[2], callee[3], callee[4], callee[5]],
    ]);
    const header = `00-${traceHex('a')}-${spanHex('a2')}-01`;
    expect(judge(spans, gatewayCapture([['traceparent', header]], 'a', 'b1'))).toEqual([
      'broken-chain: api-gateway\'s CLIENT span "GET /products" (b2000000) started a new trace (c0000000 instead of a0000000) that reached catalog-service, while "GET /search" (b1000000) served the request: ' +
        "api-gateway made the call outside the request's context; fix: make api-gateway start its call in the context of the request it serves (hand the context on with the work to a pool, queue or timer)",
    ]);
  });

  it('says where a service that got the untraced request recorded its spans, instead of that it has none in any trace', () => {
    // The app has not exported the span of its call (yet), so nothing ties the gateway's trace to the journey.
    // Stored last span first (as exporters flush them), the gateway's request span is still the one named.
    const spans = spansOf([root, ...backend('b')]).reverse();
    const recorded =
      'missing-service: api-gateway has no span in the journey\'s traces, though it recorded "GET /search" (b1000000) in trace b0000000 while the journey ran';
    const catalog =
      "missing-service: catalog-service has no span in the journey's traces: the chain already stops at mobile-app, before api-gateway";
    expect([
      // The capture log shows the request arrived with no trace header at all: an app whose HTTP client makes
      // no spans and sends no context looks just like this, so the words name the causes and the fix.
      judge(spans, gatewayCapture([['accept', '*/*']], 'b', 'b1')),
      // It arrived with baggage or another propagator's header (Jaeger's), or no capture names the span (a
      // service outside the mock backend): hedged.
      judge(spans, gatewayCapture([['baggage', 'tenant=7']], 'b', 'b1')),
      judge(spans, gatewayCapture([['Uber-Trace-Id', 'b0000000:b1:0:1']], 'b', 'b1')),
      judge(spans, gatewayCapture([['accept', '*/*']], 'b', 'b9')),
    ]).toEqual([
      [
        `${recorded}, for a request that arrived with no trace headers at all (GET /search?q=tea): if that was mobile-app's call, mobile-app sent it without trace context and no span of that call from mobile-app has arrived, so nothing ties it to the journey: ` +
          "the app's HTTP client is not instrumented, the gateway's origin is missing from the app SDK's propagation allow-list, or no propagator is registered in the app; if not, mobile-app never called api-gateway; " +
          "fix: instrument the app's HTTP client (OpenTelemetry JS: FetchInstrumentation, XMLHttpRequestInstrumentation) so each call gets a CLIENT span and a traceparent, add the gateway's origin to the SDK's propagation targets (propagateTraceHeaderCorsUrls / tracePropagationTargets / firstPartyHosts), and register a W3C propagator",
        catalog,
      ],
      ...Array.from({ length: 3 }, () => [
        `${recorded}, a trace nothing ties to the journey: ` +
          "if that was mobile-app's call, it carried no trace context the verdict could follow, or mobile-app's span of that call is not exported yet; if not, mobile-app never called api-gateway",
        catalog,
      ]),
    ]);
  });

  it("names a backend hop's request that arrived with no trace headers in the backend's words, with no app fix", () => {
    // The gateway's call to the catalog went out with no context and its CLIENT span is not exported.
    const spans = spansOf([
      root,
      ['a', 'a2', 'a1', 'mobile-app', 'HTTP GET', 'client'],
      ['a', 'b1', 'a2', 'api-gateway', 'GET /search', 'server'],
      ['c', 'c1', undefined, 'catalog-service', 'GET /products', 'server'],
    ]);
    const catalogCapture: CapturedRequest = {
      ...gatewayCapture([['x-tracehop-call', 'k1']], 'c', 'c1'),
      seq: 2,
      service: 'catalog-service',
      path: '/products',
    };
    const header = `00-${traceHex('a')}-${spanHex('a2')}-01`;
    expect(
      verifyJourney({
        spans,
        captures: [gatewayCapture([['traceparent', header]], 'a', 'b1'), catalogCapture],
        chain: CHAIN,
        root: 'search',
        since: 900,
      }).lines,
    ).toEqual([
      'missing-service: catalog-service has no span in the journey\'s traces, though it recorded "GET /products" (c1000000) in trace c0000000 while the journey ran, for a request that arrived with no trace headers at all (GET /products): ' +
        "if that was api-gateway's call, api-gateway sent it without trace context (a proxy or SDK between them drops the header) and no span of that call from api-gateway has arrived; if not, api-gateway never called catalog-service",
    ]);
  });

  it('leaves out a background job and another client of a service of the chain that ran during a sound journey', () => {
    const spans = spansOf([
      root,
      ['a', 'a2', 'a1', 'mobile-app', 'HTTP GET', 'client'],
      ...backend('a', 'a2'),
      // A job of the gateway's (an INTERNAL top span) whose call is parented wrongly, and another client's search.
      ['j', 'j1', undefined, 'api-gateway', 'reindex', 'internal'],
      ['j', 'j2', 'j1', 'catalog-service', 'GET /products', 'server'],
      ['o', 'o1', undefined, 'api-gateway', 'GET /search', 'server'],
    ]);
    const header = `00-${traceHex('a')}-${spanHex('a2')}-01`;
    expect(judge(spans, gatewayCapture([['traceparent', header]], 'a', 'b1'))).toEqual([]);
  });

  it('names a request the service had no route for (answered 404), not a call never made', () => {
    const spans = timed([
      ['a', 'a1', undefined, 'mobile-app', 'search', 'internal', 1000, 1900],
      ['a', 'a2', 'a1', 'mobile-app', 'HTTP POST', 'client', 1010, 1890],
    ]);
    const unrouted = (headers: Array<[string, string]>): CapturedRequest => {
      const { serverTraceId: _trace, serverSpanId: _span, ...capture } = gatewayCapture(headers, 'a', 'b1');
      return { ...capture, method: 'POST', path: '/api/v1/session', response: { status: 404, headers: [] } };
    };
    const CATALOG_BEHIND =
      "missing-service: catalog-service has no span in the journey's traces: the chain already stops at mobile-app, before api-gateway";
    const fix =
      '; fix: give the mock backend the routes your app calls (a topology file, named by testEnvironmentOptions.tracehop.topology or TRACEHOP_TOPOLOGY), or call a route api-gateway has';
    expect([
      judge(spans, unrouted([['traceparent', `00-${traceHex('a')}-${spanHex('a2')}-01`]])),
      judge(spans, unrouted([])),
    ]).toEqual([
      [
        "missing-service: api-gateway has no span in the journey's traces: it received POST /api/v1/session in the journey's trace but has no route for it (it answered 404), so it made no span" +
          fix,
        CATALOG_BEHIND,
      ],
      // Without the journey's traceparent, a 404 (a health check, a config poll) is no clue to this call.
      [
        "missing-service: api-gateway has no span in the journey's traces: mobile-app never called it, or its spans were not exported",
        CATALOG_BEHIND,
      ],
    ]);
  });

  it("names a gRPC call in the journey's trace that the mock service answered UNIMPLEMENTED", () => {
    // A mock service serves JSON routes only: a gRPC call to it is captured with its Trailers-Only answer.
    const spans = timed([
      ['a', 'a1', undefined, 'mobile-app', 'search', 'internal', 1000, 1900],
      ['a', 'a2', 'a1', 'mobile-app', 'catalog.Search/Find', 'client', 1010, 1890, { 'rpc.grpc.status_code': '12' }],
    ]);
    const grpcCall = (headers: Array<[string, string]>, grpcStatus: string): CapturedRequest => {
      const { serverTraceId: _trace, serverSpanId: _span, ...capture } = gatewayCapture(headers, 'a', 'b1');
      return {
        ...capture,
        method: 'POST',
        path: '/catalog.Search/Find',
        response: {
          status: 200,
          headers: [
            ['content-type', 'application/grpc'],
            ['grpc-status', grpcStatus],
            ['grpc-message', 'not gRPC'],
          ],
        },
      };
    };
    const traceparent: [string, string] = ['traceparent', `00-${traceHex('a')}-${spanHex('a2')}-01`];
    const CATALOG_BEHIND =
      "missing-service: catalog-service has no span in the journey's traces: the chain already stops at mobile-app, before api-gateway";
    const NEVER_CALLED =
      "missing-service: api-gateway has no span in the journey's traces: mobile-app never called it, or its spans were not exported";
    expect([
      judge(spans, grpcCall([traceparent], '12')),
      // Without the journey's traceparent, or answered otherwise, the call is no clue to this journey's hop.
      judge(spans, grpcCall([], '12')),
      judge(spans, grpcCall([traceparent], '0')),
    ]).toEqual([
      [
        "missing-service: api-gateway has no span in the journey's traces: it received the gRPC call /catalog.Search/Find in the journey's trace, but the mock api-gateway serves JSON routes only and answered it UNIMPLEMENTED (grpc-status 12), so it made no span" +
          '; fix: call a JSON route api-gateway has, over HTTP/1.1 or HTTP/2 (a topology file, named by testEnvironmentOptions.tracehop.topology or TRACEHOP_TOPOLOGY, gives the mock backend the routes your app calls), or judge this gRPC hop against a backend that serves gRPC',
        CATALOG_BEHIND,
      ],
      [NEVER_CALLED, CATALOG_BEHIND],
      [NEVER_CALLED, CATALOG_BEHIND],
    ]);
  });

  it("names a request the service had no route for when the app's span recorded the 404 it got", () => {
    // The web SDK's fetch and XHR spans record the answer's status: the call was answered, yet the words are
    // the mock backend's, which know why no span came.
    const spans = timed([
      ['a', 'a1', undefined, 'mobile-app', 'search', 'internal', 1000, 1900],
      ['a', 'a2', 'a1', 'mobile-app', 'HTTP POST', 'client', 1010, 1890, { 'http.response.status_code': '404' }],
    ]);
    const {
      serverTraceId: _trace,
      serverSpanId: _span,
      ...capture
    } = gatewayCapture([['traceparent', `00-${traceHex('a')}-${spanHex('a2')}-01`]], 'a', 'b1');
    expect(
      judge(spans, { ...capture, method: 'POST', path: '/api/v1/session', response: { status: 404, headers: [] } }),
    ).toEqual([
      "missing-service: api-gateway has no span in the journey's traces: it received POST /api/v1/session in the journey's trace but has no route for it (it answered 404), so it made no span" +
        '; fix: give the mock backend the routes your app calls (a topology file, named by testEnvironmentOptions.tracehop.topology or TRACEHOP_TOPOLOGY), or call a route api-gateway has',
      "missing-service: catalog-service has no span in the journey's traces: the chain already stops at mobile-app, before api-gateway",
    ]);
  });

  describe('a call made outside its request, by a service the mock backend does not capture', () => {
    const header = `00-${traceHex('a')}-${spanHex('a2')}-01`;
    const journeyTo = (gatewayCalls: Timed[]): Span[] =>
      timed([
        ['a', 'a1', undefined, 'mobile-app', 'search', 'internal', 1000, 1900],
        ['a', 'a2', 'a1', 'mobile-app', 'HTTP GET', 'client', 1010, 1890],
        ['a', 'b1', 'a2', 'api-gateway', 'GET /search', 'server', 1020, 1880],
        ...gatewayCalls,
      ]);

    it('is not taken for the journey when the service was serving another client at that moment', () => {
      const spans = [
        ...journeyTo([]),
        // Another client's request to the gateway, whose own call lost its context and reached the catalog.
        ...timed([
          ['o', 'o1', undefined, 'api-gateway', 'GET /search', 'server', 1100, 1600],
          ['d', 'o2', undefined, 'api-gateway', 'GET /products', 'client', 1200, 1500],
          ['d', 'o3', 'o2', 'catalog-service', 'GET /products', 'server', 1210, 1490],
        ]),
      ];
      expect(judge(spans, gatewayCapture([['traceparent', header]], 'a', 'b1'))).toEqual([
        'missing-service: catalog-service has no span in the journey\'s traces, though it recorded "GET /products" (o3000000) in trace d0000000 while the journey ran, a trace nothing ties to the journey: ' +
          "if that was api-gateway's call, it carried no trace context the verdict could follow, or api-gateway's span of that call is not exported yet; if not, api-gateway never called catalog-service",
      ]);
    });

    it("is not taken for the journey's unanswered call when it goes to another route (a health check)", () => {
      const spans = journeyTo([
        [
          'a',
          'b2',
          'b1',
          'api-gateway',
          'GET /products',
          'client',
          1030,
          1870,
          { 'url.full': 'http://catalog/products' },
        ],
        ['h', 'h1', undefined, 'api-gateway', 'GET', 'client', 1300, 1305, { 'url.full': 'http://catalog/health' }],
        ['h', 'h2', 'h1', 'catalog-service', 'GET /health', 'server', 1301, 1304, { 'http.route': '/health' }],
      ]);
      expect(judge(spans, gatewayCapture([['traceparent', header]], 'a', 'b1'))).toEqual([
        'missing-service: catalog-service has no span in the journey\'s traces: api-gateway\'s call "GET /products" (b2000000) got no answer: ' +
          "catalog-service never received it in this run's context (the request was refused, or queued and sent later from another context), or catalog-service's spans were not exported",
      ]);
    });

    it('blames no app sampler when a service of the chain had joined the trace before the unsampled request came', () => {
      // The gateway (outside the mock backend: no call id) dropped its own call span; the catalog got sampled=0.
      const spans = [
        ...timed(
          [
            ['a', 'a1', undefined, 'mobile-app', 'search', 'internal', 1000, 1900],
            ['a', 'a2', 'a1', 'mobile-app', 'HTTP GET', 'client', 1010, 1890],
            ['a', 'b1', 'a2', 'api-gateway', 'GET /search', 'server', 1020, 1880],
          ],
          1,
        ),
        ...timed([['a', 'c1', 'b2', 'catalog-service', 'GET /products', 'server', 1040, 1860]], 0),
      ];
      const capture: CapturedRequest = {
        ...gatewayCapture([['traceparent', `00-${traceHex('a')}-${spanHex('b2')}-00`]], 'a', 'c1'),
        service: 'catalog-service',
        path: '/products',
        timeMs: 1040,
      };
      expect(judge(spans, capture)).toEqual([
        `orphan-span: catalog-service "GET /products" (c1000000) names parent span b2000000, which was never exported in trace a0000000: ` +
          "the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent",
        'header-span-mismatch: catalog-service (GET /products) received parent id b200000000000000, which no exported span has: ' +
          'the caller never exported that span, or a proxy between them rewrites the parent id to a span it never exported',
      ]);
    });
  });
});
