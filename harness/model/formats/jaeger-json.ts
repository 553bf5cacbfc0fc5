/**
 * Jaeger JSON, as the query service's HTTP API (`GET /api/traces/{id}`, `GET /api/traces?service=...`) and
 * the UI's trace JSON download write it: `{"data": [trace, ...]}`, where a trace is
 * `{traceID, spans, processes}` and a span is `{traceID, spanID, operationName, references, startTime,
 * duration, tags, logs, processID, flags}` with times in microseconds.
 *
 * Mapping to the model (as the OpenTelemetry Collector's Jaeger translator does):
 * - parent: the first CHILD_OF reference in the span's own trace; without one, the first FOLLOWS_FROM in it
 *   (Jaeger's own `Span.ParentSpanID`). Every other reference is a link. All-zero ids are no reference.
 * - service: `processes[processID].serviceName` (or an embedded `process`).
 * - tags `span.kind` (in any case: opentelemetry-swift's exporter writes "SERVER") -> kind, `otel.status_code`
 *   (or `error: true`) -> status, `w3c.tracestate` -> trace state; these leave the attributes. `flags` bit 0 is
 *   the sampled flag. Of the logs (events), an ERROR span keeps what its `exception` events say (a log whose
 *   `event` field is "exception", with `exception.type` and `exception.message`; an OpenTracing client's
 *   `event: "error"` log, with `error.kind` and `message`): see Span.exceptions. Other logs are not kept.
 * - times: as the services recorded them, when the query service's clock skew adjuster moved a span and said
 *   so in its `warnings` (jaeger-skew-warning.ts).
 */
import type { SpanId } from '../ids';
import type { OtlpDecodeResult } from '../otlp-json';
import type { AttributeValue, Attributes, Span, SpanException, SpanKind, SpanLink, SpanSource } from '../span';
import {
  JsonFault,
  faultResult,
  isRecord,
  readArray,
  readMicros,
  readOptionalPaddedSpanId,
  readPaddedSpanId,
  readPaddedTraceId,
  readString,
} from './json-fault';
import { errorMessage } from '../../internal/result';
import { shownValue } from '../../internal/shown-value';
import { serviceNameOf } from '../internal/service-name';
import { JAEGER_HINT } from './format-hints';
import { errorStatusMessage } from '../internal/status-message';
import { skewAdjustmentMs } from './jaeger-skew-warning';
import { EXCEPTION_EVENT, errorExceptions, exceptionOf, exceptionOfObject } from '../internal/exception-events';

const KINDS: Readonly<Record<string, SpanKind>> = {
  client: 'client',
  server: 'server',
  producer: 'producer',
  consumer: 'consumer',
  internal: 'internal',
};
const STATUS: Readonly<Record<string, number>> = { UNSET: 0, OK: 1, ERROR: 2 };

/** True when a parsed JSON value looks like Jaeger JSON: `{"data": [...]}`, a trace, or a list of traces. */
export function isJaegerValue(value: unknown): boolean {
  if (Array.isArray(value)) return isRecord(value[0]) && 'spans' in value[0];
  return (
    isRecord(value) && (Array.isArray(value.data) || ('spans' in value && ('traceID' in value || 'processes' in value)))
  );
}

/**
 * A tag's value by its type: Jaeger's own (`string`, `bool`, `int64`, `float64`, `binary`), or the names Grafana's
 * Jaeger data source writes when it reads Jaeger's api/v3 (OTLP) answer, which its trace download keeps
 * (`boolean`, `bytes`; an array or key-value list with no type at all, kept here as its JSON text).
 */
function tagValue(tag: Record<string, unknown>, path: string): AttributeValue {
  const { type, value } = tag;
  switch (type) {
    case undefined:
      if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
      if (typeof value === 'object' && value !== null) return JSON.stringify(value);
      break;
    case 'string':
    case 'binary': // base64 text, as the OTLP decoders keep bytes
    case 'bytes':
      if (typeof value === 'string') return value;
      break;
    case 'bool':
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      break;
    case 'int64':
    case 'float64':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      break;
    default:
      throw new JsonFault(
        `${path}.type`,
        `${shownValue(type)} is not a tag type (string, bool, int64, float64, binary; boolean, bytes as Grafana writes them)`,
      );
  }
  throw new JsonFault(`${path}.value`, `${shownValue(value)} is not a ${String(type ?? 'string')} value`);
}

