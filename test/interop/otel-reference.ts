/**
 * OpenTelemetry JS's own header parsing (@opentelemetry/core W3CTraceContextPropagator, TraceState and
 * W3CBaggagePropagator, through `extract`), next to ours (harness/propagation), both reduced to the same plain
 * values so a differential test can compare them.
 */
import { ROOT_CONTEXT, defaultTextMapGetter, propagation, trace } from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { decodeBaggage, decodeTraceparent, decodeTracestate } from '../../harness/propagation';

/** A header as received: absent (no lines), one line, or a repeated header. */
export type HeaderLines = readonly string[];

/** What a parser made of a header: a value, or nothing (rejected), with our failure reason when we failed. */
export type Parsed<T> = { readonly value: T | undefined; readonly reason?: string };

export interface TraceparentValue {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
}

/** Members in order, as [key, value]. */
export type TracestateValue = readonly (readonly [string, string])[];

/** Baggage as a map (key -> value and properties as `key` or `key=value` texts), the last duplicate winning. */
export type BaggageValue = Readonly<Record<string, { readonly value: string; readonly properties: readonly string[] }>>;

/** A valid traceparent, sent beside tracestate (OpenTelemetry reads tracestate only under a valid traceparent). */
export const VALID_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function carrier(name: string, lines: HeaderLines, extra: Record<string, string> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...extra };
  if (lines.length === 1) out[name] = lines[0];
  else if (lines.length > 1) out[name] = [...lines];
  return out;
}

// ---- traceparent ----

export function oursTraceparent(lines: HeaderLines): Parsed<TraceparentValue> {
  const result = decodeTraceparent(lines.length === 1 ? lines[0] : lines.length === 0 ? undefined : lines);
  if (!result.ok) return { value: undefined, reason: result.reason };
  const { traceId, parentId, traceFlags } = result.value;
  return { value: { traceId, spanId: parentId, traceFlags } };
}

export function otelTraceparent(lines: HeaderLines): Parsed<TraceparentValue> {
  const extracted = new W3CTraceContextPropagator().extract(
    ROOT_CONTEXT,
    carrier('traceparent', lines),
    defaultTextMapGetter,
  );
  const spanContext = trace.getSpanContext(extracted);
  if (!spanContext) return { value: undefined };
  return { value: { traceId: spanContext.traceId, spanId: spanContext.spanId, traceFlags: spanContext.traceFlags } };
}

// ---- tracestate ----

export function oursTracestate(lines: HeaderLines): Parsed<TracestateValue> {
  const result = decodeTracestate(lines.length === 1 ? lines[0] : lines.length === 0 ? undefined : lines);
  if (!result.ok) return { value: undefined, reason: result.reason };
  return { value: result.value.map((member) => [member.key, member.value] as const) };
}

export function otelTracestate(lines: HeaderLines): Parsed<TracestateValue> {
  const extracted = new W3CTraceContextPropagator().extract(
    ROOT_CONTEXT,
    carrier('tracestate', lines, { traceparent: VALID_TRACEPARENT }),
    defaultTextMapGetter,
  );
  const serialized = trace.getSpanContext(extracted)?.traceState?.serialize();
  if (serialized === undefined) return { value: undefined };
  // Keys and values never hold "," and values never "=", so the serialization splits back unambiguously.
  const members = serialized === '' ? [] : serialized.split(',');
  return {
    value: members.map((member) => {
      const eq = member.indexOf('=');
      return [member.slice(0, eq), member.slice(eq + 1)] as const;
    }),
  };
}

// ---- baggage ----

function property(key: string, value?: string): string {
  return value === undefined ? key : `${key}=${value}`;
}

export function oursBaggage(lines: HeaderLines): Parsed<BaggageValue> {
  const result = decodeBaggage(lines.length === 1 ? lines[0] : lines.length === 0 ? undefined : lines);
  if (!result.ok) return { value: undefined, reason: result.reason };
  const out: Record<string, { value: string; properties: string[] }> = Object.create(null);
  for (const entry of result.value) {
    out[entry.key] = { value: entry.value, properties: entry.properties.map((p) => property(p.key, p.value)) };
  }
  return { value: { ...out } };
}

/** OpenTelemetry keeps properties as one opaque metadata string; split and trim it the way the grammar reads it. */
function metadataProperties(metadata: string | undefined): string[] {
  if (metadata === undefined) return [];
  return metadata.split(';').map((text) => {
    const eq = text.indexOf('=');
    return eq < 0 ? text.trim() : property(text.slice(0, eq).trim(), text.slice(eq + 1).trim());
  });
}

export function otelBaggage(lines: HeaderLines): Parsed<BaggageValue> {
  const extracted = new W3CBaggagePropagator().extract(ROOT_CONTEXT, carrier('baggage', lines), defaultTextMapGetter);
  const baggage = propagation.getBaggage(extracted);
  if (!baggage) return { value: undefined };
  const out: Record<string, { value: string; properties: string[] }> = Object.create(null);
  for (const [key, entry] of baggage.getAllEntries()) {
    out[key] = { value: entry.value, properties: metadataProperties(entry.metadata?.toString()) };
  }
  return { value: { ...out } };
}
