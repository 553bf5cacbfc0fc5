/**
 * A bounds-checked protobuf wire-format reader (https://protobuf.dev/programming-guides/encoding/).
 * Faults are thrown as `ProtobufFault` and must be caught by the decoder that owns the boundary.
 */

/** A malformed byte sequence: where, and what is wrong there. */
export class ProtobufFault {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {}
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

const WIRE_NAMES = [
  'varint',
  'fixed64',
  'length-delimited',
  'start-group',
  'end-group',
  'fixed32',
  'invalid (6)',
  'invalid (7)',
];

/** Human name of a wire type, for messages. */
export function wireName(wire: number): string {
  return WIRE_NAMES[wire] ?? `invalid (${wire})`;
}

const UTF8 = new TextDecoder('utf-8');
const TWO_32 = 4294967296;

/** Cached argument arrays for String.fromCharCode, one per short length, so short strings allocate nothing else. */
const CHAR_SCRATCH: number[][] = Array.from({ length: 65 }, (_, n) => new Array<number>(n).fill(0));

/**
 * Reads a buffer from `pos` up to `end`. Nested messages are read in place: `enter` narrows `end` to the
 * message and `leave` restores it, so decoding a large body allocates no reader per message.
 */
export class ProtobufReader {
  pos: number;
  end: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    end: number,
  ) {
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a varint and returns its low 32 bits as an unsigned number (tags, lengths, enums). */
  varint32(): number {
    // Most tags and many lengths are one byte: read those without the general loop.
    const at = this.pos;
    if (at < this.end) {
      const byte = this.buf[at] ?? 0x80;
      if (byte < 0x80) {
        this.pos = at + 1;
        return byte;
      }
    }
    return this.longVarint32();
  }

  private longVarint32(): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufFault(start, 'truncated varint');
      const byte = this.buf[this.pos++] ?? 0; // pos < end was checked above
      if (i < 5) result += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) return result % TWO_32;
    }
    throw new ProtobufFault(start, 'varint longer than 10 bytes');
  }

  /**
   * Reads an int64 varint as a number (two's complement): exact up to 2^53, and beyond that exact for every
   * value a double holds (OpenTelemetry JS writes any integral double in the int64 range as int_value).
   */
  int64(): number {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufFault(start, 'truncated varint');
      const byte = this.buf[this.pos++] ?? 0; // pos < end was checked above
      if (i < 4) lo |= (byte & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (byte & 0x0f) << 28;
        hi |= (byte & 0x7f) >> 4;
      } else hi |= (byte & 0x7f) << (7 * i - 32);
      if ((byte & 0x80) === 0) {
        lo >>>= 0;
        hi >>>= 0;
        if (hi & 0x80000000) {
          // Negate in 64 bits first, then sum once: adding 1 after the float sum would round twice.
          const negLo = (~lo + 1) >>> 0;
          const negHi = (~hi + (negLo === 0 ? 1 : 0)) >>> 0;
          return -(negHi * TWO_32 + negLo);
        }
        return hi * TWO_32 + lo;
      }
    }
    throw new ProtobufFault(start, 'varint longer than 10 bytes');
  }

  private need(count: number): number {
    const start = this.pos;
    if (this.end - start < count) {
      throw new ProtobufFault(start, `needs ${count} bytes but only ${this.end - start} remain`);
    }
    this.pos += count;
    return start;
  }

  fixed32(): number {
    const at = this.need(4);
    return this.view.getUint32(at, true);
  }

  double(): number {
    const at = this.need(8);
    return this.view.getFloat64(at, true);
  }

  /** Reads a length prefix, checks it against `end`, skips the payload and returns where it starts. */
  payload(): number {
    const lengthAt = this.pos;
    const length = this.varint32();
    if (length > this.end - this.pos) {
      throw new ProtobufFault(
        lengthAt,
        `length ${length} runs past the end of its message (${this.end - this.pos} bytes left)`,
      );
    }
    const start = this.pos;
    this.pos += length;
    return start;
  }

  string(): string {
    const start = this.payload();
    const end = this.pos;
    const length = end - start;
    // Short ASCII strings (keys, names) are the common case; skip TextDecoder's per-call cost for them.
    if (length < CHAR_SCRATCH.length) {
      const chars = CHAR_SCRATCH[length] ?? [];
      let i = 0;
      for (; i < length; i++) {
        const code = this.buf[start + i] ?? 0x80;
        if (code >= 0x80) break;
        chars[i] = code;
      }
      if (i === length) return String.fromCharCode.apply(null, chars);
    }
    return UTF8.decode(this.buf.subarray(start, end));
  }

  /** Enters a nested message: `end` becomes the message's end. Returns the outer end for `leave`. */
  enter(): number {
    const outer = this.end;
    const start = this.payload();
    this.end = this.pos;
    this.pos = start;
    return outer;
  }

  /** Leaves a nested message (skipping what is left of it) and restores the outer end. */
  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  /** Skips an unknown field of the given wire type; `tagAt` is where its tag started, for messages. */
  skip(wire: number, tagAt: number = this.pos): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint32();
        return;
      case WIRE_FIXED64:
        this.need(8);
        return;
      case WIRE_LENGTH_DELIMITED:
        this.payload();
        return;
      case WIRE_FIXED32:
        this.need(4);
        return;
      default:
        throw new ProtobufFault(tagAt, `wire type ${wireName(wire)} is not allowed here`);
    }
  }
}
