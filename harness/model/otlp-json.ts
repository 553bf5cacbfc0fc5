import { SDK_LANGUAGE, SERVICE_NAME } from './internal/resource-attributes';
import { failure } from '../internal/messages';
import {
  base64IdToHex,
  parseSpanId,
  parseTraceId,
  type IdReason,
  type IdResult,
  type SpanId,
  type TraceId,
} from './ids';
import { decodeKeyValues, encodeKeyValues } from './internal/any-value';
import { intern } from './internal/intern';
import { splitJsonDocuments, type JsonDocument } from './internal/concatenated-json';
import { jsonErrorOffset, runsOutOfText, cutOff } from '../internal/json-error-offset';
import { decodeReceiverSpan, flatAttributes, receiverDecodeState } from './internal/receiver-span';
import { SPAN_KIND_NUMBERS, spanKindFromName, spanKindFromNumber } from './internal/span-kind';
import { msToNanosString, nanosStringToMs } from './internal/nanos';
import { otlpFlagsOf, parentIsRemoteOf, traceFlagsOf, writesLowByte } from './internal/span-flags';
import { errorStatusMessage } from './internal/status-message';
import { EXCEPTION_EVENT, errorExceptions, exceptionEvents, type EventSpelling } from './internal/exception-events';
import type { OtlpJsonDocument, OtlpJsonSpan, OtlpResourceSpans } from './otlp-json-types';
import type {
  AttributeValue,
  Attributes,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanOrigin,
  SpanScope,
  SpanSource,
} from './span';
import { errorMessage, type Failure } from '../internal/result';
import { commentFault, savedLineFault } from './internal/saved-error-text';
import { GRAFANA_FRAME_HINT, grafanaCsvProblem } from './internal/grafana-frame';
import type { DecodeFailure, DecodeReason } from './decode-reason';
import { shownText, shownValue } from '../internal/shown-value';
import { serviceNameOf } from './internal/service-name';

/** How this format spells an event (see exceptionEvents). */
const OTLP_EVENTS: EventSpelling = {
  name: 'name',
  attributes: 'attributes',
  key: 'key',
  value: 'value',
  text: 'stringValue',
};

/** The spans of an OTLP/JSON input, or where and why it could not be read (`DecodeFailure`). */
export type OtlpDecodeResult = { ok: true; spans: Span[] } | DecodeFailure;

const HINT = "Export with the OTLP JSON encoding or the Collector's file exporter.";

// ---- encoding ----

function encodeSpan(span: Span): OtlpJsonSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    ...(span.traceState ? { traceState: span.traceState } : {}),
    ...flagsOf(span),
    name: span.name,
    kind: SPAN_KIND_NUMBERS[span.kind],
    startTimeUnixNano: msToNanosString(span.startTimeMs),
    endTimeUnixNano: msToNanosString(span.endTimeMs),
    attributes: encodeKeyValues(span.attributes),
    ...(span.statusCode !== undefined
      ? {
          status: {
            code: span.statusCode,
            ...(span.statusMessage !== undefined ? { message: span.statusMessage } : {}),
          },
        }
      : {}),
    ...(span.events
      ? {
          events: span.events.map((event) => ({
            timeUnixNano: msToNanosString(event.timeMs),
            name: event.name,
            ...(event.attributes ? { attributes: encodeKeyValues(event.attributes) } : {}),
          })),
        }
      : span.exceptions
        ? {
            events: span.exceptions.map((exception) => ({
              timeUnixNano: msToNanosString(span.endTimeMs),
              name: EXCEPTION_EVENT,
              attributes: encodeKeyValues({
                ...(exception.type !== undefined ? { 'exception.type': exception.type } : {}),
                ...(exception.message !== undefined ? { 'exception.message': exception.message } : {}),
              }),
            })),
          }
        : {}),
    ...(span.links
      ? {
          links: span.links.map((link) => ({
            traceId: link.traceId,
            spanId: link.spanId,
            ...(link.attributes ? { attributes: encodeKeyValues(link.attributes) } : {}),
          })),
        }
      : {}),
  };
}

/**
 * Encodes spans as one OTLP/JSON `ExportTraceServiceRequest`: one `resourceSpans` entry per origin a received
 * span keeps (its resource and scope, Span.origin), and one per service for any other span. OTLP
 * cannot say a trace state was not recorded: read back, a span without one (from Zipkin, say) has an empty one.
 * @example JSON.stringify(encodeOtlpJson(spans)) // ready for `tracehop check` or a trace viewer
 */
export function encodeOtlpJson(spans: readonly Span[]): OtlpJsonDocument {
  // A received span goes under the resource and scope it came with (Span.origin, shared: each written once
  // per group); any other under its service, in scope "tracehop".
  const groups = new Map<SpanOrigin | string, OtlpJsonSpan[]>();
  for (const span of spans) {
    const key = span.origin ?? span.service;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(encodeSpan(span));
  }
  const resourceSpans: OtlpResourceSpans[] = [];
  for (const [key, list] of groups) {
    if (typeof key === 'string') {
      resourceSpans.push({
        resource: { attributes: encodeKeyValues({ [SERVICE_NAME]: key }) },
        scopeSpans: [{ scope: { name: 'tracehop' }, spans: list }],
      });
      continue;
    }
    const { name, version, attributes } = key.scope;
    resourceSpans.push({
      resource: { attributes: encodeKeyValues(key.resource.attributes) },
      scopeSpans: [
        {
          scope: {
            name,
            ...(version !== undefined ? { version } : {}),
            ...(attributes ? { attributes: encodeKeyValues(attributes) } : {}),
          },
          spans: list,
        },
      ],
    });
  }
  return { resourceSpans };
}

