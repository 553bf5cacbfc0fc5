/**
 * Which journey's run each new trace naming no journey (a shared fragment) was tied to, shared by the
 * judgements of one dump (judgeChain, expected-chain.ts; verifySpans judges a journey again when its guess is
 * taken over).
 */
import type { Span } from '../../model';
import type { ChainOptions } from '../expected-chain';
import type { Fragment } from './chain-pieces';

/**
 * Which journey's run a shared fragment was tied to, and on what evidence. A fragment is one request, left by
 * one run: a tie by a span link (`linked`) is final for every journey, and so is one to a call running when it
 * started (`firm`) but for another journey's link, which names the very call; a tie to the call nearest in time
 * is a guess, `gapMs` from that call's start, that another journey's firm tie, or nearer guess, takes over
 * (verifySpans then judges the first journey again).
 */
export interface FragmentClaim {
  readonly journey: string;
  readonly firm: boolean;
  readonly gapMs: number;
  readonly linked?: boolean;
}

/** Whether another journey's run took this shared fragment by a span link or a call running when it started. */
export function claimedElsewhere(fragment: Fragment, options: ChainOptions): boolean {
  const claim = options.claimedFragments?.get(fragment.trace.traceId);
  return claim !== undefined && claim.firm && claim.journey !== options.journeyName;
}

/**
 * Claims a shared fragment for this journey's run (a fragment of the journey's own, or without journeys, needs
 * none): false when another journey's run holds it on as good evidence (see FragmentClaim).
 */
export function claimShared(
  fragment: Fragment,
  options: ChainOptions,
  firm: boolean,
  gapMs: number,
  linked = false,
): boolean {
  const claims = options.claimedFragments;
  const journey = options.journeyName;
  if (!claims || journey === undefined || options.owner?.(fragment.trace) !== 'shared') return true;
  const claim = claims.get(fragment.trace.traceId);
  const better = linked ? !claim?.linked : !claim?.firm && (firm || (claim?.gapMs ?? Infinity) > gapMs);
  if (claim && claim.journey !== journey && !better) return false;
  claims.set(fragment.trace.traceId, { journey, firm: firm || linked, gapMs, ...(linked ? { linked } : {}) });
  return true;
}

/** How far (ms) a fragment's start, on its callers' clock, is from the start of the call it was tied to. */
export function gapFrom(call: Span, fragment: Span, offset: number): number {
  return Math.abs(fragment.startTimeMs - offset - call.startTimeMs);
}
