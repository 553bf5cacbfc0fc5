/**
 * What a call's answer, or its failure, says of where its request went: nowhere (neverSent), or to someone other
 * than the callee that started a new trace on its route (answeredByOther).
 */
import { hasTime, type Span, type SpanException } from '../../model';
import { runningAt, START_RESOLUTION_MS } from './callee-clock';
import { micrometerHttp, responseStatus } from './routes';

/**
 * `error.type` values that say a call never reached a server: no connection was made (refused, no route, no
 * name, connect timeout, offline) on Node.js, undici, the JVM, OkHttp and URLSession. A timeout waiting for the
 * answer, an abort or a reset is not one of them: the request may well have arrived.
 */
const NEVER_SENT =
  /^(?:ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT|ERR_INTERNET_DISCONNECTED|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION_REFUSED|(?:java\.net\.)?(?:ConnectException|UnknownHostException|NoRouteToHostException)|NSURLErrorNotConnectedToInternet|NSURLErrorCannotConnectToHost|NSURLErrorCannotFindHost|-100[349])$/;

/**
 * Status messages that say no connection was made: Node.js's `connect ECONNREFUSED 127.0.0.1:8080`, `getaddrinfo
 * ENOTFOUND host` (what @opentelemetry/instrumentation-http records, its `error.type` only "Error"), Go's `dial
 * tcp ...: connect: connection refused` and `lookup host ...: no such host`, the JVM's and Python's `Connection
 * refused` and `java.net.ConnectException: ...`, .NET's "actively refused it". A connect or read timeout, a reset
 * or a closed socket says nothing of whether the request arrived, so none of them is one.
 */
const NEVER_SENT_MESSAGE =
  /\b(?:connect (?:ECONNREFUSED|ENETUNREACH|EHOSTUNREACH)|getaddrinfo (?:ENOTFOUND|EAI_AGAIN))\b|\bconnection refused\b|: no such host\b|\bjava\.net\.(?:ConnectException|UnknownHostException|NoRouteToHostException)\b|\bactively refused it\b/i;

/**
 * The same, in the words of clients whose messages name no code, matched as they write them: OkHttp's
 * ConnectException (`Failed to connect to /10.0.2.2:8080`, or with the host's name, `Failed to connect to
 * payment-api/10.0.0.9:8080`, as Feign's RetryableException quotes it too, `... executing POST http://...`;
 * Android's connect timeout, `failed to connect to ... after 10000ms`, is not one) and URLSession's descriptions of NSURLErrorCannotConnectToHost,
 * NSURLErrorCannotFindHost and NSURLErrorNotConnectedToInternet.
 */
const NEVER_SENT_WORDS =
  /^(?:Failed to connect to [\w.-]*\/|Could not connect to the server\.|A server with the specified hostname could not be found\.|The Internet connection appears to be offline\.)/;

/**
 * A name that did not resolve, in the words of clients whose messages name no exception class: Netty's DNS
 * resolver (`Failed to resolve 'payments.internal' [A(1), AAAA(28)] after 2 queries `, the message of the
 * java.net.UnknownHostException that Reactor Netty, and so Spring's WebClient and its WebClientRequestException,
 * carry; urllib3's `Failed to resolve 'payments.internal' ([Errno -2] Name or service not known)`), and the
 * resolver's own words the JDK quotes after the host (`payments.internal: Name or service not known`; glibc's
 * "Temporary failure in name resolution", macOS's "nodename nor servname provided, or not known").
 */
const UNRESOLVED_WORDS =
  /\bFailed to resolve '[^'\s]+'|: (?:Name or service not known|Temporary failure in name resolution|nodename nor servname provided, or not known)\b/;

/**
 * Spring 6's ResourceAccessException (RestTemplate, RestClient): `I/O error on POST request for "<url>": <the
 * cause's message>`. An UnknownHostException's message is the host alone, so a cause's message that is the
 * URL's host (or opens with it and a colon, as the JDK adds the resolver's words) names a name that did not resolve.
 */
const SPRING_IO_ERROR = /^I\/O error on [A-Z]+ request for "([^"]+)": (.+)$/s;

