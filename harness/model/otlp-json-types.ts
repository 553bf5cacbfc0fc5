/**
 * The OTLP/JSON shape of an `ExportTraceServiceRequest` (opentelemetry-proto, JSON encoding): ids are hex
 * strings, enums are integers, 64-bit times are decimal strings of nanoseconds.
 */

/** How proto3 JSON writes a double that is no finite number. */
export type NonFiniteDouble = 'NaN' | 'Infinity' | '-Infinity';

/** `AnyValue`: exactly one field is set; an empty object stands for an empty value. */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | NonFiniteDouble;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}

/** An OTLP/JSON attribute: a key and its AnyValue. */
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

/** An OTLP/JSON span, ids in hex and times as nanosecond strings, as `encodeOtlpJson` writes them. */
export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  /** W3C trace flags in bits 0-7; bit 8 set says bit 9 tells whether the parent was remote. */
  flags?: number;
  name: string;
  /** 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string };
  events?: { timeUnixNano?: string; name: string; attributes?: OtlpKeyValue[] }[];
  links?: { traceId: string; spanId: string; traceState?: string; attributes?: OtlpKeyValue[]; flags?: number }[];
}

/** The spans of one instrumentation scope in an OTLP/JSON document. */
export interface OtlpScopeSpans {
  scope?: { name?: string; version?: string; attributes?: OtlpKeyValue[] };
  spans: OtlpJsonSpan[];
}

/** The spans of one resource (its attributes name the service) in an OTLP/JSON document. */
export interface OtlpResourceSpans {
  resource: { attributes: OtlpKeyValue[] };
  scopeSpans: OtlpScopeSpans[];
}

/** One `ExportTraceServiceRequest` document. */
export interface OtlpJsonDocument {
  resourceSpans: OtlpResourceSpans[];
}
