import { hasTime, type Span, type SpanNode } from '../../model';
import { routeKeys, sameRoute } from './routes';

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
