import type { Span, SpanNode, Trace, TraceRoot } from '../model';
import { CALLER_KINDS } from './internal/calls';
import { unansweredCalls } from './internal/chain-pieces';
import { HopHeaders } from './internal/context-headers';
import { callToNext } from './internal/judge-within';
import { responseStatus } from './internal/routes';
import { brokenAt, missingService, noCallBeneath, notBeneath, secondRoot } from './chain-words';
import type { BrokenChainProblem, MissingServiceProblem } from './problem';

/** One tree of a trace's forest: where a chain can run without a break. */
interface Segment {
  readonly trace: Trace;
  readonly root: TraceRoot;
}

interface Reach {
  readonly segment: Segment;
  /** Chain index reached: services chain[from..reach-1] run in order, each beneath the previous. */
  readonly reach: number;
  /** The first span (tree order) of chain[from] in the segment. */
  readonly entry?: Span;
  /** A span of chain[reach - 1] on the furthest path: where the chain stops in this segment. */
  readonly last?: Span;
}

/**
 * How far the chain runs down one tree, starting at chain[from]. Matching a subsequence greedily along each
 * root-to-leaf path is optimal, so one iterative walk suffices.
 */
function reachIn(segment: Segment, chain: readonly string[], from: number): Reach {
  let reach = from;
  let entry: Span | undefined;
  let last: Span | undefined;
  const stack: Array<[SpanNode, number]> = [[segment.root.node, from]];
  while (stack.length > 0) {
    const [node, before] = stack.pop() as [SpanNode, number];
    let level = before;
    if (level < chain.length && node.span.service === chain[level]) {
      if (level === from && entry === undefined) entry = node.span;
      level++;
      if (level > reach) {
        reach = level;
        last = node.span;
      }
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i] as SpanNode, level]);
  }
  return { segment, reach, ...(entry ? { entry } : {}), ...(last ? { last } : {}) };
}

/**
 * The segment where the chain from chain[from] runs furthest. Of segments that reach as far, the first whose
 * trace holds a call of the last service reached wins: a trace in which that service called nobody (an app's
 * prefetch or start-up span before the journey) cannot show where its call went.
 */
function furthest(segments: readonly Segment[], chain: readonly string[], from: number): Reach | undefined {
  let best: Reach | undefined;
  let bestCalls = false;
  for (const segment of segments) {
    const result = reachIn(segment, chain, from);
    if (result.reach <= from) continue;
    if (!best || result.reach > best.reach) {
      best = result;
      bestCalls = callsFrom(result);
    } else if (result.reach === best.reach && !bestCalls && callsFrom(result)) {
      best = result;
      bestCalls = true;
    }
  }
  return best;
}

function callsFrom(reach: Reach): boolean {
  const service = reach.last?.service;
  return reach.segment.trace.spans.some((span) => span.service === service && CALLER_KINDS.has(span.kind));
}

/**
 * The chain searched over the whole dump, for a dump that holds no run of it (see judgeChain): one trace must
 * hold a span of each named service, each beneath the previous one's. A later service found in another trace
 * (or another tree of the same trace) is a break naming the last service reached and the service that started
 * over; a service found nowhere is missing.
 */
