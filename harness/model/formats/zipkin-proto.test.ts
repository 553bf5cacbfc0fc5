import { makeSpan } from '../test-support/make-span';
import { encodeOtlpProtobuf } from '../test-support/otlp-protobuf';
import { isZipkinProto3 } from './zipkin-proto';

/** A field of wire type 2 (length-delimited). */
const field = (number: number, body: Buffer): Buffer => Buffer.from([number * 8 + 2, body.length, ...body]);
const id = (hex: string): Buffer => Buffer.from(hex, 'hex');

/** One zipkin2 proto3 Span in a ListOfSpans: trace id, id, name, local endpoint. */
function listOfSpans(traceId: string, spanId: string, extra: Buffer = Buffer.alloc(0)): Buffer {
  const span = Buffer.concat([
    field(1, id(traceId)),
    field(3, id(spanId)),
    Buffer.from([4 * 8, 2]), // kind SERVER
    field(5, Buffer.from('POST /payments')),
    extra,
    field(8, field(1, Buffer.from('payment-api'))),
  ]);
  return field(1, span);
}

describe('isZipkinProto3', () => {
  it('knows a ListOfSpans by its first span, with a 128-bit or a 64-bit trace id', () => {
    expect([
      isZipkinProto3(listOfSpans('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7')),
      isZipkinProto3(listOfSpans('a3ce929d0e0e4736', '00f067aa0ba902b7', field(2, id('53995c3f42cd8ad8')))),
    ]).toEqual([true, true]);
  });

  it('is false for an OTLP request, and for a span whose ids have the wrong sizes or that has no id', () => {
    const request = encodeOtlpProtobuf([makeSpan({ id: 'a1', service: 'payment-api', kind: 'server' })]);
    expect([
      isZipkinProto3(request),
      isZipkinProto3(listOfSpans('4bf92f3577b34da6a3ce929d0e0e47', '00f067aa0ba902b7')),
      isZipkinProto3(listOfSpans('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902')),
      isZipkinProto3(field(1, field(1, id('4bf92f3577b34da6a3ce929d0e0e4736')))),
      isZipkinProto3(Buffer.from([0x0a, 0x40, 0x0a])),
    ]).toEqual([false, false, false, false, false]);
  });
});
