/**
 * fast-check arbitraries for OpenTelemetry JS SDK input: span trees with every attribute value the SDK
 * accepts, events, links, statuses, trace states, resources and instrumentation scopes, and nanosecond
 * timestamps. `recordPlan` replays a generated plan on the real BasicTracerProvider.
 */
import fc from 'fast-check';
import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type AttributeValue,
  type Attributes,
  type HrTime,
  type Context,
  type Link,
  type Span as ApiSpan,
  type SpanContext,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes, type DetectedResourceAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { SeededIds } from '../verify/support/seeded-ids';

// ---- values ----

/** Well-formed Unicode (protobuf strings are UTF-8, so lone surrogates cannot survive any OTLP encoding). */
const text = (maxLength = 12): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
  );

/** Every kind of number: small and huge integers, the int64 edges, fractions, -0, NaN and the infinities. */
const number: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.maxSafeInteger(),
  fc.constantFrom(
    0,
    -0,
    2 ** 53,
    -(2 ** 53),
    2 ** 62,
    -(2 ** 62),
    2 ** 63,
    -(2 ** 63),
    2 ** 64,
    1e21,
    0.1,
    -1.5,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
    NaN,
    Infinity,
    -Infinity,
  ),
  fc.double(),
);

/** A homogeneous array as the SDK accepts it, with null and undefined holes. */
function homogeneous<T extends string | number | boolean>(item: fc.Arbitrary<T>): fc.Arbitrary<AttributeValue> {
  return fc.array(fc.oneof({ weight: 6, arbitrary: item }, fc.constant(null), fc.constant(undefined)), {
    maxLength: 5,
  }) as fc.Arbitrary<AttributeValue>;
}

/** Every span/event/link attribute value the SDK keeps (sdk-trace Span.setAttribute, core sanitizeAttributes). */
export const sdkAttributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  text(),
  number,
  fc.boolean(),
  homogeneous(text(6)),
  homogeneous(number),
  homogeneous(fc.boolean()),
);

/** Keys the SDK may drop itself (empty) are included: the conversion must drop them the same way. */
const attributeKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('http.method', 'service.name', 'a', 'b.c', 'tags') },
  { weight: 4, arbitrary: text(10) },
);

export const sdkAttributes: fc.Arbitrary<Attributes> = fc.dictionary(attributeKey, sdkAttributeValue, {
  maxKeys: 6,
  noNullPrototype: true,
});

/**
 * Resource attributes are not validated by the SDK at runtime (resources ResourceImpl keeps raw values), so
 * every OTLP AnyValue reaches the serializers there: maps, mixed arrays, bytes, nesting.
 */
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'any-value', withCrossShrink: true },
    text(),
    number,
    fc.boolean(),
    fc.uint8Array({ maxLength: 6 }),
    fc.array(tie('value'), { maxLength: 3, depthIdentifier: 'any-value' }),
    fc.dictionary(text(5), tie('value'), { maxKeys: 3, noNullPrototype: true, depthIdentifier: 'any-value' }),
  ),
})).value;

const resourceAttributes: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      service: fc.oneof(fc.constantFrom('api-gateway', 'payment-api', ''), text(8), fc.integer()),
      rest: fc.dictionary(text(8), anyValue, { maxKeys: 4, noNullPrototype: true }),
    },
    { requiredKeys: ['rest'] },
  )
  .map(({ service, rest }) => {
    const out: Record<string, unknown> = { ...rest };
    if (service !== undefined) out['service.name'] = service;
    return out;
  });

// ---- times ----

const NANOS_PER_SECOND = 1_000_000_000;

/** [seconds, nanoseconds] from 1970 to 2100 with full nanosecond precision, plus the epoch itself. */
const hrTime: fc.Arbitrary<HrTime> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 4_102_444_800 }), fc.integer({ min: 0, max: NANOS_PER_SECOND - 1 })),
  fc.tuple(fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }), fc.integer({ min: 0, max: NANOS_PER_SECOND - 1 })),
  fc.constant<HrTime>([0, 0]),
);

