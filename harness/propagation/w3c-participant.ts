/**
 * What a W3C Trace Context participant sends downstream for an incoming request, per the spec's
 * processing model: https://www.w3.org/TR/trace-context-2/#processing-model
 */
import type { HeaderEntry, SpanId, TraceId } from '../model';
import { headerValues } from './extract';
import { decodeTraceparent, encodeTraceparent, FLAG_RANDOM, FLAG_SAMPLED, type TraceparentReason } from './traceparent';
import { decodeTracestate, encodeTracestate, type TracestateReason } from './tracestate';

/** The headers to send downstream and why. */
export interface W3cContinuation {
  readonly traceparent: string;
  /** Absent when none was received, it was dropped, or it was empty. */
  readonly tracestate?: string;
  /** True when a new trace was started (traceparent missing or invalid). */
  readonly restarted: boolean;
  /** Why the trace was restarted. */
  readonly reason?: TraceparentReason;
  /** Why a received tracestate was not forwarded. */
  readonly tracestateDropped?: TracestateReason | 'restarted';
  /** The caller's context when it was continued. */
  readonly parent?: { readonly traceId: TraceId; readonly parentId: SpanId; readonly traceFlags: number };
}

/** Options of {@link continueW3c}. */
export interface W3cParticipantOptions {
  /** Trace flags for a restarted trace; default sampled + random (the mock backend records everything). */
  readonly restartFlags?: number;
}

/** §3.2.2.3 flags this spec level defines; "Vendors MUST set those [others] to zero". */
const KNOWN_FLAGS = FLAG_SAMPLED | FLAG_RANDOM;

/**
 * Continues the caller's trace with our span as the new parent, or restarts it when traceparent is
 * missing or invalid (then tracestate is discarded, §4.2 step 2 / §4.1 step 3).
 */
export function continueW3c(
  headers: readonly HeaderEntry[],
  newSpanId: () => SpanId,
  newTraceId: () => TraceId,
  options: W3cParticipantOptions = {},
): W3cContinuation {
  const traceparentLines = headerValues(headers, 'traceparent');
  const tracestateLines = headerValues(headers, 'tracestate');
  const incoming = decodeTraceparent(traceparentLines);
  if (!incoming.ok) {
    const flags = (options.restartFlags ?? KNOWN_FLAGS) & KNOWN_FLAGS;
    return {
      traceparent: encodeTraceparent({ traceId: newTraceId(), parentId: newSpanId(), traceFlags: flags }),
      restarted: true,
      reason: incoming.reason,
      ...(tracestateLines.length > 0 ? { tracestateDropped: 'restarted' as const } : {}),
    };
  }
  const { traceId, parentId, traceFlags } = incoming.value;
  const traceparent = encodeTraceparent({ traceId, parentId: newSpanId(), traceFlags: traceFlags & KNOWN_FLAGS });
  const parent = { traceId, parentId, traceFlags };
  if (tracestateLines.length === 0) return { traceparent, restarted: false, parent };
  // §3.5 lets a vendor discard duplicate keys, so they do not cost the whole header.
  const state = decodeTracestate(tracestateLines, { duplicateKeys: 'keep-first' });
  if (!state.ok) return { traceparent, restarted: false, tracestateDropped: state.reason, parent };
  const tracestate = encodeTracestate(state.value);
  return { traceparent, restarted: false, parent, ...(tracestate !== '' ? { tracestate } : {}) };
}
