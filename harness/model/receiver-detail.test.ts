import { setFlagsFromString } from 'node:v8';
import { TraceFlags, context, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { decodeOtlpJsonExport } from './otlp-json';
import { asSpanId, asTraceId } from './ids';
import { decodeOtlpProtobuf, encodeOtlpProtobuf } from './otlp-proto';
import { recordSdkHop } from './test-support/sdk-hop';

// V8's own test of whether two objects share one hidden class (map): a span made by one object literal
// shares it with a literal of the same fields in the same order; one given fields after it was made does
// not, and holds those fields in a property array of its own (40 B a span more on a 64-bit Node).
setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the only way to reach a V8 intrinsic
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** A literal of `value`'s own fields in their order, as the decoder's literal would make it. */
function literalOf(value: object): object {
  const keys = Object.keys(value);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a literal whose keys are known only here
  const make = new Function('v', `return { ${keys.map((key) => `${key}: v.${key}`).join(', ')} };`) as (
    v: object,
  ) => object;
  return make(value);
}

describe('decodeOtlpJsonExport with detail (the OTLP receiver)', () => {
  it('makes each span of the common shape one object holding its origin and remote-parent bit', () => {
    const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'api-gateway' } }] };
    const span = (spanId: string, flags: number) => ({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId,
      parentSpanId: '00f067aa0ba902b6',
      flags,
      name: 'GET /cart',
      kind: 2,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000001000000',
      attributes: [{ key: 'http.route', value: { stringValue: '/cart' } }],
    });
    const { spans, rejected } = decodeOtlpJsonExport(
      [
        {
          resource,
          scopeSpans: [
            { scope: { name: 'http' }, spans: [span('00f067aa0ba902b7', 0x301), span('00f067aa0ba902b8', 1)] },
          ],
        },
      ],
      { file: 'otlp-receiver' },
      3,
      { detail: true },
    );
    expect({
      rejected,
      shapes: spans.map((decoded) => [Object.keys(decoded), haveSameMap(decoded, literalOf(decoded))]),
    }).toEqual({
      rejected: 0,
      shapes: [
        [
          // prettier-ignore
          ['traceId', 'spanId', 'name', 'kind', 'service', 'startTimeMs', 'endTimeMs', 'attributes', 'source', 'parentSpanId', 'traceFlags', 'traceState', 'origin', 'parentIsRemote'],
          true,
        ],
        [
          // prettier-ignore
          ['traceId', 'spanId', 'name', 'kind', 'service', 'startTimeMs', 'endTimeMs', 'attributes', 'source', 'parentSpanId', 'traceFlags', 'traceState', 'origin'],
          true,
        ],
      ],
    });
  });
});

describe('decodeOtlpProtobuf with detail (the OTLP receiver)', () => {
  it('makes each span of an SDK export one object holding its parent, flags, trace state, status, origin and remote-parent bit', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'api-gateway' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('http');
    const remote = trace.setSpanContext(context.active(), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    recordSdkHop(tracer, remote);
    await provider.forceFlush();
    const bytes = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans()) ?? new Uint8Array();
    const result = decodeOtlpProtobuf(bytes, { file: 'otlp-receiver' }, { detail: true });
    const spans = result.ok ? result.spans : [];
    // prettier-ignore
    const keys = ['traceId', 'spanId', 'name', 'kind', 'service', 'startTimeMs', 'endTimeMs', 'attributes', 'source', 'parentSpanId', 'traceFlags', 'traceState', 'statusCode', 'origin', 'parentIsRemote'];
    expect(
      spans.map((decoded) => [
        decoded.name,
        decoded.parentIsRemote,
        Object.keys(decoded),
        haveSameMap(decoded, literalOf(decoded)),
      ]),
    ).toEqual([
      ['POST /payments', false, keys, true],
      ['POST /checkout', true, keys, true],
    ]);
  });
});

describe('decodeOtlpJsonExport with detail, given a scope it cannot read', () => {
  it('keeps the spans under it, as a decode without detail does, with no scope', () => {
    const spanOf = (spanId: string) => ({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId,
      name: 'POST /payments',
      kind: 3,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000001000000',
    });
    const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'api-gateway' } }] };
    const scopes = [{ name: 5 }, 'http', { name: 'http', attributes: 'none' }];
    const exported = scopes.map((scope, i) => ({
      resource,
      scopeSpans: [{ scope, spans: [spanOf(`00f067aa0ba902b${i}`)] }],
    }));
    const { spans, rejected } = decodeOtlpJsonExport(exported, { file: 'otlp-receiver' }, 3, { detail: true });
    expect({ rejected, spans: spans.map((span) => [span.spanId, span.origin?.scope]) }).toEqual({
      rejected: 0,
      spans: [
        ['00f067aa0ba902b0', { name: '' }],
        ['00f067aa0ba902b1', { name: '' }],
        ['00f067aa0ba902b2', { name: '' }],
      ],
    });
  });
});

describe('decodeOtlpProtobuf with detail, given a scope it cannot read', () => {
  it('keeps the export and its spans, as a decode without detail does, with no scope', () => {
    const sent = {
      traceId: asTraceId('4bf92f3577b34da6a3ce929d0e0e4736'),
      spanId: asSpanId('00f067aa0ba902b7'),
      name: 'POST /payments',
      kind: 'client' as const,
      service: 'api-gateway',
      startTimeMs: 1700000000000,
      endTimeMs: 1700000000001,
      attributes: {},
    };
    const bytes = encodeOtlpProtobuf([sent]);
    // InstrumentationScope.name (field 1) written as a varint instead of a string: a tag byte 0x0a -> 0x08.
    const at = Buffer.from(bytes).indexOf(Buffer.from('tracehop')) - 2;
    bytes[at] = 0x08;
    const source = { file: 'otlp-receiver' };
    const plain = decodeOtlpProtobuf(bytes, source);
    const detail = decodeOtlpProtobuf(bytes, source, { detail: true });
    const resource = { attributes: { 'service.name': 'api-gateway' } };
    expect({ kept: plain.ok ? plain.spans.length : 0, detail }).toEqual({
      kept: 1,
      detail: {
        ok: true,
        spans: (plain.ok ? plain.spans : []).map((span) => ({ ...span, origin: { resource, scope: { name: '' } } })),
        rejected: 0,
        errors: [],
      },
    });
  });
});

describe('decodeOtlpJsonExport with detail, given events it cannot read on a span that did not fail', () => {
  it('keeps each span, as a decode without detail does, with no events', () => {
    const broken = [[{ name: 5 }], 'x', [{ name: 'e', timeUnixNano: 'abc' }], [{ name: 'e', attributes: 'bad' }], [7]];
    const spans = broken.map((events, i) => ({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: `00f067aa0ba902b${i}`,
      name: 'POST /payments',
      kind: 3,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000001000000',
      events,
    }));
    const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'api-gateway' } }] };
    const exported = [{ resource, scopeSpans: [{ scope: { name: 'http' }, spans }] }];
    const source = { file: 'otlp-receiver' };
    const plain = decodeOtlpJsonExport(exported, source);
    const detail = decodeOtlpJsonExport(exported, source, 3, { detail: true });
    const origin = { resource: { attributes: { 'service.name': 'api-gateway' } }, scope: { name: 'http' } };
    expect({ kept: plain.spans.length, detail }).toEqual({
      kept: 5,
      detail: { spans: plain.spans.map((span) => ({ ...span, origin })), rejected: 0, errors: [] },
    });
  });
});
