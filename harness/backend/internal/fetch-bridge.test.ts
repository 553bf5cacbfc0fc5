import type { IncomingMessage } from 'node:http';
import { toFetchRequest, toRouteRequest } from './fetch-bridge';

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
