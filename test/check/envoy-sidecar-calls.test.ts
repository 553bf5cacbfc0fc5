import { join } from 'node:path';
import { ROOT, runCli, tempFiles } from './support';
import { broken, CALL, CALLEE, envoyNeverReached, otlp, verdict, W3C } from './support-call-answers';

describe('tracehop check --journeys of a run whose call Envoy answered 503, the callee having left no span anywhere', () => {
  /** checkout-broken without payment-api's and fraud-service's spans, its payment call answered 503 with these flags. */
  const dump = (flags: string): string =>
    otlp({
      [CALL]: {
        attributes: { 'http.response.status_code': 503, response_flags: flags },
        status: { code: 2 },
      },
    })
      .split('\n')
      .slice(0, 2)
      .join('\n');
  const missing = (cause: string): unknown => ({
    ok: false,
    traces: 1,
    spans: 4,
    problems: [
      {
        kind: 'missing-service',
        traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6',
        spanId: null,
        service: 'payment-api',
        message: `payment-api has no span in any trace: api-gateway's call "POST /payments" (fe444bd4) ${cause}`,
      },
    ],
    warnings: [],
    runs: [{ traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6', journey: 'checkout', ok: false, kinds: ['missing-service'] }],
  });
  const judge = async (text: string): Promise<[number, unknown]> => {
    const dir = tempFiles({ 'envoy-journey.jsonl': text });
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const args = ['check', '--json', '--journeys', journeys, '--journey', 'checkout', join(dir, 'envoy-journey.jsonl')];
    const { code, stdout } = await runCli(args);
    return [code, JSON.parse(stdout) as unknown];
  };

  it('says payment-api got the request when Envoy forwarded it first (UC: upstream connection termination)', async () => {
    expect(await judge(dump('UC'))).toEqual([
      1,
      missing(
        "was answered (HTTP 503, by a proxy that had forwarded the request: its upstream connection reset or timed out) but payment-api left no span of it in the dump: the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), payment-api's own sampler dropped it though api-gateway sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), or payment-api's spans were not exported",
      ),
    ]);
  });

  it('still takes the call for a failed attempt when Envoy forwarded nothing (UF,URX)', async () => {
    expect(await judge(dump('UF,URX'))).toEqual([
      1,
      missing(
        'failed with HTTP 503, answered by Envoy itself, which forwarded nothing (response_flags UF,URX): it never reached payment-api, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)',
      ),
    ]);
  });
});

describe('tracehop check of a call through Envoy sidecars without spawn_upstream_span (one span a proxy a request)', () => {
  /** The Istio sidecar's span of the payment call (its route's name), answered 503 with these flags. */
  const sidecarSpan = (
    id: string,
    parent: string,
    kind: number,
    cluster: string,
    flags: string,
    more: Record<string, string> = {},
  ): unknown => ({
    traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6',
    spanId: id,
    parentSpanId: parent,
    flags: 1,
    name: 'payment-api.default.svc.cluster.local:8080/*',
    kind,
    startTimeUnixNano: '1795683600021000000',
    endTimeUnixNano: '1795683600054000000',
    attributes: Object.entries({
      'http.url': 'http://payment-api:8080/payments',
      'http.method': 'POST',
      'http.status_code': '503',
      response_flags: flags,
      upstream_cluster: cluster,
      component: 'proxy',
      ...more,
    }).map(([key, value]) => ({ key, value: { stringValue: value } })),
    status: { code: 2 },
  });
  const resource = (service: string, span: unknown): string =>
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
          scopeSpans: [{ scope: { name: 'envoy' }, spans: [span] }],
        },
      ],
    });
  const OUTBOUND = 'outbound|8080||payment-api.default.svc.cluster.local';
  /** checkout-broken, its payment call answered 503 and payment-api's new trace 200, with a sidecar's span added. */
  const dump = (service: string, span: unknown, drop: readonly string[] = []): string => {
    const text = otlp({
      [CALL]: { attributes: { 'http.response.status_code': 503 }, status: { code: 2 } },
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    // `drop`: spans of api-gateway's to leave out (its CLIENT span, when its sidecar's span is the call's).
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => {
        if (drop.length === 0) return line;
        const document = JSON.parse(line) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ spanId: string }> }> }>;
        };
        for (const resourceSpans of document.resourceSpans)
          for (const scope of resourceSpans.scopeSpans)
            scope.spans = scope.spans.filter((s) => !drop.includes(s.spanId));
        return JSON.stringify(document);
      });
    return `${lines.join('\n')}\n${resource(service, span)}\n`;
  };
  /** envoyNeverReached (Envoy's `flags`) with the sidecar's span, which names the call. */
  const sidecarNeverReached = (id: string, flags = 'UF'): unknown => ({
    ...envoyNeverReached(`response_flags ${flags}`),
    spans: 8,
    problems: envoyNeverReached(`response_flags ${flags}`).problems.map((problem) => ({
      ...problem,
      message: problem.message.replace(
        '"POST /payments" (fe444bd4)',
        `"payment-api.default.svc.cluster.local:8080/*" (${id.slice(0, 8)})`,
      ),
    })),
  });
  /** envoyNeverReached (UF) with payment-api's inbound sidecar's span, worded as the sidecar's, not as api-gateway's call. */
  const inboundNeverReached = {
    ...envoyNeverReached('response_flags UF'),
    spans: 8,
    problems: envoyNeverReached('response_flags UF').problems.map((problem) => ({
      ...problem,
      message: problem.message.replace(
        `api-gateway's call "POST /payments" (fe444bd4)`,
        `payment-api.default's inbound sidecar span "payment-api.default.svc.cluster.local:8080/*" (b2b2b2b2) of api-gateway's call`,
      ),
    })),
  };
  const brokenThrough = (spans: number): unknown => ({ ...(broken(W3C) as object), spans });

  it.each([
    ['api-gateway.default', 'UC'],
    ['istio-proxy', 'UR'],
  ])(
    "ties the new trace to a call whose outbound sidecar's span (%s) says Envoy forwarded it (%s)",
    async (service, flags) => {
      const span = sidecarSpan('a1a1a1a1a1a1a1a1', CALL, 3, OUTBOUND, flags);
      expect(await verdict('outbound.jsonl', dump(service, span))).toEqual([1, brokenThrough(8)]);
    },
  );

  it("leaves the new trace to another client when the outbound sidecar's span says Envoy forwarded nothing (UF)", async () => {
    const span = sidecarSpan('a1a1a1a1a1a1a1a1', CALL, 3, OUTBOUND, 'UF');
    expect(await verdict('outbound-uf.jsonl', dump('api-gateway.default', span))).toEqual([
      1,
      sidecarNeverReached('a1a1a1a1a1a1a1a1'),
    ]);
  });

  it("ties the new trace to a call only api-gateway's sidecar recorded, under its SERVER span, Envoy having forwarded it (UC)", async () => {
    const span = sidecarSpan(CALL, '7e262974da166af0', 3, OUTBOUND, 'UC');
    expect(await verdict('outbound-only.jsonl', dump('api-gateway.default', span, [CALL]))).toEqual([
      1,
      brokenThrough(7),
    ]);
  });

  it.each([
    ['UF', sidecarNeverReached('d4d4d4d4d4d4d4d4')],
    ['UC', brokenThrough(8)],
  ])(
    'judges a call whose outbound sidecar (api-gateway.default, spawn_upstream_span) recorded its failed CLIENT span beneath its SERVER span, answered 503 with %s',
    async (flags, expected) => {
      // With spawn_upstream_span, the sidecar records the request it got (SERVER) and the one it sent (CLIENT).
      const server = sidecarSpan('c3c3c3c3c3c3c3c3', CALL, 2, OUTBOUND, flags);
      const client = sidecarSpan('d4d4d4d4d4d4d4d4', 'c3c3c3c3c3c3c3c3', 3, OUTBOUND, flags);
      const text = `${dump('api-gateway.default', server)}${resource('api-gateway.default', client)}\n`;
      const judged = await verdict('spawned.jsonl', text);
      expect(judged).toEqual([1, { ...(expected as object), spans: 9 }]);
    },
  );

  it("leaves the new trace to another client when the spawned upstream span's UR is a refused stream (error.reason)", async () => {
    // Envoy tags its upstream span with the reset reason; HTTP/2 REFUSED_STREAM means payment-api processed
    // nothing of the request, though Envoy flags it UR on both spans as it does any remote reset.
    const server = sidecarSpan('c3c3c3c3c3c3c3c3', CALL, 2, OUTBOUND, 'UR');
    const client = sidecarSpan('d4d4d4d4d4d4d4d4', 'c3c3c3c3c3c3c3c3', 3, OUTBOUND, 'UR', {
      error: 'true',
      'error.reason': 'remote refused stream reset',
    });
    const text = `${dump('api-gateway.default', server)}${resource('api-gateway.default', client)}\n`;
    expect(await verdict('spawned-refused.jsonl', text)).toEqual([
      1,
      { ...(sidecarNeverReached('d4d4d4d4d4d4d4d4', 'UR') as object), spans: 9 },
    ]);
  });

  it.each([
    ['UC', brokenThrough(8)],
    ['UF', inboundNeverReached],
  ])(
    "judges a call whose only span beneath is payment-api's inbound sidecar's, answered 503 with %s",
    async (flags, expected) => {
      const span = sidecarSpan('b2b2b2b2b2b2b2b2', CALL, 2, 'inbound|8080||', flags);
      const judged = await verdict('inbound.jsonl', dump('payment-api.default', span));
      expect(judged).toEqual([1, expected]);
    },
  );
  it.each([
    ['UC', 'payment-api', brokenThrough(6)],
    ['UF', 'outbound|8080||payment-api.default.svc.cluster.local', 'missing'],
  ])(
    'judges the call of an Envoy that is api-gateway itself, its SERVER span alone (%s, upstream_cluster %s)',
    async (flags, cluster, expected) => {
      // An edge Envoy records the request it proxies as one SERVER span, the answer it gave on it.
      const span = { ...(sidecarSpan('7e262974da166af0', '9b0a30e17fd9b32a', 2, cluster, flags) as object) };
      const judged = await verdict('edge.jsonl', dump('api-gateway', span, [CALL, '7e262974da166af0']));
      const turnedAway = { ...(sidecarNeverReached('7e262974') as { spans: number }), spans: 6 };
      expect(judged).toEqual([1, expected === 'missing' ? turnedAway : expected]);
    },
  );
  it.each([
    ['429', 'RL'],
    ['403', 'UAEX'],
  ])(
    'leaves the new trace to another client when an Envoy that is api-gateway itself answered %s on its own (%s)',
    async (status, flags) => {
      // Envoy's rate limit or external authorizer answered the request: its flags say it forwarded nothing.
      const span = sidecarSpan('7e262974da166af0', '9b0a30e17fd9b32a', 2, 'payment-api', flags) as {
        attributes: Array<{ key: string; value: { stringValue: string } }>;
      };
      const attributes = span.attributes.map((attribute) =>
        attribute.key === 'http.status_code' ? { key: attribute.key, value: { stringValue: status } } : attribute,
      );
      const text = dump('api-gateway', { ...span, attributes }, [CALL, '7e262974da166af0']);
      expect(await verdict('edge-turned-away.jsonl', text)).toEqual([
        1,
        {
          ...envoyNeverReached('response_flags UF'),
          spans: 6,
          problems: [
            {
              ...envoyNeverReached('response_flags UF').problems[0],
              message:
                `payment-api has no span in trace f20e22c7: api-gateway's call "payment-api.default.svc.cluster.local:8080/*" (7e262974) was answered (HTTP ${status}) ` +
                `by Envoy itself, which forwarded nothing (response_flags ${flags}): the request never reached payment-api, so the run did not get past this hop`,
            },
          ],
        },
      ]);
    },
  );
});
