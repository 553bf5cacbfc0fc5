import type { CapturedRequest, CapturedResponse, HeaderEntry } from '../model';
import { extractContexts, type ExtractedContexts } from '../propagation';

/** What a service knows about a request when it arrives; the log adds the sequence number and contexts. */
export type CaptureInput = Omit<CapturedRequest, 'seq'>;

/** A captured request with the verdicts of our codecs on its trace headers (plain data, JSON-safe). */
export interface CaptureEntry extends CapturedRequest {
  readonly contexts: ExtractedContexts;
}

/** A recorded request; its contexts are decoded when the log is first read, not on the request's path. */
type StoredEntry = CapturedRequest & { contexts?: ExtractedContexts };

/**
 * Every request the backend's services received, in arrival order. Hands out copies. The trace headers of
 * each request are decoded (for `contexts`) when the entries are first read, so a request costs its
 * service one push, however many arrive that nobody reads.
 */
export class CaptureLog {
  #entries: StoredEntry[] = [];
  /** Entries forgotten by {@link clear}: sequence numbers keep counting from where they were. */
  #cleared = 0;

  /** Records a request and returns its sequence number (1 for the first request ever recorded). */
  record(input: CaptureInput): { readonly seq: number } {
    const seq = this.#cleared + this.#entries.length + 1;
    this.#entries.push({ ...input, headers: copyHeaders(input.headers), seq });
    return { seq };
  }

  /** Sets the SERVER span ids of a recorded request once the span exists. */
  attachServerSpan(seq: number, traceId: string, spanId: string): void {
    const index = seq - 1 - this.#cleared;
    const entry = index >= 0 ? this.#entries[index] : undefined;
    if (entry) this.#entries[index] = { ...entry, serverTraceId: traceId, serverSpanId: spanId };
  }

  /** Forgets every entry (e.g. between runs of a soak); later entries keep counting `seq` up. */
  clear(): void {
    this.#cleared += this.#entries.length;
    this.#entries = [];
  }

  /** Records the answer of a request whose answer a verdict needs (a CORS preflight, a redirect). */
  attachResponse(seq: number, response: CapturedResponse): void {
    const index = seq - 1 - this.#cleared;
    const entry = index >= 0 ? this.#entries[index] : undefined;
    if (entry)
      this.#entries[index] = {
        ...entry,
        response: { status: response.status, headers: copyHeaders(response.headers) },
      };
  }

  /** A copy of every entry, with the verdicts of our codecs on its trace headers. */
  entries(): CaptureEntry[] {
    return this.#entries.map((entry) => {
      entry.contexts ??= extractContexts(entry.headers);
      return structuredClone(entry as CaptureEntry);
    });
  }
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
