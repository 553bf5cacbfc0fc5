import { gzipSync } from 'node:zlib';
import { isGzipFramedByInflatedSize } from './short-gzip';

const TEXT = Buffer.from('{"resourceSpans":[]}'.repeat(40));
const GZIP = gzipSync(TEXT);

/** The body in pieces, as a socket may hand it over. */
function pieces(bytes: Buffer, ...cuts: number[]): Buffer[] {
  const ends = [...cuts, bytes.length];
  return ends.map((end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
}

describe('isGzipFramedByInflatedSize', () => {
  it('takes a whole gzip body declared with its inflated size, in any pieces', () => {
    expect(GZIP.length).toBeLessThan(TEXT.length);
    expect(isGzipFramedByInflatedSize([GZIP], GZIP.length, TEXT.length)).toBe(true);
    // The last piece holds fewer than the 4 bytes of ISIZE.
    expect(isGzipFramedByInflatedSize(pieces(GZIP, 5, GZIP.length - 2), GZIP.length, TEXT.length)).toBe(true);
  });

  it('leaves every other body to arrive', () => {
    // Declared one byte more or less than it inflates to: ISIZE does not match.
    expect(isGzipFramedByInflatedSize([GZIP], GZIP.length, TEXT.length + 1)).toBe(false);
    expect(isGzipFramedByInflatedSize([GZIP], GZIP.length, TEXT.length - 1)).toBe(false);
    // Whole and declared with its own length: the body ended as framed.
    expect(isGzipFramedByInflatedSize([GZIP], GZIP.length, GZIP.length)).toBe(false);
    // Cut short: no trailer yet.
    const cut = GZIP.subarray(0, GZIP.length - 6);
    expect(isGzipFramedByInflatedSize([cut], cut.length, TEXT.length)).toBe(false);
    // The last four bytes happen to equal the declared length, but the stream is not whole.
    const early = GZIP.subarray(0, 30);
    expect(isGzipFramedByInflatedSize([early], early.length, early.readUInt32LE(26))).toBe(false);
    // Not gzip at all, though its last four bytes say the declared length.
    const plain = Buffer.concat([TEXT.subarray(0, 40), Buffer.from([0x20, 0x03, 0, 0])]);
    expect(isGzipFramedByInflatedSize([plain], plain.length, 800)).toBe(false);
    // Fewer bytes than any gzip member has.
    expect(isGzipFramedByInflatedSize([GZIP.subarray(0, 17)], 17, TEXT.length)).toBe(false);
  });

  it('stops at a stream that inflates past the declared length, whatever its ISIZE says', () => {
    // ISIZE is the size modulo 2^32: rewritten to the declared length, the stream now fails its own check.
    const lying = Buffer.from(GZIP);
    lying.writeUInt32LE(100, lying.length - 4);
    expect(isGzipFramedByInflatedSize([lying], lying.length, 100)).toBe(false);
  });
});
