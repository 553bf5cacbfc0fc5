/** Just enough protobuf encoding for the receiver's two response messages. */

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = Math.max(0, Math.floor(value));
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

function varintField(field: number, value: number): number[] {
  return value === 0 ? [] : [...varint(field << 3), ...varint(value)];
}

function bytesField(field: number, payload: Uint8Array): number[] {
  return payload.length === 0 ? [] : [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
}

/** opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse, with partial_success when given. */
export function encodeExportResponse(partial?: { rejectedSpans: number; errorMessage: string }): Uint8Array {
  if (!partial) return new Uint8Array(0);
  const inner = [...varintField(1, partial.rejectedSpans), ...bytesField(2, Buffer.from(partial.errorMessage, 'utf8'))];
  return Uint8Array.from(bytesField(1, Uint8Array.from(inner)));
}

/** google.rpc.Status { code, message }, the body OTLP/HTTP requires on 4xx answers. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return Uint8Array.from([...varintField(1, code), ...bytesField(2, Buffer.from(message, 'utf8'))]);
}
