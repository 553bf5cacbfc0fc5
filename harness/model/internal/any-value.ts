import type { AttributeValue } from '../span';
import type { NonFiniteDouble, OtlpAnyValue, OtlpKeyValue } from '../otlp-json-types';
import type { Failure } from '../../internal/result';
import { shownValue } from '../../internal/shown-value';

/** Encodes one attribute value as an OTLP `AnyValue`. */
export function encodeAnyValue(value: AttributeValue): OtlpAnyValue {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    // int64 is a decimal string in the JSON encoding; non-integers and huge numbers stay doubles. NaN and the
    // infinities are the strings proto3 JSON gives them: JSON.stringify would write null, an empty value.
    if (Number.isSafeInteger(value)) return { intValue: String(value) };
    return Number.isFinite(value) ? { doubleValue: value } : { doubleValue: String(value) as NonFiniteDouble };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map(encodeAnyValue) } };
  return {
    kvlistValue: { values: Object.entries(value).map(([key, item]) => ({ key, value: encodeAnyValue(item) })) },
  };
}

/**
 * Result of decoding an `AnyValue`: the value, or where it is wrong as a JSON path suffix relative to the
 * value (e.g. `.arrayValue.values[2]`), built only on failure so the happy path allocates no paths.
 */
export type AnyValueResult = { ok: true; value: AttributeValue } | AnyValueFailure;

/** `too-deep`: arrays or maps nest deeper than {@link MAX_ANY_VALUE_DEPTH}; `invalid-value`: anything else. */
export type AnyValueReason = 'too-deep' | 'invalid-value';

