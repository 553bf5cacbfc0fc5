/**
 * One journey's verdict from spans and a capture log, whatever drove the app (Detox, Playwright, Appium,
 * Maestro or plain Node): the journey's share of both (see journey-slice.ts), the span checks against its
 * chain, and the capture-log checks. Pure: no clock, no I/O.
 */
import { hoplessChain } from '../internal/hopless-chain';
import { TracehopError, failure } from '../internal/messages';
import {
  APP_HOP_CAUSES,
  APP_HOP_FIXES,
  HOP_CAUSES,
  shortId,
  withFix,
  type CapturedRequest,
  type Span,
  type Trace,
  type TraceId,
} from '../model';
import { decodeTraceparent, headerValues, isTraceContextHeader } from '../propagation';
import { describeSpanName } from './internal/describe';
import { appClockOffsetMs, checkCaptures, findDetachedRequests } from './capture';
import { journeyRoot, journeySlice, missingRootProblem } from './journey-slice';
import { mergeEvidence } from './merge-evidence';
import type { MissingServiceProblem, Problem } from './problem';
import { renderTraceTree } from './render-tree';
import { verifySpans, type Verdict } from './verify';

/** What {@link verifyJourney} judges. */
export interface VerifyJourneyInput {
  /** The journey's name (journeys file), for messages; `root` when absent. */
  readonly name?: string;
  /** Spans of the run: the app's (over OTLP) and the services'. May hold other journeys' spans too. */
  readonly spans: readonly Span[];
  /** The backend's capture log of the run. May hold other journeys' requests too. */
  readonly captures: readonly CapturedRequest[];
  /** Services the journey's trace runs through, in call order, the app first. */
  readonly chain: readonly string[];
  /** The app's root span of the journey: its name, or its `tracehop.journey`/`app.journey` tag. */
  readonly root: string;
  /** Third-party services that must receive no trace headers (journeys file `noTraceHeaders`). */
  readonly thirdParty?: readonly string[];
  /**
   * When the journey started (epoch ms): third-party requests from then on are its own, and a root span that
   * started before it is an earlier run's, not this run's (so a store holding earlier runs cannot pass a run
   * whose root never arrived).
   */
  readonly since?: number;
  /**
   * The earliest start, on the app's clock, that this run's root span may have (epoch ms), when the caller
   * knows it: `journey()` passes the start of the root spans new since its steps began. Without it, `since`
   * less the device clock's offset, read from the requests the app sent (0 when none ties to its spans).
   */
  readonly rootSince?: number;
}

/** A journey's verdict: the span checks and the capture-log checks, over the journey's own share. */
export interface JourneyVerdict extends Verdict {
  /** The journey's name. */
  readonly journey: string;
  /** True when no problem was found (warnings never fail). */
  readonly ok: boolean;
  /** The journey's own trace id; undefined when its root span is not among the spans. */
  readonly traceId: string | undefined;
  /** Every problem as "<kind>: <message>", for whole-list assertions. */
  readonly lines: string[];
  /** The capture-log problems alone, as "<kind>: <message>". */
  readonly captureLines: string[];
  /** The spans of the journey's own trace. */
  readonly trace: Span[];
  /** Its own trace plus the traces its calls made services start over: what the chain checks looked at. */
  readonly scope: Span[];
  /** The requests that belong to the journey: what the capture checks looked at. */
  readonly captures: CapturedRequest[];
  /** The traces worth printing: the journey's, any with a problem, any a service of the chain started over. */
  readonly shown: Trace[];
}

const describe = (problem: Problem): string => `${problem.kind}: ${problem.message}`;

/**
 * A third party the journey never sent a request to (a CORS preflight alone is no request): whether it gets
 * trace headers was not checked, which is no pass, as the coverage report says of that hop.
 */
function unvisitedThirdParties(
  thirdParty: readonly string[],
  captures: readonly CapturedRequest[],
  traceId: string | undefined,
): MissingServiceProblem[] {
  const reached = new Set(
    captures.filter((capture) => capture.method.toUpperCase() !== 'OPTIONS').map((capture) => capture.service),
  );
  return [...new Set(thirdParty)]
    .filter((host) => !reached.has(host))
    .map((host) => ({
      kind: 'missing-service',
      traceId: (traceId as TraceId | undefined) ?? null,
      spanId: null,
      service: host,
      missingService: host,
      message: `third party ${host} received no request during the journey, so whether it gets trace headers was not checked; fix: make the journey's steps call ${host}, or stop listing it among the journey's third parties (noTraceHeaders)`,
    }));
}

