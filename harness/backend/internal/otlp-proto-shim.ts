import type { Span } from '../../model/span';
// Temporary stand-in until harness/model/otlp-proto.ts lands.
export function decodeOtlpProtobuf(_bytes: Uint8Array, _source: string): { ok: true; spans: Span[]; rejected: number; errors: string[] } | { ok: false; message: string } {
  return { ok: false, message: 'protobuf decoding is not available yet' };
}
