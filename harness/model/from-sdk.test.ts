import { SpanKind, SpanStatusCode, TraceFlags, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as v1 from 'sdk-trace-base-v1';
import type { ReadableSpan as V1ReadableSpan } from 'sdk-trace-base-v1';
import { spanFromReadable, type SdkReadableSpan } from './from-sdk';

describe('spanFromReadable', () => {
  it('gives a span started at 0 no time (0 to 0), whatever its end, as the OTLP decoders do', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider
      .getTracer('test')
      .startSpan('checkout', { startTime: [0, 0] })
      .end([0, 1]);
    await provider.forceFlush();
    const span = spanFromReadable(exporter.getFinishedSpans()[0]!, { file: 'in-memory' });
    expect([span.startTimeMs, span.endTimeMs]).toEqual([0, 0]);
  });

  it("keeps an ERROR span's status message, and no other span's", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('test');
    const refused = tracer.startSpan('POST', { kind: SpanKind.CLIENT });
    refused.setStatus({ code: SpanStatusCode.ERROR, message: 'connect ECONNREFUSED 127.0.0.1:33001' });
    refused.end();
    const fine = tracer.startSpan('GET', { kind: SpanKind.CLIENT });
    fine.setStatus({ code: SpanStatusCode.OK, message: 'fine' });
    fine.end();
    await provider.forceFlush();
    expect(
      exporter.getFinishedSpans().map((span) => {
        const converted = spanFromReadable(span);
        return [converted.statusCode, converted.statusMessage, 'statusMessage' in converted];
      }),
    ).toEqual([
      [2, 'connect ECONNREFUSED 127.0.0.1:33001', true],
      [1, undefined, false],
    ]);
  });

  it('keeps ids, parent, kind, service, flags and times of an SDK span', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'api-gateway' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('test');
    const parent = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, startTime: 1700000000000 });
    const child = tracer.startSpan(
      'POST /payments',
      { kind: SpanKind.CLIENT, startTime: 1700000000001.5, attributes: { 'http.method': 'POST', tags: ['a', 'b'] } },
      trace.setSpan(context.active(), parent),
    );
    child.end(1700000000009);
    parent.end(1700000000010);
    await provider.forceFlush();

    const [readableChild, readableParent] = exporter.getFinishedSpans();
    const converted = spanFromReadable(readableChild!, { file: 'in-memory' });
    expect(converted).toEqual({
      traceId: parent.spanContext().traceId,
      spanId: child.spanContext().spanId,
      parentSpanId: parent.spanContext().spanId,
      name: 'POST /payments',
      kind: 'client',
      service: 'api-gateway',
      startTimeMs: 1700000000001.5,
      endTimeMs: 1700000000009,
      attributes: { 'http.method': 'POST', tags: ['a', 'b'] },
      traceFlags: TraceFlags.SAMPLED,
      // The SDK's context holds no tracestate: known to be empty.
      traceState: '',
      statusCode: 0,
      source: { file: 'in-memory' },
    });
    expect(spanFromReadable(readableParent!)).toMatchObject({ kind: 'server', startTimeMs: 1700000000000 });
    expect(spanFromReadable(readableParent!).parentSpanId).toBeUndefined();
  });
});

describe('spanFromReadable with the 1.x SDK', () => {
  // Apps still on @opentelemetry/sdk-trace-base 1.x: their spans name the parent by `parentSpanId`.
  // The 1.x line (installed under an alias) has its own @opentelemetry/resources 1.x, with the Resource class.
  const { Resource } = require(
    require.resolve('@opentelemetry/resources', { paths: [require.resolve('sdk-trace-base-v1')] }),
  ) as { Resource: new (attributes: Record<string, string>) => V1ReadableSpan['resource'] };

  it('keeps the parent a 1.x span names by parentSpanId', async () => {
    const exporter = new v1.InMemorySpanExporter();
    const provider = new v1.BasicTracerProvider({ resource: new Resource({ 'service.name': 'mobile-app' }) });
    provider.addSpanProcessor(new v1.SimpleSpanProcessor(exporter));
    const tracer = provider.getTracer('test');
    const parent = tracer.startSpan('checkout', { kind: SpanKind.INTERNAL, startTime: 1700000000000 });
    const child = tracer.startSpan(
      'POST /checkout',
      { kind: SpanKind.CLIENT, startTime: 1700000000002, attributes: { retries: [1, null, 3] } },
      trace.setSpan(context.active(), parent),
    );
    child.end(1700000000008);
    parent.end(1700000000010);
    await provider.forceFlush();

    const [readableChild, readableParent] = exporter.getFinishedSpans();
    expect(readableChild!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(spanFromReadable(readableChild!)).toEqual({
      traceId: parent.spanContext().traceId,
      spanId: child.spanContext().spanId,
      parentSpanId: parent.spanContext().spanId,
      name: 'POST /checkout',
      kind: 'client',
      service: 'mobile-app',
      startTimeMs: 1700000000002,
      endTimeMs: 1700000000008,
      attributes: { retries: [1, null, 3] },
      traceFlags: TraceFlags.SAMPLED,
      // The SDK's context holds no tracestate: known to be empty.
      traceState: '',
      statusCode: 0,
    });
    expect(spanFromReadable(readableParent!).parentSpanId).toBeUndefined();
  });

  it('reads an all-zero parent id as no parent, as the OTLP decoders do', () => {
    const [span] = spansWithParent('0000000000000000');
    expect(spanFromReadable(span!).parentSpanId).toBeUndefined();
  });
});

/** A hand-made span in the 1.x shape, with the given parent id. */
function spansWithParent(parentSpanId: string): SdkReadableSpan[] {
  return [
    {
      name: 'root',
      kind: 0,
      spanContext: () => ({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1 }),
      parentSpanId,
      startTime: [1700000000, 0],
      endTime: [1700000000, 5_000_000],
      status: { code: 0 },
      attributes: {},
      links: [],
      resource: { attributes: { 'service.name': 'mobile-app' } },
    },
  ];
}
