import { encodeExportResponse, encodeRpcStatus } from './encode-responses';

describe('OTLP/HTTP response bodies', () => {
  it.each<[string, Uint8Array, number[]]>([
    ['a full success is an empty ExportTraceServiceResponse', encodeExportResponse(), []],
    ['an empty partial success is left out', encodeExportResponse({ rejectedSpans: 0, errorMessage: '' }), []],
    [
      'partial_success { rejected_spans, error_message }',
      encodeExportResponse({ rejectedSpans: 2, errorMessage: 'x' }),
      [0x0a, 0x05, 0x08, 0x02, 0x12, 0x01, 0x78],
    ],
    [
      'rejected spans past one varint byte',
      encodeExportResponse({ rejectedSpans: 300, errorMessage: '' }),
      [0x0a, 0x03, 0x08, 0xac, 0x02],
    ],
    ['google.rpc.Status { code, message }', encodeRpcStatus(3, 'bad'), [0x08, 0x03, 0x12, 0x03, 0x62, 0x61, 0x64]],
    ['a zero code is left out', encodeRpcStatus(0, 'é'), [0x12, 0x02, 0xc3, 0xa9]],
  ])('%s', (_name, body, bytes) => {
    expect([...body]).toEqual(bytes);
  });
});
