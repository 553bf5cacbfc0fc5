import { makeSpan } from '../../model/test-support/make-span';
import type { Attributes, Span, SpanException } from '../../model';
import { answeredAnyway, neverSent, outsideClosedCall } from './call-answers';

/** A failed CLIENT span (status ERROR) with these attributes and status message. */
const failed = (attributes: Attributes, statusMessage?: string): Span => ({
  ...makeSpan({ id: 'c', kind: 'client', name: 'POST' }),
  attributes: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:38017/payments', ...attributes },
  statusCode: 2,
  ...(statusMessage !== undefined ? { statusMessage } : {}),
});

describe('neverSent', () => {
  it('takes the refused call @opentelemetry/instrumentation-http 0.223 records: error.type "Error", the code in the status message', () => {
    // As the SDK wrote it for a node:http POST to a closed loopback port (the exception event's ECONNREFUSED
    // is not kept; the status message says the same).
    expect(neverSent(failed({ 'error.type': 'Error' }, 'connect ECONNREFUSED 127.0.0.1:38017'))).toBe(true);
    expect(neverSent(failed({ 'error.type': 'Error' }, 'getaddrinfo ENOTFOUND payment-api'))).toBe(true);
    expect(neverSent(failed({ 'error.type': 'Error' }, 'getaddrinfo EAI_AGAIN payment-api'))).toBe(true);
    expect(neverSent(failed({ 'error.type': 'Error' }, 'connect EHOSTUNREACH 10.0.0.9:443'))).toBe(true);
    // The same without error.type (older instrumentations), and the same print with no status message.
    expect(neverSent(failed({}, 'connect ECONNREFUSED ::1:8080'))).toBe(true);
    expect(neverSent(failed({ 'error.type': 'Error' }))).toBe(false);
  });

  it('takes other SDKs’ messages of a connection never made when error.type names no cause', () => {
    const taken = [
      [{ 'error.type': 'java.net.ConnectException' }, 'Connection refused'],
      [{ 'error.type': '_OTHER' }, 'java.net.ConnectException: Failed to connect to payment-api/10.0.0.9:8080'],
      [
        { 'error.type': 'org.springframework.web.client.ResourceAccessException' },
        'I/O error on POST request for "http://payment-api:8080/payments": Connection refused',
      ],
      [
        { 'error.type': 'requests.exceptions.ConnectionError' },
        "HTTPConnectionPool(host='payment-api', port=8080): Max retries exceeded with url: /payments (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))",
      ],
      [{}, 'Post "http://payment-api:8080/payments": dial tcp 10.0.0.9:8080: connect: connection refused'],
      [{}, 'Post "http://payment-api:8080/payments": dial tcp: lookup payment-api on 10.0.0.2:53: no such host'],
      [{}, 'java.net.UnknownHostException: payment-api'],
      [
        { 'error.type': 'System.Net.Http.HttpRequestException' },
        'No connection could be made because the target machine actively refused it.',
      ],
    ] as const;
    expect(taken.map(([attributes, message]) => neverSent(failed(attributes, message)))).toEqual(taken.map(() => true));
  });

  it('takes Spring 6’s and Netty’s words for a host whose name did not resolve, the message naming only the host', () => {
    const taken = [
      // RestTemplate / RestClient: the UnknownHostException's message is the host alone.
      [
        { 'error.type': 'org.springframework.web.client.ResourceAccessException' },
        'I/O error on POST request for "http://payments.internal:8080/payments": payments.internal',
      ],
      // The JDK resolver's words after the host (Linux, macOS).
      [
        {},
        'I/O error on GET request for "https://payments.internal/charges": payments.internal: Name or service not known',
      ],
      [{}, 'payments.internal: nodename nor servname provided, or not known'],
      [{}, 'payments.internal: Temporary failure in name resolution'],
      // WebClient on Reactor Netty: WebClientRequestException carries Netty's resolver's message.
      [
        { 'error.type': 'org.springframework.web.reactive.function.client.WebClientRequestException' },
        "Failed to resolve 'payments.internal' [A(1), AAAA(28)] after 2 queries ",
      ],
      [{}, "java.net.UnknownHostException: Failed to resolve 'payments.internal' after 4 queries "],
      // urllib3 2's NameResolutionError, quoted by requests.
      [
        { 'error.type': 'requests.exceptions.ConnectionError' },
        "HTTPConnectionPool(host='payments.internal', port=80): Max retries exceeded with url: /payments (Caused by NameResolutionError(\"<urllib3.connection.HTTPConnection object at 0x7f>: Failed to resolve 'payments.internal' ([Errno -2] Name or service not known)\"))",
      ],
    ] as const;
    expect(taken.map(([attributes, message]) => neverSent(failed(attributes, message)))).toEqual(taken.map(() => true));
    // A cause that is not the URL's host (a proxy's name, a path), or no URL Spring could have written, says nothing.
    const left = [
      'I/O error on POST request for "http://payments.internal:8080/payments": proxy.internal',
      'I/O error on POST request for "http://payments.internal:8080/payments": Read timed out',
      'I/O error on POST request for "not a url": not',
    ];
    expect(left.map((message) => neverSent(failed({}, message)))).toEqual(left.map(() => false));
  });

  it('takes an UnknownHostException whose message, the host alone, is the status message (Micrometer’s OTel bridge)', () => {
    // Micrometer Tracing's OTel bridge records the exception and sets the status to its message.
    const exceptions: SpanException[] = [{ type: 'java.net.UnknownHostException', message: 'payments.internal' }];
    expect(neverSent({ ...failed({}, 'payments.internal'), exceptions })).toBe(true);
    // The same message beside an exception of another kind is no such thing.
    const timeout: SpanException[] = [{ type: 'java.net.SocketTimeoutException', message: 'payments.internal' }];
    expect(neverSent({ ...failed({}, 'payments.internal'), exceptions: timeout })).toBe(false);
    // Brave through Micrometer: the error's simple class name in `exception`, its message alone in `error`.
    const brave = { status: 'CLIENT_ERROR', outcome: 'UNKNOWN', exception: 'UnknownHostException' };
    expect(neverSent(failed(brave, 'payments.internal'))).toBe(true);
    expect(neverSent(failed({ ...brave, exception: 'SocketTimeoutException' }, 'payments.internal'))).toBe(false);
    // An `exception` field with no Micrometer HTTP tags beside it is the application's own.
    expect(neverSent(failed({ exception: 'UnknownHostException' }, 'payments.internal'))).toBe(false);
  });

  it('takes OkHttp’s and URLSession’s words for a connection never made, as they write them, and not Android’s connect timeout', () => {
    const taken = [
      'Failed to connect to /10.0.2.2:8080',
      'Could not connect to the server.',
      'A server with the specified hostname could not be found.',
      'The Internet connection appears to be offline.',
    ];
    expect(taken.map((message) => neverSent(failed({}, message)))).toEqual(taken.map(() => true));
    const timeout = 'failed to connect to /10.0.2.2 (port 8080) from /10.0.2.16 (port 45678) after 10000ms';
    expect(neverSent(failed({}, timeout))).toBe(false);
    expect(neverSent(failed({}, 'The request timed out.'))).toBe(false);
  });

  it('does not take a timeout, a reset or a closed socket: the request may have arrived', () => {
    const left = [
      'read ECONNRESET',
      'socket hang up',
      'connect ETIMEDOUT 10.0.0.9:8080',
      'Connection reset by peer',
      'java.net.SocketTimeoutException: Read timed out',
      'Post "http://payment-api:8080/payments": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      'The operation was aborted due to timeout',
      'Request failed: not connected to refused-payments',
    ];
    expect(left.map((message) => neverSent(failed({ 'error.type': 'Error' }, message)))).toEqual(left.map(() => false));
  });

  it('does not take a message when error.type names another cause, an answer, or a status other than ERROR', () => {
    const refused = 'connect ECONNREFUSED 127.0.0.1:38017';
    expect(neverSent(failed({ 'error.type': 'ETIMEDOUT' }, refused))).toBe(false);
    expect(neverSent(failed({ 'error.type': '503' }, refused))).toBe(false);
    expect(neverSent(failed({ 'error.type': 'Error', 'http.response.status_code': 503 }, refused))).toBe(false);
    expect(neverSent({ ...failed({ 'error.type': 'Error' }, refused), statusCode: 0 })).toBe(false);
  });

  it('does not take a quoted refusal when the call says a server answered it, under keys other than the HTTP status', () => {
    const quoted = 'charge failed: dial tcp 10.0.0.7:5432: connect: connection refused';
    const answered = [
      failed({ status: '500', outcome: 'SERVER_ERROR' }, quoted),
      failed({ status: 500, outcome: 'SERVER_ERROR' }, quoted),
      failed({}, `500 Internal Server Error: "{"message":"${quoted}"}"`),
      failed({ 'rpc.grpc.status_code': 13 }, quoted),
      failed({ 'grpc.status_code': 'INTERNAL' }, quoted),
      // Feign's FeignException and Retrofit's HttpException open with the answer's status in their own words.
      failed({}, `[500 Internal Server Error] during [POST] to [http://payment-api/payments] [Api#pay()]: [${quoted}]`),
      failed({}, `[503] during [POST] to [http://payment-api/payments] [Api#pay()]: [${quoted}]`),
      failed({}, `HTTP 500 Internal Server Error: ${quoted}`),
    ];
    expect(answered.map(neverSent)).toEqual([false, false, false, false, false, false, false, false]);
    // Micrometer's words for no answer at all: status IO_ERROR, outcome UNKNOWN.
    const refused = 'I/O error on POST request for "http://payment-api:8080/payments": Connection refused';
    expect(neverSent(failed({ status: 'IO_ERROR', outcome: 'UNKNOWN' }, refused))).toBe(true);
    // Micrometer writes status and outcome together: either alone is someone else's field, saying no answer came.
    expect(
      ([{ status: '500' }, { outcome: 'SERVER_ERROR' }, { status: 'paid', outcome: 'SUCCESS' }] as Attributes[]).map(
        (attributes) => neverSent(failed(attributes, quoted)),
      ),
    ).toEqual([true, true, true]);
    // UNAVAILABLE is what a gRPC client gives a connection it could not make.
    const unavailable =
      'connection error: desc = "transport: Error while dialing: dial tcp 10.0.0.9:50051: connect: connection refused"';
    expect(neverSent(failed({ 'rpc.grpc.status_code': 14 }, unavailable))).toBe(true);
    expect(neverSent(failed({ 'grpc.status_code': 'UNAVAILABLE' }, unavailable))).toBe(true);
  });

  it('reads the exception events of a span whose status message is empty, as it reads the status message', () => {
    const withExceptions = (attributes: Attributes, ...exceptions: SpanException[]): Span => ({
      ...failed(attributes),
      exceptions,
    });
    const taken = [
      withExceptions({}, { type: 'java.net.ConnectException', message: 'Connection refused' }),
      withExceptions({}, { type: 'ConnectionRefusedError', message: '[Errno 111] Connection refused' }),
      withExceptions({}, { type: '*net.OpError', message: 'dial tcp 10.0.0.9:8080: connect: connection refused' }),
      withExceptions(
        { 'error.type': 'System.Net.Http.HttpRequestException' },
        { message: 'No connection could be made because the target machine actively refused it. (payment-api:8080)' },
      ),
    ];
    const left = [
      withExceptions({}, { type: 'java.net.SocketTimeoutException', message: 'Read timed out' }),
      withExceptions({ 'error.type': 'ETIMEDOUT' }, { message: 'connect ECONNREFUSED 10.0.0.9:8080' }),
      // Spring's exception for an error answer quotes its body: a server answered.
      withExceptions(
        {},
        {
          type: 'org.springframework.web.client.HttpServerErrorException$InternalServerError',
          message: '500 Internal Server Error: "charge failed: connect ECONNREFUSED 10.0.0.7:5432"',
        },
      ),
    ];
    expect([taken.map(neverSent), left.map(neverSent)]).toEqual([
      [true, true, true, true],
      [false, false, false],
    ]);
  });

  it('reads no exception event of an error other than the one the span ended with', () => {
    // A first try refused, recorded as an exception event, before a read timeout ended the span.
    const refused = { type: 'java.net.ConnectException', message: 'Connection refused' };
    const endedOther: Span[] = [
      { ...failed({}, 'java.net.SocketTimeoutException: Read timed out'), exceptions: [refused] },
      { ...failed({}, 'Read timed out'), exceptions: [refused] },
      { ...failed({ 'error.type': 'java.net.SocketTimeoutException' }), exceptions: [refused] },
    ];
    expect(endedOther.map(neverSent)).toEqual([false, false, false]);
    // Two tries refused, a third timed out: the span ended with the timeout.
    expect(neverSent({ ...failed({}, 'Read timed out'), exceptions: [refused, refused] })).toBe(false);
    expect(neverSent({ ...failed({ 'error.type': 'java.net.ConnectException' }), exceptions: [refused] })).toBe(true);
  });

  it('takes a span that holds several attempts only when an exception event of each says it reached nobody', () => {
    const refused = { type: 'java.net.ConnectException', message: 'Connection refused' };
    const timedOut = { type: 'java.net.SocketTimeoutException', message: 'Read timed out' };
    const attempts: Span[] = [
      // Retried within the span, each attempt's error recorded: the first may have reached payment-api.
      { ...failed({}), exceptions: [timedOut, refused] },
      // Every attempt refused: none reached anybody.
      { ...failed({}), exceptions: [refused, refused] },
    ];
    expect(attempts.map(neverSent)).toEqual([false, true]);
  });

  it("judges a resent request's own span (http.request.resend_count) by its own error, as any other span", () => {
    // The semantic conventions give each attempt (a retry, a redirect followed) a span of its own, the count on
    // the ones after the first: a refused resend reached nobody, whatever the attempts before it did.
    const refused = { type: 'java.net.ConnectException', message: 'Connection refused' };
    const python =
      "HTTPConnectionPool(host='payment-api', port=8080): Max retries exceeded with url: /payments (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))";
    const resent: Span[] = [
      failed({ 'error.type': 'requests.exceptions.ConnectionError', 'http.request.resend_count': 1 }, python),
      failed({ 'error.type': 'ECONNREFUSED', 'http.resend_count': '2' }),
      { ...failed({ 'http.request.resend_count': 1 }), exceptions: [refused] },
      failed({ 'error.type': 'java.net.SocketTimeoutException', 'http.request.resend_count': 1 }),
    ];
    expect(resent.map(neverSent)).toEqual([true, true, true, false]);
  });

  it('still takes an error.type that names a connection never made, with or without a message', () => {
    expect(neverSent(failed({ 'error.type': 'ECONNREFUSED' }))).toBe(true);
    expect(neverSent(failed({ 'error.type': 'ECONNREFUSED' }, 'fetch failed'))).toBe(true);
  });
});

