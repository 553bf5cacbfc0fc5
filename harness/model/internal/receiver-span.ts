import type { SpanId, TraceId } from '../ids';
import type { AttributeValue, Span, SpanOrigin, SpanSource } from '../span';
import { detailSpan } from './detail-span';
import { intern } from './intern';
import { nanosStringToMs } from './nanos';
import { spanKindFromNumber } from './span-kind';
import { parentIsRemoteOf, traceFlagsOf } from './span-flags';
import { errorStatusMessage } from './status-message';

/**
 * The OTLP receiver's fast path for one span of an OTLP/JSON export: the shape OpenTelemetry SDKs and the
 * Collector write (lowercase hex ids, numeric kind, decimal-string times, flat attributes, no links). It reads
 * straight from the parsed document with no result object per field and no exception on the way, and answers
 * undefined for anything else: the caller then decodes that span with the general decoder (otlp-json.ts),
 * which yields the very same span or names the fault. So this path decides nothing on its own: it only
 * skips work for the spans the general decoder would accept anyway.
 */

/**
 * What one export's decode shares between its spans, so a repeated value is kept once and read once: the
 * last trace and parent id read (spans of one trace usually come one after another, siblings one after
 * another) and the last name and string value of each attribute position (spans of one service repeat them).
 */
export interface ReceiverDecodeState {
  /** Ids pooled by the general decoder, for the spans it decodes. */
  readonly ids: Map<string, string>;
  /** The last trace id as written, and as kept. */
  lastRawTraceId: string | undefined;
  lastTraceId: TraceId | undefined;
  /** The last parent span id as written, and as kept. */
  lastRawParentId: string | undefined;
  lastParentId: SpanId | undefined;
  /** The last span name as written, and as kept (pooled). */
  lastRawName: string | undefined;
  lastName: string;
  /** By attribute position: the last string value as written, and as kept (pooled). */
  readonly lastRawValues: (string | undefined)[];
  readonly lastValues: string[];
  /**
   * The last attributes read, with their keys and values by position: a span whose attributes say the same
   * (spans of one service and operation often do) shares that object instead of holding a copy.
   */
  lastAttributes: Record<string, AttributeValue> | undefined;
  lastKeys: string[];
  lastAttributeValues: AttributeValue[];
  /** Keys and values of the attributes being read, before they are known to differ from the last ones. */
  nextKeys: string[];
  nextAttributeValues: AttributeValue[];
}

export function receiverDecodeState(): ReceiverDecodeState {
  return {
    ids: new Map(),
    lastRawTraceId: undefined,
    lastTraceId: undefined,
    lastRawParentId: undefined,
    lastParentId: undefined,
    lastRawName: undefined,
    lastName: '',
    lastRawValues: [],
    lastValues: [],
    lastAttributes: undefined,
    lastKeys: [],
    lastAttributeValues: [],
    nextKeys: [],
    nextAttributeValues: [],
  };
}

const VALID = 0;
const ZERO = 1;
const OTHER = 2;

/** Per ASCII code: 0 for not lowercase hex, 1 for '0', 2 for the other lowercase hex digits. */
const HEX_CLASS = new Uint8Array(128);
for (const digit of '123456789abcdef') HEX_CLASS[digit.charCodeAt(0)] = 2;
HEX_CLASS['0'.charCodeAt(0)] = 1;

/** VALID for lowercase hex of `length` characters that is not all zeros, ZERO for all zeros, else OTHER. */
function hexId(text: string, length: number): number {
  if (text.length !== length) return OTHER;
  let seen = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const kind = code < 128 ? (HEX_CLASS[code] ?? 0) : 0;
    if (kind === 0) return OTHER;
    seen |= kind;
  }
  return seen & 2 ? VALID : ZERO;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `text` is a decimal integer (what /^-?\d+$/ accepts), without a regular expression per value. */
