import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callDownstream, DownstreamAgents } from './downstream-call';

/** A server that answers every request with the number of the connection it arrived on. */
async function countingServer(): Promise<{ server: Server; url: string; connections: () => number }> {
  let connections = 0;
  const numbers = new WeakMap<object, number>();
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end(String(numbers.get(request.socket))));
  });
  server.on('connection', (socket) => numbers.set(socket, ++connections));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
  };
}

async function threeCalls(url: string, agents?: DownstreamAgents): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < 3; i++) {
    const result = await callDownstream(`${url}/hop`, 'POST', [['x-call', String(i)]], '{}', 5000, undefined, agents);
    bodies.push(result.ok ? `${result.status} ${result.body}` : result.message);
  }
  return bodies;
}

describe('callDownstream connections', () => {
  let target: Awaited<ReturnType<typeof countingServer>>;

  beforeEach(async () => {
    target = await countingServer();
  });

  afterEach(async () => {
    target.server.closeAllConnections();
    await new Promise((resolve) => target.server.close(resolve));
  });

  it('reuses one kept-alive connection for calls in a row to the same origin', async () => {
    const agents = new DownstreamAgents();
    try {
      expect(await threeCalls(target.url, agents)).toEqual(['200 1', '200 1', '200 1']);
      expect(target.connections()).toBe(1);
    } finally {
      agents.destroy();
    }
  });

  it('opens a new connection per call when keep-alive is off, as a proxy forcing it would', async () => {
    const agents = new DownstreamAgents(false);
    expect(await threeCalls(target.url, agents)).toEqual(['200 1', '200 2', '200 3']);
    expect(target.connections()).toBe(3);
  });

  it('opens a new connection per call without agents (the forwarder to a collector)', async () => {
    expect(await threeCalls(target.url)).toEqual(['200 1', '200 2', '200 3']);
  });

  it('keeps one pool per origin', async () => {
    const other = await countingServer();
    const agents = new DownstreamAgents();
    try {
      expect(agents.agentFor(`${target.url}/a`)).toBe(agents.agentFor(`${target.url}/b`));
      expect(agents.agentFor(`${target.url}/a`)).not.toBe(agents.agentFor(`${other.url}/a`));
      expect([...(await threeCalls(target.url, agents)), ...(await threeCalls(other.url, agents))]).toEqual([
        '200 1',
        '200 1',
        '200 1',
        '200 1',
        '200 1',
        '200 1',
      ]);
      expect([target.connections(), other.connections()]).toEqual([1, 1]);
    } finally {
      agents.destroy();
      other.server.closeAllConnections();
      await new Promise((resolve) => other.server.close(resolve));
    }
  });

  it('opens a new connection when the pooled one was closed by the server', async () => {
    const agents = new DownstreamAgents();
    try {
      expect(await threeCalls(target.url, agents)).toEqual(['200 1', '200 1', '200 1']);
      const agent = agents.agentFor(target.url);
      const free = agent ? Object.values(agent.freeSockets).flat() : [];
      expect(free.length).toBe(1);
      // Wait until the pool has seen its idle connection close, then call again: a fresh connection.
      const closed = new Promise((resolve) => free[0]?.once('close', resolve));
      target.server.closeAllConnections();
      await closed;
      expect(await threeCalls(target.url, agents)).toEqual(['200 2', '200 2', '200 2']);
    } finally {
      agents.destroy();
    }
  });

  it('sends bytes with the content type the caller names, once; JSON when it names none', async () => {
    const seen: string[] = [];
    const echo = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const types = request.rawHeaders.filter(
          (_, i) => i % 2 === 0 && /^content-type$/i.test(request.rawHeaders[i] ?? ''),
        );
        seen.push(`${types.length} ${request.headers['content-type']} ${Buffer.concat(chunks).toString('hex')}`);
        response.end();
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/v1/traces`;
    try {
      const proto = await callDownstream(
        url,
        'POST',
        [['content-type', 'application/x-protobuf']],
        Uint8Array.of(10, 0),
      );
      const json = await callDownstream(url, 'POST', [], '{}');
      expect([proto.ok, json.ok, seen]).toEqual([
        true,
        true,
        ['1 application/x-protobuf 0a00', '1 application/json 7b7d'],
      ]);
    } finally {
      echo.closeAllConnections();
      await new Promise((resolve) => echo.close(resolve));
    }
  });
});
