import type { Span, TraceId } from '../model';
import type { Problem } from '../verify';
import type { JourneySpec } from './journeys';
import type { JourneyRun } from './run-record';

/**
 * Span attributes that name the journey a trace belongs to, in precedence order: on one span the first
 * of them that names a declared journey counts (tracehop's own tag overrides the app's).
 */
export const JOURNEY_ATTRIBUTES: readonly string[] = ['tracehop.journey', 'app.journey'];

/** The declared journey one span names: the first of `attributes` whose value is a declared journey. */
function spanJourney(span: Span, attributes: readonly string[], declared: ReadonlySet<string>): string | undefined {
  for (const key of attributes) {
    const value = span.attributes[key];
    if (typeof value === 'string' && declared.has(value)) return value;
  }
  return undefined;
}

/** Whether any trace names a declared journey (see journeysByTrace). */
export function namesAnyJourney(
  spec: readonly JourneySpec[],
  spans: readonly Span[],
  attributes: readonly string[] = JOURNEY_ATTRIBUTES,
): boolean {
  return journeysByTrace(spec, spans, attributes).size > 0;
}

/**
 * The declared journeys each trace names: any of its spans through `attributes` (see JOURNEY_ATTRIBUTES), or
 * else its root span's name, when that is a declared journey's name. Traces naming none are left out.
 * `tracehop check --journeys` and `tracehop report --spans` attribute traces with this one function.
 */
export function journeysByTrace(
  spec: readonly Pick<JourneySpec, 'name'>[],
  spans: readonly Span[],
  attributes: readonly string[] = JOURNEY_ATTRIBUTES,
): Map<TraceId, Set<string>> {
  const declared = new Set(spec.map((journey) => journey.name));
  const owners = new Map<TraceId, Set<string>>();
  const byRootName = new Map<TraceId, Set<string>>();
  for (const span of spans) {
    const journey = spanJourney(span, attributes, declared);
    if (journey !== undefined) {
      const names = owners.get(span.traceId) ?? new Set<string>();
      names.add(journey);
      owners.set(span.traceId, names);
    } else if (span.parentSpanId === undefined && declared.has(span.name)) {
      const names = byRootName.get(span.traceId) ?? new Set<string>();
      names.add(span.name);
      byRootName.set(span.traceId, names);
    }
  }
  for (const [traceId, names] of byRootName) if (!owners.has(traceId)) owners.set(traceId, names);
  return owners;
}

/**
 * Turns spans of a real environment (OTLP dumps) into one run per declared journey. A trace belongs to
 * every declared journey that any of its spans names (see JOURNEY_ATTRIBUTES for the per-span
 * precedence): an offline replay that continues a checkout's trace tags its own span, so that trace
 * counts for both journeys. A trace without such a span counts for the journey its root span is named after
 * (see journeysByTrace). A trace naming no declared journey (undeclared names are ignored), including
 * the fragments a broken hop leaves behind, is shared by all journeys.
 */
export function runsFromSpans(
  spec: readonly JourneySpec[],
  spans: readonly Span[],
  options: {
    recordedAt: string;
    problems?: readonly Problem[];
    journeyAttributes?: readonly string[];
    source?: string;
  },
): JourneyRun[] {
  const owners = journeysByTrace(spec, spans, options.journeyAttributes ?? JOURNEY_ATTRIBUTES);
  // A journey no span of the dump belongs to did not run: no run, so it scores 0 as "never ran", rather
  // than a run of no spans judged "there are no spans at all" beside a dump full of them.
  return spec.flatMap((journey) => {
    const own = spans.filter((span) => {
      const names = owners.get(span.traceId);
      return names === undefined || names.has(journey.name);
    });
    if (own.length === 0) return [];
    const traces = new Set(own.map((span) => span.traceId));
    return {
      version: 1,
      journey: journey.name,
      runId: `${journey.name}-otlp${options.source ? `-${options.source}` : ''}`,
      recordedAt: options.recordedAt,
      worker: 'otlp',
      source: 'otlp' as const,
      spans: own,
      captures: [],
      problems: (options.problems ?? []).filter((problem) => problem.traceId === null || traces.has(problem.traceId)),
    };
  });
}
