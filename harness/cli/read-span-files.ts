import { resolve } from 'node:path';
import { failure } from '../internal/messages';
import type { Failure } from '../internal/result';
import type { DecodeFailure, Span } from '../model';
// From their files, not the formats barrel: it loads every reader, and a check loads each only for a file of
// its format (model/formats/lazy-readers.ts).
import { DUMP_FORMATS, parseDumpFormat, type DumpFormat } from '../model/formats/dump-format';
import {
  base64IdsNote,
  incompleteAnswersNote,
  otherSignalsNote,
  type IncompleteAnswer,
} from '../model/formats/json-dump-session';
import { readDumpFile, type ReadLimits } from '../model/formats/read-dump-file';
import { joinZipkinSpans } from '../model/formats/zipkin-shared';
import { untimedSpansNote } from '../model/formats/untimed-spans';
import { kindlessNote } from '../model/formats/kindless-spans';
import { heapFailure, heapNearlyFull } from '../model/formats/heap-guard';
import { usageFailure, type UsageFailure } from './command-line';
import { readPipeOrFile } from './pipe-or-file';

/**
 * The spans and notes of every dump, and how many answers of a trace store in them said they left spans out
 * (`incomplete`: no check of them may pass); or the first file's failure, `no-spans` when they hold none, or
 * `usage` (a bad TRACEHOP_DUMP_WORKERS or TRACEHOP_DUMP_PARALLEL_MIN_BYTES).
 */
export type SpanFilesResult =
  { ok: true; spans: Span[]; notes: string[]; incomplete: number } | DecodeFailure | Failure<'no-spans'> | UsageFailure;

/** The environment variable that sets how many threads read a large dump, the main one included (1: no worker). */
export const DUMP_WORKERS = 'TRACEHOP_DUMP_WORKERS';

/** `TRACEHOP_DUMP_WORKERS`: unset for the default (one thread per core on 4 or more cores, at most 4), or a number. */
function dumpWorkers(text: string | undefined): { ok: true; value: number | undefined } | UsageFailure {
  if (text === undefined || text.trim() === '') return { ok: true, value: undefined };
  const value = Number(text);
  if (Number.isInteger(value) && value >= 1 && value <= 64) return { ok: true, value };
  const cause = `${DUMP_WORKERS}=${JSON.stringify(text)} is not a number of threads`;
  return usageFailure(
    failure(
      'read the environment',
      cause,
      `Give a whole number from 1 to 64 (1 reads on the main thread), or unset it.`,
    ),
  );
}

/**
 * The environment variable that sets the smallest dump read by several threads, in bytes (default 16 MiB,
 * PARALLEL_MIN_BYTES). For tests: 0 reads a small JSON Lines dump the parallel way, which must give what the
 * ordinary reader gives. With no more than one thread (TRACEHOP_DUMP_WORKERS=1, or the default on fewer than 4
 * cores) it changes nothing.
 */
export const DUMP_PARALLEL_MIN_BYTES = 'TRACEHOP_DUMP_PARALLEL_MIN_BYTES';

/** `TRACEHOP_DUMP_PARALLEL_MIN_BYTES`: unset for the default, or a whole number of bytes. */
function dumpParallelMinBytes(text: string | undefined): { ok: true; value: number | undefined } | UsageFailure {
  if (text === undefined || text.trim() === '') return { ok: true, value: undefined };
  const value = Number(text);
  if (Number.isSafeInteger(value) && value >= 0) return { ok: true, value };
  const cause = `${DUMP_PARALLEL_MIN_BYTES}=${JSON.stringify(text)} is not a number of bytes`;
  return usageFailure(
    failure(
      'read the environment',
      cause,
      'Give a whole number of bytes (0: any JSON Lines dump is read by several threads), or unset it.',
    ),
  );
}

/**
 * Reads the trace dumps named on a command line (relative to `cwd`) for `tracehop check` and
 * `tracehop report --spans`: each file's format is detected by content (OTLP/JSON, OTLP protobuf, Jaeger
 * JSON, Zipkin JSON, Go's stdouttrace, Python's ConsoleSpanExporter) unless `format` names one. The first unreadable file is the error; so is having no
 * span at all, since dumps without spans prove nothing and must never pass. `action` names the command's
 * work in that message. `notes` are for stderr (e.g. ids decoded from base64). Large JSON Lines dumps are
 * read by several threads; `env.TRACEHOP_DUMP_WORKERS` sets how many, `env.TRACEHOP_DUMP_PARALLEL_MIN_BYTES` from
 * what size. `wait` says, as it happens, that a named pipe is waited for (pipe-or-file.ts).
 */
