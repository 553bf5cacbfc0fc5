import type { IncomingMessage } from 'node:http';

/** How reading a request body ended. Never throws: a disconnecting client is an outcome, not an error. */
export type BodyResult =
  { ok: true; bytes: Buffer } | { ok: false; reason: 'too-large'; limit: number } | { ok: false; reason: 'aborted' };

/**
 * Reads a request body up to `limit` bytes. Over the limit it stops reading and says so (the caller answers
 * 413); a client that disconnects mid-body yields `aborted`.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // Drain without storing so the 413 reaches a client that is still sending.
      request.resume();
      resolve({ ok: false, reason: 'too-large', limit });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle({ ok: false, reason: 'too-large', limit });
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => settle({ ok: true, bytes: Buffer.concat(chunks) }));
    request.on('aborted', () => settle({ ok: false, reason: 'aborted' }));
    request.on('error', () => settle({ ok: false, reason: 'aborted' }));
    request.on('close', () => {
      if (!request.complete) settle({ ok: false, reason: 'aborted' });
    });
  });
}