export function wholeDumpChain(
  traces: readonly Trace[],
  chain: readonly string[],
): Array<BrokenChainProblem | MissingServiceProblem> {
  const problems: Array<BrokenChainProblem | MissingServiceProblem> = [];
  if (chain.length === 0) return problems;
  const segments: Segment[] = traces.flatMap((trace) => trace.roots.map((root) => ({ trace, root })));
  const headers = new HopHeaders(traces);

  let current = furthest(segments, chain, 0);
  let lastReached: string | undefined = current ? chain[current.reach - 1] : undefined;
  let k = current ? current.reach : 0;
  if (!current) {
    problems.push(missing(chain[0] as string, undefined, null, undefined, servicesSeen(traces)));
    k = 1;
  }
  let skipped = false;
  while (k < chain.length) {
    const next = furthest(segments, chain, k);
    if (!next) {
      skipped = true;
      const answered =
        current && lastReached !== undefined && lastReached === chain[k - 1]
          ? answeredCall(current.segment.trace, lastReached)
          : null;
      // Before any service is reached there is no caller to blame: say which services the spans do come from.
      problems.push(
        current && answered
          ? // The caller's call got an HTTP answer: it did call, and the callee recorded nothing of it.
            missingService(
              chain[k] as string,
              chain[k - 1] as string,
              current.segment.trace,
              false,
              undefined,
              answered,
            )
          : missing(
              chain[k] as string,
              lastReached,
              current ? current.segment.trace : null,
              chain[k - 1],
              lastReached === undefined ? servicesSeen(traces) : undefined,
            ),
      );
      k++;
      continue;
    }
    const entry = next.entry as Span;
    if (current && lastReached !== undefined) {
      const sameTrace = next.segment.trace === current.segment.trace;
      const sameTree = next.segment === current.segment;
      // An orphan or looped tree of the same trace is explained by its orphan-span or cycle problem; a service
      // beneath the last one after a missing service is the missing service's story alone.
      const explained = (sameTrace && !sameTree && next.segment.root.reason !== 'root') || (sameTree && skipped);
      const called = current.segment.trace.spans.some(
        (span) => span.service === lastReached && CALLER_KINDS.has(span.kind),
      );
      if (!explained && !sameTrace && !called) {
        // No call went out: nothing was sent that could have lost its traceparent.
        problems.push(noCallBeneath(chain[k] as string, lastReached, current.segment.trace, entry));
      } else if (!explained) {
        const restarted = chain[k] as string;
        // A break on the chain's first service's own call is the app's: its verdict says so and ends with the fix.
        const starts = lastReached === chain[0];
        problems.push(
          sameTree
            ? notBeneath(lastReached, restarted, entry, current.last, starts)
            : sameTrace
              ? secondRoot(lastReached, restarted, entry, current.segment.trace, current.last, starts)
              : brokenAt(lastReached, restarted, entry, current.segment.trace, current.last, { starts }, headers),
        );
      }
    }
    skipped = false;
    current = next;
    lastReached = chain[next.reach - 1];
    k = next.reach;
  }
  return problems;
}

/**
 * The call of `caller` in `trace` that went on nowhere in the trace (no span beneath it) but got an HTTP answer
 * or failed (a refused connection, a 5xx), as missingService words it: the caller did call. Null when there is
 * none, or when the call neither failed nor got an answer.
 */
function answeredCall(trace: Trace, caller: string): Span | null {
  const call = callToNext(unansweredCalls(trace, caller));
  if (call === null) return null;
  return call.statusCode === 2 || responseStatus(call) !== undefined ? call : null;
}

/** What servicesSeen says when every span is unknown_service: no name in the dump can be on the chain. */
const NO_SERVICE_NAMED =
  'no span names its service (every one is unknown_service: its resource has no service.name, or its print has no resource, as ConsoleSpanExporter of @opentelemetry/sdk-trace-base before 1.24 writes)';

/** Up to five service names found in the traces, for a message about a name that is not among them. */
function servicesSeen(traces: readonly Trace[]): string {
  const seen = new Set<string>();
  for (const trace of traces) for (const span of trace.spans) seen.add(span.service);
  const names = [...seen].sort();
  if (names.length === 0) return 'there are no spans at all';
  // serviceNameOf's name for a span whose resource has no service.name (or that was printed with no resource).
  if (names.length === 1 && names[0] === 'unknown_service') return NO_SERVICE_NAMED;
  return `the spans come from ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`;
}

function missing(
  service: string,
  lastReached: string | undefined,
  trace: Trace | null,
  previous?: string,
  seen?: string,
): MissingServiceProblem {
  const cause =
    seen === NO_SERVICE_NAMED
      ? `${seen}; fix: give each service's resource its service.name (OTEL_SERVICE_NAME), and print spans with sdk-trace-base 1.24 or later or export them over OTLP`
      : lastReached === undefined
        ? `${seen}: ${service} never exported its spans (flush its exporter before the journey ends), or its service.name is spelt differently`
        : previous !== undefined && previous !== lastReached
          ? `the chain already stops at ${lastReached}, before ${previous}`
          : `${lastReached} never called it, or its spans were not exported`;
  return {
    kind: 'missing-service',
    traceId: trace ? trace.traceId : null,
    spanId: null,
    service,
    missingService: service,
    message: `${service} has no span in any trace: ${cause}`,
  };
}