export async function readSpanFiles(
  files: readonly string[],
  cwd: string,
  action: string,
  format?: DumpFormat,
  env: Readonly<Record<string, string | undefined>> = {},
  wait: (note: string) => void = () => undefined,
): Promise<SpanFilesResult> {
  const workers = dumpWorkers(env[DUMP_WORKERS]);
  if (!workers.ok) return workers;
  const minBytes = dumpParallelMinBytes(env[DUMP_PARALLEL_MIN_BYTES]);
  if (!minBytes.ok) return minBytes;
  const options = {
    ...(format ? { format } : {}),
    parallel: {
      ...(workers.value === undefined ? {} : { workers: workers.value }),
      ...(minBytes.value === undefined ? {} : { minBytes: minBytes.value }),
    },
  };
  let spans: Span[] = [];
  const notes: string[] = [];
  let zipkin = 0;
  /** The note of each Zipkin file's spans with no time: pieces in other files may give them one. */
  const untimedZipkin = new Map<string, string>();
  /**
   * What several files may each be noted for, noted once below for them all: ids in base64, documents of other
   * signals, a trace store's incomplete answers (Tempo's answers, often saved one per trace: hundreds of files).
   */
  const base64: { file: string; ids: number }[] = [];
  const otherSignals: { file: string; documents: number }[] = [];
  const incomplete: { file: string; answers: readonly IncompleteAnswer[] }[] = [];
  const kindless: { file: string; spans: number }[] = [];
  for (let at = 0; at < files.length; at++) {
    const file = files[at] as string;
    // An empty name resolves to the working directory, which "is a directory" would only puzzle.
    if (file === '')
      return {
        ok: false,
        reason: 'not-found',
        file,
        message: failure(
          'read spans from ""',
          'the file name is empty',
          'Name a dump file (an empty shell variable, perhaps?), or - for standard input.',
        ),
      };
    const path = file === '-' ? '/dev/stdin' : resolve(cwd, file);
    const result = await readPipeOrFile(path, file, (read) => readNamedFormat(read, file, options), wait);
    if (!result.ok) return result;
    // By index: a for...of over 250k spans runs in the interpreter first, an iterator result a step.
    for (let i = 0; i < result.spans.length; i++) spans.push(result.spans[i] as Span);
    // A file read whole (one document, protobuf, by threads) is looked at once read: before the next, or the check
    // (after the last file, with garbage collected whenever the heap in use is past the share).
    const heap = heapNearlyFull(at === files.length - 1);
    if (heap !== undefined) return heapFailure(file, result.spans.length, heap);
    for (const note of result.notes) notes.push(note);
    if (result.base64Ids !== undefined && result.base64Ids > 0) base64.push({ file, ids: result.base64Ids });
    if (result.otherSignals !== undefined && result.otherSignals > 0)
      otherSignals.push({ file, documents: result.otherSignals });
    if (result.incomplete !== undefined && result.incomplete.length > 0)
      incomplete.push({ file, answers: result.incomplete });
    if (result.kindlessSpans !== undefined) kindless.push({ file, spans: result.kindlessSpans });
    if (result.format === 'zipkin') {
      zipkin++;
      const untimed = untimedSpansNote(file, result.spans, 'zipkin');
      if (untimed !== undefined) untimedZipkin.set(file, untimed);
    }
  }
  if (base64.length > 1)
    foldNotes(
      notes,
      base64.map(({ file, ids }) => base64IdsNote([file], ids)),
      base64IdsNote(
        base64.map(({ file }) => file),
        base64.reduce((sum, { ids }) => sum + ids, 0),
      ),
    );
  if (otherSignals.length > 1)
    foldNotes(
      notes,
      otherSignals.map((one) => otherSignalsNote([one])),
      otherSignalsNote(otherSignals),
    );
  if (incomplete.length > 1)
    foldNotes(
      notes,
      incomplete.map(({ answers }) => incompleteAnswersNote(answers)),
      incompleteAnswersNote(incomplete.flatMap(({ answers }) => answers)),
    );
  if (kindless.length > 1)
    foldNotes(
      notes,
      kindless.map((one) => kindlessNote([one])),
      kindlessNote(kindless),
    );
  // A Zipkin server's shared span may sit in one file and its caller's CLIENT span in another.
  if (zipkin > 0 && files.length > 1) {
    spans = joinZipkinSpans(spans);
    if (untimedZipkin.size > 0) renoteUntimed(notes, spans, untimedZipkin);
  }
  if (spans.length === 0) {
    const names = files.map((file) => `"${file}"`).join(', ');
    const cause = `${names} ${files.length === 1 ? 'holds' : 'hold'} no spans`;
    return {
      ok: false,
      reason: 'no-spans',
      // The notes may say why (a file of metrics and logs only): they follow the message.
      message: [failure(action, cause, NO_SPANS_HINT), ...notes].join('\n'),
    };
  }
  const answers = incomplete.reduce((sum, { answers }) => sum + answers.length, 0);
  return { ok: true, spans, notes, incomplete: answers };
}

