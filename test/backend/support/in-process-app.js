'use strict';
/**
 * A Node "mobile app" that starts tracehop's backend in its own process (startBackend(), as a plain Node
 * runner does) with OpenTelemetry's HTTP auto-instrumentation registered first, as apps register it. Runs
 * one checkout with node:http under a root span, exports it to the backend's receiver over OTLP/JSON, and
 * prints what the backend saw: the traceparent each service received and the spans stored per service.
 * Its own process: instrumentation-http patches node:http through require hooks that Jest's runtime skips.
 * Plain JavaScript on the built backend (dist/, which `npm test` builds first), as an app loads the package:
 * under ts-node the same app spent about 6 s of CPU transpiling harness/ before its first request.
 *
 * Usage: node in-process-app.js [fault at api-gateway, e.g. drop-traceparent]
 */
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });

// Loaded after the instrumentation, so node:http is the patched one everywhere below.
const { join } = require('node:path');
const { request } = require('node:http');
const { SpanKind, trace } = require('@opentelemetry/api');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { startBackend } = require(join(__dirname, '..', '..', '..', 'dist', 'harness', 'backend'));

/** @param {string} url @returns {Promise<number>} */
function post(url) {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end('{"cart":1}');
  });
}

async function main() {
  const fault = process.argv[2];
  const backend = await startBackend({ faults: fault ? [{ service: 'api-gateway', fault }] : [] });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'mobile-app' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: backend.urls.otlp }))],
  });
  provider.register();
  const tracer = trace.getTracer('checkout-journey');
  const status = await tracer.startActiveSpan('checkout', { kind: SpanKind.INTERNAL }, async (span) => {
    const answer = await post(`${backend.urls.services['api-gateway']}/checkout`);
    span.end();
    return answer;
  });
  // Twice: a span the first export made (the receiver's request, traced) would go out with the second.
  await provider.forceFlush();
  await provider.forceFlush();
  await backend.store.waitFor((spans) => spans.some((span) => span.name === 'checkout'), { timeout: 10_000 });
  const received = Object.fromEntries(
    backend
      .captures()
      .map((capture) => [capture.service, capture.headers.find(([name]) => name === 'traceparent')?.[1] ?? null]),
  );
  /** @type {Record<string, string[]>} */
  const stored = {};
  for (const span of backend.store.spans()) (stored[span.service] ??= []).push(`${span.kind} ${span.name}`);
  for (const names of Object.values(stored)) names.sort();
  await provider.shutdown();
  await backend.stop();
  process.stdout.write(`${JSON.stringify({ status, received, stored })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