/** A span's OTLP `flags`: trace flags and the remote-parent bits, each when known. */
function flagsOf(span: Span): { flags?: number } {
  const flags = otlpFlagsOf(span.traceFlags, span.parentIsRemote);
  return flags === undefined ? {} : { flags };
}

// ---- decoding ----

/** A failure inside one document: the JSON path and what is wrong there. */
interface Fault {
  readonly path?: string;
  readonly problem: string;
}

class DecodeFault {
  constructor(readonly fault: Fault) {}

  /** The same fault seen from an enclosing object at `prefix`. */
  within(prefix: string): DecodeFault {
    const path = this.fault.path ? `${prefix}.${this.fault.path}` : prefix;
    return new DecodeFault({ path, problem: this.fault.problem });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIdFault(text: string, reason: IdReason, length: number, what: string): string {
  const shown = shownText(text);
  switch (reason) {
    case 'wrong-length':
      if (text.length === Math.ceil(length / 2 / 3) * 4 && /^[A-Za-z0-9+/]+=*$/.test(text)) {
        return `${shown} looks base64-encoded; the OTLP JSON encoding writes ${what}s as ${length} hex characters`;
      }
      if (what === 'trace id' && text.length === 16 && /^[0-9a-fA-F]+$/.test(text))
        return `${shown} is not a ${what}: it has 16 characters, not 32 hex characters (a 64-bit trace id, as Zipkin and older Jaeger clients make: pad it with 16 zeros on the left)`;
      if (text.length > 0 && text.length < length && /^[0-9a-fA-F]+$/.test(text))
        return `${shown} is not a ${what}: it has ${text.length} characters, not ${length} hex characters (an exporter that drops leading zeros writes such ids, as Rust's opentelemetry-stdout 0.1 did: upgrade it, or pad the ids with zeros on the left)`;
      return `${shown} is not a ${what}: it has ${text.length} characters, not ${length} hex characters`;
    case 'not-hex':
      return `${shown} is not a ${what}: it has characters that are not hex`;
    case 'all-zero':
      return `${shown} is not a ${what}: it is all zeros, which means "no id"`;
    case 'uppercase-hex':
      return `${shown} is not a ${what}: it has uppercase hex`;
  }
}

/**
 * How ids may be written. OTLP/JSON writes hex; the protobuf JSON mapping (protojson: Grafana Tempo's API,
 * grpcurl) writes base64. Files accept both and count the base64 ones, so the reader can say so once.
 */
export interface OtlpJsonIdContext {
  readonly allowBase64: boolean;
  base64Ids: number;
}

const HEX_ONLY: OtlpJsonIdContext = { allowBase64: false, base64Ids: 0 };
/** The context of the decode in progress (decoding is synchronous, so one module-level slot is enough). */
let idContext: OtlpJsonIdContext = HEX_ONLY;

/**
 * An id's lowercase hex, or why it is not one. The OTLP JSON encoding allows either case; the model keeps
 * lowercase. Base64 is tried only where the context allows it and hex failed, so hex costs nothing more.
 */
function idText<T>(
  value: string,
  parse: (text: string) => IdResult<T>,
  length: number,
  what: string,
): { ok: true; value: T } | Failure<IdReason> {
  let result = parse(value);
  if (result.ok) return result;
  if (result.reason === 'uppercase-hex') result = parse(value.toLowerCase());
  else if (idContext.allowBase64 && result.reason !== 'all-zero' && isBase64Length(value.length, length / 2)) {
    const hex = base64IdToHex(value);
    if (hex === undefined) {
      const shown = JSON.stringify(value);
      const problem = `${shown} is not a ${what}: it is neither ${length} hex characters nor base64`;
      return { ok: false, reason: 'not-hex', message: problem };
    }
    result = parse(hex);
    if (result.ok) idContext.base64Ids++;
  }
  if (result.ok) return result;
  return { ok: false, reason: result.reason, message: describeIdFault(value, result.reason, length, what) };
}

/** Whether base64 text of `length` characters can hold `bytes` bytes (padded or not). */
function isBase64Length(length: number, bytes: number): boolean {
  return length === Math.ceil(bytes / 3) * 4 || length === Math.ceil((bytes * 4) / 3);
}

/** Reads a required id. */
function readId<T>(
  value: unknown,
  path: string,
  parse: (text: string) => IdResult<T>,
  length: number,
  what: string,
): T {
  if (typeof value !== 'string') throw new DecodeFault({ path, problem: 'is missing or not a string' });
  const result = idText(value, parse, length, what);
  if (!result.ok) throw new DecodeFault({ path, problem: result.message });
  return result.value;
}

const readTraceId = (value: unknown, path: string): TraceId => readId(value, path, parseTraceId, 32, 'trace id');
const readSpanId = (value: unknown, path: string): SpanId => readId(value, path, parseSpanId, 16, 'span id');

/** A parent or link id: absent, empty and all-zero ids all mean "none" (as the Collector reads them). */
function readOptionalId<T>(
  value: unknown,
  path: string,
  parse: (text: string) => IdResult<T>,
  length: number,
  what: string,
): T | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new DecodeFault({ path, problem: 'is not a string' });
  const result = idText(value, parse, length, what);
  if (result.ok) return result.value;
  if (result.reason === 'all-zero') return undefined;
  throw new DecodeFault({ path, problem: result.message });
}

/**
 * A link's trace id as written, or left-padded with zeros to 32 hex characters when it is shorter: Grafana's
 * trace download (Tempo's data source, Explore's Inspect) writes a link's trace id with its leading zeros cut
 * off (`strings.TrimLeft(traceID, "0")` where it builds the trace view's references). Text as long as base64
 * of 16 bytes is (22 or 24 characters) is left for the base64 reading.
 */
function linkTraceIdText(value: unknown): unknown {
  if (typeof value !== 'string' || value.length === 22 || value.length === 24) return value;
  return /^[0-9a-fA-F]{1,31}$/.test(value) ? value.padStart(32, '0') : value;
}

/** Links whose trace or span id is absent or all zeros are no links. */
function readLinks(value: unknown): SpanLink[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new DecodeFault({ path: 'links', problem: 'is not an array' });
  const links: SpanLink[] = [];
  for (let i = 0; i < value.length; i++) {
    const raw: unknown = value[i];
    const path = `links[${i}]`;
    if (!isRecord(raw)) throw new DecodeFault({ path, problem: 'is not a Link object' });
    const traceId = readOptionalId(linkTraceIdText(raw.traceId), `${path}.traceId`, parseTraceId, 32, 'trace id');
    const spanId = readOptionalId(raw.spanId, `${path}.spanId`, parseSpanId, 16, 'span id');
    if (traceId === undefined || spanId === undefined) continue;
    const attributes = readAttributes(raw.attributes, `${path}.attributes`);
    links.push(Object.keys(attributes).length > 0 ? { traceId, spanId, attributes } : { traceId, spanId });
  }
  return links.length > 0 ? links : undefined;
}

function readKind(value: unknown, path: string): SpanKind {
  if (value === undefined || value === null) return 'unspecified';
  const kind =
    typeof value === 'number'
      ? spanKindFromNumber(value)
      : typeof value === 'string'
        ? spanKindFromName(value)
        : undefined;
  if (kind !== undefined) return kind;
  throw new DecodeFault({
    path,
    problem: `${shownValue(value)} is not a span kind (0-5 or "SPAN_KIND_SERVER" and the like)`,
  });
}

/** One past the largest value of OTLP's fixed64 times, 2^64 (exact as a double). */
const FIXED64_END = 2 ** 64;

function readTime(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && value >= 0 && value < FIXED64_END) return value / 1e6;
  if (typeof value === 'string') {
    const ms = nanosStringToMs(value);
    if (ms !== undefined) return ms;
  }
  // A JSON number too large for a double parses as Infinity, which JSON.stringify would print as null.
  const shown = shownValue(value);
  throw new DecodeFault({ path, problem: `${shown} is not a time in Unix nanoseconds (a whole number below 2^64)` });
}

