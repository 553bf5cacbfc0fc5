import { constants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { failure } from '../internal/messages';
import { decodeOtlpJson, decodeOtlpJsonLine, type OtlpDecodeResult } from './otlp-json';
import type { Span } from './span';
import { errorMessage } from '../internal/result';

const HINT = 'Check the path; tracehop check reads OTLP/JSON files and JSON Lines dumps.';
const SPLIT_HINT =
  'Write the dump as JSON Lines (one ExportTraceServiceRequest per line), as the Collector file exporter does.';
const NEWLINE = 0x0a;

/** Limits of one read, for tests that cannot write half a gigabyte. */
export interface ReadLimits {
  /** Bytes one line (or a whole single document) may have; default: the longest string V8 can build. */
  readonly maxTextBytes?: number;
}

function readError(file: string, error: unknown): OtlpDecodeResult {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause =
    code === 'ENOENT'
      ? 'the file does not exist'
      : code === 'EISDIR'
        ? 'it is a directory, not a file'
        : code === 'EACCES'
          ? 'permission denied'
          : `it cannot be read (${errorMessage(error)})`;
  return { ok: false, error: { file, message: failure(`read spans from "${file}"`, cause, HINT) } };
}

function tooLong(file: string, what: string, line: number | undefined, limit: number): OtlpDecodeResult {
  const cause = `${what} is longer than ${limit} bytes, more than one string can hold`;
  return {
    ok: false,
    error: {
      file,
      ...(line !== undefined ? { line } : {}),
      message: failure(`read spans from "${file}"`, cause, SPLIT_HINT),
    },
  };
}

/** A UTF-8 byte order mark, which some Windows tools write and JSON.parse refuses. */
function bomLength(chunk: Buffer): number {
  return chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
}

/**
 * Reads an OTLP/JSON file (one document, or JSON Lines) from disk as a stream, decoding JSON Lines one line
 * at a time so a large dump never becomes one giant string. Never rejects. Node only.
 * @example const result = await readOtlpJsonFile('dump.jsonl')
 */
export function readOtlpJsonFile(
  path: string,
  label: string = path,
  limits: ReadLimits = {},
): Promise<OtlpDecodeResult> {
  const maxBytes = limits.maxTextBytes ?? constants.MAX_STRING_LENGTH;
  return new Promise((resolve) => {
    const spans: Span[] = [];
    let mode: 'detect' | 'lines' | 'whole' = 'detect';
    // Pieces of the current line from earlier chunks, and their byte count.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let whole: Buffer[] = [];
    let wholeBytes = 0;
    let lineNo = 0;
    let firstChunk = true;
    let done = false;
    // Bytes, not text: newlines are found with Buffer.indexOf and each line is decoded once, straight into
    // the flat string JSON.parse reads fastest. A newline byte never occurs inside a multi-byte character.
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });

    const finish = (result: OtlpDecodeResult): void => {
      if (done) return;
      done = true;
      stream.destroy();
      resolve(result);
    };
    const accept = (result: OtlpDecodeResult): boolean => {
      if (!result.ok) {
        finish(result);
        return false;
      }
      for (const span of result.spans) spans.push(span);
      return true;
    };
    /** Decodes one line; false when reading must stop. May switch to whole-document mode. */
    const takeLine = (line: string): boolean => {
      lineNo++;
      if (mode === 'detect') {
        if (line.trim() === '') return true;
        const result = decodeOtlpJsonLine(line, label, lineNo);
        // A first line that is not JSON by itself means a pretty-printed single document.
        if (!result.ok && / is not valid JSON /.test(result.error.message)) {
          mode = 'whole';
          return true;
        }
        mode = 'lines';
        return accept(result);
      }
      return accept(decodeOtlpJsonLine(line, label, lineNo));
    };
    // Called right after takeLine (TypeScript cannot see takeLine change `mode`).
    const switchedToWhole = (): boolean => mode === 'whole';
    const keepWhole = (piece: Buffer): boolean => {
      wholeBytes += piece.length;
      if (wholeBytes > maxBytes) {
        finish(tooLong(label, 'the document', undefined, maxBytes));
        return false;
      }
      whole.push(piece);
      return true;
    };
    /** Starts whole-document mode with the lines read so far; blank lines are kept so errors point right. */
    const startWhole = (line: string, rest: Buffer): void => {
      whole = [];
      wholeBytes = 0;
      if (keepWhole(Buffer.from(`${'\n'.repeat(lineNo - 1)}${line}\n`))) keepWhole(rest);
    };

    stream.on('data', (data: string | Buffer) => {
      let chunk = typeof data === 'string' ? Buffer.from(data) : data;
      if (firstChunk) {
        firstChunk = false;
        chunk = chunk.subarray(bomLength(chunk));
      }
      if (mode === 'whole') {
        keepWhole(chunk);
        return;
      }
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
        if (pendingBytes + end - start > maxBytes)
          return finish(tooLong(label, `line ${lineNo + 1}`, lineNo + 1, maxBytes));
        const line =
          pending.length === 0
            ? chunk.toString('utf8', start, end)
            : Buffer.concat([...pending, chunk.subarray(start, end)]).toString('utf8');
        pending = [];
        pendingBytes = 0;
        start = end + 1;
        if (!takeLine(line)) return;
        if (switchedToWhole()) return startWhole(line, chunk.subarray(start));
      }
      if (start < chunk.length) {
        pendingBytes += chunk.length - start;
        if (pendingBytes > maxBytes) return finish(tooLong(label, `line ${lineNo + 1}`, lineNo + 1, maxBytes));
        pending.push(chunk.subarray(start));
      }
    });
    stream.on('error', (error) => finish(readError(label, error)));
    stream.on('end', () => {
      if (done) return;
      if (mode !== 'whole' && pending.length > 0) {
        const last = Buffer.concat(pending).toString('utf8');
        pending = [];
        if (!takeLine(last)) return;
        if (switchedToWhole()) startWhole(last, Buffer.alloc(0));
        if (done) return;
      }
      if (mode === 'whole') return finish(decodeOtlpJson(Buffer.concat(whole).toString('utf8'), label));
      if (mode === 'detect') return finish(decodeOtlpJson('', label));
      finish({ ok: true, spans });
    });
  });
}
