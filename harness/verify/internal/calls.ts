import { hasTime, type Span, type SpanNode } from '../../model';
import { responseStatus, routeKeys, sameRoute } from './routes';

export const CALLER_KINDS: ReadonlySet<string> = new Set(['client', 'producer']);
export const CALLEE_KINDS: ReadonlySet<string> = new Set(['server', 'consumer']);

/** CLIENT/PRODUCER spans beneath `node`, in its own service, that nobody answered. */
export function unansweredBeneath(node: SpanNode): Span[] {
  const found: Span[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop() as SpanNode;
    for (const child of current.children) {
      if (child.span.service !== node.span.service) continue;
      if (CALLER_KINDS.has(child.span.kind) && child.children.length === 0) found.push(child.span);
      stack.push(child);
    }
  }
  return found;
}

/**
 * Whether `call` is the kind of call that makes a span like `callee`: a CONSUMER span is made only from a
 * message, so by a PRODUCER's call; a SERVER span answers a CLIENT's request, or a PRODUCER's message that
 * the broker pushed over HTTP (a Pub/Sub push subscription).
 */
function makes(call: Span, callee: Span): boolean {
  return callee.kind === 'consumer' ? call.kind === 'producer' : call.kind === 'client' || call.kind === 'producer';
}

const text = (span: Span, key: string): string | undefined => {
  const value = span.attributes[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** The host a call was sent to, or a SERVER span was addressed as: server.address, net.peer.name, the URL's. */
function hostOf(span: Span, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = text(span, key);
    if (value !== undefined) return value.toLowerCase();
  }
  for (const key of ['url.full', 'http.url']) {
    const value = text(span, key);
    if (value === undefined) continue;
    try {
      return new URL(value).hostname.toLowerCase();
    } catch {
      // Not a URL: says nothing of the host.
    }
  }
  return undefined;
}

/** Whether two names of a host name one: equal, or alike in their first label ("payment-api.default.svc"). */
function sameHost(a: string, b: string): boolean {
  const label = (host: string): string => (/^[\d.]+$|:/.test(host) ? host : (host.split('.')[0] ?? host));
  return a === b || label(a) === label(b);
}

/** A path segment that stands for any value: a router's parameter ({id}, :id) or a concrete id (it holds a digit). */
const ANY_SEGMENT = /^(\{.*\}|:.+|.*\d.*)$/;

/**
 * Where a call went, or what a callee serves, as far as its route keys say (see routeKeys): the paths (a span
 * name's without the HTTP method it begins with) and the messaging destination. A free-form span name
 * ("charge card") says nothing of where.
 */
function targetsOf(span: Span): string[] {
  const targets = routeKeys(span)
    .map((key) => key.replace(/^[A-Z]+ (?=\/)/, ''))
    .filter((key) => key.startsWith('/'));
  const destination = text(span, 'messaging.destination.name');
  if (destination !== undefined) targets.push(destination);
  return targets;
}

/** Whether two targets may name one route: equal, or paths alike but for ids and route parameters. */
function sameTarget(a: string, b: string): boolean {
  if (a === b) return true;
  const left = a.split('/');
  const right = b.split('/');
  return (
    left.length > 1 &&
    left.length === right.length &&
    left.every((segment, i) => {
      const other = right[i] as string;
      return segment === other || ANY_SEGMENT.test(segment) || ANY_SEGMENT.test(other);
    })
  );
}

/** A database call: a database records no span of its own, so its CLIENT span always goes unanswered. */
export function isDatabaseCall(span: Span): boolean {
  return span.attributes['db.system'] !== undefined || span.attributes['db.system.name'] !== undefined;
}

/**
 * Whether `call` says it went somewhere other than to `callee`: a database call (db.system, db.system.name:
 * a database records no span of its own), a peer.service naming another service, a host other than the one
 * the callee was addressed as, or a path or destination the callee does not serve. A call that says
 * nothing of where it went may be the callee's.
 */
function callsElsewhere(call: Span, callee: Span): boolean {
  if (isDatabaseCall(call)) return true;
  const peer = text(call, 'peer.service');
  if (peer !== undefined && peer !== callee.service) return true;
  const host = hostOf(call, ['server.address', 'net.peer.name']);
  const addressed = hostOf(callee, ['server.address', 'net.host.name']);
  if (host !== undefined && addressed !== undefined && !sameHost(host, addressed)) return true;
  const targets = targetsOf(call);
  const served = targetsOf(callee);
  return (
    targets.length > 0 && served.length > 0 && !targets.some((target) => served.some((key) => sameTarget(target, key)))
  );
}

/**
 * A forwarded traceparent: `callee` hangs under `callNode` (a CLIENT/PRODUCER span) beside `other`, a span of
 * another service whose own call to the callee has no child. Returns that unanswered call: the span the
 * callee should hang under.
 *
 * Siblings under one call are not evidence by themselves: a message fans out to every consumer, and a mirrored
 * request reaches two services. So the unanswered call must be of a kind that makes the callee's span (see
 * makes), and is told by its route (see sameRoute), or else by the callee starting during it (both with a
 * time, hasTime). Timing alone is weak: it is taken only when the call says nothing of going elsewhere (see
 * callsElsewhere; a database query running when the callee started is no call to it), and never among the
 * consumers of one message (a PRODUCER parent), whose work overlaps by design.
 */
export function forwardedFrom(callNode: SpanNode, callee: Span, other: SpanNode): Span | undefined {
  if (other.span === callee || other.span.service === callee.service || other.span.service === callNode.span.service)
    return undefined;
  const calls = unansweredBeneath(other).filter((span) => makes(span, callee));
  const byRoute = calls.find((span) => sameRoute(span, callee));
  if (byRoute !== undefined || callNode.span.kind === 'producer') return byRoute;
  // Timing needs both times (hasTime): a start of 0 is no place in time, "during" no call.
  if (!hasTime(callee)) return undefined;
  return calls.find(
    (span) =>
      hasTime(span) &&
      span.startTimeMs <= callee.startTimeMs &&
      callee.startTimeMs <= span.endTimeMs &&
      !callsElsewhere(span, callee),
  );
}

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
 * `error.type` values that name no cause: absent, `_OTHER`, or an error class (`Error`, `TypeError`,
 * `requests.exceptions.ConnectionError`, `org.springframework.web.client.ResourceAccessException`), whose status
 * message then tells the cause.
 */
const GENERIC_ERROR_TYPE = /^(?:_OTHER|(?:[\w$]+\.)*[\w$]*(?:Error|Exception))$/;

/**
 * Whether a failed call says some server answered it, under keys responseStatus does not read: Micrometer's
 * `status` tag ("500"; Spring's HTTP clients through Brave write no `http.status_code`), a gRPC status other
 * than UNAVAILABLE (the one a client gives a connection it could not make; any other came from a server), or a
 * status message that opens with an HTTP status line ("500 Internal Server Error: ...", Spring's message for an
 * error answer, which quotes the answer's body: a callee's own "Connection refused" from its database).
 */
function answeredElsewise(call: Span): boolean {
  const status = call.attributes.status;
  if ((typeof status === 'string' || typeof status === 'number') && /^[1-5]\d\d$/.test(String(status))) return true;
  const grpc = call.attributes['rpc.grpc.status_code'];
  if (grpc !== undefined && grpc !== 14 && grpc !== '14') return true;
  const brave = call.attributes['grpc.status_code'];
  if (brave !== undefined && brave !== 'UNAVAILABLE') return true;
  return call.statusMessage !== undefined && /^[1-5]\d\d [A-Z]/.test(call.statusMessage);
}

/**
 * Whether a call failed before any server got it: its status is ERROR, it recorded no answer (no HTTP status,
 * nor one answeredElsewise finds), and its `error.type` names a connection that was never made, or names no
 * cause (see GENERIC_ERROR_TYPE) while its status message does (see NEVER_SENT_MESSAGE). Without that evidence a failed call may have reached a callee
 * that answered too late (a client timeout), so it is not taken as one.
 */
export function neverSent(call: Span): boolean {
  if (call.statusCode !== 2 || responseStatus(call) !== undefined || answeredElsewise(call)) return false;
  const type = call.attributes['error.type'];
  if (typeof type === 'string' && NEVER_SENT.test(type)) return true;
  const message = call.statusMessage;
  return (
    message !== undefined &&
    (type === undefined || (typeof type === 'string' && GENERIC_ERROR_TYPE.test(type))) &&
    NEVER_SENT_MESSAGE.test(message)
  );
}

/**
 * Server errors a proxy answers after forwarding the request, its backend's own span saying otherwise: 502 and
 * 504 (a bad or late answer), Cloudflare's 520 (an answer it could not read) and 524 (a late one).
 */
const ANSWERED_AFTER_FORWARDING: ReadonlySet<number> = new Set([502, 504, 520, 524]);

/**
 * Whether `call`'s answer came from someone other than `callee`, the root of a new trace on its route: a proxy
 * answered it with a server error that says it forwarded nothing (503 unavailable, 500, ...; see
 * ANSWERED_AFTER_FORWARDING for those that do not), while the callee answered with no server error of its own
 * (one of its own reaches the caller through the proxy as it is, or as another 5xx the proxy makes of it). A
 * request from a client that does not trace, started meanwhile.
 */
export function answeredByOther(call: Span, callee: Span): boolean {
  const status = responseStatus(call);
  const calleeStatus = responseStatus(callee);
  if (status === undefined || calleeStatus === undefined || status === calleeStatus || calleeStatus >= 500)
    return false;
  return status >= 500 && !ANSWERED_AFTER_FORWARDING.has(status);
}