/** The earliest span of `service` in [from, to] outside `tied` traces, a SERVER or CONSUMER span (a request it got) first. */
function firstReceived(
  all: readonly Span[],
  service: string,
  tied: ReadonlySet<string>,
  from: number,
  to: number,
): Span | undefined {
  let best: Span | undefined;
  const rank = (span: Span): number => (span.kind === 'server' || span.kind === 'consumer' ? 0 : 1);
  for (const span of all) {
    if (span.service !== service || tied.has(span.traceId) || span.startTimeMs < from || span.startTimeMs > to)
      continue;
    if (
      best === undefined ||
      rank(span) < rank(best) ||
      (rank(span) === rank(best) && span.startTimeMs < best.startTimeMs)
    )
      best = span;
  }
  return best;
}

/**
 * The request that started `server` (the capture naming it as the server span) when it arrived with no trace
 * header of any kind: no traceparent, tracestate, baggage, B3, nor another propagator's (isTraceContextHeader).
 */
function headerlessRequest(captures: readonly CapturedRequest[], server: Span): CapturedRequest | undefined {
  const capture = captures.find(
    (one) =>
      one.serverSpanId === server.spanId && one.serverTraceId === server.traceId && one.service === server.service,
  );
  if (capture === undefined) return undefined;
  const none = !capture.headers.some(([name]) => isTraceContextHeader(name));
  return none ? capture : undefined;
}

/** gRPC's UNIMPLEMENTED, as a mock service answers every gRPC call (it serves JSON routes only). */
const GRPC_UNIMPLEMENTED = '12';

/** Whether a captured request was a gRPC call its service answered UNIMPLEMENTED (`grpc-status` 12). */
function isUnimplementedGrpc(capture: CapturedRequest): boolean {
  return headerValues(capture.response?.headers ?? [], 'grpc-status')[0]?.trim() === GRPC_UNIMPLEMENTED;
}

/**
 * A request `service` answered 404 or 405, or a gRPC call it answered UNIMPLEMENTED (no route of its served
 * it, so it made no span), that carried a traceparent of the journey's traces.
 */
function unroutedRequest(
  captures: readonly CapturedRequest[],
  service: string,
  tied: ReadonlySet<string>,
): CapturedRequest | undefined {
  return captures.find(
    (capture) =>
      capture.service === service &&
      (capture.response?.status === 404 || capture.response?.status === 405 || isUnimplementedGrpc(capture)) &&
      headerValues(capture.headers, 'traceparent').some((value) => {
        const decoded = decodeTraceparent(value);
        return decoded.ok && tied.has(decoded.value.traceId);
      }),
  );
}

/**
 * Missing services said in the journey's words: the verdict judged the journey's traces, not every trace
 * the backend holds. One that did record spans while the journey's root span was open (`from`..`to`, on the
 * backend's clock), in traces nothing tied to the journey, is named with one of them: "never called" may
 * then be untrue (the call came without context the verdict could follow), and that span says which. When the
 * capture log shows that span's request arrived with no trace header at all, the words say so, and for the
 * app's first hop name the causes and the fix (an app whose HTTP client makes no spans looks just like this).
 */
