import { resolve } from 'node:path';
import { failure } from '../internal/messages';
import type { Failure } from '../internal/result';
import type { DecodeFailure, Span } from '../model';
import { DUMP_FORMATS, parseDumpFormat, readDumpFile, type DumpFormat } from '../model/formats';
import { usageFailure, type UsageFailure } from './command-line';

/** The spans and notes of every dump, or the first file's failure, or `no-spans` when they hold none. */
export type SpanFilesResult = { ok: true; spans: Span[]; notes: string[] } | DecodeFailure | Failure<'no-spans'>;

/**
 * Reads the trace dumps named on a command line (relative to `cwd`) for `tracehop check` and
 * `tracehop report --spans`: each file's format is detected by content (OTLP/JSON, OTLP protobuf, Jaeger
 * JSON, Zipkin v2 JSON) unless `format` names one. The first unreadable file is the error; so is having no
 * span at all, since dumps without spans prove nothing and must never pass. `action` names the command's
 * work in that message. `notes` are for stderr (e.g. ids decoded from base64).
 */
export async function readSpanFiles(
  files: readonly string[],
  cwd: string,
  action: string,
  format?: DumpFormat,
): Promise<SpanFilesResult> {
  const spans: Span[] = [];
  const notes: string[] = [];
  for (const file of files) {
    const result = await readDumpFile(resolve(cwd, file), file, format ? { format } : {});
    if (!result.ok) return result;
    for (const span of result.spans) spans.push(span);
    for (const note of result.notes) notes.push(note);
  }
  if (spans.length === 0) {
    const names = files.map((file) => `"${file}"`).join(', ');
    const cause = `${names} ${files.length === 1 ? 'holds' : 'hold'} no spans`;
    return {
      ok: false,
      reason: 'no-spans',
      message: failure(action, cause, 'Check that the exporter ran and flushed before the dump was written.'),
    };
  }
  return { ok: true, spans, notes };
}

/** A `--format` value, for `check` and `report`: one of the dump formats, or a usage failure. */
export function parseFormatOption(value: string | undefined): { ok: true; value: DumpFormat } | UsageFailure {
  const hint = `Give one of ${DUMP_FORMATS.join(', ')}, or leave --format out to detect the format by content.`;
  if (value === undefined || value === '' || value.startsWith('-'))
    return usageFailure(failure('read the options', '--format needs a format name', hint));
  const parsed = parseDumpFormat(value);
  return parsed.ok ? parsed : usageFailure(failure('read the options', parsed.message, hint));
}
