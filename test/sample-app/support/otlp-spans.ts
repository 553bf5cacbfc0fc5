import type { RecordedRequest } from './stub-backend';

/** The fields of an OTLP/JSON span these tests look at. */
export interface ExportedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly service: string;
  readonly attributes: Readonly<Record<string, string | number>>;
}

interface JsonValue {
  stringValue?: string;
  intValue?: number | string;
}
interface JsonAttribute {
  key: string;
  value: JsonValue;
}
interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: JsonAttribute[];
}
interface JsonDocument {
  resourceSpans: Array<{ resource?: { attributes?: JsonAttribute[] }; scopeSpans: Array<{ spans?: JsonSpan[] }> }>;
}

function attributes(list: JsonAttribute[] | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const { key, value } of list ?? []) out[key] = value.stringValue ?? Number(value.intValue);
  return out;
}

/** Flattens the OTLP/JSON export requests the app sent into spans (test input is trusted). */
export function spansOf(exports: readonly RecordedRequest[]): ExportedSpan[] {
  return exports.flatMap((request) => {
    const document = JSON.parse(request.body) as JsonDocument;
    return document.resourceSpans.flatMap((resourceSpans) => {
      const service = String(attributes(resourceSpans.resource?.attributes)['service.name']);
      return resourceSpans.scopeSpans.flatMap((scope) =>
        (scope.spans ?? []).map((span) => ({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? '',
          name: span.name,
          kind: span.kind,
          service,
          attributes: attributes(span.attributes),
        })),
      );
    });
  });
}