function inJourneyWords(
  problems: readonly Problem[],
  scope: readonly Span[],
  all: readonly Span[],
  window: { readonly from: number; readonly to: number; readonly app: string | undefined },
  captures: readonly CapturedRequest[],
): Problem[] {
  const { from, to } = window;
  const tied = new Set(scope.map((span) => span.traceId));
  return problems.map((problem) => {
    if (problem.kind !== 'missing-service') return problem;
    const service = problem.missingService;
    const prefix = `${service} has no span in any trace: `;
    if (!problem.message.startsWith(prefix)) return problem;
    const cause = problem.message.slice(prefix.length);
    // The caller made no call the spans show, or one answered that the service left no span of (a 404).
    const [caller] =
      /^(.+) never called it, or its spans were not exported$/.exec(cause)?.slice(1) ??
      /^(.+?)'s call .* was answered \(HTTP \d{3}\) but .+ left no span of it in the dump: /.exec(cause)?.slice(1) ??
      [];
    const untied = caller === undefined ? undefined : firstReceived(all, service, tied, from, to);
    const unrouted =
      caller === undefined || untied !== undefined ? undefined : unroutedRequest(captures, service, tied);
    if (unrouted !== undefined && isUnimplementedGrpc(unrouted))
      return {
        ...problem,
        message: withFix(
          `call a JSON route ${service} has, over HTTP/1.1 or HTTP/2 (a topology file, named by testEnvironmentOptions.tracehop.topology or TRACEHOP_TOPOLOGY, gives the mock backend the routes your app calls), or judge this gRPC hop against a backend that serves gRPC`,
          `${service} has no span in the journey's traces: it received the gRPC call ${unrouted.path} in the journey's trace, but the mock ${service} serves JSON routes only and answered it UNIMPLEMENTED (grpc-status 12), so it made no span`,
        ),
      };
    if (unrouted !== undefined)
      return {
        ...problem,
        message: withFix(
          `give the mock backend the routes your app calls (a topology file, named by testEnvironmentOptions.tracehop.topology or TRACEHOP_TOPOLOGY), or call a route ${service} has`,
          `${service} has no span in the journey's traces: it received ${unrouted.method} ${unrouted.path} in the journey's trace but has no route for it (it answered ${unrouted.response?.status ?? 404}), so it made no span`,
        ),
      };
    if (untied === undefined)
      return { ...problem, message: `${service} has no span in the journey's traces: ${cause}` };
    const recorded = `${service} has no span in the journey's traces, though it recorded ${describeSpanName(untied)} in trace ${shortId(untied.traceId)} while the journey ran`;
    const bare = headerlessRequest(captures, untied);
    if (bare === undefined)
      return {
        ...problem,
        message:
          `${recorded}, a trace nothing ties to the journey: ` +
          `if that was ${caller}'s call, it carried no trace context the verdict could follow, or ${caller}'s span of that call is not exported yet; if not, ${caller} never called ${service}`,
      };
    const request = `${recorded}, for a request that arrived with no trace headers at all (${bare.method} ${bare.path})`;
    if (caller !== window.app)
      return {
        ...problem,
        message: `${request}: if that was ${caller}'s call, ${caller} sent it without trace context (${HOP_CAUSES['drop-traceparent']}) and no span of that call from ${caller} has arrived; if not, ${caller} never called ${service}`,
      };
    return {
      ...problem,
      message: withFix(
        `instrument the app's HTTP client (OpenTelemetry JS: FetchInstrumentation, XMLHttpRequestInstrumentation) so each call gets a CLIENT span and a traceparent, ${APP_HOP_FIXES['gateway-not-first-party']}, and register a W3C propagator`,
        `${request}: if that was ${caller}'s call, ${caller} sent it without trace context and no span of that call from ${caller} has arrived, so nothing ties it to the journey: the app's HTTP client is not instrumented, ${APP_HOP_CAUSES['gateway-not-first-party']}, or no propagator is registered in the app; if not, ${caller} never called ${service}`,
      ),
    };
  });
}

/**
 * Refuses a journey with no hop to check (a chain of fewer than two services and no third party), whose
 * verdict would pass whatever the trace: as the journeys file does. `action` starts the message.
 */
function checkJourneyChain(chain: readonly string[], thirdParty: readonly string[] | undefined, action: string): void {
  const hopless = hoplessChain(chain, thirdParty);
  if (hopless === undefined) return;
  throw new TracehopError(
    failure(
      action,
      hopless,
      'Name at least two services in call order, the app first, or the third parties that must receive no trace headers.',
    ),
  );
}

/**
 * Judges one journey: selects its trace (the latest root span named or tagged `root`), the traces its calls
 * made services start over, the traces of requests the app sent for it from outside its trace, and its
 * requests; runs every span check with `chain` as the expected chain and every capture-log check, including
 * requests the app sent outside the journey's trace (findDetachedRequests). Where the capture log names a
 * broken hop's cause, that problem replaces the span checks' broken-chain on the same hop, and the
 * missing-service of a service that never got the request and of those behind it (mergeEvidence).
 * Throws a TracehopError when the journey has no hop to check: a chain of fewer than two services and no
 * `thirdParty` (such a verdict would pass any trace).
 * @example verifyJourney({ spans: backend.store.spans(), captures: backend.captures(), chain, root: 'checkout' }).ok
 */
