/**
 * Journeys' own traces in judgeChain: the app's requests sent outside a journey (a trace per request, an
 * offline replay) and the routes that tell one journey from another on a shared chain.
 */
import type { Span, SpanNode, Trace } from '../../model';
import { CALLEE_KINDS, CALLER_KINDS, isDatabaseCall } from './calls';
import { reachFrom, removeWhere, unansweredCalls, type Piece, type Run } from './chain-pieces';
import { namesJourney, taggedWithJourney } from './journey-names';
import { responseStatus, routeFamily, routeKeys, sameRoute } from './routes';

/**
 * Whether the journey trace holds an app call on `request`'s route that got an HTTP answer, other than a
 * failed attempt that `request` sends again (see failedAttempt).
 */
export function sentItself(journey: Trace, request: Span, chain: readonly string[]): boolean {
  return unansweredCalls(journey, chain[0] as string).some(
    (call) => responseStatus(call) !== undefined && sameRoute(call, request) && !retries(request, call),
  );
}

/**
 * The journey's app call on `request`'s route that `request` sends again: one answered with a server error
 * that ended before `request` started, as a retry follows the attempt it repeats. Whatever the 5xx says of
 * where the attempt went (a proxy turned it away; tried the upstream, a 502 or 504, which may have got it;
 * forwarded it, Envoy's UC or Cloudflare's 524; or the server failed it: see proxyAnswer, as the chain reads
 * them), the app got an error and retries it: the attempt's own hop is judged by the chain, not here.
 */
export function failedAttempt(journey: Trace, request: Span, chain: readonly string[]): Span | undefined {
  return unansweredCalls(journey, chain[0] as string).find(
    (call) => sameRoute(call, request) && retries(request, call),
  );
}

/** Whether `request` may be a retry of `call`: `call` was answered with a 5xx status and ended before it. */
function retries(request: Span, call: Span): boolean {
  const status = responseStatus(call);
  return status !== undefined && status >= 500 && call.endTimeMs <= request.startTimeMs;
}

/** A journey trace's root span, when it is a journey span (not a request of the app's that nobody answered). */
export function journeyRoot(trace: Trace, chain: readonly string[]): Span | undefined {
  const root = trace.roots[0]?.node.span;
  return root && !appRequest(root, chain) ? root : undefined;
}

/**
 * The app's request a journey's trace is, when it is one: its root, an app CLIENT span (a request sent in a
 * trace of its own); or, under a root of the app's that does not name the journey (an outbox's flush span),
 * the first app CLIENT span tagged with the journey (README: a replay joins its journey by that tag).
 */
export function requestRoot(
  trace: Trace,
  chain: readonly string[],
  journeyName: string | undefined,
): SpanNode | undefined {
  const top = trace.roots[0];
  if (top?.reason !== 'root') return undefined;
  const root = top.node.span;
  if (appRequest(root, chain)) return top.node;
  if (journeyName === undefined || root.service !== chain[0] || namesJourney(root, journeyName)) return undefined;
  return trace.nodes.find((node) => appRequest(node.span, chain) && taggedWithJourney(node.span, journeyName));
}

/** A CLIENT or PRODUCER span of the chain's first service (the app's own request). */
export function appRequest(span: Span, chain: readonly string[]): boolean {
  return span.service === chain[0] && CALLER_KINDS.has(span.kind);
}

/**
 * Routes (as route families: ids in paths made one placeholder) of a hop's call in a trace: chain[hop]'s
 * SERVER/CONSUMER spans beneath chain[hop - 1]'s spans.
 */
export function hopRoutes(trace: Trace, chain: readonly string[], hop = 1): string[] {
  const keys: string[] = [];
  for (const node of trace.nodes) {
    if (node.span.service !== chain[hop - 1]) continue;
    for (const child of node.children)
      if (child.span.service === chain[hop] && CALLEE_KINDS.has(child.span.kind))
        for (const key of routeKeys(child.span)) keys.push(routeFamily(key));
  }
  return keys;
}

/** Route families of the chain's first hop in a trace (see hopRoutes). */
export function firstHopRoutes(trace: Trace, chain: readonly string[]): string[] {
  return hopRoutes(trace, chain, 1);
}

/**
 * Without journey names, another journey that shares the chain's first services (login: mobile-app ->
 * api-gateway -> auth-service) looks like a run that stopped early. Once complete runs show the routes of
 * each hop, an incomplete run that took none of them on a hop it reached is another journey, not judged: a
 * login's first hop, or a query behind a GraphQL gateway (every first hop POST /graphql) whose next hop
 * takes another route. Routes are compared as families, so a path holding an id is the same route in
 * every run.
 */
export function dropOtherJourneys(
  runs: Run[],
  pieces: Piece[],
  complete: readonly Trace[],
  chain: readonly string[],
): void {
  if (chain.length < 3 || complete.length === 0 || pieces.length === 0) return;
  // Routes of each hop (index: the callee's place in the chain) in the complete runs, gathered as asked.
  const known = new Map<number, Set<string>>();
  const routesAt = (hop: number): Set<string> => {
    let routes = known.get(hop);
    if (!routes) {
      routes = new Set<string>();
      for (const trace of complete) for (const key of chainRoutes(trace, chain, hop)) routes.add(key);
      known.set(hop, routes);
    }
    return routes;
  };
  const dropped = new Set<Trace>();
  for (const piece of pieces) {
    // A run whose last service's call to the next one got no answer stopped at a break, not at its own
    // journey's end: a call on a route the complete runs take to the next service (a call to a third party,
    // a database, a topic nobody on the chain reads, is no such call). Without routes there, any call but a
    // database's counts.
    const last = chain[piece.reach - 1];
    if (last !== undefined && piece.reach < chain.length) {
      const next = routesAt(piece.reach);
      const toNext = (call: Span): boolean =>
        !isDatabaseCall(call) && (next.size === 0 || routeKeys(call).some((key) => next.has(routeFamily(key))));
      if (unansweredCalls(piece.trace, last).some(toNext)) continue;
    }
    for (let hop = 1; hop < Math.min(piece.reach, chain.length); hop++) {
      const keys = hopRoutes(piece.trace, chain, hop);
      const routes = routesAt(hop);
      if (keys.length > 0 && !keys.some((key) => routes.has(key))) {
        dropped.add(piece.trace);
        break;
      }
    }
  }
  if (dropped.size === 0) return;
  removeWhere(runs, (run) => dropped.has(run.trace));
  removeWhere(pieces, (piece) => dropped.has(piece.trace));
}

/**
 * Routes (as route families) a complete run's trace takes on the chain at `hop`: those of chain[hop]'s
 * SERVER/CONSUMER spans beneath chain[hop - 1]'s through which the chain goes on (all of them at its last
 * hop). A checkout that also signs in again calls the gateway's POST /login beside POST /checkout, but only
 * the checkout goes on to payment-api: a login that stopped at auth-service is still another journey.
 */
function chainRoutes(trace: Trace, chain: readonly string[], hop: number): string[] {
  const keys: string[] = [];
  const last = hop === chain.length - 1;
  for (const node of trace.nodes) {
    if (node.span.service !== chain[hop - 1]) continue;
    for (const child of node.children) {
      if (child.span.service !== chain[hop] || !CALLEE_KINDS.has(child.span.kind)) continue;
      if (!last && reachFrom(child, chain, hop).reach < hop + 2) continue;
      for (const key of routeKeys(child.span)) keys.push(routeFamily(key));
    }
  }
  return keys;
}
