import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBackend, type Backend } from '../../harness/backend';

/** A stand-in for the W3C harness: records the headers of every callback it receives. */
interface CallbackServer {
  readonly url: string;
  next(): Promise<IncomingHttpHeaders>;
  close(): Promise<void>;
}

async function callbackServer(): Promise<CallbackServer> {
  const waiting: ((headers: IncomingHttpHeaders) => void)[] = [];
  const received: IncomingHttpHeaders[] = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const waiter = waiting.shift();
      if (waiter) waiter(request.headers);
      else received.push(request.headers);
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    next: () => {
      const ready = received.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let backend: Backend;
let harness: CallbackServer;

beforeAll(async () => {
  [backend, harness] = await Promise.all([startBackend(), callbackServer()]);
});

afterAll(async () => {
  await Promise.all([backend.stop(), harness.close()]);
});

/** Asks a service to call back `count` times with the given incoming headers; returns the callbacks' headers. */
async function participate(
  headers: [string, string][],
  count = 1,
  service = 'payment-api',
): Promise<IncomingHttpHeaders[]> {
  const body = JSON.stringify(Array.from({ length: count }, (_, i) => ({ url: `${harness.url}/${i}`, arguments: [] })));
  const init = new Headers();
  for (const [name, value] of headers) init.append(name, value);
  const response = await fetch(`${backend.urls.services[service]}/__tracehop/w3c`, {
    method: 'POST',
    headers: init,
    body,
  });
  await response.text();
  const callbacks: IncomingHttpHeaders[] = [];
  for (let i = 0; i < count; i++) callbacks.push(await harness.next());
  return callbacks;
}

function fields(traceparent: string | string[] | undefined): { traceId: string; parentId: string; flags: string } {
  const [, traceId = '', parentId = '', flags = ''] = String(traceparent).split('-');
  return { traceId, parentId, flags };
}

describe('POST /__tracehop/w3c as a W3C Trace Context participant', () => {
  it('continues a valid traceparent with a new parent id per callback and keeps the sampled flag', async () => {
    const callbacks = await participate(
      [['traceparent', '00-12345678901234567890123456789012-1234567890123456-01']],
      3,
    );
    const parsed = callbacks.map((headers) => fields(headers.traceparent));
    expect({
      traceIds: [...new Set(parsed.map((p) => p.traceId))],
      parentIds: new Set(parsed.map((p) => p.parentId)).size,
      reusesCallerId: parsed.some((p) => p.parentId === '1234567890123456'),
      flags: [...new Set(parsed.map((p) => p.flags))],
    }).toEqual({ traceIds: ['12345678901234567890123456789012'], parentIds: 3, reusesCallerId: false, flags: ['01'] });
  });

  it('propagates the Level 2 random flag of an unsampled caller', async () => {
    const [callback] = await participate([['traceparent', '00-12345678901234567890123456789012-1234567890123456-02']]);
    expect(fields(callback!.traceparent)).toEqual({
      traceId: '12345678901234567890123456789012',
      parentId: expect.not.stringMatching(/^1234567890123456$/),
      flags: '02',
    });
  });

  test.each([
    ['version ff', 'ff-12345678901234567890123456789012-1234567890123456-01'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-1234567890123456-01'],
    ['uppercase hex', '00-12345678901234567890123456789ABC-1234567890123456-01'],
    ['a one-digit flags field', '00-12345678901234567890123456789012-1234567890123456-1'],
  ])('restarts the trace and drops tracestate on %s', async (_label, traceparent) => {
    const [callback] = await participate([
      ['traceparent', traceparent],
      ['tracestate', 'foo=1'],
    ]);
    expect({
      traceId: fields(callback!.traceparent).traceId === '12345678901234567890123456789012',
      tracestate: callback!.tracestate,
    }).toEqual({
      traceId: false,
      tracestate: 'tracehop=payment-api',
    });
  });

  it('combines repeated tracestate headers in order behind its own member', async () => {
    const [callback] = await participate([
      ['traceparent', '00-12345678901234567890123456789012-1234567890123456-00'],
      ['tracestate', 'foo=1,bar=2'],
      ['tracestate', 'rojo=1,congo=2'],
      ['tracestate', 'baz=3'],
    ]);
    expect(callback!.tracestate).toBe('tracehop=payment-api,foo=1,bar=2,rojo=1,congo=2,baz=3');
  });

  test.each([
    ['keeps the first member of a duplicated key', 'foo=1,bar=2,foo=3', 'tracehop=payment-api,foo=1,bar=2'],
    ['replaces its own member, wherever it arrived', 'foo=1,tracehop=gateway', 'tracehop=payment-api,foo=1'],
    ['drops a tracestate with an invalid member whole', 'foo=1,bar', 'tracehop=payment-api'],
    ['drops a tracestate with an invalid key whole', 'foo=1,Bar=2', 'tracehop=payment-api'],
  ])('%s, and the trace goes on', async (_label, tracestate, forwarded) => {
    const [callback] = await participate([
      ['traceparent', '00-12345678901234567890123456789012-1234567890123456-01'],
      ['tracestate', tracestate],
    ]);
    expect({ traceId: fields(callback!.traceparent).traceId, tracestate: callback!.tracestate }).toEqual({
      traceId: '12345678901234567890123456789012',
      tracestate: forwarded,
    });
  });

  it('answers 400 to malformed JSON, a body that is not a callback list, too many callbacks and callbacks off loopback', async () => {
    const url = `${backend.urls.services['payment-api']}/__tracehop/w3c`;
    const malformed = await fetch(url, { method: 'POST', body: '[{"url":' });
    const notList = await fetch(url, { method: 'POST', body: '{"url":"x"}' });
    const tooMany = await fetch(url, {
      method: 'POST',
      body: JSON.stringify(Array.from({ length: 65 }, () => ({ url: 'http://127.0.0.1:1/', arguments: [] }))),
    });
    const offLoopback = await fetch(url, { method: 'POST', body: '[{"url":"http://example.com/","arguments":[]}]' });
    expect([
      { status: malformed.status, text: await malformed.text() },
      { status: notList.status, text: await notList.text() },
      { status: tooMany.status, text: await tooMany.text() },
      { status: offLoopback.status, text: await offLoopback.text() },
    ]).toEqual([
      {
        status: 400,
        text: '[tracehop] Failed to run the W3C participant request: the body is not JSON. Send a JSON array of {"url", "arguments"} objects, as the W3C trace-context test harness does.\n',
      },
      {
        status: 400,
        text: '[tracehop] Failed to run the W3C participant request: the body is not a JSON array. Send a JSON array of {"url", "arguments"} objects, as the W3C trace-context test harness does.\n',
      },
      {
        status: 400,
        text: '[tracehop] Failed to run the W3C participant request: the body asks for 65 callbacks, more than 64. Send a JSON array of {"url", "arguments"} objects, as the W3C trace-context test harness does.\n',
      },
      {
        status: 400,
        text: '[tracehop] Failed to run the W3C participant request: entry 0 points at "http://example.com/", which is not an http URL on loopback. Send a JSON array of {"url", "arguments"} objects, as the W3C trace-context test harness does.\n',
      },
    ]);
  });
});
