/**
 * A growable protobuf wire-format writer over one buffer. A nested message is written in place between
 * `begin` and `end`; `end` shifts it right by the size of its length prefix, so no per-message buffers
 * are allocated (large bodies would otherwise spend their time in the garbage collector).
 */
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './protobuf-reader';

const UTF8 = new TextEncoder();

function varintSize(value: number): number {
  let size = 1;
  let rest = value;
  while (rest >= 0x80) {
    rest = Math.floor(rest / 0x80);
    size++;
  }
  return size;
}

export class ProtobufWriter {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  private len = 0;
  private readonly open: number[] = [];

  private reserve(count: number): void {
    if (this.len + count <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + count) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** An unsigned varint of at most 2^53, written at `at` (which must have room). Returns the end. */
  private putVarint(at: number, value: number): number {
    let pos = at;
    let rest = value;
    while (rest >= 0x80) {
      this.buf[pos++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[pos++] = rest;
    return pos;
  }

  private rawVarint(value: number): void {
    this.reserve(10);
    this.len = this.putVarint(this.len, value);
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  varint(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
  }

  /** int64 in two's complement (negative numbers take 10 bytes). */
  int64(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    if (value >= 0) {
      this.rawVarint(value);
      return;
    }
    let big = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (big >= 0x80n) {
      this.buf[this.len++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    this.buf[this.len++] = Number(big);
  }

  bool(field: number, value: boolean): void {
    this.varint(field, value ? 1 : 0);
  }

  fixed32(field: number, value: number): void {
    this.tag(field, WIRE_FIXED32);
    this.reserve(4);
    this.view.setUint32(this.len, value >>> 0, true);
    this.len += 4;
  }

  /** fixed64 from its low and high 32-bit halves. */
  fixed64(field: number, lo: number, hi: number): void {
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    this.view.setUint32(this.len, lo >>> 0, true);
    this.view.setUint32(this.len + 4, hi >>> 0, true);
    this.len += 8;
  }

  double(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    this.view.setFloat64(this.len, value, true);
    this.len += 8;
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(value.length);
    this.reserve(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
  }

  string(field: number, value: string): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    // Worst case 3 bytes per UTF-16 unit; encodeInto writes in place.
    const max = value.length * 3;
    this.reserve(max + 5);
    const start = this.len;
    const lengthSize = varintSize(max);
    const { written } = UTF8.encodeInto(value, this.buf.subarray(start + lengthSize));
    const actualSize = varintSize(written);
    if (actualSize !== lengthSize)
      this.buf.copyWithin(start + actualSize, start + lengthSize, start + lengthSize + written);
    this.len = this.putVarint(start, written) + written;
  }

  /** Starts a nested message (length-delimited field); close it with `end`. */
  begin(field: number): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.open.push(this.len);
  }

  /** Closes the innermost nested message, inserting its length prefix. */
  end(): void {
    const start = this.open.pop();
    if (start === undefined) return;
    const length = this.len - start;
    const size = varintSize(length);
    this.reserve(size);
    this.buf.copyWithin(start + size, start, this.len);
    this.putVarint(start, length);
    this.len += size;
  }

  /** Writes another writer's bytes as a nested message (for tests that build bodies piece by piece). */
  message(field: number, child: ProtobufWriter): void {
    this.bytes(field, child.finish());
  }

  /** The bytes written so far (a view; copy it if the writer is used again). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
