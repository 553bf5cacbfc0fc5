/** The calls at one hop of a chain that new traces there may answer, and what the hop's sound calls show. */
import type { Span } from '../../model';
import { CallIndex } from './call-index';
import { calleeAheadMs, runningAt } from './callee-clock';
import { answeredAnyway, answeredUnavailable, neverSent } from './call-answers';
import { CALLEE_KINDS } from './calls';
import { unansweredCalls, type Piece, type Run } from './chain-pieces';
import { callKeys, namesNoRoute, routeFamily, routeKeys, sameRoute } from './routes';

/** The calls of the waiting runs that nobody answered, the routes fragments may take, the callee's clock offset. */
export interface HopCalls {
  readonly calls: CallIndex<Piece>;
  /** Routes the chain uses at this hop: the sound runs' and the unanswered calls'. */
  readonly routes: Set<string>;
  /** How many ms the callee's clock runs ahead of its caller's (internal/callee-clock.ts). */
  readonly offset: number;
  /** Unanswered calls that name no route nor the callee (namesNoRoute): no new trace can be tied to them. */
  readonly unnamed: readonly Span[];
  /** Each waiting piece's unanswered calls here (see unansweredCalls). */
  readonly unanswered: ReadonlyMap<Piece, readonly Span[]>;
}

/**
 * The hop from chain[level - 1] to chain[level]: the unanswered calls of `waiting` by route, for tying
 * fragments to the runs they split from, with the routes and clocks the runs that made it through show.
 * `roots` are the first spans of the new traces that started there.
 */
export function callsAtHop(
  runs: readonly Run[],
  waiting: readonly Piece[],
  chain: readonly string[],
  level: number,
  roots: readonly Span[],
): HopCalls {
  const caller = chain[level - 1] as string;
  // Routes the chain uses at this hop in runs that made it through, and what their calls say of the two
  // clocks (internal/callee-clock.ts).
  const soundRoutes = new Set<string>();
  const answered: Array<[Span, Span]> = [];
  for (const run of runs) {
    for (const node of run.trace.nodes) {
      if (node.span.service !== caller) continue;
      for (const child of node.children) {
        if (child.span.service !== chain[level] || !CALLEE_KINDS.has(child.span.kind)) continue;
        for (const key of routeKeys(child.span)) soundRoutes.add(key);
        const [client, server] = [node.span, child.span];
        if (client.kind === 'client' && server.kind === 'server') answered.push([client, server]);
      }
    }
  }
  // Calls nobody answered, by route, for tying fragments to the runs they split from. A trace of the app
  // that is no run yet (it reached nobody) counts only by calls on a route the sound runs take here, when
  // there are such runs: a call on another route is another journey's (a checkout beside searches).
  const calls = new CallIndex<Piece>();
  const routes = new Set<string>(soundRoutes);
  // Routes compared as README says: every path segment holding a digit one placeholder (/carts/c-1002/...).
  const soundFamilies = new Set([...soundRoutes].map(routeFamily));
  const offset = calleeAheadMs(answered);
  const unnamed: Span[] = [];
  // Only a new trace that answered UNAVAILABLE itself can say a call that reads as never sent reached it.
  const answering = roots.filter(answeredUnavailable);
  const unansweredOf = new Map<Piece, readonly Span[]>();
  for (const piece of waiting) {
    const unanswered = unansweredCalls(piece.trace, caller);
    unansweredOf.set(piece, unanswered);
    // The callee's span that an orphan of the run's own trace holds (a proxy rewrote the parent id): that
    // call was answered in the run's trace, and no new trace is its.
    const orphans = piece.trace.roots.filter(
      (top) =>
        top.reason === 'orphan' && top.node.span.service === chain[level] && CALLEE_KINDS.has(top.node.span.kind),
    );
    for (const call of unanswered) {
      if (orphans.some((top) => runningAt(call, top.node.span.startTimeMs - offset) && sameRoute(call, top.node.span)))
        continue;
      // A call that reached nobody (refused, unreachable) sent no request to start a trace with: no new trace is
      // its (README), not even one that started in the same millisecond, as a client that does not trace may;
      // unless a new trace on its route, started while it ran, says it answered it (reachedOneOf).
      if (neverSent(call) && !reachedOneOf(call, answering, offset)) continue;
      const keys = callKeys(call, chain[level] as string);
      if (piece.run !== undefined && namesNoRoute(call, chain[level] as string)) unnamed.push(call);
      if (piece.run === undefined && soundFamilies.size > 0 && !keys.some((key) => soundFamilies.has(routeFamily(key))))
        continue;
      for (const key of keys) routes.add(key);
      calls.add(piece, call, keys);
    }
  }
  return { calls, routes, offset, unnamed, unanswered: unansweredOf };
}

/**
 * Whether one of `roots` (new traces' first spans) says it answered `call`, which reads as never sent
 * (answeredAnyway), on its route and while it ran.
 */
export function reachedOneOf(call: Span, roots: readonly Span[], offset: number): boolean {
  return roots.some(
    (root) => answeredAnyway(call, root) && sameRoute(call, root) && runningAt(call, root.startTimeMs - offset),
  );
}
