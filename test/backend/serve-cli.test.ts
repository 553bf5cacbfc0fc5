import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { startBackend, type BackendUrls } from '../../harness/backend';
import { runServe, type CliIo } from '../../harness/cli';
import { scratchDir } from '../../harness/test-support/scratch-dir';

let dir: string;

beforeAll(() => {
  dir = scratchDir('tracehop-serve-');
});

/** Runs `tracehop serve` in-process; `whileServing` gets the printed endpoints, then the server stops. */
async function serve(
  args: string[],
  env: Record<string, string> = {},
  whileServing: (urls: BackendUrls) => Promise<void> = async () => undefined,
): Promise<{ code: number; stdout: string[]; stderr: string }> {
  const stdout: string[] = [];
  let stderr = '';
  let printed: (urls: BackendUrls) => void = () => undefined;
  const endpoints = new Promise<BackendUrls>((resolve) => (printed = resolve));
  const io: CliIo = {
    stdout: (text) => {
      stdout.push(text);
      if (stdout.length === 1) printed(JSON.parse(text) as BackendUrls);
    },
    stderr: (text) => (stderr += text),
    env,
    cwd: dir,
  };
  const stop = async (): Promise<void> => whileServing(await endpoints);
  const code = await runServe(args, io, stop);
  return { code, stdout, stderr };
}

/** Holds `count` distinct OS-chosen loopback ports; `release` frees them for the process under test. */
async function holdPorts(count: number): Promise<{ ports: number[]; release: () => Promise<void> }> {
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  return {
    ports,
    release: () =>
      Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))).then(
        () => undefined,
      ),
  };
}