/** Adds nanoseconds to an HrTime, carrying into seconds. */
export function addNanos([seconds, nanos]: HrTime, add: number): HrTime {
  const total = nanos + add;
  return [seconds + Math.floor(total / NANOS_PER_SECOND), total % NANOS_PER_SECOND];
}

/** One nanosecond earlier (the epoch stays the epoch). */
function oneNanoBefore([seconds, nanos]: HrTime): HrTime {
  if (nanos > 0) return [seconds, nanos - 1];
  return seconds > 0 ? [seconds - 1, NANOS_PER_SECOND - 1] : [0, 0];
}

// ---- contexts ----

const hexId = (chars: number): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.stringMatching(new RegExp(`^[0-9a-f]{${chars}}$`)) },
    { weight: 1, arbitrary: fc.constant('0'.repeat(chars)) },
  );

/** Level 1 tracestate members (what OpenTelemetry's TraceState keeps). */
const traceState: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.stringMatching(/^[a-z][a-z0-9_\-*/]{0,8}$/),
      fc.stringMatching(/^[\x21-\x2b\x2d-\x3c\x3e-\x7e]{1,10}$/),
    ),
    { maxLength: 4 },
  )
  .map((members) => members.map(([key, value]) => `${key}=${value}`).join(','));

const linkPlan = fc.record({
  traceId: hexId(32),
  spanId: hexId(16),
  traceFlags: fc.integer({ min: 0, max: 255 }),
  isRemote: fc.boolean(),
  traceState: fc.option(traceState, { nil: undefined }),
  attributes: fc.option(sdkAttributes, { nil: undefined }),
  /** Added with the start options, or later with Span.addLink. */
  late: fc.boolean(),
});

export type LinkPlan = typeof linkPlan extends fc.Arbitrary<infer T> ? T : never;

const eventPlan = fc.record({
  name: text(),
  attributes: fc.option(sdkAttributes, { nil: undefined }),
  afterNanos: fc.integer({ min: 0, max: 5_000_000 }),
});

const statusPlan = fc.oneof(
  fc.constant(undefined),
  fc.record({
    code: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR),
    message: fc.option(text(), { nil: undefined }),
  }),
);

export interface SpanPlan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: Attributes;
  readonly lateAttributes: Attributes;
  readonly events: readonly { name: string; attributes: Attributes | undefined; afterNanos: number }[];
  readonly links: readonly LinkPlan[];
  readonly status: { code: SpanStatusCode; message: string | undefined } | undefined;
  /** Index of the parent among the earlier spans of the trace, taken modulo their count; the first is the root. */
  readonly parent: number;
  /** Nanoseconds after the parent's start (the root starts at the trace's start). */
  readonly offsetNanos: number;
  /** -1 ends the span before it starts: the SDK then clamps the end to the start. */
  readonly durationNanos: number;
}

const spanPlan: fc.Arbitrary<SpanPlan> = fc.record({
  name: text(),
  kind: fc.constantFrom(SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER),
  attributes: sdkAttributes,
  lateAttributes: fc.oneof(fc.constant({}), sdkAttributes),
  events: fc.array(eventPlan, { maxLength: 2 }),
  links: fc.array(linkPlan, { maxLength: 2 }),
  status: statusPlan,
  parent: fc.nat({ max: 7 }),
  offsetNanos: fc.integer({ min: 0, max: 2_000_000_000 }),
  durationNanos: fc.oneof(fc.integer({ min: 0, max: 3_000_000_000 }), fc.constant(-1)),
});

/** A span tree of one to six spans, as a list whose entries point at earlier entries (bounded, shrinks well). */
const spanTree = fc.array(spanPlan, { minLength: 1, maxLength: 6 });

const tracePlan = fc.record({
  scope: fc.record({
    name: text(8),
    version: fc.option(fc.constantFrom('1.0.0', '0.1.2-beta'), { nil: undefined }),
    schemaUrl: fc.option(fc.constant('https://opentelemetry.io/schemas/1.30.0'), { nil: undefined }),
  }),
  start: hrTime,
  remoteParent: fc.option(
    fc.record({
      traceId: hexId(32).filter((id) => !/^0+$/.test(id)),
      spanId: hexId(16).filter((id) => !/^0+$/.test(id)),
      traceState: fc.option(traceState, { nil: undefined }),
    }),
    { nil: undefined },
  ),
  spans: spanTree,
});

