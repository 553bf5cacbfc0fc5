import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeOtlpJson, decodeOtlpJsonExport, decodeOtlpProtobuf, encodeOtlpJson, type Span } from '..';
import { encodeOtlpProtobuf } from '../test-support/otlp-protobuf';
import { scratchDir } from '../../test-support/scratch-dir';
import { readDumpFile } from '.';

/**
 * What @opentelemetry/instrumentation-http 0.223 (sdk-trace-base 2.12, Node.js 20.20) wrote of a node:http
 * POST to a closed loopback port, export path by export path: `error.type` "Error", the refusal only in the
 * status message (and the exception event, not kept).
 */
const REFUSED = 'connect ECONNREFUSED 127.0.0.1:33001';
/** The OTLP/HTTP JSON exporter's body (JsonTraceSerializer). */
const OTLP_JSON =
  '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api-gateway"}}],"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":"@opentelemetry/instrumentation-http","version":"0.223.0"},"spans":[{"traceId":"354d794d4a30282b3ba136897dc76c18","spanId":"f97fe1ca6ab8d36d","name":"POST","kind":3,"startTimeUnixNano":"1796438638217000000","endTimeUnixNano":"1796438638221580672","attributes":[{"key":"http.request.method","value":{"stringValue":"POST"}},{"key":"server.address","value":{"stringValue":"127.0.0.1"}},{"key":"server.port","value":{"intValue":33001}},{"key":"url.full","value":{"stringValue":"http://127.0.0.1:33001/payments"}},{"key":"error.type","value":{"stringValue":"Error"}}],"droppedAttributesCount":0,"events":[{"attributes":[{"key":"exception.type","value":{"stringValue":"ECONNREFUSED"}},{"key":"exception.message","value":{"stringValue":"connect ECONNREFUSED 127.0.0.1:33001"}},{"key":"exception.stacktrace","value":{"stringValue":"Error: connect ECONNREFUSED 127.0.0.1:33001\\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)\\n    at TCPConnectWrap.callbackTrampoline (node:internal/async_hooks:130:17)"}}],"name":"exception","timeUnixNano":"1796438638221517789","droppedAttributesCount":0}],"droppedEventsCount":0,"status":{"code":2,"message":"connect ECONNREFUSED 127.0.0.1:33001"},"links":[],"droppedLinksCount":0,"flags":257}]}]}]}';
/** The OTLP/HTTP protobuf exporter's body (ProtobufTraceSerializer), base64. */
const OTLP_PROTO =
  'CrIFCiEKHQoMc2VydmljZS5uYW1lEg0KC2FwaS1nYXRld2F5EAASjAUKLgojQG9wZW50ZWxlbWV0cnkvaW5zdHJ1bWVudGF0aW9uLWh0dHASBzAuMjIzLjAS2QQKEDVNeU1KMCgrO6E2iX3HbBgSCPl/4cpquNNtKgRQT1NUMAM5QPS1a2w77hhBgNn7a2w77hhKHQoTaHR0cC5yZXF1ZXN0Lm1ldGhvZBIGCgRQT1NUSh0KDnNlcnZlci5hZGRyZXNzEgsKCTEyNy4wLjAuMUoTCgtzZXJ2ZXIucG9ydBIEGOmBAkotCgh1cmwuZnVsbBIhCh9odHRwOi8vMTI3LjAuMC4xOjMzMDAxL3BheW1lbnRzShUKCmVycm9yLnR5cGUSBwoFRXJyb3JQAFrRAgnd4/prbDvuGBIJZXhjZXB0aW9uGiAKDmV4Y2VwdGlvbi50eXBlEg4KDEVDT05OUkVGVVNFRBo7ChFleGNlcHRpb24ubWVzc2FnZRImCiRjb25uZWN0IEVDT05OUkVGVVNFRCAxMjcuMC4wLjE6MzMwMDEa2QEKFGV4Y2VwdGlvbi5zdGFja3RyYWNlEsABCr0BRXJyb3I6IGNvbm5lY3QgRUNPTk5SRUZVU0VEIDEyNy4wLjAuMTozMzAwMQogICAgYXQgVENQQ29ubmVjdFdyYXAuYWZ0ZXJDb25uZWN0IFthcyBvbmNvbXBsZXRlXSAobm9kZTpuZXQ6MTYxMToxNikKICAgIGF0IFRDUENvbm5lY3RXcmFwLmNhbGxiYWNrVHJhbXBvbGluZSAobm9kZTppbnRlcm5hbC9hc3luY19ob29rczoxMzA6MTcpIABgAHAAeigSJGNvbm5lY3QgRUNPTk5SRUZVU0VEIDEyNy4wLjAuMTozMzAwMRgChQEBAQAA';
