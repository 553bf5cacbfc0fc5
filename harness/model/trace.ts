import type { SpanId, TraceId } from './ids';
import type { Span, SpanNode } from './span';

/** Why a span is at the top of a trace tree. */
export type RootReason = 'root' | 'orphan' | 'cycle';

/** A top-level node of a trace tree and why it has no parent in the tree. */
export interface TraceRoot {
  readonly node: SpanNode;
  /** `root`: no parent id; `orphan`: the parent id is not in the trace; `cycle`: its parent links loop. */
  readonly reason: RootReason;
}

/** All spans of one trace id, as a forest. Every span appears exactly once in the forest. */
export interface Trace {
  readonly traceId: TraceId;
  /** Spans in input order (duplicates kept). */
  readonly spans: readonly Span[];
  /** Tops of the forest ordered by start time then span id: true roots first, then orphans, then cycles. */
  readonly roots: readonly TraceRoot[];
  /** The first span seen with each span id. */
  readonly spanById: ReadonlyMap<SpanId, Span>;
  /** Earliest start time over the trace's spans (epoch ms). */
  readonly startTimeMs: number;
}

function compareSpans(a: Span, b: Span): number {
  if (a.startTimeMs !== b.startTimeMs) return a.startTimeMs - b.startTimeMs;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

function compareNodes(a: SpanNode, b: SpanNode): number {
  return compareSpans(a.span, b.span);
}

/**
 * Builds the tree of one trace's spans. Iterative and linear apart from sorting siblings, so a trace
 * 20,000 spans deep cannot overflow the stack.
 */
export function buildTrace(traceId: TraceId, spans: readonly Span[]): Trace {
  const spanById = new Map<SpanId, Span>();
  let startTimeMs = Infinity;
  for (const span of spans) {
    if (!spanById.has(span.spanId)) spanById.set(span.spanId, span);
    if (span.startTimeMs < startTimeMs) startTimeMs = span.startTimeMs;
  }
  const nodes = new Map<Span, SpanNode>();
  for (const span of spans) nodes.set(span, { span, children: [] });

  const tops: TraceRoot[] = [];
  // Attach each span under the first span holding its parent id; a self-parent counts as a loop.
  for (const span of spans) {
    const node = nodes.get(span) as SpanNode;
    if (span.parentSpanId === undefined) {
      tops.push({ node, reason: 'root' });
      continue;
    }
    const parent = spanById.get(span.parentSpanId);
    if (parent === undefined) {
      tops.push({ node, reason: 'orphan' });
      continue;
    }
    if (parent !== span) {
      (nodes.get(parent) as SpanNode).children.push(node);
    }
  }

  // Mark everything reachable from the roots; whatever is left hangs off a parent loop.
  const reached = new Set<Span>();
  const stack: SpanNode[] = tops.map((top) => top.node);
  while (stack.length > 0) {
    const node = stack.pop() as SpanNode;
    if (reached.has(node.span)) continue;
    reached.add(node.span);
    for (const child of node.children) stack.push(child);
  }
  if (reached.size < spans.length) {
    for (const span of [...spans].sort(compareSpans)) {
      if (reached.has(span)) continue;
      // Walk up the parent links to a span on the loop, then cut the loop there.
      const seen = new Set<Span>();
      let current = span;
      while (!seen.has(current)) {
        seen.add(current);
        const parent = current.parentSpanId !== undefined ? spanById.get(current.parentSpanId) : undefined;
        if (parent === undefined) break;
        current = parent;
      }
      const top = nodes.get(current) as SpanNode;
      const parent = spanById.get(current.parentSpanId as SpanId);
      if (parent && parent !== current) {
        const siblings = (nodes.get(parent) as SpanNode).children;
        siblings.splice(siblings.indexOf(top), 1);
      }
      tops.push({ node: top, reason: 'cycle' });
      stack.push(top);
      while (stack.length > 0) {
        const node = stack.pop() as SpanNode;
        if (reached.has(node.span)) continue;
        reached.add(node.span);
        for (const child of node.children) stack.push(child);
      }
    }
  }

  for (const node of nodes.values()) if (node.children.length > 1) node.children.sort(compareNodes);
  const order: Record<RootReason, number> = { root: 0, orphan: 1, cycle: 2 };
  tops.sort((a, b) => order[a.reason] - order[b.reason] || compareNodes(a.node, b.node));
  return { traceId, spans, roots: tops, spanById, startTimeMs: spans.length > 0 ? startTimeMs : 0 };
}

/**
 * Groups spans by trace id, whatever files, lines or batches they came from, and builds each tree.
 * Traces are ordered by their earliest start time, then trace id.
 */
export function groupTraces(spans: readonly Span[]): Trace[] {
  const byTrace = new Map<TraceId, Span[]>();
  for (const span of spans) {
    let list = byTrace.get(span.traceId);
    if (!list) byTrace.set(span.traceId, (list = []));
    list.push(span);
  }
  const traces: Trace[] = [];
  for (const [traceId, list] of byTrace) traces.push(buildTrace(traceId, list));
  return traces.sort((a, b) => a.startTimeMs - b.startTimeMs || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0));
}

/**
 * Visits every node of a trace depth-first in tree order (parents before children, siblings by start
 * time), without recursion. `depth` is 0 for the tops of the forest.
 */
export function walkTrace(trace: Trace, visit: (node: SpanNode, depth: number, root: TraceRoot) => void): void {
  for (const root of trace.roots) {
    const stack: Array<[SpanNode, number]> = [[root.node, 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop() as [SpanNode, number];
      visit(node, depth, root);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i], depth + 1]);
    }
  }
}
