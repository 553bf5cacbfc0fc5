/** A run that stopped inside one trace, judged there: the service it misses, or the one not beneath its caller. */
import type { Span, SpanNode, Trace } from '../../model';
import { missingService, notBeneath, secondRoot } from '../chain-words';
import type { ChainProblem } from '../expected-chain';
import { CALLER_KINDS, forwardedFrom, isDatabaseCall } from './calls';
import { reachFrom, unansweredCalls, type Piece } from './chain-pieces';

/** A run that stopped inside one trace: the next service is elsewhere in it, or nowhere. */
export function judgeWithin(
  piece: Piece,
  chain: readonly string[],
  dump: {
    /** Whether any trace holds a span of `service`. */
    seenAnywhere: (service: string) => boolean;
    /** The first span, with no time, of a new trace of `service`'s that no run took (see missingService). */
    untimedStart: (service: string) => Span | undefined;
  },
  problems: ChainProblem[],
): void {
  let { reach, last } = piece;
  const trace = piece.trace;
  while (reach < chain.length) {
    const previous = chain[reach - 1] as string;
    const next = chain[reach] as string;
    const entry = firstSpanOf(trace, next);
    if (!entry) {
      const later = chain.slice(reach + 1).find((service) => trace.spans.some((span) => span.service === service));
      problems.push(
        missingService(
          next,
          previous,
          trace,
          dump.seenAnywhere(next),
          later,
          callToNext(unansweredCalls(trace, previous)),
          reach === piece.reach ? piece.alsoFits : undefined,
          dump.untimedStart(next),
        ),
      );
      return;
    }
    const top = entry.root;
    if (top.reason === 'root' && top.node !== rootOf(trace, last))
      problems.push(secondRoot(previous, next, entry.node.span, trace, last, reach === 1));
    else if (top.reason === 'root' && !forwardedHere(trace, entry.node.span))
      problems.push(notBeneath(previous, next, entry.node.span, last, reach === 1));
    // An orphan or looped tree, or a forwarded traceparent, is explained by its own structural problem.
    const result = reachFrom(entry.node, chain, reach);
    reach = result.reach;
    last = result.last ?? last;
  }
}

/** A span of `service` (first in tree order) and the top of its tree. */
function firstSpanOf(
  trace: Trace,
  service: string,
): { node: SpanNode; root: { node: SpanNode; reason: string } } | undefined {
  for (const root of trace.roots) {
    const stack: SpanNode[] = [root.node];
    while (stack.length > 0) {
      const node = stack.pop() as SpanNode;
      if (node.span.service === service) return { node, root };
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as SpanNode);
    }
  }
  return undefined;
}

function rootOf(trace: Trace, span: Span | undefined): SpanNode | undefined {
  if (!span) return undefined;
  let current: Span | undefined = span;
  const visited = new Set<Span>();
  while (current && current.parentSpanId !== undefined && !visited.has(current)) {
    visited.add(current);
    const parent = trace.nodeById.get(current.parentSpanId);
    if (!parent) break;
    current = parent.span;
  }
  return current ? trace.nodeById.get(current.spanId) : undefined;
}

/** Whether `span` hangs under a CLIENT span of its caller's caller: the wrong-parent check names that. */
function forwardedHere(trace: Trace, span: Span): boolean {
  if (span.parentSpanId === undefined) return false;
  const parent = trace.nodeById.get(span.parentSpanId);
  if (!parent || !CALLER_KINDS.has(parent.span.kind)) return false;
  return parent.children.some((other) => forwardedFrom(parent, span, other) !== undefined);
}

/**
 * The unanswered call that was meant for the next service: not a database query, and one that did not fail
 * when there is one (a retry that succeeded yet got no answer in the trace says more than the attempt that
 * failed before it).
 */
export function callToNext(calls: readonly Span[]): Span | null {
  const meant = calls.filter((call) => !isDatabaseCall(call));
  return meant.find((call) => call.statusCode !== 2) ?? meant[0] ?? null;
}
