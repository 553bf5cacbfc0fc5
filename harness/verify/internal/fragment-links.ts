/**
 * Span links between traces (batch and pull consumers), and the runs a fragment goes on in: judgeChain
 * (expected-chain.ts) ties a fragment that links to a run's message to that run.
 */
import type { Span, SpanLink, Trace, TraceId, TraceRoot } from '../../model';
import { linkedNotParented } from '../chain-words';
import type { ChainOptions, ChainProblem } from '../expected-chain';
import type { CallIndex } from './call-index';
import { NO_FRAGMENTS, newRun, type Fragment, type Piece, type Run } from './chain-pieces';

/**
 * Whether a trace's top span's service links, from any of its spans, to a span of another service in another
 * trace (a consumer to the message's PRODUCER span; a link whose span the dump lacks counts too).
 */
export function linksOut(trace: Trace, top: TraceRoot, linkedService: (link: SpanLink) => string | undefined): boolean {
  const service = top.node.span.service;
  return trace.spans.some(
    (span) =>
      span.service === service &&
      (span.links ?? []).some((link) => link.traceId !== trace.traceId && linkedService(link) !== service),
  );
}

/**
 * A fragment's span links to other traces, from its top span's service: the top itself (a batch consumer's
 * CONSUMER span), or a span beneath it (a pull consumer's "receive" CLIENT span, or a push endpoint's SERVER
 * span, with the CONSUMER "process" span beneath that links to the message).
 */
export function fragmentLinks(fragment: Fragment): SpanLink[] {
  const service = fragment.root.span.service;
  const links: SpanLink[] = [];
  for (const span of fragment.trace.spans) {
    if (span.service !== service) continue;
    for (const link of span.links ?? []) if (link.traceId !== fragment.trace.traceId) links.push(link);
  }
  return links;
}

/**
 * Ties a fragment to one more run it links to (a batch consumer reads the messages of several runs): the run
 * goes on in the fragment, broken there unless links are accepted.
 */
export function tieLinked(
  from: Piece,
  call: Span | undefined,
  fragment: Fragment,
  calls: CallIndex<Piece>,
  runs: Run[],
  tiedLonely: Set<Trace>,
  problems: ChainProblem[],
  caller: string,
  chain: readonly string[],
  level: number,
  options: ChainOptions,
): Run {
  calls.claim(from);
  const run = joinRun(from, fragment.trace, runs, tiedLonely);
  if (options.acceptLinks !== true)
    problems.push(linkedNotParented(caller, chain[level] as string, fragment.root.span, from.trace, call ?? from.last));
  // The fragment goes on as the first linked run's piece; its problems count for this run too (see runKinds),
  // and what that piece met further on is shared with it at the end (shareDownstream).
  return run;
}

/**
 * Gives each run that shares a batch consumer's fragment the traces the fragment's own run went on in after
 * it: a break past the batch is every linked run's break.
 */
export function shareDownstream(sharers: ReadonlyMap<TraceId, readonly Run[]>, runs: readonly Run[]): void {
  for (const [fragment, shared] of sharers) {
    const sharing = new Set(shared);
    const primary = runs.find((run) => !sharing.has(run) && run.fragments.includes(fragment));
    if (!primary) continue;
    const after = primary.fragments.slice(primary.fragments.indexOf(fragment) + 1);
    for (const run of shared) {
      const more = after.filter((traceId) => !run.fragments.includes(traceId));
      if (more.length > 0) run.fragments = [...run.fragments, ...more];
    }
  }
}

/**
 * The run `from` belongs to (made now for a lonely trace a fragment tied to), going on in `fragment`: the
 * fragment's problems count for it.
 */
export function joinRun(from: Piece, fragment: Trace, runs: Run[], tiedLonely: Set<Trace>): Run {
  let run = from.run;
  if (!run) {
    run = newRun(from.trace);
    runs.push(run);
    tiedLonely.add(from.trace);
  }
  run.fragments = run.fragments === NO_FRAGMENTS ? [fragment.traceId] : [...run.fragments, fragment.traceId];
  return run;
}
