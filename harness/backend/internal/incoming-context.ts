import { ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import type { HeaderEntry } from '../../model';
import {
  decodeBaggage,
  decodeTraceparent,
  decodeTracestate,
  encodeBaggage,
  FLAG_RANDOM,
  headerValues,
  type TraceparentReason,
} from '../../propagation';
import { MemberTraceState } from './member-trace-state';

/** The context a service continues for one request, decided by our strict codecs (never the SDK's). */
export interface IncomingContext {
  /** Parent context for the SERVER span: the caller's remote span, or the root context on a restart. */
  readonly context: Context;
  /** True when the service starts a new trace (traceparent missing or invalid), as `continueW3c` decides. */
  readonly restarted: boolean;
  /** Why the trace was restarted. */
  readonly reason?: TraceparentReason;
  /** Level 2 random flag to propagate: the caller's, or set when we start a trace with random ids. */
  readonly random: boolean;
  /** The baggage header to forward, when one arrived and decoded. */
  readonly baggage?: string;
}

/**
 * Decides the SERVER span's parent from a request's headers, by the W3C processing model as `continueW3c`
 * applies it: an invalid or missing traceparent restarts the trace and discards tracestate; a tracestate
 * keeps the first member of a duplicated key (§3.5) and is dropped whole when invalid. Not through
 * `continueW3c` itself: it hands out the tracestate it would forward as text (decoded, encoded, then decoded
 * again here) and encodes a traceparent for a span this service does not have, about 1 to 2% of a checkout.
 * Never throws.
 */
export function incomingContext(headers: readonly HeaderEntry[]): IncomingContext {
  const baggageLines = headerValues(headers, 'baggage');
  const baggage = baggageLines.length > 0 ? decodeBaggage(baggageLines) : undefined;
  const forwardBaggage = baggage?.ok ? encodeBaggage(baggage.value) : undefined;
  const withBaggage = forwardBaggage ? { baggage: forwardBaggage } : {};
  const parent = decodeTraceparent(headerValues(headers, 'traceparent'));
  if (!parent.ok)
    return { context: ROOT_CONTEXT, restarted: true, reason: parent.reason, random: true, ...withBaggage };
  const { traceId, parentId, traceFlags } = parent.value;
  const stateLines = headerValues(headers, 'tracestate');
  const state = stateLines.length > 0 ? decodeTracestate(stateLines, { duplicateKeys: 'keep-first' }) : undefined;
  const context = trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: parentId,
    traceFlags,
    isRemote: true,
    ...(state?.ok && state.value.length > 0 ? { traceState: new MemberTraceState(state.value) } : {}),
  });
  return { context, restarted: false, random: (traceFlags & FLAG_RANDOM) !== 0, ...withBaggage };
}