function isInt64Text(text: string): boolean {
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  if (text.length === start) return false;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** The value of one flat attribute (`any` is its AnyValue) at position `i`, or undefined when not flat. */
function flatValue(any: Record<string, unknown>, i: number, state: ReceiverDecodeState): AttributeValue | undefined {
  const stringValue = any.stringValue;
  if (typeof stringValue === 'string') {
    let kept: string | undefined;
    if (stringValue === state.lastRawValues[i]) kept = state.lastValues[i];
    if (kept === undefined) {
      kept = intern(stringValue);
      state.lastRawValues[i] = stringValue;
      state.lastValues[i] = kept;
    }
    return kept;
  }
  const boolValue = any.boolValue;
  if (typeof boolValue === 'boolean') return boolValue;
  const intValue = any.intValue;
  if (intValue !== undefined) {
    if (typeof intValue === 'string' && isInt64Text(intValue)) return Number(intValue);
    if (typeof intValue === 'number' && Number.isInteger(intValue)) return intValue;
    return undefined;
  }
  const doubleValue = any.doubleValue;
  return typeof doubleValue === 'number' ? doubleValue : undefined;
}

/**
 * Flat attributes (string, bool, int or double values), as the general decoder reads them; undefined for
 * anything else (nesting, bytes, empty values, a "__proto__" key, anything invalid). Attributes equal to the
 * last ones read with `state` (same keys and values in the same order) are that same object: nothing changes
 * a decoded span's attributes, and a dump's spans often repeat them.
 */
export function flatAttributes(input: unknown, state: ReceiverDecodeState): Record<string, AttributeValue> | undefined {
  if (input === undefined || input === null) return {};
  if (!Array.isArray(input)) return undefined;
  const count = input.length;
  const keys = state.nextKeys;
  const values = state.nextAttributeValues;
  let same = state.lastAttributes !== undefined && count === state.lastKeys.length;
  for (let i = 0; i < count; i++) {
    const entry: unknown = input[i];
    if (!isRecord(entry)) return undefined;
    const key = entry.key;
    const any = entry.value;
    if (typeof key !== 'string' || key === '__proto__' || !isRecord(any)) return undefined;
    const value = flatValue(any, i, state);
    if (value === undefined) return undefined;
    if (same && (key !== state.lastKeys[i] || !Object.is(value, state.lastAttributeValues[i]))) same = false;
    keys[i] = key;
    values[i] = value;
  }
  if (same) return state.lastAttributes;
  const out: Record<string, AttributeValue> = {};
  for (let i = 0; i < count; i++) out[keys[i] as string] = values[i] as AttributeValue;
  // The values just read become the last ones; the arrays they replace take the next span's.
  keys.length = count;
  values.length = count;
  state.nextKeys = state.lastKeys;
  state.nextAttributeValues = state.lastAttributeValues;
  state.lastKeys = keys;
  state.lastAttributeValues = values;
  state.lastAttributes = out;
  return out;
}

/** Unix nanoseconds (decimal string or number) in milliseconds; NaN when the general decoder must judge. */
function timeMs(value: unknown): number {
  if (typeof value === 'string') return nanosStringToMs(value) ?? NaN;
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && value >= 0 && value < 2 ** 64) return value / 1e6;
  return NaN;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The span the general decoder would make of `raw` (with the receiver's id and string pooling), or
 * undefined when `raw` is not in the common shape. Never throws. Given the span's `origin` (a detail decode),
 * the span holds it and whether its parent was remote, as the general decoder's span completed by the
 * receiver does, though not its events: the caller adds those.
 */
export function decodeReceiverSpan(
  raw: unknown,
  service: string,
  source: SpanSource,
  state: ReceiverDecodeState,
  lowByte = false,
  origin?: SpanOrigin,
): Span | undefined {
  if (!isRecord(raw)) return undefined;
  const rawTraceId = raw.traceId;
  let traceId: TraceId;
  if (rawTraceId === state.lastRawTraceId && state.lastTraceId !== undefined) traceId = state.lastTraceId;
  else {
    if (typeof rawTraceId !== 'string' || hexId(rawTraceId, 32) !== VALID) return undefined;
    traceId = rawTraceId as TraceId;
    state.lastRawTraceId = rawTraceId;
    state.lastTraceId = traceId;
  }
  const rawSpanId = raw.spanId;
  if (typeof rawSpanId !== 'string' || hexId(rawSpanId, 16) !== VALID) return undefined;
  const rawName = raw.name;
  let name: string;
  if (typeof rawName === 'string') {
    if (rawName === state.lastRawName) name = state.lastName;
    else {
      name = intern(rawName);
      state.lastRawName = rawName;
      state.lastName = name;
    }
  } else if (rawName === undefined || rawName === null) name = '';
  else return undefined;
  const rawKind = raw.kind;
  const kind =
    rawKind === undefined || rawKind === null
      ? 'unspecified'
      : typeof rawKind === 'number'
        ? spanKindFromNumber(rawKind)
        : undefined;
  if (kind === undefined) return undefined;
  const startTimeMs = timeMs(raw.startTimeUnixNano);
  const writtenEndMs = timeMs(raw.endTimeUnixNano);
  if (Number.isNaN(startTimeMs) || Number.isNaN(writtenEndMs)) return undefined;
  // A start of 0 (none written) is no time at all (hasTime), whatever the end, as the file readers take it.
  const endTimeMs = startTimeMs === 0 ? 0 : writtenEndMs;
  const attributes = flatAttributes(raw.attributes, state);
  if (attributes === undefined) return undefined;

  const rawParent = raw.parentSpanId;
  let parentSpanId: SpanId | undefined;
  if (rawParent === state.lastRawParentId && state.lastParentId !== undefined) parentSpanId = state.lastParentId;
  else if (typeof rawParent === 'string' && rawParent !== '') {
    const parent = hexId(rawParent, 16);
    if (parent === VALID) {
      parentSpanId = rawParent as SpanId;
      state.lastRawParentId = rawParent;
      state.lastParentId = parentSpanId;
    } else if (parent !== ZERO) return undefined;
  } else if (rawParent !== undefined && rawParent !== null && rawParent !== '') return undefined;
  const flags = raw.flags;
  if (flags !== undefined && (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 0xffffffff))
    return undefined;
  const traceFlags = flags === undefined ? undefined : traceFlagsOf(flags, lowByte);
  const rawTraceState = raw.traceState;
  if (rawTraceState !== undefined && rawTraceState !== null && typeof rawTraceState !== 'string') return undefined;
  const status = raw.status;
  let statusCode: number | undefined;
  let statusMessage: string | undefined;
  if (status !== undefined && status !== null) {
    if (!isRecord(status)) return undefined;
    const code = status.code;
    if (typeof code === 'number' && Number.isInteger(code) && code >= 0) statusCode = code;
    // A Status without a code is UNSET (0), as proto3 leaves a default out.
    else if (code === undefined || code === null) statusCode = 0;
    else return undefined;
    statusMessage = errorStatusMessage(statusCode, status.message);
  }
  // An ERROR span's events may hold what it failed with (Span.exceptions): the general decoder reads them.
  const events = raw.events;
  if (statusCode === 2 && Array.isArray(events) && events.length > 0) return undefined;
  const links = raw.links;
  if (links !== undefined && links !== null && !(Array.isArray(links) && links.length === 0)) return undefined;

  // Every field is known good: build the span with the general decoder's properties, in its order. The
  // usual optional ones go in the literal, so the span is one object rather than one and a property array.
  const spanId = rawSpanId as SpanId;
  // OTLP always carries the trace state: an empty one is known to be empty (Span.traceState).
  const traceState = typeof rawTraceState === 'string' && rawTraceState !== '' ? intern(rawTraceState) : '';
  let span: Mutable<Span>;
  if (origin !== undefined) {
    const remote = flags === undefined ? undefined : parentIsRemoteOf(flags);
    // One argument per field: no object made per span to carry them (detailSpan).
    span = detailSpan(
      traceId,
      spanId,
      name,
      kind,
      service,
      startTimeMs,
      endTimeMs,
      attributes,
      source,
      parentSpanId,
      traceFlags,
      traceState,
      statusCode,
      origin,
      remote,
    );
    if (statusMessage !== undefined) span.statusMessage = statusMessage;
    return span;
  } else if (parentSpanId !== undefined) {
    span =
      traceFlags !== undefined
        ? {
            traceId,
            spanId,
            name,
            kind,
            service,
            startTimeMs,
            endTimeMs,
            attributes,
            source,
            parentSpanId,
            traceFlags,
            traceState,
          }
        : {
            traceId,
            spanId,
            name,
            kind,
            service,
            startTimeMs,
            endTimeMs,
            attributes,
            source,
            parentSpanId,
            traceState,
          };
  } else if (traceFlags !== undefined) {
    span = {
      traceId,
      spanId,
      name,
      kind,
      service,
      startTimeMs,
      endTimeMs,
      attributes,
      source,
      traceFlags,
      traceState,
    };
  } else span = { traceId, spanId, name, kind, service, startTimeMs, endTimeMs, attributes, source, traceState };
  if (statusCode !== undefined) span.statusCode = statusCode;
  if (statusMessage !== undefined) span.statusMessage = statusMessage;
  return span;
}
