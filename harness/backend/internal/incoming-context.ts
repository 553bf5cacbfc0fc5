import { ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { asSpanId, asTraceId, type HeaderEntry } from '../../model';
import {
  continueW3c,
  decodeBaggage,
  decodeTracestate,
  encodeBaggage,
  FLAG_RANDOM,
  headerValues,
  type W3cContinuation,
} from '../../propagation';
import { MemberTraceState } from './member-trace-state';

/** The context a service continues for one request, decided by our strict codecs (never the SDK's). */
export interface IncomingContext {
  /** Parent context for the SERVER span: the caller's remote span, or the root context on a restart. */
  readonly context: Context;
  /** The W3C participant decision behind it. */
  readonly decision: W3cContinuation;
  /** Level 2 random flag to propagate: the caller's, or set when we start a trace with random ids. */
  readonly random: boolean;
  /** The baggage header to forward, when one arrived and decoded. */
  readonly baggage?: string;
}

// continueW3c asks for ids of the span it would send as parent; the SDK makes the real spans, so these
// placeholders only satisfy its signature and its traceparent output is not used.
const PLACEHOLDER_SPAN_ID = asSpanId('0000000000000001');
const PLACEHOLDER_TRACE_ID = asTraceId('00000000000000000000000000000001');

/** Decides the SERVER span's parent from a request's headers. Never throws. */
export function incomingContext(headers: readonly HeaderEntry[]): IncomingContext {
  const decision = continueW3c(
    headers,
    () => PLACEHOLDER_SPAN_ID,
    () => PLACEHOLDER_TRACE_ID,
  );
  const baggageLines = headerValues(headers, 'baggage');
  const baggage = baggageLines.length > 0 ? decodeBaggage(baggageLines) : undefined;
  const forwardBaggage = baggage?.ok ? encodeBaggage(baggage.value) : undefined;
  const withBaggage = forwardBaggage ? { baggage: forwardBaggage } : {};
  if (!decision.parent) return { context: ROOT_CONTEXT, decision, random: true, ...withBaggage };
  const state = decision.tracestate ? decodeTracestate(decision.tracestate) : undefined;
  const context = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: decision.parent.traceId,
    spanId: decision.parent.parentId,
    traceFlags: decision.parent.traceFlags,
    isRemote: true,
    ...(state?.ok ? { traceState: new MemberTraceState(state.value) } : {}),
  });
  return { context, decision, random: (decision.parent.traceFlags & FLAG_RANDOM) !== 0, ...withBaggage };
}
