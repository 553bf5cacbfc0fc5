/**
 * Trace headers of propagators tracehop does not decode. A request carrying one came from an instrumented
 * client whose propagator is not W3C's (nor B3), which is a different fault from no instrumentation at all.
 */
import { TRACE_HEADER_NAMES } from './extract';

/**
 * Header names (lowercase) of other propagators: Jaeger, AWS X-Ray, Datadog, Google Cloud, gRPC's binary
 * context, SkyWalking, Sentry, Elastic, New Relic. Jaeger's baggage headers (`uberctx-<key>`) go by prefix.
 */
export const OTHER_TRACE_HEADER_NAMES = [
  'uber-trace-id',
  'x-amzn-trace-id',
  'x-datadog-trace-id',
  'x-datadog-parent-id',
  'x-cloud-trace-context',
  'grpc-trace-bin',
  'sw8',
  'sentry-trace',
  'elastic-apm-traceparent',
  'newrelic',
] as const;

const KNOWN: ReadonlySet<string> = new Set<string>([...TRACE_HEADER_NAMES, ...OTHER_TRACE_HEADER_NAMES]);

/**
 * Whether a header (named in any case) carries trace context or baggage in any propagator's format tracehop
 * knows of: its own (TRACE_HEADER_NAMES), another's (OTHER_TRACE_HEADER_NAMES), or Jaeger's `uberctx-` baggage.
 * @example isTraceContextHeader('X-Amzn-Trace-Id') // true
 */
export function isTraceContextHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return KNOWN.has(lower) || lower.startsWith('uberctx-');
}