/** The Zipkin exporter's body: the status message in the `error` tag. */
const ZIPKIN =
  '[{"traceId":"354d794d4a30282b3ba136897dc76c18","name":"POST","id":"f97fe1ca6ab8d36d","kind":"CLIENT","timestamp":1796438638217000,"duration":4581,"localEndpoint":{"serviceName":"api-gateway"},"tags":{"http.request.method":"POST","server.address":"127.0.0.1","server.port":"33001","url.full":"http://127.0.0.1:33001/payments","error.type":"Error","otel.status_code":"ERROR","error":"connect ECONNREFUSED 127.0.0.1:33001","service.name":"api-gateway"},"annotations":[{"timestamp":1796438638221518,"value":"exception"}]}]';
/** ConsoleSpanExporter's print. */
const JS_CONSOLE = `{
  resource: { attributes: { 'service.name': 'api-gateway' } },
  instrumentationScope: {
    name: '@opentelemetry/instrumentation-http',
    version: '0.223.0',
    schemaUrl: undefined
  },
  traceId: '354d794d4a30282b3ba136897dc76c18',
  parentSpanContext: undefined,
  traceState: undefined,
  name: 'POST',
  id: 'f97fe1ca6ab8d36d',
  kind: 2,
  timestamp: 1796438638217000,
  duration: 4580.672,
  attributes: {
    'http.request.method': 'POST',
    'server.address': '127.0.0.1',
    'server.port': 33001,
    'url.full': 'http://127.0.0.1:33001/payments',
    'error.type': 'Error'
  },
  status: { code: 2, message: 'connect ECONNREFUSED 127.0.0.1:33001' },
  events: [
    {
      name: 'exception',
      attributes: {
        'exception.type': 'ECONNREFUSED',
        'exception.message': 'connect ECONNREFUSED 127.0.0.1:33001',
        'exception.stacktrace': 'Error: connect ECONNREFUSED 127.0.0.1:33001\\n' +
          '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)\\n' +
          '    at TCPConnectWrap.callbackTrampoline (node:internal/async_hooks:130:17)'
      },
      time: [ 1796438638, 221517789 ],
      droppedAttributesCount: 0
    }
  ],
  links: []
}
`;

const dir = scratchDir('tracehop-status-message-');

async function read(name: string, content: string | Uint8Array): Promise<Span[]> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const result = await readDumpFile(path, name);
  if (!result.ok) throw new Error(result.message);
  return result.spans;
}

const statuses = (spans: readonly Span[]): unknown[] => spans.map((span) => [span.statusCode, span.statusMessage]);