describe('answeredAnyway', () => {
  const unavailable = (kind: 'client' | 'server', key = 'rpc.grpc.status_code', value: string | number = 14): Span => ({
    ...makeSpan({ id: kind === 'client' ? 'c' : 's', kind, name: 'payments.Payments/Charge' }),
    attributes: { 'rpc.system': 'grpc', [key]: value },
    statusCode: 2,
  });

  it('takes a SERVER span that answered UNAVAILABLE itself for one that the call reached, in either tag', () => {
    const call = unavailable('client');
    expect([
      answeredAnyway(call, unavailable('server')),
      answeredAnyway(
        unavailable('client', 'grpc.status_code', 'UNAVAILABLE'),
        unavailable('server', 'grpc.status_code', 'UNAVAILABLE'),
      ),
      answeredAnyway(call, unavailable('server', 'rpc.grpc.status_code', 0)),
      answeredAnyway(call, unavailable('client')),
      answeredAnyway(unavailable('client', 'rpc.grpc.status_code', 13), unavailable('server')),
    ]).toEqual([true, true, false, false, false]);
  });
});

describe('outsideClosedCall', () => {
  /** The app's POST /checkout as undici's instrumentation records it, ended by an error and no answer. */
  const closed = (errorType: string, statusMessage: string): Span =>
    failed({ 'url.full': 'http://127.0.0.1:42967/checkout', 'error.type': errorType }, statusMessage);
  /** api-gateway's root SERVER span of a new trace, answered `status` and ended at `end`. */
  const answered = (status: number, end: number): Span => ({
    ...makeSpan({ id: 's', service: 'api-gateway', kind: 'server', name: 'POST', start: 1300, end }),
    attributes: { 'http.request.method': 'POST', 'url.path': '/checkout', 'http.response.status_code': status },
  });

  it('takes an answer written after the other side closed the connection, or a start outside the call, for another request', () => {
    const socket = closed('UND_ERR_SOCKET', 'other side closed');
    expect([
      // The real-SDK case: failed at 2000 ms, the new trace answered 200 at 3000 ms.
      outsideClosedCall(socket, answered(200, 3000)),
      // node:http's words for the same, its error.type only "Error".
      outsideClosedCall(closed('Error', 'socket hang up'), answered(200, 3000)),
      outsideClosedCall(closed('ECONNRESET', 'read ECONNRESET'), answered(404, 3000)),
      // Ended within the stamp's resolution of the failure, or before it; or the callee's clock 1.5 s ahead.
      outsideClosedCall(socket, answered(200, 2001)),
      outsideClosedCall(socket, answered(200, 1900)),
      outsideClosedCall(socket, { ...answered(200, 3000), startTimeMs: 2800 }, 1500),
      // A server error of the callee's own, or no status: nothing says it answered another.
      outsideClosedCall(socket, answered(500, 3000)),
      outsideClosedCall(socket, { ...answered(200, 3000), attributes: {} }),
      // The client gave up (a timeout, an abort): the callee may have gone on with the request.
      outsideClosedCall(closed('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'), answered(200, 3000)),
      outsideClosedCall(closed('AbortError', 'This operation was aborted'), answered(200, 3000)),
      outsideClosedCall(closed('Error', 'socket hang up, after a timeout'), answered(200, 3000)),
      // Started 30 s before the call, or just after it failed: never its request, whatever it answered.
      outsideClosedCall(socket, { ...answered(500, 3000), startTimeMs: -29_000, endTimeMs: -28_000 }),
      outsideClosedCall(socket, { ...answered(500, 3000), startTimeMs: 2002 }),
      // ... unless the client gave up itself.
      outsideClosedCall(closed('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'), {
        ...answered(200, 3000),
        startTimeMs: 2002,
      }),
    ]).toEqual([true, true, true, false, false, false, false, false, false, false, false, true, true, false]);
  });

  it("reads other clients' words for a connection closed before any answer, and not their words for a timeout", () => {
    const later = answered(200, 3000);
    const closedBy = ([errorType, message]: readonly [string, string]) =>
      outsideClosedCall(closed(errorType, message), later);
    expect(
      [
        ['java.net.SocketException', 'Connection reset'],
        ['java.net.SocketException', 'java.net.SocketException: Connection reset by peer'],
        ['java.net.SocketException', 'Broken pipe (Write failed)'],
        ['java.io.IOException', 'unexpected end of stream on http://api.example.com/...'],
        ['NSURLErrorDomain', 'The network connection was lost.'],
        ['_OTHER', 'The network connection was lost.'],
        ['RemoteDisconnected', 'Remote end closed connection without response'],
        [
          'requests.exceptions.ConnectionError',
          "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
        ],
        [
          '*url.Error',
          'Post "http://api:8080/checkout": read tcp 10.0.0.5:41234->10.0.0.9:8080: read: connection reset by peer',
        ],
        ['*url.Error', 'Post "http://api:8080/checkout": EOF'],
        ['java.net.SocketTimeoutException', 'Read timed out'],
        ['NSURLErrorDomain', 'The request timed out.'],
        ['*url.Error', 'Post "http://api:8080/checkout": context deadline exceeded'],
      ].map((words) => closedBy(words as [string, string])),
    ).toEqual([true, true, true, true, true, true, true, true, true, true, false, false, false]);
  });
});
