/**
 * Unix nanoseconds as decimal strings <-> epoch milliseconds. Nanosecond times exceed 2^53, so they are
 * split into whole milliseconds and the remaining nanoseconds instead of going through one float.
 */

const DIGITS = /^\d+$/;

/** Milliseconds (with a fractional part) from a decimal nanosecond string; undefined if not digits. */
export function nanosStringToMs(text: string): number | undefined {
  if (!DIGITS.test(text)) return undefined;
  if (text.length <= 6) return Number(text) / 1e6;
  return Number(text.slice(0, -6)) + Number(text.slice(-6)) / 1e6;
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
