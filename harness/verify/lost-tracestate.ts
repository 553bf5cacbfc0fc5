import { forEachParentLink, HOP_CAUSES, withFix, type Span, type Trace } from '../model';
import { quotedText } from '../internal/terminal-text';
// The two files, not the propagation barrel: tracehop check would load every codec (B3, baggage, ...) for these.
import { decodeTracestate } from '../propagation/tracestate';
import { level1KeyProblem } from '../propagation/tracestate-level1';
import { describeSpan, describeSpanName } from './internal/describe';
import type { HeaderSpanMismatchProblem, InvalidHeaderProblem } from './problem';

/** What to do about it: the same fix the README gives for the `strip-tracestate` fault. */
const FIX = 'let the proxy between them pass tracestate through';

/**
 * `header-span-mismatch` from spans alone: a caller's CLIENT span carries a trace state and the callee's
 * SERVER span beneath it, in another service, carries none, so the tracestate header did not arrive (as the
 * capture check in capture/header-span-mismatch.ts sees in a live run).
 *
 * An OpenTelemetry SDK gives a SERVER span the trace state of the remote parent it extracted (the sampler
 * may replace it), so a SERVER span whose caller sent tracestate carries some. Judged only where both are
 * known (Span.traceState): the callee's must be known to be empty, not merely unrecorded (Zipkin, Jaeger
 * without `w3c.tracestate`). A callee with any trace state of its own is not judged, even one that kept
 * none of the caller's members: W3C Trace Context lets each participant add and update its own member, and
 * an SDK may rewrite the rest; only "the caller had some, the callee has none" is sure to be a loss.
 *
 * Unless the caller's trace state is no valid tracestate (an SDK that does not check what its sampler or the
 * app put in it, as OpenTelemetry JS 1.x): a conforming callee may discard such a header, and OpenTelemetry
 * Go's propagator keeps none of it when one member breaks the grammar, so the header may well have arrived.
 * That is the caller's `invalid-header`, on its call span, not a hop's loss.
 *
 * So is a trace state valid in Trace Context Level 2 with a key that Level 1 rejects (`1vendor`, `a@b@c`):
 * OpenTelemetry Go and JS validate keys with Level 1, Go dropping the whole header and JS that member, so a
 * callee on either has none although the header arrived. The callee implements the spec it received the
 * header under, so that too is a header that breaks the callee's spec (`invalid-header`, reason
 * `level2-key`), fixed at the caller; blaming a proxy would send the reader to the wrong hop.
 */
export function findLostTraceStates(trace: Trace): Array<HeaderSpanMismatchProblem | InvalidHeaderProblem> {
  const problems: Array<HeaderSpanMismatchProblem | InvalidHeaderProblem> = [];
  forEachParentLink(trace, ({ span: parent }, span) => {
    if (span.traceState !== '' || !parent.traceState) return;
    if (span.kind !== 'server' || parent.kind !== 'client' || span.service === parent.service) return;
    const decoded = decodeTracestate(parent.traceState);
    if (!decoded.ok) {
      problems.push(invalidCallerState(parent, span, parent.traceState, decoded.reason, decoded.message));
      return;
    }
    const level2Only = level2OnlyKeys(decoded.value.map((member) => member.key));
    if (level2Only.length > 0) {
      problems.push(level2OnlyCallerState(parent, span, parent.traceState, level2Only));
      return;
    }
    // Anchored as the capture check anchors it: the caller's call span, and the service that lost the state.
    problems.push({
      kind: 'header-span-mismatch',
      traceId: parent.traceId,
      spanId: parent.spanId,
      service: span.service,
      header: 'tracestate',
      headerValue: '',
      message: withFix(
        FIX,
        `${describeSpan(span)} has no tracestate although ${parent.service}'s call span ${describeSpanName(parent)} carries ${quotedText(parent.traceState)}: ` +
          `${HOP_CAUSES['strip-tracestate']}, or ${span.service} read its context with a propagator that has no tracestate (B3 alone)`,
      ),
    });
  });
  return problems;
}

/** The caller's own trace state breaks the tracestate grammar: anchored on its call span, its service to fix. */
function invalidCallerState(
  parent: Span,
  span: Span,
  state: string,
  reason: string,
  why: string,
): InvalidHeaderProblem {
  return callerStateProblem(
    parent,
    state,
    reason,
    withFix(
      `make ${parent.service} send only valid tracestate members (check what its sampler or code puts in the trace state)`,
      `${describeSpan(span)} has no tracestate, and ${parent.service}'s call span ${describeSpanName(parent)} carries ${quotedText(state)}, which is not valid tracestate (${reason}: ${why}): ` +
        `a conforming callee may discard it (OpenTelemetry Go drops the whole header, JS the invalid members), so no hop need have lost it`,
    ),
  );
}

/** Each key Level 1 rejects, with what in it Level 1 rejects. */
function level2OnlyKeys(keys: readonly string[]): Array<[string, string]> {
  return keys.flatMap((key) => {
    const problem = level1KeyProblem(key);
    return problem === undefined ? [] : [[key, problem] as [string, string]];
  });
}

/**
 * The caller's trace state is valid Level 2 tracestate, but Level 1 (OpenTelemetry Go and JS) rejects some of
 * its keys: anchored on its call span, its service to fix.
 */
function level2OnlyCallerState(
  parent: Span,
  span: Span,
  state: string,
  keys: ReadonlyArray<[string, string]>,
): InvalidHeaderProblem {
  const named = keys.map(([key, why]) => `${quotedText(key)} (${why})`);
  const list =
    named.length === 1
      ? `key ${named.join('')} is`
      : `keys ${named.slice(0, -1).join(', ')} and ${named.at(-1) ?? ''} are`;
  return callerStateProblem(
    parent,
    state,
    'level2-key',
    withFix(
      `give ${parent.service}'s trace state Level 1 keys (a lowercase letter first, or tenant@system with a system of at most 14 characters that starts with a lowercase letter)`,
      `${describeSpan(span)} has no tracestate, and ${parent.service}'s call span ${describeSpanName(parent)} carries ${quotedText(state)}, whose ${list} valid in W3C Trace Context Level 2 but not in Level 1: ` +
        `OpenTelemetry Go and JS accept only Level 1 keys and drop ${keys.length === 1 ? 'it (Go the whole header, JS the member)' : 'them (Go the whole header, JS those members)'}, so no hop need have lost it`,
    ),
  );
}

/** An invalid-header problem on the caller's trace state, anchored on its call span: its service to fix. */
function callerStateProblem(parent: Span, state: string, reason: string, message: string): InvalidHeaderProblem {
  return {
    kind: 'invalid-header',
    traceId: parent.traceId,
    spanId: parent.spanId,
    service: parent.service,
    header: 'tracestate',
    headerValue: state,
    reason,
    message,
  };
}
