import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAIN, ROOT, runCli, tempFiles } from './support';

/** checkout-broken's spans: api-gateway's POST /payments (fe444bd4) and payment-api's new trace's root (777e07e9). */
const CALL = 'fe444bd490e0f92b';
const CALLEE = '777e07e947ecf928';

type Edits = Record<
  string,
  {
    attributes: Record<string, string | number>;
    status?: { code: number; message?: string };
    /** `exception` events: each one's exception.type and exception.message. */
    exceptions?: Array<{ type: string; message: string }>;
  }
>;

/** An OTLP exception event, as the SDKs' recordException writes it (the stack trace left out). */
const exceptionEvent = ({ type, message }: { type: string; message: string }): unknown => ({
  timeUnixNano: '1764115200050000000',
  name: 'exception',
  attributes: [
    { key: 'exception.type', value: { stringValue: type } },
    { key: 'exception.message', value: { stringValue: message } },
  ],
});

/** fixtures/dumps/checkout-broken.jsonl with these spans' attributes added to, status set and exceptions recorded. */
function otlp(edits: Edits): string {
  const text = readFileSync(join(ROOT, 'fixtures/dumps/checkout-broken.jsonl'), 'utf8');
  return text.replace(
    /"spanId":"([0-9a-f]{16})"(.*?)"attributes":\[\],"status":\{"code":0\}/g,
    (whole, id: string, rest) => {
      const edit = edits[id];
      if (edit === undefined) return whole;
      const attributes = Object.entries(edit.attributes).map(([key, value]) => ({
        key,
        value: typeof value === 'number' ? { intValue: value } : { stringValue: value },
      }));
      const events = edit.exceptions ? `,"events":${JSON.stringify(edit.exceptions.map(exceptionEvent))}` : '';
      return `"spanId":"${id}"${rest as string}"attributes":${JSON.stringify(attributes)},"status":${JSON.stringify(edit.status ?? { code: 0 })}${events}`;
    },
  );
}

/** fixtures/dumps/checkout-broken.zipkin.json with these tags added to spans. */
function zipkin(tags: Record<string, Record<string, string>>): string {
  const spans = JSON.parse(readFileSync(join(ROOT, 'fixtures/dumps/checkout-broken.zipkin.json'), 'utf8')) as Array<{
    id: string;
    tags: Record<string, string>;
  }>;
  return JSON.stringify(spans.map((span) => ({ ...span, tags: { ...span.tags, ...tags[span.id] } })));
}

/** check --json's verdict on one file. */
async function verdict(name: string, text: string): Promise<[number, unknown]> {
  const dir = tempFiles({ [name]: text });
  const { code, stdout } = await runCli(['check', '--json', `--expect=${CHAIN}`, join(dir, name)]);
  return [code, JSON.parse(stdout) as unknown];
}

/** The verdict on checkout-broken: its one run's payment call lost the trace context (payment-api's new trace c1fb3ccc). */
const broken = (headers: string): unknown => ({
  ok: false,
  traces: 2,
  spans: 7,
  problems: [
    {
      kind: 'broken-chain',
      traceId: 'c1fb3ccc6a3f105d8eaa7ca7e6e17b38',
      spanId: CALLEE,
      service: 'payment-api',
      message: `api-gateway received the request but payment-api started a new trace (c1fb3ccc instead of f20e22c7): ${headers}`,
    },
  ],
  warnings: [],
  runs: [{ traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6', journey: null, ok: false, kinds: ['broken-chain'] }],
});
const W3C =
  'api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does';
const B3 =
  'api-gateway did not forward the trace context (B3 or traceparent headers), or payment-api did not read it, as a tracer that reads the other format only does';

describe('tracehop check of a failed call that a server answered, its status message quoting a refusal', () => {
  it("ties the new trace to a Spring client's call answered 500 (Micrometer's status tag, the body quoted in its error)", async () => {
    // Spring Boot 3's RestClient through Micrometer and Brave: no http.status_code, the answer's status in
    // `status`, and the exception's message (the 500's body, payment-api's own database refusal) in `error`.
    const dump = zipkin({
      [CALL]: {
        status: '500',
        outcome: 'SERVER_ERROR',
        error: '500 Internal Server Error: "{"message":"charge failed: connect ECONNREFUSED 10.0.0.7:5432"}"',
      },
      [CALLEE]: { 'http.status_code': '500', error: 'charge failed: connect ECONNREFUSED 10.0.0.7:5432' },
    });
    expect(await verdict('spring.zipkin.json', dump)).toEqual([1, broken(B3)]);
  });

  it("ties the new trace to a gRPC call the callee answered INTERNAL, quoting its database's 'connection refused'", async () => {
    const message = 'charge failed: dial tcp 10.0.0.7:5432: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 13 }, status: { code: 2, message } },
      [CALLEE]: { attributes: { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 13 }, status: { code: 2, message } },
    });
    expect(await verdict('grpc.jsonl', dump)).toEqual([1, broken(W3C)]);
  });
});

