import { makeSpan, spanWith, type SpanSpec } from '../model/test-support/make-span';
import { SHARED_SPAN_ID, type Span } from '../model';
import { verifySpans } from './verify';

/** The checkout journey, all links right: app root -> app CLIENT -> gateway SERVER -> CLIENT -> payment SERVER. */
function checkout(overrides: Partial<Record<string, Partial<SpanSpec>>> = {}): SpanSpec[] {
  const base: SpanSpec[] = [
    { id: 'a1', service: 'mobile-app', name: 'checkout', kind: 'internal', start: 0, end: 100, flags: 1 },
    {
      id: 'a2',
      parent: 'a1',
      service: 'mobile-app',
      name: 'POST /checkout',
      kind: 'client',
      start: 1,
      end: 99,
      flags: 1,
    },
    {
      id: 'b1',
      parent: 'a2',
      service: 'api-gateway',
      name: 'POST /checkout',
      kind: 'server',
      start: 2,
      end: 98,
      flags: 1,
    },
    {
      id: 'b2',
      parent: 'b1',
      service: 'api-gateway',
      name: 'POST /payments',
      kind: 'client',
      start: 3,
      end: 97,
      flags: 1,
    },
    {
      id: 'c1',
      parent: 'b2',
      service: 'payment-api',
      name: 'POST /payments',
      kind: 'server',
      start: 4,
      end: 96,
      flags: 1,
    },
  ];
  return base.map((spec) => ({ ...spec, ...overrides[spec.id] }));
}

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api'];

function verdict(specs: SpanSpec[], expect?: string[]) {
  const result = verifySpans(specs.map(makeSpan), expect ? { expect } : {});
  return {
    problems: result.problems.map((p) => `${p.kind} ${p.service} ${p.spanId?.replace(/0+$/, '') ?? '-'}: ${p.message}`),
    warnings: result.warnings.map(
      (w) => `${w.kind} ${w.service} ${w.spanId.replace(/0+$/, '')} ${w.kind === 'clock-skew' ? w.skewMs : w.count}`,
    ),
  };
}

