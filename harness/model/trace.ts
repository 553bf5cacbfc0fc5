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
  /** One node per span, in the order of `spans`. */
  readonly nodes: readonly SpanNode[];
  /** Tops of the forest ordered by start time then span id: true roots first, then orphans, then cycles. */
  readonly roots: readonly TraceRoot[];
  /** The node of the first span seen with each span id (children hang under it). */
  readonly nodeById: ReadonlyMap<SpanId, SpanNode>;
  /**
   * Whether two spans share a span id (a re-sent span, or a clash): most traces have none. Set by buildTrace;
   * for a trace made otherwise, {@link repeatsSpanIds} works it out.
   */
  readonly repeatsSpanIds?: boolean;
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
 * The children of every leaf: one frozen empty list instead of one per span (most spans of a dump are
 * leaves, and each list would live as long as the trace). Children are walked by index: V8 cannot inline a
 * `for...of` over a list that may be frozen, so each step of one makes an iterator result (about 130 MB of
 * garbage for a check of the 250k-span bench dump).
 */
const NO_CHILDREN = Object.freeze([]) as readonly SpanNode[] as SpanNode[];

/** A node while its trace is built: its first child replaces the shared empty list. */
interface BuildingNode {
  readonly span: Span;
  children: SpanNode[];
}

/**
 * Traces of at most this many spans find parents (and repeated ids) by a scan of their nodes, and index
 * them once built: most traces of a dump are this small, and lookups in a map still being filled cost more
 * than the scan. (The index stays an eager, plain Map: a lazy one, behind a getter, saved another fifth of
 * verifySpans but made traces lose it when spread or cloned.)
 */
const SCAN_LIMIT = 8;

/** The first node holding span id `id` among the first `count` of `nodes` (a short trace's scan). */
function scanFor(nodes: readonly BuildingNode[], id: SpanId, count: number): BuildingNode | undefined {
  for (let i = 0; i < count; i++) {
    const node = nodes[i] as BuildingNode;
    if (node.span.spanId === id) return node;
  }
  return undefined;
}

/** The node of the first span seen with each span id. */
function indexNodes(nodes: readonly SpanNode[]): Map<SpanId, SpanNode> {
  const index = new Map<SpanId, SpanNode>();
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as SpanNode;
    if (!index.has(node.span.spanId)) index.set(node.span.spanId, node);
  }
  return index;
}

/** `tops` with `top` added: a list of one when there is none yet. */
function withTop(tops: TraceRoot[] | undefined, top: TraceRoot): TraceRoot[] {
  if (tops === undefined) return [top];
  tops.push(top);
  return tops;
}

/** The walk of buildTrace, shared by every call (it never re-enters). */
const SCRATCH_STACK: SpanNode[] = [];

/**
 * Builds the tree of one trace's spans. Iterative and linear apart from sorting siblings (and the scan of a
 * short trace), so a trace 20,000 spans deep cannot overflow the stack.
 */
export function buildTrace(traceId: TraceId, spans: readonly Span[]): Trace {
  const count = spans.length;
  const short = count <= SCAN_LIMIT;
  const index = short ? undefined : new Map<SpanId, BuildingNode>();
  const nodes: BuildingNode[] = new Array<BuildingNode>(count);
  let startTimeMs = Infinity;
  let repeatsSpanIds = false;
  for (let i = 0; i < count; i++) {
    const span = spans[i] as Span;
    const node: BuildingNode = { span, children: NO_CHILDREN };
    nodes[i] = node;
    if (index === undefined) {
      if (!repeatsSpanIds && scanFor(nodes, span.spanId, i) !== undefined) repeatsSpanIds = true;
    } else if (!index.has(span.spanId)) index.set(span.spanId, node);
    else repeatsSpanIds = true;
    if (span.startTimeMs < startTimeMs) startTimeMs = span.startTimeMs;
  }

  // Attach each span under the first span holding its parent id; a self-parent counts as a loop. The list
  // of tops starts as a literal of one: most traces have one top, and a list grown by push from empty keeps
  // room for 17 as long as the trace lives.
  let tops: TraceRoot[] | undefined;
  for (let i = 0; i < count; i++) {
    const node = nodes[i] as BuildingNode;
    const parentId = node.span.parentSpanId;
    if (parentId === undefined) {
      tops = withTop(tops, { node, reason: 'root' });
      continue;
    }
    const parent = index === undefined ? scanFor(nodes, parentId, count) : index.get(parentId);
    if (parent === undefined) tops = withTop(tops, { node, reason: 'orphan' });
    else if (parent === node) continue;
    else if (parent.children === NO_CHILDREN) parent.children = [node];
    else parent.children.push(node);
  }

  // Each node sits in at most one children list, so a walk from the tops meets each node once. Whatever
  // it does not meet hangs off a parent loop.
  let reachedCount = 0;
  const stack = SCRATCH_STACK;
  stack.length = 0;
  tops ??= [];
  for (let i = 0; i < tops.length; i++) stack.push((tops[i] as TraceRoot).node);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    reachedCount++;
    const children = next.children;
    for (let i = 0; i < children.length; i++) stack.push(children[i] as SpanNode);
  }
  const nodeById = index ?? indexNodes(nodes);
  if (reachedCount < count) cutLoops(nodes, nodeById, tops);

  for (let i = 0; i < count; i++) {
    const children = (nodes[i] as BuildingNode).children;
    if (children.length > 1) children.sort(compareNodes);
  }
  if (tops.length > 1) tops.sort((a, b) => ROOT_ORDER[a.reason] - ROOT_ORDER[b.reason] || compareNodes(a.node, b.node));
  return {
    traceId,
    spans,
    nodes,
    roots: tops,
    nodeById,
    startTimeMs: count > 0 ? startTimeMs : 0,
    repeatsSpanIds,
  };
}