/** Whether a message is Spring's I/O error for an unknown host: its cause's message is the URL's host (see SPRING_IO_ERROR). */
function springUnknownHost(message: string): boolean {
  const match = SPRING_IO_ERROR.exec(message);
  if (match === null) return false;
  const [, url = '', cause = ''] = match;
  if (!URL.canParse(url)) return false;
  const host = new URL(url).hostname;
  return host !== '' && (cause === host || cause.startsWith(`${host}: `));
}

/**
 * `error.type` values that name no cause: absent, `_OTHER`, or an error class (`Error`, `TypeError`,
 * `requests.exceptions.ConnectionError`, `org.springframework.web.client.ResourceAccessException`), whose status
 * message then tells the cause.
 */
const GENERIC_ERROR_TYPE = /^(?:_OTHER|(?:[\w$]+\.)*[\w$]*(?:Error|Exception))$/;

/**
 * Micrometer's `outcome` tag for an answer of any status; it writes UNKNOWN when none came (with `status`
 * IO_ERROR or CLIENT_ERROR). Read only beside Micrometer's `status` (see micrometerHttp).
 */
const ANSWERED_OUTCOME = /^(?:INFORMATIONAL|SUCCESS|REDIRECTION|CLIENT_ERROR|SERVER_ERROR)$/;

/**
 * Connect RPC's error code (connect-go's otelconnect, connect-es): a string ("unavailable", "internal", ...),
 * written only for a failed call, beside `rpc.system` connect_rpc, where gRPC writes `rpc.grpc.status_code`.
 */
const CONNECT_CODE = 'rpc.connect_rpc.error_code';

/**
 * The RPC status the newer semantic conventions write for every RPC system, in place of `rpc.grpc.status_code`
 * and `rpc.connect_rpc.error_code`: the code's name ("UNAVAILABLE", Connect's "unavailable", "OK").
 */
const RPC_STATUS = 'rpc.response.status_code';

/**
 * Whether an RPC status code is UNAVAILABLE: its name, in gRPC's words or Connect's, or gRPC's number for it
 * (14, as `rpc.grpc.status_code` holds it, a string where a tracer writes every tag as one, as Zipkin's do).
 */
const namesUnavailable = (code: unknown): boolean =>
  code === 14 || (typeof code === 'string' && (code === '14' || code.toUpperCase() === 'UNAVAILABLE'));

/**
 * A message that opens with an answer's HTTP status: "500 Internal Server Error: ..." (Spring's
 * HttpServerErrorException), "[500 Internal Server Error] during [POST] to [...]" and "[503] during ..." (Feign's
 * FeignException), "HTTP 500 Internal Server Error" (Retrofit's HttpException).
 */
const STATUS_LINE = /^(?:[1-5]\d\d [A-Z]|\[[1-5]\d\d[\] ]|HTTP [1-5]\d\d\b)/;

/**
 * A Java exception's class name opening a message, as a wrapper writes its cause there (`cause.toString()`:
 * `java.util.concurrent.CompletionException`, `ExecutionException`, `reactor.core.Exceptions$ReactiveException`
 * hold `org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 ...`).
 */
const CAUSE_CLASS = /^(?:[a-z_][\w$]*\.)+[A-Z][\w$]*(?::\s*|$)/;

/**
 * What a message and each cause it quotes say, every one without the class names that open it: a wrapper's
 * message quotes its cause after the cause's class name, Spring 5's after `; nested exception is ` (a
 * ResourceAccessException's `I/O error on POST request for "...": ...; nested exception is java.net...`).
 */
function causes(message: string): string[] {
  return message.split('; nested exception is ').map((part) => {
    let text = part;
    for (let opening = CAUSE_CLASS.exec(text); opening !== null; opening = CAUSE_CLASS.exec(text))
      text = text.slice(opening[0].length);
    return text;
  });
}

/**
 * Whether a failed call says some server answered it, under keys that hold no HTTP status (responseStatus reads
 * those, Micrometer's `status` among them): Micrometer's `outcome` for an answer, a gRPC status or Connect error
 * code other than UNAVAILABLE (the one a client gives a connection it could not make; any other came from a
 * server), or a status message that opens with an HTTP status, or whose cause does (see STATUS_LINE and causes:
 * Spring's, Feign's and Retrofit's message for an error answer, which quotes the answer's body: a callee's own
 * "Connection refused" from its database; a CompletionException's holding one as its cause), unless the body
 * it quotes is Envoy's for an upstream it never reached (ENVOY_NOT_FORWARDED): Envoy answered that, not a server.
 */
