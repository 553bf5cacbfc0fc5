/**
 * Dumps of many runs built with the real OpenTelemetry JS SDK, as a staging Collector would write them: one
 * BasicTracerProvider per service, W3C traceparent injected into a header (or message) carrier on each hop
 * and extracted on the next, runs overlapping in time, plus traces that are not runs of any chain (health
 * checks, scheduled jobs). Faults are applied per hop the way a misbehaving proxy or SDK would.
 */
import { ROOT_CONTEXT, SpanKind, trace, type Context, type Link } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { spanFromReadable, type Span } from '../../../harness/model';
import { headerGetter, headerSetter, SeededIds } from './seeded-ids';

export const CHECKOUT = {
  name: 'checkout',
  chain: ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'],
  routes: ['POST /checkout', 'POST /payments', 'POST /fraud/score'],
} as const;

export const LOGIN = {
  name: 'login',
  chain: ['mobile-app', 'api-gateway', 'auth-service'],
  routes: ['POST /login', 'POST /sessions'],
} as const;

export interface JourneyShape {
  readonly name: string;
  readonly chain: readonly string[];
  /** One route per hop: the CLIENT span's name and the SERVER span's name. */
  readonly routes: readonly string[];
}

/**
 * What goes wrong on a hop (by index: 0 is chain[0] -> chain[1]): `drop` sends no traceparent; `forward`
 * sends on the traceparent the caller received instead of its CLIENT span's; `link` (a queue hop) starts the
 * consumer's trace afresh with a span link to the producer; `detach` makes the call outside the request's
 * context (its CLIENT span the root of a new trace, which it propagates).
 */
export type HopFault = 'drop' | 'forward' | 'link' | 'detach';

export interface RunSpec {
  readonly journey: JourneyShape;
  /** Start of the run, in ms after the dump's epoch. */
  readonly at: number;
  readonly faults?: Readonly<Record<number, HopFault>>;
  /** Hops (by index) that go through a queue: PRODUCER -> CONSUMER, the consumer reading after `queueDelayMs`. */
  readonly queueHops?: readonly number[];
  readonly queueDelayMs?: number;
  /** Tag the run's root span with tracehop.journey. */
  readonly tag?: boolean;
  /** Services whose spans of this run are not exported (sampled out), though they still propagate. */
  readonly unexported?: readonly string[];
}

export interface DumpSpec {
  readonly runs: readonly RunSpec[];
  /** `GET /health` SERVER spans, each a trace of its own. */
  readonly healthChecks?: ReadonlyArray<{ readonly service: string; readonly at: number }>;
  /** A scheduled job: an INTERNAL root in `service` calling `calls` (a trace that is no run of any chain). */
  readonly jobs?: ReadonlyArray<{ readonly service: string; readonly calls: string; readonly at: number }>;
  /** SERVER spans of requests from a client that does not trace (curl, a script): each a trace of its own. */
  readonly strays?: ReadonlyArray<{ readonly service: string; readonly name: string; readonly at: number }>;
  /** Clock offset per service, ms. */
  readonly clockOffsetMs?: Readonly<Record<string, number>>;
  readonly seed?: number;
}

const EPOCH = Date.UTC(2026, 10, 26, 9, 0, 0);
const propagator = new W3CTraceContextPropagator();
type Carrier = Record<string, string>;
const setter = headerSetter;
const getter = headerGetter;

/** Runs every run, health check and job of `spec`; returns the spans in the order they ended. */
export async function buildDump(spec: DumpSpec): Promise<Span[]> {
  const ids = new SeededIds(spec.seed ?? 7);
  const finished: ReadableSpan[] = [];
  const collector: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => void finished.push(span),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  const providers = new Map<string, BasicTracerProvider>();
  const tracerOf = (service: string) => {
    let provider = providers.get(service);
    if (!provider) {
      provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        idGenerator: ids,
        spanProcessors: [collector],
      });
      providers.set(service, provider);
    }
    return provider.getTracer('dump-runs');
  };
  const clock = (service: string, ms: number) => EPOCH + ms + (spec.clockOffsetMs?.[service] ?? 0);

  const unexported = new Set<string>();
  for (const run of spec.runs) runOne(run, tracerOf, clock, unexported);
  const requests = [
    ...(spec.healthChecks ?? []).map((check) => ({ ...check, name: 'GET /health' })),
    ...(spec.strays ?? []),
  ];
  for (const request of requests) {
    const span = tracerOf(request.service).startSpan(
      request.name,
      { kind: SpanKind.SERVER, startTime: clock(request.service, request.at) },
      ROOT_CONTEXT,
    );
    span.end(clock(request.service, request.at + 1));
  }
  for (const job of spec.jobs ?? []) {
    const tracer = tracerOf(job.service);
    const root = tracer.startSpan(
      'nightly-reconcile',
      { kind: SpanKind.INTERNAL, startTime: clock(job.service, job.at) },
      ROOT_CONTEXT,
    );
    const rootContext = trace.setSpan(ROOT_CONTEXT, root);
    const client = tracer.startSpan(
      'POST /reconcile',
      { kind: SpanKind.CLIENT, startTime: clock(job.service, job.at + 1) },
      rootContext,
    );
    const headers: Carrier = {};
    propagator.inject(trace.setSpan(rootContext, client), headers, setter);
    const server = tracerOf(job.calls).startSpan(
      'POST /reconcile',
      { kind: SpanKind.SERVER, startTime: clock(job.calls, job.at + 2) },
      propagator.extract(ROOT_CONTEXT, headers, getter),
    );
    server.end(clock(job.calls, job.at + 3));
    client.end(clock(job.service, job.at + 4));
    root.end(clock(job.service, job.at + 5));
  }
  await Promise.all([...providers.values()].map((provider) => provider.shutdown()));
  return finished.filter((span) => !unexported.has(span.spanContext().spanId)).map((span) => spanFromReadable(span));
}

