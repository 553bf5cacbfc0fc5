import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { failure } from '../../internal/messages';
import type { DecodeFailure } from '../decode-reason';

/**
 * The share of V8's old space the spans read may fill, live (garbage collected). Checking them needs about two
 * thirds as much again as reading them holds (a checkout dump of 154k spans: 56.4 MB live after reading, 92 MB
 * at the check's peak), so past this share the check would end in V8's own "JavaScript heap out of memory"
 * (with a 96 MB old space 154k spans are checked; 168k end in V8's out of memory).
 */
export const HEAP_SHARE = 0.6;

/**
 * What V8's heap limit holds besides the old space, where the spans read live: the young generation, three
 * semi-spaces of 16 MB on 64-bit V8 (heap_size_limit is --max-old-space-size plus 48 MB, for 4 MB as for 4 GB).
 */
const YOUNG_BYTES = 48 * 2 ** 20;

/** Spans read between two looks at the heap: one look costs about a microsecond. */
export const HEAP_LOOK_EVERY = 1 << 12;

/**
 * Heap a JSON document takes besides its text (a string in the heap already when it is looked at), per byte of
 * it, from its parse to the end of its check. Measured on the largest one-line documents checked and the smallest
 * that ran out of heap (MB of 2^20 bytes; OTLP/JSON: 25.6 and 26.8 with a 96 MB old space, 69.8 and 74.5 with
 * 256 MB; Jaeger's /api/traces: 23.2 and 26.5, 69.7 and 73.0), it lies between 2.44 and 2.57: the parsed values
 * (1.85 bytes a byte) and the spans made of them. A pretty-printed document is taken at its size too, though
 * its indentation parses to nothing.
 */
export const PARSE_HEAP_PER_BYTE = 2.5;

/** Documents (or lines) shorter than this are parsed without a look at the heap: they cannot matter. */
export const DOCUMENT_LOOK_BYTES = 1 << 20;

const MB = 2 ** 20;

/**
 * V8's full collection, to tell live spans from garbage not yet collected (the heap in use holds both: up to a
 * third more than the live spans while a dump is read). `gc` when Node.js runs with --expose-gc; else exposed
 * for a context of its own (V8's flag set at run time, as Jest's leak detector does) and the flag set back off
 * at once: left on, every context made after it (each later test file of a Jest worker, a host's own vm
 * contexts) would get a global `gc` it never asked for. Undefined where neither works, and then the heap in use
 * is taken as live, as before.
 */
let collect: (() => void) | null | undefined;
function fullCollection(): (() => void) | undefined {
  if (collect === undefined) {
    const own: unknown = (globalThis as { gc?: unknown }).gc;
    try {
      if (typeof own === 'function') collect = own as () => void;
      else collect = exposedCollection();
    } catch {
      collect = null;
    }
  }
  return collect ?? undefined;
}

