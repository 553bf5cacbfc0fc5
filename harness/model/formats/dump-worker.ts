import { parentPort, workerData } from 'node:worker_threads';
import { decodeDumpPart } from './dump-part';
import type { DumpWorkerMessage, DumpWorkerTask } from './dump-worker-protocol';
import { SpanBatchWriter } from './span-batch';

/**
 * A worker thread of the parallel dump reader (read-dump-parallel.ts): decodes the JSON Lines of its part of
 * the file (dump-part.ts) and posts the spans in packed batches, then `done` with its line count, or `failed`
 * at the first line it cannot read (the main thread then reads the whole file the ordinary way).
 */
async function run(
  task: DumpWorkerTask,
  post: (message: DumpWorkerMessage, transfer?: ArrayBuffer[]) => void,
): Promise<void> {
  const writer = new SpanBatchWriter();
  const flush = (): void => {
    if (writer.count === 0) return;
    const { batch, transfer } = writer.take();
    post({ kind: 'batch', batch }, transfer);
  };
  const outcome = await decodeDumpPart(task, (spans, line) => {
    for (const span of spans) writer.add(span, line);
    if (writer.count >= task.batchSpans) flush();
  });
  if (!outcome.ok) return post({ kind: 'failed' });
  flush();
  post({ kind: 'done', lines: outcome.lines, base64Ids: outcome.base64Ids, otherSignals: outcome.otherSignals });
}

const port = parentPort;
if (port) void run(workerData as DumpWorkerTask, (message, transfer) => port.postMessage(message, transfer ?? []));
