import { hasTime, shortId, shortIdsApart, withFix, type Span, type Trace } from '../model';
import type { FitElsewhere } from './internal/chain-pieces';
import { headerWords, type HeaderWords, type HopHeaders } from './internal/context-headers';
import { proxyAnswer, turnedAway } from './internal/call-answers';
import { describeSpanName, kindWord } from './internal/describe';
import { namesNoRoute, responseStatus } from './internal/routes';
import { isInboundSidecar } from './internal/sidecars';
import type { BrokenChainProblem, MissingServiceProblem } from './problem';

/** The sentences of chain verdicts, one function per situation, so runs and the whole-dump search say the same. */

function broken(
  lastService: string,
  entry: Span,
  message: string,
  last: Span | undefined,
  restartedService: string = entry.service,
): BrokenChainProblem {
  return {
    kind: 'broken-chain',
    traceId: entry.traceId,
    spanId: entry.spanId,
    service: entry.service,
    lastService,
    restartedService,
    ...(last ? { lastTraceId: last.traceId, lastSpanId: last.spanId } : {}),
    message,
  };
}

/**
 * The fix for a break on the chain's first service's own call: what the app sends is the app's own setting.
 * Appended to those verdicts as "; fix: ..." (see withFix in model/capture-contract.ts).
 */
function originFix(lastService: string, restarted: string, words: HeaderWords): string {
  return `make ${lastService} send ${words.send} to ${restarted} (its SDK's propagation targets and propagators decide which hosts get one)`;
}

/**
 * A dump cannot tell a header never sent from one the callee never read: an SDK whose propagators leave
 * W3C out (B3 or Jaeger only, or none set, as OpenTelemetry Go's default) starts a new trace for either, and
 * so does a B3 tracer that reads W3C only. `words` name the headers the hop's spans show (context-headers.ts),
 * and a callee whose B3 shared span shows it reads B3 as one that did not read them this time.
 */
function unread(restarted: string, words: HeaderWords): string {
  return `${restarted} ${words.unread}`;
}

/**
 * {@link originFix} for a new trace, which the callee may have started because it does not read the headers:
 * unless its spans show it reads them.
 */
function newTraceFix(lastService: string, restarted: string, words: HeaderWords): string {
  const fix = originFix(lastService, restarted, words);
  return words.read === undefined ? fix : `${fix}, and ${words.read} ${restarted}'s SDK`;
}

/** How sure the pairing of a new trace with its run is: see {@link brokenAt}. */
export interface TieDoubt {
  /** The caller is the chain's first service (it sends the request, it has none to forward). */
  readonly starts?: boolean;
  /** How many other runs' calls route and timing fit as well, of this journey or another. */
  readonly alike?: number;
  /** How many of `alike` are runs of other journeys sharing the chain, and those journeys by name. */
  readonly elsewhere?: Elsewhere;
  /** No call of the run was running when the new trace started: it was tied to the run nearest in time. */
  readonly nearest?: boolean;
  /** How many other new traces on the route started during the same call (one of them it sent). */
  readonly rivals?: number;
}

/**
 * `restarted` started a new trace, or continued another one, instead of the run's. The verdict on the run
 * is the same however it was paired; `doubt` says when the pairing is a guess, and why. `headers`: what the
 * dump's spans show of the hop's headers (without it, the spans of the two traces).
 */
export function brokenAt(
  lastService: string,
  restarted: string,
  entry: Span,
  from: Trace,
  last: Span | undefined,
  doubt: TieDoubt = {},
  headers?: HopHeaders,
): BrokenChainProblem {
  const { starts = false, alike = 0, elsewhere, nearest = false, rivals = 0 } = doubt;
  if (entry.traceId === from.traceId) return secondRoot(lastService, restarted, entry, from, last);
  const instead = `(${shortIdsApart(entry.traceId, from.traceId).join(' instead of ')})`;
  const words = headers?.words(lastService, restarted) ?? headerWords([entry, ...from.spans], lastService, restarted);
  // The chain's first service (the app) starts the trace: it sends the request, it has none to forward.
  const opening = starts ? `${lastService} sent the request` : `${lastService} received the request`;
  const message =
    entry.parentSpanId === undefined
      ? `${opening} but ${restarted} started a new trace ${instead}: ${lastService} did not ${starts ? 'inject' : 'forward'} ${words.headers}, or ${unread(restarted, words)}`
      : `${opening} but ${restarted} continued another trace ${instead}: ${lastService} ${starts ? 'sent' : 'forwarded'} ${words.other} with a different trace id`;
  const guess = nearest
    ? ` (no call of a run on this route was in flight when it started: tied to the run nearest in time, a guess)`
    : alike > 0
      ? ` (route and timing fit ${alike} other ${alike === 1 ? 'run' : 'runs'} as well${ofJourneys(alike, elsewhere)}: which run it left is a guess)`
      : rivals > 0
        ? ` (${rivals} other new ${rivals === 1 ? 'trace' : 'traces'} on this route started while the same call ran: which one is this run's is a guess)`
        : '';
  const fix = !starts ? undefined : entry.parentSpanId === undefined ? newTraceFix : originFix;
  return broken(lastService, entry, withFix(fix?.(lastService, restarted, words), message + guess), last);
}

