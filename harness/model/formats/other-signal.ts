import { ProtobufReader, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from '../internal/protobuf-reader';

/** The OTLP signals besides traces that one file of a Collector's file exporter may hold. */
export type OtherSignal = 'metrics' | 'logs';

/** Metric fields that hold its data (gauge, sum, histogram, exponential histogram, summary). */
const METRIC_DATA_FIELDS = new Set([5, 7, 9, 10, 11]);

/** What one record's fields say it is: a LogRecord, a Metric, or neither (a Span, or damaged bytes). */
function recordSignal(reader: ProtobufReader): OtherSignal | undefined {
  let time = false;
  let name = false;
  let data = false;
  while (!reader.atEnd()) {
    const tagAt = reader.pos;
    const tag = reader.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    // A Span's start and end times (fields 7 and 8) are fixed64; no Metric or LogRecord writes them so.
    if ((field === 7 || field === 8) && wire === WIRE_FIXED64) return undefined;
    if (field === 1 || field === 11) {
      // A LogRecord's time and observed time; a Metric's name. A Span's trace id is never fixed64.
      if (wire === WIRE_FIXED64) time = true;
      else if (field === 1 && wire === WIRE_LENGTH_DELIMITED) name = true;
    }
    if (METRIC_DATA_FIELDS.has(field) && wire === WIRE_LENGTH_DELIMITED) data = true;
    if (field === 2 && wire !== WIRE_VARINT && time) return undefined;
    reader.skip(wire, tagAt);
  }
  if (time && !name) return 'logs';
  if (name && data && !time) return 'metrics';
  return undefined;
}

/** Calls `each` on every nested message at `field` of the message being read, in place. */
function forEachNested(reader: ProtobufReader, field: number, each: () => boolean): boolean {
  while (!reader.atEnd()) {
    const tagAt = reader.pos;
    const tag = reader.varint32();
    if (tag >>> 3 === field && (tag & 7) === WIRE_LENGTH_DELIMITED) {
      const outer = reader.enter();
      const ok = each();
      reader.leave(outer);
      if (!ok) return false;
    } else reader.skip(tag & 7, tagAt);
  }
  return true;
}

/**
 * Which other signal an OTLP protobuf request that failed to decode as traces holds. Every OTLP request
 * nests records at the same field numbers (resource list 1, scope list 2, records 2); a LogRecord starts
 * with a fixed64 time, a Metric with its name and holds data fields, where a Span holds fixed64 start and
 * end times. Every record must say the same signal, so damaged trace bytes are not taken for one. Undefined
 * when the bytes say neither. Never throws.
 */
export function otherSignalOf(bytes: Uint8Array, start: number, end: number): OtherSignal | undefined {
  let signal: OtherSignal | undefined;
  let records = 0;
  const record = (): boolean => {
    const found = recordSignal(reader);
    records++;
    if (found === undefined || (signal !== undefined && found !== signal)) return false;
    signal = found;
    return true;
  };
  const reader = new ProtobufReader(bytes, start, end);
  try {
    const whole = forEachNested(reader, 1, () => forEachNested(reader, 2, () => forEachNested(reader, 2, record)));
    return whole && records > 0 ? signal : undefined;
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

/** The lists of one bare resource of metrics or logs, as the Java SDK's logging-otlp exporters write a line. */
const BARE_OTHER_SIGNALS = ['scopeMetrics', 'scopeLogs'];

/**
 * One bare resource of metrics or logs (`{"resource", "scopeLogs"}`, no `resourceLogs` around it): what the
 * Java SDK's logging-otlp log and metric exporters write a line, beside its span exporter's lines.
 */
export function isBareOtherSignal(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'scopeSpans' in value) return false;
  const record = value as Record<string, unknown>;
  return (
    BARE_OTHER_SIGNALS.some((key) => Array.isArray(record[key])) &&
    Object.keys(record).every((key) => key === 'resource' || key === 'schemaUrl' || BARE_OTHER_SIGNALS.includes(key))
  );
}
