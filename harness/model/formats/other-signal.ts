import { ProtobufReader, WIRE_FIXED64, WIRE_LENGTH_DELIMITED } from '../internal/protobuf-reader';

/** The OTLP signals besides traces that one file of a Collector's file exporter may hold. */
export type OtherSignal = 'metrics' | 'logs';

/** A TraceId: 16 bytes. The first field of a Span; a Metric's first field is its name, a LogRecord's a time. */
const TRACE_ID_BYTES = 16;
/** Metric fields that hold its data (gauge, sum, histogram, exponential histogram, summary). */
const METRIC_DATA_FIELDS = new Set([5, 7, 9, 10, 11]);

/** Enters the first field `field` (a nested message) of the message being read; false when there is none. */
function enterFirst(reader: ProtobufReader, field: number): boolean {
  while (!reader.atEnd()) {
    const tagAt = reader.pos;
    const tag = reader.varint32();
    if (tag >>> 3 === field && (tag & 7) === WIRE_LENGTH_DELIMITED) {
      reader.enter();
      return true;
    }
    reader.skip(tag & 7, tagAt);
  }
  return false;
}

/**
 * Which other signal an OTLP protobuf request that failed to decode as traces holds, judged by its first
 * record: every OTLP request nests records at the same field numbers (resource list 1, scope list 2,
 * records 2), and a LogRecord starts with a fixed64 time, a Metric with a name and data fields, where a
 * Span starts with a 16-byte trace id. Undefined when the bytes say neither. Never throws.
 */
export function otherSignalOf(bytes: Uint8Array, start: number, end: number): OtherSignal | undefined {
  try {
    const reader = new ProtobufReader(bytes, start, end);
    if (!enterFirst(reader, 1) || !enterFirst(reader, 2) || !enterFirst(reader, 2)) return undefined;
    let nameLike = false;
    let data = false;
    while (!reader.atEnd()) {
      const tagAt = reader.pos;
      const tag = reader.varint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      if ((field === 1 || field === 11) && wire === WIRE_FIXED64) return 'logs';
      if (field === 1 && wire === WIRE_LENGTH_DELIMITED) {
        const at = reader.payload();
        nameLike = reader.pos - at !== TRACE_ID_BYTES;
        continue;
      }
      if (METRIC_DATA_FIELDS.has(field) && wire === WIRE_LENGTH_DELIMITED) data = true;
      reader.skip(wire, tagAt);
    }
    return nameLike && data ? 'metrics' : undefined;
  } catch {
    return undefined;
  }
}

/** The lists of an OTLP/JSON document of metrics, logs or profiles. */
const OTHER_SIGNALS = ['resourceMetrics', 'resourceLogs', 'resourceProfiles'];

/** An OTLP document of another signal: one of their lists and no spans. */
export function isOtherSignal(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'resourceSpans' in value) return false;
  return OTHER_SIGNALS.some((key) => Array.isArray((value as Record<string, unknown>)[key]));
}
