import { buildTrace, repeatsSpanIds, shortId, type Span, type SpanId, type Trace } from '../model';
import { describeSpan } from './internal/describe';
import type { DuplicateExportWarning } from './problem';

/** `value` with the keys of every object in sorted order, so two writers' orders make one key. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  // No prototype: an attribute named "__proto__" (which decoders keep) is a key like any other.
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort()) out[key] = sorted((value as Record<string, unknown>)[key]);
  return out;
}

/**
 * Everything a span says, except where it was read from: two copies with equal keys are one span. The
 * order of fields and attributes is the writer's, not the span's; status code 0 is UNSET, as no status is.
 */
function contentKey(span: Span): string {
  return JSON.stringify(sorted({ ...span, source: undefined, statusCode: span.statusCode || undefined }));
}

/**
 * Folds spans exported more than once, identical in every field tracehop reads (not the resource's other
 * attributes, scope or events but an ERROR span's exceptions, which the span model leaves out), into one span with a `duplicate-export`
 * warning naming the count: OTLP accepts duplicates as the price of retries. Copies of an id that differ in
 * any field all stay, for `duplicate-span-id` to judge. Traces without a repeated id are returned as they are.
 */
export function foldDuplicateExports(trace: Trace): { trace: Trace; warnings: DuplicateExportWarning[] } {
  if (!repeatsSpanIds(trace)) return { trace, warnings: [] };
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
          `${describeSpan(first)} was exported ${same.length} times, identical in every field tracehop reads, in trace ${shortId(trace.traceId)}: ` +
          `counted once (an exporter re-sent a batch after a lost acknowledgement, as exporters retry, or the dump holds the trace more than once: answers of a trace store that each returned it, such as one query per service or time windows that overlap, or a file passed twice)`,
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
