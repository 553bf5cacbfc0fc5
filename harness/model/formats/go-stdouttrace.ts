/**
 * OpenTelemetry Go's stdouttrace exporter (go.opentelemetry.io/otel/exporters/stdout/stdouttrace): one JSON
 * object per span, the SDK's tracetest.SpanStub in Go's own field names, pretty-printed (WithPrettyPrint, tab
 * indents) or one a line, as json.Encoder writes them:
 * `{Name, SpanContext: {TraceID, SpanID, TraceFlags, TraceState, Remote}, Parent: {...}, SpanKind, StartTime,
 * EndTime, Attributes, Events, Links, Status: {Code, Description}, DroppedAttributes, ..., ChildSpanCount,
 * Resource, InstrumentationLibrary}` (SDK 1.0 to 1.x; later versions add InstrumentationScope beside it).
 * fixtures/dumps/go-stdouttrace/ holds real output and the program that wrote it.
 *
 * Mapping to the model:
 * - ids are lowercase hex in full; a Parent whose SpanID is all zeros is no parent (a root span).
 * - SpanKind is Go's trace.SpanKind number, the same as OTLP's (0 unspecified, 1 internal, 2 server, 3 client,
 *   4 producer, 5 consumer).
 * - StartTime and EndTime are RFC 3339 with nanoseconds and the process's zone offset; Go's zero time (what
 *   WithoutTimestamps writes) is refused, since checks order and time spans by them.
 * - TraceFlags ("01") are the W3C flags; TraceState ("a=1,b=2", or "" for none) the tracestate.
 * - Status.Code is "Unset", "Error" or "Ok" (Go's codes.Code; its number 0, 1, 2 where a stub is written by
 *   value); it maps to OTLP's 0 unset, 2 error, 1 ok.
 * - Attributes and Resource are lists of {Key, Value: {Type, Value}}; service.name of the Resource names the
 *   service. Events are not kept, but for an ERROR span's `exception` events (Span.exceptions); Links become
 *   links.
 */
import type { TraceId } from '../ids';
import type { OtlpDecodeResult } from '../otlp-json';
import type { AttributeValue, Attributes, Span, SpanKind, SpanLink, SpanSource } from '../span';
import { shownText, shownValue } from '../../internal/shown-value';
import { serviceNameOf } from '../internal/service-name';
import { spanKindFromNumber } from '../internal/span-kind';
import { GO_ZERO_TIME, readIsoTime } from './iso-time';
import { JsonFault, isRecord, readArray, readExactSpanId, readExactTraceId, readString } from './json-fault';
import { decodePrintedSpan, type SpanPrint } from './printed-span';
import { GO_STDOUTTRACE_HINT } from './format-hints';
import { errorStatusMessage } from '../internal/status-message';
import { errorExceptions, exceptionEvents, type EventSpelling } from '../internal/exception-events';

/** How this format spells an event (see exceptionEvents). */
const GO_EVENTS: EventSpelling = { name: 'Name', attributes: 'Attributes', key: 'Key', value: 'Value', text: 'Value' };

const TIME_EXAMPLE = 'stdouttrace writes "2026-12-04T22:10:39.728489284+05:30"';

/** Go's codes.Code by name and by number (Unset 0, Error 1, Ok 2) -> OTLP's status code (unset 0, ok 1, error 2). */
const STATUS_BY_NAME: Readonly<Record<string, number>> = { Unset: 0, Error: 2, Ok: 1 };
const STATUS_BY_NUMBER: readonly number[] = [0, 2, 1];

/** True when a parsed JSON value is one span as stdouttrace prints it: an object with a SpanContext object. */
export function isGoStdouttraceValue(value: unknown): boolean {
  return isRecord(value) && isRecord(value.SpanContext) && 'TraceID' in value.SpanContext;
}

/** A number Go's json writes for an int64 or float64 attribute. */
function numberValue(value: unknown, type: string, path: string): number {
  if (typeof value === 'number') return value;
  throw new JsonFault(path, `${shownValue(value)} is not ${type === 'INT64' ? 'an' : 'a'} ${type} value`);
}

