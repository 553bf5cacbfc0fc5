import { gunzipSync } from 'node:zlib';

/**
 * Whether a gzip body that stopped short of its declared Content-Length is whole, framed with its size before
 * compression: `@opentelemetry/exporter-trace-otlp-http` and `-proto` 0.27 set Content-Length from the
 * uncompressed export and then pipe it through gzip, so the receiver would wait for bytes that never come
 * (until the exporter gives up). True only when the bytes so far start a gzip member, end with an ISIZE equal
 * to the declared length (RFC 1952 §2.3.1: the input size modulo 2^32), and inflate to exactly that many
 * bytes: a body still arriving cannot pass all three.
 */
export function isGzipFramedByInflatedSize(chunks: readonly Buffer[], size: number, declared: number): boolean {
  // A gzip member holds at least a 10-byte header and an 8-byte trailer.
  if (size >= declared || size < 18) return false;
  const last = chunks[chunks.length - 1];
  if (last === undefined) return false;
  const body = last.length >= 4 ? last : Buffer.concat([...chunks], size);
  if (body.readUInt32LE(body.length - 4) !== declared % 2 ** 32) return false;
  const whole = Buffer.concat([...chunks], size);
  if (whole[0] !== 0x1f || whole[1] !== 0x8b) return false;
  try {
    // Bounded by the declared length, which the caller already held to the body limit.
    return gunzipSync(whole, { maxOutputLength: declared }).length === declared;
  } catch {
    // Truncated, corrupt or larger: not a whole body.
    return false;
  }
}
