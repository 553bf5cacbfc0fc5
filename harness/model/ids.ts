/**
 * Branded trace and span ids: lowercase hex strings (32 and 16 characters), as in W3C traceparent and the
 * OTLP JSON encoding. The brand makes it a type error to pass a span id where a trace id belongs.
 */
import type { Failure } from '../internal/result';

/** A trace id: 32 lowercase hex characters, not all zero (see {@link parseTraceId}). */
export type TraceId = string & { readonly __brand: 'TraceId' };
/** A span id: 16 lowercase hex characters, not all zero (see {@link parseSpanId}). */
export type SpanId = string & { readonly __brand: 'SpanId' };

/** Why a string is not a valid id. */
export type IdReason = 'wrong-length' | 'not-hex' | 'uppercase-hex' | 'all-zero';

/** A checked id, or why the text is not one (the shared failure shape, `harness/internal/result.ts`). */
export type IdResult<T> = { ok: true; value: T } | Failure<IdReason>;

/** The message of each reason, built once: ids are checked once per span, so a failure costs no formatting. */
function idMessages(what: string, length: number): Readonly<Record<IdReason, string>> {
  return {
    'wrong-length': `the ${what} is not ${length} characters long`,
    'not-hex': `the ${what} has characters that are not hex`,
    'uppercase-hex': `the ${what} has uppercase hex: lowercase it`,
    'all-zero': `the ${what} is all zeros, which means none`,
  };
}

const TRACE_ID_MESSAGES = idMessages('trace id', 32);
const SPAN_ID_MESSAGES = idMessages('span id', 16);

/**
 * One pass over the characters (ids are checked once per span, so no regular expressions): the first
 * reason found, in the order wrong-length, not-hex, uppercase-hex, all-zero.
 */
function checkHex(text: string, length: number): IdReason | undefined {
  if (text.length !== length) return 'wrong-length';
  let upper = false;
  let zero = true;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (code !== 48) zero = false;
    } else if (code >= 97 && code <= 102) zero = false;
    else if (code >= 65 && code <= 70) {
      upper = true;
      zero = false;
    } else return 'not-hex';
  }
  if (upper) return 'uppercase-hex';
  return zero ? 'all-zero' : undefined;
}

/** Checks a 32-character lowercase hex trace id that is not all zeros. */
export function parseTraceId(text: string): IdResult<TraceId> {
  const reason = checkHex(text, 32);
  return reason ? { ok: false, reason, message: TRACE_ID_MESSAGES[reason] } : { ok: true, value: text as TraceId };
}

/** Checks a 16-character lowercase hex span id that is not all zeros. */
export function parseSpanId(text: string): IdResult<SpanId> {
  const reason = checkHex(text, 16);
  return reason ? { ok: false, reason, message: SPAN_ID_MESSAGES[reason] } : { ok: true, value: text as SpanId };
}

/** Brands a string already known to be a valid trace id (e.g. from our own SDK). Unchecked. */
export function asTraceId(text: string): TraceId {
  return text as TraceId;
}

/** Brands a string already known to be a valid span id (e.g. from our own SDK). Unchecked. */
export function asSpanId(text: string): SpanId {
  return text as SpanId;
}

/**
 * 8 characters, for trees and messages: the first 8 that are not all zeros, in steps of 8. So a 64-bit trace
 * id padded to 32 (Zipkin, Jaeger, B3) shows the first 8 of its own 16, and a small numeric id
 * ("0000000000000001", as test generators and some tracers write) its last 8: every such id would
 * otherwise read "00000000".
 */
export function shortId(id: TraceId | SpanId): string {
  let start = 0;
  while (start + 8 < id.length && id.startsWith('00000000', start)) start += 8;
  return id.slice(start, start + 8);
}

/**
 * Two ids as a message names them side by side ("a new trace (X instead of Y)"): each by shortId, or both in
 * full when their short forms are one and the same, as the 128-bit trace ids of Brave and aiozipkin, whose
 * first 8 characters are the time in seconds, are for two traces of one second.
 */
export function shortIdsApart<T extends TraceId | SpanId>(a: T, b: T): [string, string] {
  const [shortA, shortB] = [shortId(a), shortId(b)];
  return shortA === shortB && a !== b ? [a, b] : [shortA, shortB];
}

/** True for a non-empty id of only '0' characters: the "no id" of W3C and OTLP (e.g. a root's parent). */
export function isZeroId(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== 48) return false;
  return true;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Lowercase hex of an id written in base64 (standard or URL-safe alphabet, padding optional), as the
 * protobuf JSON mapping writes `bytes` fields; undefined when the text is not base64.
 * @example base64IdToHex('AAAAAAAAAAE=') // '0000000000000001'
 */
export function base64IdToHex(text: string): string | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  if (standard.length === 0 || !BASE64.test(standard)) return undefined;
  let binary: string;
  try {
    binary = atob(standard);
  } catch {
    return undefined;
  }
  let hex = '';
  for (let i = 0; i < binary.length; i++) hex += HEX_BYTES[binary.charCodeAt(i)];
  return hex;
}
