import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { decodeJsonDumpLine } from '../otlp-json';
import type { DumpWorkerMessage, DumpWorkerTask } from './dump-worker-protocol';
import { LineSplitter } from './line-splitter';
import { JsonDumpSession } from './read-dump-file';
import { SpanBatchWriter } from './span-batch';

/**
 * A worker thread of the parallel dump reader (read-dump-parallel.ts): decodes the JSON Lines in bytes
 * [start, end) of a file, which begin and end at line boundaries, and posts the spans in packed batches.
 * Line numbers are counted from the start of its part; the main thread shifts them. On the first line that
 * cannot be read it posts `failed` and stops: the main thread then reads the whole file the ordinary way,
 * which gives the same spans or the error with its exact line.
 */

function run(task: DumpWorkerTask, post: (message: DumpWorkerMessage, transfer?: ArrayBuffer[]) => void): void {
  const session = new JsonDumpSession(task.label, task.format);
  const writer = new SpanBatchWriter();
  let line = 0;
  let stopped = false;
  const stream = createReadStream(task.path, { start: task.start, end: task.end - 1, highWaterMark: 1 << 20 });

  const flush = (): void => {
    if (writer.count === 0) return;
    const { batch, transfer } = writer.take();
    post({ kind: 'batch', batch }, transfer);
  };
  const fail = (): void => {
    stopped = true;
    stream.destroy();
    post({ kind: 'failed' });
  };
  const take = (text: string): boolean => {
    line++;
    const result = decodeJsonDumpLine(text, task.label, line, session.decode, session.hint);
    if (!result.ok) {
      fail();
      return false;
    }
    for (const span of result.spans) writer.add(span, line);
    if (writer.count >= task.batchSpans) flush();
    return true;
  };

  const lines = new LineSplitter(task.maxBytes);
  stream.on('data', (data: string | Buffer) => {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    if (lines.push(chunk, take).state !== 'more' && !stopped) fail();
  });
  stream.on('error', () => {
    if (!stopped) fail();
  });
  stream.on('end', () => {
    if (stopped) return;
    const last = lines.end();
    if (last !== undefined && !take(last)) return;
    flush();
    post({ kind: 'done', lines: line, base64Ids: session.ids.base64Ids });
  });
}

const port = parentPort;
if (port) run(workerData as DumpWorkerTask, (message, transfer) => port.postMessage(message, transfer ?? []));
