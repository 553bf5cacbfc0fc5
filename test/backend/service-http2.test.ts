import { connect, type IncomingHttpHeaders } from 'node:http2';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startBackend, type Backend } from '../../harness/backend';

const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const ROUTES = 'POST /checkout, POST /login, GET /search';

let backend: Backend;
beforeAll(async () => {
  backend = await startBackend({ onWarning: () => undefined });
});
afterAll(async () => {
  await backend.stop();
});

const gateway = (): string => backend.urls.services['api-gateway'] ?? '';

/** One HTTP/2 request to the gateway's port: its status, gRPC status and message (decoded), and body. */
function http2Call(
  headers: Record<string, string>,
): Promise<{ status: unknown; grpcStatus: unknown; grpcMessage: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const session = connect(gateway());
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', te: 'trailers', ...headers });
    let head: IncomingHttpHeaders = {};
    let body = '';
    stream.on('response', (received) => (head = received));
    stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
    stream.on('error', reject);
    stream.on('close', () => {
      session.close();
      const message = head['grpc-message'];
      resolve({
        status: head[':status'],
        grpcStatus: head['grpc-status'],
        grpcMessage: message === undefined ? undefined : decodeURIComponent(String(message)),
        body,
      });
    });
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

describe('HTTP/2 at a mock service', () => {
  it('answers a gRPC trace export UNIMPLEMENTED, naming the service, its routes and the receiver to use', async () => {
    expect(await http2Call({ ':path': EXPORT, 'content-type': 'application/grpc' })).toEqual({
      status: 200,
      grpcStatus: '12',
      grpcMessage: `[tracehop] Failed to handle the gRPC call ${EXPORT} on api-gateway: api-gateway is a mock service that serves HTTP/1.1 routes (${ROUTES}), not gRPC. This is not the OTLP receiver: point the gRPC exporter at the origin of the "otlp" URL tracehop printed.`,
      body: '',
    });
  });

  it('answers any other gRPC call UNIMPLEMENTED, saying to call the routes over HTTP/1.1', async () => {
    expect(await http2Call({ ':path': '/shop.Checkout/Pay', 'content-type': 'application/grpc+proto' })).toEqual({
      status: 200,
      grpcStatus: '12',
      grpcMessage: `[tracehop] Failed to handle the gRPC call /shop.Checkout/Pay on api-gateway: api-gateway is a mock service that serves HTTP/1.1 routes (${ROUTES}), not gRPC. Call its routes over HTTP/1.1 with JSON.`,
      body: '',
    });
  });

  it('answers HTTP/2 that is no gRPC 505, saying the same, and keeps serving HTTP/1.1 on the port', async () => {
    const h2c = await http2Call({ ':path': '/checkout', 'content-type': 'application/json' });
    const http1 = await fetch(`${gateway()}/search?q=x`);
    expect({ h2c, http1: http1.status }).toEqual({
      h2c: {
        status: 505,
        grpcStatus: undefined,
        grpcMessage: undefined,
        body: `[tracehop] Failed to handle POST /checkout over HTTP/2 on api-gateway: api-gateway is a mock service that serves HTTP/1.1 routes (${ROUTES}), not HTTP/2. Call its routes over HTTP/1.1.\n`,
      },
      http1: 200,
    });
  });

  it("gives the official gRPC exporter the service's own words as its export error", async () => {
    const finished = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'mobile-app' }),
      spanProcessors: [new SimpleSpanProcessor(finished)],
    });
    provider.getTracer('t').startSpan('checkout').end();
    const exporter = new OTLPTraceExporter({ url: gateway() });
    const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) =>
      exporter.export(finished.getFinishedSpans(), resolve),
    );
    await exporter.shutdown();
    expect([result.code, result.error?.message]).toEqual([
      ExportResultCode.FAILED,
      `12 UNIMPLEMENTED: [tracehop] Failed to handle the gRPC call ${EXPORT} on api-gateway: api-gateway is a mock service that serves HTTP/1.1 routes (${ROUTES}), not gRPC. This is not the OTLP receiver: point the gRPC exporter at the origin of the "otlp" URL tracehop printed.`,
    ]);
  });
});
