/**
 * W3C Trace Context Level 2 `traceparent` header: https://www.w3.org/TR/trace-context-2/#traceparent-header
 * Strict: every rule the spec states becomes a reason, so a failed hop can be explained precisely.
 */
import type { SpanId, TraceId } from '../model';
import { checkHexField, headerLines, hexFieldDetail, quote, trimOws, type HeaderInput } from './internal/header-text';
import { fail, ok, type CodecResult } from './result';

/** A decoded traceparent. `sampled` and `random` are bits 0 and 1 of `traceFlags`. */
export interface Traceparent {
  readonly version: number;
  readonly traceId: TraceId;
  readonly parentId: SpanId;
  readonly traceFlags: number;
  readonly sampled: boolean;
  readonly random: boolean;
}

/** What an encoder needs: ids are branded, so they are lowercase hex by construction. */
export interface TraceparentFields {
  readonly traceId: TraceId;
  readonly parentId: SpanId;
  readonly traceFlags: number;
}

/** Why a traceparent header is refused (uppercase hex, version ff, an all-zero id, ...). */
export type TraceparentReason =
  | 'missing'
  | 'duplicate-header'
  | 'too-short'
  | 'too-long'
  | 'uppercase-hex'
  | 'version-ff'
  | 'invalid-version'
  | 'invalid-trace-id'
  | 'all-zero-trace-id'
  | 'invalid-parent-id'
  | 'all-zero-parent-id'
  | 'invalid-flags'
  | 'invalid-delimiter'
  | 'whitespace';

/** What {@link decodeTraceparent} returns: the fields, or the reason and message it was refused. */
export type TraceparentResult = CodecResult<Traceparent, TraceparentReason>;

/** §3.2.2.3 trace-flags: bit 0 sampled. */
export const FLAG_SAMPLED = 0x01;
/** §3.2.2.3 (Level 2) trace-flags: bit 1 random trace id. */
export const FLAG_RANDOM = 0x02;

// §3.2.2 ABNF, from named parts: HEXDIGLC = DIGIT / "a"-"f".
const HEXDIGLC = '[0-9a-f]';
const VERSION = `${HEXDIGLC}{2}`; // §3.2.2.1 version = 2HEXDIGLC, "ff" forbidden
const TRACE_ID = `${HEXDIGLC}{32}`; // §3.2.2.2 trace-id = 32HEXDIGLC, all zeros forbidden
const PARENT_ID = `${HEXDIGLC}{16}`; // §3.2.2.2 parent-id = 16HEXDIGLC, all zeros forbidden
const TRACE_FLAGS = `${HEXDIGLC}{2}`; // §3.2.2.3 trace-flags = 2HEXDIGLC
/** Version 00: exactly these four fields (55 characters). */
const VERSION_00_PATTERN = new RegExp(`^(${VERSION})-(${TRACE_ID})-(${PARENT_ID})-(${TRACE_FLAGS})$`);
/** §3.2.4 future versions: the same prefix, then the end or a "-" followed by fields we must not interpret. */
const FUTURE_VERSION_PATTERN = new RegExp(`^(${VERSION})-(${TRACE_ID})-(${PARENT_ID})-(${TRACE_FLAGS})(?:-.*)?$`, 's');

const VERSION_00_LENGTH = 55;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);

/**
 * Decodes a traceparent header (one line, the lines of a repeated header, or undefined). Never throws.
 * @example decodeTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
 */
export function decodeTraceparent(input: HeaderInput): TraceparentResult {
  const lines = headerLines(input);
  if (lines.length === 0)
    return fail('missing', 'no traceparent header was sent: inject one on every first-party request');
  if (lines.length > 1) {
    return fail(
      'duplicate-header',
      `traceparent was sent ${lines.length} times: send exactly one (two instrumentations are probably each injecting it)`,
    );
  }
  // RFC 9110 §5.5: leading and trailing OWS is not part of a field value.
  const text = trimOws(lines[0] ?? '');
  if (text === '') return fail('missing', 'the traceparent header is empty: send a value or omit the header');

  const fast = matchValid(text);
  if (fast) return fast;
  return diagnose(text);
}

