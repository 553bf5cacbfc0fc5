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
 * - service: `localEndpoint.serviceName`; `remoteEndpoint.serviceName` is the `peer.service` attribute (the
 *   service a CLIENT span called, or that called a SERVER span), unless a tag gives one. Tags are string attributes; `otel.status_code` (or an `error`
 *   tag) is the status and leaves the attributes. Annotations (events) are not kept, but for the `exception`
 *   events of an ERROR span (Span.exceptions, read as OpenTelemetry's Zipkin exporters write them: see
 *   exceptionOfAnnotation); a span no piece gave a
 *   timestamp takes its time from them (timeFromAnnotations), and with none has no time (both times 0, see
 *   hasTime): readDumpFile notes it (untimed-spans.ts).
 * - Spans sent in pieces (one id, one service and host, parts of its tags and times in several records, at
 *   most one with a timestamp, as Zipkin's own `Trace.merge` joins them) become one span; a piece without a
 *   kind joins the span that has one. Two whole records of one id stay two spans.
 * - B3 "shared" spans: a server that joins its caller's span writes its SERVER span with the client's id
 *   (`shared: true`; a SERVER span with its caller's CLIENT id and the same parent, or none, is read as
 *   shared even without the flag). It is marked with `zipkin.shared_span_id` and given an id of its own by
 *   joinZipkinSpans (zipkin-shared.ts), here for the document and again for the whole file and dump, once
 *   the CLIENT span of its id is read; without one (py_zipkin's servers) it keeps its id and parent.
 * - A 64-bit trace id whose 128-bit form is in the same document, file or dump is read as that trace
 *   (joinZipkinSpans).
 * - Zipkin v1 spans (`binaryAnnotations`, annotations with endpoints), as reporters POST them to
 *   /api/v1/spans, are read as Zipkin converts them to v2 (zipkin-v1.ts), never as v2 spans of no service.
 */
import type { OtlpDecodeResult } from '../otlp-json';
import type { Attributes, Span, SpanException, SpanKind, SpanSource } from '../span';
import {
  JsonFault,
  faultResult,
  isRecord,
  readMicros,
  readOptionalPaddedSpanId,
  readPaddedSpanId,
  readPaddedTraceId,
  readString,
  readArray,
} from './json-fault';
import { errorMessage } from '../../internal/result';
import { SHARED_SPAN_ID, joinZipkinSpans } from './zipkin-shared';
import { isZipkinV1, zipkinV1ToV2 } from './zipkin-v1';
import { shownValue } from '../../internal/shown-value';
import { serviceNameOf } from '../internal/service-name';
import { ZIPKIN_HINT } from './format-hints';
import { errorStatusMessage } from '../internal/status-message';
import { errorExceptions, exceptionOfAnnotation } from '../internal/exception-events';

const KINDS: Readonly<Record<string, SpanKind>> = {
  CLIENT: 'client',
  SERVER: 'server',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};
const STATUS: Readonly<Record<string, number>> = { UNSET: 0, OK: 1, ERROR: 2 };

/** True when a parsed JSON value looks like Zipkin JSON: a list of spans, or a list of span lists. */
export function isZipkinValue(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  const first: unknown = value[0];
  if (first === undefined) return true;
  if (Array.isArray(first)) return first.length === 0 || (isRecord(first[0]) && 'traceId' in first[0]);
  return isRecord(first) && 'traceId' in first && !('spans' in first);
}

function readTags(value: unknown, path: string): Attributes {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new JsonFault(path, 'is not an object of string tags');
  const attributes: Attributes = {};
  for (const key of Object.keys(value)) {
    const tag = value[key];
    if (typeof tag !== 'string') throw new JsonFault(`${path}.${key}`, `${shownValue(tag)} is not a string`);
    attributes[key] = tag;
  }
  return attributes;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One record of the document, decoded, with what merging and the shared-span rules need besides. */
interface Piece {
  span: Mutable<Span>;
  shared: boolean;
  /** Whether the record wrote a kind, and a timestamp (pieces may carry only tags). */
  hasKind: boolean;
  hasTimestamp: boolean;
  /** The record's duration (ms), when it wrote one. */
  duration: number | undefined;
  /** The first and last of its annotations' times (ms): its start and end when no piece has a timestamp. */
  noted: { first: number; last: number } | undefined;
  /** The record's local endpoint address: pieces of one span come from one host. */
  readonly host: Host;
  /** The exceptions its annotations record (exceptionOfAnnotation), kept for an ERROR span. */
  exceptions: SpanException[] | undefined;
}

/** The address parts of a local endpoint; a part a record leaves out matches any. */
interface Host {
  ipv4?: unknown;
  ipv6?: unknown;
  port?: unknown;
}

const HOST_PARTS = ['ipv4', 'ipv6', 'port'] as const;

function decodePiece(raw: unknown, path: string, source: SpanSource): Piece {
  if (!isRecord(raw)) throw new JsonFault(path, 'is not a span object');
  const attributes = readTags(raw.tags, `${path}.tags`);
  let kind: SpanKind = 'internal';
  const hasKind = raw.kind !== undefined && raw.kind !== null;
  if (hasKind) {
    const mapped = typeof raw.kind === 'string' && Object.hasOwn(KINDS, raw.kind) ? KINDS[raw.kind] : undefined;
    if (mapped === undefined)
      throw new JsonFault(`${path}.kind`, `${shownValue(raw.kind)} is not CLIENT, SERVER, PRODUCER or CONSUMER`);
    kind = mapped;
  }
  const endpoint = raw.localEndpoint;
  if (endpoint !== undefined && endpoint !== null && !isRecord(endpoint))
    throw new JsonFault(`${path}.localEndpoint`, 'is not an endpoint object');
  const serviceName = endpoint?.serviceName;
  const remote = raw.remoteEndpoint;
  if (remote !== undefined && remote !== null && !isRecord(remote))
    throw new JsonFault(`${path}.remoteEndpoint`, 'is not an endpoint object');
  // The service at the other end, as OpenTelemetry names it (its Zipkin exporter writes peer.service there).
  const peer = remote?.serviceName;
  if (typeof peer === 'string' && peer !== '' && attributes['peer.service'] === undefined)
    attributes['peer.service'] = peer;
  const hasTimestamp = raw.timestamp !== undefined && raw.timestamp !== null;
  const startTimeMs = readMicros(raw.timestamp, `${path}.timestamp`);
  const duration =
    raw.duration === undefined || raw.duration === null ? undefined : readMicros(raw.duration, `${path}.duration`);
  const span: Mutable<Span> = {
    traceId: readPaddedTraceId(raw.traceId, `${path}.traceId`),
    spanId: readPaddedSpanId(raw.id, `${path}.id`),
    name: readString(raw.name, `${path}.name`),
    kind,
    service: serviceNameOf(serviceName),
    startTimeMs,
    // No timestamp: no end either until a piece or the annotations give a start (see timeFromAnnotations).
    endTimeMs: hasTimestamp ? startTimeMs + (duration ?? 0) : 0,
    attributes,
    source,
  };
  const parent = readOptionalPaddedSpanId(raw.parentId, `${path}.parentId`);
  if (parent !== undefined) span.parentSpanId = parent;
  const host: Host = {};
  for (const part of HOST_PARTS) {
    const value = endpoint?.[part];
    if (value !== undefined && value !== null && value !== '' && value !== 0) host[part] = value;
  }
  const noted = hasTimestamp ? undefined : annotationTimes(raw.annotations, `${path}.annotations`);
  const exceptions = annotationExceptions(raw.annotations);
  return { span, shared: raw.shared === true, hasKind, hasTimestamp, duration, noted, host, exceptions };
}

/** The exceptions a record's annotations hold (see exceptionOfAnnotation); other annotations are passed over. */
function annotationExceptions(annotations: unknown): SpanException[] | undefined {
  if (!Array.isArray(annotations)) return undefined;
  let found: SpanException[] | undefined;
  for (const annotation of annotations) {
    const exception = isRecord(annotation) ? exceptionOfAnnotation(annotation.value) : undefined;
    if (exception !== undefined) (found ??= []).push(exception);
  }
  return found;
}

/**
 * The first and last time of a record's annotations (ms), read only for a record without a timestamp, whose
 * time they may be; undefined when it has none.
 */
function annotationTimes(value: unknown, path: string): Piece['noted'] {
  const annotations = readArray(value, path);
  let noted: Piece['noted'];
  annotations.forEach((annotation, i) => {
    if (!isRecord(annotation)) throw new JsonFault(`${path}[${i}]`, 'is not an annotation object');
    if (annotation.timestamp === undefined || annotation.timestamp === null)
      throw new JsonFault(`${path}[${i}].timestamp`, 'is missing: an annotation is a time and a value');
    const time = readMicros(annotation.timestamp, `${path}[${i}].timestamp`);
    noted = noted
      ? { first: Math.min(noted.first, time), last: Math.max(noted.last, time) }
      : { first: time, last: time };
  });
  return noted;
}

/**
 * A span no piece gave a timestamp takes its time from its annotations, as Zipkin's v1 converter and UI
 * (ApplyTimestampAndDuration) do: from the first, for its duration or to the last. With none, it keeps times
 * of 0: the input gave it no time (hasTime), which no check judges by.
 */
function timeFromAnnotations(piece: Piece): void {
  if (piece.hasTimestamp || piece.noted === undefined) return;
  piece.span.startTimeMs = piece.noted.first;
  piece.span.endTimeMs = piece.duration !== undefined ? piece.noted.first + piece.duration : piece.noted.last;
}

/** The pieces of one record: a v2 span, or the v2 records Zipkin makes of a v1 span (zipkin-v1.ts). */
function decodeRecord(raw: unknown, path: string, source: SpanSource): Piece[] {
  if (!isRecord(raw) || !isZipkinV1(raw)) return [decodePiece(raw, path, source)];
  return zipkinV1ToV2(raw, path).map((record) => decodePiece(record, path, source));
}

/**
 * Whether two records of one id and service are pieces of one span: one host (as far as both say), and no
 * two kinds or sharings.
 */
function samePiece(a: Piece, b: Piece): boolean {
  for (const part of HOST_PARTS)
    if (a.host[part] !== undefined && b.host[part] !== undefined && a.host[part] !== b.host[part]) return false;
  // Two whole records (each with its time) are two spans, a retry that reused the id, say; so are two that
  // disagree on their parent or name.
  if (a.hasTimestamp && b.hasTimestamp) return false;
  const [pa, pb] = [a.span.parentSpanId, b.span.parentSpanId];
  if (pa !== undefined && pb !== undefined && pa !== pb) return false;
  if (a.span.name !== '' && b.span.name !== '' && a.span.name !== b.span.name) return false;
  if (!a.hasKind || !b.hasKind) return true;
  return a.span.kind === b.span.kind && a.shared === b.shared;
}

/** Adds what `piece` knows and `into` does not: kind, name, times, parent, tags. */
function mergePiece(into: Piece, piece: Piece): void {
  const span = into.span;
  const other = piece.span;
  if (!into.hasKind && piece.hasKind) {
    span.kind = other.kind;
    into.hasKind = true;
  }
  into.shared ||= piece.shared;
  for (const part of HOST_PARTS) into.host[part] ??= piece.host[part];
  if (span.name === '') span.name = other.name;
  // samePiece lets at most one of them have a time; a duration may come in either (Zipkin's Trace.merge).
  if (piece.hasTimestamp) {
    span.startTimeMs = other.startTimeMs;
    span.endTimeMs = other.endTimeMs;
    into.hasTimestamp = true;
  }
  into.duration ??= piece.duration;
  if (into.hasTimestamp) span.endTimeMs = span.startTimeMs + (into.duration ?? 0);
  if (piece.noted)
    into.noted = into.noted
      ? { first: Math.min(into.noted.first, piece.noted.first), last: Math.max(into.noted.last, piece.noted.last) }
      : piece.noted;
  if (span.parentSpanId === undefined && other.parentSpanId !== undefined) span.parentSpanId = other.parentSpanId;
  if (piece.exceptions) into.exceptions = [...(into.exceptions ?? []), ...piece.exceptions];
  for (const key of Object.keys(other.attributes))
    if (!Object.hasOwn(span.attributes, key)) (span.attributes as Record<string, unknown>)[key] = other.attributes[key];
}

/**
 * The spans of one document: pieces merged, shared SERVER spans given their own ids (see the header), 64-bit
 * trace ids widened where the document shows their 128-bit form.
 */
function assemble(pieces: readonly Piece[]): Span[] {
  const merged: Piece[] = [];
  // Per trace, id and service: every piece kept, and those kept without a time. A piece with a time can only
  // join one without (samePiece), so it searches those alone: a dump of many whole records of one id (a
  // retry loop that reuses it) reads in linear time, not quadratic.
  const byKey = new Map<string, { all: Piece[]; untimed: Piece[] }>();
  for (const piece of pieces) {
    const key = `${piece.span.traceId} ${piece.span.spanId} ${piece.span.service}`;
    const alike = byKey.get(key);
    const into = (piece.hasTimestamp ? alike?.untimed : alike?.all)?.find((other) => samePiece(other, piece));
    if (into) {
      mergePiece(into, piece);
      continue;
    }
    const kept = alike ?? { all: [], untimed: [] };
    if (!alike) byKey.set(key, kept);
    kept.all.push(piece);
    if (!piece.hasTimestamp) kept.untimed.push(piece);
    merged.push(piece);
  }

  // One id in one trace: the caller's CLIENT span and the SERVER spans that joined it. Some instrumentation
  // leaves the shared flag out: a SERVER span with its caller's CLIENT id and the same parent (or none) is
  // shared all the same; one whose parent is that CLIENT span copied the id instead, which is a defect.
  const clients = new Map<string, Piece>();
  for (const piece of merged)
    if (!piece.shared && piece.span.kind === 'client') clients.set(`${piece.span.traceId} ${piece.span.spanId}`, piece);
  const spans: Span[] = [];
  for (const piece of merged) {
    const span = piece.span;
    if (!piece.shared && span.kind === 'server') {
      const client = clients.get(`${span.traceId} ${span.spanId}`);
      const parent = span.parentSpanId;
      if (client && (parent === undefined || parent === client.span.parentSpanId)) piece.shared = true;
    }
    // Marked for joinZipkinSpans, which gives it its own id where its client's span is known.
    if (piece.shared && span.kind === 'server') span.attributes[SHARED_SPAN_ID] = span.spanId;
    timeFromAnnotations(piece);
    finishStatus(span);
    const exceptions = errorExceptions(span.statusCode, piece.exceptions);
    if (exceptions !== undefined) span.exceptions = exceptions;
    spans.push(span);
  }
  return joinZipkinSpans(spans);
}

/**
 * `otel.status_code` (or an `error` tag) as the status, taken out of the attributes; an ERROR span's `error` tag
 * (the OpenTelemetry exporters write the status message there) as its status message.
 */
function finishStatus(span: Mutable<Span>): void {
  const attributes = span.attributes as Record<string, unknown>;
  const status = attributes['otel.status_code'];
  if (typeof status === 'string' && Object.hasOwn(STATUS, status)) span.statusCode = STATUS[status];
  else if (attributes.error !== undefined) span.statusCode = 2;
  delete attributes['otel.status_code'];
  if (span.statusCode !== 2) return;
  const message = errorStatusMessage(span.statusCode, attributes.error);
  if (message !== undefined) span.statusMessage = message;
  delete attributes.error;
}

/** Decodes one parsed Zipkin JSON document. Never throws; errors name the file, line and JSON path. */
export function decodeZipkinValue(value: unknown, input: SpanSource): OtlpDecodeResult {
  const source: SpanSource = { ...input, format: 'zipkin' };
  const pieces: Piece[] = [];
  let spans: Span[];
  try {
    if (!Array.isArray(value)) throw new JsonFault('', 'is not Zipkin JSON (a list of spans or of traces)');
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (Array.isArray(item)) {
        for (let j = 0; j < item.length; j++) pieces.push(...decodeRecord(item[j], `[${i}][${j}]`, source));
      } else pieces.push(...decodeRecord(item, `[${i}]`, source));
    }
    spans = assemble(pieces);
  } catch (error) {
    if (error instanceof JsonFault) return faultResult(error, source, ZIPKIN_HINT);
    const reason = errorMessage(error);
    return faultResult(new JsonFault('', `could not be decoded (${reason})`), source, ZIPKIN_HINT, 'decoder-error');
  }
  return { ok: true, spans };
}
