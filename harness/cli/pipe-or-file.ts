import { closeSync, constants, createReadStream, createWriteStream, openSync, readSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isatty } from 'node:tty';
import { failure, format } from '../internal/messages';
// Its type alone: the barrel is not loaded (read-span-files.ts says why that matters).
import type { DumpReadResult } from '../model/formats';

/** Bytes read from a named pipe at once to learn whether a writer has it open. */
const PROBE_BYTES = 1 << 16;

/**
 * Reads `path` (named `file` on the command line) with `read`. A pipe (`<(curl ...)`, a named pipe, or "-" and
 * /dev/stdin for standard input) is first copied to a temporary file, since a dump is read by position (its first
 * bytes, then again from the start, or in parts by threads); a named pipe that no writer has open yet is said on
 * `wait` before it is waited for, so a check never hangs silently. A device (a terminal, /dev/zero) is refused:
 * it may never end, or is waiting for typing.
 */
export async function readPipeOrFile(
  path: string,
  file: string,
  read: (path: string) => Promise<DumpReadResult>,
  wait: (note: string) => void,
): Promise<DumpReadResult> {
  // Standard input by name: it may be a socket (a parent process's pipe), which cannot be opened by path.
  const stdin = path === '/dev/stdin';
  let kind: Awaited<ReturnType<typeof stat>> | undefined;
  try {
    kind = await stat(path);
  } catch {
    // The reader names what is wrong with the path.
  }
  if (kind?.isCharacterDevice()) return deviceFailure(file, stdin);
  if (!stdin && (kind === undefined || kind.isFile() || kind.isDirectory())) return read(path);
  const dir = await mkdtemp(join(tmpdir(), 'tracehop-pipe-'));
  try {
    const copy = join(dir, 'dump');
    try {
      const source = stdin ? process.stdin : kind?.isFIFO() ? namedPipe(path, file, wait) : createReadStream(path);
      await pipeline(source, createWriteStream(copy));
    } catch {
      // The reader names the error of the pipe itself.
      return await read(path);
    }
    const result = await read(copy);
    if (result.ok || result.reason !== 'empty') return result;
    return stdin ? emptyStdinFailure(file) : emptyPipeFailure(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Standard input that ended with nothing in it (but blank lines): named as such, not as "the file". */
function emptyStdinFailure(file: string): DumpReadResult {
  const cause = 'standard input is empty: nothing (or blank lines only) was piped or redirected into it';
  const hint =
    'Check that the command before "|" wrote the dump (its own errors say why not; curl -f fails on an HTTP error), or that the file after "<" holds it, or name the dump file.';
  return { ok: false, reason: 'empty', file, message: failure(`read spans from "${file}"`, cause, hint) };
}

/**
 * A pipe other than standard input (a named pipe, `<(...)`) whose writer closed it with nothing in it (but blank
 * lines): named as such, in standard input's words, not as "the file".
 */
function emptyPipeFailure(file: string): DumpReadResult {
  const cause = 'the pipe is empty: nothing (or blank lines only) was written into it before its writer closed it';
  const hint =
    'Check that the command writing into it wrote the dump (its own errors say why not; curl -f fails on an HTTP error), or name the dump file.';
  return { ok: false, reason: 'empty', file, message: failure(`read spans from "${file}"`, cause, hint) };
}

/** Why a character device is no dump: standard input left at the terminal, or another device. */
function deviceFailure(file: string, stdin: boolean): DumpReadResult {
  const terminal = stdin && isatty(0);
  const cause = terminal
    ? 'standard input is a terminal, not a dump: tracehop would wait for one to be typed'
    : 'it is a device, not a file or a pipe (it may never end, as /dev/zero does not)';
  const hint = terminal
    ? 'Pipe or redirect a dump into it ("tracehop check - < dump.jsonl", "curl ... | tracehop check -"), or name the dump file.'
    : 'Name a dump file, or pipe a dump into standard input ("tracehop check - < dump.jsonl").';
  return { ok: false, reason: 'unreadable', file, message: failure(`read spans from "${file}"`, cause, hint) };
}

/**
 * Whether a pipe's read end opened before any writer waits for one when polled (Linux: a pipe reports hang-up only
 * once a writer has come and gone since it was opened), rather than reading as ended at once.
 */
const POLL_WAITS_FOR_WRITER = process.platform === 'linux';

/**
 * A named pipe's bytes. Opened without blocking, it is read at once: bytes, or none yet from a writer that has it
 * open, are read on from there; no writer at all is said on `wait`, and then waited for as `cat` would. On Linux
 * the pipe stays open meanwhile: closed and opened again, a writer that opened, wrote and closed in the instant
 * between (its bytes still in the pipe) would lose them with the last reader gone, and the check wait on for a
 * writer that had come and gone.
 */
function namedPipe(path: string, file: string, wait: (note: string) => void): Readable {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const first = Buffer.alloc(PROBE_BYTES);
  let bytes: number;
  try {
    bytes = readSync(fd, first, 0, first.length, null);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
      closeSync(fd);
      throw error;
    }
    // A writer has it open and has written nothing yet.
    bytes = -1;
  }
  if (bytes === 0) {
    // Elsewhere a pipe no writer opened yet may read as ended at once: it is opened again, blocking, as before.
    if (!POLL_WAITS_FOR_WRITER) closeSync(fd);
    wait(
      format(
        `Note: "${file}" is a named pipe that nothing writes to yet: waiting for a writer (start the exporter, or "cat dump.jsonl > ${file}"); Ctrl-C stops.`,
      ),
    );
    if (!POLL_WAITS_FOR_WRITER) return createReadStream(path);
  }
  const socket = new Socket({ fd, readable: true, writable: false });
  const head = bytes > 0 ? first.subarray(0, bytes) : undefined;
  return Readable.from(
    (async function* () {
      if (head) yield head;
      for await (const chunk of socket) yield chunk as Buffer;
    })(),
  );
}
