/** New traces tied to a second call of a run that got past the hop (a capture after an authorize). */
import type { Span, Trace } from '../../model';
import { brokenAt } from '../chain-words';
import type { ChainOptions, ChainProblem } from '../expected-chain';
import { CallIndex } from './call-index';
import type { HopHeaders } from './context-headers';
import { runningAt } from './callee-clock';
import { answeredByOther, answeredUnavailable, neverSent } from './call-answers';
import {
  NO_FRAGMENTS,
  reachFrom,
  removeWhere,
  unansweredCalls,
  type Fragment,
  type Piece,
  type Run,
} from './chain-pieces';
import { claimedElsewhere, claimShared, fitOf } from './fragment-claims';
import { callKeys, fragmentKeys } from './routes';
import { reachedOneOf } from './hop-calls';

/**
 * A run can get past a hop and still lose the context of another call on it (a capture after an authorize,
 * a redirect followed without the trace headers): the callee's SERVER span then starts a trace of its own
 * while the caller's CLIENT span for it stays unanswered in the run. Each fragment still untied is tied to
 * such a call of a run that completed the chain, or got past this hop (`ahead`: pieces further down the
 * chain), when both name the same route and the call was running when the fragment started; a request
 * from a client that does not trace has no such call. A run still short of the chain's end goes on in the
 * fragment when the fragment gets further. Returns the fragments it tied.
 */
export function tieToCompleteRuns(
  untied: readonly Fragment[],
  complete: readonly Trace[],
  ahead: Piece[],
  runs: readonly Run[],
  caller: string,
  chain: readonly string[],
  level: number,
  offset: number,
  problems: ChainProblem[],
  options: ChainOptions,
  headers: HopHeaders,
): Set<Fragment> {
  const tied = new Set<Fragment>();
  if (untied.length === 0) return tied;
  interface Holder {
    readonly trace: Trace;
    readonly call: Span;
    readonly piece?: Piece;
  }
  const calls = new CallIndex<Holder>();
  let any = false;
  const roots = untied.map((fragment) => fragment.root.span).filter(answeredUnavailable);
  /** A call that reached nobody, unless one of the new traces says it answered it (reachedOneOf). */
  const unsent = (call: Span): boolean => neverSent(call) && !reachedOneOf(call, roots, offset);
  // A call that never reached a server (refused, unreachable: the attempt a retry or a replay repeats) sent no
  // request for a callee to start a trace with; a request another client sent meanwhile is not its.
  for (const trace of complete) {
    for (const call of unansweredCalls(trace, caller)) {
      if (unsent(call)) continue;
      calls.add({ trace, call }, call, callKeys(call, chain[level] as string));
      any = true;
    }
  }
  for (const piece of ahead) {
    if (!piece.run || piece.reach <= level) continue;
    for (const call of unansweredCalls(piece.trace, caller)) {
      if (unsent(call)) continue;
      calls.add({ trace: piece.trace, call, piece }, call, callKeys(call, chain[level] as string));
      any = true;
    }
  }
  if (!any) return tied;
  const runOf = new Map<Trace, Run>();
  for (const run of runs) runOf.set(run.trace, run);
  for (const fragment of untied) {
    const span = fragment.root.span;
    if (claimedElsewhere(fragment, options)) continue;
    const tie = calls.closest(
      span,
      fragmentKeys(span),
      offset,
      (call) => !(neverSent(call) && !reachedOneOf(call, [span], offset)) && !answeredByOther(call, span, offset),
    );
    if (!tie || !runningAt(tie.call, span.startTimeMs - offset)) continue;
    const holder = tie.owner;
    const run = holder.piece?.run ?? runOf.get(holder.trace);
    if (!run) continue;
    const elsewhere = claimShared(fragment, options, {
      run: run.traceId,
      linked: false,
      firm: true,
      fitMs: fitOf(tie.call, span, offset),
      callStartMs: tie.call.startTimeMs,
      inFlight: tie.alike + 1,
    });
    if (!elsewhere) continue;
    calls.claim(holder);
    tied.add(fragment);
    run.fragments =
      run.fragments === NO_FRAGMENTS ? [fragment.trace.traceId] : [...run.fragments, fragment.trace.traceId];
    problems.push(
      brokenAt(
        caller,
        chain[level] as string,
        span,
        holder.trace,
        tie.call,
        { starts: level === 1, alike: tie.alike + elsewhere.runs, elsewhere },
        headers,
      ),
    );
    const piece = holder.piece;
    if (!piece) continue;
    const next = reachFrom(fragment.root, chain, level);
    if (next.reach <= piece.reach) continue;
    removeWhere(ahead, (item) => item === piece);
    ahead.push({ run, trace: fragment.trace, reach: next.reach, ...(next.last ? { last: next.last } : {}) });
  }
  return tied;
}
