import type { SpanId, TraceId } from '../ids';
import type { Span } from '../span';
import { SHARED_SPAN_ID } from '../b3-shared-span';
import { mergeZipkinPieces } from './zipkin-pieces';

export { SHARED_SPAN_ID };

/** An odd multiplier: `nth * SPREAD` differs for every `nth` below 2^32 and is never all ones for a small one. */
const SPREAD = 0x9e3779b9;

/**
 * The id a shared SERVER span gets: the shared id's first 8 hex digits (what trees and messages show, so
 * the id Zipkin shows can be found), then the ones' complement of the last 8 (each digit d becomes f - d).
 * `nth` counts the servers of other services that joined the same span before this one (a hop that
 * forwarded the context it received makes two): the last 8 digits are XORed with `nth * SPREAD`, so no two
 * servers get one id, and none gets the shared id (that would take a mask of all ones).
 */
export function sharedServerSpanId(id: SpanId, nth = 0): SpanId {
  let out = id.slice(0, 8);
  for (let i = 8; i < id.length; i++) out += (15 - parseInt(id.charAt(i), 16)).toString(16);
  if (nth === 0 || out.length < 16) return out as SpanId;
  const low = (parseInt(out.slice(-8), 16) ^ Math.imul(nth, SPREAD)) >>> 0;
  return (out.slice(0, -8) + low.toString(16).padStart(8, '0')) as SpanId;
}

const key = (traceId: TraceId, spanId: SpanId, service: string): string => `${traceId} ${spanId} ${service}`;

const PADDING = '0000000000000000';

/**
 * The spans with each 64-bit trace id (padded to 32) that another span writes in full (its 128-bit form,
 * the only one with those low 64 bits) read as that trace, as Zipkin reads mixed ids. Changed spans are
 * copied.
 */
function widenTraceIds(spans: readonly Span[]): readonly Span[] {
  const wide = new Map<string, TraceId | null>();
  for (const { traceId } of spans) {
    if (traceId.startsWith(PADDING)) continue;
    const low = traceId.slice(16);
    const known = wide.get(low);
    wide.set(low, known === undefined || known === traceId ? traceId : null);
  }
  if (wide.size === 0) return spans;
  let changed = false;
  const out = spans.map((span) => {
    if (!span.traceId.startsWith(PADDING)) return span;
    const full = wide.get(span.traceId.slice(16));
    if (full === undefined || full === null) return span;
    changed = true;
    return { ...span, traceId: full };
  });
  return changed ? out : spans;
}

/**
 * Zipkin's spans of one document, file or dump, read as Zipkin reads them together: 64-bit trace ids
 * widened where another span writes the 128-bit form, pieces of one span from different documents merged
 * (zipkin-pieces.ts), and each shared SERVER span (marked with
 * SHARED_SPAN_ID) given an id of its own under the CLIENT span it shares an id with, so one id for two spans
 * is never a duplicate, when that CLIENT span is among `spans`. A shared server whose id no other span has
 * keeps its id and parent, as Zipkin's tree places it: the caller recorded no CLIENT span of the call (py_zipkin
 * allocates the call's id in create_http_headers_for_new_span and flags every server started from it shared),
 * or it is in spans not read yet, and a later join moves the server under it. Two services holding one id
 * with no CLIENT span of it (a forwarded context) each get an id of their own under the shared id.
 * The spans of the server's own service that name the shared id as parent hang under it. Idempotent, so the
 * spans of one document, then of a file, then of several files can each be joined. Spans it changes are
 * copied; the others are returned as they are.
 */
export function joinZipkinSpans(input: readonly Span[]): Span[] {
  const spans = mergeZipkinPieces(widenTraceIds(input));
  if (!spans.some((span) => span.attributes[SHARED_SPAN_ID] !== undefined)) return [...spans];
  const unshared = new Set<string>();
  /** The services whose SERVER spans still hold each shared id (not joined yet). */
  const holders = new Map<string, Set<string>>();
  for (const span of spans) {
    const shared = span.attributes[SHARED_SPAN_ID];
    if (shared === undefined) unshared.add(`${span.traceId} ${span.spanId}`);
    else if (shared === span.spanId) {
      const at = `${span.traceId} ${span.spanId}`;
      holders.set(at, (holders.get(at) ?? new Set<string>()).add(span.service));
    }
  }
  /** Where the children of each shared id in each service go: the server's own id. */
  const moved = new Map<string, SpanId>();
  /** The services whose SERVER spans joined each shared id, in the order met. */
  const joiners = new Map<string, string[]>();
  /** The place of a service among those that joined a shared id (see sharedServerSpanId's `nth`). */
  const nthOf = (span: Span, sharedId: SpanId): number => {
    const joined = `${span.traceId} ${sharedId}`;
    const services = joiners.get(joined) ?? [];
    joiners.set(joined, services);
    const nth = services.indexOf(span.service);
    return nth === -1 ? services.push(span.service) - 1 : nth;
  };
  /** Ids an earlier join gave that this one gives again otherwise (files joined apart): old id -> new, per service. */
  const renamed = new Map<string, SpanId>();
  const out = spans.map((span) => {
    const shared = span.attributes[SHARED_SPAN_ID];
    if (typeof shared !== 'string') return span;
    const sharedId = shared as SpanId;
    if (span.spanId !== sharedId) {
      // Joined before. Two files joined apart each gave their server the first id: the later one moves on.
      const own = sharedServerSpanId(sharedId, nthOf(span, sharedId));
      if (own === span.spanId || span.spanId !== sharedServerSpanId(sharedId, 0)) {
        moved.set(key(span.traceId, sharedId, span.service), span.spanId);
        return span;
      }
      moved.set(key(span.traceId, sharedId, span.service), own);
      renamed.set(key(span.traceId, span.spanId, span.service), own);
      return { ...span, spanId: own };
    }
    // No span of the shared id besides this server's: it is the span of the call (the caller allocated the
    // id and recorded no CLIENT span of it, as py_zipkin's create_http_headers_for_new_span does), and stays
    // where its parent puts it, as Zipkin's tree puts it. Two services holding the id (a forwarded context)
    // still get ids of their own.
    const at = `${span.traceId} ${sharedId}`;
    if (!unshared.has(at) && (span.parentSpanId === undefined || holders.get(at)?.size === 1)) return span;
    const own = sharedServerSpanId(sharedId, nthOf(span, sharedId));
    moved.set(key(span.traceId, sharedId, span.service), own);
    return { ...span, spanId: own, parentSpanId: sharedId };
  });
  if (moved.size === 0) return out;
  return out.map((span) => {
    if (span.parentSpanId === undefined || span.attributes[SHARED_SPAN_ID] !== undefined) return span;
    const at = key(span.traceId, span.parentSpanId, span.service);
    const parent = moved.get(at) ?? renamed.get(at);
    return parent === undefined ? span : { ...span, parentSpanId: parent };
  });
}
