import { createReadStream } from 'node:fs';
import { failure } from '../internal/messages';
import { decodeOtlpJson, decodeOtlpJsonLine, type OtlpDecodeResult } from './otlp-json';
import type { Span } from './span';

const HINT = 'Check the path; tracehop check reads OTLP/JSON files and JSON Lines dumps.';

function readError(file: string, error: unknown): OtlpDecodeResult {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause =
    code === 'ENOENT' ? 'the file does not exist'
    : code === 'EISDIR' ? 'it is a directory, not a file'
    : code === 'EACCES' ? 'permission denied'
    : `it cannot be read (${error instanceof Error ? error.message : String(error)})`;
  return { ok: false, error: { file, message: failure(`read spans from "${file}"`, cause, HINT) } };
}

/**
 * Reads an OTLP/JSON file (one document, or JSON Lines) from disk as a stream, decoding JSON Lines one line
 * at a time so a large dump never becomes one giant string. Never rejects. Node only.
 * @example const result = await readOtlpJsonFile('dump.jsonl')
 */
export function readOtlpJsonFile(path: string, label: string = path): Promise<OtlpDecodeResult> {
  return new Promise((resolve) => {
    const spans: Span[] = [];
    let mode: 'detect' | 'lines' | 'whole' = 'detect';
    let parts: string[] = [];
    let whole: string[] = [];
    let lineNo = 0;
    let done = false;
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });

    const finish = (result: OtlpDecodeResult): void => {
      if (done) return;
      done = true;
      stream.destroy();
      resolve(result);
    };
    const takeLine = (line: string): boolean => {
      lineNo++;
      if (mode === 'whole') return true;
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
    // Called right after takeLine: true when that line turned detection into whole-document mode.
    const switchedToWhole = (): boolean => mode === 'whole';
    const accept = (result: OtlpDecodeResult): boolean => {
      if (!result.ok) {
        finish(result);
        return false;
      }
      for (const span of result.spans) spans.push(span);
      return true;
    };

    stream.on('data', (chunk: string | Buffer) => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (mode === 'whole') {
        whole.push(text);
        return;
      }
      // Look for newlines in the new chunk only: a long line stays a list of pieces, never rescanned.
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        parts.push(text.slice(start, end));
        const line = parts.length === 1 ? parts[0] : parts.join('');
        parts = [];
        start = end + 1;
        if (!takeLine(line)) return;
        if (switchedToWhole()) {
          // Keep the skipped blank lines so syntax errors still point at the right line.
          whole = ['\n'.repeat(lineNo - 1), line, '\n', text.slice(start)];
          return;
        }
      }
      if (start < text.length) parts.push(text.slice(start));
    });
    stream.on('error', (error) => finish(readError(label, error)));
    stream.on('end', () => {
      if (done) return;
      if (mode !== 'whole' && parts.length > 0) {
        const last = parts.join('');
        if (!takeLine(last)) return;
        if (switchedToWhole()) whole = ['\n'.repeat(lineNo - 1), last];
      }
      if (mode === 'whole') return finish(decodeOtlpJson(whole.join(''), label));
      if (mode === 'detect') return finish(decodeOtlpJson('', label));
      finish({ ok: true, spans });
    });
  });
}