function answeredElsewise(call: Span): boolean {
  const statusLine = (message: string | undefined): boolean =>
    message !== undefined &&
    causes(message).some((cause) => STATUS_LINE.test(cause) && !ENVOY_NOT_FORWARDED.test(cause));
  const outcome = call.attributes.outcome;
  if (micrometerHttp(call) && typeof outcome === 'string' && ANSWERED_OUTCOME.test(outcome)) return true;
  const grpc = call.attributes['rpc.grpc.status_code'];
  if (grpc !== undefined && grpc !== 14 && grpc !== '14') return true;
  const brave = call.attributes['grpc.status_code'];
  if (brave !== undefined && brave !== 'UNAVAILABLE') return true;
  for (const key of [CONNECT_CODE, RPC_STATUS]) {
    const code = call.attributes[key];
    if (code !== undefined && !namesUnavailable(code)) return true;
  }
  return statusLine(call.statusMessage) || (call.exceptions ?? []).some((exception) => statusLine(exception.message));
}

/**
 * Envoy's body for an error it answered itself, as a client quotes it in its error (Spring: `503 Service
 * Unavailable: "upstream connect error or disconnect/reset before headers. reset reason: connection failure,
 * transport failure reason: delayed connect error: 111"`), with a reset reason that says no upstream connection
 * was made, or none was tried (its response flags UF and UO): "connection failure" (older Envoys), "local
 * connection failure", "remote connection failure", "connection timeout", "overflow"; or that the upstream
 * refused the stream ("remote refused stream reset": HTTP/2's REFUSED_STREAM, sent before any processing, which
 * Envoy flags UR as it does a reset of a stream the upstream took). The status line it opens with is Envoy's,
 * not the callee's answer.
 */
const ENVOY_NOT_FORWARDED =
  /\bupstream connect error or disconnect\/reset before headers\. (?:retried and the latest )?reset reason: (?:(?:local |remote )?connection failure|connection timeout|overflow|remote refused stream reset)\b/;

/**
 * Whether a message says no connection was made (see NEVER_SENT_MESSAGE, NEVER_SENT_WORDS, ENVOY_NOT_FORWARDED),
 * or that the host's name did not resolve (UNRESOLVED_WORDS, springUnknownHost).
 */
const saysRefused = (message: string): boolean =>
  NEVER_SENT_MESSAGE.test(message) ||
  NEVER_SENT_WORDS.test(message) ||
  ENVOY_NOT_FORWARDED.test(message) ||
  UNRESOLVED_WORDS.test(message) ||
  springUnknownHost(message);

/**
 * Whether an exception event says no connection was made: its `exception.type` does (java.net.ConnectException,
 * an errno name), or it names no cause (an error class; Go's `*net.OpError`, `*url.Error`) and its message
 * does, as a status message would.
 */
function refusedException(exception: SpanException): boolean {
  const { type, message } = exception;
  if (type !== undefined && NEVER_SENT.test(type)) return true;
  return (
    message !== undefined &&
    (type === undefined || GENERIC_ERROR_TYPE.test(type.replace(/^\*/, ''))) &&
    saysRefused(message)
  );
}

/**
 * Whether a call failed before any server got it: its status is ERROR, it recorded no answer (no HTTP status,
 * nor one answeredElsewise finds), and its `error.type` names a connection that was never made, or names no
 * cause (see GENERIC_ERROR_TYPE) while its status message or an exception event does (see NEVER_SENT_MESSAGE,
 * NEVER_SENT_WORDS, refusedException: Java, .NET and Python record the error as an `exception` event and
 * often leave the status message empty; read only then, and only those of the error `error.type` names).
 * Without that evidence a failed call may have reached a callee that answered too late (a client timeout), so
 * it is not taken as one. A span that holds several attempts (retries
 * inside one span, an exception event each, as a retrying client wrapper leaves it) reached nobody only when
 * every exception event says so: its last attempt's refusal says nothing of the ones before, which may have
 * reached the callee. `http.request.resend_count` says no such thing: the semantic conventions give each attempt
 * (a retry, a redirect followed) a span of its own, the count on those after the first, so a resend's span is
 * judged by its own error as any other.
 */
