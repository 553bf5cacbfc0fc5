import { ProtobufWriter } from '../internal/protobuf-writer';

/**
 * The protobuf bodies an OTLP/HTTP receiver answers with, written by the model's one protobuf writer.
 * Fields holding their proto3 default (0, empty) are left out, as protobuf encoders do.
 */

/** opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse, with partial_success when given. */
export function encodeExportResponse(partial?: { rejectedSpans: number; errorMessage: string }): Uint8Array {
  const writer = new ProtobufWriter();
  if (partial && (partial.rejectedSpans !== 0 || partial.errorMessage !== '')) {
    writer.begin(1);
    if (partial.rejectedSpans !== 0) writer.int64(1, partial.rejectedSpans);
    if (partial.errorMessage !== '') writer.string(2, partial.errorMessage);
    writer.end();
  }
  return writer.finish().slice();
}

/** google.rpc.Status { code, message }, the body OTLP/HTTP requires on 4xx answers. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  const writer = new ProtobufWriter();
  if (code !== 0) writer.varint(1, code);
  if (message !== '') writer.string(2, message);
  return writer.finish().slice();
}
