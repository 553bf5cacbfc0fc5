/**
 * The `exception` events of an ERROR span, as each format writes them, kept as Span.exceptions (and nothing
 * of them for a span that did not fail).
 */
import { decodeOtlpJsonValue, decodeOtlpProtobuf, type Span } from '..';
import { encodeOtlpProtobuf } from '../test-support/otlp-protobuf';
import { decodeGoStdouttraceValue, decodeJaegerValue, decodePythonConsoleValue, decodeZipkinValue } from '.';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const source = { file: 'dump.json' };
const REFUSED = { type: 'java.net.ConnectException', message: 'Connection refused' };

function spansOf(result: { ok: true; spans: Span[] } | { ok: false; message: string }): Span[] {
  if (!result.ok) throw new Error(result.message);
  return result.spans;
}

/** An OTLP/JSON document of one span with this status code and an exception event (and another event). */
function otlpJson(code: number): unknown {
  const event = (name: string, attributes: Record<string, string>): unknown => ({
    timeUnixNano: '1764115200000000000',
    name,
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } })),
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api-gateway' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: TRACE,
                spanId: SPAN,
                name: 'POST',
                kind: 3,
                startTimeUnixNano: '1764115200000000000',
                endTimeUnixNano: '1764115200100000000',
                attributes: [],
                events: [
                  event('retry', { attempt: '1' }),
                  event('exception', {
                    'exception.type': REFUSED.type,
                    'exception.message': REFUSED.message,
                    'exception.stacktrace': 'java.net.ConnectException: Connection refused\n\tat ...',
                  }),
                ],
                status: { code },
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('an ERROR span keeps what its exception events say', () => {
  it('from OTLP/JSON and OTLP/protobuf, and not for a span that did not fail', () => {
    const [failed] = spansOf(decodeOtlpJsonValue(otlpJson(2), source));
    const [unset] = spansOf(decodeOtlpJsonValue(otlpJson(0), source));
    const [again] = spansOf(decodeOtlpProtobuf(encodeOtlpProtobuf([failed as Span]), source));
    expect([failed?.exceptions, unset?.exceptions, again?.exceptions]).toEqual([[REFUSED], undefined, [REFUSED]]);
  });

  it("from Jaeger logs: OpenTelemetry's exception event and an OpenTracing client's error log", () => {
    const field = (key: string, value: string): unknown => ({ key, type: 'string', value });
    const trace = {
      traceID: TRACE,
      spans: [
        {
          traceID: TRACE,
          spanID: SPAN,
          operationName: 'POST',
          references: [],
          startTime: 1764115200000000,
          duration: 100000,
          tags: [field('span.kind', 'client'), field('otel.status_code', 'ERROR')],
          logs: [
            {
              timestamp: 1764115200090000,
              fields: [
                field('event', 'exception'),
                field('exception.type', REFUSED.type),
                field('exception.message', REFUSED.message),
              ],
            },
            {
              timestamp: 1764115200095000,
              fields: [field('event', 'error'), field('error.kind', 'ConnectError'), field('message', 'refused')],
            },
          ],
          processID: 'p1',
        },
      ],
      processes: { p1: { serviceName: 'api-gateway' } },
    };
    const [span] = spansOf(decodeJaegerValue({ data: [trace] }, source));
    expect(span?.exceptions).toEqual([REFUSED, { type: 'ConnectError', message: 'refused' }]);
  });

  it("from Zipkin annotations, in the Java SDK's and the Collector's forms, not from the JS SDK's bare name", () => {
    const attributes = JSON.stringify({ 'exception.type': REFUSED.type, 'exception.message': REFUSED.message });
    const span = {
      traceId: TRACE,
      id: SPAN,
      name: 'post',
      kind: 'CLIENT',
      timestamp: 1764115200000000,
      duration: 100000,
      localEndpoint: { serviceName: 'api-gateway' },
      tags: { 'otel.status_code': 'ERROR' },
      annotations: [
        { timestamp: 1764115200090000, value: `"exception":${attributes}` },
        { timestamp: 1764115200091000, value: `exception|${attributes}|0` },
        { timestamp: 1764115200092000, value: 'exception' },
      ],
    };
    const [decoded] = spansOf(decodeZipkinValue([span], source));
    expect(decoded?.exceptions).toEqual([REFUSED, REFUSED]);
  });

  it("from Go's stdouttrace Events and Python's console events", () => {
    const go = {
      Name: 'POST',
      SpanContext: { TraceID: TRACE, SpanID: SPAN, TraceFlags: '01', TraceState: '', Remote: false },
      Parent: { TraceID: '00000000000000000000000000000000', SpanID: '0000000000000000', TraceFlags: '00' },
      SpanKind: 3,
      StartTime: '2025-11-26T00:00:00Z',
      EndTime: '2025-11-26T00:00:00.1Z',
      Attributes: null,
      Events: [
        {
          Name: 'exception',
          Attributes: [
            { Key: 'exception.type', Value: { Type: 'STRING', Value: '*net.OpError' } },
            {
              Key: 'exception.message',
              Value: { Type: 'STRING', Value: 'dial tcp 10.0.0.9:8080: connect: connection refused' },
            },
          ],
          Time: '2025-11-26T00:00:00.09Z',
        },
      ],
      Links: null,
      Status: { Code: 'Error', Description: '' },
      Resource: [{ Key: 'service.name', Value: { Type: 'STRING', Value: 'api-gateway' } }],
    };
    const python = {
      name: 'POST',
      context: { trace_id: `0x${TRACE}`, span_id: `0x${SPAN}`, trace_state: '[]' },
      kind: 'SpanKind.CLIENT',
      parent_id: null,
      start_time: '2025-11-26T00:00:00.000000Z',
      end_time: '2025-11-26T00:00:00.100000Z',
      status: { status_code: 'ERROR' },
      attributes: {},
      events: [
        {
          name: 'exception',
          timestamp: '2025-11-26T00:00:00.090000Z',
          attributes: {
            'exception.type': 'ConnectionRefusedError',
            'exception.message': '[Errno 111] Connection refused',
            'exception.escaped': 'False',
          },
        },
      ],
      links: [],
      resource: { attributes: { 'service.name': 'api-gateway' }, schema_url: '' },
    };
    const [fromGo] = spansOf(decodeGoStdouttraceValue(go, source));
    const [fromPython] = spansOf(decodePythonConsoleValue(python, source));
    expect([fromGo?.exceptions, fromPython?.exceptions]).toEqual([
      [{ type: '*net.OpError', message: 'dial tcp 10.0.0.9:8080: connect: connection refused' }],
      [{ type: 'ConnectionRefusedError', message: '[Errno 111] Connection refused' }],
    ]);
  });
});
