import { constants } from 'node:http2';
import { backendWithWarnings } from './support/backend-with-warnings';
import { rawH2, type RawField } from './support/raw-h2';

const held = backendWithWarnings();
const { warnings } = held;

const gateway = (): string => held.backend.urls.services['api-gateway'] ?? '';
const host = (): string => new URL(gateway()).host;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
/** A well-formed GET /search: the request sent after each malformed one, on the same connection. */
const search = (): RawField[] => [
  [':method', 'GET'],
  [':path', '/search'],
  [':scheme', 'http'],
  [':authority', host()],
];
/** What the gateway captured since `before`, its own requests only (not its calls to the next hop). */
const gatewayCaptures = (before: number): [string, string, readonly (readonly [string, string])[]][] =>
  held.backend
    .captures()
    .slice(before)
    .filter((entry) => entry.service === 'api-gateway')
    .map((entry) => [entry.method, entry.path, entry.headers]);
/** The route a JSON answer of the gateway names ("GET /search"). */
const routeOf = (body: string): unknown => (JSON.parse(body) as { route?: unknown }).route;

describe('malformed HTTP/2 requests (h2c) at a mock service', () => {
  // Node's HTTP/2 layer (nghttp2) refuses these before any handler sees them: RFC 9113 §8.1.1 calls them
  // malformed, and the answer is a stream reset with PROTOCOL_ERROR. Nothing is captured (no request was made).
  it.each<[string, () => RawField[]]>([
    ['no :path', () => search().filter(([name]) => name !== ':path')],
    ['no :method', () => search().filter(([name]) => name !== ':method')],
    ['an empty :path', () => search().map(([name, value]) => [name, name === ':path' ? '' : value])],
    [
      'a :path that is not absolute',
      () => search().map(([name, value]) => [name, name === ':path' ? 'search' : value]),
    ],
    ['neither :authority nor host', () => search().filter(([name]) => name !== ':authority')],
    ['a second :path', () => [...search(), [':path', '/other']]],
    ['an unknown pseudo-header', () => [...search(), [':trace', 'x']]],
    [
      'a pseudo-header after a regular field',
      () => [...search().slice(0, 2), ['baggage', 'a=1'], ...search().slice(2)],
    ],
    ['an uppercase header name', () => [...search(), ['TraceParent', TRACEPARENT]]],
    ['a connection-specific header (connection)', () => [...search(), ['connection', 'keep-alive']]],
    ['te other than trailers', () => [...search(), ['te', 'gzip']]],
  ])(
    'resets a request with %s (PROTOCOL_ERROR), captures nothing of it, and serves the next stream',
    async (_, fields) => {
      const before = held.backend.captures().length;
      const { streams, goAwayCode } = await rawH2(gateway(), [fields(), search()]);
      expect({
        refused: streams[0],
        next: [streams[1]?.answered, routeOf(streams[1]?.body ?? '{}')],
        goAwayCode,
        captured: gatewayCaptures(before),
      }).toEqual({
        refused: { answered: false, body: '', rstCode: constants.NGHTTP2_PROTOCOL_ERROR },
        next: [true, 'GET /search'],
        goAwayCode: undefined,
        captured: [['GET', '/search', search()]],
      });
    },
  );

  it('serves a request whose host disagrees with its :authority, or that has host instead, capturing each as it arrived', async () => {
    const before = held.backend.captures().length;
    const disagreeing: RawField[] = [...search(), ['host', 'other.example'], ['traceparent', TRACEPARENT]];
    const hostOnly: RawField[] = [...search().filter(([name]) => name !== ':authority'), ['host', 'h.example']];
    const { streams, goAwayCode } = await rawH2(gateway(), [disagreeing, hostOnly]);
    expect({
      answers: streams.map((stream) => [stream.answered, stream.rstCode, routeOf(stream.body)]),
      goAwayCode,
      captured: gatewayCaptures(before),
    }).toEqual({
      answers: [
        [true, undefined, 'GET /search'],
        [true, undefined, 'GET /search'],
      ],
      goAwayCode: undefined,
      captured: [
        ['GET', '/search', disagreeing],
        ['GET', '/search', hostOnly],
      ],
    });
  });

  it('warns once, for all the malformed requests above, that a stream Node reset unseen is not in the capture log', () => {
    expect(warnings).toEqual([
      `[tracehop] Failed to read a request on api-gateway (port ${new URL(gateway()).port}): Node refused its HTTP/2 request before tracehop saw it (ENHANCE_YOUR_CALM: headers over its 10 MB session memory once decompressed, 32 bytes more a field; PROTOCOL_ERROR: a request RFC 9113 calls malformed; or COMPRESSION_ERROR, which ends the connection: a header over 65536 bytes as sent), and it is not in the capture log (said once per listener). Send smaller headers (a tracestate or baggage that grows at each hop is a defect of the app) and well-formed HTTP/2 requests (RFC 9113 section 8.1).`,
    ]);
  });
});

describe('malformed HTTP/2 requests (h2c) at the OTLP receiver', () => {
  const otlpHost = (): string => new URL(held.backend.urls.otlp).host;
  const exportTo = (path: string, contentType: string): RawField[] => [
    [':method', 'POST'],
    [':path', path],
    [':scheme', 'http'],
    [':authority', otlpHost()],
    ['content-type', contentType],
  ];

  it('resets an export with no :path (PROTOCOL_ERROR) alone on its connection, stores nothing, and warns once that it was not read', async () => {
    const spans = held.backend.store.size;
    warnings.length = 0;
    const noPath = (contentType: string): RawField[] =>
      exportTo('/v1/traces', contentType).filter(([name]) => name !== ':path');
    // Each alone on its connection: the reset stream is told when the client ends it, as no later stream tells.
    const grpc = await rawH2(held.backend.urls.otlp, [noPath('application/grpc')]);
    const http = await rawH2(held.backend.urls.otlp, [noPath('application/json')]);
    const refused = { answered: false, body: '', rstCode: constants.NGHTTP2_PROTOCOL_ERROR };
    expect({ grpc, http, stored: held.backend.store.size - spans, warnings }).toEqual({
      grpc: { streams: [refused] },
      http: { streams: [refused] },
      stored: 0,
      warnings: [
        `[tracehop] Failed to read a request on the OTLP receiver (port ${new URL(held.backend.urls.otlp).port}): Node refused its HTTP/2 request before tracehop saw it (ENHANCE_YOUR_CALM: headers over its 10 MB session memory once decompressed, 32 bytes more a field; PROTOCOL_ERROR: a request RFC 9113 calls malformed; or COMPRESSION_ERROR, which ends the connection: a header over 65536 bytes as sent), and its spans, if it held any, are not stored (said once per listener). Send smaller headers (a tracestate or baggage that grows at each hop is a defect of the app) and well-formed HTTP/2 requests (RFC 9113 section 8.1).`,
      ],
    });
  });
});
