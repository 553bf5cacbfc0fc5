/**
 * W3C Baggage `baggage` header: https://www.w3.org/TR/baggage/
 * Application key/value pairs with optional properties; values are percent-encoded UTF-8.
 */
import { headerLines, quote, trimOws } from './internal/header-text';
import type { HeaderInput } from './internal/header-text';
import { fail, ok } from './result';
import type { CodecResult } from './result';

/** A member property: `key` alone or `key=value` (value kept as sent; the spec gives it no encoding). */
export interface BaggageProperty {
  readonly key: string;
  readonly value?: string;
}

/** One list member; `value` is percent-decoded. */
export interface BaggageEntry {
  readonly key: string;
  readonly value: string;
  readonly properties: readonly BaggageProperty[];
}

/** A decoded W3C baggage header: its members in header order. */
export type Baggage = readonly BaggageEntry[];

/** Why a baggage header is refused. */
export type BaggageReason =
  | 'missing'
  | 'invalid-member'
  | 'invalid-key'
  | 'invalid-value'
  | 'invalid-property'
  | 'invalid-percent-encoding'
  | 'too-many-members'
  | 'too-long';

/** What {@link decodeBaggage} returns: the members, or the reason and message it was refused. */
export type BaggageResult = CodecResult<Baggage, BaggageReason>;

/** §3.3.1 Limits: at least 64 list-members must be propagated. */
export const BAGGAGE_MAX_MEMBERS = 64;
/** §3.3.1 Limits: at least 8192 bytes must be propagated. */
export const BAGGAGE_MAX_BYTES = 8192;

// §3.2.1 key = token (RFC 9110 §5.6.2): tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
// "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
const TOKEN_PATTERN = new RegExp(`^${TCHAR}+$`);
// §3.2.1 value = *baggage-octet; baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
const BAGGAGE_OCTET = '[\\x21\\x23-\\x2b\\x2d-\\x3a\\x3c-\\x5b\\x5d-\\x7e]';
const VALUE_PATTERN = new RegExp(`^${BAGGAGE_OCTET}*$`);
// TextEncoder rather than Buffer: the codecs also run in the web build.
const UTF8 = new TextEncoder();
const PERCENT_SEQUENCE = /%([0-9A-Fa-f]{2})?/g;

/** Decodes baggage; several header lines are combined in order. Empty members are ignored. Never throws. */
export function decodeBaggage(input: HeaderInput): BaggageResult {
  const lines = headerLines(input);
  if (lines.length === 0) return fail('missing', 'no baggage header was sent');
  const combined = lines.join(',');
  const bytes = UTF8.encode(combined).length;
  if (bytes > BAGGAGE_MAX_BYTES) {
    return fail(
      'too-long',
      `baggage has ${bytes} bytes, more than the ${BAGGAGE_MAX_BYTES} the spec requires to propagate`,
    );
  }
  const entries: BaggageEntry[] = [];
  for (const raw of combined.split(',')) {
    const member = trimOws(raw);
    if (member === '') continue;
    const [pair = '', ...propertyTexts] = member.split(';');
    const eq = pair.indexOf('=');
    if (eq < 0) return fail('invalid-member', `baggage member ${quote(member)} has no "=": write members as key=value`);
    const key = trimOws(pair.slice(0, eq));
    const rawValue = trimOws(pair.slice(eq + 1));
    if (!TOKEN_PATTERN.test(key)) {
      return fail(
        'invalid-key',
        `baggage key ${quote(key)} is not an HTTP token (letters, digits and !#$%&'*+-.^_\`|~)`,
      );
    }
    if (!VALUE_PATTERN.test(rawValue)) {
      return fail(
        'invalid-value',
        `baggage value of ${quote(key)} contains a space, quote, comma, semicolon or backslash: percent-encode it`,
      );
    }
    const value = percentDecode(rawValue);
    if (value === undefined) {
      return fail(
        'invalid-percent-encoding',
        `baggage value of ${quote(key)} has a "%" not followed by two hex digits: encode "%" as %25`,
      );
    }
    const properties: BaggageProperty[] = [];
    for (const propertyText of propertyTexts) {
      const property = parseProperty(trimOws(propertyText));
      if (!property) {
        return fail(
          'invalid-property',
          `baggage property ${quote(propertyText)} of ${quote(key)} is not key or key=value`,
        );
      }
      properties.push(property);
    }
    entries.push({ key, value, properties });
    if (entries.length > BAGGAGE_MAX_MEMBERS) {
      return fail('too-many-members', `baggage has more than ${BAGGAGE_MAX_MEMBERS} members: send fewer`);
    }
  }
  return ok(entries);
}

function parseProperty(text: string): BaggageProperty | undefined {
  const eq = text.indexOf('=');
  if (eq < 0) return TOKEN_PATTERN.test(text) ? { key: text } : undefined;
  const key = trimOws(text.slice(0, eq));
  const value = trimOws(text.slice(eq + 1));
  return TOKEN_PATTERN.test(key) && VALUE_PATTERN.test(value) ? { key, value } : undefined;
}

/** §3.2.1.1: percent-decode to UTF-8; invalid UTF-8 becomes U+FFFD as the spec says. Undefined on a bare "%". */
function percentDecode(text: string): string | undefined {
  if (!text.includes('%')) return text;
  let malformed = false;
  PERCENT_SEQUENCE.lastIndex = 0;
  const latin = text.replace(PERCENT_SEQUENCE, (_all, hex: string | undefined) => {
    if (hex === undefined) {
      malformed = true;
      return '';
    }
    return String.fromCharCode(parseInt(hex, 16));
  });
  if (malformed) return undefined;
  const bytes = new Uint8Array(latin.length);
  for (let i = 0; i < latin.length; i++) bytes[i] = latin.charCodeAt(i);
  return new TextDecoder('utf-8').decode(bytes);
}

const SAFE_OCTET = /[\x21\x23-\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]/;

/** Percent-encodes everything outside baggage-octet, and "%" itself (§3.2.1.1). */
function percentEncode(value: string): string {
  let out = '';
  for (const byte of UTF8.encode(value)) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && SAFE_OCTET.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Encodes `key=value;prop;prop=v,...`. Total: members or properties with invalid keys are skipped, and
 * members past the 64-member or 8192-byte limits are dropped, so the output always decodes.
 */
export function encodeBaggage(baggage: Baggage): string {
  const parts: string[] = [];
  let length = 0;
  for (const entry of baggage) {
    if (parts.length === BAGGAGE_MAX_MEMBERS) break;
    if (!TOKEN_PATTERN.test(entry.key)) continue;
    let text = `${entry.key}=${percentEncode(entry.value)}`;
    for (const property of entry.properties) {
      if (!TOKEN_PATTERN.test(property.key)) continue;
      if (property.value === undefined) text += `;${property.key}`;
      else if (VALUE_PATTERN.test(property.value)) text += `;${property.key}=${property.value}`;
    }
    const added = text.length + (parts.length > 0 ? 1 : 0);
    if (length + added > BAGGAGE_MAX_BYTES) continue;
    parts.push(text);
    length += added;
  }
  return parts.join(',');
}
