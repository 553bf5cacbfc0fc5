import { resolve } from 'node:path';
import { failure } from '../internal/messages';
import { readOtlpJsonFile, type Span } from '../model';

export type SpanFilesResult = { ok: true; spans: Span[] } | { ok: false; message: string };

/**
 * Reads the OTLP/JSON files named on a command line (relative to `cwd`) for `tracehop check` and
 * `tracehop report --otlp`. The first unreadable file is the error; so is having no span at all, since dumps
 * without spans prove nothing and must never pass. `action` names the command's work in that message.
 */
export async function readSpanFiles(files: readonly string[], cwd: string, action: string): Promise<SpanFilesResult> {
  const spans: Span[] = [];
  for (const file of files) {
    const result = await readOtlpJsonFile(resolve(cwd, file), file);
    if (!result.ok) return { ok: false, message: result.error.message };
    for (const span of result.spans) spans.push(span);
  }
  if (spans.length === 0) {
    const names = files.map((file) => `"${file}"`).join(', ');
    const cause = `${names} ${files.length === 1 ? 'holds' : 'hold'} no spans`;
    return {
      ok: false,
      message: failure(action, cause, 'Check that the exporter ran and flushed before the dump was written.'),
    };
  }
  return { ok: true, spans };
}
