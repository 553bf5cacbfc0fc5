/**
 * Which spans and captures belong to one journey. A spec file runs several journeys against one backend
 * (the login before a checkout), so a journey's verdict and coverage record must hold only its own: its
 * trace, the traces its own calls started over, and the requests of those calls.
 */
import { decodeTraceparent, headerValues } from '../propagation';
import {
  CALL_ID_ATTRIBUTE,
  CALL_ID_HEADER,
  hasTime,
  shortId,
  type CapturedRequest,
  type Span,
  type SpanId,
  type TraceId,
} from '../model';
import { CALLEE_KINDS, CALLER_KINDS } from './internal/calls';
import { describeSpan } from './internal/describe';
import { namesJourney, taggedWithJourney } from './internal/journey-names';
import { sameRoute } from './internal/routes';
import { appCallerOf, appClockOffsetMs } from './capture';
import type { BrokenChainProblem } from './problem';
import { quotedText } from '../internal/terminal-text';

export { JOURNEY_ROOT_ATTRIBUTES } from './internal/journey-names';

/**
 * Whether `span` is a root span of the app (`app`, the chain's first service) for the journey whose root is
 * `root`: the span is named `root`, or tagged with it in `tracehop.journey` or `app.journey`.
 */
export function isJourneyRoot(span: Span, root: string, app: string): boolean {
  return span.parentSpanId === undefined && span.service === app && namesJourney(span, root);
}

/**
 * The app's root span of the latest run of `root` (its trace is the journey's trace); with `sinceMs`, only
 * one that started then or later (an earlier run's root is no root of this run).
 */
export function journeyRoot(
  spans: readonly Span[],
  root: string,
  app = 'mobile-app',
  sinceMs = Number.NEGATIVE_INFINITY,
): Span | undefined {
  return spans
    .filter((span) => isJourneyRoot(span, root, app) && span.startTimeMs >= sinceMs)
    .sort((a, b) => a.startTimeMs - b.startTimeMs)
    .at(-1);
}

/** How many of the app's other root span names {@link missingRootProblem} lists. */
const LISTED_ROOTS = 5;

/**
 * The problem of a journey whose root span is not among `spans`: without it no trace is the journey's, so
 * the run is broken at its first hop whatever its requests' traces show. Names the app's root spans that
 * did arrive (a misspelt root shows there). `exportTo` ends the fix: where and when the app must export.
 */
