import { SpanKind, TraceFlags, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { spanFromReadable } from './from-sdk';

describe('spanFromReadable', () => {
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
      statusCode: 0,
      source: { file: 'in-memory' },
    });
    expect(spanFromReadable(readableParent!)).toMatchObject({ kind: 'server', startTimeMs: 1700000000000 });
    expect(spanFromReadable(readableParent!).parentSpanId).toBeUndefined();
  });
});
