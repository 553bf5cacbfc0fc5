import { varint } from './wire-varint';

/**
 * Grafana Tempo's `/api/v2/traces/{id}` answer as protobuf (`Accept: application/protobuf`): a
 * `TraceByIDResponse` {1: Trace trace, 2: TraceByIDMetrics metrics, 3: PartialStatus status, 4: string
 * message}, whose Trace {1: repeated ResourceSpans} is encoded as an ExportTraceServiceRequest is. (Its
 * `/api/traces/{id}` answers the Trace alone, which reads as a request.)
 */

/** The Trace message's bytes, and what the answer says it left out, from a TraceByIDResponse. */
export interface TempoTraceAnswer {
  readonly trace: Uint8Array;
  /** PARTIAL (1): the trace was cut at Tempo's size limit, filtered or pruned. */
  readonly partial: boolean;
  readonly message: string;
}

/** Wire types each field of TraceByIDResponse has: 2 length-delimited, 0 varint. */
const WIRE: Readonly<Record<number, number>> = { 1: 2, 2: 2, 3: 0, 4: 2 };

/**
 * The answer `bytes` hold when they are a TraceByIDResponse with a trace (every field one it has, in its
 * wire type); else undefined.
 */
export function tempoTraceAnswerOf(bytes: Uint8Array): TempoTraceAnswer | undefined {
  const traces: Uint8Array[] = [];
  let partial = false;
  let message = '';
  for (let at = 0; at < bytes.length;) {
    const tag = varint(bytes, at);
    if (tag === undefined) return undefined;
    const field = Math.floor(tag.value / 8);
    if (WIRE[field] !== tag.value % 8) return undefined;
    const value = varint(bytes, tag.next);
    if (value === undefined) return undefined;
    if (field === 3) {
      partial = value.value === 1;
      at = value.next;
      continue;
    }
    const end = value.next + value.value;
    if (end > bytes.length) return undefined;
    const body = bytes.subarray(value.next, end);
    if (field === 1) traces.push(body);
    if (field === 4) message = Buffer.from(body).toString('utf8');
    at = end;
  }
  if (traces.length === 0) return undefined;
  // A message field written twice is merged: its bytes one after the other.
  const trace = traces.length === 1 ? (traces[0] as Uint8Array) : Buffer.concat(traces);
  return { trace, partial, message };
}
