import { shortId, type SpanId, type SpanNode, type Trace, type TraceRoot } from '../model';
import { kindWord } from './internal/describe';
import type { Problem } from './problem';
import { quotedText } from '../internal/terminal-text';

/** Deeper levels stop indenting (and say their depth), so a 20,000-deep trace stays printable. */
const MAX_INDENT_DEPTH = 30;
/** Marked spans past the line limit are still named, up to this many. */
const MAX_HIDDEN_MARKED = 10;

/** Options of {@link renderTraceTree}. */
export interface RenderOptions {
  /** Stop after this many span lines (a last line says how many were left out). Default: no limit. */
  readonly maxLines?: number;
}

function topNote(root: TraceRoot): string {
  if (root.reason === 'orphan') return ` (parent ${shortId(root.node.span.parentSpanId as SpanId)} not in trace)`;
  if (root.reason === 'cycle') return ' (parent links loop)';
  return '';
}

/**
 * Draws one trace as an indented tree: service, span name, kind and short span id per line, spans with a
 * problem marked `✗` followed by the problem kinds.
 * @example
 * trace 4bf92f35 (3 spans)
 * └─ mobile-app "checkout" INTERNAL 00f067aa
 *    └─ ✗ payment-api "POST /payments" SERVER 3a4b5c6d  wrong-parent
 */
export function renderTraceTree(trace: Trace, problems: readonly Problem[] = [], options: RenderOptions = {}): string {
  const marks = new Map<string, string[]>();
  const mark = (spanId: string, label: string): void => {
    const kinds = marks.get(spanId) ?? [];
    if (!kinds.includes(label)) kinds.push(label);
    marks.set(spanId, kinds);
  };
  for (const problem of problems) {
    if (problem.traceId === trace.traceId && problem.spanId !== null) mark(problem.spanId, problem.kind);
    // The caller's side of a broken chain: the last span that still had the trace.
    if (problem.kind === 'broken-chain' && problem.lastTraceId === trace.traceId && problem.lastSpanId) {
      mark(problem.lastSpanId, `broken-chain (last hop in this trace)`);
    }
  }
  const maxLines = options.maxLines ?? Infinity;
  const lines = [`trace ${shortId(trace.traceId)} (${trace.spans.length} span${trace.spans.length === 1 ? '' : 's'})`];
  let written = 0;

  type Entry = { node: SpanNode; depth: number; prefix: string; last: boolean; note: string };
  const stack: Entry[] = [];
  for (let i = trace.roots.length - 1; i >= 0; i--) {
    const root = trace.roots[i];
    if (!root) continue;
    stack.push({ node: root.node, depth: 0, prefix: '', last: i === trace.roots.length - 1, note: topNote(root) });
  }
  // Past the line limit the walk goes on without drawing, to name the marked spans it would have cut.
  let morePrefix: string | undefined;
  const hiddenMarked: string[] = [];
  let hiddenMarkedCount = 0;
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { node, depth, prefix, last, note } = entry;
    const span = node.span;
    // Every span carrying a problem's span id is marked: both copies of a duplicated id, for instance.
    const kinds = marks.get(span.spanId);
    const mark = kinds ? '✗ ' : '';
    const tail = kinds ? `  ${kinds.join(', ')}` : '';
    const text = `${mark}${span.service} ${quotedText(span.name)} ${kindWord(span.kind)} ${shortId(span.spanId)}${note}${tail}`;
    if (written >= maxLines) {
      morePrefix ??= prefix;
      if (kinds && hiddenMarkedCount++ < MAX_HIDDEN_MARKED) hiddenMarked.push(`(depth ${depth}) ${text}`);
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = node.children[i];
        if (child) stack.push({ node: child, depth: depth + 1, prefix, last: false, note: '' });
      }
      continue;
    }
    const deep = depth > MAX_INDENT_DEPTH ? `(depth ${depth}) ` : '';
    lines.push(`${prefix}${last ? '└─ ' : '├─ '}${deep}${text}`);
    written++;
    const childPrefix = depth >= MAX_INDENT_DEPTH ? prefix : `${prefix}${last ? '   ' : '│  '}`;
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i];
      if (!child) continue;
      stack.push({
        node: child,
        depth: depth + 1,
        prefix: childPrefix,
        last: i === node.children.length - 1,
        note: '',
      });
    }
  }
  if (morePrefix !== undefined) {
    const marked = hiddenMarkedCount > 0 ? `; the marked ones among them:` : '';
    lines.push(`${morePrefix}… ${trace.spans.length - written} more span(s) not shown${marked}`);
    for (const line of hiddenMarked) lines.push(`${morePrefix}   ${line}`);
    if (hiddenMarkedCount > MAX_HIDDEN_MARKED)
      lines.push(`${morePrefix}   … and ${hiddenMarkedCount - MAX_HIDDEN_MARKED} more marked span(s)`);
  }
  return lines.join('\n');
}