describe('tracehop serve', () => {
  it('stops cleanly, printing no endpoints, when stopped while it starts', async () => {
    const stdout: string[] = [];
    let stderr = '';
    const io: CliIo = { stdout: (text) => stdout.push(text), stderr: (text) => (stderr += text), env: {}, cwd: dir };
    // The signal has come before the backend is up: serve must not print endpoints that are about to close.
    expect(await runServe([], io, async () => undefined)).toBe(0);
    expect({ stdout, stderr }).toEqual({ stdout: [], stderr: '' });
  });

  it('prints the endpoints as its first stdout line and exits 0 when stopped', async () => {
    let checkout = 0;
    const result = await serve([], {}, async (urls) => {
      const response = await fetch(`${urls.services['api-gateway']}/checkout`, { method: 'POST' });
      await response.text();
      checkout = response.status;
    });
    const urls = JSON.parse(result.stdout[0]!) as BackendUrls;
    expect({
      code: result.code,
      lines: result.stdout.length,
      keys: Object.keys(urls),
      services: Object.keys(urls.services),
      otlp: /^http:\/\/127\.0\.0\.1:\d+\/v1\/traces$/.test(urls.otlp),
      // A gRPC exporter's endpoint: the receiver's origin, the same port as otlp.
      otlpGrpc: urls.otlpGrpc === new URL(urls.otlp).origin && /^http:\/\/127\.0\.0\.1:\d+$/.test(urls.otlpGrpc),
      spans: /^http:\/\/127\.0\.0\.1:\d+\/__tracehop\/spans$/.test(urls.spans),
      checkout,
    }).toEqual({
      code: 0,
      lines: 1,
      keys: ['services', 'otlp', 'otlpGrpc', 'spans'],
      services: ['api-gateway', 'payment-api', 'fraud-service', 'auth-service', 'catalog-service', 'analytics'],
      otlp: true,
      otlpGrpc: true,
      spans: true,
      checkout: 200,
    });
  });

  it('forgets every span and captured request on DELETE of the spans URL, and keeps serving the next run', async () => {
    /** An OTLP/JSON export of one span per id, in one trace. */
    const exportOf = (...spanIds: string[]): string =>
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'mobile-app' } }] },
            scopeSpans: [
              {
                scope: { name: 'app' },
                spans: spanIds.map((spanId) => ({
                  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                  spanId,
                  name: 'tap',
                  kind: 3,
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000005000000',
                })),
              },
            ],
          },
        ],
      });
    const seen: unknown[] = [];
    const result = await serve([], {}, async (urls) => {
      const post = (body: string): Promise<Response> =>
        fetch(urls.otlp, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const spanIds = async (): Promise<string[]> => {
        const document = (await (await fetch(urls.spans)).json()) as {
          resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[];
        };
        return document.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.spanId)));
      };
      const captures = urls.spans.replace('/spans', '/captures');
      // One run: two exported spans, and a request a service has no route for (captured, no span).
      await (await post(exportOf('00f067aa0ba902b1', '00f067aa0ba902b2'))).text();
      await (await fetch(`${urls.services['fraud-service']}/nowhere`)).text();
      seen.push({ before: await spanIds(), captures: ((await (await fetch(captures)).json()) as unknown[]).length });
      const cleared = await fetch(urls.spans, { method: 'DELETE' });
      seen.push({
        status: cleared.status,
        type: cleared.headers.get('content-type'),
        body: (await cleared.json()) as unknown,
      });
      seen.push({ spans: await (await fetch(urls.spans)).text(), captures: await (await fetch(captures)).text() });
      // The next run's spans are stored as before.
      await (await post(exportOf('00f067aa0ba902b3'))).text();
      seen.push({ after: await spanIds() });
    });
    expect({ code: result.code, seen }).toEqual({
      code: 0,
      seen: [
        { before: ['00f067aa0ba902b1', '00f067aa0ba902b2'], captures: 1 },
        { status: 200, type: 'application/json', body: { cleared: { spans: 2, captures: 1 } } },
        { spans: '{"resourceSpans":[]}', captures: '[]' },
        { after: ['00f067aa0ba902b3'] },
      ],
    });
  });

  it('serves a topology file and applies faults from TRACEHOP_FAULTS', async () => {
    const file = join(dir, 'two.json');
    writeFileSync(
      file,
      JSON.stringify({
        services: [
          {
            name: 'edge',
            firstParty: true,
            routes: [{ method: 'GET', path: '/hello', calls: [{ service: 'core', method: 'GET', path: '/world' }] }],
          },
          { name: 'core', firstParty: true, routes: [{ method: 'GET', path: '/world', calls: [] }] },
        ],
      }),
    );
    let captured: unknown;
    const result = await serve(
      ['--topology', 'two.json'],
      { TRACEHOP_FAULTS: 'edge:drop-traceparent' },
      async (urls) => {
        await (
          await fetch(`${urls.services.edge}/hello`, {
            headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
          })
        ).text();
        const captures = (await (await fetch(urls.spans.replace('/spans', '/captures'))).json()) as {
          service: string;
          headers: [string, string][];
        }[];
        captured = captures.map((c) => ({
          service: c.service,
          traceparent: c.headers.some(([name]) => name === 'traceparent'),
        }));
      },
    );
    expect({ code: result.code, captured }).toEqual({
      code: 0,
      captured: [
        { service: 'edge', traceparent: true },
        { service: 'core', traceparent: false },
      ],
    });
  });

  test.each([
    [
      ['--topology', 'missing.json'],
      {},
      '[tracehop] Failed to read the topology "missing.json": the file does not exist. Pass an existing JSON file or omit --topology.\n',
    ],
    [
      ['--topology', '.'],
      {},
      '[tracehop] Failed to read the topology ".": it is a directory, not a file. Fix the file or omit --topology to use the default topology.\n',
    ],
    [
      ['--faults', 'api-gateway:slow'],
      {},
      '[tracehop] Failed to apply --faults: "slow" is not a fault. Use one of: drop-traceparent, new-trace, uppercase-traceparent, rewrite-parent, duplicate-traceparent, b3-only, unsampled, strip-tracestate, strip-baggage, cors-omits-trace-headers, redirect-drops-headers.\n',
    ],
    [
      [],
      { TRACEHOP_FAULTS: 'cart:unsampled' },
      '[tracehop] Failed to apply TRACEHOP_FAULTS: there is no service "cart". Use one of: api-gateway, payment-api, fraud-service, auth-service, catalog-service, analytics.\n',
    ],
    // Two values for one listener in two --port options: the last was taken silently.
    [
      ['--port', 'api-gateway=8080', '--port=otlp=4318,api-gateway=8081'],
      {},
      '[tracehop] Failed to read --port: "api-gateway" is given a port twice. Write pairs such as "api-gateway=8080,otlp=4318", comma separated, or leave a listener out so the OS picks its port.\n',
    ],
    [
      ['--topology', 'mine.json', '--topology=theirs.json'],
      {},
      '[tracehop] Failed to start tracehop serve: --topology is given twice. Give it once.\n',
    ],
    [
      ['--faults'],
      {},
      '[tracehop] Failed to start tracehop serve: --faults needs a value. Options are --topology, --faults and --port.\nUsage: tracehop serve [--topology FILE] [--faults LIST] [--port NAME=PORT,...]\n',
    ],
    [
      ['--ports', 'otlp=4318'],
      {},
      '[tracehop] Failed to start tracehop serve: there is no option "--ports" (did you mean "--port"?). Options are --topology, --faults and --port.\nUsage: tracehop serve [--topology FILE] [--faults LIST] [--port NAME=PORT,...]\n',
    ],
    [
      ['--port', '80'],
      {},
      '[tracehop] Failed to read --port: "80" is not a name=port pair with a port from 1 to 65535. Write pairs such as "api-gateway=8080,otlp=4318", comma separated, or leave a listener out so the OS picks its port.\n',
    ],
    [
      ['--port', 'cart=8080'],
      {},
      '[tracehop] Failed to apply --port: there is no listener "cart". Use one of: api-gateway, payment-api, fraud-service, auth-service, catalog-service, analytics, otlp.\n',
    ],
    [
      ['--port', 'api-gateway=8080', '--port=otlp=8080'],
      {},
      '[tracehop] Failed to apply --port: api-gateway and otlp are both given port 8080. Give each listener its own port.\n',
    ],
    [
      [],
      { TRACEHOP_FORWARD_OTLP: 'collector:4318' },
      '[tracehop] Failed to forward spans: TRACEHOP_FORWARD_OTLP "collector:4318" is not an http(s) URL. Set it to a collector URL such as http://127.0.0.1:4318/v1/traces.\n',
    ],
    // Past the old "http://" prefix test, startBackend refused it without naming the variable.
    [
      [],
      { TRACEHOP_FORWARD_OTLP: 'http://collector host:4318/v1/traces' },
      '[tracehop] Failed to forward spans: TRACEHOP_FORWARD_OTLP "http://collector host:4318/v1/traces" is not an http(s) URL. Set it to a collector URL such as http://127.0.0.1:4318/v1/traces.\n',
    ],
  ])('exits 2 for %j %j with a message naming the input', async (args, env, message) => {
    expect(await serve(args, env)).toEqual({ code: 2, stdout: [], stderr: message });
  });

  it('prints its usage on stdout and exits 0 for --help without starting anything', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io: CliIo = { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text), env: {}, cwd: dir };
    const neverStopped = (): Promise<never> => new Promise(() => undefined);
    expect(await runServe(['--faults', 'api-gateway:unsampled', '--help'], io, neverStopped)).toBe(0);
    expect({ stdout, stderr }).toEqual({
      stdout: ['Usage: tracehop serve [--topology FILE] [--faults LIST] [--port NAME=PORT,...]\n'],
      stderr: [],
    });
  });

  it('serves but warns on stderr about a fault that changes nothing: the service calls no other', async () => {
    const result = await serve(['--faults', 'fraud-service:drop-traceparent']);
    expect([result.code, result.stdout.length, result.stderr]).toEqual([
      0,
      1,
      '[tracehop] Failed to apply the fault fraud-service:drop-traceparent: fraud-service calls no other service, and a fault only changes what a service sends downstream (its /__tracehop/w3c calls aside), so no journey changes. ' +
        'To break the hop into fraud-service, set the fault on its caller: payment-api:drop-traceparent.\n',
    ]);
  });

  it('applies every --faults flag, not only the last', async () => {
    const result = await serve(['--faults', 'fraud-service:unsampled', '--faults', 'analytics:unsampled']);
    const cause =
      'calls no other service, and a fault only changes what a service sends downstream (its /__tracehop/w3c calls aside), so no journey changes.';
    expect([result.code, result.stderr]).toEqual([
      0,
      `[tracehop] Failed to apply the fault fraud-service:unsampled: fraud-service ${cause} To break the hop into fraud-service, set the fault on its caller: payment-api:unsampled.\n` +
        `[tracehop] Failed to apply the fault analytics:unsampled: analytics ${cause} Set it on a service that calls another.\n`,
    ]);
  });

  it('exits 2 when one service is given two faults across TRACEHOP_FAULTS and --faults', async () => {
    expect(
      await serve(['--faults', 'api-gateway:unsampled'], { TRACEHOP_FAULTS: 'api-gateway:drop-traceparent' }),
    ).toEqual({
      code: 2,
      stdout: [],
      stderr:
        '[tracehop] Failed to apply the faults: api-gateway is given two faults (drop-traceparent and unsampled). A service takes one fault at a time: keep one.\n',
    });
  });

  it('binds the ports given by --port and by the topology file, the OS choosing the rest', async () => {
    const held = await holdPorts(3);
    const [gatewayPort, otlpPort, corePort] = held.ports;
    writeFileSync(
      join(dir, 'ported.json'),
      JSON.stringify({
        services: [
          {
            name: 'api-gateway',
            firstParty: true,
            routes: [{ method: 'GET', path: '/hello', calls: [{ service: 'core', method: 'GET', path: '/world' }] }],
          },
          { name: 'core', firstParty: true, port: corePort, routes: [{ method: 'GET', path: '/world', calls: [] }] },
          { name: 'edge', firstParty: true, routes: [] },
        ],
      }),
    );
    await held.release();
    let status = 0;
    const result = await serve(
      ['--topology', 'ported.json', '--port', `api-gateway=${gatewayPort}`, `--port=otlp=${otlpPort}`],
      {},
      async () => {
        const response = await fetch(`http://127.0.0.1:${gatewayPort}/hello`);
        await response.text();
        status = response.status;
      },
    );
    const urls = JSON.parse(result.stdout[0]!) as BackendUrls;
    expect({
      code: result.code,
      status,
      gateway: urls.services['api-gateway'],
      core: urls.services.core,
      otlp: urls.otlp,
      edgeChosen: urls.services.edge !== undefined,
    }).toEqual({
      code: 0,
      status: 200,
      gateway: `http://127.0.0.1:${gatewayPort}`,
      core: `http://127.0.0.1:${corePort}`,
      otlp: `http://127.0.0.1:${otlpPort}/v1/traces`,
      edgeChosen: true,
    });
  });

  it('exits 2 naming the listener when a given port is in use', async () => {
    const held = await holdPorts(1);
    try {
      const result = await serve(['--port', `payment-api=${held.ports[0]}`]);
      expect(result).toEqual({
        code: 2,
        stdout: [],
        stderr: `[tracehop] Failed to start payment-api on 127.0.0.1:${held.ports[0]}: the port is in use. Choose another port, or leave it out so the OS picks one.\n`,
      });
    } finally {
      await held.release();
    }
  });

  it('exits 2 for a topology file that is not JSON', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"services": [');
    const result = await serve(['--topology', 'broken.json']);
    expect(result).toEqual({
      code: 2,
      stdout: [],
      stderr:
        '[tracehop] Failed to read the topology "broken.json": it is not JSON (line 1, column 15: Unexpected end of JSON input). Fix the file or omit --topology to use the default topology.\n',
    });
  });

  // A misspelt "port" was read as absent: the service got an OS-chosen port and serve printed it as if all was well.
  it('exits 2 naming a misspelt topology field and the field it misspells', async () => {
    const service = { name: 'edge', firstParty: true, routes: [], prot: 8080 };
    writeFileSync(join(dir, 'misspelt.json'), JSON.stringify({ services: [service] }));
    const result = await serve(['--topology', 'misspelt.json']);
    expect(result).toEqual({
      code: 2,
      stdout: [],
      stderr:
        '[tracehop] Failed to read the topology "misspelt.json": services[0] has an unknown field "prot" (did you mean "port"?). Fix the file or omit --topology to use the default topology.\n',
    });
  });

  it('exits 2 naming a route listed twice, whose second copy would never answer', async () => {
    const routes = [
      { method: 'POST', path: '/pay', status: 201 },
      { method: 'POST', path: '/pay', status: 202 },
    ];
    writeFileSync(join(dir, 'twice.json'), JSON.stringify({ services: [{ name: 'edge', firstParty: true, routes }] }));
    const result = await serve(['--topology', 'twice.json']);
    expect(result).toEqual({
      code: 2,
      stdout: [],
      stderr:
        '[tracehop] Failed to read the topology "twice.json": the route edge POST /pay is listed twice (services[0].routes[0] and routes[1]): only the first would ever answer. Fix the file or omit --topology to use the default topology.\n',
    });
  });

  it('forwards every stored span to TRACEHOP_FORWARD_OTLP', async () => {
    const collector = await startBackend({
      topology: { services: [{ name: 'collector', firstParty: true, routes: [] }] },
    });
    try {
      let served = 0;
      await serve([], { TRACEHOP_FORWARD_OTLP: collector.urls.otlp }, async (urls) => {
        await (await fetch(`${urls.services['api-gateway']}/checkout`, { method: 'POST' })).text();
        served = (await (await fetch(urls.spans)).text()).length;
      });
      // stop() flushes the forwarder, so the collector holds the 5 checkout spans when serve returns.
      const spans = await collector.store.waitFor((all) => all.length >= 5, {
        timeout: 5000,
        description: 'the forwarded checkout spans',
      });
      expect({ served: served > 0, forwarded: spans.map((s) => `${s.service} ${s.kind}`).sort() }).toEqual({
        served: true,
        forwarded: [
          'api-gateway client',
          'api-gateway server',
          'fraud-service server',
          'payment-api client',
          'payment-api server',
        ],
      });
    } finally {
      await collector.stop();
    }
  });

  it('keeps serving while TRACEHOP_FORWARD_OTLP refuses connections and says so once on stderr', async () => {
    const held = await holdPorts(1);
    await held.release();
    const url = `http://127.0.0.1:${held.ports[0]}/v1/traces`;
    const statuses: number[] = [];
    const result = await serve([], { TRACEHOP_FORWARD_OTLP: url }, async (urls) => {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${urls.services['api-gateway']}/checkout`, { method: 'POST' });
        await response.text();
        statuses.push(response.status);
      }
    });
    expect({ code: result.code, statuses, stderr: result.stderr }).toEqual({
      code: 0,
      statuses: [200, 200, 200],
      stderr: `[tracehop] Failed to forward spans to "${url}": connect ECONNREFUSED 127.0.0.1:${held.ports[0]}. Check TRACEHOP_FORWARD_OTLP points at a running OTLP/HTTP collector (…/v1/traces); tracehop keeps serving and storing spans meanwhile.\n`,
    });
  });
});
