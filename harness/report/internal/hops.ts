import { hasTime, holdsSharedCallId, shortId, type CapturedRequest, type Span } from '../../model';
import { TRACE_HEADER_NAMES } from '../../propagation';
import type { Problem, ProblemKind } from '../../verify';
import type { JourneySpec } from '../journeys';
import type { HopResult } from '../coverage-report';

/** The expectations of one journey: each caller -> callee edge of its chain, then each header-free host. */
export function expectedHops(journey: JourneySpec): Array<Pick<HopResult, 'from' | 'to' | 'kind' | 'label'>> {
  const hops: Array<Pick<HopResult, 'from' | 'to' | 'kind' | 'label'>> = [];
  const [origin = '', ...rest] = journey.chain;
  let from = origin;
  for (const to of rest) {
    hops.push({ from, to, kind: 'propagate', label: `${from} -> ${to}` });
    from = to;
  }
  for (const host of journey.noTraceHeaders ?? []) {
    const from = origin;
    hops.push({ from, to: host, kind: 'no-trace-headers', label: `${from} -> ${host} (no trace headers)` });
  }
  return hops;
}

const key = (traceId: string, spanId: string): string => `${traceId}:${spanId}`;
const isCaller = (span: Span): boolean => span.kind === 'client' || span.kind === 'producer';
const isCallee = (span: Span): boolean => span.kind === 'server' || span.kind === 'consumer';
// Spans with no time (hasTime) last: their 0 is no place in time, so it never makes one the first.
const byStart = (a: Span, b: Span): number =>
  Number(hasTime(b)) - Number(hasTime(a)) || a.startTimeMs - b.startTimeMs || a.spanId.localeCompare(b.spanId);
const TRACE_HEADERS: ReadonlySet<string> = new Set(TRACE_HEADER_NAMES);

/** Kinds without repeats, in order, leaving out null. */
function kindsOf(...kinds: ReadonlyArray<ProblemKind | null>): ProblemKind[] {
  return [...new Set(kinds.filter((kind): kind is ProblemKind => kind !== null))];
}

/**
 * Why a hop is broken, in the verifier's own words when it tied a problem to the hop, so the report says
 * what `tracehop check` and the spec say. Problems arrive evidence first (capture log before span-only
 * readings), so the header that proves the cause wins; our own reading is the fallback.
 */
function brokenBecause(
  related: readonly Problem[],
  kind: ProblemKind | null,
  text: string,
): { reason: string; problemKinds: ProblemKind[] } {
  const rest = related.map((problem) => problem.kind);
  const verdict = related[0];
  if (verdict)
    return { reason: `${verdict.kind}: ${verdict.message}`, problemKinds: kindsOf(verdict.kind, kind, ...rest) };
  return { reason: `${kind ? `${kind}: ` : ''}${text}`, problemKinds: kindsOf(kind, ...rest) };
}

// Problems the verifier tied to this edge: they break the hop even when parent links look right.
function touching(problems: readonly Problem[], from: string, to: string): Problem[] {
  return problems.filter((problem) => {
    switch (problem.kind) {
      case 'broken-chain':
        return problem.lastService === from && problem.restartedService === to;
      case 'missing-service':
        return problem.missingService === to;
      case 'leaked-header':
        return false;
      default:
        return problem.service === to;
    }
  });
}

/**
 * The nearest span on the parent path of `span` (within its trace) that is one of `callers`, if any. One
 * walk per callee, so a dump of many traces stays linear instead of trying every caller for every callee.
 */
function callerAbove(
  span: Span,
  callers: ReadonlyMap<string, Span>,
  index: ReadonlyMap<string, Span>,
): Span | undefined {
  const visited = new Set<string>();
  let current: Span | undefined = span;
  while (current?.parentSpanId !== undefined && !visited.has(current.spanId)) {
    visited.add(current.spanId);
    const parentKey = key(current.traceId, current.parentSpanId);
    const caller = callers.get(parentKey);
    if (caller) return caller;
    current = index.get(parentKey);
  }
  return undefined;
}

/**
 * The caller's span above a B3 shared SERVER span that holds its call's id alone (holdsSharedCallId): its parent,
 * of any kind, when that is `from`'s. The caller recorded no CLIENT span of the call, but made its id.
 */
function sharedCallParent(callee: Span, from: string, index: ReadonlyMap<string, Span>): Span | undefined {
  if (!holdsSharedCallId(callee) || callee.parentSpanId === undefined) return undefined;
  const parent = index.get(key(callee.traceId, callee.parentSpanId));
  return parent?.service === from ? parent : undefined;
}

