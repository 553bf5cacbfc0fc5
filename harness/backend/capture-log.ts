import type { CapturedRequest, CapturedResponse, HeaderEntry } from '../model';
import { extractContexts, type ExtractedContexts } from '../propagation';

/** What a service knows about a request when it arrives; the log adds the sequence number and contexts. */
export type CaptureInput = Omit<CapturedRequest, 'seq'>;

/** A captured request with the verdicts of our codecs on its trace headers (plain data, JSON-safe). */
export interface CaptureEntry extends CapturedRequest {
  readonly contexts: ExtractedContexts;
}

/**
 * A recorded request; its contexts are decoded when the log is first read, not on the request's path. Held by
 * the log alone (readers get copies), so its server span ids and answer are set in place.
 */
type StoredEntry = { -readonly [K in keyof CapturedRequest]: CapturedRequest[K] } & { contexts?: ExtractedContexts };

/**
 * What one log holds, out of every caller's reach as `#` fields would be. Not `#` fields: the declarations of a
 * class with any hold a `#private` member, which an app compiling to ES5 with skipLibCheck off gets TS18028 for.
 */
interface Held {
  entries: StoredEntry[];
  /** Entries forgotten by {@link CaptureLog.clear}: sequence numbers keep counting from where they were. */
  cleared: number;
}

const holdings = new WeakMap<CaptureLog, Held>();

/** What `log` holds; a TypeError for anything that is not a CaptureLog, as a `#` field's read gives. */
function heldBy(log: CaptureLog): Held {
  const held = holdings.get(log);
  if (held === undefined) throw new TypeError('not a CaptureLog: call its methods on a log (new CaptureLog())');
  return held;
}

/**
 * Every request the backend's services received, in arrival order. Hands out copies. The trace headers of
 * each request are decoded (for `contexts`) when the entries are first read, so a request costs its
 * service one push, however many arrive that nobody reads.
 */
export class CaptureLog {
  constructor() {
    holdings.set(this, { entries: [], cleared: 0 });
  }

  /** Records a request and returns its sequence number (1 for the first request ever recorded). */
  record(input: CaptureInput): { readonly seq: number } {
    const held = heldBy(this);
    const seq = held.cleared + held.entries.length + 1;
    held.entries.push(storedEntry(input, copyHeaders(input.headers), seq));
    return { seq };
  }

  /** Sets the SERVER span ids of a recorded request once the span exists. */
  attachServerSpan(seq: number, traceId: string, spanId: string): void {
    const held = heldBy(this);
    const index = seq - 1 - held.cleared;
    const entry = index >= 0 ? held.entries[index] : undefined;
    if (entry) {
      entry.serverTraceId = traceId;
      entry.serverSpanId = spanId;
    }
  }

  /** How many entries the log holds (since it was last cleared). */
  get size(): number {
    return heldBy(this).entries.length;
  }

  /** Forgets every entry (e.g. between runs of a soak); later entries keep counting `seq` up. */
  clear(): void {
    const held = heldBy(this);
    held.cleared += held.entries.length;
    held.entries = [];
  }

  /** Records the answer of a request whose answer a verdict needs (a CORS preflight, a redirect). */
  attachResponse(seq: number, response: CapturedResponse): void {
    const held = heldBy(this);
    const index = seq - 1 - held.cleared;
    const entry = index >= 0 ? held.entries[index] : undefined;
    if (entry) entry.response = { status: response.status, headers: copyHeaders(response.headers) };
  }

  /** A copy of every entry, with the verdicts of our codecs on its trace headers. */
  entries(): CaptureEntry[] {
    return heldBy(this).entries.map((entry) => {
      entry.contexts ??= extractContexts(entry.headers);
      return structuredClone(entry as CaptureEntry);
    });
  }
}

/**
 * The entry for `input`, with its fields named one by one (a spread of the input cost a mock hop more than the
 * rest of recording), and an optional field only when set, as a spread would leave it.
 */
function storedEntry(input: CaptureInput, headers: readonly HeaderEntry[], seq: number): StoredEntry {
  const entry: StoredEntry = {
    service: input.service,
    firstParty: input.firstParty,
    method: input.method,
    path: input.path,
    headers,
    timeMs: input.timeMs,
    seq,
  };
  if (input.serverSpanId !== undefined) entry.serverSpanId = input.serverSpanId;
  if (input.serverTraceId !== undefined) entry.serverTraceId = input.serverTraceId;
  if (input.response !== undefined)
    entry.response = { status: input.response.status, headers: copyHeaders(input.response.headers) };
  return entry;
}

function copyHeaders(headers: readonly HeaderEntry[]): HeaderEntry[] {
  return headers.map(([name, value]) => [name, value] as const);
}

/** Pairs Node's `rawHeaders` list into entries, names lowercased, values verbatim, duplicates kept. */
export function headerEntries(rawHeaders: readonly string[]): HeaderEntry[] {
  const entries: HeaderEntry[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const value = rawHeaders[i + 1];
    if (name !== undefined && value !== undefined) entries.push([name.toLowerCase(), value]);
  }
  return entries;
}
