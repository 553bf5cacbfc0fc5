import { asTraceId } from '../ids';
import { makeSpan } from '../test-support/make-span';
import { sdkLogsRequest, sdkMetricsRequest } from '../test-support/other-signals';
import { encodeOtlpJson } from '../otlp-json';
import { encodeOtlpProtobuf } from '../otlp-proto';
import { decodeOtlpProtoFile, type ZstdDecompress } from './otlp-proto-file';
import { otherSignalOf } from './other-signal';
import * as heapGuard from './heap-guard';

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const HINT = "Write one ExportTraceServiceRequest per file, or use the Collector's file exporter with format: proto.";

/** Frames as the Collector's file exporter writes them: a 4-byte big-endian length, then the payload. */
function framed(payloads: readonly Uint8Array[]): Uint8Array {
  const parts: Buffer[] = [];
  for (const payload of payloads) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(payload.length);
    parts.push(length, Buffer.from(payload));
  }
  return Buffer.concat(parts);
}

/**
 * A stand-in for zstd (Node.js 20 has none): a "compressed" payload is the magic number and a key, and
 * decompressing looks the key up. It tests the framing around zstd, not zstd itself.
 */
function fakeZstd(contents: readonly Uint8Array[]): { frames: Uint8Array[]; zstd: ZstdDecompress } {
  const frames = contents.map((_, i) => Uint8Array.from([...ZSTD_MAGIC, i]));
  const zstd: ZstdDecompress = (bytes) => {
    const inner = contents[bytes[4] ?? -1];
    if (!inner || bytes.length !== 5) throw new Error('Unknown frame descriptor');
    return inner;
  };
  return { frames, zstd };
}

const span = (id: string) => makeSpan({ id, service: 'payment-api', kind: 'server' });

describe('decodeOtlpProtoFile with zstd-compressed frames (the Collector file exporter with compression: zstd)', () => {
  it('reads each frame, protobuf or JSON (format: json) inside', () => {
    const { frames, zstd } = fakeZstd([
      encodeOtlpProtobuf([span('a1'), span('a2')]),
      Buffer.from(JSON.stringify(encodeOtlpJson([span('b1')]))),
    ]);
    const result = decodeOtlpProtoFile(framed(frames), 'traces.bin', zstd);
    expect(result.ok && result.spans.map((s) => [s.spanId.slice(0, 2), s.service, s.kind])).toEqual([
      ['a1', 'payment-api', 'server'],
      ['a2', 'payment-api', 'server'],
      ['b1', 'payment-api', 'server'],
    ]);
  });

  it('names the frame, the compression and the way out when Node.js cannot decompress zstd', () => {
    const { frames } = fakeZstd([encodeOtlpProtobuf([span('a1')])]);
    const result = decodeOtlpProtoFile(framed(frames), 'traces.bin', undefined);
    expect(result).toEqual({
      ok: false,
      reason: 'unsupported-compression',
      file: 'traces.bin',
      message: `[tracehop] Failed to read spans from "traces.bin": frame 1 at byte 0 is zstd-compressed (as the Collector's file exporter writes with compression: zstd), and Node.js ${process.version} cannot decompress zstd. Run tracehop on Node.js 22.15 or later (23.8 or later on Node.js 23), or drop compression from the file exporter's configuration.`,
    });
  });

  it('refuses a frame of JSON the heap cannot hold parsed before parsing it, as a JSON dump is', () => {
    const json = Buffer.from(JSON.stringify(encodeOtlpJson([span('b1')])));
    const { frames, zstd } = fakeZstd([encodeOtlpProtobuf([span('a1')]), json]);
    // A heap of 32 MB with 16 used, and a document that takes 30 MB parsed: the limit injected, not made.
    const guard = jest.spyOn(heapGuard, 'documentHeap').mockReturnValue({ needMb: 30, usedMb: 16, limitMb: 32 });
    try {
      const result = decodeOtlpProtoFile(framed(frames), 'traces.bin', zstd);
      expect([guard.mock.calls, result]).toEqual([
        [[json.length, false]],
        {
          ok: false,
          reason: 'too-large',
          file: 'traces.bin',
          message:
            '[tracehop] Failed to read spans from "traces.bin": frame 2 at byte 9 (zstd-compressed JSON) is 0 MB of JSON, and parsing it takes about 30 MB of heap at once, more than the 16 MB left of the 32 MB Node.js may use: V8 would stop with "JavaScript heap out of memory". Write the file exporter\'s traces with format: proto (read without parsing JSON), or give Node.js more heap (NODE_OPTIONS=--max-old-space-size=1024, in MB, before the tracehop command).',
        },
      ]);
    } finally {
      guard.mockRestore();
    }
  });

  it('names the frame whose zstd data is corrupt', () => {
    const { frames, zstd } = fakeZstd([encodeOtlpProtobuf([span('a1')])]);
    const bad = Uint8Array.from([...ZSTD_MAGIC, 7]);
    const result = decodeOtlpProtoFile(framed([...frames, bad]), 'traces.bin', zstd);
    expect(!result.ok && [result.reason, result.message]).toEqual([
      'corrupt-compression',
      `[tracehop] Failed to read spans from "traces.bin": frame 2 at byte 9 holds corrupt zstd data (Unknown frame descriptor). Write one ExportTraceServiceRequest per file, or use the Collector's file exporter with format: proto.`,
    ]);
  });
});