function readArray(value: unknown, path: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DecodeFault({ path, problem: 'is not an array' });
  return value;
}

/**
 * The common case of {@link readAttributes}: a list of plain string, bool, int or double values, read by the
 * receiver's fast path (one reader for both). Anything else (nesting, bytes, a "__proto__" key, anything
 * invalid) answers undefined and goes through decodeKeyValues, which decides the same values and explains
 * faults. The state only remembers the last value per position, so sharing it across documents is safe.
 */
const plainAttributes = receiverDecodeState();

function readAttributes(value: unknown, path: string): Record<string, AttributeValue> {
  const plain = flatAttributes(value, plainAttributes);
  if (plain) return plain;
  const result = decodeKeyValues(value);
  if (!result.ok) throw new DecodeFault({ path: `${path}${result.path}`, problem: result.message });
  return internValues(result.value);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A string field that may be absent (read as ''), but is never another type. */
function readOptionalString(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new DecodeFault({ path, problem: `${shownValue(value)} is not a string` });
  return value;
}

/**
 * `status.code` (0 unset, 1 ok, 2 error), when a status is present. A Status without a code has code 0, as
 * proto3 leaves a default out (the protobuf decoder reads it so too).
 */
function readStatusCode(status: unknown): number | undefined {
  if (status === undefined || status === null) return undefined;
  if (!isRecord(status)) throw new DecodeFault({ path: 'status', problem: 'is not a Status object' });
  const code = status.code;
  if (code === undefined || code === null) return 0;
  if (typeof code === 'number' && Number.isInteger(code) && code >= 0) return code;
  // proto3 JSON may write the enum by name.
  const named = typeof code === 'string' ? STATUS_CODES.indexOf(code) : -1;
  if (named !== -1) return named;
  throw new DecodeFault({
    path: 'status.code',
    problem: `${shownValue(code)} is not a status code (0-2 or "STATUS_CODE_ERROR" and the like)`,
  });
}

const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** Pools the top-level string values of decoded attributes (nested values are rare and left alone). */
function internValues(attributes: Record<string, AttributeValue>): Record<string, AttributeValue> {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (typeof value === 'string') attributes[key] = intern(value);
  }
  return attributes;
}

/**
 * Ids seen in one document: a trace id repeats for every span of its trace, and a parent span id is the
 * span id of another span, usually of the same document; each is kept once.
 */
type IdPool = Map<string, string>;

function pooledId<T extends string>(ids: IdPool | undefined, id: T): T {
  if (ids === undefined) return id;
  const known = ids.get(id);
  if (known !== undefined) return known as T;
  ids.set(id, id);
  return id;
}

/**
 * Decodes one span. Fault paths are relative to the span; the caller prefixes them, only on failure. With an
 * id pool (the receiver) ids, names and trace states are shared; without one (files) they are kept as read.
 */
