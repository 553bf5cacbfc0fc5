/** Calls a later service of the chain made outside its request's context, tied to the runs they left. */
import type { Trace } from '../../model';
import { callOutsideRequest } from '../chain-words';
import type { ChainOptions, ChainProblem } from '../expected-chain';
import { CallIndex } from './call-index';
import { reachFrom, type Fragment, type Piece, type Run } from './chain-pieces';
import { claimedElsewhere, claimShared, fitOf } from './fragment-claims';
import { joinRun } from './fragment-links';

/**
 * Ties each call `caller` made outside its request's context (a trace of its own, rooted at that call) to
 * the run whose span of `caller` was running when the call started; a call no run was running for (a
 * background job's) is left alone. The run goes on in the call's trace. A call naming no journey that another
 * journey's run ties more tightly is not this journey's (one request leaves one run; see FragmentOffer).
 */
export function tieDetached(
  calledOutside: readonly Fragment[],
  waiting: readonly Piece[],
  calls: CallIndex<Piece>,
  caller: string,
  chain: readonly string[],
  level: number,
  runs: Run[],
  tiedLonely: Set<Trace>,
  pieces: Piece[],
  problems: ChainProblem[],
  options: ChainOptions,
): void {
  if (calledOutside.length === 0) return;
  const holders = new CallIndex<Piece>();
  for (const piece of waiting)
    if (piece.last?.service === caller && !calls.isClaimed(piece)) holders.add(piece, piece.last, ['request']);
  for (const fragment of [...calledOutside].sort((a, b) => a.root.span.startTimeMs - b.root.span.startTimeMs)) {
    if (claimedElsewhere(fragment, options)) continue;
    const call = fragment.root.span;
    const tie = holders.closest(call, ['request']);
    if (!tie || call.startTimeMs < tie.call.startTimeMs || call.startTimeMs > tie.call.endTimeMs) continue;
    const from = tie.owner;
    const offer = {
      run: from.run?.traceId ?? from.trace.traceId,
      linked: false,
      firm: true,
      fitMs: fitOf(tie.call, call, 0),
      callStartMs: tie.call.startTimeMs,
      inFlight: tie.alike + 1,
    };
    const elsewhere = claimShared(fragment, options, offer);
    if (!elsewhere) continue;
    holders.claim(from);
    calls.claim(from);
    const run = joinRun(from, fragment.trace, runs, tiedLonely);
    problems.push(
      callOutsideRequest(
        caller,
        chain[level] as string,
        call,
        from.trace,
        tie.call,
        tie.alike + elsewhere.runs,
        elsewhere,
      ),
    );
    const next = reachFrom(fragment.root, chain, level - 1);
    pieces.push({ run, trace: fragment.trace, reach: next.reach, ...(next.last ? { last: next.last } : {}) });
  }
}
