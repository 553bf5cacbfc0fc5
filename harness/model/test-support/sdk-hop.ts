import { SpanKind, context, trace, type Context, type Span as ApiSpan, type Tracer } from '@opentelemetry/api';

/**
 * One hop as an instrumented service records it with the OpenTelemetry SDK: a SERVER span "POST /checkout"
 * continuing `parent` (a remote context, as a propagator extracts it) and its CLIENT child "POST /payments",
 * started and ended at 1700000000000 to ...003 ms. `decorate` may add to the SERVER span (events, an
 * exception, a status) before its CLIENT child starts.
 */
export function recordSdkHop(tracer: Tracer, parent: Context, decorate?: (server: ApiSpan) => void): void {
  const server = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, startTime: 1700000000000 }, parent);
  decorate?.(server);
  const client = tracer.startSpan(
    'POST /payments',
    { kind: SpanKind.CLIENT, startTime: 1700000000001 },
    trace.setSpan(context.active(), server),
  );
  client.end(1700000000002);
  server.end(1700000000003);
}