function decodeSpan(raw: unknown, service: string, source: SpanSource, ids: IdPool | undefined, lowByte = false): Span {
  if (!isRecord(raw)) throw new DecodeFault({ problem: 'is not a span object' });
  const share = ids === undefined ? (text: string) => text : intern;
  const span: Mutable<Span> = {
    traceId: pooledId(ids, readTraceId(raw.traceId, 'traceId')),
    spanId: pooledId(ids, readSpanId(raw.spanId, 'spanId')),
    name: share(readOptionalString(raw.name, 'name')),
    kind: readKind(raw.kind, 'kind'),
    service,
    startTimeMs: readTime(raw.startTimeUnixNano, 'startTimeUnixNano'),
    endTimeMs: readTime(raw.endTimeUnixNano, 'endTimeUnixNano'),
    attributes: readAttributes(raw.attributes, 'attributes'),
    source,
  };
  // A start of 0 (none written) is no time at all (hasTime), whatever the end: the end alone places the span
  // nowhere, and from 0 it would seem to run for 56 years, over every call.
  if (span.startTimeMs === 0) span.endTimeMs = 0;
  const parent = readOptionalId(raw.parentSpanId, 'parentSpanId', parseSpanId, 16, 'span id');
  if (parent !== undefined) span.parentSpanId = pooledId(ids, parent);
  const flags = raw.flags;
  if (flags !== undefined) {
    if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 0xffffffff) {
      throw new DecodeFault({
        path: 'flags',
        problem: `${shownValue(flags)} is not span flags (an unsigned 32-bit integer)`,
      });
    }
    const traceFlags = traceFlagsOf(flags, lowByte);
    if (traceFlags !== undefined) span.traceFlags = traceFlags;
  }
  // OTLP always carries the trace state: an empty one is known to be empty (Span.traceState).
  const traceState = readOptionalString(raw.traceState, 'traceState');
  span.traceState = traceState === '' ? '' : share(traceState);
  const statusCode = readStatusCode(raw.status);
  if (statusCode !== undefined) span.statusCode = statusCode;
  const statusMessage = errorStatusMessage(statusCode, isRecord(raw.status) ? raw.status.message : undefined);
  if (statusMessage !== undefined) span.statusMessage = statusMessage;
  const exceptions = errorExceptions(
    statusCode,
    statusCode === 2 ? exceptionEvents(raw.events, OTLP_EVENTS) : undefined,
  );
  if (exceptions !== undefined) span.exceptions = exceptions;
  const links = readLinks(raw.links);
  if (links) span.links = links;
  return span;
}

