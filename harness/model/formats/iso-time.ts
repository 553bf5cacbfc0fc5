/**
 * RFC 3339 times as the SDKs' debugging prints write them: OpenTelemetry Go's stdouttrace (Go's
 * time.RFC3339Nano: up to 9 fractional digits, trailing zeros dropped, the zone offset of the process, e.g.
 * "2026-12-04T22:10:39.728489284+05:30") and OpenTelemetry Python's ReadableSpan.to_json (6 fractional
 * digits and "Z", e.g. "2026-12-04T16:40:39.728489Z").
 */
import { shownValue } from '../../internal/shown-value';
import { JsonFault } from './json-fault';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Go's zero time.Time, which stdouttrace writes for every time under WithoutTimestamps(). */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Epoch milliseconds (the fraction keeps what a double holds of the nanoseconds) of an RFC 3339 time with a
 * zone, or undefined when `text` is none or names a date or time that does not exist.
 */
export function isoTimeToMs(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  )
    return undefined;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  )
    return undefined;
  let offsetMinutes = 0;
  if (match[8] === undefined) {
    const hours = Number(match[10]);
    const minutes = Number(match[11]);
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const fraction = match[7] ?? '';
  // The digits as nanoseconds (an integer, exact), then as milliseconds.
  const nanos = fraction === '' ? 0 : Number(fraction.padEnd(9, '0'));
  return date.getTime() - offsetMinutes * 60_000 + nanos / 1e6;
}

/** A required time at `path`; `example` shows the form expected. */
export function readIsoTime(value: unknown, path: string, example: string): number {
  if (value === undefined || value === null || value === '')
    throw new JsonFault(path, `is missing: a span needs its start and end times (RFC 3339, as ${example})`);
  const ms = typeof value === 'string' ? isoTimeToMs(value) : undefined;
  if (ms === undefined)
    throw new JsonFault(path, `${shownValue(value)} is not a time in RFC 3339 with a zone, as ${example}`);
  return ms;
}
