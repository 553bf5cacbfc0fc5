import type { Compression } from './compressed-dump';

/**
 * Archives and compressions that tracehop does not read, told by their first bytes: traces saved one a file
 * (Grafana Tempo's or Jaeger's answers, one per trace) and then packed with tar or zip, or a dump compressed
 * with bzip2 or xz. Read as a dump, they met the protobuf reader, whose message about wire types said nothing
 * of what the file was.
 */
export type Archive = 'tar' | 'zip' | 'bzip2' | 'xz';

/** Where a ustar header (POSIX and GNU tar) holds its magic. */
const TAR_MAGIC_AT = 257;

function startsWith(head: Uint8Array, magic: readonly number[], at = 0): boolean {
  return head.length >= at + magic.length && magic.every((byte, i) => head[at + i] === byte);
}

/** The archive or unread compression `head`, a file's (decompressed) first bytes, announces, if any. */
export function archiveOf(head: Uint8Array): Archive | undefined {
  // The magic, and a NUL in the name field it follows (NUL-padded): text that says "ustar" there has none.
  if (startsWith(head, [0x75, 0x73, 0x74, 0x61, 0x72], TAR_MAGIC_AT) && head.subarray(0, 100).includes(0)) return 'tar';
  // A local file header, or the end record an empty archive holds alone.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  // "BZh", the block size '1' to '9', then the first block's magic (pi in BCD): no text opens so.
  if (
    startsWith(head, [0x42, 0x5a, 0x68]) &&
    (head[3] ?? 0) >= 0x31 &&
    (head[3] ?? 0) <= 0x39 &&
    startsWith(head, [0x31, 0x41, 0x59, 0x26, 0x53, 0x59], 4)
  )
    return 'bzip2';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  return undefined;
}

/** tar's option for each compression tracehop reads, to extract a compressed tar archive in one command. */
const TAR_OPTION: Readonly<Record<Compression, string>> = { gzip: '-xzf', zstd: '--zstd -xf' };

/**
 * Why the file `label` (compressed with `compression`, when it is) is no dump but `archive`, and what to do:
 * the cause and the hint of its message.
 */
export function archiveWords(
  archive: Archive,
  label: string,
  compression: Compression | undefined,
): { cause: string; hint: string } {
  const pass =
    'and pass the dumps it holds to tracehop check: it reads several files at once, and a trace split over them';
  switch (archive) {
    case 'tar':
      return {
        cause: `the file is a ${compression === undefined ? '' : `${compression}-compressed `}tar archive, not a dump`,
        hint: `Extract it ("tar ${compression === undefined ? '-xf' : TAR_OPTION[compression]} ${label}") ${pass}.`,
      };
    case 'zip':
      return { cause: 'the file is a zip archive, not a dump', hint: `Extract it ("unzip ${label}") ${pass}.` };
    case 'bzip2':
    case 'xz':
      return {
        cause: `the file is ${archive}-compressed, which tracehop does not read (it reads gzip and zstd)`,
        hint: `Decompress it first ("${archive === 'xz' ? 'xz -dk' : 'bunzip2 -k'} ${label}"), or compress the dump with gzip instead.`,
      };
  }
}