describe('the status message of an ERROR span', () => {
  it('is read from what the real JS SDK exported of a refused call, by every export path', async () => {
    const receiver = decodeOtlpJsonExport((JSON.parse(OTLP_JSON) as { resourceSpans: unknown[] }).resourceSpans, {
      file: 'otlp-receiver',
    });
    expect({
      otlpJson: statuses(await read('refused.jsonl', `${OTLP_JSON}\n`)),
      receiver: statuses(receiver.spans),
      otlpProto: statuses(await read('refused.pb', Buffer.from(OTLP_PROTO, 'base64'))),
      zipkin: statuses(await read('refused.zipkin.json', ZIPKIN)),
      jsConsole: statuses(await read('refused.console.txt', JS_CONSOLE)),
    }).toEqual({
      otlpJson: [[2, REFUSED]],
      receiver: [[2, REFUSED]],
      otlpProto: [[2, REFUSED]],
      zipkin: [[2, REFUSED]],
      jsConsole: [[2, REFUSED]],
    });
  });

  it('is written by the OTLP encoders (what serve stores and forwards), and read back', async () => {
    const [span] = await read('again.jsonl', `${OTLP_JSON}\n`);
    const spans = [span as Span];
    const json = decodeOtlpJson(JSON.stringify(encodeOtlpJson(spans)), 'again.json');
    const proto = decodeOtlpProtobuf(encodeOtlpProtobuf(spans), { file: 'again.pb' });
    expect([json.ok && statuses(json.spans), proto.ok && statuses(proto.spans)]).toEqual([
      [[2, REFUSED]],
      [[2, REFUSED]],
    ]);
  });

  it("is read from Jaeger's otel.status_description, Go's Status.Description and Python's status.description", async () => {
    const jaegerSpan = (spanID: string, code: string, description: string) => ({
      traceID: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanID,
      operationName: 'POST',
      references: [],
      startTime: 1796438638217000,
      duration: 4581,
      tags: [
        { key: 'span.kind', type: 'string', value: 'client' },
        { key: 'otel.status_code', type: 'string', value: code },
        { key: 'otel.status_description', type: 'string', value: description },
      ],
      processID: 'p1',
    });
    const jaeger = {
      data: [
        {
          traceID: '4bf92f3577b34da6a3ce929d0e0e4736',
          spans: [jaegerSpan('7e262974d3e4f5a6', 'ERROR', REFUSED), jaegerSpan('9b0a30e1c2d3e4f5', 'OK', 'fine')],
          processes: { p1: { serviceName: 'api-gateway', tags: [] } },
        },
      ],
    };
    const goSpan = (spanId: string, code: string, description: string) => ({
      Name: 'POST',
      SpanContext: {
        TraceID: '4bf92f3577b34da6a3ce929d0e0e4736',
        SpanID: spanId,
        TraceFlags: '01',
        TraceState: '',
        Remote: false,
      },
      Parent: {
        TraceID: '00000000000000000000000000000000',
        SpanID: '0000000000000000',
        TraceFlags: '00',
        TraceState: '',
        Remote: false,
      },
      SpanKind: 3,
      StartTime: '2026-12-04T22:10:39.728489284+05:30',
      EndTime: '2026-12-04T22:10:39.7295+05:30',
      Attributes: [{ Key: 'error.type', Value: { Type: 'STRING', Value: '*net.OpError' } }],
      Events: null,
      Links: null,
      Status: { Code: code, Description: description },
      DroppedAttributes: 0,
      DroppedEvents: 0,
      DroppedLinks: 0,
      ChildSpanCount: 0,
      Resource: [{ Key: 'service.name', Value: { Type: 'STRING', Value: 'api-gateway' } }],
      InstrumentationLibrary: { Name: 'otelhttp', Version: '', SchemaURL: '' },
    });
    const goRefused = 'Post "http://payment-api:8080/payments": dial tcp 10.0.0.9:8080: connect: connection refused';
    const pySpan = (spanId: string, code: string, description?: string) => ({
      name: 'POST',
      context: { trace_id: '0x4bf92f3577b34da6a3ce929d0e0e4736', span_id: spanId, trace_state: '[]' },
      kind: 'SpanKind.CLIENT',
      parent_id: null,
      start_time: '2026-12-04T16:00:39.728489Z',
      end_time: '2026-12-04T16:00:39.729500Z',
      status: description === undefined ? { status_code: code } : { status_code: code, description },
      attributes: { 'error.type': 'requests.exceptions.ConnectionError' },
      events: [],
      links: [],
      resource: { attributes: { 'service.name': 'api-gateway' }, schema_url: '' },
    });
    const pyRefused = '[Errno 111] Connection refused';
    const python = [pySpan('0x7e262974d3e4f5a6', 'ERROR', pyRefused), pySpan('0x9b0a30e1c2d3e4f5', 'UNSET')]
      .map((span) => JSON.stringify(span, null, 4))
      .join('\n');
    expect({
      jaeger: statuses(await read('refused.jaeger.json', JSON.stringify(jaeger))),
      go: statuses(
        await read(
          'refused.go.jsonl',
          [goSpan('7e262974d3e4f5a6', 'Error', goRefused), goSpan('9b0a30e1c2d3e4f5', 'Unset', '')]
            .map((span) => JSON.stringify(span))
            .join('\n'),
        ),
      ),
      python: statuses(await read('refused.python.txt', `${python}\n`)),
    }).toEqual({
      // A message beside any status but ERROR is not kept: spans that did not fail carry none.
      jaeger: [
        [2, REFUSED],
        [1, undefined],
      ],
      go: [
        [2, goRefused],
        [0, undefined],
      ],
      python: [
        [2, pyRefused],
        [0, undefined],
      ],
    });
  });
});
