/**
 * What one judgement of a chain (judgeChain, expected-chain.ts) builds as it goes, step by step: the runs and
 * the pieces they stand in, the traces still to tie, and the problems found.
 */
import type { Span, Trace, TraceId } from '../../model';
import type { ChainOptions, ChainProblem } from '../expected-chain';
import type { Fragment, Piece, Run } from './chain-pieces';
import type { HopHeaders } from './context-headers';

export interface Judging {
  readonly traces: readonly Trace[];
  readonly chain: readonly string[];
  readonly options: ChainOptions;
  readonly problems: ChainProblem[];
  readonly runs: Run[];
  /** Runs that stopped short of the chain's end, each at the piece (trace) it reached furthest in. */
  readonly pieces: Piece[];
  /** Traces of runs that completed the chain in one tree. */
  readonly complete: Trace[];
  /**
   * Traces of chain[0] whose calls reached nobody: a run only if a fragment ties to them, or, when journeys
   * name their traces (`owner`), always: a trace named after the journey is a run of it.
   */
  readonly lonely: Trace[];
  readonly lonelyLast: Map<Trace, Span | undefined>;
  readonly fragments: Fragment[];
  /**
   * Calls a later service made outside its request's context: traces whose root is a CLIENT or PRODUCER span
   * of chain[level - 1] (not the app) that reached chain[level]. `root` is that call.
   */
  readonly detached: Fragment[];
  /**
   * Journeys only: the app's requests in traces of their own: traces naming no journey that start in the
   * app and reach the next service, and the journey's own traces whose root is the app's CLIENT span (`run`:
   * counted as a run until tied to the journey trace).
   */
  readonly requests: Array<Fragment & { run?: Run }>;
  /** Lonely traces a fragment was tied to: runs already. */
  readonly tiedLonely: Set<Trace>;
  /** Pieces whose runs stopped, to be judged within their traces. */
  readonly finished: Piece[];
  /** Runs a batch consumer's fragment continues besides the run whose piece goes on in it, by fragment trace. */
  readonly sharers: Map<TraceId, Run[]>;
  /** Whether a span of this id is anywhere in the dump. */
  readonly spanElsewhere: (spanId: string | undefined) => boolean;
  /** How many runs the traces started themselves, before any tie made one. */
  readonly runsAtStart: number;
  /** What the dump's spans show of each hop's headers, for the words of its verdicts. */
  readonly headers: HopHeaders;
}
