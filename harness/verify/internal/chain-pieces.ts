/**
 * What judgeChain (expected-chain.ts) builds its verdicts from: runs, the pieces they stand in, the fragments a
 * hop started over, and the walk that says how far the chain runs down a tree.
 */
import type { Span, SpanNode, Trace, TraceId } from '../../model';
import type { ChainRun } from '../expected-chain';
import { CALLER_KINDS } from './calls';
import { isInboundSidecar, outboundSidecarOf, outboundSidecarServerOf, proxiedOn } from './sidecars';

/**
 * How far the chain runs down from `start` (a root or any node), starting at chain[from]: services run in
 * order, each beneath the previous. Matching greedily along each root-to-leaf path is optimal, so one
 * iterative walk suffices. `last` is a span of the furthest service reached, on the furthest path.
 */
export function reachFrom(start: SpanNode, chain: readonly string[], from: number): { reach: number; last?: Span } {
  let reach = from;
  let last: Span | undefined;
  // Scratch stacks shared by every call (the walk never re-enters): this runs over every span of every run.
  const nodes = SCRATCH_NODES;
  const levels = SCRATCH_LEVELS;
  nodes.length = 0;
  levels.length = 0;
  nodes.push(start);
  levels.push(from);
  while (nodes.length > 0) {
    const node = nodes.pop() as SpanNode;
    let level = levels.pop() as number;
    if (level < chain.length && node.span.service === chain[level]) {
      level++;
      if (level > reach) {
        reach = level;
        last = node.span;
      }
    }
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      nodes.push(children[i] as SpanNode);
      levels.push(level);
    }
  }
  return last ? { reach, last } : { reach };
}

const SCRATCH_NODES: SpanNode[] = [];
const SCRATCH_LEVELS: number[] = [];

export interface Run extends ChainRun {
  readonly trace: Trace;
  fragments: TraceId[];
}

export const NO_FRAGMENTS: TraceId[] = [];

export function newRun(trace: Trace): Run {
  return { traceId: trace.traceId, fragments: NO_FRAGMENTS, trace };
}

/** Where a run stands: the trace it is in now and how far the chain got there. */
export interface Piece {
  readonly run: Run | undefined;
  readonly trace: Trace;
  readonly reach: number;
  readonly last?: Span;
  /**
   * New traces at the hop this piece stopped at that were tied to other runs, though route and timing fit a
   * call of this one as well (runs at once): the callee's trace may be this run's.
   */
  readonly alsoFits?: readonly FitElsewhere[];
}

/** A new trace tied to another run whose route and timing fit a run that stopped at the same hop too. */
export interface FitElsewhere {
  readonly fragment: TraceId;
  readonly run: TraceId;
  /** The run's journey, when another journey's run holds the fragment. */
  readonly journey?: string;
}

export interface Fragment {
  readonly trace: Trace;
  readonly root: SpanNode;
  readonly level: number;
}

/**
 * CLIENT/PRODUCER spans of `service` in a trace that nobody answered, and the Envoy sidecar spans (Istio, no
 * spawn_upstream_span) that stand for such a call, holding the answer the proxy gave (`http.status_code`,
 * `response_flags`): its own sidecar's span of the call (outboundSidecarOf), under one of its spans, or under
 * its sidecar's SERVER span of the request beneath one (spawn_upstream_span: outboundSidecarServerOf), when
 * nothing hangs beneath it; and the callee's sidecar's span (isInboundSidecar), when it is all that hangs
 * beneath the call, its workload's span absent (the request got no further than the callee's proxy). An Envoy
 * that is `service` itself and records one span a request (proxiedOn: its SERVER span) made its call in that
 * span: with nothing beneath it, that call went unanswered.
 */
export function unansweredCalls(trace: Trace, service: string): Span[] {
  const calls: Span[] = [];
  for (const node of trace.nodes) {
    if (node.span.service !== service) continue;
    const children = node.children;
    if (CALLER_KINDS.has(node.span.kind) || proxiedOn(node.span)) {
      if (children.length === 0) calls.push(node.span);
      else if (children.every((child) => child.children.length === 0 && isInboundSidecar(child.span)))
        for (const child of children) calls.push(child.span);
    }
    for (const child of children) {
      if (child.span.service === service) continue;
      if (child.children.length === 0 && outboundSidecarOf(child.span, service)) calls.push(child.span);
      // With spawn_upstream_span the sidecar's CLIENT span hangs beneath its SERVER span of the same request.
      else if (outboundSidecarServerOf(child.span, service))
        for (const sent of child.children)
          if (sent.children.length === 0 && outboundSidecarOf(sent.span, service)) calls.push(sent.span);
    }
  }
  return calls;
}

export function removeWhere<T>(items: T[], drop: (item: T) => boolean): void {
  const keep = items.filter((item) => !drop(item));
  items.length = 0;
  for (const item of keep) items.push(item);
}
