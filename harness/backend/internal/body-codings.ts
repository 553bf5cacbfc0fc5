/**
 * The compressions the OTLP receiver reads, over HTTP (Content-Encoding) and gRPC (grpc-encoding): those an
 * OpenTelemetry Collector's exporters send with `compression: gzip`, `zlib`, `deflate` or `zstd`. zstd needs
 * Node.js 22.15 or later (23.8 on 23): on older versions it is refused with that reason.
 */
import * as zlib from 'node:zlib';
import type { Failure } from '../../internal/result';

export type BodyCoding = 'gzip' | 'deflate' | 'zstd';

/** What a coding name in a request header means; `x-gzip` is gzip (RFC 9110, 8.4.1.3), `zlib` the Collector's. */
const CODING_NAMES: Readonly<Record<string, BodyCoding>> = {
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  zlib: 'deflate',
  zstd: 'zstd',
};

/** The coding a header value names: `identity`, one the receiver reads, or undefined for any other. */
export function bodyCodingOf(name: string): BodyCoding | 'identity' | undefined {
  if (name === 'identity') return 'identity';
  // Own names only: "constructor" or "__proto__" is no coding.
  return Object.hasOwn(CODING_NAMES, name) ? CODING_NAMES[name] : undefined;
}

type Decompress = (
  buffer: Buffer,
  options: zlib.ZlibOptions,
  done: (error: Error | null, result: Buffer) => void,
) => void;

/** Node.js's zstd, where it has one. */
function zstdDecompress(): Decompress | undefined {
  const candidate = (zlib as { zstdDecompress?: Decompress }).zstdDecompress;
  return typeof candidate === 'function' ? candidate : undefined;
}

/** The codings this runtime reads, in the order a 415 or grpc-accept-encoding lists them. */
export function readableCodings(): readonly BodyCoding[] {
  return zstdDecompress() ? ['gzip', 'deflate', 'zstd'] : ['gzip', 'deflate'];
}

export type InflateResult = { ok: true; value: Buffer } | Failure<'too-large' | 'corrupt' | 'unsupported'>;

function run(decompress: Decompress, bytes: Buffer, limit: number): Promise<InflateResult> {
  return new Promise((resolve) => {
    decompress(bytes, { maxOutputLength: limit }, (error, result) => {
      if (!error) resolve({ ok: true, value: result });
      else
        resolve({
          ok: false,
          reason:
            error instanceof RangeError || /maxOutputLength|buffer/i.test(error.message) ? 'too-large' : 'corrupt',
          message: error.message,
        });
    });
  });
}

/**
 * Decompresses a body or message to at most `limit` bytes. "deflate" is zlib-wrapped (RFC 9110, 8.4.1.2),
 * read as raw deflate when it lacks the zlib header, as some clients send it. Never rejects.
 */
export async function inflateBounded(coding: BodyCoding, bytes: Buffer, limit: number): Promise<InflateResult> {
  if (coding === 'gzip') return run(zlib.gunzip, bytes, limit);
  if (coding === 'deflate') {
    const wrapped = await run(zlib.inflate, bytes, limit);
    if (wrapped.ok || wrapped.reason === 'too-large') return wrapped;
    const raw = await run(zlib.inflateRaw, bytes, limit);
    // Corrupt both ways: the zlib reader's complaint is the one about the coding as named.
    return raw.ok || raw.reason === 'too-large' ? raw : wrapped;
  }
  const zstd = zstdDecompress();
  if (zstd) return run(zstd, bytes, limit);
  return {
    ok: false,
    reason: 'unsupported',
    message: `Node.js ${process.version} cannot decompress zstd (Node.js 22.15 or later, or 23.8 or later on 23, can)`,
  };
}
