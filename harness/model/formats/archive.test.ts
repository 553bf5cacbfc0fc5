import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { readDumpFile } from './read-dump-file';
import { scratchDir } from '../../test-support/scratch-dir';

const dir = scratchDir('tracehop-archive-');

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Grafana Tempo's answer for one trace, as saved one a file before they were packed. */
const answer = Buffer.from(
  JSON.stringify({
    batches: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api-gateway' } }] },
        scopeSpans: [{ spans: [{ traceId: 'qqqqqqqqqqqqqqqqqqqqqg==', spanId: 'u7u7u7u7u7s=', name: 'POST' }] }],
      },
    ],
  }),
);

/** A tar archive of `files` as GNU tar writes it: a 512-byte header a file (name, size, "ustar  " magic), data padded to 512. */
function tar(files: Record<string, Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, data] of Object.entries(files)) {
    const header = Buffer.alloc(512);
    header.write(name, 0, 'latin1');
    header.write('0000644\0', 100, 'latin1');
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    header.write('0', 156, 'latin1');
    header.write('ustar  \0', 257, 'latin1');
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A zip archive's first local file header, of one stored file, and the file. */
function zip(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name, 'latin1'), data]);
}

const packed = tar({ 'tempo/4a5b8e1a.json': answer, 'tempo/ca5b8e1a.json': answer });

async function message(name: string, bytes: Uint8Array, format?: 'otlp-json'): Promise<string> {
  const result = await readDumpFile(write(name, bytes), name, format ? { format } : {});
  return result.ok ? 'read' : result.message;
}

describe('archives and compressions tracehop does not read', () => {
  it('names a tar archive of trace answers, plain or compressed, with the command that extracts it', async () => {
    expect([
      await message('traces.tar', packed),
      await message('traces.tar.gz', zlib.gzipSync(packed)),
      await message('traces.tar', packed, 'otlp-json'),
    ]).toEqual([
      '[tracehop] Failed to read spans from "traces.tar": the file is a tar archive, not a dump. Extract it ("tar -xf traces.tar") and pass the dumps it holds to tracehop check: it reads several files at once, and a trace split over them.',
      '[tracehop] Failed to read spans from "traces.tar.gz": the file is a gzip-compressed tar archive, not a dump. Extract it ("tar -xzf traces.tar.gz") and pass the dumps it holds to tracehop check: it reads several files at once, and a trace split over them.',
      '[tracehop] Failed to read spans from "traces.tar": the file is a tar archive, not a dump. Extract it ("tar -xf traces.tar") and pass the dumps it holds to tracehop check: it reads several files at once, and a trace split over them.',
    ]);
  });

  it('names a zip archive, and a dump compressed with bzip2 or xz', async () => {
    expect([
      await message('traces.zip', zip('tempo/4a5b8e1a.json', answer)),
      await message('dump.jsonl.bz2', Buffer.concat([Buffer.from('BZh91AY&SY', 'latin1'), Buffer.alloc(64, 0x5a)])),
      await message(
        'dump.jsonl.xz',
        Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), Buffer.alloc(64, 0x5a)]),
      ),
    ]).toEqual([
      '[tracehop] Failed to read spans from "traces.zip": the file is a zip archive, not a dump. Extract it ("unzip traces.zip") and pass the dumps it holds to tracehop check: it reads several files at once, and a trace split over them.',
      '[tracehop] Failed to read spans from "dump.jsonl.bz2": the file is bzip2-compressed, which tracehop does not read (it reads gzip and zstd). Decompress it first ("bunzip2 -k dump.jsonl.bz2"), or compress the dump with gzip instead.',
      '[tracehop] Failed to read spans from "dump.jsonl.xz": the file is xz-compressed, which tracehop does not read (it reads gzip and zstd). Decompress it first ("xz -dk dump.jsonl.xz"), or compress the dump with gzip instead.',
    ]);
  });

  it('reads a JSON Lines dump whose text says "ustar" where a tar header holds its magic', async () => {
    const line = (name: string): string =>
      JSON.stringify({
        resourceSpans: [
          { resource: {}, scopeSpans: [{ spans: [{ traceId: 'a'.repeat(32), spanId: '1'.repeat(16), name }] }] },
        ],
      });
    const at = line('').indexOf('"name":""') + 8;
    const text = `${line(`${'x'.repeat(257 - at)}ustar`)}\n`;
    expect([text.slice(257, 262), await message('ustar.jsonl', Buffer.from(text))]).toEqual(['ustar', 'read']);
  });

  it('takes text that opens with the letters of a magic number for the text it is', async () => {
    expect(await message('bz.txt', Buffer.from('BZh9 is no bzip2'))).toBe(
      '[tracehop] Failed to read spans from "bz.txt": the file is the text "BZh9 is no bzip2", not traces; a file of one short line of text is most often a trace store\'s or a proxy\'s error answer, saved instead of traces. Fetch the trace from the store\'s API again (Jaeger: /api/traces/<traceID>; Tempo: /api/v2/traces/<traceID>) with curl -f, which fails on an HTTP error instead of saving its body.',
    );
  });
});