export function neverSent(call: Span): boolean {
  if (call.statusCode !== 2 || responseStatus(call) !== undefined || answeredElsewise(call)) return false;
  const exceptions = call.exceptions ?? [];
  const message = call.statusMessage;
  // The status message and error.type tell the error the span ended with: an exception event of another
  // error (a refused first try, recorded before a read timeout ended the span) says nothing of that one.
  const said = message !== undefined && message !== '';
  if (exceptions.length > 1)
    return (!said || saysRefused(message)) && exceptions.every(refusedException) && !namesOtherCause(call);
  const type = call.attributes['error.type'];
  if (typeof type === 'string' && NEVER_SENT.test(type)) return true;
  if (namesOtherCause(call)) return false;
  // A status message that is an exception event's message (Micrometer Tracing's OTel bridge sets the status to
  // the error's message): that event's type tells what it was, though the message be the host alone
  // (java.net.UnknownHostException: "payments.internal").
  const typedBy = (exception: SpanException): boolean =>
    exception.message === message && exception.type !== undefined && NEVER_SENT.test(exception.type);
  if (micrometerNeverSent(call)) return true;
  if (said) return saysRefused(message) || exceptions.some(typedBy);
  const same = (exception: SpanException): boolean =>
    typeof type !== 'string' || type === '_OTHER' || exception.type === undefined || exception.type === type;
  return exceptions.some((exception) => same(exception) && refusedException(exception));
}

/**
 * Whether a Micrometer HTTP observation's `exception` tag (the error's simple class name, beside `outcome` and
 * `status`: see micrometerHttp) names a connection never made: `UnknownHostException`, `ConnectException`,
 * `NoRouteToHostException`, as a Zipkin dump of Brave's holds it beside the message alone in `error`.
 */
function micrometerNeverSent(call: Span): boolean {
  const exception = call.attributes['exception'];
  return micrometerHttp(call) && typeof exception === 'string' && NEVER_SENT.test(exception);
}

/**
 * Whether a call's `error.type` names a cause other than a connection never made (a timeout, a status): it
 * outweighs any message. An RPC's UNAVAILABLE (the newer conventions write the status code's name there: gRPC's
 * "UNAVAILABLE", Connect's "unavailable") is what a client gets for a connection it could not make as well as
 * from a server, so its message tells which; on a span that is no RPC's (isRpc), it names a cause as any other.
 */
function namesOtherCause(call: Span): boolean {
  const type = call.attributes['error.type'];
  return (
    type !== undefined &&
    !(
      typeof type === 'string' &&
      (NEVER_SENT.test(type) || GENERIC_ERROR_TYPE.test(type) || (namesUnavailable(type) && isRpc(call)))
    )
  );
}

/**
 * Whether a span is an RPC's: it names its RPC system (`rpc.system`, the newer conventions' `rpc.system.name`)
 * or records an RPC status. Another call's `error.type` "unavailable" is a cause of its own, not a gRPC code.
 */
const isRpc = (span: Span): boolean =>
  ['rpc.system', 'rpc.system.name', 'rpc.grpc.status_code', 'grpc.status_code', CONNECT_CODE, RPC_STATUS].some(
    (key) => span.attributes[key] !== undefined,
  );

/**
 * Whether a span records gRPC status UNAVAILABLE (14): `rpc.grpc.status_code`, Brave's `grpc.status_code`,
 * Connect's error code `unavailable`, or the newer conventions' `rpc.response.status_code` naming it.
 */
function unavailable(span: Span): boolean {
  const grpc = span.attributes['rpc.grpc.status_code'];
  return (
    grpc === 14 ||
    grpc === '14' ||
    span.attributes['grpc.status_code'] === 'UNAVAILABLE' ||
    span.attributes[CONNECT_CODE] === 'unavailable' ||
    namesUnavailable(span.attributes[RPC_STATUS])
  );
}

/**
 * Whether a span is a Connect server's that answered HTTP 503, the status the Connect protocol sends its
 * `unavailable` in (an HTTP server instrumentation's span of a Connect handler holds the status, no code).
 */
const connectUnavailable = (span: Span): boolean =>
  (span.attributes['rpc.system'] === 'connect_rpc' || span.attributes['rpc.system.name'] === 'connect_rpc') &&
  responseStatus(span) === 503;

