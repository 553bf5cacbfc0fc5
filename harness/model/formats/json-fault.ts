/**
 * Faults of the JSON dump decoders that are not OTLP (Jaeger, Zipkin, the Go and Python SDKs' span prints):
 * a JSON path and what is wrong there, turned into the one message shape every dump error has.
 */
import { failure } from '../../internal/messages';
import { parseSpanId, parseTraceId, type IdReason, type SpanId, type TraceId } from '../ids';
import type { DecodeReason } from '../decode-reason';
import type { OtlpDecodeResult } from '../otlp-json';
import type { SpanSource } from '../span';
import { shownText, shownValue } from '../../internal/shown-value';

export class JsonFault {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {}
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The failed result for a fault: "line N, path problem. hint" naming the file. */
export function faultResult(
  fault: JsonFault,
  source: SpanSource,
  hint: string,
  reason: DecodeReason = 'invalid-document',
): OtlpDecodeResult {
  const place = [source.line !== undefined ? `line ${source.line}` : undefined, fault.path || undefined]
    .filter(Boolean)
    .join(', ');
  const cause = place ? `${place} ${fault.problem}` : `the document ${fault.problem}`;
  return {
    ok: false,
    reason,
    file: source.file,
    ...(source.line !== undefined ? { line: source.line } : {}),
    ...(fault.path ? { path: fault.path } : {}),
    message: failure(`read spans from "${source.file}"`, cause, hint),
  };
}

/**
 * A hex id of at most `length` characters, left-padded with zeros (Jaeger and Zipkin drop leading zeros and
 * write 64-bit trace ids as 16 characters). Undefined for an all-zero id, which means "none".
 */
function paddedHex(value: unknown, path: string, length: number, what: string): string | undefined {
  if (typeof value !== 'string' || value === '') throw new JsonFault(path, 'is missing or not a string');
  if (value.length > length)
    throw new JsonFault(
      path,
      `${shownText(value)} is not a ${what}: it has ${value.length} characters, more than ${length}`,
    );
  const text = value.toLowerCase();
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102)))
      throw new JsonFault(path, `${shownText(value)} is not a ${what}: it has characters that are not hex`);
  }
  const padded = text.padStart(length, '0');
  return /^0+$/.test(padded) ? undefined : padded;
}

/** A required trace id: hex, up to 32 characters (16 for 64-bit ids), padded to 32. */
export function readPaddedTraceId(value: unknown, path: string): TraceId {
  const hex = paddedHex(value, path, 32, 'trace id');
  const parsed = hex === undefined ? undefined : parseTraceId(hex);
  if (!parsed?.ok) throw new JsonFault(path, `${shownText(String(value))} is not a trace id: it is all zeros`);
  return parsed.value;
}

/** A required span id: hex, up to 16 characters, padded to 16. */
export function readPaddedSpanId(value: unknown, path: string): SpanId {
  // Absent, null or empty is a span with no id, not an all-zero one.
  if (typeof value !== 'string' || value === '') throw new JsonFault(path, 'is missing or not a string');
  const id = readOptionalPaddedSpanId(value, path);
  if (id === undefined) throw new JsonFault(path, `${shownText(String(value))} is not a span id: it is all zeros`);
  return id;
}

/** A parent or reference span id: absent, empty or all zeros means none. */
export function readOptionalPaddedSpanId(value: unknown, path: string): SpanId | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const hex = paddedHex(value, path, 16, 'span id');
  if (hex === undefined) return undefined;
  const parsed = parseSpanId(hex);
  return parsed.ok ? parsed.value : undefined;
}

/** Why a full-length id is not one, in the words of a fault: "it has 30 characters, not 32". */
function exactIdProblem(text: string, reason: IdReason, length: number): string {
  switch (reason) {
    case 'wrong-length':
      return `it has ${text.length} characters, not ${length}`;
    case 'not-hex':
      return 'it has characters that are not hex';
    case 'uppercase-hex':
      return 'it has uppercase hex';
    case 'all-zero':
      return 'it is all zeros, which means none';
  }
}

/**
 * A required id written in full (`length` lowercase hex characters, after `prefix` when the format writes
 * one, as Python's "0x"), as the OpenTelemetry SDKs print them.
 */
function exactId<T>(
  value: unknown,
  path: string,
  what: string,
  length: number,
  parse: (text: string) => { ok: true; value: T } | { ok: false; reason: IdReason },
  prefix: string,
): T {
  if (typeof value !== 'string' || value === '') throw new JsonFault(path, 'is missing or not a string');
  const text = prefix !== '' && value.startsWith(prefix) ? value.slice(prefix.length) : value;
  const parsed = parse(text);
  if (parsed.ok) return parsed.value;
  throw new JsonFault(path, `${shownText(value)} is not a ${what}: ${exactIdProblem(text, parsed.reason, length)}`);
}

/** A required trace id of 32 lowercase hex characters (after an optional `prefix`). */
export function readExactTraceId(value: unknown, path: string, prefix = ''): TraceId {
  return exactId(value, path, 'trace id', 32, parseTraceId, prefix);
}

/** A required span id of 16 lowercase hex characters (after an optional `prefix`). */
export function readExactSpanId(value: unknown, path: string, prefix = ''): SpanId {
  return exactId(value, path, 'span id', 16, parseSpanId, prefix);
}

/** Microseconds since the epoch (Jaeger, Zipkin) as milliseconds; absent reads as 0. */
/** One past the largest time a 64-bit unsigned field holds (exact as a double). */
const UINT64_END = 2 ** 64;

export function readMicros(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  const micros =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  // A JSON number too large for a double parses as Infinity, which JSON.stringify would print as null.
  if (micros >= 0 && micros < UINT64_END) return micros / 1000;
  const shown = shownValue(value);
  throw new JsonFault(path, `${shown} is not a time in microseconds (a whole number below 2^64)`);
}

export function readArray(value: unknown, path: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new JsonFault(path, 'is not an array');
  return value;
}

export function readString(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new JsonFault(path, `${shownValue(value)} is not a string`);
  return value;
}