/** The fast path: a well-formed header of any accepted version. */
function matchValid(text: string): TraceparentResult | undefined {
  const match = VERSION_00_PATTERN.exec(text) ?? FUTURE_VERSION_PATTERN.exec(text);
  if (!match) return undefined;
  const [, version = '', traceId = '', parentId = '', flags = ''] = match;
  if (version === 'ff' || traceId === ZERO_TRACE_ID || parentId === ZERO_PARENT_ID) return undefined;
  if (version === '00' && text.length !== VERSION_00_LENGTH) return undefined;
  const traceFlags = parseInt(flags, 16);
  return ok({
    version: parseInt(version, 16),
    traceId: traceId as TraceId,
    parentId: parentId as SpanId,
    traceFlags,
    sampled: (traceFlags & FLAG_SAMPLED) !== 0,
    random: (traceFlags & FLAG_RANDOM) !== 0,
  });
}

/** The slow path: find the first rule the value breaks, in the order the spec reads. */
function diagnose(text: string): TraceparentResult {
  if (text.includes(',')) {
    return fail(
      'duplicate-header',
      'traceparent holds several comma-separated values: send exactly one (two values were joined into one header)',
    );
  }
  if (/[\s]/.test(text)) {
    return fail('whitespace', `traceparent ${quote(text)} contains whitespace inside the value: remove it`);
  }
  const parts = text.split('-');
  if (parts.length < 4) {
    return text.length < VERSION_00_LENGTH
      ? fail(
          'too-short',
          `traceparent ${quote(text)} has ${text.length} characters, expected 55 (version-traceid-parentid-flags)`,
        )
      : fail('invalid-delimiter', `traceparent ${quote(text)} does not separate its four fields with "-"`);
  }
  // parts.length >= 4 here.
  const [version = '', traceId = '', parentId = '', flags = ''] = parts;

  // §3.2.2.1 version
  if (/^[0-9a-fA-F]{2}$/.test(version) && version !== version.toLowerCase()) {
    return fail('uppercase-hex', 'version contains uppercase hex: lowercase it');
  }
  if (!/^[0-9a-f]{2}$/.test(version)) {
    return fail('invalid-version', `version ${quote(version)} is not 2 lowercase hex digits: send "00"`);
  }
  if (version === 'ff') return fail('version-ff', 'version ff is forbidden by the spec: send "00"');

  // §3.2.2.2 trace-id
  const traceProblem = checkHexField(traceId, 32);
  if (traceProblem === 'uppercase-hex') return fail('uppercase-hex', 'trace-id contains uppercase hex: lowercase it');
  if (traceProblem === 'all-zero')
    return fail('all-zero-trace-id', hexFieldDetail('trace-id', traceId, 32, traceProblem));
  if (traceProblem) return fail('invalid-trace-id', hexFieldDetail('trace-id', traceId, 32, traceProblem));

  // §3.2.2.2 parent-id
  const parentProblem = checkHexField(parentId, 16);
  if (parentProblem === 'uppercase-hex') return fail('uppercase-hex', 'parent-id contains uppercase hex: lowercase it');
  if (parentProblem === 'all-zero')
    return fail('all-zero-parent-id', hexFieldDetail('parent-id', parentId, 16, parentProblem));
  if (parentProblem) return fail('invalid-parent-id', hexFieldDetail('parent-id', parentId, 16, parentProblem));

  // §3.2.2.3 trace-flags: exactly 2 hex digits, then the end (00) or "-" (future versions, §3.2.4).
  if (/^[0-9a-fA-F]{2}$/.test(flags) && flags !== flags.toLowerCase()) {
    return fail('uppercase-hex', 'trace-flags contains uppercase hex: lowercase it');
  }
  if (!/^[0-9a-f]{2}$/.test(flags)) {
    return fail('invalid-flags', `trace-flags ${quote(flags)} is not 2 lowercase hex digits: send "00" or "01"`);
  }
  if (version === '00') {
    return fail(
      'too-long',
      `traceparent version 00 has ${text.length} characters, expected exactly 55: remove the data after trace-flags`,
    );
  }
  // Unreachable for inputs the patterns accept; kept so every path returns a reason.
  return fail('invalid-delimiter', `traceparent ${quote(text)} does not match version-traceid-parentid-flags`);
}

/**
 * Encodes version 00 (§3.2.4: always the highest version we know). Total: branded ids are lowercase hex,
 * and flags are reduced to one byte, so the output always decodes.
 */
export function encodeTraceparent(ctx: TraceparentFields): string {
  const flags = (Number.isInteger(ctx.traceFlags) ? ctx.traceFlags : 0) & 0xff;
  return `00-${ctx.traceId}-${ctx.parentId}-${flags.toString(16).padStart(2, '0')}`;
}
