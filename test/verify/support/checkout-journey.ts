/**
 * The checkout journey built with the real OpenTelemetry JS SDK: one BasicTracerProvider per service, W3C
 * traceparent injected into a header carrier on each hop and extracted on the next, with faults applied
 * between hops the way a misbehaving proxy or SDK would.
 */
import { SpanKind, TraceFlags, context, trace, type Context, type Span as ApiSpan } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  SamplingDecision,
  type ReadableSpan,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { spanFromReadable, type Span } from '../../../harness/model';
import { headerGetter, headerSetter, SeededIds } from './seeded-ids';

export const CHECKOUT_CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'] as const;
type Service = (typeof CHECKOUT_CHAIN)[number] | 'auth-service';

export type Headers = Record<string, string>;

export interface JourneyOptions {
  /** Rewrites the headers sent TO the named service, as a proxy in front of it would. */
  readonly rewrite?: Partial<Record<Service, (headers: Headers) => void>>;
  /** Services that inject the context of their incoming SERVER span instead of their CLIENT span. */
  readonly injectServerContext?: readonly Service[];
  /** Services never called by their caller. */
  readonly skipCall?: readonly Service[];
  /** api-gateway calls payment-api twice; `reuseSpanId` makes the retry's CLIENT span reuse the first id. */
  readonly retry?: { readonly reuseSpanId: boolean };
  /** api-gateway also calls auth-service (a sibling call). */
  readonly siblingCall?: boolean;
  /** Clock offset per service in milliseconds (a device clock minutes off). */
  readonly clockOffsetMs?: Partial<Record<Service, number>>;
  /** Seed for the deterministic id generator. */
  readonly seed?: number;
  /**
   * A `key=value` tracestate member the service's sampler puts in front where its part of the trace begins
   * (the app's root span, a service's SERVER span), as a vendor's sampler does; its other spans inherit it.
   */
  readonly traceStateMember?: Partial<Record<Service, string>>;
}

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const propagator = new W3CTraceContextPropagator();
const setter = headerSetter;
const getter = headerGetter;

/** Records every span (sampled or not) and keeps the parent's sampled flag: what a debugging harness does. */
const recordAllKeepParentFlag: Sampler = {
  shouldSample(parentContext: Context) {
    const parent = trace.getSpanContext(parentContext);
    const sampled = !parent || (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
    return { decision: sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.RECORD };
  },
  toString: () => 'RecordAllKeepParentFlag',
};

/**
 * The service's sampler: recordAllKeepParentFlag, and with a tracestate member, that member set on the trace
 * state it received where its part of the trace begins. Elsewhere it returns no trace state, so the SDK
 * keeps the parent's.
 */
function samplerOf(member: string | undefined): Sampler {
  if (member === undefined) return recordAllKeepParentFlag;
  const [key = '', value = ''] = member.split('=');
  return {
    shouldSample(parentContext: Context, ...rest) {
      const result = recordAllKeepParentFlag.shouldSample(parentContext, ...rest);
      const parent = trace.getSpanContext(parentContext);
      if (parent && !parent.isRemote) return result;
      return { ...result, traceState: (parent?.traceState ?? new TraceState()).set(key, value) };
    },
    toString: () => `RecordAllKeepParentFlag with tracestate ${member}`,
  };
}

/** Runs the journey and returns every span of every service, converted to the model. */
export async function runCheckoutJourney(options: JourneyOptions = {}): Promise<Span[]> {
  return (await runCheckoutJourneySdk(options)).map((span) => spanFromReadable(span));
}

/** Runs the journey and returns the SDK's finished spans, for the official exporters' serializers. */
export async function runCheckoutJourneySdk(options: JourneyOptions = {}): Promise<ReadableSpan[]> {
  const ids = new SeededIds(options.seed ?? 42);
  const finished: ReadableSpan[] = [];
  const collector: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => void finished.push(span),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  const providers = new Map<Service, BasicTracerProvider>();
  const tracerOf = (service: Service) => {
    let provider = providers.get(service);
    if (!provider) {
      provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        idGenerator: ids,
        sampler: samplerOf(options.traceStateMember?.[service]),
        spanProcessors: [collector],
      });
      providers.set(service, provider);
    }
    return provider.getTracer('checkout-journey');
  };
  let tick = 0;
  const now = (service: Service) => T0 + (tick += 5) + (options.clockOffsetMs?.[service] ?? 0);

  /** One service handling a request: SERVER span from the received headers, then its downstream calls. */
  const serve = (service: Service, name: string, headers: Headers, calls: ReadonlyArray<[Service, string]>): void => {
    const parentContext = propagator.extract(context.active(), headers, getter);
    const tracer = tracerOf(service);
    const server = tracer.startSpan(name, { kind: SpanKind.SERVER, startTime: now(service) }, parentContext);
    const serverContext = trace.setSpan(parentContext, server);
    for (const [next, route] of calls) call(service, serverContext, server, next, route);
    server.end(now(service));
  };

  /** One outgoing call: CLIENT span, inject, faults, and the next service handling it. */
  const call = (from: Service, parentContext: Context, server: ApiSpan, to: Service, route: string): void => {
    if (options.skipCall?.includes(to)) return;
    const attempts = from === 'api-gateway' && to === 'payment-api' && options.retry ? 2 : 1;
    let firstId: string | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt === 2 && options.retry?.reuseSpanId && firstId) ids.forced.push(firstId);
      const client = tracerOf(from).startSpan(route, { kind: SpanKind.CLIENT, startTime: now(from) }, parentContext);
      firstId ??= client.spanContext().spanId;
      const injectFrom = options.injectServerContext?.includes(from) ? server : client;
      const headers: Headers = {};
      propagator.inject(trace.setSpan(parentContext, injectFrom), headers, setter);
      options.rewrite?.[to]?.(headers);
      serve(to, route, headers, downstream(to));
      client.end(now(from));
    }
  };

  const downstream = (service: Service): Array<[Service, string]> => {
    if (service === 'api-gateway') {
      return options.siblingCall
        ? [
            ['auth-service', 'POST /sessions'],
            ['payment-api', 'POST /payments'],
          ]
        : [['payment-api', 'POST /payments']];
    }
    if (service === 'payment-api') return [['fraud-service', 'POST /fraud/score']];
    return [];
  };

  // The app: a root span for the journey step and a CLIENT span for its request.
  const app = tracerOf('mobile-app');
  const root = app.startSpan('checkout', { kind: SpanKind.INTERNAL, startTime: now('mobile-app') });
  const rootContext = trace.setSpan(context.active(), root);
  call('mobile-app', rootContext, root, 'api-gateway', 'POST /checkout');
  root.end(now('mobile-app'));

  await Promise.all([...providers.values()].map((provider) => provider.shutdown()));
  return finished;
}

/** Rewrites the parent-id field of a traceparent header. */
export function withParentId(headers: Headers, parentId: string): void {
  const parts = (headers.traceparent ?? '').split('-');
  if (parts.length === 4) headers.traceparent = [parts[0], parts[1], parentId, parts[3]].join('-');
}

/** Rewrites the flags field of a traceparent header. */
export function withFlags(headers: Headers, flags: string): void {
  const parts = (headers.traceparent ?? '').split('-');
  if (parts.length === 4) headers.traceparent = [parts[0], parts[1], parts[2], flags].join('-');
}
