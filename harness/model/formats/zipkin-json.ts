/**
 * Zipkin v2 JSON (zipkin2 API, `zipkin2-api.yaml`): a flat list of spans, as exporters POST to
 * `/api/v2/spans`, or the list of traces (a list of span lists) that `GET /api/v2/traces` returns. A span
 * is `{traceId, id, parentId, name, kind, timestamp, duration, localEndpoint, tags, annotations, shared}`
 * with times in microseconds.
 *
 * Mapping to the model:
 * - 64-bit trace ids (16 hex characters) are left-padded with zeros to 32, as W3C and OTLP write them.
 * - kind CLIENT/SERVER/PRODUCER/CONSUMER; no kind is a local span (INTERNAL), as the OpenTelemetry Zipkin
 *   exporter writes it.
 * - service: `localEndpoint.serviceName`. Tags are string attributes; `otel.status_code` (or an `error`
 *   tag) is the status and leaves the attributes. Annotations (events) are not kept.
 * - B3 "shared" spans: a server that joins its caller's span writes its SERVER span with the client's id
 *   and `shared: true`. Its id is replaced by the ones' complement of that id (every hex digit d becomes
 *   f - d; `shared-id` below), its parent becomes the client span, and the original id is kept in the
 *   `zipkin.shared_span_id` attribute. One id for two spans is therefore never `duplicate-span-id`.
 */
import type { SpanId } from '../ids';
import type { OtlpDecodeResult } from '../otlp-json';
import type { Attributes, Span, SpanKind, SpanSource } from '../span';
import {
  JsonFault,
  faultResult,
  isRecord,
  readMicros,
  readOptionalPaddedSpanId,
  readPaddedSpanId,
  readPaddedTraceId,
  readString,
} from './json-fault';
import { errorMessage } from '../../internal/result';

export const ZIPKIN_HINT =
  'Export Zipkin v2 JSON (GET /api/v2/traces, or the body a Zipkin exporter POSTs to /api/v2/spans).';

const KINDS: Readonly<Record<string, SpanKind>> = {
  CLIENT: 'client',
  SERVER: 'server',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};
const STATUS: Readonly<Record<string, number>> = { UNSET: 0, OK: 1, ERROR: 2 };

/** True when a parsed JSON value looks like Zipkin v2 JSON: a list of spans, or a list of span lists. */
export function isZipkinValue(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  const first: unknown = value[0];
  if (first === undefined) return true;
  if (Array.isArray(first)) return first.length === 0 || (isRecord(first[0]) && 'traceId' in first[0]);
  return isRecord(first) && 'traceId' in first && !('spans' in first);
}

/** The id a shared SERVER span gets: the ones' complement of the id it shares with its client span. */
export function sharedServerSpanId(id: SpanId): SpanId {
  let out = '';
  for (let i = 0; i < id.length; i++) out += (15 - parseInt(id.charAt(i), 16)).toString(16);
  return out as SpanId;
}

function readTags(value: unknown, path: string): Attributes {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new JsonFault(path, 'is not an object of string tags');
  const attributes: Attributes = {};
  for (const key of Object.keys(value)) {
    const tag = value[key];
    if (typeof tag !== 'string') throw new JsonFault(`${path}.${key}`, `${JSON.stringify(tag)} is not a string`);
    attributes[key] = tag;
  }
  return attributes;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function decodeSpan(raw: unknown, path: string, source: SpanSource): Span {
  if (!isRecord(raw)) throw new JsonFault(path, 'is not a span object');
  const attributes = readTags(raw.tags, `${path}.tags`);
  let kind: SpanKind = 'internal';
  if (raw.kind !== undefined && raw.kind !== null) {
    const mapped = typeof raw.kind === 'string' ? KINDS[raw.kind] : undefined;
    if (mapped === undefined)
      throw new JsonFault(`${path}.kind`, `${JSON.stringify(raw.kind)} is not CLIENT, SERVER, PRODUCER or CONSUMER`);
    kind = mapped;
  }
  const endpoint = raw.localEndpoint;
  if (endpoint !== undefined && endpoint !== null && !isRecord(endpoint))
    throw new JsonFault(`${path}.localEndpoint`, 'is not an endpoint object');
  const serviceName = endpoint?.serviceName;
  const startTimeMs = readMicros(raw.timestamp, `${path}.timestamp`);
  const span: Mutable<Span> = {
    traceId: readPaddedTraceId(raw.traceId, `${path}.traceId`),
    spanId: readPaddedSpanId(raw.id, `${path}.id`),
    name: readString(raw.name, `${path}.name`),
    kind,
    service: typeof serviceName === 'string' && serviceName !== '' ? serviceName : 'unknown_service',
    startTimeMs,
    endTimeMs: startTimeMs + readMicros(raw.duration, `${path}.duration`),
    attributes,
    source,
  };
  const parent = readOptionalPaddedSpanId(raw.parentId, `${path}.parentId`);
  if (parent !== undefined) span.parentSpanId = parent;
  if (raw.shared === true && kind === 'server') {
    attributes['zipkin.shared_span_id'] = span.spanId;
    span.parentSpanId = span.spanId;
    span.spanId = sharedServerSpanId(span.spanId);
  }
  const status = attributes['otel.status_code'];
  if (typeof status === 'string' && Object.hasOwn(STATUS, status)) span.statusCode = STATUS[status];
  else if (attributes.error !== undefined) span.statusCode = 2;
  delete attributes['otel.status_code'];
  if (span.statusCode === 2) delete attributes.error;
  return span;
}

/** Decodes one parsed Zipkin v2 JSON document. Never throws; errors name the file, line and JSON path. */
export function decodeZipkinValue(value: unknown, source: SpanSource): OtlpDecodeResult {
  const spans: Span[] = [];
  try {
    if (!Array.isArray(value)) throw new JsonFault('', 'is not Zipkin v2 JSON (a list of spans or of traces)');
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (Array.isArray(item)) {
        for (let j = 0; j < item.length; j++) spans.push(decodeSpan(item[j], `[${i}][${j}]`, source));
      } else spans.push(decodeSpan(item, `[${i}]`, source));
    }
  } catch (error) {
    if (error instanceof JsonFault) return faultResult(error, source, ZIPKIN_HINT);
    const reason = errorMessage(error);
    return faultResult(new JsonFault('', `could not be decoded (${reason})`), source, ZIPKIN_HINT, 'decoder-error');
  }
  return { ok: true, spans };
}
