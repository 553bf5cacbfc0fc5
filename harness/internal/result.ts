import { readFile } from 'node:fs/promises';

/**
 * The one failure shape: `{ ok: false, reason, message }`. `reason` is a stable word a program can switch on;
 * `message` is for people. Parsers of untrusted input return a Result instead of throwing past their boundary.
 */
export interface Failure<Reason extends string = string> {
  readonly ok: false;
  readonly reason: Reason;
  readonly message: string;
}

export type Result<T, Reason extends string = string> = { readonly ok: true; readonly value: T } | Failure<Reason>;

export function succeed<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<Reason extends string>(reason: Reason, message: string): Failure<Reason> {
  return { ok: false, reason, message };
}

/**
 * The message of anything thrown: an Error's message, else its string form. An error from another realm
 * (Node's fs errors seen inside a Jest or vm context) is no `instanceof Error` here, so an object with a
 * string `message` and a `stack` counts as an Error too.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error && 'stack' in error) {
    const { message } = error;
    if (typeof message === 'string') return message;
  }
  return String(error);
}

/** Why a file could not be read: it is not there, or anything else (the message says what). */
export type ReadFileReason = 'not-found' | 'unreadable';

/** A failed read: `message` is "the file does not exist" or the system's message; `code` its errno code. */
export type ReadFileFailure = Failure<ReadFileReason> & { readonly code?: string };

/**
 * Whether bytes are UTF-16 text: a UTF-16 byte order mark, or (without one) a NUL beside each of the first
 * ASCII characters, as UTF-16 writes them.
 */
export function looksUtf16(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true;
  return (
    bytes.length >= 4 &&
    ((bytes[0] !== 0 && bytes[1] === 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0))
  );
}

/**
 * Reads a UTF-8 text file, without its byte order mark (Windows editors write one, and JSON.parse refuses
 * it). A UTF-16 file and a directory are refused, saying so. Never throws.
 */
export async function readTextFile(
  file: string,
): Promise<{ readonly ok: true; readonly value: string } | ReadFileFailure> {
  try {
    const bytes = await readFile(file);
    if (looksUtf16(bytes))
      return fail('unreadable', 'the file is UTF-16 text, not UTF-8 (save it as UTF-8, or "iconv -f UTF-16 -t UTF-8")');
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return succeed(bytes.subarray(bom).toString('utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') return { ...fail('not-found', 'the file does not exist'), code };
    if (code === 'EISDIR') return { ...fail('unreadable', 'it is a directory, not a file'), code };
    return { ...fail('unreadable', errorMessage(error)), ...(code ? { code } : {}) };
  }
}
