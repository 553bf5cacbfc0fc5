import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDumpFile } from '../../harness/model/formats';
import { encodeOtlpProtobuf } from '../../harness/model/test-support/otlp-protobuf';
import { asSpanId, asTraceId, type Span } from '../../harness/model';
import { runCli, tempFiles } from './support';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROOT = '00f067aa0ba902b7';
const CHILD = '1111111111111111';
const ZERO = '0000000000000000';
const OK = '[tracehop] OK: 1 trace, 2 spans, no problems; app -> api run in one trace.\n';

const otlpSpan = (spanId: string, parentSpanId: string, service: string, kind: number, links?: unknown) => ({
  resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
  scopeSpans: [{ spans: [{ traceId: T, spanId, parentSpanId, name: 'x', kind, ...(links ? { links } : {}) }] }],
});
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const model = (spanId: string, parentSpanId: string, service: string, kind: Span['kind']): Span => ({
  traceId: asTraceId(T),
  spanId: asSpanId(spanId),
  parentSpanId: asSpanId(parentSpanId),
  name: 'x',
  kind,
  service,
  startTimeMs: 1,
  endTimeMs: 2,
  attributes: {},
});

// A root whose parent id is all zeros, and a child of it; each written as its format writes "no parent".
const DUMPS: [string, string | Buffer][] = [
  ['otlp-json', JSON.stringify({ resourceSpans: [otlpSpan(ROOT, ZERO, 'app', 3), otlpSpan(CHILD, ROOT, 'api', 2)] })],
  [
    'protojson',
    JSON.stringify({
      batches: [{ ...otlpSpan(b64(ROOT), b64(ZERO), 'app', 3) }, { ...otlpSpan(b64(CHILD), b64(ROOT), 'api', 2) }].map(
        (batch) => ({
          ...batch,
          scopeSpans: batch.scopeSpans.map((scope) => ({
            spans: scope.spans.map((span) => ({
              ...span,
              traceId: b64(T),
              kind: span.kind === 3 ? 'SPAN_KIND_CLIENT' : 'SPAN_KIND_SERVER',
            })),
          })),
        }),
      ),
    }),
  ],
  [
    'otlp-proto',
    Buffer.from(encodeOtlpProtobuf([model(ROOT, ZERO, 'app', 'client'), model(CHILD, ROOT, 'api', 'server')])),
  ],
  [
    'jaeger',
    JSON.stringify({
      data: [
        {
          traceID: T,
          spans: [
            {
              traceID: T,
              spanID: ROOT,
              references: [{ refType: 'CHILD_OF', traceID: T, spanID: ZERO }],
              processID: 'p1',
              tags: [{ key: 'span.kind', type: 'string', value: 'client' }],
            },
            {
              traceID: T,
              spanID: CHILD,
              references: [{ refType: 'CHILD_OF', traceID: T, spanID: ROOT }],
              processID: 'p2',
              tags: [{ key: 'span.kind', type: 'string', value: 'server' }],
            },
          ],
          processes: { p1: { serviceName: 'app' }, p2: { serviceName: 'api' } },
        },
      ],
    }),
  ],
  [
    'zipkin',
    JSON.stringify([
      { traceId: T, id: ROOT, parentId: ZERO, kind: 'CLIENT', localEndpoint: { serviceName: 'app' } },
      { traceId: T, id: CHILD, parentId: ROOT, kind: 'SERVER', localEndpoint: { serviceName: 'api' } },
    ]),
  ],
];

describe('all-zero parent ids read as "no parent" in every decoder', () => {
  it.each(DUMPS)('%s', async (_format, body) => {
    const dir = tempFiles({});
    writeFileSync(join(dir, 'dump'), body);
    const result = await runCli(['check', '--expect', 'app,api', 'dump'], dir);
    expect([result.code, result.stdout]).toEqual([0, OK]);
  });
});

describe('all-zero link ids read as "no link"', () => {
  it('keeps a real link and drops links with an all-zero span or trace id (OTLP/JSON)', async () => {
    const links = [
      { traceId: T, spanId: ZERO },
      { traceId: '0'.repeat(32), spanId: CHILD },
      { traceId: T, spanId: CHILD, attributes: [{ key: 'why', value: { stringValue: 'batch' } }] },
    ];
    const dir = tempFiles({ 'l.json': JSON.stringify({ resourceSpans: [otlpSpan(ROOT, '', 'app', 5, links)] }) });
    const result = await readDumpFile(join(dir, 'l.json'), 'l.json');
    expect(result.ok && result.spans.map((span) => span.links)).toEqual([
      [{ traceId: T, spanId: CHILD, attributes: { why: 'batch' } }],
    ]);
  });

  it('turns Jaeger references other than the parent into links, and FOLLOWS_FROM into the parent when there is no CHILD_OF', async () => {
    const other = 'a'.repeat(32);
    const doc = {
      data: [
        {
          traceID: T,
          processes: { p1: { serviceName: 'svc' } },
          spans: [
            {
              traceID: T,
              spanID: ROOT,
              processID: 'p1',
              references: [{ refType: 'FOLLOWS_FROM', traceID: T, spanID: CHILD }],
            },
            {
              traceID: T,
              spanID: CHILD,
              processID: 'p1',
              references: [
                { refType: 'FOLLOWS_FROM', traceID: other, spanID: ROOT },
                { refType: 'CHILD_OF', traceID: T, spanID: ROOT },
                { refType: 'FOLLOWS_FROM', traceID: T, spanID: ZERO },
              ],
            },
          ],
        },
      ],
    };
    const dir = tempFiles({ 'j.json': JSON.stringify(doc) });
    const result = await readDumpFile(join(dir, 'j.json'), 'j.json');
    expect(result.ok && result.spans.map((span) => [span.parentSpanId, span.links])).toEqual([
      [CHILD, undefined],
      [ROOT, [{ traceId: other, spanId: ROOT }]],
    ]);
  });
});
