/**
 * The second look read-dump-file.ts takes at a file that read as no dump: when it is a React Native app's log
 * (react-native-log.ts: Android logcat or the iOS log), its spans are read from it, or it is refused with a
 * message saying why it holds none. Uncompressed files of up to `maxBytes` only (a device's log is a few MB).
 */
import { readFile } from 'node:fs/promises';
import type { DecodeFailure } from '../decode-reason';
import { detectReactNativeLog, readReactNativeLog, type ReactNativeLogResult } from './react-native-log';

/** Bytes of the file's start looked at for a React Native log's lines (the app's first come after start-up). */
const LOOKED_AT = 1 << 20;

/** The failures after which a file may still be a React Native log. */
const RETRIED: ReadonlySet<DecodeFailure['reason']> = new Set([
  'not-json',
  'invalid-document',
  'unknown-format',
  'wrong-format',
]);

/** The React Native log `path` holds, read, or undefined when it is none (then `failed` stands). */
export async function readReactNativeLogFile(
  path: string,
  label: string,
  size: number,
  maxBytes: number,
  failed: DecodeFailure,
): Promise<ReactNativeLogResult | undefined> {
  if (!RETRIED.has(failed.reason) || size > maxBytes) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const form = detectReactNativeLog(text.slice(0, LOOKED_AT));
  return form === undefined ? undefined : readReactNativeLog(text, label, form);
}