/**
 * The journey's call a request sent outside the journey sends again: `call` got no answer (offline) or a 5xx
 * one (a proxy turned it away, tried the upstream or forwarded it: the app retries it either way); `named`: the
 * request is tagged with the journey.
 */
export interface RepeatedCall {
  readonly call: Span;
  readonly named: boolean;
}

/**
 * The app's own request went out in a trace of its own (its root a CLIENT span of the chain's first service,
 * or the outbox flush that replayed it) instead of beneath the journey's span; the two traces were tied by
 * time, which is a guess unless the request started while the journey's span ran, or by `repeats`: the
 * journey's call that failed, which the request sent again. `alike`: how many other runs' journey spans fit
 * the request as well (running when it started, as tightly); `elsewhere`: other journeys' runs whose journey
 * span ran when it started: then which run it left is a guess too.
 */
export function requestOutsideJourney(
  app: string,
  next: string,
  request: Span,
  journey: Trace,
  root: Span | undefined,
  repeats?: RepeatedCall,
  alike = 0,
  elsewhere?: Elsewhere,
): BrokenChainProblem {
  const during = root !== undefined && root.startTimeMs <= request.startTimeMs && request.startTimeMs <= root.endTimeMs;
  const status = repeats && responseStatus(repeats.call);
  const others = elsewhere?.runs ?? 0;
  // Why the pairing is a guess: runs of this journey that fit as well, other journeys' runs whose span ran then.
  const doubts: string[] = [];
  if (alike > 0) doubts.push(`timing fits ${alike} other ${alike === 1 ? 'run' : 'runs'} as well`);
  if (others > 0 && during && !repeats)
    doubts.push(
      `${others} other ${others === 1 ? "run's" : "runs'"} journey span ran then too${ofJourneys(others, elsewhere)}`,
    );
  const guess = doubts.length > 0 ? ` (${doubts.join(', and ')}: which run it left is a guess)` : '';
  const tie =
    (repeats
      ? ` (it ${repeats.named ? 'names the journey and ' : ''}sends again the journey's ${kindWord(repeats.call.kind)} span ${describeSpanName(repeats.call)}, which ${status === undefined ? 'got no answer' : `was answered HTTP ${status}`})`
      : during
        ? ''
        : ` (tied to the journey's run nearest in time: which run it left is a guess)`) + guess;
  return broken(
    app,
    request,
    withFix(
      `make ${app} send each request in the journey's context, its span beneath ${root ? describeSpanName(root) : 'the journey span'} (a replayed request needs the context saved with it)`,
      `${app}'s ${kindWord(request.kind)} span ${describeSpanName(request)} started a new trace (${shortIdsApart(request.traceId, journey.traceId).join(" instead of the journey's ")})${tie} that reached ${next}: ` +
        `${app} made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context)`,
    ),
    root,
    // The hop that broke is the app's to the next service: the new trace's first span is the app's own.
    next,
  );
}

/**
 * A service past the app made its call to the next one outside the request's context: the call is the root
 * of a new trace. `held`: the caller's span of the run, running when the call started. `alike`: how many other
 * runs' spans were running then too.
 */
export function callOutsideRequest(
  caller: string,
  callee: string,
  call: Span,
  from: Trace,
  held: Span,
  alike = 0,
  elsewhere?: Elsewhere,
): BrokenChainProblem {
  const guess =
    alike > 0
      ? ` (${alike} other ${alike === 1 ? "run's" : "runs'"} spans of ${caller} ran then too${ofJourneys(alike, elsewhere)}: which run it served is a guess)`
      : '';
  return broken(
    caller,
    call,
    withFix(
      `make ${caller} start its call in the context of the request it serves (hand the context on with the work to a pool, queue or timer)`,
      `${caller}'s ${kindWord(call.kind)} span ${describeSpanName(call)} started a new trace (${shortIdsApart(call.traceId, from.traceId).join(' instead of ')}) that reached ${callee}, ` +
        `while ${describeSpanName(held)} served the request${guess}: ${caller} made the call outside the request's context`,
    ),
    held,
    callee,
  );
}