export type TracePlan = typeof tracePlan extends fc.Arbitrary<infer T> ? T : never;

const providerPlan = fc.record({
  resource: resourceAttributes,
  traces: fc.array(tracePlan, { minLength: 1, maxLength: 2 }),
});

/** One run: up to three providers (resources), each recording one or two traces. */
export const recordingPlan = fc.record({
  idSeed: fc.integer({ min: 1, max: 0x7fffffff }),
  providers: fc.array(providerPlan, { minLength: 1, maxLength: 3 }),
});

export type RecordingPlan = typeof recordingPlan extends fc.Arbitrary<infer T> ? T : never;

// ---- recording ----

function linkOf(plan: LinkPlan): Link {
  const linkContext: SpanContext = {
    traceId: plan.traceId,
    spanId: plan.spanId,
    traceFlags: plan.traceFlags,
    isRemote: plan.isRemote,
    ...(plan.traceState !== undefined ? { traceState: new TraceState(plan.traceState) } : {}),
  };
  return plan.attributes !== undefined
    ? { context: linkContext, attributes: plan.attributes }
    : { context: linkContext };
}

type Tracer = ReturnType<BasicTracerProvider['getTracer']>;

/** Records the spans of one trace: each starts under its parent's context and ends at its planned time. */
function recordTree(tracer: Tracer, plans: readonly SpanPlan[], start: HrTime, root: Context): void {
  const started: { span: ApiSpan; start: HrTime; context: Context }[] = [];
  plans.forEach((plan, index) => {
    const parent = index === 0 ? undefined : started[plan.parent % index];
    const spanStart = parent ? addNanos(parent.start, plan.offsetNanos) : start;
    const parentContext = parent ? parent.context : root;
    const span = tracer.startSpan(
      plan.name,
      {
        kind: plan.kind,
        attributes: plan.attributes,
        links: plan.links.filter((link) => !link.late).map(linkOf),
        startTime: spanStart,
      },
      parentContext,
    );
    span.setAttributes(plan.lateAttributes);
    for (const link of plan.links.filter((item) => item.late)) span.addLink(linkOf(link));
    for (const event of plan.events) span.addEvent(event.name, event.attributes, addNanos(spanStart, event.afterNanos));
    if (plan.status) span.setStatus(plan.status);
    started.push({ span, start: spanStart, context: trace.setSpan(parentContext, span) });
  });
  plans.forEach((plan, index) => {
    const entry = started[index];
    if (!entry) return;
    entry.span.end(plan.durationNanos < 0 ? oneNanoBefore(entry.start) : addNanos(entry.start, plan.durationNanos));
  });
}

/** Replays a plan on real BasicTracerProviders (one per resource) and returns every finished span. */
export async function recordPlan(plan: RecordingPlan): Promise<ReadableSpan[]> {
  const ids = new SeededIds(plan.idSeed);
  const spans: ReadableSpan[] = [];
  for (const providerPlan of plan.providers) {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes(providerPlan.resource as DetectedResourceAttributes),
      sampler: new AlwaysOnSampler(),
      idGenerator: ids,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    for (const tracePlan of providerPlan.traces) {
      const { name, version, schemaUrl } = tracePlan.scope;
      const tracer = provider.getTracer(name, version, schemaUrl !== undefined ? { schemaUrl } : undefined);
      let root = context.active();
      if (tracePlan.remoteParent) {
        const { traceId, spanId, traceState } = tracePlan.remoteParent;
        root = trace.setSpanContext(root, {
          traceId,
          spanId,
          traceFlags: 1,
          isRemote: true,
          ...(traceState !== undefined ? { traceState: new TraceState(traceState) } : {}),
        });
      }
      recordTree(tracer, tracePlan.spans, tracePlan.start, root);
    }
    await provider.forceFlush();
    spans.push(...exporter.getFinishedSpans());
    await provider.shutdown();
  }
  return spans;
}
