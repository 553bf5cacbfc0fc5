import { buildTrace, shortId, type Span, type SpanId, type Trace } from '../model';
import { describeSpan } from './internal/describe';
import type { DuplicateExportWarning } from './problem';

/** Everything a span says, except where it was read from: two copies with equal keys are one span. */
function contentKey(span: Span): string {
  return JSON.stringify({ ...span, source: undefined });
}

/**
 * Folds spans exported more than once, identical in every field, into one span with a `duplicate-export`
 * warning naming the count: OTLP accepts duplicates as the price of retries. Copies of an id that differ in
 * any field all stay, for `duplicate-span-id` to judge. Traces without a repeated id are returned as they are.
 */
export function foldDuplicateExports(trace: Trace): { trace: Trace; warnings: DuplicateExportWarning[] } {
  if (trace.nodeById.size === trace.spans.length) return { trace, warnings: [] };
  const byId = new Map<SpanId, Span[]>();
  for (const span of trace.spans) {
    const list = byId.get(span.spanId);
    if (list) list.push(span);
    else byId.set(span.spanId, [span]);
  }
  const dropped = new Set<Span>();
  const warnings: DuplicateExportWarning[] = [];
  for (const [spanId, list] of byId) {
    if (list.length === 1) continue;
    const copies = new Map<string, Span[]>();
    for (const span of list) {
      const key = contentKey(span);
      const same = copies.get(key);
      if (same) {
        same.push(span);
        dropped.add(span);
      } else copies.set(key, [span]);
    }
    for (const same of copies.values()) {
      const first = same[0];
      if (first === undefined || same.length === 1) continue;
      warnings.push({
        kind: 'duplicate-export',
        traceId: trace.traceId,
        spanId,
        service: first.service,
        count: same.length,
        message:
          `${describeSpan(first)} was exported ${same.length} times, identical in every field, in trace ${shortId(trace.traceId)}: ` +
          `counted once (an exporter re-sent a batch after a lost acknowledgement, which OTLP allows)`,
      });
    }
  }
  if (dropped.size === 0) return { trace, warnings };
  return {
    trace: buildTrace(
      trace.traceId,
      trace.spans.filter((span) => !dropped.has(span)),
    ),
    warnings,
  };
}