/** A CONSUMER that started a new trace with a span link to the producer. */
export function linkedNotParented(
  lastService: string,
  restarted: string,
  entry: Span,
  from: Trace,
  last: Span | undefined,
): BrokenChainProblem {
  const producer =
    last && last.traceId === from.traceId ? ` ${kindWord(last.kind)} span ${describeSpanName(last)}` : `'s span`;
  return broken(
    lastService,
    entry,
    `${restarted}'s ${kindWord(entry.kind)} span ${describeSpanName(entry)} started a new trace (${shortIdsApart(entry.traceId, from.traceId).join(' instead of ')}) ` +
      `with a span link to ${lastService}${producer}: linked, not parented, so the run is split in two traces ` +
      `(extract the message's context as the parent, or pass --accept-links if ${restarted} is a batch consumer)`,
    last,
  );
}

/**
 * A fragment on the chain's route that no run can be tied to. `starts`: the caller is the chain's first
 * service. A fragment whose first span has no time (hasTime) can be tied by span link alone: it says so, and
 * so does one that started while `unnamed`, a call of a run that names no route, went unanswered (namesNoRoute),
 * and one on the route of `untimed`, an unanswered call of a run with no time.
 * `headers` as for {@link brokenAt}.
 */
export function fragmentOnly(
  lastService: string,
  restarted: string,
  entry: Span,
  starts = false,
  headers?: HopHeaders,
  unnamed?: Span,
  untimed?: Span,
): BrokenChainProblem {
  const words = headers?.words(lastService, restarted) ?? headerWords([entry], lastService, restarted);
  return broken(
    lastService,
    entry,
    withFix(
      starts ? newTraceFix(lastService, restarted, words) : undefined,
      `${restarted}'s ${kindWord(entry.kind)} span ${describeSpanName(entry)} started a new trace (${shortId(entry.traceId)}) on a route of the hop ${lastService} -> ${restarted}: ` +
        `${lastService} did not ${starts ? 'inject' : 'forward'} ${words.headers} on one of its calls, or ${unread(restarted, words)} ` +
        (!hasTime(entry)
          ? `(the span has no time in the dump, so no call's timing can tie it to a run, and no span link does)`
          : unnamed
            ? `(no span link ties it to a run, and ${lastService}'s ${kindWord(unnamed.kind)} span ${describeSpanName(unnamed)} that went unanswered while it started names no route (no path or HTTP tags) nor the service it called (peer.service; Zipkin's remoteEndpoint.serviceName) to tie it by)`
            : untimed
              ? `(no span link ties it to a run, and ${lastService}'s ${kindWord(untimed.kind)} span ${describeSpanName(untimed)} that went unanswered on this route has no time in the dump, so no call's timing can tie it)`
              : `(no span link, and no call of ${lastService}'s on this route that went unanswered, ties it to a run)`),
    ),
    undefined,
  );
}

/** The next service's span is a second root of the run's own trace. */
export function secondRoot(
  lastService: string,
  restarted: string,
  entry: Span,
  trace: Trace,
  last: Span | undefined,
  starts = false,
): BrokenChainProblem {
  return broken(
    lastService,
    entry,
    withFix(
      starts ? originFix(lastService, restarted, headerWords(trace.spans, lastService, restarted)) : undefined,
      `${lastService} received the request but ${restarted}'s span ${describeSpanName(entry)} is a second root of trace ${shortId(trace.traceId)}, not beneath ${lastService}'s spans: ` +
        `${restarted} kept the trace id it received but not the parent span id`,
    ),
    last,
  );
}

/** The next service's span is in the run's tree, but not beneath the previous service's spans. */
export function notBeneath(
  lastService: string,
  restarted: string,
  entry: Span,
  last: Span | undefined,
  starts = false,
): BrokenChainProblem {
  return broken(
    lastService,
    entry,
    withFix(
      starts
        ? originFix(lastService, restarted, headerWords([entry, ...(last ? [last] : [])], lastService, restarted))
        : undefined,
      `${lastService} received the request but ${restarted}'s span ${shortId(entry.spanId)} in trace ${shortId(entry.traceId)} is not beneath ${lastService}'s spans: ` +
        `${restarted} was parented to another span than ${lastService}'s call`,
    ),
    last,
  );
}