function propagateHop(
  hop: Pick<HopResult, 'from' | 'to' | 'kind' | 'label'>,
  spans: readonly Span[],
  problems: readonly Problem[],
): HopResult {
  const { from, to } = hop;
  const index = new Map<string, Span>();
  for (const span of spans)
    if (!index.has(key(span.traceId, span.spanId))) index.set(key(span.traceId, span.spanId), span);
  const callers = spans.filter((span) => span.service === from && isCaller(span)).sort(byStart);
  const callees = spans.filter((span) => span.service === to && isCallee(span)).sort(byStart);
  const related = touching(problems, from, to);
  const base = { ...hop, problemKinds: kindsOf(...related.map((problem) => problem.kind)) };

  const callerByKey = new Map(callers.map((span) => [key(span.traceId, span.spanId), span]));
  for (const callee of callees) {
    const caller = callerAbove(callee, callerByKey, index) ?? sharedCallParent(callee, from, index);
    if (!caller) continue;
    const link = {
      callerTraceId: caller.traceId,
      callerSpanId: caller.spanId,
      calleeTraceId: callee.traceId,
      calleeSpanId: callee.spanId,
    };
    if (related.length === 0) return { ...base, ...link, status: 'connected', reason: null };
    return { ...base, ...link, status: 'broken', ...brokenBecause(related, null, '') };
  }

  const none = { callerTraceId: null, callerSpanId: null, calleeTraceId: null, calleeSpanId: null };
  // Our own reading of the parent links names a defect kind too, so reports speak the shared vocabulary.
  const broken = (kind: ProblemKind | null, text: string) => ({
    ...base,
    status: 'broken' as const,
    ...brokenBecause(related, kind, text),
  });
  const callee = callees[0];
  const firstCaller = callers[0];
  const lastCaller = callers[callers.length - 1];
  if (firstCaller === undefined || lastCaller === undefined) {
    const link = callee ? { ...none, calleeTraceId: callee.traceId, calleeSpanId: callee.spanId } : none;
    return { ...broken(null, `${from} has no CLIENT span: its call to ${to} was not traced`), ...link };
  }
  if (!callee) {
    const link = { ...none, callerTraceId: lastCaller.traceId, callerSpanId: lastCaller.spanId };
    const reached = spans.some((span) => span.service === to);
    const text = reached
      ? `${to} has no SERVER span for the call from ${from}`
      : `${to} has no span: the call from ${from} never reached it or was not traced`;
    return { ...broken('missing-service', text), ...link };
  }
  // The caller whose context should have arrived: the last in the callee's own trace (the ids tie them, with
  // or without times), else the one closest before the callee when both have a time (hasTime), else the first.
  const caller =
    [...callers].reverse().find((span) => span.traceId === callee.traceId) ??
    (hasTime(callee)
      ? [...callers].reverse().find((span) => hasTime(span) && span.startTimeMs <= callee.startTimeMs)
      : undefined) ??
    firstCaller;
  const link = {
    callerTraceId: caller.traceId,
    callerSpanId: caller.spanId,
    calleeTraceId: callee.traceId,
    calleeSpanId: callee.spanId,
  };
  if (callee.traceId !== caller.traceId) {
    const text =
      callee.parentSpanId === undefined
        ? `${to} started a new trace (${shortId(callee.traceId)}) instead of continuing ${from}'s trace (${shortId(caller.traceId)})`
        : `${to} joined trace ${shortId(callee.traceId)} instead of ${from}'s trace ${shortId(caller.traceId)}`;
    return { ...broken('broken-chain', text), ...link };
  }
  if (callee.parentSpanId !== undefined && !index.has(key(callee.traceId, callee.parentSpanId))) {
    return {
      ...broken(
        'orphan-span',
        `${to}'s SERVER span names parent ${shortId(callee.parentSpanId)}, which is not in the trace`,
      ),
      ...link,
    };
  }
  return { ...broken('wrong-parent', `${to}'s SERVER span is not a descendant of ${from}'s CLIENT span`), ...link };
}

function headerFreeHop(
  hop: Pick<HopResult, 'from' | 'to' | 'kind' | 'label'>,
  run: { captures: readonly CapturedRequest[]; problems: readonly Problem[]; source?: 'otlp' },
): HopResult {
  const { captures, problems } = run;
  const none = { callerTraceId: null, callerSpanId: null, calleeTraceId: null, calleeSpanId: null };
  if (run.source === 'otlp') {
    return {
      ...hop,
      ...none,
      problemKinds: [],
      status: 'not-run',
      reason: 'checking headers needs the capture log, which OTLP dumps do not carry',
    };
  }
  const leaks = problems.filter((problem) => problem.kind === 'leaked-header' && problem.host === hop.to);
  const base = { ...hop, ...none, problemKinds: leaks.length > 0 ? (['leaked-header'] as ProblemKind[]) : [] };
  const received = captures.filter((capture) => capture.service === hop.to);
  if (received.length === 0)
    return { ...base, status: 'broken', reason: `${hop.to} received no request during the journey` };
  // A CORS preflight never carries trace headers, so it alone proves nothing about the request it asks for.
  if (received.every((capture) => capture.method.toUpperCase() === 'OPTIONS')) {
    return {
      ...base,
      status: 'broken',
      reason: `${hop.to} received only CORS preflights during the journey: the request itself never arrived`,
    };
  }
  // The verifier's sentence when it saw the leak; our own when only the journeys file calls the host third party.
  const leak = leaks[0];
  if (leak) return { ...base, status: 'broken', reason: `leaked-header: ${leak.message}` };
  const found = [
    ...new Set(
      received.flatMap((capture) =>
        capture.headers.map(([name]) => name.toLowerCase()).filter((name) => TRACE_HEADERS.has(name)),
      ),
    ),
  ];
  if (found.length > 0) {
    return {
      ...base,
      problemKinds: ['leaked-header'],
      status: 'broken',
      reason: `leaked-header: ${hop.to} received trace headers (${found.join(', ')}) but is not first-party`,
    };
  }
  return { ...base, status: 'connected', reason: null };
}

/** Evaluates every expected hop of a journey against one run's spans, captures and problems. */
export function evaluateHops(
  journey: JourneySpec,
  run: { spans: readonly Span[]; captures: readonly CapturedRequest[]; problems: readonly Problem[]; source?: 'otlp' },
): HopResult[] {
  return expectedHops(journey).map((hop) =>
    hop.kind === 'propagate' ? propagateHop(hop, run.spans, run.problems) : headerFreeHop(hop, run),
  );
}

/** Hops of a journey that never ran. */
export function notRunHops(journey: JourneySpec): HopResult[] {
  return expectedHops(journey).map((hop) => ({
    ...hop,
    status: 'not-run',
    reason: 'the journey never ran',
    problemKinds: [],
    callerTraceId: null,
    callerSpanId: null,
    calleeTraceId: null,
    calleeSpanId: null,
  }));
}
