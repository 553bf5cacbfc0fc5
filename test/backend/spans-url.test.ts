import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { startBackend, type Backend } from '../../harness/backend';
import { decodeOtlpProtobuf } from '../../harness/model';
import { encodeOtlpProtobuf } from '../../harness/model/test-support/otlp-protobuf';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

/**
 * Two exports of one app, as its SDK makes them: a SERVER span under a remote parent (flags bits 8 and 9 set)
 * with events, and its local child (bit 8 alone), under a resource with attributes besides service.name and
 * a named, versioned scope; then a span of another scope of the same resource.
 */
async function sdkSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'payment-api',
      'service.version': '1.2.3',
      'telemetry.sdk.language': 'nodejs',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: CALLER_SPAN_ID,
    traceFlags: TraceFlags.SAMPLED,
    traceState: new TraceState('vendor=abc'),
    isRemote: true,
  });
  const server = provider
    .getTracer('payments', '4.5.6')
    .startSpan('POST /payments', { kind: SpanKind.SERVER, startTime: [1700000000, 100000000] }, remote);
  server.addEvent('card.checked', { 'card.brand': 'visa', attempts: 2 }, [1700000000, 150000000]);
  server.addEvent('queued', [1700000000, 160000000]);
  const child = provider
    .getTracer('payments', '4.5.6')
    .startSpan('charge', { startTime: [1700000000, 170000000] }, trace.setSpan(ROOT_CONTEXT, server));
  child.end([1700000000, 180000000]);
  server.end([1700000000, 200000000]);
  const other = provider.getTracer('db').startSpan('SELECT', { startTime: [1700000000, 300000000] });
  other.end([1700000000, 310000000]);
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

const RESOURCE = {
  attributes: [
    { key: 'service.name', value: { stringValue: 'payment-api' } },
    { key: 'service.version', value: { stringValue: '1.2.3' } },
    { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } },
  ],
};

/** What the spans URL holds after one export of sdkSpans(), whole, with the ids each span was given. */
function expectedDocument(ids: { server: string; child: string; other: string; otherTrace: string }): unknown {
  return {
    resourceSpans: [
      {
        resource: RESOURCE,
        scopeSpans: [
          {
            scope: { name: 'payments', version: '4.5.6' },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: ids.child,
                parentSpanId: ids.server,
                traceState: 'vendor=abc',
                // Bit 8 (the writer says) without bit 9: a local parent.
                flags: 0x101,
                name: 'charge',
                kind: 1,
                startTimeUnixNano: '1700000000170000000',
                endTimeUnixNano: '1700000000180000000',
                attributes: [],
                status: { code: 0 },
              },
              {
                traceId: TRACE_ID,
                spanId: ids.server,
                parentSpanId: CALLER_SPAN_ID,
                traceState: 'vendor=abc',
                // Bits 8 and 9: a remote parent.
                flags: 0x301,
                name: 'POST /payments',
                kind: 2,
                startTimeUnixNano: '1700000000100000000',
                endTimeUnixNano: '1700000000200000000',
                attributes: [],
                status: { code: 0 },
                events: [
                  {
                    timeUnixNano: '1700000000150000000',
                    name: 'card.checked',
                    attributes: [
                      { key: 'card.brand', value: { stringValue: 'visa' } },
                      { key: 'attempts', value: { intValue: '2' } },
                    ],
                  },
                  { timeUnixNano: '1700000000160000000', name: 'queued' },
                ],
              },
            ],
          },
        ],
      },
      {
        resource: RESOURCE,
        scopeSpans: [
          {
            scope: { name: 'db' },
            spans: [
              {
                traceId: ids.otherTrace,
                spanId: ids.other,
                // A root: the SDK says its parent (none) is not remote.
                flags: 0x101,
                name: 'SELECT',
                kind: 1,
                startTimeUnixNano: '1700000000300000000',
                endTimeUnixNano: '1700000000310000000',
                attributes: [],
                status: { code: 0 },
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('the spans URL', () => {
  let backend: Backend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  test.each([
    ['application/json', (spans: ReadableSpan[]) => JsonTraceSerializer.serializeRequest(spans)],
    ['application/x-protobuf', (spans: ReadableSpan[]) => ProtobufTraceSerializer.serializeRequest(spans)],
  ])(
    'hands back what an export in %s held: remote-parent flags, scope, resource attributes and events',
    async (type, serialize) => {
      backend = await startBackend({ topology: { services: [{ name: 'collector', firstParty: true, routes: [] }] } });
      const spans = await sdkSpans();
      const body = serialize(spans);
      const posted = await fetch(backend.urls.otlp, {
        method: 'POST',
        headers: { 'content-type': type },
        body: Uint8Array.from(body ?? []),
      });
      expect(posted.status).toBe(200);
      const idOf = (name: string): string => spans.find((span) => span.name === name)?.spanContext().spanId ?? '';
      const otherTrace = spans.find((span) => span.name === 'SELECT')?.spanContext().traceId ?? '';
      expect(JSON.parse(await (await fetch(backend.urls.spans)).text())).toEqual(
        expectedDocument({ server: idOf('POST /payments'), child: idOf('charge'), other: idOf('SELECT'), otherTrace }),
      );
    },
  );

  it("keeps a JSON export's origin, events and remote-parent bits through the store and the protobuf encoder", async () => {
    backend = await startBackend({ topology: { services: [{ name: 'collector', firstParty: true, routes: [] }] } });
    const spans = await sdkSpans();
    const posted = await fetch(backend.urls.otlp, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Uint8Array.from(JsonTraceSerializer.serializeRequest(spans) ?? []),
    });
    expect(posted.status).toBe(200);
    const stored = backend.store.spans();
    const [first] = stored;
    const again = decodeOtlpProtobuf(encodeOtlpProtobuf(stored), first?.source ?? { file: 'none' }, { detail: true });
    expect({
      again,
      kept: stored.map((span) => [span.name, span.parentIsRemote, span.events?.length, span.origin?.scope.name]),
    }).toEqual({
      again: { ok: true, spans: stored, rejected: 0, errors: [] },
      kept: [
        ['charge', false, undefined, 'payments'],
        ['POST /payments', true, 2, 'payments'],
        ['SELECT', false, undefined, 'db'],
      ],
    });
  });
});
