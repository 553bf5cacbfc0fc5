/**
 * What a compiled Android library refers to, read without a JDK: the entries of a zip (an .aar, and the classes.jar
 * inside it) and the constant pool of each .class file in it (JVM spec, chapter 4.4), which names every class,
 * field and method the code uses and every string literal it holds (reflection by name included).
 */
import { inflateRawSync } from 'node:zlib';

/** The files of a zip archive by name (stored or deflated entries; no zip64, which no .aar needs). */
export function zipEntries(zip: Buffer): Map<string, Buffer> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error('no end of central directory record: not a zip archive');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`central directory entry ${index} is malformed`);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(data, data + size);
    if (method === 0) entries.set(name, raw);
    else if (method === 8) entries.set(name, inflateRawSync(raw));
    else throw new Error(`${name} uses zip compression method ${method}`);
  }
  return entries;
}

/** A field or method a class file refers to: the class (internal form, a/b/C$D) and the member's name. */
export interface MemberRef {
  readonly kind: 'field' | 'method';
  readonly owner: string;
  readonly name: string;
}

export interface ClassConstants {
  readonly classes: readonly string[];
  readonly members: readonly MemberRef[];
  readonly strings: readonly string[];
}

/** Reads the constant pool of one .class file. */
export function classConstants(bytes: Buffer): ClassConstants {
  if (bytes.readUInt32BE(0) !== 0xcafebabe) throw new Error('not a class file (no 0xCAFEBABE)');
  const count = bytes.readUInt16BE(8);
  const utf8 = new Map<number, string>();
  const classIndex = new Map<number, number>();
  const stringIndex: number[] = [];
  const refs: Array<{ kind: 'field' | 'method'; classAt: number; nameAndTypeAt: number }> = [];
  const nameAndType = new Map<number, number>();
  let at = 10;
  for (let index = 1; index < count; index += 1) {
    const tag = bytes.readUInt8(at);
    at += 1;
    switch (tag) {
      case 1: {
        const length = bytes.readUInt16BE(at);
        utf8.set(index, bytes.toString('utf8', at + 2, at + 2 + length));
        at += 2 + length;
        break;
      }
      case 7:
        classIndex.set(index, bytes.readUInt16BE(at));
        at += 2;
        break;
      case 8:
        stringIndex.push(bytes.readUInt16BE(at));
        at += 2;
        break;
      case 9:
      case 10:
      case 11:
        refs.push({
          kind: tag === 9 ? 'field' : 'method',
          classAt: bytes.readUInt16BE(at),
          nameAndTypeAt: bytes.readUInt16BE(at + 2),
        });
        at += 4;
        break;
      case 12:
        nameAndType.set(index, bytes.readUInt16BE(at));
        at += 4;
        break;
      case 3:
      case 4:
      case 17:
      case 18:
        at += 4;
        break;
      case 5:
      case 6:
        // Longs and doubles take two constant pool slots.
        at += 8;
        index += 1;
        break;
      case 15:
        at += 3;
        break;
      case 16:
      case 19:
      case 20:
        at += 2;
        break;
      default:
        throw new Error(`constant pool entry ${index} has the unknown tag ${tag}`);
    }
  }
  const className = (index: number): string => utf8.get(classIndex.get(index) ?? 0) ?? '';
  return {
    classes: [...classIndex.keys()].map(className),
    members: refs.map((ref) => ({
      kind: ref.kind,
      owner: className(ref.classAt),
      name: utf8.get(nameAndType.get(ref.nameAndTypeAt) ?? 0) ?? '',
    })),
    strings: stringIndex.map((index) => utf8.get(index) ?? ''),
  };
}
