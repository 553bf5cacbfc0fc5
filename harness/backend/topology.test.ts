import { DEFAULT_TOPOLOGY } from './default-topology';
import { parseTopology, parseTopologyText } from './topology';

const HINT = 'Fix the file or omit --topology to use the default topology.';

describe('parseTopology', () => {
  it('accepts the default topology unchanged', () => {
    expect(parseTopology(JSON.parse(JSON.stringify(DEFAULT_TOPOLOGY)), 'default')).toEqual({
      ok: true,
      value: DEFAULT_TOPOLOGY,
    });
  });

  test.each([
    ['not an object', [], 'it is not an object with a "services" array', 'invalid-topology'],
    ['no services', { services: [] }, '"services" is empty', 'invalid-topology'],
    [
      "the receiver's name",
      { services: [{ name: 'otlp', firstParty: true, routes: [] }] },
      `services[0].name "otlp" is the name of the OTLP receiver's listener (as in --port otlp=4318): give the service another name`,
      'invalid-topology',
    ],
    [
      'a bad name',
      { services: [{ name: 'API Gateway', firstParty: true, routes: [] }] },
      'services[0].name must be a lowercase service name such as "api-gateway"',
      'invalid-topology',
    ],
    [
      'a missing firstParty flag',
      { services: [{ name: 'a', routes: [] }] },
      'services[0].firstParty must be true or false',
      'invalid-topology',
    ],
    [
      'a bad method',
      { services: [{ name: 'a', firstParty: true, routes: [{ method: 'FETCH', path: '/x' }] }] },
      'services[0].routes[0].method must be an HTTP method such as "POST"',
      'invalid-topology',
    ],
    [
      'a relative path',
      { services: [{ name: 'a', firstParty: true, routes: [{ method: 'GET', path: 'x' }] }] },
      'services[0].routes[0].path must be a string starting with "/"',
      'invalid-topology',
    ],
    [
      'a bad status',
      { services: [{ name: 'a', firstParty: true, routes: [{ method: 'GET', path: '/x', status: 99 }] }] },
      'services[0].routes[0].status must be an HTTP status between 200 and 599',
      'invalid-topology',
    ],
    [
      'a port that is not a port',
      { services: [{ name: 'a', firstParty: true, routes: [], port: '8080' }] },
      'services[0].port must be a port number from 1 to 65535 (leave it out to let the OS choose)',
      'invalid-topology',
    ],
    [
      'port 0',
      { services: [{ name: 'a', firstParty: true, routes: [], port: 0 }] },
      'services[0].port must be a port number from 1 to 65535 (leave it out to let the OS choose)',
      'invalid-topology',
    ],
    [
      'an OTLP port out of range',
      { otlpPort: 65536, services: [{ name: 'a', firstParty: true, routes: [] }] },
      'otlpPort must be a port number from 1 to 65535 (leave it out to let the OS choose)',
      'invalid-topology',
    ],
    [
      'two services on one port',
      {
        services: [
          { name: 'a', firstParty: true, routes: [], port: 9001 },
          { name: 'b', firstParty: true, routes: [], port: 9001 },
        ],
      },
      'services[1].port 9001 is already the port of a',
      'port-taken',
    ],
    [
      'a service on the OTLP port',
      { otlpPort: 9001, services: [{ name: 'a', firstParty: true, routes: [], port: 9001 }] },
      'services[0].port 9001 is already the port of otlpPort',
      'port-taken',
    ],
    [
      'a twice-listed service',
      {
        services: [
          { name: 'a', firstParty: true, routes: [] },
          { name: 'a', firstParty: true, routes: [] },
        ],
      },
      'the service "a" is listed twice',
      'duplicate-service',
    ],
    // A query in a route's path was taken, and msw warned at start and matched the route on its path alone.
    [
      'a query string in a route',
      { services: [{ name: 'a', firstParty: true, routes: [{ method: 'GET', path: '/search?q=shoes' }] }] },
      'services[0].routes[0].path "/search?q=shoes" holds a query string: a route is matched on its path alone, whatever the query, so write "/search"',
      'invalid-topology',
    ],
    [
      'a fragment in a call',
      {
        services: [
          {
            name: 'a',
            firstParty: true,
            routes: [
              { method: 'GET', path: '/x', calls: [{ service: 'a', method: 'GET', path: '/y#top' }] },
              { method: 'GET', path: '/y' },
            ],
          },
        ],
      },
      'services[0].routes[0].calls[0].path "/y#top" holds a fragment, which a request never sends, so write "/y"',
      'invalid-topology',
    ],
    // The first of two equal routes answered every request: the second's calls never ran, with no word said.
    [
      'a route listed twice',
      {
        services: [
          {
            name: 'a',
            firstParty: true,
            routes: [
              { method: 'POST', path: '/x', calls: [] },
              { method: 'GET', path: '/y' },
              { method: 'post', path: '/x', status: 202 },
            ],
          },
        ],
      },
      'the route a POST /x is listed twice (services[0].routes[0] and routes[2]): only the first would ever answer',
      'duplicate-route',
    ],
    // msw matches a request to /users/7 with either, so the second never answered; only equal paths were caught.
    [
      'a route listed again under other parameter names',
      {
        services: [
          {
            name: 'a',
            firstParty: true,
            routes: [
              { method: 'GET', path: '/users/:id/orders/:orderId' },
              { method: 'POST', path: '/users/:userId/orders/:order' },
              { method: 'GET', path: '/users/:userId/orders/:order' },
            ],
          },
        ],
      },
      'the route a GET /users/:userId/orders/:order is GET /users/:id/orders/:orderId under other parameter names (services[0].routes[0] and routes[2]): only the first would ever answer',
      'duplicate-route',
    ],
    [
      'a call to an unknown service',
      {
        services: [
          {
            name: 'a',
            firstParty: true,
            routes: [{ method: 'GET', path: '/x', calls: [{ service: 'b', method: 'GET', path: '/y' }] }],
          },
        ],
      },
      'a GET /x calls unknown service "b"',
      'unknown-call',
    ],
    [
      'a call to a missing route',
      {
        services: [
          {
            name: 'a',
            firstParty: true,
            routes: [{ method: 'GET', path: '/x', calls: [{ service: 'a', method: 'GET', path: '/y' }] }],
          },
        ],
      },
      'a GET /x calls GET /y on a, which has no such route',
      'unknown-call',
    ],
    [
      'a loop',
      {
        services: [
          {
            name: 'a',
            firstParty: true,
            routes: [{ method: 'GET', path: '/x', calls: [{ service: 'a', method: 'GET', path: '/x' }] }],
          },
        ],
      },
      'the route a GET /x calls itself through a loop',
      'call-loop',
    ],
    // A misspelt field was once read as absent: "prot" left the OS to choose the port, with no word said.
    [
      'a misspelt service field',
      { services: [{ name: 'a', firstParty: true, routes: [], prot: 8080 }] },
      'services[0] has an unknown field "prot" (did you mean "port"?)',
      'invalid-topology',
    ],
    [
      'a misspelt field in place of a required one',
      { services: [{ name: 'a', firstParty: true, rotues: [] }] },
      'services[0] has an unknown field "rotues" (did you mean "routes"?)',
      'invalid-topology',
    ],
    [
      'an unknown route field',
      { services: [{ name: 'a', firstParty: true, routes: [{ method: 'GET', path: '/x', delay: 5 }] }] },
      'services[0].routes[0] has an unknown field "delay" (known: method, path, calls, status)',
      'invalid-topology',
    ],
    [
      'a misspelt call field',
      {
        services: [
          {
            name: 'a',
            firstParty: true,
            routes: [
              { method: 'GET', path: '/x', calls: [{ service: 'a', method: 'GET', path: '/y', pth: '/z' }] },
              { method: 'GET', path: '/y' },
            ],
          },
        ],
      },
      'services[0].routes[0].calls[0] has an unknown field "pth" (known: service, method, path)',
      'invalid-topology',
    ],
    [
      'a misspelt top-level field',
      { servics: [{ name: 'a', firstParty: true, routes: [] }] },
      '(top level) has an unknown field "servics" (did you mean "services"?)',
      'invalid-topology',
    ],
  ])('rejects %s with a message naming the place', (_label, value, cause, reason) => {
    expect(parseTopology(value, 'topology.json')).toEqual({
      ok: false,
      reason,
      message: `[tracehop] Failed to read the topology "topology.json": ${cause}. ${HINT}`,
    });
  });

  it('follows a chain of 10,000 services without overflowing the stack, and finds a loop at its end', () => {
    const chain = (loop: boolean) => ({
      services: Array.from({ length: 10_000 }, (_, i) => ({
        name: `s${i}`,
        firstParty: true,
        routes: [
          {
            method: 'GET',
            path: '/x',
            calls: i < 9_999 || loop ? [{ service: `s${i < 9_999 ? i + 1 : 0}`, method: 'GET', path: '/x' }] : [],
          },
        ],
      })),
    });
    const open = parseTopology(chain(false), 'chain.json');
    const looped = parseTopology(chain(true), 'chain.json');
    expect([open.ok && open.value.services.length, !looped.ok && looped.reason]).toEqual([10_000, 'call-loop']);
  });

  it('takes a call to a path a parameterised route answers (/users/42 to /users/:id), as msw matches it, and follows loops through it', () => {
    const users = (calls: ReadonlyArray<{ service: string; method: string; path: string }>) => ({
      services: [
        {
          name: 'a',
          firstParty: true,
          routes: [{ method: 'GET', path: '/orders', calls: [{ service: 'b', method: 'GET', path: '/users/42' }] }],
        },
        { name: 'b', firstParty: true, routes: [{ method: 'GET', path: '/users/:id', calls }] },
      ],
    });
    const open = parseTopology(users([]), 'users.json');
    const looped = parseTopology(users([{ service: 'a', method: 'GET', path: '/orders' }]), 'users.json');
    const missing = parseTopology(users([{ service: 'b', method: 'GET', path: '/users/42/orders' }]), 'users.json');
    expect([
      open.ok && open.value.services.map((service) => service.name),
      !looped.ok && looped.message,
      !missing.ok && missing.message,
    ]).toEqual([
      ['a', 'b'],
      `[tracehop] Failed to read the topology "users.json": the route a GET /orders calls itself through a loop. ${HINT}`,
      `[tracehop] Failed to read the topology "users.json": b GET /users/:id calls GET /users/42/orders on b, which has no such route. ${HINT}`,
    ]);
  });

  it('takes a "$comment" at the top, as the journeys file does', () => {
    const value = { $comment: 'Our services.', services: [{ name: 'a', firstParty: true, routes: [] }] };
    expect(parseTopology(value, 'topology.json')).toEqual({
      ok: true,
      value: { services: [{ name: 'a', firstParty: true, routes: [] }] },
    });
  });

  it('takes a "$schema" at the top and a "$comment" in every object, as notes an editor or a reader needs', () => {
    const value = {
      $schema: './topology.schema.json',
      services: [
        {
          $comment: 'The gateway.',
          name: 'a',
          firstParty: true,
          routes: [
            {
              $comment: 'Pays.',
              method: 'POST',
              path: '/x',
              calls: [{ $comment: 'Scores.', service: 'b', method: 'GET', path: '/y' }],
            },
          ],
        },
        { name: 'b', firstParty: true, routes: [{ method: 'GET', path: '/y' }] },
      ],
    };
    expect(parseTopology(value, 'topology.json')).toEqual({
      ok: true,
      value: {
        services: [
          {
            name: 'a',
            firstParty: true,
            routes: [{ method: 'POST', path: '/x', calls: [{ service: 'b', method: 'GET', path: '/y' }] }],
          },
          { name: 'b', firstParty: true, routes: [{ method: 'GET', path: '/y', calls: [] }] },
        ],
      },
    });
  });

  it('keeps the fixed ports of services and of the OTLP receiver', () => {
    const value = { otlpPort: 4318, services: [{ name: 'a', firstParty: true, routes: [], port: 8080 }] };
    expect(parseTopology(value, 'topology.json')).toEqual({
      ok: true,
      value: { otlpPort: 4318, services: [{ name: 'a', firstParty: true, routes: [], port: 8080 }] },
    });
  });

  it('reports text that is not JSON', () => {
    expect(parseTopologyText('{', 'topology.json')).toEqual({
      ok: false,
      reason: 'not-json',
      message: `[tracehop] Failed to read the topology "topology.json": it is not JSON (line 1, column 2: Expected property name or '}'). ${HINT}`,
    });
  });
});
