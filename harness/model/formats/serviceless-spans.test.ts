import { makeSpan } from '../test-support/make-span';
import { servicelessSpansNote } from './serviceless-spans';

describe('servicelessSpansNote', () => {
  const unnamed = (id: string) => ({
    ...makeSpan({ id, service: 'unknown_service', kind: 'server' }),
    source: { file: 'z.json', line: 3 },
  });

  it('notes the Zipkin spans with no local service name, the first by kind, name, id, trace and line', () => {
    const spans = [makeSpan({ id: 'a1', service: 'api-gateway', kind: 'client' }), unnamed('b1'), unnamed('b2')];
    expect([
      servicelessSpansNote('z.json', spans, 'zipkin'),
      servicelessSpansNote('z.json', spans.slice(0, 2), 'zipkin'),
    ]).toEqual([
      `[tracehop] Note: "z.json" holds 2 Zipkin spans with no localEndpoint.serviceName, the first SERVER span "op-b1" (b100000000000000) in trace 10000000000000000000000000000000 (line 3): they are read as unknown_service, which --expect and --journeys cannot place on the chain, so a hop through them reads as a service that never ran. Give each service's tracer its local service name (Brave's localServiceName, zipkin-go's WithLocalEndpoint, py_zipkin's service_name, OpenTelemetry's service.name) and export again.`,
      `[tracehop] Note: "z.json" holds a Zipkin span with no localEndpoint.serviceName: SERVER span "op-b1" (b100000000000000) in trace 10000000000000000000000000000000 (line 3): it is read as unknown_service, which --expect and --journeys cannot place on the chain, so a hop through it reads as a service that never ran. Give each service's tracer its local service name (Brave's localServiceName, zipkin-go's WithLocalEndpoint, py_zipkin's service_name, OpenTelemetry's service.name) and export again.`,
    ]);
  });

  it('says nothing when every span names its service, or of another format', () => {
    expect([
      servicelessSpansNote('z.json', [makeSpan({ id: 'a1', service: 'api-gateway' })], 'zipkin'),
      servicelessSpansNote('o.json', [unnamed('b1')], 'otlp-json'),
    ]).toEqual([undefined, undefined]);
  });
});
