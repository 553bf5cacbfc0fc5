import { existsSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Span, SpanSource } from '../span';
import { detectJsonFormat, sniffBytes, type JsonDumpFormat } from './dump-format';
import { decodeDumpPart, type DumpPart, type DumpPartCounts } from './dump-part';
import { documentHeap } from './heap-guard';
import type { DumpWorkerMessage, DumpWorkerTask } from './dump-worker-protocol';
import { readSpanBatch } from './span-batch';

/**
 * Reads a large JSON Lines dump with threads: the file is cut at line boundaries into one part per thread;
 * the main thread decodes the first part itself while worker threads each parse and decode one of the others
 * (JSON.parse is most of the cost of `tracehop check`) and post their spans packed (span-batch.ts), which the
 * main thread unpacks in file order. Only a plain JSON Lines file whose first line is a document of a known
 * format qualifies; anything else, and any line a thread cannot read, is left to the ordinary reader, which
 * gives the verdict and the exact error. So this path never changes what is read, only how fast. It runs
 * from the compiled package (dist/), where dump-worker.js sits beside it.
 */

/** Files below this size are read on the main thread: starting workers would cost more than they save. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

/** How to read in parallel; tests lower the threshold and pick the number of workers. */
export interface ParallelReadOptions {
  /**
   * Threads that read, the main thread included (so 2 starts one worker). Default: on 4 or more cores, one
   * per core, at most 4; on fewer, the main thread alone (on 2 cores a second thread costs, in packing,
   * unpacking and contention for memory, what it saves: `npm run bench` measures both ways). Fewer than 2
   * reads on the main thread alone.
   */
  readonly workers?: number;
  /** Smallest file worth it, in bytes (default PARALLEL_MIN_BYTES). */
  readonly minBytes?: number;
}

/** The spans of a file read in parallel, its format, and what else its lines held (DumpPartCounts). */
export interface ParallelRead extends DumpPartCounts {
  readonly spans: Span[];
  readonly format: JsonDumpFormat;
}

const BATCH_SPANS = 8192;

/** Threads that read by default on `cores` cores, the main thread included (see ParallelReadOptions.workers). */
export function defaultWorkers(cores: number): number {
  return cores >= 4 ? Math.min(cores, 4) : 1;
}
const PROBE_BYTES = 1 << 16;

/** Reads bytes from `position` until a newline; the offset just past it, or `limit` when there is none. */
async function nextLineStart(handle: FileHandle, position: number, limit: number): Promise<number> {
  const probe = Buffer.alloc(PROBE_BYTES);
  for (let at = position; at < limit;) {
    const { bytesRead } = await handle.read(probe, 0, PROBE_BYTES, at);
    if (bytesRead === 0) break;
    const newline = probe.subarray(0, bytesRead).indexOf(0x0a);
    if (newline !== -1) return at + newline + 1;
    at += bytesRead;
  }
  return limit;
}

