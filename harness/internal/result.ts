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

/** Reads a UTF-8 text file. Never throws. */
export async function readTextFile(
  file: string,
): Promise<{ readonly ok: true; readonly value: string } | ReadFileFailure> {
  try {
    return succeed(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') return { ...fail('not-found', 'the file does not exist'), code };
    return { ...fail('unreadable', errorMessage(error)), ...(code ? { code } : {}) };
  }
}