export function verifyJourney(input: VerifyJourneyInput): JourneyVerdict {
  const { chain, root } = input;
  checkJourneyChain(chain, input.thirdParty, `verify the "${input.name ?? root}" journey`);
  // `since` is the backend's clock; the app's root span carries the device's, which may run seconds off:
  // the offset is read once, from the app's requests, for the slice and for the root.
  const clockOffsetMs = appClockOffsetMs(input.captures, input.spans);
  const rootSince = input.rootSince ?? (input.since === undefined ? undefined : input.since - clockOffsetMs);
  const slice = journeySlice(input.spans, input.captures, {
    root,
    chain,
    clockOffsetMs,
    ...(input.thirdParty === undefined ? {} : { thirdParty: input.thirdParty }),
    ...(input.since === undefined ? {} : { sinceMs: input.since }),
    ...(rootSince === undefined ? {} : { rootSinceMs: rootSince }),
    ...(input.name === undefined ? {} : { journey: input.name }),
  });
  const scope = slice.spans;
  const verified = verifySpans(scope, { expect: chain });
  const rootSpan = journeyRoot(scope, root, chain[0], rootSince);
  const captureProblems = [
    ...checkCaptures(slice.captures, scope),
    ...(rootSpan === undefined ? [] : findDetachedRequests(slice.captures, scope, rootSpan)),
  ];
  // A capture-log broken-chain that names a hop's cause replaces the span checks' guess on the same hop.
  const merged = mergeEvidence(verified.problems, captureProblems, chain);
  // The scope is one run of the journey: once a break is reported, a trace split off it (one attempt of a
  // retried call, say) that lacks a service the journey did reach says the same break again, not a new defect.
  const reached = new Set(scope.map((span) => span.service));
  const broke = merged.some((problem) => problem.kind === 'broken-chain');
  // Without the root span no trace is the journey's: that is the break, not every service of the chain missing.
  const problems: Problem[] =
    rootSpan === undefined
      ? [
          missingRootProblem(input.spans, root, chain, 'before the journey is judged', rootSince, runCaptures(input)),
          ...merged.filter((problem) => problem.kind !== 'missing-service'),
        ]
      : broke
        ? merged.filter((problem) => problem.kind !== 'missing-service' || !reached.has(problem.missingService))
        : merged;
  problems.push(...unvisitedThirdParties(input.thirdParty ?? [], slice.captures, slice.traceId));
  const placed =
    rootSpan === undefined
      ? problems
      : inJourneyWords(
          problems,
          scope,
          input.spans,
          { from: rootSpan.startTimeMs + clockOffsetMs, to: rootSpan.endTimeMs + clockOffsetMs, app: chain[0] },
          input.captures,
        );
  const flagged = new Set(placed.map((problem) => problem.traceId));
  const shown = verified.traces.filter(
    (trace) =>
      trace.traceId === slice.traceId ||
      flagged.has(trace.traceId) ||
      trace.roots.some((top) => top.node.span.service !== chain[0] && chain.includes(top.node.span.service)),
  );
  return {
    ...verified,
    problems: placed,
    journey: input.name ?? root,
    ok: placed.length === 0,
    traceId: slice.traceId,
    lines: placed.map(describe),
    captureLines: captureProblems.map(describe),
    trace: scope.filter((span) => span.traceId === slice.traceId),
    scope,
    captures: slice.captures,
    shown,
  };
}

/** The requests of this run: those since the journey started, or all without `since`. */
function runCaptures(input: VerifyJourneyInput): readonly CapturedRequest[] {
  const since = input.since;
  return since === undefined ? input.captures : input.captures.filter((capture) => capture.timeMs >= since);
}

/** Options of {@link renderJourneyVerdict}. */
export interface RenderJourneyOptions {
  /** How long the journey took, printed after the verdict. */
  readonly elapsedMs?: number;
  /** Stop each tree after this many span lines. Default: no limit. */
  readonly maxLines?: number;
}

/**
 * The verdict as people read it: one headline, one line per problem and per warning (clock skew, re-sent
 * spans), then the trees with the break marked.
 * @example
 * [tracehop] checkout: PASS in 275 ms
 * trace 0af76519 (9 spans)
 * └─ mobile-app "checkout" INTERNAL 1f519535
 */
export function renderJourneyVerdict(verdict: JourneyVerdict, options: RenderJourneyOptions = {}): string {
  const kinds = [...new Set(verdict.problems.map((problem) => problem.kind))];
  const outcome = kinds.length === 0 ? 'PASS' : `FAIL (${kinds.join(', ')})`;
  const took = options.elapsedMs === undefined ? '' : ` in ${options.elapsedMs} ms`;
  const render = options.maxLines === undefined ? {} : { maxLines: options.maxLines };
  return [
    `[tracehop] ${verdict.journey}: ${outcome}${took}`,
    ...verdict.lines.map((line) => `  ${line}`),
    // Warnings do not fail the journey, but a clock minutes off explains verdicts that follow: shown too.
    ...verdict.warnings.map((warning) => `  ${warning.kind} (warning): ${warning.message}`),
    ...verdict.shown.map((trace) => renderTraceTree(trace, verdict.problems, render)),
  ].join('\n');
}
