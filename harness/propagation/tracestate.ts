/**
 * W3C Trace Context Level 2 `tracestate` header: https://www.w3.org/TR/trace-context-2/#tracestate-header
 * A list of up to 32 vendor key/value members, combined in order across repeated header lines.
 */
import { headerLines, quote, trimOws } from './internal/header-text';
import type { HeaderInput } from './internal/header-text';
import { fail, ok } from './result';
import type { CodecResult } from './result';
import type { Failure } from '../internal/result';

/** One list member. Keys are unique within a decoded tracestate. */
export interface TracestateMember {
  readonly key: string;
  readonly value: string;
}

/** A decoded tracestate: members in header order (left-most = most recently updated vendor). */
export type Tracestate = readonly TracestateMember[];

/** Why a tracestate header is refused. */
export type TracestateReason =
  'missing' | 'invalid-member' | 'invalid-key' | 'invalid-value' | 'too-many-members' | 'duplicate-key';

/** What {@link decodeTracestate} returns: the members, or the reason and message it was refused. */
export type TracestateResult = CodecResult<Tracestate, TracestateReason>;

/** Options of {@link decodeTracestate}. */
export interface TracestateDecodeOptions {
  /**
   * Duplicate keys are invalid (§3.3.1.3 "MUST NOT result in the same key being present multiple times"),
   * but §3.5 lets a vendor discard them instead: 'keep-first' does that, as a forwarding participant should.
   */
  readonly duplicateKeys?: 'reject' | 'keep-first';
}

/** §3.3.1.1 "There can be a maximum of 32 list-members in a list". */
export const TRACESTATE_MAX_MEMBERS = 32;
/** §3.3.1.5 "Vendors SHOULD propagate at least 512 characters of a combined header". */
export const TRACESTATE_MAX_LENGTH = 512;
/** §3.3.1.5: entries longer than this are removed first when truncating. */
const LARGE_MEMBER_LENGTH = 128;

// §3.3.1.3.1 key = ( lcalpha / DIGIT ) 0*255 ( keychar ); keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"
// (Level 2 folds the Level 1 multi-tenant form tenant@system into keychar, so both shapes match.)
const KEY_FIRST = '[a-z0-9]';
const KEY_CHAR = '[a-z0-9_\\-*/@]';
const KEY_PATTERN = new RegExp(`^${KEY_FIRST}${KEY_CHAR}{0,255}$`);
// §3.3.1.3.2 value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
const NBLK_CHR = '[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]';
const CHR = '[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]';
const VALUE_PATTERN = new RegExp(`^${CHR}{0,255}${NBLK_CHR}$`);

/** True when `key` follows the §3.3.1.3.1 key grammar. */
export function isTracestateKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** True when `value` follows the §3.3.1.3.2 value grammar. */
export function isTracestateValue(value: string): boolean {
  return VALUE_PATTERN.test(value);
}

/**
 * Decodes tracestate; several header lines are combined in order (RFC 9110 §5.3). Empty and
 * whitespace-only members are ignored (§3.3.1.1). Never throws.
 */
export function decodeTracestate(input: HeaderInput, options: TracestateDecodeOptions = {}): TracestateResult {
  const lines = headerLines(input);
  if (lines.length === 0) return fail('missing', 'no tracestate header was sent');
  const members: TracestateMember[] = [];
  const seen = new Set<string>();
  for (const raw of lines.join(',').split(',')) {
    // OWS around list members is not part of them; leading spaces inside a value are (§3.3.1.3.2).
    const member = trimOws(raw);
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq < 0) {
      return fail('invalid-member', `tracestate member ${quote(member)} has no "=": write members as key=value`);
    }
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    const badKey = keyFailure(key);
    if (badKey) return badKey;
    const badValue = valueFailure(key, value);
    if (badValue) return badValue;
    if (seen.has(key)) {
      if (options.duplicateKeys === 'keep-first') continue;
      return fail(
        'duplicate-key',
        `tracestate key ${quote(key)} appears more than once: each vendor may add one member`,
      );
    }
    seen.add(key);
    members.push({ key, value });
    if (members.length > TRACESTATE_MAX_MEMBERS) {
      return fail(
        'too-many-members',
        `tracestate has more than ${TRACESTATE_MAX_MEMBERS} members: drop the right-most ones`,
      );
    }
  }
  return ok(members);
}