function readTags(value: unknown, path: string): Attributes {
  const attributes: Attributes = {};
  const tags = readArray(value, path);
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    const tagPath = `${path}[${i}]`;
    if (!isRecord(tag) || typeof tag.key !== 'string')
      throw new JsonFault(tagPath, 'is not a tag ({key, type, value})');
    attributes[tag.key] = tagValue(tag, tagPath);
  }
  return attributes;
}

/**
 * The exceptions a span's logs record (see the header): read leniently, as logs are read for nothing else, so
 * a log of another shape is passed over.
 */
function logExceptions(logs: unknown): SpanException[] | undefined {
  if (!Array.isArray(logs)) return undefined;
  let found: SpanException[] | undefined;
  for (const log of logs) {
    if (!isRecord(log) || !Array.isArray(log.fields)) continue;
    const fields: Record<string, unknown> = {};
    for (const field of log.fields as unknown[])
      if (isRecord(field) && typeof field.key === 'string') fields[field.key] = field.value;
    const exception =
      fields.event === EXCEPTION_EVENT
        ? exceptionOfObject(fields)
        : fields.event === 'error'
          ? exceptionOf(fields['error.kind'], fields.message)
          : undefined;
    if (exception !== undefined) (found ??= []).push(exception);
  }
  return found;
}

function serviceOf(raw: Record<string, unknown>, processes: Record<string, unknown>, path: string): string {
  let process = raw.process;
  if (process === undefined && raw.processID !== undefined) {
    if (typeof raw.processID !== 'string' || !Object.hasOwn(processes, raw.processID))
      throw new JsonFault(`${path}.processID`, `${shownValue(raw.processID)} names no entry of the trace's processes`);
    process = processes[raw.processID];
  }
  if (process === undefined) throw new JsonFault(path, 'has neither processID nor process');
  if (!isRecord(process)) throw new JsonFault(`${path}.process`, 'is not a process object');
  const name = process.serviceName;
  return serviceNameOf(name);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function decodeSpan(raw: unknown, processes: Record<string, unknown>, path: string, source: SpanSource): Span {
  if (!isRecord(raw)) throw new JsonFault(path, 'is not a span object');
  const traceId = readPaddedTraceId(raw.traceID, `${path}.traceID`);
  const attributes = readTags(raw.tags, `${path}.tags`);
  const span: Mutable<Span> = {
    traceId,
    spanId: readPaddedSpanId(raw.spanID, `${path}.spanID`),
    name: readString(raw.operationName, `${path}.operationName`),
    kind: 'unspecified',
    service: serviceOf(raw, processes, path),
    startTimeMs: 0,
    endTimeMs: 0,
    attributes,
    source,
  };
  // As the service recorded it, when Jaeger's clock skew adjuster moved it (jaeger-skew-warning.ts).
  const adjusted = skewAdjustmentMs(raw.warnings);
  span.startTimeMs = readMicros(raw.startTime, `${path}.startTime`) - adjusted;
  span.endTimeMs = Math.max(span.startTimeMs, span.startTimeMs + readMicros(raw.duration, `${path}.duration`));

  const kind = attributes['span.kind'];
  if (kind !== undefined) {
    // Jaeger keeps tags as written: OpenTelemetry's Go and Java exporters write "server", the Swift exporter
    // (opentelemetry-swift's Jaeger Adapter) "SERVER".
    const key = typeof kind === 'string' ? kind.toLowerCase() : undefined;
    const mapped = key !== undefined && Object.hasOwn(KINDS, key) ? KINDS[key] : undefined;
    if (mapped === undefined) throw new JsonFault(`${path}.tags`, `span.kind ${shownValue(kind)} is not a span kind`);
    span.kind = mapped;
    delete attributes['span.kind'];
  }
  const status = attributes['otel.status_code'];
  if (typeof status === 'string' && Object.hasOwn(STATUS, status)) span.statusCode = STATUS[status];
  else if (attributes.error === true) span.statusCode = 2;
  delete attributes['otel.status_code'];
  const statusMessage = errorStatusMessage(span.statusCode, attributes['otel.status_description']);
  if (statusMessage !== undefined) span.statusMessage = statusMessage;
  delete attributes['otel.status_description'];
  if (span.statusCode === 2 && attributes.error === true) delete attributes.error;
  const exceptions = errorExceptions(span.statusCode, span.statusCode === 2 ? logExceptions(raw.logs) : undefined);
  if (exceptions !== undefined) span.exceptions = exceptions;
  const traceState = attributes['w3c.tracestate'];
  if (typeof traceState === 'string' && traceState !== '') span.traceState = traceState;
  delete attributes['w3c.tracestate'];
  if (typeof raw.flags === 'number' && Number.isInteger(raw.flags)) span.traceFlags = raw.flags & 1;

  // Parent: the first CHILD_OF in the span's own trace, else the first FOLLOWS_FROM in it; the rest are links.
  const refs = readArray(raw.references, `${path}.references`);
  const candidates: { type: string; traceId: string; spanId: SpanId; index: number }[] = [];
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    const refPath = `${path}.references[${i}]`;
    if (!isRecord(ref)) throw new JsonFault(refPath, 'is not a reference object');
    const type = ref.refType ?? 'CHILD_OF';
    if (type !== 'CHILD_OF' && type !== 'FOLLOWS_FROM')
      throw new JsonFault(`${refPath}.refType`, `${shownValue(type)} is not CHILD_OF or FOLLOWS_FROM`);
    const spanId = readOptionalPaddedSpanId(ref.spanID, `${refPath}.spanID`);
    if (spanId === undefined) continue;
    const refTrace = ref.traceID === undefined ? traceId : readPaddedTraceId(ref.traceID, `${refPath}.traceID`);
    candidates.push({ type, traceId: refTrace, spanId, index: i });
  }
  const own = candidates.filter((ref) => ref.traceId === traceId);
  const parent = own.find((ref) => ref.type === 'CHILD_OF') ?? own.find((ref) => ref.type === 'FOLLOWS_FROM');
  if (parent) span.parentSpanId = parent.spanId;
  else {
    // Older exports carry the deprecated parentSpanID field instead of a reference.
    const legacy = readOptionalPaddedSpanId(raw.parentSpanID, `${path}.parentSpanID`);
    if (legacy !== undefined) span.parentSpanId = legacy;
  }
  const links: SpanLink[] = candidates
    .filter((ref) => ref !== parent)
    .map((ref) => ({ traceId: ref.traceId as Span['traceId'], spanId: ref.spanId }));
  if (links.length > 0) span.links = links;
  return span;
}

