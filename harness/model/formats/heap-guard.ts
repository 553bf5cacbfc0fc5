import { getHeapStatistics } from 'node:v8';
import { failure } from '../../internal/messages';
import type { DecodeFailure } from '../decode-reason';

/**
 * The share of V8's old space the spans read may fill. Checking them needs about two thirds as much again as
 * reading them holds (a checkout dump of 420k spans: 146 MB live after reading, 164 MB in use with garbage;
 * V8 out of heap with a 224 MB old space and not with 288 MB), so past this share the check would end in V8's
 * own "JavaScript heap out of memory".
 */
export const HEAP_SHARE = 0.6;

/**
 * What V8's heap limit holds besides the old space, where the spans read live: the young generation, three
 * semi-spaces of 16 MB on 64-bit V8 (heap_size_limit is --max-old-space-size plus 48 MB).
 */
const YOUNG_BYTES = 48 * 2 ** 20;

/** Spans read between two looks at the heap: one look costs about a microsecond. */
export const HEAP_LOOK_EVERY = 1 << 12;

/** The heap in use and the old space's limit, in MB, when the spans read fill more than HEAP_SHARE of it; else undefined. */
export function heapNearlyFull(): { usedMb: number; limitMb: number } | undefined {
  const { used_heap_size: used, heap_size_limit: heapLimit } = getHeapStatistics();
  const limit = Math.max(heapLimit - YOUNG_BYTES, heapLimit / 2);
  if (used <= limit * HEAP_SHARE) return undefined;
  return { usedMb: Math.round(used / 2 ** 20), limitMb: Math.round(limit / 2 ** 20) };
}

/**
 * The failure that stops reading before V8 runs out of heap: `spans` read from `file` (up to `line`, when
 * read by line), the heap they fill, and how to go on: more heap (twice as much, rounded up to a GB), or the
 * dump split by time.
 */
export function heapFailure(
  file: string,
  spans: number,
  heap: { usedMb: number; limitMb: number },
  line?: number,
): DecodeFailure {
  const upTo = line !== undefined ? ` up to line ${line}` : '';
  const cause = `the ${spans} spans read${upTo} (and those of the files before it) fill ${heap.usedMb} MB of the ${heap.limitMb} MB of heap Node.js may use, and checking them needs about two thirds as much again: V8 would stop with "JavaScript heap out of memory"`;
  const more = Math.ceil((heap.limitMb * 2) / 1024) * 1024;
  const hint = `Give Node.js more heap (NODE_OPTIONS=--max-old-space-size=${more}, in MB, before the tracehop command; more still if the dump goes on well past this point), or split the dump by time and check each part.`;
  return tooLargeFailure(file, line, cause, hint);
}

/** A dump too large to read (`too-large`): the heap it would fill, or a document or line no string can hold. */
export function tooLargeFailure(file: string, line: number | undefined, cause: string, hint: string): DecodeFailure {
  return {
    ok: false,
    reason: 'too-large',
    file,
    ...(line !== undefined ? { line } : {}),
    message: failure(`read spans from "${file}"`, cause, hint),
  };
}