describe('decodeOtlpProtoFile on requests of other signals (a Collector file exporter shared by pipelines)', () => {
  it('skips a logs or metrics request, bare or framed beside traces, and counts it for the note', async () => {
    const [logs, metrics] = await Promise.all([sdkLogsRequest(), sdkMetricsRequest()]);
    const traces = encodeOtlpProtobuf([span('a1')]);
    const read = (bytes: Uint8Array): unknown => {
      const result = decodeOtlpProtoFile(bytes, 'dump.bin');
      return result.ok ? [result.spans.map((s) => s.spanId.slice(0, 2)), result.otherSignals] : result.message;
    };
    expect([read(logs), read(metrics), read(framed([logs, traces, metrics]))]).toEqual([
      [[], 1],
      [[], 1],
      [['a1'], 2],
    ]);
    expect([otherSignalOf(logs, 0, logs.length), otherSignalOf(metrics, 0, metrics.length)]).toEqual([
      'logs',
      'metrics',
    ]);
    expect(otherSignalOf(traces, 0, traces.length)).toBeUndefined();
  });

  it('skips them in zstd frames too, protobuf or JSON inside (compression: zstd)', async () => {
    const logs = await sdkLogsRequest();
    const { frames, zstd } = fakeZstd([
      logs,
      encodeOtlpProtobuf([span('a1')]),
      Buffer.from(JSON.stringify({ resourceMetrics: [{ resource: {}, scopeMetrics: [] }] })),
    ]);
    const result = decodeOtlpProtoFile(framed(frames), 'traces.bin', zstd);
    expect(result.ok && [result.spans.map((s) => s.spanId.slice(0, 2)), result.otherSignals]).toEqual([['a1'], 2]);
  });

  it('still fails a damaged trace request with its place, never skips it as another signal', () => {
    const traces = encodeOtlpProtobuf([span('a1')]);
    const cut = traces.subarray(0, traces.length - 3);
    // A trace id of 8 bytes (a 64-bit id written as it is): a Span all the same, with times and ids.
    const short = encodeOtlpProtobuf([{ ...span('b1'), traceId: asTraceId('4bf92f3577b34da6') }]);
    const results = [cut, short, framed([traces, short])].map((bytes) => decodeOtlpProtoFile(bytes, 'dump.bin'));
    expect(results.map((result) => (result.ok ? result.otherSignals : result.message))).toEqual([
      expect.stringContaining('Failed to read spans from "dump.bin": byte'),
      `[tracehop] Failed to read spans from "dump.bin": resource_spans[0].scope_spans[0].spans[0] trace_id has 8 bytes, expected 16. ${HINT}`,
      `[tracehop] Failed to read spans from "dump.bin": frame 2 at byte ${traces.length + 4}: resource_spans[0].scope_spans[0].spans[0] trace_id has 8 bytes, expected 16. ${HINT}`,
    ]);
  });
});

/** Requests each after its length as a varint, as protobuf's writeDelimitedTo (Android's disk buffering) writes. */
function delimited(payloads: readonly Uint8Array[]): Uint8Array {
  const parts: Buffer[] = [];
  for (const payload of payloads) {
    const head: number[] = [];
    for (let size = payload.length; ; size = Math.floor(size / 128)) {
      if (size < 128) {
        head.push(size);
        break;
      }
      head.push((size % 128) | 0x80);
    }
    parts.push(Buffer.from(head), Buffer.from(payload));
  }
  return Buffer.concat(parts);
}