/**
 * `previous`'s call as `call` stands for it: its own span, or its sidecar's; the callee's inbound sidecar's span
 * (isInboundSidecar), when it is all that hangs beneath the call, is that sidecar's, worded as such.
 */
function callWords(previous: string, call: Span): string {
  return isInboundSidecar(call) && call.service !== previous
    ? `${call.service}'s inbound sidecar span ${describeSpanName(call)} of ${previous}'s call`
    : `${previous}'s call ${describeSpanName(call)}`;
}

/**
 * "its span's status is ERROR", with the first line of its status message quoted when there is one ("connect
 * ECONNREFUSED 10.0.0.7:8080", "other side closed"): what the client itself saw tells a refused connection from one
 * the other side closed or a timeout. Long messages (a stack trace in the status) are cut.
 */
function errorStatusWords(call: Span): string {
  const first = call.statusMessage?.split('\n', 1)[0]?.trim() ?? '';
  if (first === '') return "its span's status is ERROR";
  const shown = first.length > STATUS_QUOTE_MAX ? `${first.slice(0, STATUS_QUOTE_MAX - 3)}...` : first;
  return `its span's status is ERROR: "${shown}"`;
}
const STATUS_QUOTE_MAX = 120;

/**
 * Which samplers follow the sampled flag a request arrives with: ParentBased, under every OTEL_TRACES_SAMPLER
 * name it has (parentbased_always_on, the SDKs' default; parentbased_always_off, parentbased_traceidratio,
 * parentbased_jaeger_remote), whose branches for a remote parent record what arrived sampled and nothing else.
 * The others decide by themselves: traceidratio by the trace id, jaeger_remote by the strategy it fetched,
 * always_off never records, always_on always does.
 */
const FOLLOWS_FLAG = "any parentbased_ one, the SDKs' default";

/** Samplers not wrapped in parentbased_ that drop requests whatever flag they arrive with. */
const IGNORES_FLAG = 'traceidratio, jaeger_remote or always_off';

/** Why a callee that left no span of a call may not have recorded it, its call's flags not read. */
const SAMPLED_OUT = `by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: ${IGNORES_FLAG}`;

/** How a service dropped a request that a service after it recorded: neither follows the sampled flag. */
const IGNORE_FLAG_PAIR = `samplers not wrapped in parentbased_ ignore the sampled flag: ${IGNORES_FLAG} dropping it, always_on or traceidratio keeping it`;

/**
 * Why `service` recorded nothing of an answered call of `previous`'s, as far as the call's span's trace flags
 * tell: sent sampled (01), a hop between cleared the flag or the callee's own sampler ignores it; sent
 * unsampled (00), a callee that follows the flag recorded nothing; flags not in the dump (Zipkin, Jaeger), either.
 */
function sampledOut(service: string, previous: string, call: Span): string {
  const flags = call.traceFlags;
  if (flags !== undefined && (flags & 1) === 0)
    return `the request left ${previous} sampled out (its span's flags say 00), and a sampler that follows the flag records nothing of it (${FOLLOWS_FLAG}), `;
  const cleared = `the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: ${FOLLOWS_FLAG}), `;
  return flags === undefined
    ? `${cleared}${service}'s own sampler dropped it (one that ignores the sampled flag: ${IGNORES_FLAG}), `
    : `${cleared}${service}'s own sampler dropped it though ${previous} sent it sampled (its span's flags say 01; one that ignores the flag: ${IGNORES_FLAG}), `;
}

/**
 * `service` has no span in the run's trace. `seenElsewhere`: other traces do hold its spans. `later`: a
 * service after it in the chain is in the trace. `call`: a call of `previous` that nobody answered.
 * `untimedNew`: the first span of a new trace of `service`'s that no run took and that has no time (hasTime).
 */