describe('tracehop check of a call a proxy answered with a server error, its callee having started a new trace', () => {
  it.each([
    ['500, the callee having answered 503 (its own error, remade by the proxy)', 500, 503],
    ['503, the callee having answered 500', 503, 500],
    ["524 (Cloudflare's timeout, after forwarding), the callee having answered 200", 524, 200],
  ])('ties the new trace to the call answered %s', async (_label, status, calleeStatus) => {
    const dump = otlp({
      [CALL]: { attributes: { 'http.response.status_code': status }, status: { code: 2 } },
      [CALLEE]: {
        attributes: { 'http.response.status_code': calleeStatus },
        status: { code: calleeStatus >= 500 ? 2 : 0 },
      },
    });
    expect(await verdict('proxy.jsonl', dump)).toEqual([1, broken(W3C)]);
  });
});

/** The verdict on checkout-broken when its payment call reached nobody: payment-api's new trace is another client's. */
const neverReached = {
  ok: false,
  traces: 2,
  spans: 7,
  problems: [
    {
      kind: 'missing-service',
      traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6',
      spanId: null,
      service: 'payment-api',
      message: `payment-api has no span in trace f20e22c7: api-gateway's call "POST /payments" (fe444bd4) failed (its span's status is ERROR) and got no answer in this trace: most likely it never reached payment-api, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)`,
    },
  ],
  warnings: [],
  runs: [{ traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6', journey: null, ok: false, kinds: ['missing-service'] }],
};

describe("tracehop check of spans whose status or outcome is not Micrometer's (the other written beside it)", () => {
  it("ties the new trace to a call a proxy answered 503 when the callee's span holds a status field of its own", async () => {
    // payment-api's own "status" (a payment's), not an HTTP status: nothing says it answered another request.
    const dump = otlp({
      [CALL]: { attributes: { 'http.response.status_code': 503 }, status: { code: 2 } },
      [CALLEE]: { attributes: { 'rpc.system': 'grpc', status: '200' } },
    });
    expect(await verdict('business-status.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it("takes a refused call for one that reached nobody though it holds an outcome field that is not Micrometer's", async () => {
    const dump = otlp({
      [CALL]: {
        attributes: { outcome: 'SUCCESS' },
        status: { code: 2, message: 'connect ECONNREFUSED 10.0.0.9:8080' },
      },
      [CALLEE]: { attributes: {} },
    });
    expect(await verdict('business-outcome.jsonl', dump)).toEqual([1, neverReached]);
  });
});

describe('tracehop check of a call refused as only its exception event says (the status message empty)', () => {
  it("takes a Java client's refused call for one that reached nobody: no new trace started meanwhile is its", async () => {
    // The Java agent's HTTP client span for a refused connection (the older semantic conventions: no
    // error.type): status ERROR with no message, the error in an exception event. payment-api's new trace started meanwhile is another client's.
    const dump = otlp({
      [CALL]: {
        attributes: { 'http.method': 'POST' },
        status: { code: 2 },
        exceptions: [{ type: 'java.net.ConnectException', message: 'Connection refused' }],
      },
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    expect(await verdict('java-refused.jsonl', dump)).toEqual([1, neverReached]);
  });
});

describe('tracehop check of a failed call whose refusal came after it reached a server', () => {
  it('ties the new trace to a call that ended in a read timeout, though an exception event records a refused first try', async () => {
    // The span's status message tells the error it ended with; the refusal was an earlier try's.
    const dump = otlp({
      [CALL]: {
        attributes: {},
        status: { code: 2, message: 'java.net.SocketTimeoutException: Read timed out' },
        exceptions: [{ type: 'java.net.ConnectException', message: 'Connection refused' }],
      },
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    expect(await verdict('timed-out.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it("ties the new trace to a gRPC call payment-api's own SERVER span answered UNAVAILABLE, quoting its database's refusal", async () => {
    // The server wrote status 14 itself (its database refused it): the call reached it, though a client that
    // could not connect gets UNAVAILABLE too.
    const message = 'payment store unavailable: dial tcp 10.0.0.7:5432: connect: connection refused';
    const grpc = { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 14 };
    const dump = otlp({
      [CALL]: { attributes: grpc, status: { code: 2, message } },
      [CALLEE]: { attributes: grpc, status: { code: 2, message } },
    });
    expect(await verdict('grpc-unavailable.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it('still takes a gRPC call the client could not connect for one that reached nobody, when the new trace answered OK', async () => {
    const message =
      'connection error: desc = "transport: Error while dialing: dial tcp 10.0.0.9:50051: connect: connection refused"';
    const dump = otlp({
      [CALL]: { attributes: { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 14 }, status: { code: 2, message } },
      [CALLEE]: { attributes: { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 0 } },
    });
    expect(await verdict('grpc-refused.jsonl', dump)).toEqual([1, neverReached]);
  });

  it.each([
    ['Java agent, error.type java.net.ConnectException', { 'error.type': 'java.net.ConnectException' }, undefined],
    ['a redirect followed, its status message ECONNREFUSED', {}, 'connect ECONNREFUSED 10.0.0.9:8080'],
  ])(
    "takes a resent request's own span (http.request.resend_count 1) refused for one that reached nobody (%s)",
    async (_label, attributes, message) => {
      // Each attempt has a span of its own, the count on those after the first: this one's refusal is all it did.
      const dump = otlp({
        [CALL]: {
          attributes: { ...attributes, 'http.request.resend_count': 1 },
          status: message === undefined ? { code: 2 } : { code: 2, message },
        },
        [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
      });
      expect(await verdict('resent.jsonl', dump)).toEqual([1, neverReached]);
    },
  );
});

describe('tracehop check of a call Envoy answered 503 after forwarding it, its callee having started a new trace', () => {
  /** Envoy's upstream span (spawn_upstream_span) for a request whose upstream connection was reset. */
  const envoyCall = (flags: string): Edits[string] => ({
    attributes: {
      'http.status_code': '503',
      response_flags: flags,
      upstream_cluster: 'outbound|8080||payment-api.default.svc.cluster.local',
      upstream_address: '10.0.0.9:8080',
      component: 'proxy',
    },
    status: { code: 2 },
  });

  it.each([
    ['UC (upstream connection termination), the callee having answered 200', 'UC', 200],
    ['URX,UR (upstream reset after retries), the callee having answered 200', 'URX,UR', 200],
    ['UC, the callee never having answered', 'UC', undefined],
  ])('ties the new trace to the call answered %s', async (_label, flags, calleeStatus) => {
    const dump = otlp({
      [CALL]: envoyCall(flags),
      [CALLEE]: { attributes: calleeStatus === undefined ? {} : { 'http.response.status_code': calleeStatus } },
    });
    expect(await verdict('envoy.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it("ties the new trace to a Spring client's call that quotes Envoy's 503 body for a connection it closed", async () => {
    const message =
      '503 Service Unavailable: "upstream connect error or disconnect/reset before headers. reset reason: connection termination"';
    const dump = otlp({
      [CALL]: { attributes: { 'http.response.status_code': 503 }, status: { code: 2, message } },
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    expect(await verdict('spring-envoy.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it.each([
    ['UF,URX (no upstream connection made, after retries)', 'UF,URX'],
    ['UH (no healthy upstream)', 'UH'],
  ])('leaves the new trace to another client when Envoy answered 503 with %s', async (_label, flags) => {
    const dump = otlp({
      [CALL]: envoyCall(flags),
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    expect(await verdict('envoy-turned-away.jsonl', dump)).toEqual([1, neverReached]);
  });
});

describe('tracehop check of a Connect RPC call (connect-go, connect-es: rpc.connect_rpc.error_code)', () => {
  const connect = (code?: string, extra: Record<string, string | number> = {}): Record<string, string | number> => ({
    'rpc.system': 'connect_rpc',
    ...(code === undefined ? {} : { 'rpc.connect_rpc.error_code': code }),
    ...extra,
  });

  it("ties the new trace to a call the callee answered internal, quoting its database's 'connection refused'", async () => {
    const message = 'internal: charge failed: dial tcp 10.0.0.7:5432: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: connect('internal'), status: { code: 2, message } },
      [CALLEE]: { attributes: connect('internal'), status: { code: 2, message } },
    });
    expect(await verdict('connect-internal.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it.each([
    ["its SERVER span's error code unavailable", connect('unavailable')],
    [
      "its SERVER span's HTTP status 503, the Connect protocol's unavailable",
      connect(undefined, { 'http.response.status_code': 503 }),
    ],
  ])('ties the new trace to a call payment-api answered unavailable itself (%s)', async (_label, calleeAttributes) => {
    const message = 'unavailable: payment store unavailable: dial tcp 10.0.0.7:5432: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: connect('unavailable'), status: { code: 2, message } },
      [CALLEE]: { attributes: calleeAttributes, status: { code: 2, message } },
    });
    expect(await verdict('connect-unavailable.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it('still takes a call the client could not connect for one that reached nobody, when the new trace answered', async () => {
    const message = 'unavailable: dial tcp 10.0.0.9:8080: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: connect('unavailable'), status: { code: 2, message } },
      [CALLEE]: { attributes: connect() },
    });
    expect(await verdict('connect-refused.jsonl', dump)).toEqual([1, neverReached]);
  });
});

describe("tracehop check of an RPC in the newer conventions' words (rpc.response.status_code, error.type the code)", () => {
  /** A Connect RPC's span as the newer conventions write it: its code, and with `typed` error.type the same. */
  const rpc = (code?: string, typed = false): Record<string, string> => ({
    'rpc.system.name': 'connect_rpc',
    ...(code === undefined ? {} : { 'rpc.response.status_code': code }),
    ...(typed && code !== undefined ? { 'error.type': code } : {}),
  });

  it("ties the new trace to a call the callee answered internal, quoting its database's 'connection refused'", async () => {
    const message = 'internal: charge failed: dial tcp 10.0.0.7:5432: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: rpc('internal'), status: { code: 2, message } },
      [CALLEE]: { attributes: rpc('internal'), status: { code: 2, message } },
    });
    expect(await verdict('rpc-internal.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it('takes a call the client could not connect (error.type unavailable, connection refused) for one that reached nobody', async () => {
    const message = 'unavailable: dial tcp 10.0.0.9:8080: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: rpc('unavailable', true), status: { code: 2, message } },
      [CALLEE]: { attributes: rpc() },
    });
    expect(await verdict('rpc-refused.jsonl', dump)).toEqual([1, neverReached]);
  });

  it('ties the new trace to a call payment-api answered UNAVAILABLE itself (gRPC, its SERVER span saying so)', async () => {
    const message = 'payment store unavailable: dial tcp 10.0.0.7:5432: connect: connection refused';
    const grpc = { 'rpc.system.name': 'grpc', 'rpc.response.status_code': 'UNAVAILABLE' };
    const dump = otlp({
      [CALL]: { attributes: grpc, status: { code: 2, message } },
      [CALLEE]: { attributes: grpc, status: { code: 2, message } },
    });
    expect(await verdict('rpc-unavailable.jsonl', dump)).toEqual([1, broken(W3C)]);
  });
});

describe('tracehop check of a Java call whose exception is a wrapper (the cause in its message)', () => {
  const quoted = '"{"message":"charge failed: connect ECONNREFUSED 10.0.0.7:5432"}"';
  it.each([
    [
      'java.util.concurrent.CompletionException',
      `org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 Internal Server Error: ${quoted}`,
    ],
    [
      'java.util.concurrent.ExecutionException',
      `feign.FeignException$InternalServerError: [500 Internal Server Error] during [POST] to [http://payment-api:8080/payments] [PaymentClient#charge(Charge)]: [${quoted}]`,
    ],
  ])("ties the new trace to a call a %s ended, its cause the callee's 500 quoting a refusal", async (type, message) => {
    const dump = otlp({
      [CALL]: { attributes: {}, status: { code: 2 }, exceptions: [{ type, message }] },
      [CALLEE]: { attributes: { 'http.response.status_code': 500 }, status: { code: 2 } },
    });
    expect(await verdict('wrapped-answer.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it.each([
    [
      'org.springframework.web.client.ResourceAccessException',
      'I/O error on POST request for "http://payment-api:8080/payments": Connection refused; nested exception is java.net.ConnectException: Connection refused',
    ],
    ['java.util.concurrent.CompletionException', 'java.net.ConnectException: Connection refused'],
    [
      'reactor.core.Exceptions$ReactiveException',
      'io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: payment-api/10.0.0.9:8080',
    ],
  ])(
    'still takes a call a %s ended, its cause a refused connection, for one that reached nobody',
    async (type, message) => {
      const dump = otlp({
        [CALL]: { attributes: {}, status: { code: 2 }, exceptions: [{ type, message }] },
        [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
      });
      expect(await verdict('wrapped-refusal.jsonl', dump)).toEqual([1, neverReached]);
    },
  );
});

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
        "was answered (HTTP 503, by a proxy that had forwarded the request: its upstream connection reset or timed out) but payment-api left no span of it in the dump: the request arrived sampled out (a hop that cleared the sampled flag makes a ParentBased sampler record nothing), or payment-api's spans were not exported",
      ),
    ]);
  });

  it('still takes the call for a failed attempt when Envoy forwarded nothing (UF,URX)', async () => {
    expect(await judge(dump('UF,URX'))).toEqual([
      1,
      missing(
        "failed (its span's status is ERROR) and got no answer in this trace: most likely it never reached payment-api, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)",
      ),
    ]);
  });
});

describe('tracehop check of a call through Envoy sidecars without spawn_upstream_span (one span a proxy a request)', () => {
  /** The Istio sidecar's span of the payment call (its route's name), answered 503 with these flags. */
  const sidecarSpan = (id: string, parent: string, kind: number, cluster: string, flags: string): unknown => ({
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
  /** neverReached with the sidecar's span, which names the call. */
  const sidecarNeverReached = (id: string): unknown => ({
    ...neverReached,
    spans: 8,
    problems: neverReached.problems.map((problem) => ({
      ...problem,
      message: problem.message.replace(
        '"POST /payments" (fe444bd4)',
        `"payment-api.default.svc.cluster.local:8080/*" (${id.slice(0, 8)})`,
      ),
    })),
  });
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
    ['UC', brokenThrough(8)],
    ['UF', sidecarNeverReached('b2b2b2b2b2b2b2b2')],
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
});

describe("tracehop check of a call Feign's RetryableException ended, quoting OkHttp's refusal of a named host", () => {
  it('takes it for one that reached nobody: no new trace started meanwhile is its', async () => {
    const message = 'Failed to connect to payment-api/10.0.0.9:8080 executing POST http://payment-api:8080/payments';
    const dump = otlp({
      [CALL]: { attributes: {}, status: { code: 2 }, exceptions: [{ type: 'feign.RetryableException', message }] },
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    expect(await verdict('feign-okhttp.jsonl', dump)).toEqual([1, neverReached]);
  });
});