type TracerOf = (service: string) => ReturnType<BasicTracerProvider['getTracer']>;

/** One run down its chain; each service spends 1 ms before calling on, and answers after its callee. */
function runOne(
  run: RunSpec,
  tracerOf: TracerOf,
  clock: (service: string, ms: number) => number,
  unexported: Set<string>,
): void {
  const { chain, routes } = run.journey;
  let now = run.at;
  const serve = (level: number, received: Context, links: Link[], kind: SpanKind): void => {
    const service = chain[level] as string;
    const name = level === 0 ? run.journey.name : (routes[level - 1] as string);
    const span = tracerOf(service).startSpan(
      name,
      {
        kind,
        startTime: clock(service, now),
        links,
        ...(level === 0 && run.tag ? { attributes: { 'tracehop.journey': run.journey.name } } : {}),
      },
      received,
    );
    now += 1;
    const dropped = run.unexported?.includes(service) ?? false;
    if (dropped) unexported.add(span.spanContext().spanId);
    const spanContext = trace.setSpan(received, span);
    if (level < chain.length - 1) {
      const queue = run.queueHops?.includes(level) ?? false;
      const fault = run.faults?.[level];
      const call = tracerOf(service).startSpan(
        routes[level] as string,
        { kind: queue ? SpanKind.PRODUCER : SpanKind.CLIENT, startTime: clock(service, now) },
        fault === 'detach' ? ROOT_CONTEXT : spanContext,
      );
      now += 1;
      if (dropped) unexported.add(call.spanContext().spanId);
      const carrier: Carrier = {};
      if (fault === 'forward') propagator.inject(received, carrier, setter);
      else if (fault !== 'drop' && fault !== 'link')
        propagator.inject(trace.setSpan(spanContext, call), carrier, setter);
      const next = propagator.extract(ROOT_CONTEXT, carrier, getter);
      const nextLinks: Link[] = fault === 'link' ? [{ context: call.spanContext() }] : [];
      if (queue) {
        // The producer's span ends when the message is sent; the consumer reads it later.
        call.end(clock(service, now));
        now += run.queueDelayMs ?? 1;
        serve(level + 1, next, nextLinks, SpanKind.CONSUMER);
      } else {
        serve(level + 1, next, nextLinks, SpanKind.SERVER);
        call.end(clock(service, now));
      }
      now += 1;
    }
    span.end(clock(service, now));
    now += 1;
  };
  serve(0, ROOT_CONTEXT, [], SpanKind.INTERNAL);
}

/** Runs of `journey` starting every `everyMs`, overlapping when `everyMs` is shorter than a run. */
export function manyRuns(journey: JourneyShape, count: number, everyMs: number, from = 0): RunSpec[] {
  return Array.from({ length: count }, (_, i) => ({ journey, at: from + i * everyMs }));
}

/**
 * One trace `depth` spans deep, SERVER then CLIENT per hop, hops alternating between api-gateway and
 * payment-api. Each callee's SERVER span starts `earlyMs` before its caller's CLIENT span: the rounding of
 * clocks and encoders between two services, not skew worth a warning.
 */
export async function deepTrace(depth: number, earlyMs: number): Promise<Span[]> {
  const finished: ReadableSpan[] = [];
  const collector: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => void finished.push(span),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  const ids = new SeededIds(11);
  const tracers = ['payment-api', 'api-gateway'].map((service) =>
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      idGenerator: ids,
      spanProcessors: [collector],
    }).getTracer('deep'),
  );
  const spans: Array<ReturnType<(typeof tracers)[number]['startSpan']>> = [];
  let parent = ROOT_CONTEXT;
  for (let i = 0; i < depth; i++) {
    const tracer = tracers[Math.floor(i / 2) % 2] as (typeof tracers)[number];
    const server = i % 2 === 0;
    // A SERVER span opens a new service: it starts a hair before the CLIENT span that called it.
    const start = server && i > 0 ? EPOCH + (i - 1) * 0.01 - earlyMs : EPOCH + i * 0.01;
    const span = tracer.startSpan(
      'POST /hop',
      { kind: server ? SpanKind.SERVER : SpanKind.CLIENT, startTime: start },
      parent,
    );
    spans.push(span);
    parent = trace.setSpan(ROOT_CONTEXT, span);
  }
  for (let i = spans.length - 1; i >= 0; i--) spans[i]?.end(EPOCH + 10_000 - i * 0.01);
  return finished.map((span) => spanFromReadable(span));
}