describe('verifySpans', () => {
  it('finds nothing wrong in a sound chain', () => {
    expect(verdict(checkout(), CHAIN)).toEqual({ problems: [], warnings: [] });
  });

  it('reports an orphan span', () => {
    expect(verdict(checkout({ c1: { parent: 'ff' } })).problems).toEqual([
      'orphan-span payment-api c1: payment-api "POST /payments" (c1000000) names parent span ff000000, which was never exported in trace 10000000: the caller\'s span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent',
    ]);
  });

  it("blames the caller's sampler for an orphan when no span of its trace is sampled, and only then", () => {
    // The app's AlwaysOff sampler: it exported nothing and sent flags 00; the services recorded their spans anyway.
    const backend = checkout({ b1: { parent: 'a2' } })
      .filter((spec) => spec.service !== 'mobile-app')
      .map((spec) => ({ ...spec, flags: 0 }));
    const oneSampled = backend.map((spec) => (spec.id === 'c1' ? { ...spec, flags: 1 } : spec));
    expect([verdict(backend).problems, verdict(oneSampled).problems]).toEqual([
      [
        'orphan-span api-gateway b1: api-gateway "POST /checkout" (b1000000) names parent span a2000000, which was never exported in trace 10000000: no span of the trace is sampled (api-gateway\'s trace flags say 00): the caller\'s sampler most likely dropped the trace (AlwaysOff, or a ratio below 1), so the caller exported none of its spans, and api-gateway recorded its own anyway; fix: sample every trace in test builds (ParentBased(AlwaysOn), or OTEL_TRACES_SAMPLER=always_on)',
      ],
      [
        'orphan-span api-gateway b1: api-gateway "POST /checkout" (b1000000) names parent span a2000000, which was never exported in trace 10000000: the caller\'s span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent',
        'sampling-mismatch payment-api c1: payment-api "POST /payments" (c1000000) is sampled but its parent api-gateway "POST /payments" (b2000000) is not sampled: the sampled flag was set between api-gateway and payment-api: a proxy or SDK rewrote the traceparent flags, or payment-api\'s sampler ignored the parent\'s decision (use a ParentBased sampler)',
      ],
    ]);
  });

  it("reports a server span parented to the caller's server span as wrong-parent", () => {
    expect(verdict(checkout({ c1: { parent: 'b1' } }), CHAIN).problems).toEqual([
      'wrong-parent payment-api c1: payment-api "POST /payments" (c1000000) is parented to api-gateway\'s SERVER span "POST /checkout" (b1000000) instead of its CLIENT span "POST /payments" (b2000000): api-gateway injected the context of its incoming request instead of the span of its outgoing call (inject from the CLIENT span\'s context, after starting it)',
    ]);
  });

  it('reports two spans sharing an id once', () => {
    const specs = [
      ...checkout(),
      {
        id: 'c1',
        parent: 'b2',
        service: 'payment-api',
        name: 'POST /payments',
        kind: 'server' as const,
        start: 50,
        end: 60,
        flags: 1,
      },
    ];
    expect(verdict(specs).problems).toEqual([
      'duplicate-span-id payment-api c1: 2 spans share span id c1000000 in trace 10000000 (payment-api "POST /payments" (c1000000), payment-api "POST /payments" (c1000000)): payment-api reused a span id instead of starting a new span (a second instrumentation, or a span id kept across requests)',
    ]);
  });

  it.each([
    [
      'CLIENT spans of a retry',
      [
        {
          id: 'b2',
          parent: 'b1',
          service: 'api-gateway',
          name: 'POST /payments',
          kind: 'client' as const,
          start: 20,
          end: 30,
          flags: 1,
        },
      ],
      'duplicate-span-id api-gateway b2: 2 spans share span id b2000000 in trace 10000000 (api-gateway "POST /payments" (b2000000), api-gateway "POST /payments" (b2000000)): a retry reused the span id: the SDK must start a new CLIENT span for each attempt',
    ],
    [
      'spans of two services',
      [{ id: 'b1', service: 'fraud-service', name: 'score', kind: 'internal' as const, start: 5, end: 6, flags: 1 }],
      'duplicate-span-id api-gateway b1: 2 spans share span id b1000000 in trace 10000000 (api-gateway "POST /checkout" (b1000000), fraud-service "score" (b1000000)): api-gateway and fraud-service generated the same span id: an id generator is not random (a fixed seed, or ids copied from the incoming traceparent)',
    ],
  ])('names the cause of a duplicate span id for %s', (_name, extra, problem) => {
    expect(verdict([...checkout(), ...extra]).problems).toEqual([problem]);
  });

  it('names the cause of a duplicate span id for one span exported twice with different content', () => {
    const spans = checkout().map(makeSpan);
    const copy = { ...(spans[4] as Span), statusCode: 2 };
    expect(verifySpans([...spans, copy]).problems.map((p) => p.message)).toEqual([
      '2 spans share span id c1000000 in trace 10000000 (payment-api "POST /payments" (c1000000), payment-api "POST /payments" (c1000000)): the same span was exported 2 times: two span processors export it, or an exporter resent a batch the collector had already written',
    ]);
  });

  it('counts a span re-sent identical in every field once, with a duplicate-export warning', () => {
    const spans = checkout().map(makeSpan);
    const resent = [
      ...spans,
      { ...(spans[4] as Span) },
      { ...(spans[4] as Span), source: { file: 'b.jsonl', line: 9 } },
    ];
    const result = verifySpans(resent, { expect: CHAIN });
    expect([result.problems, result.traces[0]?.spans.length, result.warnings]).toEqual([
      [],
      5,
      [
        {
          kind: 'duplicate-export',
          traceId: '10000000000000000000000000000000',
          spanId: 'c100000000000000',
          service: 'payment-api',
          count: 3,
          message:
            'payment-api "POST /payments" (c1000000) was exported 3 times, identical in every field tracehop reads, in trace 10000000: counted once (an exporter re-sent a batch after a lost acknowledgement, as exporters retry, or the dump holds the trace more than once: answers of a trace store that each returned it, such as one query per service or time windows that overlap, or a file passed twice)',
        },
      ],
    ]);
  });

  it('takes copies from two writers as one span: fields and attributes in another order, status 0 or none', () => {
    const spans = checkout().map(makeSpan);
    const server = { ...(spans[4] as Span), attributes: { 'http.route': '/payments', 'http.status': 200 } };
    const { traceId, spanId, name, ...rest } = server;
    const reordered: Span = {
      ...rest,
      name,
      spanId,
      traceId,
      attributes: { 'http.status': 200, 'http.route': '/payments' },
      statusCode: 0,
    };
    const result = verifySpans([...spans.slice(0, 4), server, reordered]);
    expect([
      result.problems,
      result.warnings.map((w) => [w.kind, w.spanId, w.kind === 'duplicate-export' ? w.count : undefined]),
    ]).toEqual([[], [['duplicate-export', 'c100000000000000', 2]]]);
  });

  it('keeps apart copies that differ only in an attribute named __proto__', () => {
    const spans = checkout().map(makeSpan);
    const server = spans[4] as Span;
    const withProto = (value: string): Span => ({
      ...server,
      attributes: Object.defineProperty({}, '__proto__', { value, enumerable: true }),
    });
    const result = verifySpans([...spans.slice(0, 4), withProto('first'), withProto('second')]);
    expect([result.problems.map((p) => [p.kind, p.spanId]), result.warnings]).toEqual([
      [['duplicate-span-id', 'c100000000000000']],
      [],
    ]);
  });

  it('keeps copies that differ apart from the identical ones: one warning, one duplicate-span-id', () => {
    const spans = checkout().map(makeSpan);
    const server = spans[4] as Span;
    const result = verifySpans([...spans, { ...server }, { ...server, name: 'POST /payments/v2' }]);
    expect([result.problems.map((p) => [p.kind, p.spanId]), result.warnings.map((w) => [w.kind, w.spanId])]).toEqual([
      [['duplicate-span-id', 'c100000000000000']],
      [['duplicate-export', 'c100000000000000']],
    ]);
  });

  it('lists at most three of many spans sharing an id', () => {
    const copies = [2, 3, 4, 5].map((start) => ({
      id: 'b2',
      parent: 'b1',
      service: 'api-gateway',
      name: 'POST /payments',
      kind: 'client' as const,
      start: start * 10,
      end: 99,
      flags: 1,
    }));
    expect(verdict([...checkout(), ...copies]).problems).toEqual([
      'duplicate-span-id api-gateway b2: 5 spans share span id b2000000 in trace 10000000 (api-gateway "POST /payments" (b2000000), api-gateway "POST /payments" (b2000000), api-gateway "POST /payments" (b2000000) and 2 more): a retry reused the span id: the SDK must start a new CLIENT span for each attempt',
    ]);
  });

  it('says where an unsampled parent became sampled, and a change inside one service', () => {
    const specs = checkout({
      a1: { flags: 0 },
      a2: { flags: 0 },
      b1: { flags: 0 },
      b2: { flags: 1 },
      c1: { flags: 1 },
    });
    expect(verdict(specs).problems).toEqual([
      'sampling-mismatch api-gateway b2: api-gateway "POST /payments" (b2000000) is sampled but its parent api-gateway "POST /checkout" (b1000000) is not sampled: the sampled flag was set inside api-gateway, or api-gateway\'s sampler ignored the parent\'s decision (use a ParentBased sampler)',
    ]);
  });

  it('reports a parent loop', () => {
    expect(
      verdict([
        { id: 'b', parent: 'c', start: 1 },
        { id: 'c', parent: 'b', start: 2 },
      ]).problems,
    ).toEqual([
      "cycle svc b: parent links loop in trace 10000000 (b0000000 -> c0000000 -> b0000000, child to parent), so these spans have no root: a span id came back as its own ancestor: an id generator repeats ids (a fixed seed, or ids copied from traceparent) or a proxy wrote a descendant's id into traceparent",
    ]);
  });

  it('names the ends of a long parent loop and counts its middle, with small numeric ids told apart', () => {
    // 1,000 spans, each the child of the next, the last the child of the first; ids 1 to 1000 in hex.
    const id = (n: number) => n.toString(16).padStart(16, '0');
    const loop = Array.from({ length: 1000 }, (_, i) =>
      makeSpan({ trace: 'a', id: id(i + 1), parent: id(((i + 1) % 1000) + 1), start: i }),
    );
    const [problem] = verifySpans(loop).problems;
    expect([problem?.kind, problem?.message]).toEqual([
      'cycle',
      "parent links loop in trace a0000000 (00000001 -> 00000002 -> 00000003 -> 00000004 -> ... 992 more ... -> 000003e5 -> 000003e6 -> 000003e7 -> 000003e8 -> 00000001, child to parent), so these spans have no root: a span id came back as its own ancestor: an id generator repeats ids (a fixed seed, or ids copied from traceparent) or a proxy wrote a descendant's id into traceparent",
    ]);
  });

  it('reports a sampled flag that changes between hops', () => {
    expect(verdict(checkout({ c1: { flags: 0 } })).problems).toEqual([
      'sampling-mismatch payment-api c1: payment-api "POST /payments" (c1000000) is not sampled but its parent api-gateway "POST /payments" (b2000000) is sampled: the sampled flag was cleared between api-gateway and payment-api: a proxy or SDK rewrote the traceparent flags, or payment-api\'s sampler ignored the parent\'s decision (use a ParentBased sampler)',
    ]);
  });

  /** The checkout with trace states: every span carries "vendor=abc" but those named in `states`. */
  function withStates(states: Record<string, string | undefined>): SpanSpec[] {
    return checkout().map((spec) => {
      const state = spec.id in states ? states[spec.id] : 'vendor=abc';
      const { state: _state, ...rest } = spec;
      return state === undefined ? rest : { ...rest, state };
    });
  }

  it("reports a callee's SERVER span with no trace state beneath a caller's call span that has one", () => {
    expect(verdict(withStates({ c1: '' }), CHAIN)).toEqual({
      problems: [
        'header-span-mismatch payment-api b2: payment-api "POST /payments" (c1000000) has no tracestate although api-gateway\'s call span "POST /payments" (b2000000) carries "vendor=abc": a proxy between them strips the tracestate header, or payment-api read its context with a propagator that has no tracestate (B3 alone); fix: let the proxy between them pass tracestate through',
      ],
      warnings: [],
    });
  });

  it("reports a caller's trace state that is no valid tracestate once, as its invalid-header, escaped for a terminal", () => {
    // A control character is no tracestate value: a conforming callee may discard the header, so no hop is blamed.
    const specs = withStates({ a1: 'vendor=\u001b[2J', a2: 'vendor=\u001b[2J', b1: '', b2: '', c1: '' });
    expect(verdict(specs, CHAIN).problems).toEqual([
      'invalid-header mobile-app a2: api-gateway "POST /checkout" (b1000000) has no tracestate, and mobile-app\'s call span "POST /checkout" (a2000000) carries "vendor=\\u001b[2J", which is not valid tracestate (invalid-value: tracestate value of "vendor" contains characters outside printable ASCII (or ends with a space)): a conforming callee may discard it (OpenTelemetry Go drops the whole header, JS the invalid members), so no hop need have lost it; fix: make mobile-app send only valid tracestate members (check what its sampler or code puts in the trace state)',
    ]);
  });

  it.each<[string, Record<string, string | undefined>]>([
    ['the callee changed it (its own member in front)', { c1: 'pay=1,vendor=abc' }],
    ["the callee kept none of the caller's members but has its own", { c1: 'pay=1' }],
    ['the callee was read from a format without trace state (Zipkin, Jaeger)', { c1: undefined }],
    ['the caller had none', { a1: '', a2: '', b1: '', b2: '', c1: '' }],
    ["the caller's state is unknown", { a1: undefined, a2: undefined, b1: undefined, b2: undefined, c1: '' }],
    ['a span lost it inside one service, not across a hop', { b2: '', c1: '' }],
  ])('reports no lost trace state when %s', (_case, states) => {
    expect(verdict(withStates(states), CHAIN)).toEqual({ problems: [], warnings: [] });
  });

  it('reports a service that started a new trace as broken-chain', () => {
    expect(verdict(checkout({ c1: { trace: '2', parent: undefined } }), CHAIN).problems).toEqual([
      'broken-chain payment-api c1: api-gateway received the request but payment-api started a new trace (20000000 instead of 10000000): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does',
    ]);
  });

  describe('names the headers the spans show the hop carries', () => {
    const zipkin = (span: Span): Span => ({ ...span, source: { file: 'zipkin.json', format: 'zipkin' } });
    const lost = (specs: SpanSpec[], map: (span: Span) => Span) =>
      verifySpans(specs.map(makeSpan).map(map), { expect: CHAIN }).problems.map((p) => p.message);

    it('B3 or traceparent for spans read from Zipkin JSON: Zipkin clients send B3, OpenTelemetry SDKs W3C', () => {
      expect([
        lost(checkout({ c1: { trace: '2', parent: undefined } }), zipkin),
        lost(checkout({ b1: { trace: '2', parent: undefined }, b2: { trace: '2' }, c1: { trace: '2' } }), zipkin),
      ]).toEqual([
        [
          'api-gateway received the request but payment-api started a new trace (20000000 instead of 10000000): api-gateway did not forward the trace context (B3 or traceparent headers), or payment-api did not read it, as a tracer that reads the other format only does',
        ],
        [
          "mobile-app sent the request but api-gateway started a new trace (20000000 instead of 10000000): mobile-app did not inject the trace context (B3 or traceparent headers), or api-gateway did not read it, as a tracer that reads the other format only does; fix: make mobile-app send one valid trace context (B3 headers or a W3C traceparent, the format its callee reads) to api-gateway (its SDK's propagation targets and propagators decide which hosts get one), and set the same propagation format (B3 or W3C TraceContext) in api-gateway's SDK",
        ],
      ]);
    });

    it('B3 when a span of the hop is a B3 shared SERVER span (only B3 lets a server join its caller span)', () => {
      const shared = (span: Span): Span =>
        span.spanId.startsWith('b1') ? { ...span, attributes: { [SHARED_SPAN_ID]: 'a200000000000000' } } : span;
      expect(lost(checkout({ c1: { trace: '2', parent: undefined } }), shared)).toEqual([
        'api-gateway received the request but payment-api started a new trace (20000000 instead of 10000000): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them, as a tracer that reads W3C traceparent only does',
      ]);
    });

    it("when the callee's own B3 shared span (here a sound run's) shows it reads B3, blames no W3C-only tracer nor asks to set B3 in it", () => {
      // A sound run later on, its api-gateway span joined the app's (B3 shared), beside a run whose gateway restarted.
      const sound = checkout().map((spec) => ({
        ...spec,
        trace: '3',
        id: `f${spec.id}`,
        ...(spec.parent !== undefined ? { parent: `f${spec.parent}` } : {}),
        start: (spec.start ?? 0) + 1000,
        end: (spec.end ?? 0) + 1000,
      }));
      const shared = (span: Span): Span =>
        span.spanId.startsWith('fb1') ? { ...span, attributes: { [SHARED_SPAN_ID]: 'fa20000000000000' } } : span;
      const restarted = checkout({ b1: { trace: '2', parent: undefined }, b2: { trace: '2' }, c1: { trace: '2' } });
      expect(lost([...restarted, ...sound], shared)).toEqual([
        "mobile-app sent the request but api-gateway started a new trace (20000000 instead of 10000000): mobile-app did not inject the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or api-gateway did not read them this time, though a B3 shared span of its shows it reads B3; fix: make mobile-app send valid B3 headers to api-gateway (its SDK's propagation targets and propagators decide which hosts get one)",
      ]);
    });
  });

  it('reports an expected service with no span anywhere as missing-service', () => {
    expect(verdict(checkout(), [...CHAIN, 'fraud-service']).problems).toEqual([
      'missing-service fraud-service -: fraud-service has no span in any trace: payment-api never called it, or its spans were not exported',
    ]);
  });

  it("names the app's failed call, not 'never called it', when the gateway left no span and no run is in the dump", () => {
    // The app's own dump: its checkout call failed with a 503 no proxy owned up to, or was refused (no status).
    const app = (attributes: Record<string, number>) => [
      makeSpan({ id: 'a1', service: 'mobile-app', name: 'checkout', kind: 'internal', start: 2, end: 100, flags: 1 }),
      { ...spanWith('a2', 'a1', 'mobile-app', 'HTTP POST', 'client', 3, 99, attributes), statusCode: 2 as const },
    ];
    const words = (spans: Span[]) =>
      verifySpans(spans, { expect: ['mobile-app', 'api-gateway'] }).problems.map((p) => p.message);
    expect([words(app({ 'http.response.status_code': 503 })), words(app({}))]).toEqual([
      [
        `api-gateway has no span in any trace: mobile-app's call "HTTP POST" (a2000000) failed with HTTP 503 (its span's status is ERROR) and api-gateway left no span of it in the dump: most likely a proxy or load balancer in front of api-gateway answered it without reaching api-gateway, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain), or api-gateway answered it itself and its spans were not exported`,
      ],
      [
        `api-gateway has no span in any trace: mobile-app's call "HTTP POST" (a2000000) failed (its span's status is ERROR) and got no answer in this trace: most likely it never reached api-gateway, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)`,
      ],
    ]);
  });

  it("quotes a failed call's status message, its first line only and cut at 120 characters", () => {
    const app = (statusMessage: string) => [
      makeSpan({ id: 'a1', service: 'mobile-app', name: 'checkout', kind: 'internal', start: 2, end: 100, flags: 1 }),
      {
        ...spanWith('a2', 'a1', 'mobile-app', 'HTTP POST', 'client', 3, 99, {}),
        statusCode: 2 as const,
        statusMessage,
      },
    ];
    const quoted = (statusMessage: string) =>
      verifySpans(app(statusMessage), { expect: ['mobile-app', 'api-gateway'] }).problems.map(
        (p) => /failed \((.*)\) and got no answer/.exec(p.message)?.[1],
      );
    const long = `java.net.ConnectException: ${'x'.repeat(120)}`;
    expect([
      quoted('other side closed'),
      quoted('java.net.ConnectException: Connection refused\n\tat sun.nio.ch.Net.connect0(Native Method)'),
      quoted(long),
      quoted('  \n'),
    ]).toEqual([
      [`its span's status is ERROR: "other side closed"`],
      [`its span's status is ERROR: "java.net.ConnectException: Connection refused"`],
      [`its span's status is ERROR: "${long.slice(0, 117)}..."`],
      [`its span's status is ERROR`],
    ]);
  });

  it("names the app's answered call, not an earlier trace in which the app called nobody, when the gateway left no span", () => {
    // The app's own SDK print alone: a prefetch span in a trace of its own, then the checkout, whose call got 200.
    const spans = [
      makeSpan({ trace: '9', id: 'p1', service: 'mobile-app', name: 'prefetch', start: 0, end: 1, flags: 1 }),
      makeSpan({ id: 'a1', service: 'mobile-app', name: 'checkout', kind: 'internal', start: 2, end: 100, flags: 1 }),
      spanWith('a2', 'a1', 'mobile-app', 'HTTP POST', 'client', 3, 99, { 'http.response.status_code': 200 }),
    ];
    expect(
      verifySpans(spans, { expect: ['mobile-app', 'api-gateway'] }).problems.map((p) => `${p.traceId} ${p.message}`),
    ).toEqual([
      `${'1'.padEnd(32, '0')} api-gateway has no span in any trace: mobile-app's call "HTTP POST" (a2000000) was answered (HTTP 200) but api-gateway left no span of it in the dump: the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), api-gateway's own sampler dropped it though mobile-app sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), api-gateway's spans were not exported, or a proxy or cache answered in its place`,
    ]);
  });

  it('names the services it did find when the first expected service has no span', () => {
    expect([verdict(checkout(), ['mobile', 'api-gateway']).problems, verdict([], ['mobile-app']).problems]).toEqual([
      [
        'missing-service mobile -: mobile has no span in any trace: the spans come from api-gateway, mobile-app, payment-api: mobile never exported its spans (flush its exporter before the journey ends), or its service.name is spelt differently',
      ],
      [
        'missing-service mobile-app -: mobile-app has no span in any trace: there are no spans at all: mobile-app never exported its spans (flush its exporter before the journey ends), or its service.name is spelt differently',
      ],
    ]);
  });

  it('says which services the spans come from for every expected service when none is found', () => {
    expect(verdict([], ['mobile-app', 'api-gateway']).problems).toEqual([
      'missing-service mobile-app -: mobile-app has no span in any trace: there are no spans at all: mobile-app never exported its spans (flush its exporter before the journey ends), or its service.name is spelt differently',
      'missing-service api-gateway -: api-gateway has no span in any trace: there are no spans at all: api-gateway never exported its spans (flush its exporter before the journey ends), or its service.name is spelt differently',
    ]);
  });

  it('warns about clock skew without calling it a defect', () => {
    expect(
      verdict(checkout({ a1: { start: 300_000, end: 300_100 }, a2: { start: 300_001, end: 300_099 } }), CHAIN),
    ).toEqual({
      problems: [],
      warnings: ['clock-skew api-gateway b1 299999'],
    });
  });

  it('names the hop of a new trace that no unanswered call can be tied to, when a run stopped before it', () => {
    const sound = checkout();
    // Trace 2: the gateway made no CLIENT span (not instrumented) and payment-api started trace 3.
    const stopped = checkout({ b2: { trace: 'x' } })
      .filter((spec) => spec.id !== 'b2')
      .map((spec) => ({ ...spec, id: `2${spec.id}`, parent: spec.parent && `2${spec.parent}`, trace: '2' }));
    const restarted = stopped.map((spec) => (spec.id === '2c1' ? { ...spec, trace: '3', parent: undefined } : spec));
    expect(verdict([...sound, ...restarted], CHAIN).problems).toEqual([
      'broken-chain payment-api 2c1: payment-api\'s SERVER span "POST /payments" (2c100000) started a new trace (30000000) on a route of the hop api-gateway -> payment-api: api-gateway did not forward traceparent on one of its calls, or payment-api did not read it, as an SDK with no W3C propagator set does (no span link, and no call of api-gateway\'s on this route that went unanswered, ties it to a run)',
      'missing-service payment-api -: payment-api has no span in trace 20000000: api-gateway never called it, or its spans were not exported',
    ]);
  });

  it("takes a SERVER span that ends after its caller's span as skew only when it also started after it ended", () => {
    // instrumentation-http ends b1 once the response is flushed: 30 ms after the app read it.
    const flushedLate = checkout({ b1: { end: 129 }, b2: { end: 97 } });
    // The gateway's clock 5 s ahead: b1 starts and ends long after a2 ended (and b2 after b1, in one clock).
    const ahead = checkout({
      b1: { start: 5002, end: 5098 },
      b2: { start: 5003, end: 5097 },
      c1: { start: 4, end: 96 },
    });
    // An INTERNAL child in another service is judged by its end as before.
    const internal = checkout({ b1: { kind: 'internal', end: 129 } });
    expect([verdict(flushedLate, CHAIN), verdict(ahead, CHAIN).warnings, verdict(internal).warnings]).toEqual([
      { problems: [], warnings: [] },
      ['clock-skew api-gateway b1 4999', 'clock-skew payment-api c1 4999'],
      ['clock-skew api-gateway b1 30'],
    ]);
  });

  it('warns of no clock skew where a time was not written: a start of 0, a parent with no duration', () => {
    // b1 read from a Zipkin span without timestamp; then a2, b1's parent, written with no duration.
    const noStart = checkout({
      a1: { start: 5000, end: 5100 },
      a2: { start: 5001, end: 5099 },
      b1: { start: 0, end: 0 },
    });
    const noDuration = checkout({ a2: { start: 1, end: 1 } });
    expect([verdict(noStart, CHAIN), verdict(noDuration, CHAIN)]).toEqual([
      { problems: [], warnings: [] },
      { problems: [], warnings: [] },
    ]);
  });

  it('accepts retries with new span ids and sibling calls', () => {
    const specs = [
      ...checkout(),
      {
        id: 'b3',
        parent: 'b1',
        service: 'api-gateway',
        name: 'POST /payments',
        kind: 'client' as const,
        start: 10,
        end: 20,
        flags: 1,
      },
      {
        id: 'c2',
        parent: 'b3',
        service: 'payment-api',
        name: 'POST /payments',
        kind: 'server' as const,
        start: 11,
        end: 19,
        flags: 1,
      },
    ];
    expect(verdict(specs, CHAIN)).toEqual({ problems: [], warnings: [] });
  });

  it('never passes a chain that ran nowhere, when the only later span is on a route no caller used', () => {
    const on =
      (destination: string) =>
      (span: Span): Span => ({
        ...span,
        attributes: { 'messaging.destination.name': destination },
      });
    const spans = [
      makeSpan({ trace: '1', id: 'a', service: 'payment-api', kind: 'server', name: 'POST /payments' }),
      on('orders')(makeSpan({ trace: '1', id: 'b', parent: 'a', service: 'payment-api', kind: 'producer' })),
      on('audit')(makeSpan({ trace: '2', id: 'c', service: 'ledger', kind: 'consumer', start: 1500 })),
    ];
    const result = verifySpans(spans, { expect: ['payment-api', 'ledger'] });
    expect([result.runs, result.problems.map((problem) => [problem.kind, problem.message])]).toEqual([
      [],
      [
        [
          'broken-chain',
          "payment-api sent the request but ledger started a new trace (20000000 instead of 10000000): payment-api did not inject traceparent, or ledger did not read it, as an SDK with no W3C propagator set does; fix: make payment-api send one valid W3C traceparent to ledger (its SDK's propagation targets and propagators decide which hosts get one), and set the W3C TraceContext propagator in ledger's SDK",
        ],
      ],
    ]);
  });
});