export function missingRootProblem(
  spans: readonly Span[],
  root: string,
  chain: readonly string[],
  exportTo: string,
  sinceMs?: number,
  captures: readonly CapturedRequest[] = [],
): BrokenChainProblem {
  const app = chain[0] ?? 'mobile-app';
  const names = [
    ...new Set(
      spans.filter((span) => span.service === app && span.parentSpanId === undefined).map((span) => span.name),
    ),
  ].sort();
  const listed = names
    .slice(0, LISTED_ROOTS)
    .map((name) => quotedText(name))
    .join(', ');
  const more = names.length > LISTED_ROOTS ? ` and ${names.length - LISTED_ROOTS} more` : '';
  const seen = names.length === 0 ? '' : ` (its root spans here are named ${listed}${more})`;
  const problem = {
    kind: 'broken-chain' as const,
    traceId: null,
    spanId: null,
    service: app,
    lastService: app,
    restartedService: chain[1] ?? app,
  };
  // The app's sampler dropped the run: its calls carried an unsampled traceparent, so nobody recorded a span.
  const unsampled = unsampledCall(spans, captures, chain);
  if (unsampled !== undefined) {
    return {
      ...problem,
      traceId: unsampled.traceId,
      message: `the journey's root span "${root}" never arrived from ${app}, and its call ${unsampled.capture.method} ${unsampled.capture.path} to ${unsampled.capture.service} carried traceparent ${unsampled.header} with the sampled flag off: the app's sampler dropped the journey (AlwaysOff, or a ratio below 1), so the app exported no span of it (and a service that follows the flag records none); fix: sample every trace in test builds (ParentBased(AlwaysOn), or OTEL_TRACES_SAMPLER=always_on) and export the root span "${root}" ${exportTo}`,
    };
  }
  // A root with no time is no earlier run's for sure: it may be this run's, so it is the one named.
  const earlier =
    sinceMs === undefined
      ? undefined
      : (spans.find((span) => isJourneyRoot(span, root, app) && !hasTime(span)) ?? journeyRoot(spans, root, app));
  if (earlier !== undefined && sinceMs !== undefined && !hasTime(earlier)) {
    return {
      ...problem,
      message: `no root span "${root}" arrived from ${app} since the journey started: the latest one (trace ${shortId(earlier.traceId)}) has no time in the dump (it starts at 0), so it cannot be told from an earlier run's and no trace can be tied to this run; fix: make the app export "${root}" with its start and end times ${exportTo}`,
    };
  }
  if (earlier !== undefined && sinceMs !== undefined) {
    const before = Math.round(sinceMs - earlier.startTimeMs);
    return {
      ...problem,
      message: `no root span "${root}" arrived from ${app} since the journey started: the latest one (trace ${shortId(earlier.traceId)}) started ${before} ms before it, an earlier run's, so no trace can be tied to this run; fix: make the app start "${root}" as a root span in this run and export it ${exportTo} (and take since from the clock the app's spans use)`,
    };
  }
  // The root arrived, but from a service of another name: the app's service.name is not the chain's first.
  const elsewhere = spans
    .filter(
      (span) =>
        span.service !== app && span.kind !== 'server' && span.parentSpanId === undefined && namesJourney(span, root),
    )
    .at(-1);
  if (elsewhere !== undefined) {
    return {
      ...problem,
      traceId: elsewhere.traceId,
      spanId: elsewhere.spanId,
      message: `the journey's root span "${root}" arrived from ${elsewhere.service} (${shortId(elsewhere.spanId)}), not from ${app}, the first service of its chain, so no trace can be tied to the journey; fix: set the app's service.name to "${app}", or name "${elsewhere.service}" first in the journey's chain`,
    };
  }
  const child = spans.filter((span) => span.service === app && namesJourney(span, root)).at(-1);
  if (child?.parentSpanId !== undefined) {
    return {
      ...problem,
      traceId: child.traceId,
      spanId: child.spanId,
      message: parentedRootMessage(spans, child, root, exportTo),
    };
  }
  return {
    ...problem,
    message: `the journey's root span "${root}" never arrived from ${app}${seen}, so no trace can be tied to the journey; fix: make the app name the journey's root span "${root}" (or tag it app.journey=${root}) and export it ${exportTo}`,
  };
}

/**
 * The first request to a service of the chain after the app whose one traceparent is valid, has the sampled
 * flag off, and names a trace of which no span of the app arrived: what an app's AlwaysOff or ratio sampler
 * sends. (tracehop's mock services record unsampled requests too, so their spans may be there.)
 */
function unsampledCall(
  spans: readonly Span[],
  captures: readonly CapturedRequest[],
  chain: readonly string[],
): { capture: CapturedRequest; header: string; traceId: TraceId } | undefined {
  const callees = new Set(chain.slice(1));
  let traces: Set<string> | undefined;
  for (const capture of captures) {
    if (!callees.has(capture.service)) continue;
    const values = headerValues(capture.headers, 'traceparent');
    const decoded = decodeTraceparent(values);
    if (!decoded.ok || decoded.value.sampled) continue;
    traces ??= new Set(spans.filter((span) => span.service === chain[0]).map((span) => span.traceId));
    if (traces.has(decoded.value.traceId)) continue;
    return { capture, header: (values[0] ?? '').trim(), traceId: decoded.value.traceId };
  }
  return undefined;
}

/**
 * A span named for the journey arrived, but beneath a parent (an app-wide span still open, or a context the
 * app was handed): the journey is judged on a trace of its own, so that span is no root.
 */
function parentedRootMessage(spans: readonly Span[], child: Span, root: string, exportTo: string): string {
  const parentId = child.parentSpanId as SpanId;
  const parent = spans.find((span) => span.traceId === child.traceId && span.spanId === parentId);
  const where = parent
    ? `beneath ${describeSpan(parent)}`
    : `beneath span ${shortId(parentId)}, which is not among the spans that arrived (a span still open, or a context handed to the app)`;
  return `the journey's span "${root}" from ${child.service} (${shortId(child.spanId)}) arrived ${where}, not as a root, so no trace is the journey's own; fix: start "${root}" as a root span (no span active around it; OpenTelemetry JS: tracer.startSpan(${JSON.stringify(root)}, { root: true })) and export it ${exportTo}`;
}