describe('decodeOtlpProtoFile on length-delimited requests (varint lengths: Android disk buffering)', () => {
  const read = (bytes: Uint8Array): unknown => {
    const result = decodeOtlpProtoFile(bytes, 'spans/1723456789123');
    return result.ok ? result.spans.map((s) => s.spanId.slice(0, 2)) : result.message;
  };
  // Two exports, the first over 127 bytes (a 2-byte varint), the second under (1 byte).
  const first = encodeOtlpProtobuf([span('a1'), span('a2')]);
  const second = encodeOtlpProtobuf([span('b1')]);

  it('reads every request of the file, as the 4-byte framing would', () => {
    expect([first.length > 127, second.length < 128]).toEqual([true, true]);
    expect([read(delimited([first, second])), read(framed([first, second]))]).toEqual([
      ['a1', 'a2', 'b1'],
      ['a1', 'a2', 'b1'],
    ]);
  });

  it('reads a file whose first request is 10 bytes long, so starts with the byte a bare request starts with', () => {
    // A request of one ResourceSpans holding only schema_url "abcdef": 0a 08 1a 06 61..66.
    const tiny = Uint8Array.from([0x0a, 0x08, 0x1a, 0x06, ...Buffer.from('abcdef')]);
    expect(read(delimited([tiny, first]))).toEqual(['a1', 'a2']);
  });

  it('names the request that is cut off, by its varint length, when the file ends early', () => {
    const whole = delimited([first, second]);
    const cut = whole.subarray(0, whole.length - 5);
    const at = first.length + 2;
    // Cut in its only request: neither framing reads one whole frame, and the first byte is no 4-byte length's.
    const alone = delimited([first]).subarray(0, 100);
    expect([read(cut), read(alone)]).toEqual([
      `[tracehop] Failed to read spans from "spans/1723456789123": frame 2 at byte ${at} says ${second.length} bytes follow, but only ${second.length - 5} do (the file is truncated or not framed). ${HINT}`,
      `[tracehop] Failed to read spans from "spans/1723456789123": frame 1 at byte 0 says ${first.length} bytes follow, but only 98 do (the file is truncated or not framed). ${HINT}`,
    ]);
  });
});

/** A protobuf length-delimited field: its tag, its length as a varint (under 16 KiB here), its bytes. */
function field(tag: number, body: Uint8Array): Buffer {
  const length = body.length < 0x80 ? [body.length] : [(body.length & 0x7f) | 0x80, body.length >> 7];
  return Buffer.concat([Buffer.from([tag, ...length]), Buffer.from(body)]);
}

describe("decodeOtlpProtoFile on Grafana Tempo's /api/v2/traces answer in protobuf (TraceByIDResponse)", () => {
  const trace = encodeOtlpProtobuf([span('a'), makeSpan({ id: 'b', parent: 'a', service: 'fraud-service' })]);
  const metrics = field(0x12, Uint8Array.from([0x08, 0x80, 0x28]));

  it('reads the trace inside, as the same trace answered by /api/traces (the Trace alone) reads', () => {
    const alone = decodeOtlpProtoFile(trace, 'v1.pb');
    const answer = decodeOtlpProtoFile(Buffer.concat([field(0x0a, trace), metrics]), 'v2.pb');
    expect(answer.ok && [answer.spans.map((s) => [s.spanId, s.service]), answer.leftOut]).toEqual([
      alone.ok && alone.spans.map((s) => [s.spanId, s.service]),
      undefined,
    ]);
  });

  it('says what a PARTIAL answer left out, in its own words', () => {
    const message = Buffer.from('Trace exceeds maximum size of 5000 bytes, a partial trace is returned');
    const bytes = Buffer.concat([field(0x0a, trace), metrics, Buffer.from([0x18, 0x01]), field(0x22, message)]);
    const answer = decodeOtlpProtoFile(bytes, 'v2.pb');
    expect(answer.ok && [answer.spans.length, answer.leftOut]).toEqual([
      2,
      {
        what: 'Grafana Tempo\'s PARTIAL trace ("Trace exceeds maximum size of 5000 bytes, a partial trace is returned")',
        refetch: 'fetch the trace from Tempo again with a larger max_bytes_per_trace and no q filter',
      },
    ]);
  });
});
