// No OpenTelemetry import, not even of types: the model barrel exports spanFromReadable, every `tracehop
// check` loads that barrel, and the app's own SDK (1.x or 2.x) is not the one tracehop bundles. So the span is
// described here by the fields read, which a ReadableSpan of either line has.
import { setAttribute } from './internal/any-value';
import { SERVICE_NAME } from './internal/resource-attributes';
import { asSpanId, asTraceId, isZeroId } from './ids';
import type { AttributeValue, Attributes, Span, SpanException, SpanKind, SpanSource } from './span';
import { EXCEPTION_EVENT, errorExceptions, exceptionOfObject } from './internal/exception-events';
import { serviceNameOf } from './internal/service-name';

/** [seconds, nanoseconds], the SDK's HrTime. */
type HrTime = readonly [number, number];

/** An attribute value as the SDK holds it: arrays may have null or undefined holes. */
type SdkAttributeValue =
  | string
  | number
  | boolean
  | ReadonlyArray<string | null | undefined>
  | ReadonlyArray<number | null | undefined>
  | ReadonlyArray<boolean | null | undefined>;

/** The SDK's attributes: a key may be present with the value undefined. */
export type SdkAttributes = Readonly<Record<string, SdkAttributeValue | undefined>>;

/**
 * The fields of a finished span that spanFromReadable reads. A `ReadableSpan` of
 * `@opentelemetry/sdk-trace-base` 2.x (`parentSpanContext`) and of 1.x (`parentSpanId`) both have them.
 */
export interface SdkReadableSpan {
  readonly name: string;
  /** The API's SpanKind enum: INTERNAL 0, SERVER 1, CLIENT 2, PRODUCER 3, CONSUMER 4. */
  readonly kind: number;
  spanContext(): {
    traceId: string;
    spanId: string;
    traceFlags: number;
    traceState?: { serialize(): string } | undefined;
  };
  /** sdk-trace-base 2.x. */
  readonly parentSpanContext?: { readonly spanId: string } | undefined;
  /** sdk-trace-base 1.x. */
  readonly parentSpanId?: string | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: { readonly code: number; readonly message?: string };
  readonly attributes: SdkAttributes;
  readonly links: ReadonlyArray<{
    readonly context: { readonly traceId: string; readonly spanId: string };
    readonly attributes?: SdkAttributes | undefined;
  }>;
  readonly resource: { readonly attributes: SdkAttributes };
  /** The span's events (`recordException` adds an `exception` one); absent where the SDK has none to give. */
  readonly events?: ReadonlyArray<{ readonly name: string; readonly attributes?: SdkAttributes | undefined }>;
}

/** The API's SpanKind enum by value (INTERNAL 0, SERVER 1, CLIENT 2, PRODUCER 3, CONSUMER 4). */
const KINDS: Readonly<Record<number, SpanKind>> = {
  0: 'internal',
  1: 'server',
  2: 'client',
  3: 'producer',
  4: 'consumer',
};

/**
 * Whole milliseconds plus the remaining nanoseconds, the same split as the OTLP decoders (internal/nanos.ts,
 * otlp-proto.ts), so a span converted here equals the same span read back from an OTLP export.
 */
function hrTimeToMs([seconds, nanos]: HrTime): number {
  return seconds * 1000 + Math.floor(nanos / 1e6) + (nanos % 1e6) / 1e6;
}

function isSdkArray(value: SdkAttributeValue): value is Extract<SdkAttributeValue, ReadonlyArray<unknown>> {
  return Array.isArray(value);
}

function convertAttributes(input: SdkAttributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    // SDK arrays may hold null/undefined holes; keep them as null so positions survive.
    setAttribute(out, key, isSdkArray(value) ? value.map((item): AttributeValue => item ?? null) : value);
  }
  return out;
}

/** All-zero link ids mean "no link", as in every decoder. */
/** An ERROR span's `exception` events, as Span.exceptions keeps them; nothing for any other span. */
function exceptionsOf(span: SdkReadableSpan): { exceptions?: readonly SpanException[] } {
  if (span.status.code !== 2 || span.events === undefined) return {};
  const found = span.events
    .filter((event) => event.name === EXCEPTION_EVENT)
    .map((event) => exceptionOfObject(event.attributes))
    .filter((exception) => exception !== undefined);
  const exceptions = errorExceptions(span.status.code, found);
  return exceptions === undefined ? {} : { exceptions };
}

function isLink(link: SdkReadableSpan['links'][number]): boolean {
  return !isZeroId(link.context.traceId) && !isZeroId(link.context.spanId);
}

/** The parent's span id, from either SDK line; all zeros, as an exporter would write for a root, is none. */
function parentOf(span: SdkReadableSpan): string | undefined {
  const id = span.parentSpanContext?.spanId ?? span.parentSpanId;
  return id === undefined || id === '' || isZeroId(id) ? undefined : id;
}

/**
 * Converts a finished span of the OpenTelemetry JS SDK (`@opentelemetry/sdk-trace-base` 1.x or 2.x) into our
 * model.
 * @example spanFromReadable(exporter.getFinishedSpans()[0], { file: 'in-memory' })
 */
export function spanFromReadable(span: SdkReadableSpan, source?: SpanSource): Span {
  const context = span.spanContext();
  const serviceName = span.resource.attributes[SERVICE_NAME];
  const parent = parentOf(span);
  const traceState = context.traceState?.serialize();
  return {
    traceId: asTraceId(context.traceId),
    spanId: asSpanId(context.spanId),
    ...(parent !== undefined ? { parentSpanId: asSpanId(parent) } : {}),
    name: span.name,
    kind: KINDS[span.kind] ?? 'unspecified',
    service: serviceNameOf(serviceName),
    startTimeMs: hrTimeToMs(span.startTime),
    // A start of 0 is no time at all (hasTime), whatever the end, as the OTLP decoders take it.
    endTimeMs: hrTimeToMs(span.startTime) === 0 ? 0 : hrTimeToMs(span.endTime),
    attributes: convertAttributes(span.attributes),
    traceFlags: context.traceFlags,
    // The SDK's context holds the whole trace state: none is known to be empty (Span.traceState).
    traceState: traceState ?? '',
    statusCode: span.status.code,
    ...(span.status.code === 2 && span.status.message ? { statusMessage: span.status.message } : {}),
    ...exceptionsOf(span),
    ...(span.links.some(isLink)
      ? {
          links: span.links.filter(isLink).map((link) => {
            const attributes = convertAttributes(link.attributes ?? {});
            const id = { traceId: asTraceId(link.context.traceId), spanId: asSpanId(link.context.spanId) };
            return Object.keys(attributes).length > 0 ? { ...id, attributes } : id;
          }),
        }
      : {}),
    ...(source ? { source } : {}),
  };
}
