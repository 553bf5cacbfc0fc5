/**
 * Unix nanoseconds as decimal strings <-> epoch milliseconds. Nanosecond times exceed 2^53, so they are
 * split into whole milliseconds and the remaining nanoseconds instead of going through one float.
 */

/** Milliseconds (with a fractional part) from a decimal nanosecond string; undefined if not digits below 2^64. */
export function nanosStringToMs(text: string): number | undefined {
  const length = text.length;
  // Empty, or beyond OTLP's fixed64 (2^64 - 1 has 20 digits; equal lengths of digits compare as numbers).
  if (length === 0 || length > 20 || (length === 20 && text > '18446744073709551615')) return undefined;
  // One pass over the characters, no slices: this runs twice per span.
  const split = length - 6;
  let ms = 0;
  let nanos = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    if (i < split) ms = ms * 10 + digit;
    else nanos = nanos * 10 + digit;
  }
  return ms + nanos / 1e6;
}

/** Decimal nanosecond string from milliseconds, kept to whole nanoseconds. */
export function msToNanosString(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0';
  let whole = Math.floor(ms);
  let nanos = Math.round((ms - whole) * 1e6);
  if (nanos >= 1e6) {
    whole += 1;
    nanos -= 1e6;
  }
  if (whole === 0) return String(nanos);
  return `${whole}${String(nanos).padStart(6, '0')}`;
}