/** Where (a JSON path suffix) and why an `AnyValue` or `KeyValue` list is wrong. */
export type AnyValueFailure = Failure<AnyValueReason> & { readonly path: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Whether a decimal string INT64 matched fits int64. */
function inInt64(int: string): boolean {
  // Up to 18 digits always fits; only longer strings need a BigInt.
  if (int.replace(/^-?0*/, '').length <= 18) return true;
  const big = BigInt(int);
  return big >= INT64_MIN && big <= INT64_MAX;
}

const INT64 = /^-?\d+$/;
const DOUBLE_WORDS = new Set(['NaN', 'Infinity', '-Infinity']);

/** Arrays and maps nest at most this deep; deeper input is refused rather than risking the stack. */
export const MAX_ANY_VALUE_DEPTH = 32;

/** Decodes an OTLP `AnyValue` (lenient about int64 as string or number). */
export function decodeAnyValue(input: unknown, depth = 0): AnyValueResult {
  if (input === undefined || input === null) return { ok: true, value: null };
  if (depth > MAX_ANY_VALUE_DEPTH)
    return {
      ok: false,
      reason: 'too-deep',
      path: '',
      message: `nests arrays or maps deeper than ${MAX_ANY_VALUE_DEPTH} levels`,
    };
  if (!isRecord(input)) return { ok: false, reason: 'invalid-value', path: '', message: 'is not an AnyValue object' };
  if (typeof input.stringValue === 'string') return { ok: true, value: input.stringValue };
  if (typeof input.boolValue === 'boolean') return { ok: true, value: input.boolValue };
  // proto3 JSON reads null as an unset field; OpenTelemetry JS's JSON serializer writes NaN and ±Infinity as
  // null (JSON.stringify), so `{"doubleValue": null}` is an empty AnyValue, not a broken document.
  if (input.intValue !== undefined && input.intValue !== null) {
    const int = input.intValue;
    // int64 is a decimal string in proto3 JSON; some writers use a plain number.
    const valid = typeof int === 'number' ? Number.isInteger(int) : typeof int === 'string' && INT64.test(int);
    if (!valid)
      return {
        ok: false,
        reason: 'invalid-value',
        path: '.intValue',
        message: `${shownValue(int)} is not an integer`,
      };
    // A decimal string is proto3 JSON of a real int64: beyond int64 it is corrupt, not a value to round.
    // A number may be any integer: OpenTelemetry JS writes an attribute of 1e23 as {"intValue": 1e23}.
    if (typeof int === 'string' && !inInt64(int))
      return {
        ok: false,
        reason: 'invalid-value',
        path: '.intValue',
        message: `${shownValue(int)} is outside int64 (-2^63 to 2^63-1)`,
      };
    return { ok: true, value: Number(int) };
  }
  if (input.doubleValue !== undefined && input.doubleValue !== null) {
    const double = input.doubleValue;
    // proto3 JSON writes NaN and infinities as strings, and may quote any double.
    const valid =
      typeof double === 'number' ||
      (typeof double === 'string' &&
        (DOUBLE_WORDS.has(double) || (double.trim() !== '' && Number.isFinite(Number(double)))));
    return valid
      ? { ok: true, value: Number(double) }
      : {
          ok: false,
          reason: 'invalid-value',
          path: '.doubleValue',
          message: `${shownValue(double)} is not a number`,
        };
  }
  if (typeof input.bytesValue === 'string') return { ok: true, value: input.bytesValue };
  // Rust's opentelemetry-stdout (0.1 to 0.5) writes an array's and a map's values as a bare list, with no
  // "values" object around them.
  const bareArray = Array.isArray(input.arrayValue);
  if (bareArray || isRecord(input.arrayValue)) {
    const values = bareArray ? input.arrayValue : ((input.arrayValue as Record<string, unknown>).values ?? []);
    const at = bareArray ? '.arrayValue' : '.arrayValue.values';
    if (!Array.isArray(values)) return { ok: false, reason: 'invalid-value', path: at, message: 'is not an array' };
    const out: AttributeValue[] = [];
    for (let i = 0; i < values.length; i++) {
      const item = decodeAnyValue(values[i], depth + 1);
      if (!item.ok) return { ...item, path: `${at}[${i}]${item.path}` };
      out.push(item.value);
    }
    return { ok: true, value: out };
  }
  const bareMap = Array.isArray(input.kvlistValue);
  if (bareMap || isRecord(input.kvlistValue)) {
    const decoded = decodeKeyValues(
      bareMap ? input.kvlistValue : (input.kvlistValue as Record<string, unknown>).values,
      depth + 1,
    );
    return decoded.ok ? decoded : { ...decoded, path: `.kvlistValue${bareMap ? '' : '.values'}${decoded.path}` };
  }
  for (const field of ['arrayValue', 'kvlistValue'] as const) {
    if (input[field] !== undefined && input[field] !== null)
      return { ok: false, reason: 'invalid-value', path: `.${field}`, message: 'is not an object with "values"' };
  }
  // An empty AnyValue stands for an empty value.
  return { ok: true, value: null };
}

/** Decodes a `KeyValue[]` list into a plain record; a failure's path is relative to the list. */
export function decodeKeyValues(
  input: unknown,
  depth = 0,
): { ok: true; value: Record<string, AttributeValue> } | AnyValueFailure {
  const out: Record<string, AttributeValue> = {};
  if (input === undefined || input === null) return { ok: true, value: out };
  if (!Array.isArray(input))
    return { ok: false, reason: 'invalid-value', path: '', message: 'is not an array of key-value pairs' };
  for (let i = 0; i < input.length; i++) {
    const entry: unknown = input[i];
    if (!isRecord(entry) || typeof entry.key !== 'string') {
      return {
        ok: false,
        reason: 'invalid-value',
        path: `[${i}]`,
        message: 'is not a key-value pair with a string "key"',
      };
    }
    const value = decodeAnyValue(entry.value, depth);
    if (!value.ok) return { ...value, path: `[${i}].value${value.path}` };
    setAttribute(out, entry.key, value.value);
  }
  return { ok: true, value: out };
}

/** Encodes a record as a `KeyValue[]` list. */
export function encodeKeyValues(record: Readonly<Record<string, AttributeValue>>): OtlpKeyValue[] {
  return Object.entries(record).map(([key, value]) => ({ key, value: encodeAnyValue(value) }));
}

/** Plain assignment would turn a hostile "__proto__" key into a prototype change; define it as data instead. */
export function setAttribute(into: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (key === '__proto__')
    Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
  else into[key] = value;
}