/**
 * Whether `callee`, the first span of a new trace, says it answered `call` though the call's own span reads as
 * never sent (see neverSent): a gRPC or Connect server that answered UNAVAILABLE itself (its SERVER span records
 * status 14, Connect's `unavailable` or, for Connect, HTTP 503, as the call records UNAVAILABLE: a server out of
 * its database's connections, quoting "connection refused"). A client gets
 * UNAVAILABLE from a connection it could not make too, so only the server's span tells that one reached it.
 * Whether the callee answered this call, rather than another client's, is for the route and timing to say.
 */
export function answeredAnyway(call: Span, callee: Span): boolean {
  return unavailable(call) && answeredUnavailable(callee);
}

/** Whether a span is a SERVER span that answered gRPC or Connect UNAVAILABLE itself (see answeredAnyway). */
export function answeredUnavailable(span: Span): boolean {
  return span.kind === 'server' && (unavailable(span) || connectUnavailable(span));
}

/**
 * Server errors a gateway answers after trying the upstream, not knowing whether it received the request: 502
 * (Envoy, nginx and AWS ALB answer it for a connection refused or reset as well as for an answer they could not
 * read) and 504 (for a connect timeout as well as for an answer that came too late).
 */
const TRIED_UPSTREAM: ReadonlySet<number> = new Set([502, 504]);

/**
 * Server errors a proxy answers only after it connected and sent the request: Cloudflare's 520 (the origin's
 * answer was empty or could not be read) and 524 (connected, no answer in time). Its 521, 522 and 523 say no
 * connection was made, as any other 5xx says nothing was forwarded unless the proxy says so (forwardedFirst).
 */
const SENT_UPSTREAM: ReadonlySet<number> = new Set([520, 524]);

/**
 * What a proxy's server error on `call` says of the request, read the same by the chain's ties (answeredByOther)
 * and its words (missingService): "forwarded", the upstream got it (Envoy's flags or body: forwardedFirst;
 * Cloudflare's 520 and 524); "tried", it may or may not have (502 and 504 with nothing more); undefined, the proxy
 * forwarded nothing (503, 500, ...; Envoy's flags saying it answered itself: turnedAway), or there was no status.
 */
export function proxyAnswer(call: Span): 'forwarded' | 'tried' | undefined {
  if (forwardedFirst(call)) return 'forwarded';
  const status = responseStatus(call);
  if (status === undefined || turnedAway(call)) return undefined;
  if (SENT_UPSTREAM.has(status)) return 'forwarded';
  return TRIED_UPSTREAM.has(status) ? 'tried' : undefined;
}

/**
 * Envoy's response flags (its spans' `response_flags` tag, comma-separated: "URX,UC") that say it had forwarded
 * the request when it answered an error of its own: UC (upstream connection termination), UR (upstream remote
 * reset), UT (upstream request timeout), UPE (upstream protocol error), UMSDR (upstream max stream duration
 * reached). UF (connection failure), UO (overflow), UH (no healthy upstream), NR (no route) and the rest say
 * it never got there, or say nothing of it. Envoy flags UR for a stream the upstream refused too (HTTP/2
 * REFUSED_STREAM, its reset reason "remote refused stream reset"): see refusedStream.
 */
const FORWARDED_FLAGS: ReadonlySet<string> = new Set(['UC', 'UR', 'UT', 'UPE', 'UMSDR']);

/**
 * Envoy's body for an error it answered itself, as a client quotes it in its error (Spring: `503 Service
 * Unavailable: "upstream connect error or disconnect/reset before headers. reset reason: connection
 * termination"`), with a reset reason that says the upstream connection was made and the request sent: the
 * connection was closed, the stream reset, or the answer broke the protocol. "connection failure", "overflow",
 * "local reset", "connection timeout" and a refused stream say nothing got there.
 */
const ENVOY_FORWARDED_RESET =
  /\bupstream connect error or disconnect\/reset before headers\. (?:retried and the latest )?reset reason: (?:connection termination|remote reset|protocol error)\b/;

/**
 * Envoy's words on its span of a request whose upstream refused the stream (HTTP/2 REFUSED_STREAM: the server
 * says it processed nothing of it): the reset reason in `error.reason`, as Envoy tags its upstream span when the
 * stream is reset, or in `response_code_details` (a custom tag of %RESPONSE_CODE_DETAILS%), spaces made
 * underscores there: `upstream_reset_before_response_started{remote_refused_stream_reset}`.
 */
