/**
 * Interop proof: spans recorded by the real OpenTelemetry JS SDK and serialized by OpenTelemetry's own OTLP
 * serializers (@opentelemetry/otlp-transformer) decode, with our decoders, to exactly what spanFromReadable
 * makes of the same ReadableSpans. Random span trees cover every attribute value the SDK accepts, events
 * (which our model does not keep, so the decoders must skip them), links, statuses, trace states,
 * resources with nested AnyValues, instrumentation scopes and nanosecond timestamps.
 */
import fc from 'fast-check';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { decodeOtlpJson, decodeOtlpProtobuf, spanFromReadable } from '../../harness/model';
import type { AttributeValue, Attributes, Span } from '../../harness/model';
import { recordPlan, recordingPlan } from './sdk-span-arbitraries';

const SOURCE = { file: 'otel-serializer' };

/** Runs per property: enough to hit every arbitrary branch many times, and the suite stays a few seconds. */
const NUM_RUNS = 150;

function byIds(a: Span, b: Span): number {
  return a.traceId === b.traceId ? (a.spanId < b.spanId ? -1 : 1) : a.traceId < b.traceId ? -1 : 1;
}

/** Applies `change` to every number of every attribute of a span (span and link attributes). */
function mapNumbers(span: Span, change: (value: number) => AttributeValue): Span {
  const mapValue = (value: AttributeValue): AttributeValue => {
    if (typeof value === 'number') return change(value);
    if (Array.isArray(value)) return value.map(mapValue);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, AttributeValue> = {};
      for (const [key, item] of Object.entries(value)) out[key] = mapValue(item);
      return out;
    }
    return value;
  };
  const mapAttributes = (attributes: Attributes): Attributes => mapValue(attributes) as Attributes;
  return {
    ...span,
    attributes: mapAttributes(span.attributes),
    ...(span.links
      ? {
          links: span.links.map((link) =>
            link.attributes ? { ...link, attributes: mapAttributes(link.attributes) } : link,
          ),
        }
      : {}),
  };
}

/**
 * What the OTLP protobuf encoding can carry: int64 has no negative zero, so OpenTelemetry writes -0 as
 * int_value 0. Everything else survives exactly.
 */
function expectedAfterProtobuf(spans: readonly ReadableSpan[]): Span[] {
  return spans
    .map((span) => mapNumbers(spanFromReadable(span, SOURCE), (value) => (Object.is(value, -0) ? 0 : value)))
    .sort(byIds);
}

/**
 * What OpenTelemetry's JSON serializer can carry: it uses JSON.stringify, which writes -0 as 0 and NaN and
 * the infinities as null (an empty AnyValue, our null), where proto3 JSON would write "NaN" and "Infinity".
 */
function expectedAfterJson(spans: readonly ReadableSpan[]): Span[] {
  return spans
    .map((span) =>
      mapNumbers(spanFromReadable(span, SOURCE), (value) =>
        Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null,
      ),
    )
    .sort(byIds);
}

describe('OpenTelemetry OTLP serializers -> our decoders', () => {
  it('ProtobufTraceSerializer -> decodeOtlpProtobuf equals spanFromReadable, and JsonTraceSerializer -> decodeOtlpJson too', async () => {
    await fc.assert(
      fc.asyncProperty(recordingPlan, async (plan) => {
        const readable = await recordPlan(plan);

        const protobuf = decodeOtlpProtobuf(
          ProtobufTraceSerializer.serializeRequest(readable) ?? new Uint8Array(),
          SOURCE,
        );
        expect(protobuf).toEqual({ ok: true, spans: expect.any(Array), rejected: 0, errors: [] });
        if (!protobuf.ok) return;
        expect([...protobuf.spans].sort(byIds)).toEqual(expectedAfterProtobuf(readable));

        const jsonText = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(readable));
        const json = decodeOtlpJson(jsonText, SOURCE.file);
        expect(json).toEqual({ ok: true, spans: expect.any(Array) });
        if (!json.ok) return;
        expect([...json.spans].sort(byIds)).toEqual(expectedAfterJson(readable));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  /** One span recorded by the SDK with these attributes and times. */
  async function recordOne(
    attributes: Record<string, number | number[]>,
    start: [number, number],
  ): Promise<ReadableSpan[]> {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      sampler: new AlwaysOnSampler(),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    provider.getTracer('t').startSpan('op', { attributes, startTime: start }).end(start);
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    await provider.shutdown();
    return spans;
  }

  it('reads the null that OpenTelemetry JSON writes for NaN and Infinity as an empty value, not a broken document', async () => {
    const readable = await recordOne({ nan: NaN, list: [Infinity, 1.5, -Infinity] }, [1700000000, 0]);
    const json = decodeOtlpJson(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(readable)), 'otel.json');
    expect(json.ok && json.spans.map((span) => span.attributes)).toEqual([{ nan: null, list: [null, 1.5, null] }]);
    const protobuf = decodeOtlpProtobuf(ProtobufTraceSerializer.serializeRequest(readable) ?? new Uint8Array(), SOURCE);
    expect(protobuf.ok && protobuf.spans.map((span) => span.attributes)).toEqual([
      { nan: NaN, list: [Infinity, 1.5, -Infinity] },
    ]);
  });

  it('reads negative int64 values beyond 2^53 exactly, as OpenTelemetry writes integral doubles', async () => {
    const attributes = { neg: -11145465571132662, list: [-(2 ** 62), -(2 ** 53) - 2, -(2 ** 63)] };
    const readable = await recordOne(attributes, [1700000000, 0]);
    const protobuf = decodeOtlpProtobuf(ProtobufTraceSerializer.serializeRequest(readable) ?? new Uint8Array(), SOURCE);
    expect(protobuf.ok && protobuf.spans.map((span) => span.attributes)).toEqual([attributes]);
  });

  it('converts nanosecond times to the same milliseconds as the decoders (whole ms, then the rest)', async () => {
    const readable = await recordOne({}, [1, 801983744]);
    const [only] = readable;
    expect(only && spanFromReadable(only).startTimeMs).toBe(1801.983744);
    const protobuf = decodeOtlpProtobuf(ProtobufTraceSerializer.serializeRequest(readable) ?? new Uint8Array(), SOURCE);
    expect(protobuf.ok && protobuf.spans.map((span) => [span.startTimeMs, span.endTimeMs])).toEqual([
      [1801.983744, 1801.983744],
    ]);
  });
});
