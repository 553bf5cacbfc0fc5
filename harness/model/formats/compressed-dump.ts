import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';

/**
 * Compressed dumps: a staging dump kept as `traces.jsonl.gz`, or the Collector file exporter's output with
 * `compression: zstd`. Both are recognised by their first bytes (the file name does not matter) and read
 * through a decompressing stream, so the formats behind them are detected as for a plain file.
 */
export type Compression = 'gzip' | 'zstd';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** Names for messages. */
export const COMPRESSION_NAMES: Readonly<Record<Compression, string>> = { gzip: 'gzip', zstd: 'zstd' };

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((byte, i) => head[i] === byte);
}

/** The compression a file's first bytes announce, or undefined for a plain file. */
export function compressionOf(head: Uint8Array): Compression | undefined {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd';
  return undefined;
}

/** Node.js 22.15 and 23.8 added zstd to node:zlib; older versions (tracehop supports 20.19+) lack it. */
function zstdDecompressor(): (() => Transform) | undefined {
  const candidate = (zlib as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  return typeof candidate === 'function' ? candidate : undefined;
}

/** A dump's size and compression, from its first bytes; or why it cannot be read. */
export type DumpProbe =
  | { ok: true; size: number; compression: Compression | undefined }
  | { ok: false; reason: 'unreadable'; error: unknown };

/** Looks at a dump's size and first bytes. Never rejects. */
export async function probeDump(path: string): Promise<DumpProbe> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(4);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      const { size } = await handle.stat();
      return { ok: true, size, compression: compressionOf(head.subarray(0, bytesRead)) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { ok: false, reason: 'unreadable', error };
  }
}

/** A stream of a dump's bytes, decompressed when it is compressed; or why zstd cannot be read here. */
export type DumpStreamResult =
  { ok: true; stream: Readable } | { ok: false; reason: 'zstd-unsupported'; message: string };

/**
 * Streams a dump, through gunzip or zstd when it is compressed. Errors of the file and of the decompressor
 * are emitted by the returned stream.
 */
export function openDumpStream(
  path: string,
  compression: Compression | undefined,
  highWaterMark: number,
): DumpStreamResult {
  let decompress: Transform;
  if (compression === 'gzip') decompress = zlib.createGunzip({ chunkSize: highWaterMark });
  else if (compression === 'zstd') {
    const zstd = zstdDecompressor();
    if (zstd === undefined) {
      return {
        ok: false,
        reason: 'zstd-unsupported',
        message: `the file is zstd-compressed (as the Collector's file exporter writes with compression: zstd), and Node.js ${process.version} cannot decompress zstd`,
      };
    }
    decompress = zstd();
  } else return { ok: true, stream: createReadStream(path, { highWaterMark }) };
  const file = createReadStream(path, { highWaterMark });
  // A file error (a directory, no permission) reaches the reader through the decompressor's stream.
  file.on('error', (error) => decompress.destroy(error));
  decompress.on('close', () => file.destroy());
  file.pipe(decompress);
  return { ok: true, stream: decompress };
}

/** Whether an error came from the decompressor (corrupt or cut-short data) rather than from the file. */
export function isDecompressionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR_ZSTD') || code === 'ZSTD_error');
}
