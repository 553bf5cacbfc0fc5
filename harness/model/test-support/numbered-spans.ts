import { asSpanId, asTraceId } from '../ids';
import type { Attributes, Span, SpanKind } from '../span';

/** A trace id whose first 8 characters (what messages show) are `k` in hex: 3 -> "00000003000...0". */
export const numberedTraceId = (k: number): string => k.toString(16).padStart(8, '0').padEnd(32, '0');
/** A span id whose first 8 characters are `k` in hex: 9 -> "0000000900000000". */
export const numberedSpanId = (k: number): string => k.toString(16).padStart(8, '0').padEnd(16, '0');

/**
 * Hand-built traces with span ids that count up from 1, so a test can name a span by its number (`next()`
 * before adding it) and its parent by the parent's. Times are milliseconds after `baseMs`.
 */
export function numberedSpans(baseMs: number): {
  next: () => number;
  span: (
    trace: number,
    parent: number | undefined,
    service: string,
    name: string,
    kind: SpanKind,
    start: number,
    end?: number,
    attributes?: Attributes,
  ) => Span;
} {
  let last = 0;
  return {
    next: () => last + 1,
    span: (trace, parent, service, name, kind, start, end = start + 50, attributes = {}) => {
      last++;
      return {
        traceId: asTraceId(numberedTraceId(trace)),
        spanId: asSpanId(numberedSpanId(last)),
        ...(parent !== undefined ? { parentSpanId: asSpanId(numberedSpanId(parent)) } : {}),
        name,
        kind,
        service,
        startTimeMs: baseMs + start,
        endTimeMs: baseMs + end,
        attributes,
        traceFlags: 1,
      };
    },
  };
}
