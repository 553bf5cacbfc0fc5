import { createReadStream } from 'node:fs';
import { decodeJsonDumpLine } from '../otlp-json';
import type { Span } from '../span';
import type { JsonDumpFormat } from './dump-format';
import { LineSplitter } from './line-splitter';
import { documentHeap } from './heap-guard';
import { JsonDumpSession } from './json-dump-session';

/** One part of a JSON Lines dump for the parallel reader: bytes [start, end), both at line boundaries. */
export interface DumpPart {
  readonly path: string;
  readonly label: string;
  readonly start: number;
  readonly end: number;
  /** The file's format, as its first line showed (or --format named). */
  readonly format: JsonDumpFormat;
  /**
   * The format --format named, if any. Without it every line is held to `format` as the ordinary reader
   * holds it (a line of another format, or of none, fails), not decoded as `format` whatever it is.
   */
  readonly forced: JsonDumpFormat | undefined;
  /** Bytes a line may have. */
  readonly maxBytes: number;
}

/** What a part's lines held besides spans: ids read from base64, documents of other OTLP signals skipped. */
export interface DumpPartCounts {
  readonly base64Ids: number;
  readonly otherSignals: number;
}

/** How reading a part ended: its line count and counts, or the first line it could not read. */
export type DumpPartOutcome = ({ readonly ok: true; readonly lines: number } & DumpPartCounts) | { readonly ok: false };

/**
 * Decodes the JSON Lines of one part, calling `take` with each line's spans and its line number counted from
 * the start of the part. Stops at the first line that cannot be read (bad JSON, wrong format, too long, a
 * read error): the parallel reader then reads the whole file the ordinary way, which gives the exact error.
 * Runs in a dump worker and, for the first part, on the main thread; `signal` stops it early (it then
 * resolves as failed). Never rejects.
 */
export function decodeDumpPart(
  part: DumpPart,
  take: (spans: readonly Span[], line: number) => void,
  signal?: AbortSignal,
): Promise<DumpPartOutcome> {
  return new Promise((resolve) => {
    const session = new JsonDumpSession(part.label, part.forced);
    // The format the first line showed, detected again on every line as the ordinary reader does.
    session.format = part.format;
    const lines = new LineSplitter(part.maxBytes);
    let line = 0;
    let settled = false;
    const stream = createReadStream(part.path, {
      start: part.start,
      end: part.end - 1,
      highWaterMark: 1 << 22,
      ...(signal ? { signal } : {}),
    });
    const fail = (): void => {
      if (settled) return;
      settled = true;
      stream.destroy();
      resolve({ ok: false });
    };
    const decodeLine = (text: string): boolean => {
      line++;
      // A line the heap cannot hold parsed: the ordinary reader, which this failure falls back to, refuses it
      // before JSON.parse, where V8 would abort the whole process (heap-guard.ts).
      if (documentHeap(text.length, true) !== undefined) {
        fail();
        return false;
      }
      const result = decodeJsonDumpLine(text, part.label, line, session.decode, session.hint);
      // An incomplete answer of a trace store is named by line in a note: the whole-file reader gives it.
      if (!result.ok || session.incomplete.length > 0) {
        fail();
        return false;
      }
      if (result.spans.length > 0) take(result.spans, line);
      return true;
    };
    stream.on('data', (data: string | Buffer) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      if (!settled && lines.push(chunk, decodeLine).state !== 'more') fail();
    });
    stream.on('error', fail);
    stream.on('end', () => {
      if (settled) return;
      const last = lines.end();
      if (last !== undefined && !decodeLine(last)) return;
      settled = true;
      resolve({ ok: true, lines: line, base64Ids: session.ids.base64Ids, otherSignals: session.otherSignals });
    });
  });
}
