import {
  B3,
  broken,
  CALL,
  CALLEE,
  envoyNeverReached,
  neverReached,
  otlp,
  verdict,
  W3C,
  zipkin,
  type Edits,
} from './support-call-answers';

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
    expect(await verdict('business-outcome.jsonl', dump)).toEqual([
      1,
      neverReached('connect ECONNREFUSED 10.0.0.9:8080'),
    ]);
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
    expect(await verdict('java-refused.jsonl', dump)).toEqual([1, neverReached()]);
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
    expect(await verdict('grpc-refused.jsonl', dump)).toEqual([
      1,
      neverReached(
        'connection error: desc = "transport: Error while dialing: dial tcp 10.0.0.9:50051: connect: connection refused"',
      ),
    ]);
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
      expect(await verdict('resent.jsonl', dump)).toEqual([1, neverReached(message)]);
    },
  );
});

describe('tracehop check of a call Envoy answered 503 after forwarding it, its callee having started a new trace', () => {
  /** Envoy's upstream span (spawn_upstream_span) for a request whose upstream connection was reset. */
  const envoyCall = (flags: string, more: Record<string, string> = {}): Edits[string] => ({
    attributes: {
      'http.status_code': '503',
      response_flags: flags,
      ...more,
      upstream_cluster: 'outbound|8080||payment-api.default.svc.cluster.local',
      upstream_address: '10.0.0.9:8080',
      component: 'proxy',
    },
    status: { code: 2 },
  });

  it.each([
    ['UR (upstream remote reset), the callee having answered 200', 'UR', 200],
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
    ['UF,URX (no upstream connection made, after retries)', 'UF,URX', {}],
    ['UH (no healthy upstream)', 'UH', {}],
    // HTTP/2 REFUSED_STREAM: the upstream processed nothing of it, though Envoy flags it UR as any remote reset.
    ['UR, its error.reason a refused stream', 'UR', { 'error.reason': 'remote refused stream reset' }],
    [
      'URX,UR, its response_code_details a refused stream',
      'URX,UR',
      { response_code_details: 'upstream_reset_before_response_started{remote_refused_stream_reset}' },
    ],
  ])('leaves the new trace to another client when Envoy answered 503 with %s', async (_label, flags, more) => {
    const dump = otlp({
      [CALL]: envoyCall(flags, more),
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    expect(await verdict('envoy-turned-away.jsonl', dump)).toEqual([1, envoyNeverReached(`response_flags ${flags}`)]);
  });
});

describe("tracehop check of a call whose error quotes Envoy's own 503 body for an upstream it never reached", () => {
  // Envoy's body when no upstream connection was made (its response flag UF): the callee never got the request.
  const body = (reason: string): string =>
    `503 Service Unavailable: "upstream connect error or disconnect/reset before headers. reset reason: ${reason}, transport failure reason: delayed connect error: 111"`;

  // The verdict quotes a status message cut at 120 characters; an exception's message is not quoted.
  const cut = '503 Service Unavailable: "upstream connect error or disconnect/reset before headers. reset reason: ';
  it.each([
    ['connection failure', 'the status message', undefined, `${cut}connection failure...`],
    ['remote connection failure', 'the status message', undefined, `${cut}remote connection ...`],
    ['connection failure', 'an ExecutionException', 'java.util.concurrent.ExecutionException', undefined],
    ['remote connection failure', 'a CompletionException', 'java.util.concurrent.CompletionException', undefined],
    ['remote refused stream reset', 'the status message', undefined, `${cut}remote refused str...`],
    ['remote refused stream reset', 'an ExecutionException', 'java.util.concurrent.ExecutionException', undefined],
  ])(
    'takes the call for one that reached nobody (reset reason: %s, quoted in %s)',
    async (reason, _where, wrapper, shown) => {
      const message = body(reason);
      const quoted = `org.springframework.web.client.HttpServerErrorException$ServiceUnavailable: ${message}`;
      const dump = otlp({
        [CALL]:
          wrapper === undefined
            ? { attributes: {}, status: { code: 2, message } }
            : { attributes: {}, status: { code: 2 }, exceptions: [{ type: wrapper, message: quoted }] },
        [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
      });
      expect(await verdict('envoy-refused.jsonl', dump)).toEqual([1, neverReached(shown)]);
    },
  );

  it('leaves a new trace answered 503 to another client when the call answered 503 quotes that body', async () => {
    // The status is Envoy's own (as its flag UF says): payment-api's 503 is another request's.
    const dump = otlp({
      [CALL]: {
        attributes: { 'http.response.status_code': 503 },
        status: { code: 2, message: body('connection failure') },
      },
      [CALLEE]: { attributes: { 'http.response.status_code': 503 }, status: { code: 2 } },
    });
    expect(await verdict('envoy-refused-503.jsonl', dump)).toEqual([
      1,
      envoyNeverReached("the call's error quotes Envoy's own answer"),
    ]);
  });

  it('still ties the new trace to a call whose quoted Envoy body says the upstream connection closed (connection termination)', async () => {
    const quoted = `org.springframework.web.client.HttpServerErrorException$ServiceUnavailable: 503 Service Unavailable: "upstream connect error or disconnect/reset before headers. reset reason: connection termination"`;
    const dump = otlp({
      [CALL]: {
        attributes: {},
        status: { code: 2 },
        exceptions: [{ type: 'java.util.concurrent.ExecutionException', message: quoted }],
      },
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    expect(await verdict('envoy-reset.jsonl', dump)).toEqual([1, broken(W3C)]);
  });
});

describe('tracehop check of a Spring 6 call to a host whose name did not resolve, its message naming only the host', () => {
  it.each([
    [
      'RestClient through the OTel bridge: ResourceAccessException, its cause the host alone',
      'org.springframework.web.client.ResourceAccessException',
      'I/O error on POST request for "http://payments.internal:8080/payments": payments.internal',
    ],
    [
      "WebClient on Reactor Netty: WebClientRequestException, Netty's resolver's words",
      'org.springframework.web.reactive.function.client.WebClientRequestException',
      "Failed to resolve 'payments.internal' [A(1), AAAA(28)] after 2 queries ",
    ],
    [
      'an UnknownHostException recorded as it is, the status its message',
      'java.net.UnknownHostException',
      'payments.internal',
    ],
  ])('takes the call for one that reached nobody (%s)', async (_label, type, message) => {
    // Micrometer Tracing's OTel bridge: the exception recorded, the status set to its message.
    const dump = otlp({
      [CALL]: {
        attributes: { outcome: 'UNKNOWN', status: 'CLIENT_ERROR', exception: type.split('.').at(-1) as string },
        status: { code: 2, message },
        exceptions: [{ type, message }],
      },
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    expect(await verdict('spring-unknown-host.jsonl', dump)).toEqual([1, neverReached(message.trim())]);
  });
});