/** Reads bytes [start, end) of the file. */
async function readRange(handle: FileHandle, start: number, end: number): Promise<Buffer> {
  const bytes = Buffer.alloc(end - start);
  let done = 0;
  while (done < bytes.length) {
    const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return bytes.subarray(0, done);
}

/**
 * Where to cut the file and in what format to read it; undefined when the file is not JSON Lines of a known
 * format (a binary file, one pretty-printed document, a first line that is not a document of its own).
 */
async function plan(
  path: string,
  size: number,
  parts: number,
  maxBytes: number,
  forced: JsonDumpFormat | undefined,
): Promise<{ format: JsonDumpFormat; cuts: number[] } | undefined> {
  const handle = await open(path, 'r');
  try {
    const firstEnd = await nextLineStart(handle, 0, Math.min(size, maxBytes + 4));
    if (firstEnd >= size) return undefined;
    const first = await readRange(handle, 0, firstEnd - 1);
    const bom = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf ? 3 : 0;
    const line = first.subarray(bom);
    if (sniffBytes(line) !== 'json') return undefined;
    // A first line the heap cannot hold parsed: the ordinary reader refuses it before JSON.parse, as it must be.
    if (documentHeap(line.length, false) !== undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      return undefined;
    }
    const format = forced ?? detectJsonFormat(value);
    if (format === undefined) return undefined;
    const cuts = [bom];
    for (let k = 1; k < parts; k++) {
      const cut = await nextLineStart(handle, Math.floor((size * k) / parts), size);
      if (cut > (cuts[cuts.length - 1] ?? 0) && cut < size) cuts.push(cut);
    }
    cuts.push(size);
    return cuts.length > 2 ? { format, cuts } : undefined;
  } finally {
    await handle.close();
  }
}

/** The compiled worker script; absent when this module runs from its TypeScript source (ts-jest, ts-node). */
const WORKER_SCRIPT = join(__dirname, 'dump-worker.js');

type MutableSource = { -readonly [K in keyof SpanSource]: SpanSource[K] };

/**
 * Reads a JSON Lines dump with several threads. Undefined when the file does not qualify, or a thread could
 * not read its part (a bad line, a worker that crashed): the caller then reads the file the ordinary way.
 * Never rejects.
 */
export async function readDumpParallel(
  path: string,
  label: string,
  size: number,
  maxBytes: number,
  forced: JsonDumpFormat | undefined,
  options: ParallelReadOptions = {},
): Promise<ParallelRead | undefined> {
  const workers = options.workers ?? defaultWorkers(availableParallelism());
  if (workers < 2 || size < (options.minBytes ?? PARALLEL_MIN_BYTES) || !existsSync(WORKER_SCRIPT)) return undefined;
  let planned: Awaited<ReturnType<typeof plan>>;
  try {
    planned = await plan(path, size, workers, maxBytes, forced);
  } catch {
    return undefined;
  }
  if (planned === undefined) return undefined;
  const { format, cuts } = planned;
  const parts = cuts.length - 1;

  return new Promise((resolve) => {
    const spans: Span[][] = [];
    const sources: Array<Map<number, MutableSource>> = [];
    const lines: number[] = [];
    let base64Ids = 0;
    let otherSignals = 0;
    let finished = 0;
    let settled = false;
    const started: Worker[] = [];
    // Stops this thread's part when another part fails: the ordinary reader then reads the whole file.
    const stopFirst = new AbortController();
    const settle = (result: ParallelRead | undefined): void => {
      if (settled) return;
      settled = true;
      for (const worker of started) void worker.terminate();
      stopFirst.abort();
      resolve(result);
    };
    const partDone = (k: number, partLines: number, counts: DumpPartCounts): void => {
      lines[k] = partLines;
      base64Ids += counts.base64Ids;
      otherSignals += counts.otherSignals;
      if (++finished < parts) return;
      // Line numbers were counted per part: shift each later part's by the lines before it.
      let offset = 0;
      for (let j = 0; j < parts; j++) {
        for (const source of sources[j]?.values() ?? []) source.line = (source.line ?? 0) + offset;
        offset += lines[j] ?? 0;
      }
      settle({ spans: ([] as Span[]).concat(...spans), format, base64Ids, otherSignals });
    };
    const part = (k: number): DumpPart => ({
      path,
      label,
      start: cuts[k] ?? 0,
      end: cuts[k + 1] ?? size,
      format,
      forced,
      maxBytes,
    });
    for (let k = 0; k < parts; k++) {
      spans.push([]);
      sources.push(new Map());
    }
    for (let k = 1; k < parts; k++) {
      const own = spans[k] as Span[];
      const lineSources = sources[k] as Map<number, MutableSource>;
      const sourceOf = (line: number): SpanSource => {
        let source = lineSources.get(line);
        if (source === undefined)
          lineSources.set(line, (source = { file: label, line, ...(format === 'zipkin' ? { format } : {}) }));
        return source;
      };
      const task: DumpWorkerTask = { ...part(k), batchSpans: BATCH_SPANS };
      let worker: Worker;
      try {
        worker = new Worker(WORKER_SCRIPT, { workerData: task, resourceLimits: { maxYoungGenerationSizeMb: 48 } });
      } catch {
        settle(undefined);
        return;
      }
      started.push(worker);
      let done = false;
      worker.on('message', (message: DumpWorkerMessage) => {
        if (message.kind === 'batch') readSpanBatch(message.batch, sourceOf, own);
        else if (message.kind === 'failed') settle(undefined);
        else {
          done = true;
          partDone(k, message.lines, message);
        }
      });
      worker.on('error', () => settle(undefined));
      worker.on('exit', () => {
        if (!done) settle(undefined);
      });
    }
    // The first part, on this thread, while the workers read theirs: its line numbers need no shift.
    const first = spans[0] as Span[];
    void decodeDumpPart(
      part(0),
      (decoded) => {
        for (const span of decoded) first.push(span);
      },
      stopFirst.signal,
    ).then((outcome) => (outcome.ok ? partDone(0, outcome.lines, outcome) : settle(undefined)));
  });
}