/** What {@link journeySlice} selects by. */
export interface SliceOptions {
  /** The app's root span name of the journey. */
  readonly root: string;
  /** The journey's chain, the app first: only requests to these services can pull a trace in. */
  readonly chain: readonly string[];
  /** Third-party hosts the journey checks for leaked headers (journeys.json `noTraceHeaders`). */
  readonly thirdParty?: readonly string[];
  /**
   * When the journey started (epoch ms): requests to third-party hosts from then on belong to it (backend
   * clock), and only a root span that started then or later is its root (app clock).
   */
  readonly sinceMs?: number;
  /** The earliest start of the run's root span on the app's clock; `sinceMs` less the device offset when absent. */
  readonly rootSinceMs?: number;
  /** How far the app's clock runs behind the backend's (ms), when the caller has read it already. */
  readonly clockOffsetMs?: number;
  /**
   * The journey's name (journeys file; `root` when absent): app spans since the root span's start that carry
   * it in `tracehop.journey` or `app.journey` pull their trace in (a replay sent in another context).
   */
  readonly journey?: string;
}

/** One journey's share of a backend's spans and capture log. */
export interface JourneySlice {
  /** The journey's own trace id, when its root span arrived. */
  readonly traceId: string | undefined;
  /** Its own trace and every trace a service of its chain started over while serving its calls. */
  readonly spans: Span[];
  /** The requests the journey's calls made to its chain, and to its third-party hosts. */
  readonly captures: CapturedRequest[];
}

// The trace a received traceparent continues, when exactly one valid header arrived.
function headerTraceId(capture: CapturedRequest): string | undefined {
  const decoded = decodeTraceparent(headerValues(capture.headers, 'traceparent'));
  return decoded.ok ? decoded.value.traceId : undefined;
}

/** Whether a CLIENT or PRODUCER span got no answer from another service in its trace. */
function unanswered(call: Span, trace: readonly Span[]): boolean {
  return !trace.some((span) => span.parentSpanId === call.spanId && span.service !== call.service);
}

/**
 * Adds to `traces` the trace of a call a service of the chain made outside its request's context, when
 * nothing else can tie it (a service outside the mock backend leaves no capture): the journey's traces lack
 * a service of the chain that the call's trace has; the call (a CLIENT or PRODUCER top span) started while
 * that service served the journey, and while it served nothing else (another client's request at that
 * moment could as well have made it); and, when the journey's traces hold a call of that service that got
 * no answer, on that call's route. A job's or another client's trace stays out. Repeats until none joins.
 * Spans are looked up per trace and per service, and the journey's few spans are tried before the many a
 * service served: a long session's store is not scanned once per detached call.
 */
function addDetachedCalls(
  spans: readonly Span[],
  traces: Set<string>,
  chain: readonly string[],
  downstream: ReadonlySet<string>,
): void {
  const calls = spans.filter(
    (span) =>
      span.parentSpanId === undefined &&
      CALLER_KINDS.has(span.kind) &&
      downstream.has(span.service) &&
      !traces.has(span.traceId),
  );
  if (calls.length === 0) return;
  const byTrace = new Map<string, Span[]>();
  const servedBy = new Map<string, Span[]>();
  for (const span of spans) {
    const trace = byTrace.get(span.traceId);
    if (trace) trace.push(span);
    else byTrace.set(span.traceId, [span]);
    if (!CALLEE_KINDS.has(span.kind) || !downstream.has(span.service)) continue;
    const own = servedBy.get(span.service);
    if (own) own.push(span);
    else servedBy.set(span.service, [span]);
  }
  const runningAt = (span: Span, call: Span): boolean =>
    CALLEE_KINDS.has(span.kind) &&
    span.service === call.service &&
    span.traceId !== call.traceId &&
    span.startTimeMs <= call.startTimeMs &&
    call.startTimeMs <= span.endTimeMs;
  let grew = true;
  while (grew) {
    grew = false;
    const journeySpans = [...traces].flatMap((id) => byTrace.get(id) ?? []);
    const reached = new Set(journeySpans.map((span) => span.service));
    const lacking = new Set(chain.filter((service) => !reached.has(service)));
    if (lacking.size === 0) return;
    for (const call of calls) {
      if (traces.has(call.traceId)) continue;
      if (!(byTrace.get(call.traceId) ?? []).some((span) => lacking.has(span.service))) continue;
      // The journey's spans first (few), then every span the service served (many) for only the calls left:
      // running spans, all of the journey's, and at least one.
      if (!journeySpans.some((span) => runningAt(span, call))) continue;
      const served = servedBy.get(call.service) ?? [];
      if (served.some((span) => runningAt(span, call) && !traces.has(span.traceId))) continue;
      const waiting = journeySpans.filter(
        (span) =>
          span.service === call.service &&
          CALLER_KINDS.has(span.kind) &&
          unanswered(span, byTrace.get(span.traceId) ?? []),
      );
      if (waiting.length > 0 && !waiting.some((span) => sameRoute(span, call))) continue;
      traces.add(call.traceId);
      // The joined trace counts at once, for the calls after it in this pass, as `traces` itself does.
      journeySpans.push(...(byTrace.get(call.traceId) ?? []));
      grew = true;
    }
  }
}

