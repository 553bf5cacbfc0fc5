/**
 * Decodes every propagation format present in one request's headers, so the backend can store the
 * verdicts beside the raw headers in its capture log.
 */
import type { HeaderEntry } from '../model';
import { decodeBaggage, type BaggageResult } from './baggage';
import { B3_MULTI_HEADER_NAMES, decodeB3Multi, decodeB3Single, type B3Result } from './b3';
import { decodeTraceparent, type TraceparentResult } from './traceparent';
import { decodeTracestate, type TracestateResult } from './tracestate';

/** Every header name that carries trace context or baggage, lowercase. */
export const TRACE_HEADER_NAMES = [
  'traceparent',
  'tracestate',
  'baggage',
  'b3',
  B3_MULTI_HEADER_NAMES.traceId,
  B3_MULTI_HEADER_NAMES.spanId,
  B3_MULTI_HEADER_NAMES.parentSpanId,
  B3_MULTI_HEADER_NAMES.sampled,
  B3_MULTI_HEADER_NAMES.flags,
] as const;

/** A header name of {@link TRACE_HEADER_NAMES}, lowercase. */
export type TraceHeaderName = (typeof TRACE_HEADER_NAMES)[number];

/** One format found in the request: its raw header lines (arrival order) and the codec's verdict. */
export interface ExtractedHeader<R> {
  readonly values: readonly string[];
  readonly result: R;
}

/** The formats present in a request; a format is absent when none of its headers were sent. */
export interface ExtractedContexts {
  readonly traceparent?: ExtractedHeader<TraceparentResult>;
  readonly tracestate?: ExtractedHeader<TracestateResult>;
  readonly baggage?: ExtractedHeader<BaggageResult>;
  readonly b3?: ExtractedHeader<B3Result>;
  /** `values` holds the X-B3-* lines as "name: value", in arrival order. */
  readonly b3Multi?: ExtractedHeader<B3Result>;
}

function isHeaderEntry(entry: unknown): entry is HeaderEntry {
  return Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string';
}

/** The lines of one header (`name` lowercase), matched case-insensitively, in arrival order. Never throws. */
export function headerValues(headers: readonly HeaderEntry[], name: string): string[] {
  const values: string[] = [];
  if (!Array.isArray(headers)) return values;
  for (const entry of headers) {
    if (isHeaderEntry(entry) && (entry[0] === name || entry[0].toLowerCase() === name)) values.push(entry[1]);
  }
  return values;
}

/** Decodes traceparent, tracestate, baggage, b3 and X-B3-* from a request's headers. Never throws. */
export function extractContexts(headers: readonly HeaderEntry[]): ExtractedContexts {
  const safe = (Array.isArray(headers) ? headers : []).filter(isHeaderEntry);
  const traceparent = headerValues(safe, 'traceparent');
  const tracestate = headerValues(safe, 'tracestate');
  const baggage = headerValues(safe, 'baggage');
  const b3 = headerValues(safe, 'b3');
  const multiNames: readonly string[] = Object.values(B3_MULTI_HEADER_NAMES);
  const b3Multi = safe.filter((entry) => multiNames.includes(entry[0].toLowerCase()));
  return {
    ...(traceparent.length > 0 ? { traceparent: { values: traceparent, result: decodeTraceparent(traceparent) } } : {}),
    ...(tracestate.length > 0 ? { tracestate: { values: tracestate, result: decodeTracestate(tracestate) } } : {}),
    ...(baggage.length > 0 ? { baggage: { values: baggage, result: decodeBaggage(baggage) } } : {}),
    ...(b3.length > 0 ? { b3: { values: b3, result: decodeB3Single(b3) } } : {}),
    ...(b3Multi.length > 0
      ? {
          b3Multi: {
            values: b3Multi.map(([name, value]) => `${name.toLowerCase()}: ${value}`),
            result: decodeB3Multi(b3Multi),
          },
        }
      : {}),
  };
}
