import type { IncomingMessage } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { toFetchRequest, toRouteRequest, writeFetchResponse } from './fetch-bridge';

const URL_OF = new URL('http://127.0.0.1:4318/__tracehop/w3c?x=1');

function nodeRequest(method: string): IncomingMessage {
  return { method } as IncomingMessage;
}

describe('toRouteRequest', () => {
  it.each([
    ['POST', Buffer.from('{"a":1}')],
    ['POST', Buffer.from('\uFEFF[{"url":"http://x"}]')],
    ['POST', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
    ['PUT', Buffer.alloc(0)],
    ['GET', Buffer.from('ignored')],
    ['HEAD', Buffer.from('ignored')],
  ])('says of %s %j what the Fetch Request would', async (method, body) => {
    const light = toRouteRequest(nodeRequest(method), URL_OF, body);
    const fetchRequest = toFetchRequest(nodeRequest(method), URL_OF, [], body);
    expect({ method: light.method, url: light.url, text: await light.text() }).toEqual({
      method: fetchRequest.method,
      url: fetchRequest.url,
      text: await fetchRequest.text(),
    });
  });
});

describe('writeFetchResponse', () => {
  /** An answer that is no HTTP/1.1 ServerResponse (as an Http2ServerResponse is not): what was set on it. */
  function http2Target(): { target: Http2ServerResponse; set: [string, unknown][]; ended: () => string } {
    const set: [string, unknown][] = [];
    let body = '';
    const target = {
      statusCode: 0,
      setHeader: (name: string, value: unknown) => set.push([name, value]),
      end: (chunk: Buffer) => (body = chunk.toString()),
    };
    return { target: target as unknown as Http2ServerResponse, set, ended: () => body };
  }

  it('leaves out the headers HTTP/2 forbids when the answer goes over HTTP/2, keeping every other', async () => {
    const { target, set, ended } = http2Target();
    const answer = new Response('ok', {
      status: 201,
      headers: { connection: 'keep-alive', 'keep-alive': 'timeout=5', upgrade: 'h2c', 'x-trace': '1' },
    });
    await writeFetchResponse(answer, target);
    expect({ status: target.statusCode, set, body: ended() }).toEqual({
      status: 201,
      set: [
        ['content-type', 'text/plain;charset=UTF-8'],
        ['x-trace', '1'],
        ['content-length', 2],
      ],
      body: 'ok',
    });
  });
});
