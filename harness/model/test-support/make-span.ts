import { asSpanId, asTraceId } from '../ids';
import type { Attributes, Span, SpanKind } from '../span';

/** Short hand for test spans: ids are padded ("a" -> "a000...0"), times default to a nested layout. */
export interface SpanSpec {
  trace?: string;
  id: string;
  parent?: string;
  service?: string;
  name?: string;
  kind?: SpanKind;
  start?: number;
  end?: number;
  flags?: number;
  /** The span's trace state: '' for one known to be empty; left out, unknown (as Zipkin reads). */
  state?: string;
}

export const traceHex = (short: string): string => short.padEnd(32, '0');
export const spanHex = (short: string): string => short.padEnd(16, '0');

/** Builds a Span from a compact spec. */
export function makeSpan(spec: SpanSpec): Span {
  return {
    traceId: asTraceId(traceHex(spec.trace ?? '1')),
    spanId: asSpanId(spanHex(spec.id)),
    ...(spec.parent !== undefined ? { parentSpanId: asSpanId(spanHex(spec.parent)) } : {}),
    name: spec.name ?? `op-${spec.id}`,
    kind: spec.kind ?? 'internal',
    service: spec.service ?? 'svc',
    startTimeMs: spec.start ?? 1000,
    endTimeMs: spec.end ?? 2000,
    attributes: {},
    ...(spec.flags !== undefined ? { traceFlags: spec.flags } : {}),
    ...(spec.state !== undefined ? { traceState: spec.state } : {}),
  };
}

/** A span from positional arguments, with attributes: the shape the forwarded-traceparent tests write. */
export function spanWith(
  id: string,
  parent: string | undefined,
  service: string,
  name: string,
  kind: SpanKind,
  start: number,
  end: number,
  attributes: Attributes = {},
): Span {
  return { ...makeSpan({ id, service, name, kind, start, end, flags: 1, ...(parent ? { parent } : {}) }), attributes };
}