/** V8's `gc` of a new context, with --expose-gc left as it was (on when Node.js runs with it). */
function exposedCollection(): (() => void) | null {
  // This global (a Jest test's, say) may lack the `gc` a new context gets: then the flag is on already.
  const already: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
  if (typeof already === 'function') return already as () => void;
  setFlagsFromString('--expose-gc');
  try {
    const exposed: unknown = runInNewContext('gc');
    return typeof exposed === 'function' ? (exposed as () => void) : null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/** The heap in use and the old space's limit, in bytes. */
function heapNow(): { used: number; limit: number } {
  const { used_heap_size: used, heap_size_limit: heapLimit } = getHeapStatistics();
  // Not half the heap limit when that is more: with --max-old-space-size=32, the 40 MB it said let live spans
  // fill 75% of the 32 MB old space, and the check ran out of heap.
  return { used, limit: heapLimit > YOUNG_BYTES ? heapLimit - YOUNG_BYTES : heapLimit / 2 };
}

/** The heap in use once garbage is collected (as in use, where no collection can be had). */
function liveHeap(): number {
  const gc = fullCollection();
  if (gc !== undefined) gc();
  return getHeapStatistics().used_heap_size;
}

/**
 * Heap in use under which a look past HEAP_SHARE is taken for garbage without collecting again: a collection
 * found the spans live well below the share, and they cannot have grown past it before the heap grows by the
 * room they had. Never above halfway from the share to the limit, so reading on cannot run out of heap.
 */
let lookAgainAt = 0;

/**
 * The heap the spans read fill and the old space's limit, in MB, when they fill more than HEAP_SHARE of it; else
 * undefined. The heap in use is only a first look: past the share, garbage is collected and the spans live are
 * judged. `exact` (the last look, once every file is read) collects whenever the heap in use is past the share.
 */
export function heapNearlyFull(exact = false): { usedMb: number; limitMb: number } | undefined {
  const { used, limit } = heapNow();
  const share = limit * HEAP_SHARE;
  if (used <= share || (!exact && used < lookAgainAt)) return undefined;
  const live = liveHeap();
  if (live <= share) {
    lookAgainAt = Math.min(2 * share - live, (share + limit) / 2);
    return undefined;
  }
  return { usedMb: Math.round(live / MB), limitMb: Math.round(limit / MB) };
}

/**
 * Whether a JSON document (or line) of `bytes` can be parsed and checked: undefined when it can, else the heap it
 * needs, the heap in use (garbage collected) and the old space's limit, in MB. `textHeld`: its text is a string
 * already (a line); else it is still bytes (a document read whole). Parsed, a document's values take
 * nearly twice its size at once: one that does not fit ends in V8's out of memory inside JSON.parse, where no
 * look between spans can stop it.
 */
export function documentHeap(
  bytes: number,
  textHeld: boolean,
): { needMb: number; usedMb: number; limitMb: number } | undefined {
  if (bytes < DOCUMENT_LOOK_BYTES) return undefined;
  // A document read whole is held in bytes outside the heap until its text is made: that is its size more.
  const need = bytes * (PARSE_HEAP_PER_BYTE + (textHeld ? 0 : 1));
  const { used, limit } = heapNow();
  if (used + need <= limit) return undefined;
  const live = liveHeap();
  if (live + need <= limit) return undefined;
  return { needMb: Math.ceil(need / MB), usedMb: Math.round(live / MB), limitMb: Math.round(limit / MB) };
}

/** More heap to give Node.js than `mb`: twice as much, rounded up to a GB. */
function moreHeap(mb: number): number {
  return Math.ceil((mb * 2) / 1024) * 1024;
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
  const more = moreHeap(heap.limitMb);
  const hint = `Give Node.js more heap (NODE_OPTIONS=--max-old-space-size=${more}, in MB, before the tracehop command; more still if the dump goes on well past this point), or split the dump by time and check each part.`;
  return tooLargeFailure(file, line, cause, hint);
}

/**
 * The failure that stops before parsing a JSON document (on `line`, when read by line) of `bytes` that the heap
 * cannot hold parsed (documentHeap), with how to go on: more heap, or `split` (the command that splits it into
 * JSON Lines, splitHint), whose lines are parsed one at a time.
 */
export function documentHeapFailure(
  file: string,
  bytes: number,
  heap: { needMb: number; usedMb: number; limitMb: number },
  split: string,
  line?: number,
): DecodeFailure {
  const what = line !== undefined ? `the document on line ${line}` : 'the document';
  const { cause, more } = documentHeapWords(what, bytes, heap);
  return tooLargeFailure(file, line, cause, `${split} Or ${more}.`);
}

/**
 * What documentHeapFailure says of JSON (`what`: "the document on line 3") of `bytes` that the heap cannot hold
 * parsed, and the heap to give instead ("give Node.js more heap (NODE_OPTIONS=...)"), for readers that name
 * their document otherwise (a zstd-compressed frame of a protobuf file).
 */
export function documentHeapWords(
  what: string,
  bytes: number,
  heap: { needMb: number; usedMb: number; limitMb: number },
): { cause: string; more: string } {
  return {
    cause: `${what} is ${Math.round(bytes / MB)} MB of JSON, and parsing it takes about ${heap.needMb} MB of heap at once, more than the ${heap.limitMb - heap.usedMb} MB left of the ${heap.limitMb} MB Node.js may use: V8 would stop with "JavaScript heap out of memory"`,
    more: `give Node.js more heap (NODE_OPTIONS=--max-old-space-size=${moreHeap(heap.usedMb + heap.needMb)}, in MB, before the tracehop command)`,
  };
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