/** `key` within the object at `path`; `path` is '' for the document itself (a bare ResourceSpans). */
function pathTo(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * The service of one ResourceSpans entry, read once for all its spans, and whether its SDK writes the trace
 * flags in bits 0-7 of `flags` (see writesLowByte).
 */
function readResource(
  entry: Record<string, unknown>,
  rPath: string,
): { service: string; lowByte: boolean; attributes: Attributes } {
  const rawResource = entry.resource;
  if (rawResource !== undefined && rawResource !== null && !isRecord(rawResource))
    throw new DecodeFault({ path: pathTo(rPath, 'resource'), problem: 'is not a Resource object' });
  const resource = rawResource ?? {};
  const attributes = readAttributes(resource.attributes, pathTo(rPath, 'resource.attributes'));
  const name = attributes[SERVICE_NAME];
  const service = serviceNameOf(name);
  return { service, lowByte: writesLowByte(attributes[SDK_LANGUAGE]), attributes };
}

/** A ScopeSpans entry's InstrumentationScope (name '' when it has none), read once for all its spans. */
function readScope(entry: Record<string, unknown>, sPath: string): SpanScope {
  const raw = entry.scope ?? entry.instrumentationLibrary;
  if (raw === undefined || raw === null) return { name: '' };
  const path = pathTo(sPath, 'scope' in entry ? 'scope' : 'instrumentationLibrary');
  if (!isRecord(raw)) throw new DecodeFault({ path, problem: 'is not an InstrumentationScope object' });
  const name = readOptionalString(raw.name, pathTo(path, 'name'));
  const version = readOptionalString(raw.version, pathTo(path, 'version'));
  const attributes = readAttributes(raw.attributes, pathTo(path, 'attributes'));
  return {
    name,
    ...(version !== '' ? { version } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
  };
}

/**
 * The scope as readScope reads it, or none (name '') when it cannot be read: the verifier never reads a
 * scope, so one the receiver cannot read costs the spans URL that scope, not the spans under it (they are
 * judged as `tracehop check` judges the same export in a file).
 */
function scopeOrNone(entry: Record<string, unknown>, sPath: string): SpanScope {
  try {
    return readScope(entry, sPath);
  } catch (error) {
    if (!(error instanceof DecodeFault)) throw error;
    return { name: '' };
  }
}

/** Every event of a span, as received; undefined when it has none. */
function readEvents(value: unknown): SpanEvent[] | undefined {
  const list = readArray(value, 'events');
  if (list.length === 0) return undefined;
  return list.map((raw, i) => {
    const path = `events[${i}]`;
    if (!isRecord(raw)) throw new DecodeFault({ path, problem: 'is not an Event object' });
    const attributes = readAttributes(raw.attributes, `${path}.attributes`);
    return {
      name: intern(readOptionalString(raw.name, `${path}.name`)),
      timeMs: readTime(raw.timeUnixNano, `${path}.timeUnixNano`),
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    };
  });
}

/**
 * What the receiver keeps of a span beyond what the verifier reads: its origin (shared), whether its parent
 * was remote, and its events. `span` is fresh from the decoder, so it is completed in place.
 */
function keepDetail(span: Mutable<Span>, raw: unknown, origin: SpanOrigin): void {
  span.origin = origin;
  if (!isRecord(raw)) return;
  const flags = raw.flags;
  const remote = typeof flags === 'number' ? parentIsRemoteOf(flags) : undefined;
  if (remote !== undefined) span.parentIsRemote = remote;
  keepEvents(span, raw);
}

/**
 * A received span's events, when it has any (the fast path's span holds the rest of keepDetail's fields).
 * Events that cannot be read are left out, not the span: the verifier reads no event of a span that did not
 * fail (a failed one's are read, and judged, by the general decoder), so the live run keeps every span that
 * `tracehop check` keeps from the same export.
 */
function keepEvents(span: Mutable<Span>, raw: unknown): void {
  if (!isRecord(raw)) return;
  let events: SpanEvent[] | undefined;
  try {
    events = readEvents(raw.events);
  } catch (error) {
    if (!(error instanceof DecodeFault)) throw error;
    return;
  }
  if (events !== undefined) span.events = events;
}

/** `scopeSpans`, or `instrumentationLibrarySpans`, the pre-1.0 name some older exporters still write. */
function scopesKeyOf(entry: Record<string, unknown>): string {
  return 'scopeSpans' in entry ? 'scopeSpans' : 'instrumentationLibrarySpans';
}

/** The fields of a ResourceSpans message. */
const RESOURCE_SPANS_KEYS = new Set(['resource', 'scopeSpans', 'instrumentationLibrarySpans', 'schemaUrl']);

/**
 * A bare ResourceSpans, without the request around it: a `scopeSpans` (or `instrumentationLibrarySpans`)
 * array beside an optional `resource` and `schemaUrl`, and nothing else. The Java SDK's `logging-otlp`
 * exporter (OtlpJsonLoggingSpanExporter, not wrapped) writes one such object a line.
 */
function isBareResourceSpans(value: Record<string, unknown>): boolean {
  if (!Array.isArray(value[scopesKeyOf(value)])) return false;
  return Object.keys(value).every((key) => RESOURCE_SPANS_KEYS.has(key));
}

/** The fields of Tempo's v2 TraceByIDResponse as JSON. */
const TEMPO_V2_KEYS: ReadonlySet<string> = new Set(['trace', 'metrics', 'status', 'message']);

/**
 * Where the `ResourceSpans` list sits: `resourceSpans` (OTLP), Tempo's `batches`, or one level down in
 * Tempo's v2 `{"trace": {...}}` (`{}` when it has no spans) or Jaeger's api/v3 `{"result": {...}}`; or the document is one bare
 * ResourceSpans (path ''). Undefined when there is none.
 */
function findResourceSpans(value: Record<string, unknown>): { list: unknown; path: string } | undefined {
  if ('resourceSpans' in value) return { list: value.resourceSpans, path: 'resourceSpans' };
  if ('batches' in value) return { list: value.batches, path: 'batches' };
  for (const key of ['trace', 'result']) {
    const inner = value[key];
    if (isRecord(inner) && 'resourceSpans' in inner) return { list: inner.resourceSpans, path: `${key}.resourceSpans` };
  }
  // Tempo's v2 answer when no span is left (its q filter matched none): an empty Trace, beside metrics or status,
  // or alone (its JSON leaves empty fields out). Read as no spans, which the caller tells as such.
  const trace = value.trace;
  if (isRecord(trace) && Object.keys(trace).length === 0 && Object.keys(value).every((key) => TEMPO_V2_KEYS.has(key)))
    return { list: [], path: 'trace.resourceSpans' };
  if (isBareResourceSpans(value)) return { list: [value], path: '' };
  return undefined;
}

/** True when a parsed JSON value looks like an OTLP/JSON document (any of the envelopes above). */
export function isOtlpJsonValue(value: unknown): boolean {
  return isRecord(value) && findResourceSpans(value) !== undefined;
}

function decodeDocument(value: unknown, source: SpanSource, out: Span[]): void {
  const found = isRecord(value) ? findResourceSpans(value) : undefined;
  if (!found) throw new DecodeFault({ problem: 'is not OTLP/JSON (no "resourceSpans")' });
  // No id pool for files: a dump line holds few spans, so pooling costs time (a map entry per span, about a
  // quarter of tracehop check's decode on a 250k-span dump) and saves little. The usual span shape goes
  // through the receiver's fast path (same spans, names and values shared with the span before); the
  // rest, and every fault, through decodeSpan.
  const ids = undefined;
  const quick = receiverDecodeState();
  const bare = found.path === '';
  const resourceSpans = readArray(found.list, found.path);
  for (let r = 0; r < resourceSpans.length; r++) {
    // A bare ResourceSpans is the document itself: its paths start at its own fields (scopeSpans[0]...).
    const rPath = bare ? '' : `${found.path}[${r}]`;
    const entry = resourceSpans[r];
    if (!isRecord(entry)) throw new DecodeFault({ path: rPath, problem: 'is not a ResourceSpans object' });
    const { service, lowByte } = readResource(entry, rPath);
    const scopesKey = scopesKeyOf(entry);
    const scopes = readArray(entry[scopesKey], pathTo(rPath, scopesKey));
    for (let s = 0; s < scopes.length; s++) {
      const sPath = `${pathTo(rPath, scopesKey)}[${s}]`;
      const scope = scopes[s];
      if (!isRecord(scope)) throw new DecodeFault({ path: sPath, problem: 'is not a ScopeSpans object' });
      const spans = readArray(scope.spans, `${sPath}.spans`);
      for (let i = 0; i < spans.length; i++) {
        const usual = decodeReceiverSpan(spans[i], service, source, quick, lowByte);
        if (usual !== undefined) {
          out.push(usual);
          continue;
        }
        try {
          out.push(decodeSpan(spans[i], service, source, ids, lowByte));
        } catch (error) {
          throw error instanceof DecodeFault ? error.within(`${sPath}.spans[${i}]`) : error;
        }
      }
    }
  }
}

/** How an export is decoded (decodeOtlpJsonExport, decodeOtlpProtobuf). */
export interface ExportDecodeOptions {
  /**
   * Keep, on each span, what the verifier does not read but a receiver hands back: its resource and scope
   * (Span.origin, shared), whether its parent was remote, and its events. False when absent.
   */
  readonly detail?: boolean;
}

/** What {@link decodeOtlpJsonExport} kept and rejected. `errors` holds the first `maxErrors` messages. */
export interface OtlpJsonExportResult {
  readonly spans: Span[];
  readonly rejected: number;
  readonly errors: string[];
  /**
   * Set when the request as a whole is malformed (a list that is not a list, an entry that is not an
   * object): its JSON path and problem, e.g. "resourceSpans[0].scopeSpans is not an array". Then `spans`
   * is empty and `rejected` 0: a receiver refuses the whole request (400) and keeps nothing of it.
   */
  readonly invalid?: string;
}

/**
 * Decodes the `resourceSpans` of one parsed ExportTraceServiceRequest span by span, as an OTLP receiver
 * must (partial success): a bad span, or every span under a bad resource, is rejected with a message naming
 * its JSON path; the other spans are kept. A request that is malformed as a whole (a resource or scope
 * entry that is not an object, a list that is not an array) keeps nothing and says where, in `invalid`.
 * Each resource is decoded once for all its spans. Never throws.
 */
export function decodeOtlpJsonExport(
  resourceSpans: readonly unknown[],
  source: SpanSource,
  maxErrors = 3,
  options: ExportDecodeOptions = {},
): OtlpJsonExportResult {
  const detail = options.detail === true;
  const spans: Span[] = [];
  const errors: string[] = [];
  let rejected = 0;
  const state = receiverDecodeState();
  const ids: IdPool = state.ids;
  const reject = (count: number, fault: Fault): void => {
    rejected += count;
    // A receiver's answer: the sender's spans were skipped (as the protobuf decoder says), not a dump to export again.
    const skipped = count === 1 ? 'The span was skipped.' : `Its ${count} spans were skipped.`;
    if (errors.length < maxErrors)
      errors.push(errorAt('invalid-document', source.file, fault, source.line, skipped).message);
  };
  // The shape is checked as it is walked (a few tests per resource and scope, nothing per span).
  const malformed = (path: string, problem: string): OtlpJsonExportResult => ({
    spans: [],
    rejected: 0,
    errors: [],
    invalid: `${path} ${problem}`,
  });
  for (let r = 0; r < resourceSpans.length; r++) {
    const entry = resourceSpans[r];
    const rPath = `resourceSpans[${r}]`;
    if (!isRecord(entry)) return malformed(rPath, 'is not a ResourceSpans object');
    const scopesKey = scopesKeyOf(entry);
    const rawScopes = entry[scopesKey];
    if (rawScopes != null && !Array.isArray(rawScopes)) return malformed(`${rPath}.${scopesKey}`, 'is not an array');
    const scopes = (rawScopes ?? []) as readonly unknown[];
    let service: string | undefined;
    let lowByte = false;
    let resource: SpanOrigin['resource'] | undefined;
    let resourceFault: Fault | undefined;
    try {
      let attributes: Attributes;
      ({ service, lowByte, attributes } = readResource(entry, rPath));
      resource = { attributes };
    } catch (error) {
      if (!(error instanceof DecodeFault)) throw error;
      resourceFault = error.fault;
    }
    for (let s = 0; s < scopes.length; s++) {
      const scope = scopes[s];
      const sPath = `${rPath}.${scopesKey}[${s}]`;
      if (!isRecord(scope)) return malformed(sPath, 'is not a ScopeSpans object');
      const rawList = scope.spans;
      if (rawList != null && !Array.isArray(rawList)) return malformed(`${sPath}.spans`, 'is not an array');
      const list = (rawList ?? []) as readonly unknown[];
      if (service === undefined || resource === undefined) {
        // A resource that cannot be read rejects every span under it, each counted.
        if (list.length > 0 && resourceFault) reject(list.length, resourceFault);
        continue;
      }
      // One origin per scope, shared by its spans: the resource's and the scope's fields are held once.
      const origin: SpanOrigin = { resource, scope: detail ? scopeOrNone(scope, sPath) : { name: '' } };
      for (let i = 0; i < list.length; i++) {
        try {
          // The common shape straight from the parsed document; anything else through decodeSpan, which
          // makes the same span of it or says what is wrong.
          // A detail decode's fast path puts the origin and remote-parent bit in the span itself.
          const quick = decodeReceiverSpan(list[i], service, source, state, lowByte, detail ? origin : undefined);
          const span: Mutable<Span> = quick ?? decodeSpan(list[i], service, source, ids, lowByte);
          if (quick === undefined && detail) keepDetail(span, list[i], origin);
          else if (detail) keepEvents(span, list[i]);
          spans.push(span);
        } catch (error) {
          if (!(error instanceof DecodeFault)) {
            const reason = errorMessage(error);
            reject(1, { problem: `could not be decoded (${reason})` });
          } else reject(1, error.within(`${sPath}.spans[${i}]`).fault);
        }
      }
    }
  }
  return { spans, rejected, errors };
}

function errorAt(reason: DecodeReason, file: string, fault: Fault, line?: number, hint: string = HINT): DecodeFailure {
  const place = [line !== undefined ? `line ${line}` : undefined, fault.path].filter(Boolean).join(', ');
  const cause = place ? `${place} ${fault.problem}` : fault.problem;
  return {
    ok: false,
    reason,
    file,
    ...(line !== undefined ? { line } : {}),
    ...(fault.path !== undefined ? { path: fault.path } : {}),
    message: failure(`read spans from "${file}"`, cause, hint),
  };
}

/**
 * Decodes one parsed OTLP/JSON document. For callers that split and parse input themselves (streams).
 * Never throws.
 */
export function decodeOtlpJsonValue(
  value: unknown,
  source: SpanSource,
  ids: OtlpJsonIdContext = HEX_ONLY,
): OtlpDecodeResult {
  const spans: Span[] = [];
  idContext = ids;
  try {
    decodeDocument(value, source, spans);
  } catch (error) {
    if (error instanceof DecodeFault) {
      const fault =
        error.fault.path || source.line !== undefined
          ? error.fault
          : { problem: `the document ${error.fault.problem}` };
      return errorAt('invalid-document', source.file, fault, source.line);
    }
    // Not expected from any input, but this boundary promises a result, never an exception.
    const reason = errorMessage(error);
    return errorAt('decoder-error', source.file, { problem: `could not be decoded (${reason})` }, source.line);
  } finally {
    idContext = HEX_ONLY;
  }
  return { ok: true, spans };
}

/** V8's JSON.parse message without the quoted source excerpt, which may span lines. */
function jsonErrorReason(error: unknown): string {
  const message = errorMessage(error);
  return message.split(/, (?:"|\.\.\.)|\n/, 1)[0] ?? message;
}

/** Finds the 1-based line of a JSON.parse error: where V8 says, or where our own scan stops. */
function syntaxErrorLine(text: string, error: unknown): { line?: number; reason: string } {
  const reason = jsonErrorReason(error);
  const match = /at position (\d+)/.exec(reason);
  const position = match ? Number(match[1]) : jsonErrorOffset(text);
  if (position < 0) return { reason };
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return { line, reason };
}

/** Decodes documents of one file in order, each at its own line or at `line`; stops at the first error. */
function decodeDocuments(
  documents: readonly JsonDocument[],
  file: string,
  decode: JsonValueDecoder,
  line?: number,
): OtlpDecodeResult {
  const spans: Span[] = [];
  for (const document of documents) {
    const result = decode(document.value, { file, line: line ?? document.line });
    if (!result.ok) return result;
    for (const span of result.spans) spans.push(span);
  }
  return { ok: true, spans };
}

/** Decodes one parsed JSON document of a dump (one format's decoder). */
export type JsonValueDecoder = (value: unknown, source: SpanSource) => OtlpDecodeResult;

/**
 * Decodes one line of a JSON Lines dump (1-based `line`) with `decode`. Blank lines decode to no spans.
 * `hint` ends syntax-error messages. Never throws.
 */
export function decodeJsonDumpLine(
  text: string,
  file: string,
  line: number,
  decode: JsonValueDecoder,
  hint: string = HINT,
): OtlpDecodeResult {
  if (text.trim() === '') return { ok: true, spans: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Documents appended with no newline between them (curl >> dump.jsonl, twice): read each.
    const several = splitJsonDocuments(text, error);
    // Every document of the line is named by that line.
    if (several?.ok) return decodeDocuments(several.documents, file, decode, line);
    const fault = savedLineFault(text);
    if (fault !== undefined) return errorAt('not-json', file, { problem: fault.problem }, line, fault.hint);
    return errorAt('not-json', file, { problem: `is not valid JSON (${jsonErrorReason(error)})` }, line, hint);
  }
  return decode(value, { file, line });
}

/**
 * True for a line that opens a pretty-printed document (`{` or `[` alone): JSON Lines followed by documents
 * appended by `jq .` or an editor.
 */
export function opensPrettyDocument(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '{' || trimmed === '[';
}

/** A log line that carries an OTLP/JSON export after its prefix: `INFO: {"resource":...}`. */
const LOGGED_EXPORT = /^([^{[]{1,120}?)\{"(?:resourceSpans|resource|scopeSpans)"/;
/** Lines a log may start with before its first export (a logger's header line, a banner). */
const LOG_LINES_LOOKED_AT = 20;

/**
 * The first of the leading lines that holds an OTLP/JSON export after a log prefix (Java's logging-otlp
 * exporter under java.util.logging writes a header line, then `INFO: ` and the export), with that prefix.
 */
function loggedExport(lines: readonly string[]): { line: number; prefix: string } | undefined {
  for (let i = 0; i < Math.min(lines.length, LOG_LINES_LOOKED_AT); i++) {
    const prefix = LOGGED_EXPORT.exec(lines[i] ?? '')?.[1];
    // A log prefix says something (a level, a time, a tag); a stray byte before the JSON is no log.
    if (prefix !== undefined && /[\p{L}\p{N}]/u.test(prefix)) return { line: i + 1, prefix };
  }
  return undefined;
}

/** Android logcat's prefixes: threadtime (`08-12 09:59:49.123  4312  4390 I Tag: `) and brief (`I/Tag( 4312): `). */
const LOGCAT_PREFIX = [
  /^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\s+\d+\s+\d+ [VDIWEFA] (.+?)\s*: $/,
  /^[VDIWEFA]\/(.+?)\(\s*\d+\): $/,
];

/** How to get exports alone on their lines, for a log whose first export follows `prefix`. */
function loggedExportHint(prefix: string): string {
  const tag = LOGCAT_PREFIX.map((pattern) => pattern.exec(prefix)?.[1]).find((found) => found !== undefined);
  if (tag !== undefined)
    return (
      'On Android the exporter writes to logcat, which cuts each message at about 4 KB, so only small exports ' +
      "survive whole: export with the OTLP/HTTP exporter to tracehop's receiver (tracehop serve) instead, or keep " +
      `only the exporter's messages (adb logcat -d -v raw -s ${JSON.stringify(tag)} > spans.jsonl) and check that file.`
    );
  const keep = prefix === 'INFO: ' ? "sed -n 's/^INFO: //p' on the file" : `grep -o '{"resource.*' on the file`;
  return (
    'Write each export alone on its line: under java.util.logging, set ' +
    "java.util.logging.SimpleFormatter.format=%5$s%n for the exporter's logger; or export with the Collector's " +
    `file exporter; or keep only the JSON of this log (${keep}).`
  );
}

/**
 * Decodes a whole JSON dump with `decode`: one document, or JSON Lines (one document per line). Never
 * throws; errors name the file, line and JSON path.
 */
export function decodeJsonDumpText(
  text: string,
  source: string,
  decode: JsonValueDecoder,
  hint: string = HINT,
): OtlpDecodeResult {
  if (text.trim() === '') return errorAt('empty', source, { problem: 'the file is empty' }, undefined, hint);
  let whole: unknown;
  let wholeError: unknown;
  try {
    whole = JSON.parse(text);
  } catch (error) {
    wholeError = error;
  }
  if (wholeError === undefined) {
    // After blank lines (the rest of a file, its earlier lines blanked), the document is named by its line.
    const line = firstLineOf(text);
    return decode(whole, line > 1 ? { file: source, line } : { file: source });
  }

  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.trim() !== '');
  if (!firstLineParses(lines[first] ?? '')) {
    const csv = grafanaCsvProblem(lines);
    if (csv !== undefined) return errorAt('unknown-format', source, { problem: csv }, first + 1, GRAFANA_FRAME_HINT);
    const logged = loggedExport(lines);
    if (logged !== undefined) {
      const problem = `holds an OTLP/JSON export after the log prefix ${JSON.stringify(logged.prefix)}: the file is a log of an exporter that writes OTLP/JSON through a logger, not a dump`;
      return errorAt('not-json', source, { problem }, logged.line, loggedExportHint(logged.prefix));
    }
    // Several documents one after another (curl >> dump.json, jq . of several responses): read each.
    const several = splitJsonDocuments(text, wholeError);
    if (several?.ok) return decodeDocuments(several.documents, source, decode);
    if (several && !several.ok) {
      const before = text.slice(0, several.offset).split('\n').length - 1;
      const rest = text.slice(several.offset);
      const { line, reason } = syntaxErrorLine(rest, several.error);
      // The last document running out where the text does: a file cut off while curl or jq still wrote it.
      if (runsOutOfText(reason, rest)) {
        const { cause, hint: again } = cutOff(`the document that starts on line ${before + 1}`);
        return errorAt('not-json', source, { problem: cause }, undefined, again);
      }
      const at = (line ?? 1) + before;
      const fault = savedLineFault(text.split('\n')[at - 1] ?? '');
      if (fault !== undefined) return errorAt('not-json', source, { problem: fault.problem }, at, fault.hint);
      const problem = `is not valid JSON (${reason})`;
      return errorAt('not-json', source, { problem }, at, hint);
    }
    // A comment before the documents (a script's `# ...`): named as one, as after them. Not a Markdown heading
    // or other text: the next line must open a document.
    const next = lines.findIndex((line, i) => i > first && line.trim() !== '');
    const comment = /^\s*[{[]/.test(lines[next] ?? '') ? commentFault(lines[first] ?? '') : undefined;
    if (comment !== undefined)
      return errorAt('not-json', source, { problem: comment.problem }, first + 1, comment.hint);
    // Not JSON Lines: report the syntax error of the document as a whole.
    const { line, reason } = syntaxErrorLine(text, wholeError);
    const problem = `is not valid JSON (${reason})`;
    return errorAt(
      'not-json',
      source,
      { problem: line !== undefined ? problem : `the document ${problem}` },
      line,
      hint,
    );
  }
  const spans: Span[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (opensPrettyDocument(line)) {
      // The rest is read as documents one after another; blank lines before it keep line numbers right.
      const rest = decodeJsonDumpText(`${'\n'.repeat(i)}${lines.slice(i).join('\n')}`, source, decode, hint);
      if (!rest.ok) return rest;
      for (const span of rest.spans) spans.push(span);
      break;
    }
    const result = decodeJsonDumpLine(line, source, i + 1, decode, hint);
    if (!result.ok) return result;
    for (const span of result.spans) spans.push(span);
  }
  return { ok: true, spans };
}

const decodeHexOnly: JsonValueDecoder = (value, source) => decodeOtlpJsonValue(value, source);

/**
 * Decodes one OTLP/JSON line of a JSON Lines file (1-based `line`). Blank lines decode to no spans.
 * Never throws.
 */
export function decodeOtlpJsonLine(text: string, file: string, line: number): OtlpDecodeResult {
  return decodeJsonDumpLine(text, file, line, decodeHexOnly);
}

/**
 * Decodes a whole OTLP/JSON input: one `ExportTraceServiceRequest` document, or JSON Lines (one document
 * per line, as the Collector file exporter writes). Never throws; errors name the file, line and JSON path.
 * @example decodeOtlpJson(fs.readFileSync('dump.jsonl', 'utf8'), 'dump.jsonl')
 */
export function decodeOtlpJson(text: string, source: string): OtlpDecodeResult {
  return decodeJsonDumpText(text, source, decodeHexOnly);
}

/** The 1-based line of the first character that is not whitespace. */
function firstLineOf(text: string): number {
  let line = 1;
  for (let i = 0; i < text.length && /\s/.test(text.charAt(i)); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function firstLineParses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
