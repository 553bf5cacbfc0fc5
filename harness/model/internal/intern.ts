/**
 * A bounded string pool, so spans decoded from many documents share one copy of the strings they repeat
 * (trace ids within a trace, span names, attribute values, service names) instead of one per span.
 * Long strings are not pooled (rarely repeated, costly to hash); when the pool is full it starts over, so
 * its memory stays bounded whatever the input.
 */
const MAX_LENGTH = 128;
const MAX_ENTRIES = 65_536;

let pool = new Map<string, string>();

/** The pooled string equal to `text` (or `text` itself, now pooled). */
export function intern(text: string): string {
  if (text.length > MAX_LENGTH) return text;
  const known = pool.get(text);
  if (known !== undefined) return known;
  if (pool.size >= MAX_ENTRIES) pool = new Map();
  pool.set(text, text);
  return text;
}
