import type { Span } from '../span';
import { SHARED_SPAN_ID } from '../b3-shared-span';
import { hasTime } from '../span-time';

/** The id a span was reported with: a shared SERVER span given an id of its own keeps it as SHARED_SPAN_ID. */
function reportedId(span: Span): string {
  const shared = span.attributes[SHARED_SPAN_ID];
  return typeof shared === 'string' ? shared : span.spanId;
}

const keyOf = (span: Span): string => `${span.traceId} ${reportedId(span)} ${span.service}`;

/** Whether the span is a shared SERVER span already given an id (and its client's id as parent) by a join. */
const rejoined = (span: Span): boolean => reportedId(span) !== span.spanId;

/** Whether the two spans came from one document (one file, and one line of it or no line), which merged its own pieces. */
function oneDocument(a: Span, b: Span): boolean {
  return a.source?.file === b.source?.file && a.source?.line === b.source?.line;
}

/**
 * Whether `a` and `b`, of one trace, reported id and service, from different documents, are pieces of one span
 * as Zipkin's Trace.merge joins them: not both with a time, no two parents, names or kinds (a piece without a
 * kind reads as INTERNAL and joins any).
 */
function samePiece(a: Span, b: Span): boolean {
  if (oneDocument(a, b) || (hasTime(a) && hasTime(b))) return false;
  const parents = !rejoined(a) && !rejoined(b) && a.parentSpanId !== undefined && b.parentSpanId !== undefined;
  if (parents && a.parentSpanId !== b.parentSpanId) return false;
  if (a.name !== '' && b.name !== '' && a.name !== b.name) return false;
  return a.kind === b.kind || a.kind === 'internal' || b.kind === 'internal';
}

/** One span of two pieces: `a`'s fields where it has them (it was read first), `b`'s where not, the time of the one that has it. */
function merged(a: Span, b: Span): Span {
  const timed = hasTime(a) ? a : b;
  const exceptions = [...(a.exceptions ?? []), ...(b.exceptions ?? [])];
  // A shared SERVER span given its own id hangs under its client's span: the parent that join gave it.
  const parentSpanId = rejoined(b) ? b.parentSpanId : rejoined(a) ? a.parentSpanId : (a.parentSpanId ?? b.parentSpanId);
  const statusCode = a.statusCode ?? b.statusCode;
  const statusMessage = a.statusMessage ?? b.statusMessage;
  return {
    ...b,
    ...a,
    spanId: rejoined(b) ? b.spanId : a.spanId,
    ...(parentSpanId !== undefined ? { parentSpanId } : {}),
    name: a.name !== '' ? a.name : b.name,
    kind: a.kind !== 'internal' ? a.kind : b.kind,
    startTimeMs: timed.startTimeMs,
    endTimeMs: timed.endTimeMs,
    attributes: { ...b.attributes, ...a.attributes },
    ...(statusCode !== undefined ? { statusCode } : {}),
    ...(statusMessage !== undefined ? { statusMessage } : {}),
    ...(exceptions.length > 0 ? { exceptions } : {}),
  };
}

/**
 * Zipkin spans reported in pieces across documents (several POSTs, several answers in a file, several files)
 * merged as Zipkin merges them when it reads the trace: a piece with no time (tags, or a kind, sent apart from
 * the record with the timestamp) joins the span of its trace, id and service. Pieces within one document were
 * merged by its reader, which knows more of them (hosts, timestamps without duration). Returns `spans` itself
 * when no span lacks a time; merged spans are new, the others returned as they are, in their order.
 */
export function mergeZipkinPieces(spans: readonly Span[]): readonly Span[] {
  const untimed = new Set<string>();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    if (!hasTime(span)) untimed.add(keyOf(span));
  }
  if (untimed.size === 0) return spans;
  const out: Span[] = [];
  /** Where each piece of a key that has untimed pieces went in `out`. */
  const kept = new Map<string, number[]>();
  let changed = false;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    const key = keyOf(span);
    if (!untimed.has(key)) {
      out.push(span);
      continue;
    }
    const places = kept.get(key) ?? [];
    // A span with a time joins only a piece without: many whole records of one id (a retry loop) are not compared.
    const timed = hasTime(span);
    const at = places.find((place) => !(timed && hasTime(out[place] as Span)) && samePiece(out[place] as Span, span));
    if (at !== undefined) {
      out[at] = merged(out[at] as Span, span);
      changed = true;
      continue;
    }
    places.push(out.length);
    kept.set(key, places);
    out.push(span);
  }
  return changed ? out : spans;
}
