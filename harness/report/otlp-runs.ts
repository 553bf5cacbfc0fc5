import type { Span } from '../model/span';
import type { Problem } from '../verify/problem';
import type { JourneySpec } from './journeys';
import type { JourneyRun } from './run-record';

/** Span attributes that name the journey a trace belongs to (tracehop's own, then the sample app's). */
export const JOURNEY_ATTRIBUTES: readonly string[] = ['tracehop.journey', 'app.journey'];

/**
 * Turns spans of a real environment (OTLP dumps) into one run per declared journey. A trace whose spans
 * name a declared journey (see JOURNEY_ATTRIBUTES) belongs to that journey only; every other trace
 * (including the fragments a broken hop leaves behind) is shared by all journeys.
 */
export function runsFromSpans(
  spec: readonly JourneySpec[],
  spans: readonly Span[],
  options: { recordedAt: string; problems?: readonly Problem[]; journeyAttributes?: readonly string[]; source?: string },
): JourneyRun[] {
  const attributes = options.journeyAttributes ?? JOURNEY_ATTRIBUTES;
  const declared = new Set(spec.map((journey) => journey.name));
  const owner = new Map<string, string>();
  for (const span of spans) {
    for (const key of attributes) {
      const value = span.attributes[key];
      if (typeof value === 'string' && declared.has(value) && !owner.has(span.traceId)) owner.set(span.traceId, value);
    }
  }
  return spec.map((journey) => {
    const own = spans.filter((span) => {
      const tag = owner.get(span.traceId);
      return tag === undefined || tag === journey.name;
    });
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
