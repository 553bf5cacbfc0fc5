import type { Span, Trace, TraceId } from '../model';
import { JOURNEY_ROOT_ATTRIBUTES, type JourneyChain, type Problem } from '../verify';
import type { JourneySpec } from './journeys';
import type { JourneyRun } from './run-record';

/**
 * Span attributes that name the journey a trace belongs to, in precedence order: on one span the first
 * of them that names a declared journey counts (tracehop's own tag overrides the app's).
 */
export const JOURNEY_ATTRIBUTES: readonly string[] = JOURNEY_ROOT_ATTRIBUTES;

/** The declared journey one span names: the first of `attributes` whose value is a declared journey. */
function spanJourney(span: Span, attributes: readonly string[], declared: ReadonlySet<string>): string | undefined {
  for (const key of attributes) {
    const value = span.attributes[key];
    if (typeof value === 'string' && declared.has(value)) return value;
  }
  return undefined;
}

/**
 * Journey names the spans give (through `attributes`) that the journeys file does not declare, each with how
 * many traces give it: a misspelt or differently cased tag leaves its journey's runs unjudged.
 */
export function undeclaredJourneyNames(
  spec: readonly Pick<JourneySpec, 'name'>[],
  spans: readonly Span[],
  attributes: readonly string[] = JOURNEY_ATTRIBUTES,
): Map<string, number> {
  const declared = new Set(spec.map((journey) => journey.name));
  // Traces that name a declared journey all the same (another span's tag, or the root span's name) are judged.
  const owned = journeysByTrace(spec, spans, attributes);
  const traces = new Map<string, Set<string>>();
  for (const span of spans) {
    if (owned.has(span.traceId)) continue;
    for (const key of attributes) {
      const value = span.attributes[key];
      if (typeof value !== 'string' || value === '' || declared.has(value)) continue;
      const named = traces.get(value) ?? new Set<string>();
      named.add(span.traceId);
      traces.set(value, named);
    }
  }
  return new Map([...traces].map(([name, ids]) => [name, ids.size]));
}

/** The note naming undeclared journey names found in dumps (see undeclaredJourneyNames), or undefined. */
export function undeclaredJourneysNote(names: ReadonlyMap<string, number>, file: string): string | undefined {
  if (names.size === 0) return undefined;
  const listed = [...names]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 5)
    .map(([name, count]) => `"${name}" (${count} trace${count === 1 ? '' : 's'})`)
    .join(', ');
  const more = names.size > 5 ? ` and ${names.size - 5} more` : '';
  return `Note: the spans name journeys that "${file}" does not declare: ${listed}${more}; their traces are judged as naming no journey. Declare them, or fix the tag (${JOURNEY_ATTRIBUTES.join(', ')}) to a declared name, spelt exactly.`;
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
  const tops = topSpans(spans, owners);
  // A journey no trace names did not run: no run, so it scores 0 as "never ran", rather than a run judged
  // on other journeys' traces or "there are no spans at all" beside a dump full of them.
  // Without any name in the dump, every trace is every journey's (report warns that they cover each other).
  const named = owners.size > 0;
  return spec.flatMap((journey) => {
    if (named && ![...owners.values()].some((names) => names.has(journey.name))) return [];
    const own = spans.filter((span) => {
      const names = owners.get(span.traceId);
      if (names !== undefined) return names.has(journey.name);
      if (!named) return true;
      // A trace naming no journey counts only if it may be a piece of this journey's runs: one its hop
      // started over (its top a SERVER or CONSUMER span of a later service, or a call a later service made
      // outside its request) or the app's own request.
      const top = tops.get(span.traceId);
      return top !== undefined && mayContinue(top, journey.chain);
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

/** The top span (one without a parent in its trace) of every trace naming no journey. */
function topSpans(spans: readonly Span[], owners: ReadonlyMap<TraceId, unknown>): Map<TraceId, Span> {
  const ids = new Set<string>();
  for (const span of spans) if (!owners.has(span.traceId)) ids.add(`${span.traceId}/${span.spanId}`);
  const tops = new Map<TraceId, Span>();
  for (const span of spans) {
    if (owners.has(span.traceId) || tops.has(span.traceId)) continue;
    const parent = span.parentSpanId;
    if (parent === undefined || !ids.has(`${span.traceId}/${parent}`)) tops.set(span.traceId, span);
  }
  return tops;
}

/** Whether a trace whose top span is `top` may continue a run of `chain` (see runsFromSpans). */
function mayContinue(top: Span, chain: readonly string[]): boolean {
  const level = chain.indexOf(top.service);
  if (level === 0) return true;
  // A CLIENT or PRODUCER of a service before the last: a call it made outside its request (a detached call,
  // which check ties to the run it served) or a pull consumer's receive span.
  const caller = (top.kind === 'client' || top.kind === 'producer') && level < chain.length - 1;
  return level > 0 && (top.kind === 'server' || top.kind === 'consumer' || caller);
}

/**
 * Each journey's chain for verifySpans, its traces told apart by `owners` (see journeysByTrace): the traces
 * naming it are its own, those naming no journey are shared (fragments a broken hop left), the rest another's.
 * `tracehop check --journeys` and `tracehop report --spans` judge a dump's journeys with these.
 */
export function journeyChains(
  journeys: readonly Pick<JourneySpec, 'name' | 'chain'>[],
  owners: ReadonlyMap<TraceId, ReadonlySet<string>>,
): JourneyChain[] {
  return journeys.map((journey) => ({
    name: journey.name,
    chain: journey.chain,
    owner: (trace: Trace) => {
      const names = owners.get(trace.traceId);
      return names === undefined ? 'shared' : names.has(journey.name) ? 'own' : 'other';
    },
  }));
}