/** Why `key` is no tracestate key, or undefined when it is one. */
function keyFailure(key: string): Failure<'invalid-key'> | undefined {
  if (KEY_PATTERN.test(key)) return undefined;
  return fail('invalid-key', describeKeyProblem(key));
}

/** Why `value` is no tracestate value, or undefined when it is one. */
function valueFailure(key: string, value: string): Failure<'invalid-value'> | undefined {
  if (VALUE_PATTERN.test(value)) return undefined;
  return fail('invalid-value', describeValueProblem(key, value));
}

function describeKeyProblem(key: string): string {
  if (key === '') return 'a tracestate member has an empty key: write members as key=value';
  if (key.length > 256) return `tracestate key ${quote(key, 20)} has ${key.length} characters, at most 256 are allowed`;
  if (/[A-Z]/.test(key)) return `tracestate key ${quote(key)} contains uppercase letters: keys are lowercase`;
  if (!/^[a-z0-9]/.test(key)) return `tracestate key ${quote(key)} must start with a lowercase letter or a digit`;
  return `tracestate key ${quote(key)} contains characters outside a-z 0-9 _ - * / @`;
}

function describeValueProblem(key: string, value: string): string {
  if (value === '') return `tracestate key ${quote(key)} has an empty value: send a value or drop the member`;
  if (value.length > 256)
    return `tracestate value of ${quote(key)} has ${value.length} characters, at most 256 are allowed`;
  if (value.includes('=')) return `tracestate value of ${quote(key)} contains "=", which values may not hold`;
  return `tracestate value of ${quote(key)} contains characters outside printable ASCII (or ends with a space)`;
}

/**
 * Encodes members as `key=value,...` (no OWS). Total: members that break the grammar and repeated keys are
 * skipped, and the result is truncated to `maxLength` by the §3.3.1.5 rule, so the output always decodes.
 */
export function encodeTracestate(state: Tracestate, maxLength: number = TRACESTATE_MAX_LENGTH): string {
  const valid: TracestateMember[] = [];
  const seen = new Set<string>();
  for (const member of state) {
    if (valid.length === TRACESTATE_MAX_MEMBERS) break;
    if (!isTracestateKey(member.key) || !isTracestateValue(member.value) || seen.has(member.key)) continue;
    seen.add(member.key);
    valid.push({ key: member.key, value: member.value });
  }
  return join(truncateTracestate(valid, maxLength));
}

function join(state: Tracestate): string {
  return state.map((member) => `${member.key}=${member.value}`).join(',');
}

function encodedLength(state: Tracestate): number {
  let length = Math.max(0, state.length - 1);
  for (const member of state) length += member.key.length + 1 + member.value.length;
  return length;
}

/**
 * §3.3.1.5 truncation: remove whole members, first those longer than 128 characters (right-most first),
 * then from the end, until the combined header fits in `maxLength`.
 */
export function truncateTracestate(state: Tracestate, maxLength: number = TRACESTATE_MAX_LENGTH): Tracestate {
  if (encodedLength(state) <= maxLength) return state;
  const kept = [...state];
  for (let i = kept.length - 1; i >= 0 && encodedLength(kept) > maxLength; i--) {
    const member = kept[i];
    if (member && member.key.length + 1 + member.value.length > LARGE_MEMBER_LENGTH) kept.splice(i, 1);
  }
  while (kept.length > 0 && encodedLength(kept) > maxLength) kept.pop();
  return kept;
}

/**
 * Sets `key` to `value` and moves it to the front (§3.5 "Modified keys MUST be moved to the beginning");
 * when that makes 33 members, the right-most is removed (§3.3.1.1).
 */
export function updateTracestate(state: Tracestate, key: string, value: string): TracestateResult {
  const badKey = keyFailure(key);
  if (badKey) return badKey;
  const badValue = valueFailure(key, value);
  if (badValue) return badValue;
  const rest = state.filter((member) => member.key !== key);
  return ok([{ key, value }, ...rest].slice(0, TRACESTATE_MAX_MEMBERS));
}
