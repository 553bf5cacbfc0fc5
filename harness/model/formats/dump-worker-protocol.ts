import type { DumpFormat } from './dump-format';
import type { SpanBatch } from './span-batch';

/** What the parallel dump reader asks of one worker (dump-worker.ts): its part of the file. */
export interface DumpWorkerTask {
  readonly path: string;
  readonly label: string;
  /** Bytes [start, end) of the file; both at line boundaries. */
  readonly start: number;
  readonly end: number;
  /** The file's format, as its first line showed. */
  readonly format: Exclude<DumpFormat, 'otlp-proto'>;
  /** Bytes a line may have. */
  readonly maxBytes: number;
  /** Spans per batch. */
  readonly batchSpans: number;
}

/** What a worker posts: batches of spans, then `done` with its line count, or `failed` at the first bad line. */
export type DumpWorkerMessage =
  | { readonly kind: 'batch'; readonly batch: SpanBatch }
  | { readonly kind: 'done'; readonly lines: number; readonly base64Ids: number }
  | { readonly kind: 'failed' };