describe('a chain that ran nowhere', () => {
  it('says the last service reached made no call, rather than blame a traceparent nobody sent', () => {
    const spans = [
      makeSpan({ trace: '1', id: 'a1', service: 'mobile-app', name: 'checkout', start: 1, end: 50 }),
      makeSpan({ trace: '2', id: 'b1', service: 'cart-api', kind: 'server', name: 'GET /health', start: 2, end: 3 }),
    ];
    const result = verifySpans(spans, { expect: ['mobile-app', 'cart-api'] });
    expect([result.runs, result.problems.map((problem) => [problem.kind, problem.message])]).toEqual([
      [],
      [
        [
          'missing-service',
          'cart-api has no span beneath mobile-app in any trace: mobile-app made no call (no CLIENT or PRODUCER span) in trace 10000000, and cart-api\'s spans are in traces of their own (such as "GET /health" (b1000000) in 20000000): the journey never reached cart-api, or mobile-app\'s call was not traced',
        ],
      ],
    ]);
  });
});

describe('wrong-parent without one obvious call span', () => {
  it('says a service that recorded no span for its call passed on the span of its request, as proxies do', () => {
    // nginx-otel, or Envoy's ingress without spawn_upstream_span: one SERVER span per request, injected upstream.
    const specs = checkout({ c1: { parent: 'b1' } }).filter((spec) => spec.id !== 'b2');
    expect(verdict(specs).problems).toEqual([
      'wrong-parent payment-api c1: payment-api "POST /payments" (c1000000) is parented to api-gateway\'s SERVER span "POST /checkout" (b1000000), and api-gateway recorded no CLIENT or PRODUCER span for its call: it passed on the span of the request it received, as a proxy that records one span per request does (nginx-otel; Envoy without spawn_upstream_span) (start a CLIENT span for the outgoing call and inject its context; for a proxy, turn on its upstream spans or let it pass traceparent through untraced)',
    ]);
  });

  it("passes a B3 shared SERVER span that holds its call's id alone under its caller's span (py_zipkin without client spans)", () => {
    // py_zipkin's create_http_headers_for_new_span allocates the call's id under the caller's current span, and
    // the callee's SERVER span, flagged shared, is the only record of that call.
    const spans = checkout({ c1: { parent: 'b1' } })
      .filter((spec) => spec.id !== 'b2')
      .map(makeSpan)
      .map((span) =>
        span.service === 'payment-api' ? { ...span, attributes: { 'zipkin.shared_span_id': span.spanId } } : span,
      );
    expect(verifySpans(spans, { expect: CHAIN }).problems).toEqual([]);
  });

  it('does not call a service that recorded its CLIENT span under a handler span one that recorded none', () => {
    const specs = [
      ...checkout({ b2: { parent: 'b3' }, c1: { parent: 'b1' } }),
      {
        id: 'b3',
        parent: 'b1',
        service: 'api-gateway',
        name: 'handler',
        kind: 'internal' as const,
        start: 3,
        end: 97,
        flags: 1,
      },
    ];
    expect(verdict(specs).problems).toEqual([
      'wrong-parent payment-api c1: payment-api "POST /payments" (c1000000) is parented to api-gateway\'s SERVER span "POST /checkout" (b1000000), not to a CLIENT or PRODUCER span: api-gateway injected the context of its incoming request instead of the span of its outgoing call (inject from the CLIENT span\'s context, after starting it)',
    ]);
  });

  it("passes a workload's SERVER span beneath its mesh sidecar's inbound span (Istio's Envoy), and only that", () => {
    // mobile-app CLIENT -> api-gateway's sidecar SERVER (inbound cluster) -> api-gateway's own SERVER span.
    const spans = (cluster: string, sidecar = 'api-gateway.default'): Span[] => [
      spanWith('a1', undefined, 'mobile-app', 'checkout', 'internal', 0, 100),
      spanWith('a2', 'a1', 'mobile-app', 'POST /checkout', 'client', 1, 99),
      spanWith('s1', 'a2', sidecar, 'api-gateway:80/checkout', 'server', 2, 98, {
        upstream_cluster: cluster,
      }),
      spanWith('b1', 's1', 'api-gateway', 'POST /checkout', 'server', 3, 97),
    ];
    const judge = (cluster: string, sidecar?: string): string[] =>
      verifySpans(spans(cluster, sidecar), { expect: ['mobile-app', 'api-gateway'] }).problems.map((p) => p.kind);
    // Another service's SERVER span beneath the sidecar's inbound span: api-gateway passed its context on.
    const forwarded = [
      ...spans('inbound|8080||'),
      spanWith('c1', 's1', 'payment-api', 'POST /payments', 'server', 4, 90),
    ];
    expect([
      judge('inbound|8080||'),
      // Istio may name every sidecar "istio-proxy", whose workload its name does not tell.
      judge('inbound|8080||', 'istio-proxy'),
      judge('outbound|80||api-gateway.default.svc.cluster.local'),
      verifySpans(forwarded).problems.map((p) => `${p.kind} ${p.service}`),
    ]).toEqual([[], [], ['wrong-parent'], ['wrong-parent payment-api']]);
  });

  it("passes a workload's outbound sidecar span beneath its SERVER span when it recorded no CLIENT span itself", () => {
    // api-gateway's SERVER span -> its sidecar's CLIENT span (outbound cluster) -> payment-api's SERVER span.
    const spans = (service: string, withClient: boolean): Span[] => [
      spanWith('b1', undefined, 'api-gateway', 'POST /checkout', 'server', 0, 100),
      ...(withClient ? [spanWith('b2', 'b1', 'api-gateway', 'POST /payments', 'client', 1, 99)] : []),
      spanWith('s1', 'b1', service, 'payment-api.default.svc.cluster.local:8080/*', 'client', 2, 98, {
        upstream_cluster: 'outbound|8080||payment-api.default.svc.cluster.local',
      }),
      spanWith('c1', 's1', 'payment-api', 'POST /payments', 'server', 3, 97),
    ];
    const judge = (service: string, withClient = false): string[] =>
      verifySpans(spans(service, withClient)).problems.map((p) => `${p.kind} ${p.service} ${p.message}`);
    expect([
      judge('api-gateway.default'),
      judge('istio-proxy'),
      judge('auth-service.default'),
      judge('istio-proxy', true),
    ]).toEqual([
      [],
      [],
      [
        'wrong-parent auth-service.default auth-service.default "payment-api.default.svc.cluster.local:8080/*" (s1000000) is parented to api-gateway\'s SERVER span "POST /checkout" (b1000000), and api-gateway recorded no CLIENT or PRODUCER span for its call: it passed on the span of the request it received, as a proxy that records one span per request does (nginx-otel; Envoy without spawn_upstream_span) (start a CLIENT span for the outgoing call and inject its context; for a proxy, turn on its upstream spans or let it pass traceparent through untraced)',
      ],
      [
        'wrong-parent istio-proxy istio-proxy "payment-api.default.svc.cluster.local:8080/*" (s1000000) is parented to api-gateway\'s SERVER span "POST /checkout" (b1000000) instead of its CLIENT span "POST /payments" (b2000000): api-gateway injected the context of its incoming request instead of the span of its outgoing call (inject from the CLIENT span\'s context, after starting it)',
      ],
    ]);
  });

  it('says the parent is not a CLIENT or PRODUCER span when it is an INTERNAL span', () => {
    const specs = checkout({ b1: { kind: 'internal' }, c1: { parent: 'b1' } }).filter((spec) => spec.id !== 'b2');
    expect(verdict(specs).problems).toEqual([
      'wrong-parent payment-api c1: payment-api "POST /payments" (c1000000) is parented to api-gateway\'s INTERNAL span "POST /checkout" (b1000000), not to a CLIENT or PRODUCER span: api-gateway injected the context of that span (one enclosing the call: a journey or handler span) instead of the span of its outgoing call (inject from the CLIENT span\'s context, after starting it)',
    ]);
  });

  it('names the one CLIENT span for every wrong child of a fan-out, and none when the parent made two calls', () => {
    const fanOut = [
      ...checkout(),
      ...['c2', 'c3'].map((id, i) => ({
        id,
        parent: 'b1',
        service: 'payment-api',
        kind: 'server' as const,
        start: 10 + i,
        end: 20,
        flags: 1,
      })),
    ];
    const twoCalls = [
      ...checkout({ c1: { parent: 'b1' } }),
      { id: 'b3', parent: 'b1', service: 'api-gateway', kind: 'client' as const, start: 5, end: 6, flags: 1 },
    ];
    const result = (specs: SpanSpec[]) =>
      verifySpans(specs.map(makeSpan)).problems.map((p) =>
        p.kind === 'wrong-parent' ? `${p.spanId?.slice(0, 2)} ${p.expectedParentSpanId?.slice(0, 2) ?? null}` : p.kind,
      );
    expect([result(fanOut), result(twoCalls)]).toEqual([['c2 b2', 'c3 b2'], ['c1 null']]);
  });

  it('accepts a CONSUMER span parented to a PRODUCER span of another service', () => {
    const specs: SpanSpec[] = [
      { id: 'a1', service: 'payment-api', kind: 'producer', start: 0, end: 10 },
      { id: 'b1', parent: 'a1', service: 'ledger', kind: 'consumer', start: 5, end: 8 },
    ];
    expect(verdict(specs)).toEqual({ problems: [], warnings: [] });
  });

  it('judges no parent whose kind was never written (Jaeger and Zipkin spans without span.kind)', () => {
    const specs: SpanSpec[] = [
      { id: 'a1', service: 'service-x', kind: 'unspecified', start: 0, end: 10 },
      { id: 'b1', parent: 'a1', service: 'service-y', kind: 'unspecified', start: 1, end: 8 },
      { id: 'c1', parent: 'a1', service: 'service-z', kind: 'server', start: 2, end: 8 },
    ];
    expect(verdict(specs)).toEqual({ problems: [], warnings: [] });
  });
});