function decodeTrace(raw: unknown, path: string, source: SpanSource, out: Span[]): void {
  if (!isRecord(raw)) throw new JsonFault(path, 'is not a trace object ({traceID, spans, processes})');
  // A list of bare spans (as Jaeger stores them, or its anonymizer writes them) is no trace of the API's.
  if (!('spans' in raw))
    throw new JsonFault(
      path,
      'spanID' in raw
        ? 'is a span on its own, not a trace object ({traceID, spans, processes}) as the Jaeger API returns'
        : 'is not a trace object ({traceID, spans, processes}): it has no "spans"',
    );
  const prefix = path ? `${path}.` : '';
  const processes = raw.processes ?? {};
  if (!isRecord(processes)) throw new JsonFault(`${prefix}processes`, 'is not an object');
  const spans = readArray(raw.spans, `${prefix}spans`);
  for (let i = 0; i < spans.length; i++) out.push(decodeSpan(spans[i], processes, `${prefix}spans[${i}]`, source));
}

/** Decodes one parsed Jaeger JSON document. Never throws; errors name the file, line and JSON path. */
export function decodeJaegerValue(value: unknown, source: SpanSource): OtlpDecodeResult {
  const spans: Span[] = [];
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) decodeTrace(value[i], `[${i}]`, source, spans);
    } else if (isRecord(value) && 'data' in value) {
      const traces = readArray(value.data, 'data');
      for (let i = 0; i < traces.length; i++) decodeTrace(traces[i], `data[${i}]`, source, spans);
    } else if (isRecord(value) && 'spans' in value) {
      decodeTrace(value, '', source, spans);
    } else {
      throw new JsonFault('', 'is not Jaeger JSON (no "data" list of traces)');
    }
  } catch (error) {
    if (error instanceof JsonFault) return faultResult(error, source, JAEGER_HINT);
    const reason = errorMessage(error);
    return faultResult(new JsonFault('', `could not be decoded (${reason})`), source, JAEGER_HINT, 'decoder-error');
  }
  return { ok: true, spans };
}
