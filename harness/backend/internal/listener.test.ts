import { connect as http2Connect, type ServerHttp2Stream } from 'node:http2';
import { connect } from 'node:net';
import { listen, type Listener } from './listener';

describe('listen', () => {
  it('answers 500 naming the defect when a handler rejects, and keeps serving', async () => {
    let calls = 0;
    const listener = await listen(async (_request, response) => {
      calls++;
      if (calls === 1) throw new Error('the handler broke');
      response.end('fine');
    });
    try {
      const broken = await fetch(`${listener.url}/x`);
      const brokenText = await broken.text();
      const next = await fetch(`${listener.url}/x`);
      expect({ status: broken.status, text: brokenText, next: await next.text() }).toEqual({
        status: 500,
        text: '[tracehop] Failed to handle GET /x: the handler broke. This is a tracehop defect: please report it with this message.\n',
        next: 'fine',
      });
    } finally {
      await listener.close();
    }
  });
});

/** What a raw TCP client got before the server closed its connection, or `open` at the deadline. */
function rawExchange(port: number, send: string, deadlineMs = 10_000): Promise<{ answer: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const deadline = setTimeout(() => {
      socket.destroy();
      resolve({ answer: Buffer.concat(chunks).toString('utf8'), closed: false });
    }, deadlineMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(deadline);
      resolve({ answer: Buffer.concat(chunks).toString('utf8'), closed: true });
    });
    if (send !== '') socket.write(send);
  });
}

const TIMED_OUT =
  'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 195\r\n\r\n' +
  '[tracehop] Failed to read the request: the request did not arrive in time (its head is allowed 300 ms, the whole request 600 ms). Send the whole request at once, or check what stalls the client.\n';
const SHORT = { headersMs: 300, requestMs: 600, checkEveryMs: 100 };
const noStreams = undefined;
const streams = (stream: ServerHttp2Stream): void => {
  stream.respond({ ':status': 200 });
  stream.end('h2');
};

describe.each([
  ['HTTP/1.1 alone', noStreams],
  ['HTTP/1.1 beside HTTP/2 on one port', streams],
])('listen, %s: a stalled client is closed', (_what, withStreams) => {
  let listener: Listener;
  beforeEach(async () => {
    listener = await listen(
      async (request, response) => {
        for await (const chunk of request) void chunk;
        response.end('fine');
      },
      0,
      withStreams,
      SHORT,
    );
  });
  afterEach(() => listener.close());

  it('answers 408 to a request head that never ends', async () => {
    const outcome = await rawExchange(listener.port, 'POST /v1/traces HTTP/1.1\r\nHost: x\r\n');
    expect(outcome).toEqual({ closed: true, answer: TIMED_OUT });
  });

  it('answers 408 to a body shorter than its Content-Length', async () => {
    const outcome = await rawExchange(
      listener.port,
      'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"resourceSpans"',
    );
    expect(outcome).toEqual({ closed: true, answer: TIMED_OUT });
  });

  it('closes a connection that sends nothing', async () => {
    // Node's own HTTP/1.1 server answers it 408; the listener that sniffs HTTP/2 closes it unanswered.
    const answer = withStreams === noStreams ? TIMED_OUT : '';
    expect(await rawExchange(listener.port, '')).toEqual({ closed: true, answer });
  });

  it('still serves a whole request after stalled ones', async () => {
    await rawExchange(listener.port, 'GET / HTTP/1.1\r\n');
    expect(await (await fetch(listener.url)).text()).toBe('fine');
  });
});

describe('listen, HTTP/2 beside HTTP/1.1', () => {
  it('serves a stream and closes the session once it stays idle', async () => {
    const listener = await listen(async (_request, response) => void response.end('fine'), 0, streams, SHORT);
    const session = http2Connect(listener.url);
    try {
      const closed = new Promise<boolean>((resolve) => {
        const deadline = setTimeout(() => resolve(false), 10_000);
        session.on('close', () => {
          clearTimeout(deadline);
          resolve(true);
        });
      });
      session.on('error', () => undefined);
      const request = session.request({ ':path': '/' });
      request.setEncoding('utf8');
      let body = '';
      for await (const chunk of request) body += String(chunk);
      expect({ body, closed: await closed }).toEqual({ body: 'h2', closed: true });
    } finally {
      session.destroy();
      await listener.close();
    }
  });
});

describe('listen, HTTP/2: a request Node refuses before any handler sees it', () => {
  it('is told of (stream-reset-unseen) when its connection times out: one header over 65536 bytes as sent ends it with COMPRESSION_ERROR, and Node says nothing', async () => {
    const told: [number, string][] = [];
    let tell: () => void = () => undefined;
    const toldOnce = new Promise<void>((resolve) => (tell = resolve));
    const listener = await listen(
      () => Promise.resolve(),
      0,
      streams,
      SHORT,
      undefined,
      undefined,
      (port, cause) => {
        told.push([port, cause]);
        tell();
      },
    );
    try {
      const session = http2Connect(listener.url, { maxSendHeaderBlockLength: 1 << 20 });
      session.on('error', () => undefined);
      // 104,900 "a"s are 65,563 bytes once Huffman-coded (5 bits each): nghttp2 reads no header longer.
      const stream = session.request({ ':path': '/', baggage: 'a'.repeat(104_900) });
      stream.on('error', () => undefined);
      stream.end();
      const rstCode = await new Promise<number | undefined>((resolve) =>
        stream.on('close', () => resolve(stream.rstCode)),
      );
      session.destroy();
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([
        toldOnce,
        new Promise((_, reject) => {
          deadline = setTimeout(() => reject(new Error(`not told within 10 s: ${JSON.stringify(told)}`)), 10_000);
        }),
      ]).finally(() => clearTimeout(deadline));
      expect({ rstCode, told }).toEqual({ rstCode: 9, told: [[listener.port, 'stream-reset-unseen']] });
    } finally {
      await listener.close();
    }
  });
});