const REFUSED_STREAM_REASON = 'remote refused stream reset';
const REFUSED_STREAM_DETAILS = /^upstream_reset_before_response_started\{remote_refused_stream_reset\b/;

/**
 * Whether Envoy says the upstream refused `call`'s stream (see REFUSED_STREAM_REASON), on its span or in its body
 * quoted by the client: its flag UR then says no more than that the upstream reset it, not that it got the request.
 */
function refusedStream(call: Span): boolean {
  const reason = call.attributes['error.reason'];
  const details = call.attributes['response_code_details'];
  const messages = [call.statusMessage, ...(call.exceptions ?? []).map((exception) => exception.message)];
  return (
    reason === REFUSED_STREAM_REASON ||
    (typeof details === 'string' && REFUSED_STREAM_DETAILS.test(details)) ||
    messages.some(
      (message) =>
        message !== undefined && ENVOY_NOT_FORWARDED.test(message) && message.includes(REFUSED_STREAM_REASON),
    )
  );
}

/**
 * Whether a proxy's answer says it forwarded `call`'s request before failing it: Envoy's `response_flags` on
 * its own span for the call (FORWARDED_FLAGS; UR not when the upstream refused the stream: refusedStream), or
 * its words quoted in the call's status message or exception (ENVOY_FORWARDED_RESET).
 */
export function forwardedFirst(call: Span): boolean {
  const flags = call.attributes['response_flags'];
  const refused = refusedStream(call);
  const forwards = (flag: string): boolean => FORWARDED_FLAGS.has(flag) && !(flag === 'UR' && refused);
  if (typeof flags === 'string' && flags.split(',').some((flag) => forwards(flag.trim()))) return true;
  const messages = [call.statusMessage, ...(call.exceptions ?? []).map((exception) => exception.message)];
  return messages.some((message) => message !== undefined && ENVOY_FORWARDED_RESET.test(message));
}

/**
 * Envoy's response flags that say it answered the request itself and forwarded nothing, whatever the status:
 * UH (no healthy upstream), UF (connection failure), UO (overflow), NR (no route), NC (no cluster), DF (DNS
 * failure), RL (rate limited, 429), RLSE (rate limit service error), UAEX (denied by an external authorizer),
 * FI (aborted by fault injection), IH (invalid header), OM and DO (overload).
 */
const TURNED_AWAY_FLAGS: ReadonlySet<string> = new Set([
  'UH',
  'UF',
  'UO',
  'NR',
  'NC',
  'DF',
  'RL',
  'RLSE',
  'UAEX',
  'FI',
  'IH',
  'OM',
  'DO',
]);

/**
 * Whether Envoy's span of `call` says it answered the request itself (TURNED_AWAY_FLAGS), or the call's error
 * quotes Envoy's body for an upstream it never reached (ENVOY_NOT_FORWARDED, as UF says), or Envoy says the
 * upstream refused the stream (refusedStream), with no flag or body that it forwarded it first
 * (forwardedFirst): an edge proxy's 429 or 403 reached no service beyond it.
 */
export function turnedAway(call: Span): boolean {
  const flags = call.attributes['response_flags'];
  const messages = [call.statusMessage, ...(call.exceptions ?? []).map((exception) => exception.message)];
  return (
    ((typeof flags === 'string' && flags.split(',').some((flag) => TURNED_AWAY_FLAGS.has(flag.trim()))) ||
      messages.some((message) => message !== undefined && ENVOY_NOT_FORWARDED.test(message)) ||
      refusedStream(call)) &&
    !forwardedFirst(call)
  );
}

/**
 * Whether `call`'s answer came from someone other than `callee`, the root of a new trace on its route: a proxy
 * answered it with a server error that says it forwarded nothing (503 unavailable, 500, ...; not one that
 * says it forwarded it or tried to: see proxyAnswer), while the callee answered with no server error of its own (one of its own reaches the
 * caller through the proxy as it is, or as another 5xx the proxy makes of it). A request from a client that
 * does not trace, started meanwhile. So is one that cannot be the request of a call whose connection the other
 * side closed unanswered (outsideClosedCall). `offset`: how far the callee's clock runs ahead (ms).
 */
export function answeredByOther(call: Span, callee: Span, offset = 0): boolean {
  // Envoy's flags say it answered the call itself (a rate limit's 429, an authorizer's 403): nothing reached the callee.
  if (turnedAway(call)) return true;
  if (outsideClosedCall(call, callee, offset)) return true;
  const status = responseStatus(call);
  const calleeStatus = responseStatus(callee);
  if (status === undefined || calleeStatus === undefined || status === calleeStatus || calleeStatus >= 500)
    return false;
  // A proxy that forwarded the request (Envoy's 503 after an upstream reset), or tried to (a 502, a 504): the
  // callee got it, or may have, and its answer never came back (see proxyAnswer).
  if (proxyAnswer(call) !== undefined) return false;
  return status >= 500;
}

/**
 * `error.type` values, and the messages clients give the same errors, that say the other side closed the
 * connection before any answer came: undici's UND_ERR_SOCKET ("other side closed": a kept-alive connection the
 * server closed as the request went out), Node.js's ECONNRESET ("socket hang up", "read ECONNRESET", what
 * @opentelemetry/instrumentation-http records with `error.type` "Error") and EPIPE; Java's "Connection reset" and
 * "Broken pipe", OkHttp's "unexpected end of stream on ..."; URLSession's NSURLErrorNetworkConnectionLost ("The
 * network connection was lost.", an iPhone's kept-alive connection closed under it); Python's RemoteDisconnected;
 * Go's "read: connection reset by peer" and a bare "EOF" after the request. A timeout waiting for the answer is not
 * one: the client gave up, and the server may well have answered later.
 */
const CLOSED_TYPE = /^(?:UND_ERR_SOCKET|ECONNRESET|EPIPE|(?:http\.client\.)?RemoteDisconnected)$/;
const CLOSED_MESSAGES: readonly RegExp[] = [
  /^(?:other side closed|socket hang up|read ECONNRESET|write EPIPE)$/,
  /^(?:java\.net\.SocketException: )?(?:Connection reset(?: by peer)?|Broken pipe(?: \(Write failed\))?)$/,
  /^(?:java\.io\.IOException: )?unexpected end of stream on \S+$/,
  /^The network connection was lost\.$/,
  /Remote end closed connection without response/,
  /^\w+ "[^"]+": (?:read tcp \S+: read: connection reset by peer|write tcp \S+: write: broken pipe|EOF)$/,
];
/**
 * Go's error types (`*url.Error`, `*net.OpError`) and Apple's error domains (`NSURLErrorDomain`): like an error
 * class, they leave the cause to the message.
 */
