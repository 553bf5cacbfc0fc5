import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { encodeOtlpJson } from '../otlp-json';
import { encodeOtlpProtobuf } from '../otlp-proto';
import type { Span } from '../span';
import { asSpanId, asTraceId } from '../ids';
import { compressionOf } from './compressed-dump';
import { readDumpFile, type DumpReadResult } from './read-dump-file';
import { scratchDir } from '../../test-support/scratch-dir';

const dir = scratchDir('tracehop-compressed-');

function write(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const spans: Span[] = [1, 2, 3].map((n) => ({
  traceId: asTraceId('a'.repeat(32)),
  spanId: asSpanId(String(n).repeat(16)),
  ...(n > 1 ? { parentSpanId: asSpanId(String(n - 1).repeat(16)) } : {}),
  name: `op-${n}`,
  kind: 'server',
  service: n === 1 ? 'mobile-app' : 'api-gateway',
  startTimeMs: 1_795_651_200_000 + n,
  endTimeMs: 1_795_651_200_010 - n,
  attributes: { 'http.request.method': 'POST' },
  // OTLP records the trace state: read back, an empty one is known to be empty.
  traceState: '',
}));

const jsonLines = spans.map((span) => JSON.stringify(encodeOtlpJson([span]))).join('\n');

/** What a test compares: the spans without their source, the format, or the message. */
function outcome(result: DumpReadResult): unknown {
  if (!result.ok) return result.message;
  return { format: result.format, spans: result.spans.map(({ source: _source, ...span }) => span) };
}

describe('compressed dumps', () => {
  it('tells gzip and zstd from plain files by their first bytes', () => {
    expect([
      compressionOf(Buffer.from([0x1f, 0x8b, 0x08, 0x00])),
      compressionOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])),
      compressionOf(Buffer.from('{"resourceSpans":[]}')),
      compressionOf(Buffer.from([0x1f])),
      compressionOf(Buffer.alloc(0)),
    ]).toEqual(['gzip', 'zstd', undefined, undefined, undefined]);
  });

  it('reads gzip-compressed JSON Lines as the plain file, with the same line numbers', async () => {
    const plain = await readDumpFile(write('plain.jsonl', jsonLines), 'plain.jsonl');
    const gzipped = await readDumpFile(write('dump.jsonl.gz', zlib.gzipSync(jsonLines)), 'dump.jsonl.gz');
    expect(outcome(gzipped)).toEqual({ format: 'otlp-json', spans });
    expect(gzipped.ok && gzipped.spans.map((span) => span.source?.line)).toEqual([1, 2, 3]);
    expect(outcome(gzipped)).toEqual(outcome(plain));
  });

  it('reads gzip-compressed OTLP protobuf, whatever the file is called', async () => {
    const path = write('dump.bin', zlib.gzipSync(encodeOtlpProtobuf(spans)));
    expect(outcome(await readDumpFile(path, 'dump.bin'))).toEqual({ format: 'otlp-proto', spans });
  });

  it('says a file gzipped twice is, instead of reading it as protobuf framing', async () => {
    const path = write('twice.jsonl.gz', zlib.gzipSync(zlib.gzipSync(jsonLines)));
    expect(outcome(await readDumpFile(path, 'twice.jsonl.gz'))).toBe(
      '[tracehop] Failed to read spans from "twice.jsonl.gz": the file is compressed twice: gzip around gzip. Decompress it once (gunzip), then check what that gives.',
    );
  });

  it('reads a plain file named .gz as plain', async () => {
    expect(outcome(await readDumpFile(write('named.gz', jsonLines), 'named.gz'))).toEqual({
      format: 'otlp-json',
      spans,
    });
  });

  it('says a gzip file that was cut short is corrupt and how to test it', async () => {
    const whole = zlib.gzipSync(jsonLines);
    const path = write('cut.jsonl.gz', whole.subarray(0, whole.length - 12));
    expect(outcome(await readDumpFile(path, 'cut.jsonl.gz'))).toBe(
      '[tracehop] Failed to read spans from "cut.jsonl.gz": the gzip data is corrupt or cut short (unexpected end of file). Check that the file was copied whole; "gzip -t cut.jsonl.gz" tests it.',
    );
  });

  it('reads zstd where Node.js can decompress it, and says what to do where it cannot', async () => {
    const compress = (zlib as { zstdCompressSync?: (data: string) => Buffer }).zstdCompressSync;
    if (typeof compress === 'function') {
      const path = write('dump.jsonl.zst', compress(jsonLines));
      expect(outcome(await readDumpFile(path, 'dump.jsonl.zst'))).toEqual({ format: 'otlp-json', spans });
      return;
    }
    // A zstd frame header and nothing else: the magic bytes are all tracehop looks at here.
    const path = write('dump.jsonl.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00]));
    expect(outcome(await readDumpFile(path, 'dump.jsonl.zst'))).toBe(
      `[tracehop] Failed to read spans from "dump.jsonl.zst": the file is zstd-compressed (as the Collector's file exporter writes with compression: zstd), and Node.js ${process.version} cannot decompress zstd. Decompress it first ("zstd -d dump.jsonl.zst"), or run tracehop on Node.js 22.15 or later (23.8 or later on Node.js 23).`,
    );
  });
});
