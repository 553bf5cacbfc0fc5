/**
 * A Node "mobile app" instrumented with the official OpenTelemetry SDK: NodeTracerProvider, undici (fetch)
 * auto-instrumentation, and an OTLP/HTTP exporter (JSON or protobuf). Runs one checkout journey and exits.
 * It runs in its own process because the official exporters load `http` with a dynamic import(), which
 * Jest's module runtime cannot execute.
 *
 * Usage: sdk-app.ts <json|protobuf> <gateway-url> <otlp-url> [baggage]
 */
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

async function main(): Promise<void> {
  const [kind, gatewayUrl, otlpUrl, baggage] = process.argv.slice(2);
  const exporter =
    kind === 'protobuf' ? new OtlpProtoExporter({ url: otlpUrl }) : new OtlpJsonExporter({ url: otlpUrl });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'mobile-app' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  // Registers the async-hooks context manager and the W3C trace-context propagator, as an app would.
  provider.register();
  registerInstrumentations({ tracerProvider: provider, instrumentations: [new UndiciInstrumentation()] });
  const tracer = provider.getTracer('checkout-journey');
  const status = await tracer.startActiveSpan('checkout', { kind: SpanKind.INTERNAL }, async (span) => {
    const response = await fetch(`${gatewayUrl}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(baggage ? { baggage } : {}) },
      body: '{"cart":1}',
    });
    await response.text();
    span.end();
    return response.status;
  });
  await provider.forceFlush();
  await provider.shutdown();
  process.stdout.write(`${JSON.stringify({ status })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
