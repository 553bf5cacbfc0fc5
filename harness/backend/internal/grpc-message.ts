/**
 * `grpc-message` is percent-encoded UTF-8: every byte outside printable ASCII, and "%" itself
 * (grpc/doc/PROTOCOL-HTTP2.md).
 */
export function percentEncode(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
