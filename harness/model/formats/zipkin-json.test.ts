import { groupTraces, hasTime, walkTrace, type Span } from '..';
import { decodeZipkinValue } from './zipkin-json';
import { joinZipkinSpans, sharedServerSpanId } from './zipkin-shared';

const TRACE = '463ac35c9f6413ad48485a3953bb6124';
const at = (ms: number): number => (1_700_000_000_000 + ms) * 1000;

/** A Zipkin v2 span record: service, id, and what else the case needs. */
function record(service: string, id: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { traceId: TRACE, id, name: `${service} op`, localEndpoint: { serviceName: service }, ...more };
}

function decode(records: unknown[]): Span[] {
  const result = decodeZipkinValue(records, { file: 'zipkin.json' });
  if (!result.ok) throw new Error(result.message);
  return result.spans;
}

/** The forest of the spans, one line per span: service, kind, id, indented under its parent. */
function tree(spans: Span[]): string[] {
  const lines: string[] = [];
  for (const trace of groupTraces(spans))
    walkTrace(trace, ({ span }, depth) =>
      lines.push(`${'  '.repeat(depth)}${span.service} ${span.kind} ${span.spanId}`),
    );
  return lines;
}

const CLIENT = 'a1a1a1a1a1a1a1a1';
const ROOT = 'b0b0b0b0b0b0b0b0';

