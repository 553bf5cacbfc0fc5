/** A growable protobuf wire-format writer; nested messages are written by a child writer, then embedded. */
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './protobuf-reader';

const UTF8 = new TextEncoder();

export class ProtobufWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(count: number): void {
    if (this.len + count <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + count) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** An unsigned varint of at most 2^53. */
  private rawVarint(value: number): void {
    this.reserve(10);
    let rest = value;
    while (rest >= 0x80) {
      this.buf[this.len++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[this.len++] = rest;
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
    new DataView(this.buf.buffer, this.len, 4).setUint32(0, value >>> 0, true);
    this.len += 4;
  }

  fixed64(field: number, value: bigint): void {
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    new DataView(this.buf.buffer, this.len, 8).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.len += 8;
  }

  double(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    new DataView(this.buf.buffer, this.len, 8).setFloat64(0, value, true);
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
    this.bytes(field, UTF8.encode(value));
  }

  message(field: number, child: ProtobufWriter): void {
    this.bytes(field, child.finish());
  }

  /** The bytes written so far (a view; copy it if the writer is used again). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
