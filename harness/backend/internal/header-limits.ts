import { maxHeaderSize } from 'node:http';
import { failure } from '../../internal/messages';

/**
 * How many bytes of headers a request may carry, over HTTP/1.1 and HTTP/2 alike: Node's HTTP/1.1 limit
 * (16384 unless `--max-http-header-size` says otherwise). A request over it is captured and answered 431.
 */
export const HEADER_LIMIT_BYTES = maxHeaderSize;

/**
 * Where Node's HTTP/1.1 parser gives up on a request head (its `maxHeaderSize` on the listeners): far above
 * {@link HEADER_LIMIT_BYTES}, so a request over that limit still reaches tracehop, which captures it before
 * answering 431. A head over this one is answered 431 by the listener alone, and is not captured.
 */
export const HEADER_HARD_LIMIT_BYTES = Math.max(65_536, 4 * HEADER_LIMIT_BYTES);

/**
 * How many header fields (pseudo-headers included) an HTTP/2 request may carry before Node resets its stream
 * (ENHANCE_YOUR_CALM) unseen: Node's `maxHeaderListPairs`, 128 by default. Set to as many as one header block
 * can hold, so the count never resets a stream first: a block runs on in at most 8 CONTINUATION frames (nghttp2
 * ends the connection past them, {@link UncapturedCause}), so 9 frames of at most 16384 bytes (the
 * SETTINGS_MAX_FRAME_SIZE the listeners advertise), and each field takes at least one byte of it (a field
 * HPACK has indexed: 20,000 copies of a baggage are some 20 KB).
 */
export const HTTP2_MAX_HEADER_FIELDS = 9 * 16_384;

/** A request's headers over {@link HEADER_LIMIT_BYTES}: their size and their largest field. */
export interface HeadersOverLimit {
  readonly bytes: number;
  readonly largest: { readonly name: string; readonly bytes: number };
}

/**
 * The size of a request's headers (Node's `rawHeaders`, pseudo-headers included) when over the limit, counted
 * as HTTP/1.1 writes each field: its name, ": ", its value and a line end. Node reads each byte of a header
 * as one character (latin1), so a string's length is its size on the wire. One sum per request; the largest
 * field is looked for only in a request over the limit.
 */
export function headersOverLimit(rawHeaders: readonly string[]): HeadersOverLimit | undefined {
  let bytes = 0;
  for (const text of rawHeaders) bytes += text.length;
  bytes += 2 * rawHeaders.length;
  if (bytes <= HEADER_LIMIT_BYTES) return undefined;
  let largest = { name: '', bytes: 0 };
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const size = name.length + (rawHeaders[i + 1]?.length ?? 0) + 4;
    if (size > largest.bytes) largest = { name: name.toLowerCase(), bytes: size };
  }
  return { bytes, largest };
}

/** What a 431 answer says: how large the headers are, the largest field, and what to do. */
export function headersTooLarge(action: string, over: HeadersOverLimit): string {
  return failure(
    action,
    `the request headers are ${over.bytes} bytes, more than the ${HEADER_LIMIT_BYTES} allowed (the largest field, ${over.largest.name}, is ${over.largest.bytes})`,
    'Send smaller headers; a trace header this large is itself a defect.',
  );
}

/**
 * A request Node refused before tracehop could capture it: an HTTP/1.1 head over
 * {@link HEADER_HARD_LIMIT_BYTES} (answered 431 by the listener), an HTTP/2 header block longer than nghttp2
 * lets a HEADERS frame run on in CONTINUATION frames (8; the connection ends with GOAWAY INTERNAL_ERROR), or an
 * HTTP/2 stream Node reset before handing it over (unseen-streams.ts).
 */
export type UncapturedCause = 'head-too-large' | 'header-block-too-long' | 'stream-reset-unseen';

/** Node's message for a session ended by a header block of too many CONTINUATION frames (nghttp2's guard). */
const TOO_MANY_CONTINUATIONS = /CONTINUATION/;

/** The {@link UncapturedCause} of an HTTP/2 session's error, if it is one. */
export function uncapturedCauseOf(error: Error): UncapturedCause | undefined {
  return TOO_MANY_CONTINUATIONS.test(error.message) ? 'header-block-too-long' : undefined;
}

/** What happened to a request refused for `cause`, and what to do about it. */
const REFUSALS: Readonly<Record<UncapturedCause, { readonly what: string; readonly hint: string }>> = {
  'head-too-large': {
    what: `its headers are larger than ${HEADER_HARD_LIMIT_BYTES} bytes, so it was answered 431 by the listener`,
    hint: 'Send smaller headers: trace headers this large (a tracestate or baggage that grows at each hop) are a defect of the app.',
  },
  'header-block-too-long': {
    what: 'its HTTP/2 header block took more than 8 CONTINUATION frames (some 140 KB once compressed), so Node ended the connection (GOAWAY with INTERNAL_ERROR)',
    hint: 'Send smaller headers: trace headers this large (a tracestate or baggage that grows at each hop) are a defect of the app.',
  },
  'stream-reset-unseen': {
    what: 'Node refused its HTTP/2 request before tracehop saw it (ENHANCE_YOUR_CALM: headers over its 10 MB session memory once decompressed, 32 bytes more a field; PROTOCOL_ERROR: a request RFC 9113 calls malformed; or COMPRESSION_ERROR, which ends the connection: a header over 65536 bytes as sent)',
    hint: 'Send smaller headers (a tracestate or baggage that grows at each hop is a defect of the app) and well-formed HTTP/2 requests (RFC 9113 section 8.1).',
  },
};

/**
 * Says, once per listener and cause, that a request on `where` was refused before it could be captured: its
 * journey would otherwise read as a call that never arrived. `lost` says what of it is missing (a service's
 * capture log, the receiver's store).
 */
export function uncapturedWarning(
  where: string,
  lost: string,
  warn: (message: string) => void,
): (port: number, cause: UncapturedCause) => void {
  const said = new Set<UncapturedCause>();
  return (port, cause) => {
    if (said.has(cause)) return;
    said.add(cause);
    const { what, hint } = REFUSALS[cause];
    warn(failure(`read a request on ${where} (port ${port})`, `${what}, and ${lost} (said once per listener)`, hint));
  };
}
