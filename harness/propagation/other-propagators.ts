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

/**
 * The propagator that writes each of OTHER_TRACE_HEADER_NAMES, as its users know it (OpenTelemetry JS's class
 * where there is one), for a message saying which format a caller sent instead of W3C's.
 */
const PROPAGATOR_OF: Readonly<Record<(typeof OTHER_TRACE_HEADER_NAMES)[number], string>> = {
  'uber-trace-id': "Jaeger's (JaegerPropagator)",
  'x-amzn-trace-id': "AWS X-Ray's (AWSXRayPropagator)",
  'x-datadog-trace-id': "Datadog's",
  'x-datadog-parent-id': "Datadog's",
  'x-cloud-trace-context': "Google Cloud's (CloudPropagator)",
  'grpc-trace-bin': "gRPC's binary (OpenCensus's)",
  sw8: "SkyWalking's",
  'sentry-trace': "Sentry's",
  'elastic-apm-traceparent': "Elastic APM's",
  newrelic: "New Relic's",
};

/** An other propagator's trace header found among a request's headers: its name as sent, and who writes it. */
export interface OtherTraceHeader {
  /** The header's name, lowercase. */
  readonly name: string;
  /** The propagator that writes it, e.g. "Jaeger's (JaegerPropagator)". */
  readonly propagator: string;
}

/**
 * The first header of another propagator (OTHER_TRACE_HEADER_NAMES) among `headers`, in arrival order;
 * undefined when there is none.
 * @example otherTraceHeader([['Uber-Trace-Id', '...']]) // { name: 'uber-trace-id', propagator: "Jaeger's (JaegerPropagator)" }
 */
export function otherTraceHeader(headers: readonly (readonly [string, string])[]): OtherTraceHeader | undefined {
  for (const [name] of headers) {
    const lower = name.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(PROPAGATOR_OF, lower))
      return { name: lower, propagator: PROPAGATOR_OF[lower as keyof typeof PROPAGATOR_OF] };
  }
  return undefined;
}

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