export function missingService(
  service: string,
  previous: string,
  trace: Trace,
  seenElsewhere: boolean,
  later: string | undefined,
  call: Span | null,
  alsoFits: readonly FitElsewhere[] = [],
  untimedNew?: Span,
): MissingServiceProblem {
  const where = seenElsewhere ? `trace ${shortId(trace.traceId)}` : 'any trace';
  const called = call === null ? '' : callWords(previous, call);
  // A call that ended in an error (connection refused, a timeout) most likely never reached the service.
  const failed = call !== null && call.statusCode === 2;
  // A call whose span recorded an HTTP status was answered: the request got somewhere. A failed call answered
  // 5xx (a proxy's "unavailable") keeps the words for a failed attempt, unless the proxy says it had forwarded
  // the request (Envoy's response_flags UC, UR, UT, UPE, UMSDR or its reset body; Cloudflare's 520, 524): then
  // the service got it; or that it tried to (a 502, a 504): then whether the service got it is not known. The
  // chain's ties read them the same (proxyAnswer).
  const status = call === null ? undefined : responseStatus(call);
  const proxied = call !== null && failed && status !== undefined && status >= 500 ? proxyAnswer(call) : undefined;
  const forwarded = proxied === 'forwarded';
  const answered = status !== undefined && (!(failed && status >= 500) || forwarded);
  // Envoy's response_flags, when they say it answered the call itself and forwarded nothing (turnedAway).
  const flags = call?.attributes['response_flags'];
  const turnedFlags = call !== null && typeof flags === 'string' && turnedAway(call) ? flags : undefined;
  // A call that names no route nor its callee: no new trace of the callee's can be tied to it.
  const blind = call !== null && namesNoRoute(call, service);
  const cause = later
    ? call && answered
      ? // The call was answered and the service after it recorded a span: the service recorded nothing itself.
        `${called} was answered (HTTP ${status}) but ${service} left no span of it, though ${later}, after it in the chain, is in the trace: ` +
        `${service}'s sampler dropped the request while ${later}'s recorded it (${IGNORE_FLAG_PAIR}), or ${service}'s spans were not exported`
      : `${previous} never called it (${later} is in the trace, called without it), or its spans were not exported`
    : call && answered && turnedFlags !== undefined
      ? // Envoy's flags say it answered the request itself (a rate limit's 429, an authorizer's 403): see turnedAway.
        `${called} was answered (HTTP ${status}) by Envoy itself, which forwarded nothing (response_flags ${turnedFlags}): the request never reached ${service}, so the run did not get past this hop`
      : call && answered
        ? `${called} was answered (HTTP ${status}${forwarded ? ', by a proxy that had forwarded the request: its upstream connection reset or timed out' : ''}) but ${service} left no span of it in ${seenElsewhere ? 'this trace' : 'the dump'}: ` +
          sampledOut(service, previous, call) +
          (seenElsewhere
            ? `${forwarded ? 'or ' : ''}${newTraceOf(service, alsoFits, blind, !hasTime(call), untimedNew)}`
            : `${forwarded ? 'or ' : ''}${service}'s spans were not exported`) +
          // A proxy that had forwarded the request did not answer in the service's place.
          (forwarded ? '' : ', or a proxy or cache answered in its place')
        : call && proxied === 'tried'
          ? `${called} failed with HTTP ${status}, a proxy's answer after trying ${service}: whether ${service} received the request is not known ` +
            `(a proxy answers ${status} when it could not reach ${service} in time as well as when ${service} broke off or timed out after receiving it), ` +
            `and ${service} left no span of it in ${seenElsewhere ? 'this trace' : 'the dump'}: the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain), ` +
            `or ${service} received it sampled out (${SAMPLED_OUT}) or its spans were not exported`
          : call && failed && status !== undefined && turnedAway(call)
            ? `${called} failed with HTTP ${status}, answered by Envoy itself, which forwarded nothing (${turnedFlags !== undefined ? `response_flags ${turnedFlags}` : "the call's error quotes Envoy's own answer"}): it never reached ${service}, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)`
            : call && failed && status !== undefined
              ? // A 5xx no proxy owned up to: whoever answered it, the service recorded nothing of it.
                `${called} failed with HTTP ${status} (its span's status is ERROR) and ${service} left no span of it in ${seenElsewhere ? 'this trace' : 'the dump'}: ` +
                `most likely a proxy or load balancer in front of ${service} answered it without reaching ${service}, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain), ` +
                `or ${service} answered it itself and its spans were not exported`
              : call && failed
                ? `${called} failed (${errorStatusWords(call)}) and got no answer in this trace: most likely it never reached ${service}, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)`
                : call && seenElsewhere && !hasTime(call)
                  ? // No new trace is tied to a call with no time (hasTime): that, not the export, is why none was here.
                    `${called} got no answer in this trace, and that ${kindWord(call.kind)} span has no time in the dump, so no new trace can be tied to the run by its timing: ` +
                    `${service} started a new trace that no span link ties to this run, or ${service}'s span for the call was not exported (sampled out: ${SAMPLED_OUT})`
                  : call && seenElsewhere
                    ? `${called} got no answer in this trace: ${service}'s span for it was not exported (sampled out: ${SAMPLED_OUT}), or ${newTraceOf(service, alsoFits, blind, false, untimedNew)}`
                    : call
                      ? `${called} got no answer: ${service} never received it in this run's context (the request was refused, or queued and sent later from another context), or ${service}'s spans were not exported`
                      : `${previous} never called it, or its spans were not exported`;
  return missingIn(service, trace, `${service} has no span in ${where}: ${cause}`);
}