/**
 * Selects a journey's spans and captures. A request belongs to the journey when its traceparent or its
 * SERVER span is in one of the journey's traces, or when the backend's call id ties it to a CLIENT span
 * of one: that last link follows a hop even when a fault dropped or mangled the trace headers, so the
 * trace the next service started over joins the journey instead of floating free.
 */
export function journeySlice(
  spans: readonly Span[],
  captures: readonly CapturedRequest[],
  options: SliceOptions,
): JourneySlice {
  const app = options.chain[0] ?? 'mobile-app';
  // `sinceMs` is the backend's clock; root spans carry the device's, which may run seconds off.
  const offset = options.clockOffsetMs ?? appClockOffsetMs(captures, spans);
  const rootSince = options.rootSinceMs ?? (options.sinceMs === undefined ? undefined : options.sinceMs - offset);
  const root = journeyRoot(spans, options.root, app, rootSince);
  const traceId = root?.traceId;
  const traces = new Set<string>(traceId === undefined ? [] : [traceId]);
  // Requests the app sent for the journey from outside its trace join it, so the verdict can say so: a
  // request span that is a root of its own while the journey ran, or one tagged with the journey's name
  // (`tracehop.journey` or `app.journey`) since the journey's root span started.
  // The tag names the journey; a journey without a name of its own goes by its root's.
  const journeyName = options.journey ?? options.root;
  for (const span of spans) {
    if (span.service !== app || root === undefined || span.startTimeMs < root.startTimeMs) continue;
    const detached = span.kind === 'client' && span.parentSpanId === undefined && span.startTimeMs <= root.endTimeMs;
    const tagged = taggedWithJourney(span, journeyName);
    if (detached || tagged) traces.add(span.traceId);
  }
  const callTrace = new Map<string, string>();
  for (const span of spans) {
    const callId = span.attributes[CALL_ID_ATTRIBUTE];
    if (span.kind === 'client' && typeof callId === 'string') callTrace.set(callId, span.traceId);
  }
  const downstream = new Set(options.chain.slice(1));
  const thirdParty = new Set(options.thirdParty ?? []);
  const taken = new Set<CapturedRequest>();
  const belongs = (capture: CapturedRequest): boolean => {
    const header = headerTraceId(capture);
    const callId = headerValues(capture.headers, CALL_ID_HEADER)[0];
    // The app sends no call id: its CLIENT span that called this path then (appCallerOf) ties the request.
    const caller = callId === undefined ? appCallerOf(capture, spans, offset)?.traceId : callTrace.get(callId);
    return [header, capture.serverTraceId, caller].some((id) => id !== undefined && traces.has(id));
  };
  // A trace pulled in can pull in the next hop's restarted trace: repeat until nothing new joins.
  const since = options.sinceMs ?? Number.NEGATIVE_INFINITY;
  let grew = true;
  while (grew) {
    grew = false;
    for (const capture of captures) {
      // A request from before the journey started is an earlier run's, even in a trace this run continued
      // (a traceparent cached and sent again).
      if (taken.has(capture) || capture.timeMs < since || !downstream.has(capture.service) || !belongs(capture))
        continue;
      taken.add(capture);
      if (capture.serverTraceId !== undefined && !traces.has(capture.serverTraceId)) {
        traces.add(capture.serverTraceId);
        grew = true;
      }
    }
  }
  addDetachedCalls(spans, traces, options.chain, downstream);
  for (const capture of captures) {
    if (thirdParty.has(capture.service) && (capture.timeMs >= since || belongs(capture))) taken.add(capture);
  }
  return {
    traceId,
    spans: spans.filter((span) => traces.has(span.traceId)),
    captures: captures.filter((capture) => taken.has(capture)),
  };
}