describe('a span the dump gives no time (start 0: a Zipkin span with no timestamp and no annotations)', () => {
  /** Real epoch times: a time of 0 is then 56 years before every other span. */
  const T = 1_764_750_000_000;
  /** Run `n` of the checkout at T + n s; `fragment`: payment-api's span starts trace `n`f instead, at `at`. */
  const run = (n: number, fragment?: { start: number; end: number }): SpanSpec[] =>
    checkout().map((spec) => {
      const base = T + n * 1000;
      const moved = {
        ...spec,
        id: `${n}${spec.id}`,
        trace: `${n}`,
        start: base + (spec.start ?? 0),
        end: base + (spec.end ?? 0),
        ...(spec.parent ? { parent: `${n}${spec.parent}` } : {}),
      };
      if (spec.id !== 'c1' || !fragment) return moved;
      const { parent: _parent, ...root } = moved;
      return { ...root, trace: `${n}f`, ...fragment };
    });
  const untimed = { start: 0, end: 0 };

  it("does not read the callee's clock off a call answered by a span with no time", () => {
    // Run 1's payment-api span has no time; runs 2 and 3 each lost the context, their new traces in their calls.
    const sound = run(1).map((spec) => (spec.id === '1c1' ? { ...spec, ...untimed } : spec));
    const specs = [
      ...sound,
      ...run(2, { start: T + 2004, end: T + 2096 }),
      ...run(3, { start: T + 3004, end: T + 3096 }),
    ];
    expect(verdict(specs, CHAIN).problems).toEqual([
      'broken-chain payment-api 2c1: api-gateway received the request but payment-api started a new trace (2f000000 instead of 20000000): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does',
      'broken-chain payment-api 3c1: api-gateway received the request but payment-api started a new trace (3f000000 instead of 30000000): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does',
    ]);
  });

  it("names the unanswered call with no time on the new trace's route, not 'no call that went unanswered'", () => {
    // One run; its gateway call has no time, so the new trace on its route is tied by nothing.
    const specs = run(2, { start: T + 2004, end: T + 2096 }).map((spec) =>
      spec.id === '2b2' ? { ...spec, ...untimed } : spec,
    );
    expect(verdict(specs, CHAIN).problems[0]).toBe(
      'broken-chain payment-api 2c1: payment-api\'s SERVER span "POST /payments" (2c100000) started a new trace (2f000000) on a route of the hop api-gateway -> payment-api: api-gateway did not forward traceparent on one of its calls, or payment-api did not read it, as an SDK with no W3C propagator set does (no span link ties it to a run, and api-gateway\'s CLIENT span "POST /payments" (2b200000) that went unanswered on this route has no time in the dump, so no call\'s timing can tie it)',
    );
  });

  it('ties no new trace to a run by a time it does not have, and says why it is tied to none', () => {
    // Runs 2 and 3 both stopped at the gateway; the one new trace has no time: either may have left it.
    const specs = [...run(2, untimed), ...run(3).filter((spec) => spec.id !== '3c1')];
    expect(verdict(specs, CHAIN).problems).toEqual([
      'broken-chain payment-api 2c1: payment-api\'s SERVER span "POST /payments" (2c100000) started a new trace (2f000000) on a route of the hop api-gateway -> payment-api: api-gateway did not forward traceparent on one of its calls, or payment-api did not read it, as an SDK with no W3C propagator set does (the span has no time in the dump, so no call\'s timing can tie it to a run, and no span link does)',
      'missing-service payment-api -: payment-api has no span in trace 20000000: api-gateway\'s call "POST /payments" (2b200000) got no answer in this trace: payment-api\'s span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), or payment-api started a new trace that no span link ties to this run, and no timing can: payment-api\'s SERVER span "POST /payments" (2c100000) that started new trace 2f000000 has no time in the dump',
      'missing-service payment-api -: payment-api has no span in trace 30000000: api-gateway\'s call "POST /payments" (3b200000) got no answer in this trace: payment-api\'s span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), or payment-api started a new trace that no span link ties to this run, and no timing can: payment-api\'s SERVER span "POST /payments" (2c100000) that started new trace 2f000000 has no time in the dump',
    ]);
  });
});
