import type { AnyRequest } from './listener';
import type { Failure } from '../../internal/result';

/**
 * How reading a request body ended. Never throws: a disconnecting client is an outcome, not an error.
 * `too-large` carries the limit it broke.
 */
export type BodyResult =
  | { ok: true; value: Buffer; readonly endedEarly?: true }
  | (Failure<'too-large'> & { readonly limit: number })
  | Failure<'aborted'>;

/**
 * Says, after each chunk, whether the bytes so far are the whole body although the declared Content-Length is
 * not reached (a client that framed its body wrongly): the body then ends there, `endedEarly`.
 */
export type EndsEarly = (chunks: readonly Buffer[], size: number, declared: number) => boolean;

const tooLarge = (limit: number): BodyResult => ({
  ok: false,
  reason: 'too-large',
  limit,
  message: `the body is larger than ${limit} bytes`,
});
const ABORTED: BodyResult = { ok: false, reason: 'aborted', message: 'the client left before the body ended' };

/**
 * Reads a request body up to `limit` bytes. Over the limit it stops reading and says so (the caller answers
 * 413); a client that disconnects mid-body yields `aborted`; `endsEarly` may end a body short of its
 * Content-Length (the caller must then close the connection: its framing is lost).
 */
export function readBody(request: AnyRequest, limit: number, endsEarly?: EndsEarly): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // Drain without storing so the 413 reaches a client that is still sending.
      request.resume();
      resolve(tooLarge(limit));
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
        settle(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
      if (endsEarly !== undefined && Number.isFinite(declared) && endsEarly(chunks, size, declared)) {
        settle({ ok: true, value: Buffer.concat(chunks, size), endedEarly: true });
      }
    });
    request.on('end', () => settle({ ok: true, value: Buffer.concat(chunks) }));
    request.on('aborted', () => settle(ABORTED));
    request.on('error', () => settle(ABORTED));
    request.on('close', () => {
      if (!request.complete) settle(ABORTED);
    });
  });
}