/**
 * The new trace a run that stopped at a hop may have gone on in: none that evidence ties to it, or those tied
 * to other runs whose route and timing fit it too. A call that arrived sampled out leaves no span, so nothing
 * in the dump tells which of the runs running then lost the context and which was sampled out. `blind`: the
 * run's call names no route nor its callee (namesNoRoute), so no new trace could be tied to it at all. `untimed`:
 * the call has no time (hasTime), so no new trace was tied to it by timing; `untimedNew`: a new trace of the
 * service's that no run took starts with a span with no time, which no timing ties either.
 */
function newTraceOf(
  service: string,
  alsoFits: readonly FitElsewhere[],
  blind = false,
  untimed = false,
  untimedNew?: Span,
): string {
  if (alsoFits.length === 0 && untimed)
    return `${service} started a new trace that no span link ties to this run, and no timing can: the call's span has no time in the dump`;
  if (alsoFits.length === 0 && untimedNew)
    return (
      `${service} started a new trace that no span link ties to this run, and no timing can: ${service}'s ${kindWord(untimedNew.kind)} span ` +
      `${describeSpanName(untimedNew)} that started new trace ${shortId(untimedNew.traceId)} has no time in the dump`
    );
  if (alsoFits.length === 0)
    return blind
      ? `${service} started a new trace that nothing ties to this run: the call names no route (no path or HTTP tags) nor the service it called (peer.service; Zipkin's remoteEndpoint.serviceName)`
      : `${service} started a new trace that no span link, route or timing ties to this run`;
  const traces = alsoFits.map(({ fragment }) => shortId(fragment)).join(' or ');
  const runs = alsoFits.map(({ run, journey }) => (journey ? `${shortId(run)} of journey ${journey}` : shortId(run)));
  const tied = runs.length === 1 ? `run ${runs[0]}` : `runs ${runs.slice(0, -1).join(', ')} and ${runs.at(-1)}`;
  return (
    `${service} started new trace ${traces} (tied to ${tied}, though route and timing fit this run too: ` +
    `a call that arrived sampled out leaves no span to compare, so which run ${alsoFits.length === 1 ? 'it' : 'each'} left is a guess)`
  );
}

function missingIn(service: string, trace: Trace, message: string): MissingServiceProblem {
  return { kind: 'missing-service', traceId: trace.traceId, spanId: null, service, missingService: service, message };
}

/**
 * With no run of the chain: `service`'s spans are only in traces of their own (`entry` the first), and
 * `lastReached` made no call in `trace`, so no traceparent was lost: nothing was sent.
 */
export function noCallBeneath(service: string, lastReached: string, trace: Trace, entry: Span): MissingServiceProblem {
  return missingIn(
    service,
    trace,
    `${service} has no span beneath ${lastReached} in any trace: ${lastReached} made no call (no CLIENT or PRODUCER span) ` +
      `in trace ${shortId(trace.traceId)}, and ${service}'s spans are in traces of their own (such as ${describeSpanName(entry)} in ${shortId(entry.traceId)}): ` +
      `the journey never reached ${service}, or ${lastReached}'s call was not traced`,
  );
}

/** Other runs that fit a new trace as well that are runs of other journeys sharing the chain. */
export interface Elsewhere {
  readonly runs: number;
  readonly journeys: readonly string[];
}

/** ", of journey checkout" (or ", 1 of them of journey checkout") for other journeys' runs among `alike`. */
function ofJourneys(alike: number, elsewhere: Elsewhere | undefined): string {
  if (!elsewhere || elsewhere.runs === 0) return '';
  const named = `${elsewhere.journeys.length === 1 ? 'journey' : 'journeys'} ${elsewhere.journeys.join(', ')}`;
  return elsewhere.runs >= alike ? `, of ${named}` : `, ${elsewhere.runs} of them of ${named}`;
}
