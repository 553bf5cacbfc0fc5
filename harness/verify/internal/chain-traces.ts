/** The first step of judging a chain: what each trace of the dump is to it. */
import type { Span, SpanLink, Trace, TraceId } from '../../model';
import type { ChainOptions, TraceOwner } from '../expected-chain';
import type { Judging } from './judging';
import { CALLEE_KINDS, CALLER_KINDS } from './calls';
import { newRun, reachFrom, type Fragment, type Piece, type Run } from './chain-pieces';
import { linksOut } from './fragment-links';
import { requestRoot } from './journey-requests';

/** What each trace is to the chain, as sortTraces finds it: runs (and their pieces), lonely traces, fragments. */
export type SortedTraces = Pick<
  Judging,
  'runs' | 'pieces' | 'complete' | 'lonely' | 'lonelyLast' | 'fragments' | 'detached' | 'requests' | 'spanElsewhere'
>;

/**
 * Sorts the dump's traces for the chain: a trace that starts it (a span of chain[0] and one of chain[1] in
 * one trace, or of chain[0] and an orphan tree topped by a later service's span) is a run, a complete one or a piece still to judge; one of chain[0] alone is lonely; one whose
 * top is a later service's SERVER or CONSUMER span (or a linked consumer's) is a fragment; a later service's
 * call in a trace of its own is detached; with journeys, the app's request in a trace of its own is a request.
 */
export function sortTraces(traces: readonly Trace[], chain: readonly string[], options: ChainOptions): SortedTraces {
  const runs: Run[] = [];
  const pieces: Piece[] = [];
  const complete: Trace[] = [];
  const lonely: Trace[] = [];
  const lonelyLast = new Map<Trace, Span | undefined>();
  const fragments: Fragment[] = [];
  const detached: Fragment[] = [];
  const requests: Array<Fragment & { run?: Run }> = [];
  const owner = options.owner ?? ((): TraceOwner => 'own');
  const second = chain[1];
  const levelOf = new Map<string, number>();
  chain.forEach((service, i) => void levelOf.set(service, i));

  // Every span id of the dump: only asked for orphans no call ties to, so gathered on the first one.
  let spanIds: Set<string> | undefined;
  const spanElsewhere = (spanId: string | undefined): boolean => {
    if (spanId === undefined) return false;
    if (!spanIds) {
      spanIds = new Set<string>();
      for (const trace of traces) for (const span of trace.spans) spanIds.add(span.spanId);
    }
    return spanIds.has(spanId);
  };
  // The service of the span a link points to, when the dump holds it: traces by id, gathered on first use.
  let traceById: Map<TraceId, Trace> | undefined;
  const linkedService = (link: SpanLink): string | undefined => {
    traceById ??= new Map(traces.map((trace) => [trace.traceId, trace]));
    return traceById.get(link.traceId)?.nodeById.get(link.spanId)?.span.service;
  };
  // By index: one pass over every trace, mostly before it is optimized, where a for...of allocates per step.
  for (let t = 0; t < traces.length; t++) {
    const trace = traces[t] as Trace;
    const belongs = owner(trace);
    if (belongs === 'other') continue;
    let best: { reach: number; last?: Span } = { reach: 0 };
    let hasSecond = false;
    if (belongs === 'own') {
      for (const root of trace.roots) {
        const result = reachFrom(root.node, chain, 0);
        if (result.reach > best.reach) best = result;
      }
      hasSecond = second !== undefined && best.reach === 1 && trace.spans.some((span) => span.service === second);
      // The second service recorded nothing, yet a later one's span hangs beneath its unexported call, in the
      // trace: the run went on past it (its own sampler dropped the request, or its spans were lost).
      if (best.reach === 1 && !hasSecond)
        hasSecond = trace.roots.some(
          (root) => root.reason === 'orphan' && (levelOf.get(root.node.span.service) ?? 0) >= 2,
        );
    }
    if (best.reach >= Math.min(2, chain.length) || hasSecond) {
      const run = newRun(trace);
      runs.push(run);
      const request = options.owner ? requestRoot(trace, chain, options.journeyName) : undefined;
      if (request) requests.push({ trace, root: request, level: 0, run });
      // A complete run needs no more judging: most runs of a healthy dump end here.
      if (best.reach < chain.length)
        pieces.push({ run, trace, reach: best.reach, ...(best.last ? { last: best.last } : {}) });
      else complete.push(trace);
      continue;
    }
    if (best.reach === 1) {
      lonely.push(trace);
      lonelyLast.set(trace, best.last);
      continue;
    }
    // A fragment's top: a true root, or an orphan whose parent id came from another trace's traceparent.
    const top = trace.roots[0];
    const level = top && top.reason !== 'cycle' ? levelOf.get(top.node.span.service) : undefined;
    if (top && level !== undefined && level > 0 && CALLEE_KINDS.has(top.node.span.kind))
      fragments.push({ trace, root: top.node, level });
    else if (top?.reason === 'root' && level !== undefined && level > 0 && CALLER_KINDS.has(top.node.span.kind)) {
      // A pull consumer's receive span, linked to the message a caller's PRODUCER span sent (it may go on to
      // call the next service), else a call made outside its request (it reached the next service; a link
      // back to the request's own span does not make it a consumer).
      if (linksOut(trace, top, linkedService)) fragments.push({ trace, root: top.node, level });
      else if (reachFrom(top.node, chain, level).reach > level + 1)
        detached.push({ trace, root: top.node, level: level + 1 });
    } else if (top && level !== undefined && level > 0 && linksOut(trace, top, linkedService))
      fragments.push({ trace, root: top.node, level });
    else if (options.owner && belongs === 'shared' && top?.reason === 'root' && top.node.span.service === chain[0]) {
      // The app's work in a trace of its own that reached the next service: a request sent outside the
      // journey (its root a CLIENT span, or the outbox's flush that replayed it).
      if (reachFrom(top.node, chain, 0).reach >= 2) requests.push({ trace, root: top.node, level: 0 });
    }
  }
  return { runs, pieces, complete, lonely, lonelyLast, fragments, detached, requests, spanElsewhere };
}