/** One attribute.Value ({Type, Value}) as a plain value. */
function goValue(raw: unknown, path: string): AttributeValue {
  if (!isRecord(raw) || typeof raw.Type !== 'string')
    throw new JsonFault(path, 'is not an attribute value ({Type, Value})');
  const { Type: type, Value: value } = raw;
  const at = `${path}.Value`;
  const listOf = (check: (item: unknown) => boolean, what: string): AttributeValue[] => {
    const items = value === null ? [] : value;
    if (!Array.isArray(items) || !items.every(check))
      throw new JsonFault(at, `${shownValue(value)} is not a list of ${what}`);
    return items as AttributeValue[];
  };
  switch (type) {
    case 'STRING':
      if (typeof value === 'string') return value;
      throw new JsonFault(at, `${shownValue(value)} is not a STRING value`);
    case 'BOOL':
      if (typeof value === 'boolean') return value;
      throw new JsonFault(at, `${shownValue(value)} is not a BOOL value`);
    case 'INT64':
    case 'FLOAT64':
      return numberValue(value, type, at);
    case 'STRINGSLICE':
      return listOf((item) => typeof item === 'string', 'strings');
    case 'BOOLSLICE':
      return listOf((item) => typeof item === 'boolean', 'booleans');
    case 'INT64SLICE':
    case 'FLOAT64SLICE':
      return listOf((item) => typeof item === 'number', 'numbers');
    // Bytes as base64 text, as the OTLP decoders keep them.
    case 'BYTESLICE':
      if (typeof value === 'string') return value;
      throw new JsonFault(at, `${shownValue(value)} is not base64 text`);
    case 'SLICE':
      return readArray(value, at).map((item, i) => goValue(item, `${at}[${i}]`));
    case 'MAP':
      return keyValues(value, at);
    case 'EMPTY':
      return null;
    default:
      throw new JsonFault(
        `${path}.Type`,
        `${shownValue(type)} is not an attribute type (STRING, BOOL, INT64, FLOAT64, their *SLICE lists, BYTESLICE, SLICE, MAP, EMPTY)`,
      );
  }
}

/** A list of attribute.KeyValue ({Key, Value}) as attributes; null is none. */
function keyValues(value: unknown, path: string): Attributes {
  const attributes: Attributes = {};
  const list = readArray(value, path);
  for (let i = 0; i < list.length; i++) {
    const pair = list[i];
    const at = `${path}[${i}]`;
    if (!isRecord(pair) || typeof pair.Key !== 'string') throw new JsonFault(at, 'is not an attribute ({Key, Value})');
    attributes[pair.Key] = goValue(pair.Value, `${at}.Value`);
  }
  return attributes;
}

/** TraceFlags: two hex digits ("01"). */
function readFlags(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && /^[0-9a-f]{2}$/.test(value)) return parseInt(value, 16);
  throw new JsonFault(path, `${shownValue(value)} is not trace flags (two hex digits, as "01")`);
}

/** The parent's span id, or undefined for a Parent that is absent or has an all-zero SpanID (a root span). */
function readParent(raw: unknown, traceId: TraceId, path: string): Span['parentSpanId'] {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) throw new JsonFault(path, 'is not a span context ({TraceID, SpanID, ...})');
  // An invalid parent context (the SDK's zero SpanContext) is no parent: Go starts a root span then.
  if (typeof raw.SpanID === 'string' && /^0+$/.test(raw.SpanID)) return undefined;
  const parentTrace = readExactTraceId(raw.TraceID, `${path}.TraceID`);
  if (parentTrace !== traceId)
    throw new JsonFault(
      `${path}.TraceID`,
      `${shownText(parentTrace)} is not the span's own trace id ${shownText(traceId)}: a parent is in its child's trace`,
    );
  return readExactSpanId(raw.SpanID, `${path}.SpanID`);
}

function readKind(value: unknown, path: string): SpanKind {
  const kind = typeof value === 'number' ? spanKindFromNumber(value) : undefined;
  if (kind !== undefined) return kind;
  if (value === undefined || value === null) throw new JsonFault(path, 'is missing: every stdouttrace span has one');
  throw new JsonFault(
    path,
    `${shownValue(value)} is not a span kind (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer)`,
  );
}