/**
 * What to look at when a dump holds no spans. The gRPC exporter named lazy-loads its client: an export made just
 * before shutdown() waits for it, then is dropped ("Shutdown already started", a debug line) or fails as the
 * channel closes, and a SimpleSpanProcessor's forceFlush() before 1.1x does not wait for it (docs/interop.md).
 */
const NO_SPANS_HINT =
  'Check that the exporter ran and flushed before the dump was written: await forceFlush() on each provider before its shutdown() and before the process exits. With a SimpleSpanProcessor, @opentelemetry/exporter-trace-otlp-grpc 0.27 to 0.34 loses the spans ended just before shutdown() without any error, whatever is awaited (0.52 logs "14 UNAVAILABLE: Channel closed before call"): use a BatchSpanProcessor and await forceFlush(), or upgrade the exporter to 0.57 or later.';

/**
 * Each Zipkin file's note of spans with no time (`before`, by file) said again of the spans joined across files:
 * a piece in another file may have given them their time (zipkin-pieces.ts), and then the note goes.
 */
function renoteUntimed(notes: string[], spans: readonly Span[], before: ReadonlyMap<string, string>): void {
  const byFile = new Map<string, Span[]>();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    const file = span.source?.file;
    if (file === undefined || !before.has(file)) continue;
    const own = byFile.get(file) ?? [];
    if (own.length === 0) byFile.set(file, own);
    own.push(span);
  }
  for (const [file, note] of before) {
    const at = notes.indexOf(note);
    if (at < 0) continue;
    const now = untimedSpansNote(file, byFile.get(file) ?? [], 'zipkin');
    if (now === undefined) notes.splice(at, 1);
    else notes[at] = now;
  }
}

/** Replaces each file's own note (`each`) with `one` note for them all, where the first of them was. */
function foldNotes(notes: string[], each: readonly string[], one: string): void {
  const own = new Set(each);
  const at = notes.findIndex((note) => own.has(note));
  const kept = notes.filter((note) => !own.has(note));
  kept.splice(at < 0 ? kept.length : at, 0, one);
  notes.splice(0, notes.length, ...kept);
}

/** Failures of reading a file as a format it may not be in: content that format cannot read. */
const NOT_THAT_FORMAT = new Set<DecodeFailure['reason']>([
  'not-json',
  'invalid-document',
  'unknown-format',
  'mixed-formats',
  'wrong-format',
]);

/**
 * Reads one dump as `options.format` says, else by content. A file that `--format` cannot read but that reads
 * by content as another format is refused naming that format, so a wrong `--format` is not taken for a
 * broken dump (one format's complaint about another's content, or "a file holds one format").
 */
async function readNamedFormat(
  path: string,
  file: string,
  options: ReadLimits,
): Promise<Awaited<ReturnType<typeof readDumpFile>>> {
  const result = await readDumpFile(path, file, options);
  const named = options.format;
  if (result.ok || named === undefined || !NOT_THAT_FORMAT.has(result.reason)) return result;
  const { format: _named, ...byContent } = options;
  const detected = await readDumpFile(path, file, byContent);
  if (!detected.ok || detected.format === undefined || detected.format === named) return result;
  return {
    ok: false,
    reason: 'wrong-format',
    file,
    message: failure(
      `read spans from "${file}"`,
      `the file is ${detected.format}, not ${named} as --format says`,
      `Leave --format out to detect each file's format by content, or give --format ${detected.format}.`,
    ),
  };
}

/**
 * A `--format` value, for `check` and `report`: one of the dump formats, or a usage failure in the command's own
 * words (`action`: "check", "read the report arguments"), as its other usage failures.
 */
export function parseFormatOption(
  value: string | undefined,
  action: string,
): { ok: true; value: DumpFormat } | UsageFailure {
  const hint = `Give one of ${DUMP_FORMATS.join(', ')}, or leave --format out to detect the format by content.`;
  if (value === undefined || value === '' || value.startsWith('-'))
    return usageFailure(failure(action, '--format needs a format name', hint));
  const parsed = parseDumpFormat(value);
  // The message already lists the formats: the hint does not say them again.
  const named = 'Give one of them, or leave --format out to detect the format by content.';
  return parsed.ok ? parsed : usageFailure(failure(action, parsed.message, named));
}

/**
 * Why no check or gate passes on dumps holding `incomplete` answers of a trace store that left spans out, for the
 * end of a failure's cause: "an answer of the trace store left spans out (the note above names it): ...".
 */
export function spansLeftOut(incomplete: number): string {
  const answers = incomplete === 1 ? 'an answer' : `${incomplete} answers`;
  const them = incomplete === 1 ? 'it' : 'them';
  return `${answers} of the trace store left spans out (the note above names ${them}): a hop in the spans left out is not judged, so this is no pass`;
}