const CAUSELESS_TYPE = /^(?:\*\w+\.\w*Error|\w+ErrorDomain)$/;

/** Whether `call` failed with no answer because the other side closed its connection (see CLOSED_TYPE). */
export function closedUnanswered(call: Span): boolean {
  if (call.statusCode !== 2 || responseStatus(call) !== undefined || answeredElsewise(call)) return false;
  const type = call.attributes['error.type'];
  if (typeof type === 'string' && CLOSED_TYPE.test(type)) return true;
  if (typeof type === 'string' && !GENERIC_ERROR_TYPE.test(type) && !CAUSELESS_TYPE.test(type)) return false;
  const message = call.statusMessage;
  return message !== undefined && CLOSED_MESSAGES.some((closed) => closed.test(message));
}

/**
 * Whether `callee`, the root of a new trace on `call`'s route, cannot be `call`'s request, which failed
 * unanswered at its connection (closedUnanswered): it did not start while `call` ran, or it answered with no
 * server error of its own after `call` had failed, its times taken back to the caller's clock by `offset`. That
 * answer went out on no connection of `call`'s, so it is another client's request (one that does not trace), and
 * `call` most likely never reached the callee. A call the client ended itself (a timeout) keeps such ties: the
 * callee may have gone on with it.
 */
export function outsideClosedCall(call: Span, callee: Span, offset = 0): boolean {
  if (!hasTime(call) || !hasTime(callee) || !closedUnanswered(call)) return false;
  if (!runningAt(call, callee.startTimeMs - offset)) return true;
  const calleeStatus = responseStatus(callee);
  if (calleeStatus === undefined || calleeStatus >= 500) return false;
  return callee.endTimeMs - offset > call.endTimeMs + START_RESOLUTION_MS;
}
