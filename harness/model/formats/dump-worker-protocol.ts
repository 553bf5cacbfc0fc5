import type { DumpPart, DumpPartCounts } from './dump-part';
import type { SpanBatch } from './span-batch';

/** What the parallel dump reader asks of one worker (dump-worker.ts): its part of the file. */
export interface DumpWorkerTask extends DumpPart {
  /** Spans per batch. */
  readonly batchSpans: number;
}

/** What a worker posts: batches of spans, then `done` with its line count, or `failed` at the first bad line. */
export type DumpWorkerMessage =
  | { readonly kind: 'batch'; readonly batch: SpanBatch }
  | ({ readonly kind: 'done'; readonly lines: number } & DumpPartCounts)
  | { readonly kind: 'failed' };
