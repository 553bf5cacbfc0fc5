import type { SpanId, TraceId } from '../ids';
import type { Attributes, Span, SpanKind, SpanOrigin, SpanSource } from '../span';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A received span of a detail decode (the OTLP receiver's, JSON or protobuf) made by one object literal holding
 * its parent, trace flags, trace state, status code, origin and remote-parent bit, each when present (an
 * undefined one is left out). V8 keeps a literal's fields in the object (8 B each on a 64-bit Node); fields set
 * after it was made go to a property array of its own (40 B and more a span): setting origin and parentIsRemote
 * that way took the memory bench from 295 to 339 B a stored span. Rarer fields (links, events, a status message)
 * are still set after.
 *
 * The fields come as arguments, in the span's order, not in objects: this runs once per received span and is
 * not inlined, so objects to carry them were made and dropped for every span (two per span of an OTLP/JSON
 * export, about a tenth of its decode besides JSON.parse).
 */
export function detailSpan(
  traceId: TraceId,
  spanId: SpanId,
  name: string,
  kind: SpanKind,
  service: string,
  startTimeMs: number,
  endTimeMs: number,
  attributes: Attributes,
  source: SpanSource,
  parentSpanId: SpanId | undefined,
  traceFlags: number | undefined,
  traceState: string,
  statusCode: number | undefined,
  origin: SpanOrigin,
  parentIsRemote: boolean | undefined,
): Mutable<Span> {
  const shape =
    (parentSpanId === undefined ? 0 : 1) |
    (traceFlags === undefined ? 0 : 2) |
    (parentIsRemote === undefined ? 0 : 4) |
    (statusCode === undefined ? 0 : 8);
  // Each case names exactly the fields present: an absent optional field is no property at all.
  switch (shape) {
    case 0:
      return { traceId, spanId, name, kind, service, startTimeMs, endTimeMs, attributes, source, traceState, origin };
    case 1:
      return {
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
      };
    case 2:
      return {
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
      };
    case 3:
      return {
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
      };
    case 4:
      return {
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
    case 5:
      return {
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
    case 6:
      return {
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
    case 7:
      return {
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
    case 8:
      return {
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
        statusCode,
        origin,
      };
    case 9:
      return {
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
        statusCode,
        origin,
      };
    case 10:
      return {
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
        statusCode,
        origin,
      };
    case 11:
      return {
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
        statusCode,
        origin,
      };
    case 12:
      return {
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
        statusCode,
        origin,
        parentIsRemote,
      };
    case 13:
      return {
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
        statusCode,
        origin,
        parentIsRemote,
      };
    case 14:
      return {
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
        statusCode,
        origin,
        parentIsRemote,
      };
    case 15:
      return {
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
        statusCode,
        origin,
        parentIsRemote,
      };
    default:
      throw new Error(`span shape ${shape} out of range`);
  }
}