describe('Zipkin JSON', () => {
  it('leaves the trace state unknown (absent, not empty): Zipkin records none', () => {
    expect(decode([record('app', CLIENT)]).map((span) => 'traceState' in span)).toEqual([false]);
  });

  it("gives a shared SERVER span its own id under its client, and hangs its own service's children under it", () => {
    const spans = decode([
      record('frontend', ROOT, { kind: 'SERVER', timestamp: at(0), duration: 900 }),
      record('frontend', CLIENT, { parentId: ROOT, kind: 'CLIENT', timestamp: at(1), duration: 800 }),
      record('backend', CLIENT, { parentId: ROOT, kind: 'SERVER', shared: true, timestamp: at(2), duration: 700 }),
      record('backend', 'c2c2c2c2c2c2c2c2', { parentId: CLIENT, timestamp: at(3), duration: 100 }),
    ]);
    expect(tree(spans)).toEqual([
      `frontend server ${ROOT}`,
      `  frontend client ${CLIENT}`,
      '    backend server a1a1a1a15e5e5e5e',
      '      backend internal c2c2c2c2c2c2c2c2',
    ]);
    expect(spans[2]?.attributes).toEqual({ 'zipkin.shared_span_id': CLIENT });
  });

  it('reads a SERVER span with its caller CLIENT id as shared even without the flag', () => {
    const spans = decode([
      record('frontend', CLIENT, { kind: 'CLIENT', timestamp: at(1), duration: 800 }),
      record('backend', CLIENT, { kind: 'SERVER', timestamp: at(2), duration: 700 }),
    ]);
    expect(tree(spans)).toEqual([`frontend client ${CLIENT}`, '  backend server a1a1a1a15e5e5e5e']);
  });

  it('keeps the id and parent of a shared SERVER span whose id no other span has, as Zipkin places it', () => {
    const root = decode([
      record('envoy', TRACE.slice(0, 16), { kind: 'SERVER', shared: true, timestamp: at(0), duration: 5 }),
      record('envoy', 'c2c2c2c2c2c2c2c2', { parentId: TRACE.slice(0, 16), timestamp: at(1), duration: 1 }),
    ]);
    // The caller allocated the call's id and recorded no CLIENT span of it (py_zipkin's
    // create_http_headers_for_new_span): the server's record is the call's span, under the caller's span.
    const callerSpan = decode([
      record('app', ROOT, { timestamp: at(0), duration: 900 }),
      record('cart', CLIENT, { parentId: ROOT, kind: 'SERVER', shared: true, timestamp: at(2), duration: 5 }),
      record('cart', 'c2c2c2c2c2c2c2c2', { parentId: CLIENT, timestamp: at(3), duration: 1 }),
    ]);
    expect([tree(root), tree(callerSpan), groupTraces(callerSpan)[0]?.roots.map((top) => top.reason)]).toEqual([
      [`envoy server ${TRACE.slice(0, 16)}`, '  envoy internal c2c2c2c2c2c2c2c2'],
      [`app internal ${ROOT}`, `  cart server ${CLIENT}`, '    cart internal c2c2c2c2c2c2c2c2'],
      ['root'],
    ]);
    expect(callerSpan[1]?.attributes).toEqual({ 'zipkin.shared_span_id': CLIENT });
  });

  it("keeps a py_zipkin SERVER span (shared, a new id under its caller's CLIENT span) where it is", () => {
    // py_zipkin flags every server span started from B3 headers shared, though the id in the headers is new.
    const spans = decode([
      record('app', ROOT, { kind: 'SERVER', timestamp: at(0), duration: 900 }),
      record('app', CLIENT, { parentId: ROOT, kind: 'CLIENT', timestamp: at(1), duration: 800 }),
      record('cart', 'c3c3c3c3c3c3c3c3', {
        parentId: CLIENT,
        kind: 'SERVER',
        shared: true,
        timestamp: at(2),
        duration: 5,
      }),
    ]);
    expect(tree(spans)).toEqual([`app server ${ROOT}`, `  app client ${CLIENT}`, '    cart server c3c3c3c3c3c3c3c3']);
  });

  it("joins a shared SERVER span to its client's span only when the client's span is read with it, in one read or later", () => {
    const server = record('cart', CLIENT, { parentId: ROOT, kind: 'SERVER', shared: true, timestamp: at(2) });
    const child = record('cart', 'c2c2c2c2c2c2c2c2', { parentId: CLIENT, timestamp: at(3), duration: 1 });
    const client = record('app', CLIENT, { parentId: ROOT, kind: 'CLIENT', timestamp: at(1), duration: 800 });
    const apart = joinZipkinSpans([...decode([server, child]), ...decode([client])]);
    expect(tree(apart)).toEqual(tree(decode([client, server, child])));
    expect(tree(apart)).toEqual([
      `app client ${CLIENT}`,
      '  cart server a1a1a1a15e5e5e5e',
      '    cart internal c2c2c2c2c2c2c2c2',
    ]);
  });

  it("joins a shared SERVER span to its client's span in another document, line or file", () => {
    const client = decode([
      record('frontend', ROOT, { kind: 'SERVER', timestamp: at(0), duration: 900 }),
      record('frontend', CLIENT, { parentId: ROOT, kind: 'CLIENT', timestamp: at(1), duration: 800 }),
    ]);
    // A server that was not told its parent, and its child, as a second exporter's batch.
    const server = decode([
      record('backend', CLIENT, { kind: 'SERVER', shared: true, timestamp: at(2), duration: 700 }),
      record('backend', 'c2c2c2c2c2c2c2c2', { parentId: CLIENT, timestamp: at(3), duration: 100 }),
    ]);
    const joined = joinZipkinSpans([...client, ...server]);
    expect([tree(joined), joinZipkinSpans(joined)]).toEqual([
      [
        `frontend server ${ROOT}`,
        `  frontend client ${CLIENT}`,
        '    backend server a1a1a1a15e5e5e5e',
        '      backend internal c2c2c2c2c2c2c2c2',
      ],
      joined,
    ]);
  });

  it('never takes a SERVER span that copied its caller CLIENT id as its own for a shared one', () => {
    const spans = decode([
      record('app', CLIENT, { parentId: ROOT, kind: 'CLIENT', timestamp: at(1), duration: 800 }),
      // Its parent is the CLIENT span itself: the server copied the incoming span id (a defect), B3 did not share it.
      record('cart', CLIENT, { parentId: CLIENT, kind: 'SERVER', timestamp: at(2), duration: 700 }),
    ]);
    expect(spans.map((span) => [span.service, span.spanId, span.parentSpanId])).toEqual([
      ['app', CLIENT, ROOT],
      ['cart', CLIENT, CLIENT],
    ]);
  });

  it('keeps two whole records of one id apart: a retry that reused the id is not one span in pieces', () => {
    const spans = decode([
      record('app', CLIENT, { kind: 'CLIENT', timestamp: at(1000), duration: 100, tags: { try: '1' } }),
      record('app', CLIENT, { kind: 'CLIENT', timestamp: at(3000), duration: 100, tags: { try: '2' } }),
    ]);
    expect(spans.map((span) => span.attributes)).toEqual([{ try: '1' }, { try: '2' }]);
  });

  it('joins the pieces of one span from one host, and keeps spans of one id from two hosts apart', () => {
    const host = (ipv4: string): Record<string, unknown> => ({ localEndpoint: { serviceName: 'pusher', ipv4 } });
    const spans = decode([
      record('api', ROOT, { kind: 'SERVER', timestamp: at(0), duration: 900 }),
      record('pusher', CLIENT, { parentId: ROOT, kind: 'SERVER', timestamp: at(2), duration: 10, tags: { a: '1' } }),
      // Pieces with no kind and no time: only tags, as some reporters send them.
      record('pusher', CLIENT, { parentId: ROOT, tags: { b: '2' } }),
      record('pusher', CLIENT, { parentId: ROOT, tags: { a: 'later', c: '3' } }),
      { ...record('pusher', 'd3d3d3d3d3d3d3d3', { parentId: ROOT, kind: 'SERVER' }), ...host('10.0.0.1') },
      { ...record('pusher', 'd3d3d3d3d3d3d3d3', { parentId: ROOT, kind: 'SERVER' }), ...host('10.0.0.2') },
    ]);
    expect(spans.map((span) => [span.spanId, span.kind, span.attributes])).toEqual([
      [ROOT, 'server', {}],
      [CLIENT, 'server', { a: '1', b: '2', c: '3' }],
      ['d3d3d3d3d3d3d3d3', 'server', {}],
      ['d3d3d3d3d3d3d3d3', 'server', {}],
    ]);
  });

  it('reads a 64-bit trace id as the 128-bit trace the same dump writes in full', () => {
    const spans = decode([
      record('frontend', ROOT, { kind: 'SERVER' }),
      { ...record('backend', CLIENT, { parentId: ROOT }), traceId: TRACE.slice(16) },
      { ...record('other', 'e4e4e4e4e4e4e4e4'), traceId: '0123456789abcdef' },
    ]);
    expect(spans.map((span) => span.traceId)).toEqual([TRACE, TRACE, '00000000000000000123456789abcdef']);
    // Also when the two forms are in two documents (lines of a file, or files of one check).
    const [full, short] = [
      decode([record('frontend', ROOT)]),
      decode([{ ...record('backend', CLIENT), traceId: TRACE.slice(16) }]),
    ];
    expect(joinZipkinSpans([...full, ...short]).map((span) => span.traceId)).toEqual([TRACE, TRACE]);
  });

  it('reads remoteEndpoint.serviceName as peer.service (the service called), unless a tag names one', () => {
    const spans = decode([
      record('gateway', ROOT, { kind: 'CLIENT', remoteEndpoint: { serviceName: 'payment-api', ipv4: '10.0.0.2' } }),
      record('gateway', CLIENT, {
        kind: 'CLIENT',
        remoteEndpoint: { serviceName: 'ledger' },
        tags: { 'peer.service': 'vault' },
      }),
      record('gateway', 'c2c2c2c2c2c2c2c2', { kind: 'CLIENT', remoteEndpoint: { ipv4: '10.0.0.2' } }),
    ]);
    const bad = decodeZipkinValue([record('gateway', ROOT, { remoteEndpoint: 'payment-api' })], {
      file: 'zipkin.json',
    });
    expect([spans.map((span) => span.attributes), bad.ok ? 'read' : bad.message]).toEqual([
      [{ 'peer.service': 'payment-api' }, { 'peer.service': 'vault' }, {}],
      '[tracehop] Failed to read spans from "zipkin.json": [0].remoteEndpoint is not an endpoint object. Export Zipkin v2 JSON (GET /api/v2/traces, or the body a Zipkin exporter POSTs to /api/v2/spans).',
    ]);
  });

  describe('a span with no timestamp (Zipkin v2 allows it)', () => {
    const times = (spans: Span[]) =>
      spans.map((span) => [span.spanId, span.startTimeMs - at(0) / 1000, span.endTimeMs - at(0) / 1000, hasTime(span)]);
    const notes = (...ms: number[]) => ms.map((m, i) => ({ timestamp: at(m), value: `event ${i}` }));

    it('takes its start from its first annotation, and its end from its duration or its last annotation', () => {
      expect(
        times(
          decode([
            record('cart', ROOT, { kind: 'SERVER', annotations: notes(7, 3, 9) }),
            record('cart', CLIENT, { kind: 'CLIENT', duration: 2500, annotations: notes(4, 5) }),
          ]),
        ),
      ).toEqual([
        [ROOT, 3, 9, true],
        [CLIENT, 4, 6.5, true],
      ]);
    });

    it('keeps the time of the piece that has one, and takes a duration only a late piece wrote', () => {
      expect(
        times(
          decode([
            record('cart', ROOT, { kind: 'SERVER', timestamp: at(1) }),
            record('cart', ROOT, { duration: 4000, annotations: notes(30) }),
          ]),
        ),
      ).toEqual([[ROOT, 1, 5, true]]);
    });

    it('gives a span with no timestamp, no annotations and no piece with a time no time at all, not 1970 plus its duration', () => {
      const spans = decode([record('cart', ROOT, { kind: 'SERVER', duration: 4000 })]);
      expect(spans.map((span) => [span.startTimeMs, span.endTimeMs, hasTime(span)])).toEqual([[0, 0, false]]);
    });

    it('names an annotation whose time it needs and cannot read', () => {
      const result = decodeZipkinValue([record('cart', ROOT, { annotations: [{ value: 'wr' }] })], {
        file: 'zipkin.json',
      });
      expect(result.ok ? 'read' : result.message).toBe(
        '[tracehop] Failed to read spans from "zipkin.json": [0].annotations[0].timestamp is missing: an annotation is a time and a value. Export Zipkin v2 JSON (GET /api/v2/traces, or the body a Zipkin exporter POSTs to /api/v2/spans).',
      );
    });
  });

  describe('Zipkin v1 JSON, read as Zipkin converts it to v2', () => {
    const endpoint = (serviceName: string) => ({ serviceName, ipv4: '127.0.0.1' });
    const note = (value: string, ms: number, service: string) => ({
      value,
      timestamp: at(ms),
      endpoint: endpoint(service),
    });
    const SERVER = 'c3c3c3c3c3c3c3c3';

    it("reads py_zipkin's spans: a client side, and a server side without a timestamp (it joined its caller's span)", () => {
      const spans = decode([
        {
          traceId: TRACE.slice(16),
          id: ROOT,
          name: 'checkout',
          annotations: [note('sr', 0, 'app'), note('ss', 10, 'app')],
          binaryAnnotations: [],
          timestamp: at(0),
          duration: 10_000,
        },
        {
          traceId: TRACE.slice(16),
          id: CLIENT,
          parentId: ROOT,
          name: 'post /cart',
          annotations: [note('cs', 1, 'app'), note('cr', 9, 'app')],
          binaryAnnotations: [],
          timestamp: at(1),
          duration: 8000,
        },
        {
          traceId: TRACE.slice(16),
          id: SERVER,
          parentId: CLIENT,
          name: 'post /cart',
          annotations: [note('sr', 2, 'cart'), note('ss', 7, 'cart')],
          binaryAnnotations: [{ key: 'http.path', value: '/cart', endpoint: endpoint('cart') }],
        },
      ]);
      expect([
        tree(spans),
        spans.map((span) => [span.startTimeMs - at(0) / 1000, span.endTimeMs - span.startTimeMs]),
      ]).toEqual([
        [`app server ${ROOT}`, `  app client ${CLIENT}`, `    cart server ${SERVER}`],
        [
          [0, 10],
          [1, 8],
          [2, 5],
        ],
      ]);
      expect(spans[2]?.attributes).toEqual({ 'http.path': '/cart', 'zipkin.shared_span_id': SERVER });
    });

    it('splits a span that client and server recorded in one record into a CLIENT span and a shared SERVER span, sa the remote service of the client', () => {
      const spans = decode([
        {
          traceId: TRACE,
          id: CLIENT,
          parentId: ROOT,
          name: 'get',
          timestamp: at(1),
          duration: 8000,
          annotations: [note('cs', 1, 'app'), note('sr', 2, 'cart'), note('ss', 7, 'cart'), note('cr', 9, 'app')],
          binaryAnnotations: [
            { key: 'sa', value: true, endpoint: endpoint('cart') },
            { key: 'http.path', value: '/cart', endpoint: endpoint('cart') },
          ],
        },
      ]);
      expect(
        spans.map((span) => [
          span.service,
          span.kind,
          span.spanId,
          span.parentSpanId,
          span.endTimeMs - span.startTimeMs,
        ]),
      ).toEqual([
        ['app', 'client', CLIENT, ROOT, 8],
        ['cart', 'server', 'a1a1a1a15e5e5e5e', CLIENT, 5],
      ]);
      // The sa (server address) annotation names the client's remote service, as Zipkin converts it.
      expect(spans.map((span) => span.attributes)).toEqual([
        { 'peer.service': 'cart' },
        { 'http.path': '/cart', 'zipkin.shared_span_id': CLIENT },
      ]);
    });

    it('reads a local span by the service of its lc annotation', () => {
      const spans = decode([
        {
          traceId: TRACE,
          id: ROOT,
          name: 'load-rules',
          timestamp: at(0),
          duration: 300,
          annotations: [],
          binaryAnnotations: [{ key: 'lc', value: 'rules', endpoint: endpoint('fraud') }],
        },
      ]);
      expect(spans.map((span) => [span.service, span.kind, span.attributes])).toEqual([
        ['fraud', 'internal', { lc: 'rules' }],
      ]);
    });

    it('names the place of an annotation it cannot read', () => {
      const result = decodeZipkinValue(
        [
          {
            traceId: TRACE,
            id: ROOT,
            name: 'x',
            annotations: [{ value: 'sr', timestamp: 'soon' }],
            binaryAnnotations: [],
          },
        ],
        { file: 'zipkin.json' },
      );
      expect(result.ok ? 'read' : result.message).toBe(
        '[tracehop] Failed to read spans from "zipkin.json": [0].annotations[0].timestamp is not a time in microseconds. Export Zipkin v2 JSON (GET /api/v2/traces, or the body a Zipkin exporter POSTs to /api/v2/spans).',
      );
    });

    it('reads an event annotation named like an Object method (toString, constructor) as an event, not a side', () => {
      const spans = decode([
        {
          traceId: TRACE,
          id: ROOT,
          name: 'get',
          timestamp: at(0),
          duration: 5000,
          annotations: [
            note('sr', 0, 'cart'),
            note('toString', 1, 'cart'),
            note('constructor', 2, 'cart'),
            note('ss', 5, 'cart'),
          ],
          binaryAnnotations: [],
        },
      ]);
      expect(spans.map((span) => [span.service, span.kind, span.endTimeMs - span.startTimeMs])).toEqual([
        ['cart', 'server', 5],
      ]);
    });

    it('names the annotation that ends a side before it starts, not a duration the record does not have', () => {
      const result = decodeZipkinValue(
        [
          {
            traceId: TRACE,
            id: ROOT,
            name: 'x',
            annotations: [note('cs', 10, 'app'), { value: 'cr', timestamp: 5, endpoint: endpoint('app') }],
          },
        ],
        { file: 'zipkin.json' },
      );
      expect(result.ok ? 'read' : result.message).toBe(
        `[tracehop] Failed to read spans from "zipkin.json": [0].annotations[1].timestamp 5 is before the side's first annotation (${at(10)}): a span cannot end before it starts. Export Zipkin v2 JSON (GET /api/v2/traces, or the body a Zipkin exporter POSTs to /api/v2/spans).`,
      );
    });

    it("names the place of a local span's endpoint it cannot read: the annotation or binary annotation that holds it", () => {
      const message = (more: Record<string, unknown>): string => {
        const result = decodeZipkinValue([{ traceId: TRACE, id: ROOT, name: 'x', ...more }], { file: 'zipkin.json' });
        return result.ok ? 'read' : result.message;
      };
      const fault = (place: string): string =>
        `[tracehop] Failed to read spans from "zipkin.json": [0].${place}.endpoint is not an endpoint object. Export Zipkin v2 JSON (GET /api/v2/traces, or the body a Zipkin exporter POSTs to /api/v2/spans).`;
      expect([
        message({
          binaryAnnotations: [
            { key: 'k', value: 'v' },
            { key: 'lc', value: 'rules', endpoint: 'fraud' },
          ],
        }),
        message({
          annotations: [{ value: 'loaded', timestamp: at(1), endpoint: 7 }],
          binaryAnnotations: [{ key: 'k', value: 'v' }],
        }),
      ]).toEqual([fault('binaryAnnotations[1]'), fault('annotations[0]')]);
    });
  });

  it('refuses a kind named like an Object method (constructor) with the kinds it reads', () => {
    const result = decodeZipkinValue([record('frontend', ROOT, { kind: 'constructor' })], { file: 'zipkin.json' });
    expect(result.ok ? 'read' : result.message).toBe(
      '[tracehop] Failed to read spans from "zipkin.json": [0].kind "constructor" is not CLIENT, SERVER, PRODUCER or CONSUMER. Export Zipkin v2 JSON (GET /api/v2/traces, or the body a Zipkin exporter POSTs to /api/v2/spans).',
    );
  });

  it('reads v2 annotations, which carry no endpoint', () => {
    const spans = decode([record('frontend', ROOT, { annotations: [{ timestamp: at(1), value: 'ws' }] })]);
    expect(spans.map((span) => span.service)).toEqual(['frontend']);
  });

  it('gives each service that joined one shared span an id of its own, none of them the shared id', () => {
    // Low 32 bits of zero: a counter-style id, whose complement is all ones.
    for (const id of ['a200000000000000', 'a2000000ffffffff', 'a2000000a1a1a1a1'] as Array<Span['spanId']>) {
      const derived = [0, 1, 2, 3].map((nth) => sharedServerSpanId(id, nth));
      expect([new Set(derived).size, derived.includes(id), derived.every((d) => d.startsWith('a2000000'))]).toEqual([
        4,
        false,
        true,
      ]);
    }
  });

  it('joins a forwarded context split over two files as it joins it in one (each server its own id)', () => {
    // The gateway sent on the app's span: the gateway's and payment-api's SERVER spans both joined CLIENT.
    const records = [
      record('app', ROOT),
      record('app', CLIENT, { parentId: ROOT, kind: 'CLIENT' }),
      record('gateway', CLIENT, { parentId: ROOT, kind: 'SERVER', shared: true }),
      record('gateway', 'c0c0c0c0c0c0c0c0', { parentId: CLIENT, kind: 'CLIENT' }),
      record('payment', CLIENT, { parentId: ROOT, kind: 'SERVER', shared: true }),
      record('payment', 'd0d0d0d0d0d0d0d0', { parentId: CLIENT }),
    ];
    const apart = joinZipkinSpans([...decode(records.slice(0, 4)), ...decode(records.slice(4))]);
    expect(tree(apart)).toEqual(tree(decode(records)));
    expect(new Set(apart.map((span) => span.spanId)).size).toBe(6);
  });
});
