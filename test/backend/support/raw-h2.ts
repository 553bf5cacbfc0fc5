import { connect } from 'node:net';

/** A header field as written on the wire: any name, any value, in this order (no client checks them). */
export type RawField = readonly [string, string];

/** How one stream ended: the RST_STREAM code it was reset with, or the text of its DATA frames. */
export interface RawStream {
  readonly rstCode?: number;
  /** Whether a HEADERS frame (the answer's head) came back on it. */
  readonly answered: boolean;
  readonly body: string;
}

/** What the server sent back: each request's stream in order, and the GOAWAY code if it ended the connection. */
export interface RawExchange {
  readonly streams: readonly RawStream[];
  readonly goAwayCode?: number;
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const [DATA, HEADERS, RST_STREAM, SETTINGS, GOAWAY] = [0, 1, 3, 4, 7];
const [END_STREAM, ACK, END_HEADERS] = [0x1, 0x1, 0x4];

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK integer with a 7-bit prefix (RFC 7541 §5.1), first byte's high bit clear (no Huffman coding). */
function hpackLength(length: number): Buffer {
  if (length < 127) return Buffer.from([length]);
  const bytes = [127];
  let rest = length - 127;
  while (rest >= 128) {
    bytes.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A header block of literal fields without indexing, new names (RFC 7541 §6.2.2): every byte as given. */
function headerBlock(fields: readonly RawField[]): Buffer {
  return Buffer.concat(
    fields.flatMap(([name, value]) => [
      Buffer.from([0]),
      hpackLength(Buffer.byteLength(name)),
      Buffer.from(name),
      hpackLength(Buffer.byteLength(value)),
      Buffer.from(value),
    ]),
  );
}

/**
 * Speaks HTTP/2 without TLS to `url` by hand, so header fields a conforming client refuses to send (no :path,
 * uppercase names, connection-specific ones) reach the server as written: one request without a body per
 * entry, on streams 1, 3, 5, ... Resolves once each stream ended (its answer complete, or reset) or the server
 * ended the connection; rejects after `deadlineMs` saying what was still open.
 */
export function rawH2(
  url: string,
  requests: readonly (readonly RawField[])[],
  deadlineMs = 5000,
): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const streams = requests.map(() => ({
      answered: false,
      body: '',
      ended: false,
      rstCode: undefined as number | undefined,
    }));
    let goAwayCode: number | undefined;
    let pending = Buffer.alloc(0);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({
        streams: streams.map(({ answered, body, rstCode }) =>
          rstCode === undefined ? { answered, body } : { answered, body, rstCode },
        ),
        ...(goAwayCode === undefined ? {} : { goAwayCode }),
      });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`raw HTTP/2 exchange still open after ${deadlineMs} ms: ${JSON.stringify(streams)}`));
    }, deadlineMs);
    socket.on('error', () => undefined);
    socket.on('close', finish);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 9) {
        const length = pending.readUIntBE(0, 3);
        if (pending.length < 9 + length) break;
        const [type, flags] = [pending[3] ?? 0, pending[4] ?? 0];
        const streamId = pending.readUInt32BE(5) & 0x7fffffff;
        const payload = pending.subarray(9, 9 + length);
        pending = pending.subarray(9 + length);
        const stream = streamId % 2 === 1 ? streams[(streamId - 1) / 2] : undefined;
        if (type === SETTINGS && (flags & ACK) === 0) socket.write(frame(SETTINGS, ACK, 0, Buffer.alloc(0)));
        else if (type === GOAWAY) goAwayCode = payload.readUInt32BE(4);
        else if (stream && type === RST_STREAM)
          Object.assign(stream, { rstCode: payload.readUInt32BE(0), ended: true });
        else if (stream && type === HEADERS) stream.answered = true;
        else if (stream && type === DATA) stream.body += payload.toString();
        if (stream && (type === HEADERS || type === DATA) && (flags & END_STREAM) !== 0) stream.ended = true;
      }
      if (goAwayCode !== undefined || streams.every((stream) => stream.ended)) finish();
    });
    socket.write(
      Buffer.concat([
        PREFACE,
        frame(SETTINGS, 0, 0, Buffer.alloc(0)),
        ...requests.map((fields, i) => frame(HEADERS, END_HEADERS | END_STREAM, 2 * i + 1, headerBlock(fields))),
      ]),
    );
  });
}