function readTime(value: unknown, path: string): number {
  if (value === GO_ZERO_TIME)
    throw new JsonFault(
      path,
      `is Go's zero time ${GO_ZERO_TIME}: the exporter ran with stdouttrace.WithoutTimestamps(), which leaves the span's times out; drop that option and export again`,
    );
  return readIsoTime(value, path, TIME_EXAMPLE);
}

function readStatus(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new JsonFault(path, 'is not a status ({Code, Description})');
  const code = value.Code;
  if (typeof code === 'string' && Object.hasOwn(STATUS_BY_NAME, code)) return STATUS_BY_NAME[code];
  if (typeof code === 'number' && Number.isInteger(code) && STATUS_BY_NUMBER[code] !== undefined)
    return STATUS_BY_NUMBER[code];
  throw new JsonFault(`${path}.Code`, `${shownValue(code)} is not a status code ("Unset", "Error" or "Ok")`);
}

function readLinks(value: unknown, path: string): SpanLink[] {
  const links: SpanLink[] = [];
  const list = readArray(value, path);
  for (let i = 0; i < list.length; i++) {
    const link = list[i];
    const at = `${path}[${i}]`;
    if (!isRecord(link) || !isRecord(link.SpanContext))
      throw new JsonFault(at, 'is not a link ({SpanContext, Attributes})');
    const context = link.SpanContext;
    // A link to nothing (all-zero ids) is no link, as in the other readers.
    if (typeof context.SpanID === 'string' && /^0+$/.test(context.SpanID)) continue;
    const attributes = keyValues(link.Attributes, `${at}.Attributes`);
    links.push({
      traceId: readExactTraceId(context.TraceID, `${at}.SpanContext.TraceID`),
      spanId: readExactSpanId(context.SpanID, `${at}.SpanContext.SpanID`),
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    });
  }
  return links;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function decodeSpan(raw: Record<string, unknown>, source: SpanSource): Span {
  const context = raw.SpanContext;
  if (!isRecord(context)) throw new JsonFault('SpanContext', 'is not a span context ({TraceID, SpanID, ...})');
  const traceId = readExactTraceId(context.TraceID, 'SpanContext.TraceID');
  const resource = keyValues(raw.Resource, 'Resource');
  const span: Mutable<Span> = {
    traceId,
    spanId: readExactSpanId(context.SpanID, 'SpanContext.SpanID'),
    name: readString(raw.Name, 'Name'),
    kind: readKind(raw.SpanKind, 'SpanKind'),
    service: serviceNameOf(resource['service.name']),
    startTimeMs: readTime(raw.StartTime, 'StartTime'),
    endTimeMs: readTime(raw.EndTime, 'EndTime'),
    attributes: keyValues(raw.Attributes, 'Attributes'),
    source,
  };
  const parent = readParent(raw.Parent, traceId, 'Parent');
  if (parent !== undefined) span.parentSpanId = parent;
  const flags = readFlags(context.TraceFlags, 'SpanContext.TraceFlags');
  if (flags !== undefined) span.traceFlags = flags;
  // The print always holds TraceState, so an empty one is known to be empty (a lost tracestate shows).
  if (context.TraceState !== undefined && context.TraceState !== null)
    span.traceState = readString(context.TraceState, 'SpanContext.TraceState');
  const status = readStatus(raw.Status, 'Status');
  if (status !== undefined) span.statusCode = status;
  const message = errorStatusMessage(status, isRecord(raw.Status) ? raw.Status.Description : undefined);
  if (message !== undefined) span.statusMessage = message;
  const exceptions = errorExceptions(status, status === 2 ? exceptionEvents(raw.Events, GO_EVENTS) : undefined);
  if (exceptions !== undefined) span.exceptions = exceptions;
  const links = readLinks(raw.Links, 'Links');
  if (links.length > 0) span.links = links;
  return span;
}

const PRINT: SpanPrint = {
  contextField: 'SpanContext',
  nameField: 'Name',
  what: 'a stdouttrace span',
  hint: GO_STDOUTTRACE_HINT,
  decode: decodeSpan,
};

/**
 * Decodes one span as stdouttrace prints it. Never throws; errors name the file, the line the span starts
 * on, the field and the span.
 */
export function decodeGoStdouttraceValue(value: unknown, source: SpanSource): OtlpDecodeResult {
  return decodePrintedSpan(PRINT, value, source);
}
