const NEWLINE = 0x0a;

/** What became of a chunk: all read, reading stopped by the caller (with the unread bytes), or a line too long. */
export type SplitState =
  { readonly state: 'more' } | { readonly state: 'stopped'; readonly rest: Buffer } | { readonly state: 'too-long' };

const MORE: SplitState = { state: 'more' };
const TOO_LONG: SplitState = { state: 'too-long' };

/**
 * Splits a stream of bytes into lines of text, for the dump readers. Newlines are found in bytes with
 * Buffer.indexOf and each line is decoded once, straight into the flat string JSON.parse reads fastest; a
 * newline byte never occurs inside a multi-byte character, so no character is cut. A line longer than
 * `maxBytes` stops the split before it becomes one giant string.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Calls `take` with each complete line (the pieces of earlier chunks first); `take` returns false to stop. */
  push(chunk: Buffer, take: (line: string) => boolean): SplitState {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      if (this.pendingBytes + end - start > this.maxBytes) return TOO_LONG;
      const line =
        this.pending.length === 0
          ? chunk.toString('utf8', start, end)
          : Buffer.concat([...this.pending, chunk.subarray(start, end)]).toString('utf8');
      this.pending = [];
      this.pendingBytes = 0;
      start = end + 1;
      if (!take(line)) return { state: 'stopped', rest: chunk.subarray(start) };
    }
    if (start < chunk.length) {
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxBytes) return TOO_LONG;
      this.pending.push(chunk.subarray(start));
    }
    return MORE;
  }

  /** Bytes of the line not yet ended, held until its newline comes. */
  get heldBytes(): number {
    return this.pendingBytes;
  }

  /** The bytes of the line not yet ended, still held. */
  held(): Buffer {
    return Buffer.concat(this.pending);
  }

  /** The last line when the stream ended without a newline; undefined when it ended with one. */
  end(): string | undefined {
    if (this.pending.length === 0) return undefined;
    const last = Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    return last;
  }
}
