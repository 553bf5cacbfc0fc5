import type { CapturedRequest, CapturedResponse, HeaderEntry } from '../model';
import { extractContexts, type ExtractedContexts } from '../propagation';

/** What a service knows about a request when it arrives; the log adds the sequence number and contexts. */
export type CaptureInput = Omit<CapturedRequest, 'seq'>;

/** A captured request with the verdicts of our codecs on its trace headers (plain data, JSON-safe). */
export interface CaptureEntry extends CapturedRequest {
  readonly contexts: ExtractedContexts;
}

/** Every request the backend's services received, in arrival order. Hands out copies. */
export class CaptureLog {
  #entries: CaptureEntry[] = [];
  /** Entries forgotten by {@link clear}: sequence numbers keep counting from where they were. */
  #cleared = 0;

  /** Records a request with its decoded contexts and returns its entry (with `seq`). */
  record(input: CaptureInput): CaptureEntry {
    const headers = copyHeaders(input.headers);
    const entry: CaptureEntry = {
      ...input,
      headers,
      contexts: extractContexts(headers),
      seq: this.#cleared + this.#entries.length + 1,
    };
    this.#entries.push(entry);
    return entry;
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

  /** A copy of every entry. */
  entries(): CaptureEntry[] {
    return this.#entries.map((entry) => structuredClone(entry));
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
