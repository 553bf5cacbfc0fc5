import { repeatsSpanIds, shortId, type Span, type SpanId, type Trace } from '../model';
import { describeSpan, kindWord } from './internal/describe';
import type { DuplicateSpanIdProblem } from './problem';

/** Spans named in a message, at most this many: thousands of copies must not make a message of megabytes. */
const MAX_LISTED = 3;

function listSpans(spans: readonly Span[]): string {
  const listed = spans.slice(0, MAX_LISTED).map(describeSpan).join(', ');
  return spans.length > MAX_LISTED ? `${listed} and ${spans.length - MAX_LISTED} more` : listed;
}

/** The likeliest real-world cause, from what the spans sharing an id have in common. */
function duplicateCause(first: Span, spans: readonly Span[]): string {
  const services = [...new Set(spans.map((span) => span.service))];
  if (services.length > 1) {
    return `${services.join(' and ')} generated the same span id: an id generator is not random (a fixed seed, or ids copied from the incoming traceparent)`;
  }
  const same = (span: Span): boolean =>
    span.name === first.name &&
    span.kind === first.kind &&
    span.startTimeMs === first.startTimeMs &&
    span.endTimeMs === first.endTimeMs &&
    span.parentSpanId === first.parentSpanId;
  if (spans.every(same)) {
    return `the same span was exported ${spans.length} times: two span processors export it, or an exporter resent a batch the collector had already written`;
  }
  if (spans.every((span) => span.kind === 'client' || span.kind === 'producer')) {
    return `a retry reused the span id: the SDK must start a new ${kindWord(first.kind)} span for each attempt`;
  }
  return `${first.service} reused a span id instead of starting a new span (a second instrumentation, or a span id kept across requests)`;
}

/** `duplicate-span-id`: two or more spans in one trace share a span id (one problem per id). */
export function findDuplicateSpanIds(trace: Trace): DuplicateSpanIdProblem[] {
  // buildTrace saw whether an id repeats: most traces have none, and need no map here.
  if (!repeatsSpanIds(trace)) return [];
  const byId = new Map<SpanId, Span[]>();
  let duplicated: SpanId[] | undefined;
  for (const span of trace.spans) {
    const list = byId.get(span.spanId);
    if (!list) {
      byId.set(span.spanId, [span]);
      continue;
    }
    if (list.length === 1) (duplicated ??= []).push(span.spanId);
    list.push(span);
  }
  if (!duplicated) return [];
  return duplicated.flatMap((spanId): DuplicateSpanIdProblem[] => {
    // Every duplicated id has a list of at least two spans.
    const spans = byId.get(spanId) ?? [];
    const [first] = spans;
    if (!first) return [];
    const problem: DuplicateSpanIdProblem = {
      kind: 'duplicate-span-id',
      traceId: trace.traceId,
      spanId,
      service: first.service,
      count: spans.length,
      message:
        `${spans.length} spans share span id ${shortId(spanId)} in trace ${shortId(trace.traceId)} (${listSpans(spans)}): ` +
        duplicateCause(first, spans),
    };
    return [problem];
  });
}
