import type { AttributeValue, Attributes } from '../span';

/**
 * What the last span of one protobuf decode leaves for the next to share, as the JSON receiver's fast path
 * shares (receiver-span.ts): its trace id, bytes and text, so the spans of one trace (an exporter writes them
 * one after another) keep one string instead of one each; and its attributes, with their keys and values in
 * order, so a span whose attributes say the same keeps the same object. Nothing changes a decoded span's
 * attributes. Sharing saves the hex conversion and, above all, the garbage collector's copying of what every
 * stored span keeps.
 */
export class LastSpanFields {
  /** Offset of the last trace id's 16 bytes in the body, and its text; -1 and '' before the first. */
  traceIdAt = -1;
  traceId = '';
  attributes: Attributes | undefined = undefined;
  readonly keys: string[] = [];
  readonly values: AttributeValue[] = [];
}

/** Whether bytes [a, a + length) and [b, b + length) of `buf` are equal. */
function sameBytes(buf: Uint8Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

/**
 * The last trace id's text when the 16 bytes at `at` of `buf` (the same body) are the last trace id's, else
 * undefined: the caller decodes them and hands the result to {@link keepTraceId}.
 */
export function lastTraceId(last: LastSpanFields, buf: Uint8Array, at: number, length: number): string | undefined {
  return last.traceIdAt >= 0 && length === 16 && sameBytes(buf, at, last.traceIdAt, 16) ? last.traceId : undefined;
}

/** Remembers a decoded (valid, 16-byte) trace id at `at` as the last one. */
export function keepTraceId(last: LastSpanFields, at: number, traceId: string): void {
  last.traceIdAt = at;
  last.traceId = traceId;
}

/**
 * The last span's attributes when `fresh` holds the same keys with the same values in the same order (nested
 * values never compare equal: each span has its own), else `fresh`, remembered as the last ones.
 */
export function sharedAttributes(last: LastSpanFields, fresh: Attributes): Attributes {
  const { keys, values } = last;
  if (last.attributes !== undefined) {
    let i = 0;
    let same = true;
    for (const key in fresh) {
      if (i >= keys.length || key !== keys[i] || !Object.is(fresh[key], values[i])) {
        same = false;
        break;
      }
      i++;
    }
    if (same && i === keys.length) return last.attributes;
  }
  keys.length = 0;
  values.length = 0;
  for (const key in fresh) {
    keys.push(key);
    values.push(fresh[key] ?? null);
  }
  last.attributes = fresh;
  return fresh;
}
