// Type-only imports of the OpenTelemetry packages: the model barrel exports spanFromReadable, and every
// `tracehop check` loads that barrel, so this file must not load @opentelemetry/api at run time.
import type { SpanKind as ApiSpanKind, Attributes as ApiAttributes, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { setAttribute } from './internal/any-value';
import { SERVICE_NAME } from './internal/resource-attributes';
import { asSpanId, asTraceId, isZeroId } from './ids';
import type { AttributeValue, Attributes, Span, SpanKind, SpanSource } from './span';

/** The API's SpanKind enum by value (INTERNAL 0, SERVER 1, CLIENT 2, PRODUCER 3, CONSUMER 4). */
const KINDS: Readonly<Record<ApiSpanKind, SpanKind>> = {
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

function convertAttributes(input: ApiAttributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    // SDK arrays may hold null/undefined holes; keep them as null so positions survive.
    setAttribute(
      out,
      key,
      Array.isArray(value) ? value.map((item): AttributeValue => (item ?? null) as AttributeValue) : value,
    );
  }
  return out;
}

/** All-zero link ids mean "no link", as in every decoder. */
function isLink(link: ReadableSpan['links'][number]): boolean {
  return !isZeroId(link.context.traceId) && !isZeroId(link.context.spanId);
}

/**
 * Converts a finished span of the OpenTelemetry JS SDK (`@opentelemetry/sdk-trace-base`) into our model.
 * @example spanFromReadable(exporter.getFinishedSpans()[0], { file: 'in-memory' })
 */
export function spanFromReadable(span: ReadableSpan, source?: SpanSource): Span {
  const context = span.spanContext();
  const serviceName = span.resource.attributes[SERVICE_NAME];
  const parent = span.parentSpanContext;
  const traceState = context.traceState?.serialize();
  return {
    traceId: asTraceId(context.traceId),
    spanId: asSpanId(context.spanId),
    ...(parent ? { parentSpanId: asSpanId(parent.spanId) } : {}),
    name: span.name,
    kind: KINDS[span.kind] ?? 'unspecified',
    service: typeof serviceName === 'string' && serviceName !== '' ? serviceName : 'unknown_service',
    startTimeMs: hrTimeToMs(span.startTime),
    endTimeMs: hrTimeToMs(span.endTime),
    attributes: convertAttributes(span.attributes),
    traceFlags: context.traceFlags,
    ...(traceState ? { traceState } : {}),
    statusCode: span.status.code,
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
