/**
 * The W3C participant endpoint's path and body parsing, public through tracehop/backend. Kept apart from
 * w3c-endpoint.ts (the handler) so that the public declarations never reach msw's types: under node16/nodenext
 * CommonJS with skipLibCheck off, msw's .d.ts import ESM-only packages and fail the user's type-check (TS1479).
 */
import { failure } from '../internal/messages';
import type { Failure } from '../internal/result';

/** The path every service answers as a W3C Trace Context test-suite participant. */
export const W3C_PATH = '/__tracehop/w3c';

/** One callback the test harness asks for. */
export interface W3cCallback {
  readonly url: string;
  readonly arguments: unknown;
}

/** Why the harness's body is refused: not JSON, not the expected list, too long, or a callback off loopback. */
export type W3cBodyReason = 'not-json' | 'invalid-body' | 'too-many-callbacks' | 'not-loopback';

/** What parseW3cBody answers: the callbacks, or why the body is refused. */
export type W3cBodyResult = { ok: true; value: W3cCallback[] } | Failure<W3cBodyReason>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The suite asks for at most a few callbacks per request; the cap keeps one request's load bounded. */
export const MAX_W3C_CALLBACKS = 64;
const HINT = 'Send a JSON array of {"url", "arguments"} objects, as the W3C trace-context test harness does.';

/** Validates the harness's body; callbacks may only go to http URLs on loopback (load stays local). */
export function parseW3cBody(text: string): W3cBodyResult {
  const bad = (reason: W3cBodyReason, cause: string): W3cBodyResult => ({
    ok: false,
    reason,
    message: failure('run the W3C participant request', cause, HINT),
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return bad('not-json', 'the body is not JSON');
  }
  if (!Array.isArray(value)) return bad('invalid-body', 'the body is not a JSON array');
  if (value.length > MAX_W3C_CALLBACKS)
    return bad('too-many-callbacks', `the body asks for ${value.length} callbacks, more than ${MAX_W3C_CALLBACKS}`);
  const callbacks: W3cCallback[] = [];
  for (const [index, item] of value.entries()) {
    if (typeof item !== 'object' || item === null || typeof (item as { url?: unknown }).url !== 'string') {
      return bad('invalid-body', `entry ${index} has no "url" string`);
    }
    const { url } = item as { url: string; arguments?: unknown };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return bad('invalid-body', `entry ${index} has an invalid url "${url}"`);
    }
    if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname)) {
      return bad('not-loopback', `entry ${index} points at "${url}", which is not an http URL on loopback`);
    }
    const args = (item as { arguments?: unknown }).arguments ?? [];
    // The arguments are sent on as JSON: nesting too deep for that is the request's fault, not a 500 of ours.
    try {
      JSON.stringify(args);
    } catch {
      return bad('invalid-body', `entry ${index} has "arguments" nested too deeply to send on as JSON`);
    }
    callbacks.push({ url, arguments: args });
  }
  return { ok: true, value: callbacks };
}
