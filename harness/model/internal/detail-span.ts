import type { SpanId, TraceId } from '../ids';
import type { Attributes, Span, SpanKind, SpanOrigin, SpanSource } from '../span';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The fields every span of the receiver's fast path has, in the general decoder's order. */
export interface SpanCore {
  readonly traceId: TraceId;
  readonly spanId: SpanId;
  readonly name: string;
  readonly kind: SpanKind;
  readonly service: string;
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly attributes: Attributes;
  readonly source: SpanSource;
}

/**
 * A received span of a detail decode (the receiver's) with its origin and remote-parent bit in the object
 * literal. Set on the span after it was made, they gave every stored span a property array (40 B each on a
 * 64-bit Node, 295 -> 339 B a span in the memory bench) where a literal's field costs 8.
 */
export function detailSpan(
  c: SpanCore,
  parentSpanId: SpanId | undefined,
  traceFlags: number | undefined,
  traceState: string,
  origin: SpanOrigin,
  parentIsRemote: boolean | undefined,
): Mutable<Span> {
  const { traceId, spanId, name, kind, service, startTimeMs, endTimeMs, attributes, source } = c;
  if (parentSpanId !== undefined) {
    if (traceFlags !== undefined) {
      return parentIsRemote === undefined
        ? {
            traceId,
            spanId,
            name,
            kind,
            service,
            startTimeMs,
            endTimeMs,
            attributes,
            source,
            parentSpanId,
            traceFlags,
            traceState,
            origin,
          }
        : {
            traceId,
            spanId,
            name,
            kind,
            service,
            startTimeMs,
            endTimeMs,
            attributes,
            source,
            parentSpanId,
            traceFlags,
            traceState,
            origin,
            parentIsRemote,
          };
    }
    return parentIsRemote === undefined
      ? {
          traceId,
          spanId,
          name,
          kind,
          service,
          startTimeMs,
          endTimeMs,
          attributes,
          source,
          parentSpanId,
          traceState,
          origin,
        }
      : {
          traceId,
          spanId,
          name,
          kind,
          service,
          startTimeMs,
          endTimeMs,
          attributes,
          source,
          parentSpanId,
          traceState,
          origin,
          parentIsRemote,
        };
  }
  if (traceFlags !== undefined) {
    return parentIsRemote === undefined
      ? {
          traceId,
          spanId,
          name,
          kind,
          service,
          startTimeMs,
          endTimeMs,
          attributes,
          source,
          traceFlags,
          traceState,
          origin,
        }
      : {
          traceId,
          spanId,
          name,
          kind,
          service,
          startTimeMs,
          endTimeMs,
          attributes,
          source,
          traceFlags,
          traceState,
          origin,
          parentIsRemote,
        };
  }
  return parentIsRemote === undefined
    ? { traceId, spanId, name, kind, service, startTimeMs, endTimeMs, attributes, source, traceState, origin }
    : {
        traceId,
        spanId,
        name,
        kind,
        service,
        startTimeMs,
        endTimeMs,
        attributes,
        source,
        traceState,
        origin,
        parentIsRemote,
      };
}