/** Whether two spans of the trace share a span id, also for a trace not made by buildTrace. */
export function repeatsSpanIds(trace: Trace): boolean {
  return trace.repeatsSpanIds ?? trace.nodeById.size !== trace.spans.length;
}

const ROOT_ORDER: Readonly<Record<RootReason, number>> = { root: 0, orphan: 1, cycle: 2 };

/** Makes one span of each parent loop a top (reason `cycle`), detaching it from its parent. */
function cutLoops(nodes: readonly SpanNode[], nodeById: ReadonlyMap<SpanId, SpanNode>, tops: TraceRoot[]): void {
  const reached = new Set<SpanNode>();
  const mark = (start: SpanNode): void => {
    const stack = [start];
    while (stack.length > 0) {
      const node = stack.pop() as SpanNode;
      if (reached.has(node)) continue;
      reached.add(node);
      for (const child of node.children) stack.push(child);
    }
  };
  for (const top of tops) mark(top.node);
  for (const start of [...nodes].sort(compareNodes)) {
    if (reached.has(start)) continue;
    // Walk up the parent links to a node on the loop, then cut the loop there.
    const seen = new Set<SpanNode>();
    let current = start;
    while (!seen.has(current)) {
      seen.add(current);
      const parent = current.span.parentSpanId !== undefined ? nodeById.get(current.span.parentSpanId) : undefined;
      if (parent === undefined) break;
      current = parent;
    }
    const parent = nodeById.get(current.span.parentSpanId as SpanId);
    if (parent && parent !== current) parent.children.splice(parent.children.indexOf(current), 1);
    tops.push({ node: current, reason: 'cycle' });
    mark(current);
  }
}

/**
 * Groups spans by trace id, whatever files, lines or batches they came from, and builds each tree.
 * Traces are ordered by their earliest start time, then trace id.
 */
export function groupTraces(spans: readonly Span[]): Trace[] {
  const byTrace = new Map<TraceId, Span[]>();
  // Spans of one trace usually sit together in a batch: comparing with the previous span's trace id is
  // cheaper than hashing every id afresh.
  let lastId: TraceId | undefined;
  let list: Span[] = [];
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    if (span.traceId !== lastId) {
      lastId = span.traceId;
      const found = byTrace.get(lastId);
      if (found) {
        list = found;
        list.push(span);
      } else byTrace.set(lastId, (list = [span]));
    } else list.push(span);
  }
  const traces: Trace[] = [];
  // A list grown by push keeps room for 17 spans or more; each trace keeps its spans for as long as it lives,
  // so it keeps a copy of just their length (most traces of a dump hold a handful). forEach, not for...of: a
  // one-shot loop runs in the interpreter first, where each step of a Map's iterator makes two objects.
  byTrace.forEach((list, traceId) => traces.push(buildTrace(traceId, list.length > 1 ? list.slice() : list)));
  return traces.sort(
    (a, b) => a.startTimeMs - b.startTimeMs || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0),
  );
}

/**
 * Calls `visit` for every parent link of the tree (parent span, child span): the links the checks judge,
 * without a lookup per span.
 */
export function forEachParentLink(trace: Trace, visit: (parent: SpanNode, child: Span) => void): void {
  const nodes = trace.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as SpanNode;
    const children = node.children;
    for (let j = 0; j < children.length; j++) visit(node, (children[j] as SpanNode).span);
  }
}

/**
 * Visits every node of a trace depth-first in tree order (parents before children, siblings by start
 * time), without recursion. `depth` is 0 for the tops of the forest.
 */
export function walkTrace(trace: Trace, visit: (node: SpanNode, depth: number, root: TraceRoot) => void): void {
  for (const root of trace.roots) {
    const stack: Array<[SpanNode, number]> = [[root.node, 0]];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const [node, depth] = next;
      visit(node, depth, root);
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = node.children[i];
        if (child) stack.push([child, depth + 1]);
      }
    }
  }
}
