/**
 * The protobuf varint at `at` in `bytes` (at most 10 bytes, as the wire format allows) and where the next field
 * starts; undefined for a cut or overlong one. Values past 2^53 lose precision, which the sniffers that use it
 * (field tags and lengths) never meet.
 */
export function varint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0; i < 10 && at + i < bytes.length; i++) {
    const byte = bytes[at + i] as number;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return { value, next: at + i + 1 };
  }
  return undefined;
}
