import type { SpanKind } from '../span';

/** OTLP `Span.SpanKind` numbers (trace/v1/trace.proto), indexed by number: the one table both encodings use. */
export const SPAN_KINDS_BY_NUMBER: readonly SpanKind[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];

/** The OTLP number of each span kind. */
export const SPAN_KIND_NUMBERS: Readonly<Record<SpanKind, number>> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};

/** The kind for an OTLP number, or undefined when the number is not a span kind. */
export function spanKindFromNumber(value: number): SpanKind | undefined {
  return Number.isInteger(value) ? SPAN_KINDS_BY_NUMBER[value] : undefined;
}

/** The kind for an enum name as the proto3 JSON mapping may write it ("SPAN_KIND_SERVER"), or undefined. */
export function spanKindFromName(value: string): SpanKind | undefined {
  if (!value.startsWith('SPAN_KIND_')) return undefined;
  const name = value.slice('SPAN_KIND_'.length);
  // Own keys only: "SPAN_KIND_CONSTRUCTOR" must not find Object.prototype.constructor.
  const kind = name.toLowerCase();
  return name === kind.toUpperCase() && Object.hasOwn(SPAN_KIND_NUMBERS, kind) ? (kind as SpanKind) : undefined;
}
