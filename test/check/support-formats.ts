/**
 * Dumps of one SDK-built journey in every format `tracehop check` reads, written by the official
 * serializers where a package exists (OTLP protobuf and JSON from @opentelemetry/otlp-transformer, Zipkin
 * from @opentelemetry/exporter-zipkin's own conversion) and by hand from the documented format where none
 * does (Jaeger JSON, protojson as Grafana Tempo's API writes it); OpenTelemetry JS's ConsoleSpanExporter
 * prints through its own export, console.dir caught.
 */
import { toZipkinSpan } from '@opentelemetry/exporter-zipkin/build/src/transform';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { ConsoleSpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { inspect, type InspectOptions } from 'node:util';
import { spanFromReadable } from '../../harness/model';

const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT'];
const KIND_NAMES_MORE = ['SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];

function serviceOf(span: ReadableSpan): string {
  return String(span.resource.attributes['service.name']);
}

/** OTLP protobuf: one bare ExportTraceServiceRequest. */
export function otlpProtoBare(spans: ReadableSpan[]): Buffer {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error('the serializer wrote nothing');
  return Buffer.from(bytes);
}

/** OTLP protobuf as the Collector's file exporter writes `format: proto`: a 4-byte big-endian length before each request. */
export function otlpProtoFramed(batches: ReadableSpan[][]): Buffer {
  const parts: Buffer[] = [];
  for (const batch of batches) {
    const body = otlpProtoBare(batch);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    parts.push(length, body);
  }
  return Buffer.concat(parts);
}

/** OTLP/JSON from the official JSON serializer, one line per batch. */
export function otlpJsonLines(batches: ReadableSpan[][]): string {
  return (
    batches.map((batch) => Buffer.from(JsonTraceSerializer.serializeRequest(batch) ?? []).toString('utf8')).join('\n') +
    '\n'
  );
}

/**
 * OTLP/JSON as the Java SDK's `logging-otlp` exporter writes it (OtlpJsonLoggingSpanExporter, not wrapped):
 * one bare ResourceSpans a line, no `resourceSpans` request around it.
 */
export function otlpJsonBareLines(batches: ReadableSpan[][]): string {
  const lines: string[] = [];
  for (const batch of batches) {
    const request = JSON.parse(otlpJsonLines([batch])) as { resourceSpans: unknown[] };
    for (const resourceSpans of request.resourceSpans) lines.push(JSON.stringify(resourceSpans));
  }
  return `${lines.join('\n')}\n`;
}

const toBase64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

/**
 * OTLP/JSON as protojson writes it (Tempo's `GET /api/traces/{id}`): the official serializer's document,
 * with ids in base64, enums by name, zero values left out, and Tempo's `batches` envelope.
 */
export function tempoJson(spans: ReadableSpan[]): string {
  const doc = JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(spans) ?? []).toString('utf8')) as {
    resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
  };
  for (const resource of doc.resourceSpans) {
    for (const scope of resource.scopeSpans) {
      for (const span of scope.spans) {
        for (const key of ['traceId', 'spanId', 'parentSpanId'])
          if (typeof span[key] === 'string' && span[key] !== '') span[key] = toBase64(span[key]);
          else delete span[key];
        const kind = span.kind as number;
        span.kind = [...KIND_NAMES, ...KIND_NAMES_MORE][kind];
        for (const key of ['droppedAttributesCount', 'droppedEventsCount', 'droppedLinksCount'])
          if (span[key] === 0) delete span[key];
        const status = span.status as { code?: number } | undefined;
        if (status && !status.code) delete span.status;
      }
    }
  }
  return JSON.stringify({ batches: doc.resourceSpans }, null, 2);
}

/** Zipkin v2 spans from the official exporter's conversion (what it POSTs to /api/v2/spans). */
export function zipkinSpans(spans: ReadableSpan[]): Record<string, unknown>[] {
  return spans.map(
    (span) => toZipkinSpan(span, serviceOf(span), 'otel.status_code', 'error') as unknown as Record<string, unknown>,
  );
}

/**
 * Jaeger JSON as the query API (`GET /api/traces/{id}`) and the UI's download write it: `{"data": [trace]}`
 * with `processes`, CHILD_OF references and tags (`w3c.tracestate` as the OpenTelemetry Collector's Jaeger
 * translator writes it), times in microseconds. Written by hand from the
 * documented model: Jaeger has no JavaScript exporter of this format.
 */
export function jaegerJson(spans: ReadableSpan[]): string {
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const id = span.spanContext().traceId;
    byTrace.set(id, [...(byTrace.get(id) ?? []), span]);
  }
  const data = [...byTrace].map(([traceID, list]) => {
    const services = [...new Set(list.map(serviceOf))];
    return {
      traceID,
      spans: list.map((readable) => {
        const span = spanFromReadable(readable);
        const kindTag = span.kind === 'unspecified' ? [] : [{ key: 'span.kind', type: 'string', value: span.kind }];
        return {
          traceID,
          spanID: span.spanId,
          flags: 1,
          operationName: span.name,
          references: span.parentSpanId ? [{ refType: 'CHILD_OF', traceID, spanID: span.parentSpanId }] : [],
          startTime: Math.round(span.startTimeMs * 1000),
          duration: Math.round((span.endTimeMs - span.startTimeMs) * 1000),
          // The Collector's Jaeger translator writes a trace state only when there is one.
          tags: [
            ...kindTag,
            { key: 'otel.status_code', type: 'string', value: 'OK' },
            ...(span.traceState ? [{ key: 'w3c.tracestate', type: 'string', value: span.traceState }] : []),
          ],
          logs: [],
          processID: `p${services.indexOf(span.service) + 1}`,
          warnings: null,
        };
      }),
      processes: Object.fromEntries(
        services.map((serviceName, i) => [
          `p${i + 1}`,
          { serviceName, tags: [{ key: 'telemetry.sdk.language', type: 'string', value: 'nodejs' }] },
        ]),
      ),
      warnings: null,
    };
  });
  return JSON.stringify({ data, total: 0, limit: 0, offset: 0, errors: null }, null, 2);
}

/** A ReadableSpan's time (seconds, nanoseconds) as whole nanoseconds since the epoch. */
function nanosOf([seconds, nanos]: [number, number]): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
}

/**
 * Go's time.RFC3339Nano in a zone `offsetMinutes` east of UTC, as stdouttrace writes StartTime: nanoseconds
 * with trailing zeros dropped, the zone as "+05:30" ("Z" at offset 0).
 */
function goTime(nanos: bigint, offsetMinutes: number): string {
  const local = nanos + BigInt(offsetMinutes) * 60_000_000_000n;
  const seconds = local / 1_000_000_000n;
  const fraction = String(local % 1_000_000_000n)
    .padStart(9, '0')
    .replace(/0+$/, '');
  const date = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone =
    offsetMinutes === 0
      ? 'Z'
      : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${date}${fraction === '' ? '' : `.${fraction}`}${zone}`;
}

/** Attribute values as Go's attribute.KeyValue list ({Key, Value: {Type, Value}}). */
function goKeyValues(attributes: Record<string, unknown>): Record<string, unknown>[] {
  const typeOf = (value: unknown): string => {
    if (typeof value === 'string') return 'STRING';
    if (typeof value === 'boolean') return 'BOOL';
    if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
    if (Array.isArray(value)) return `${value.length > 0 ? typeOf(value[0]) : 'STRING'}SLICE`;
    throw new Error(`no Go attribute type for ${JSON.stringify(value)}`);
  };
  return Object.entries(attributes).map(([Key, Value]) => ({ Key, Value: { Type: typeOf(Value), Value } }));
}

/**
 * OpenTelemetry Go's stdouttrace output (tracetest.SpanStub through json.Encoder, as
 * go.opentelemetry.io/otel/exporters/stdout/stdouttrace writes it; fixtures/dumps/go-stdouttrace/ holds the
 * real thing): one object per span, tab-indented when `pretty`, times in the zone `offsetMinutes` east of UTC.
 */
export function goStdouttrace(spans: ReadableSpan[], pretty: boolean, offsetMinutes = 330): string {
  const zero = { TraceID: '0'.repeat(32), SpanID: '0'.repeat(16), TraceFlags: '00', TraceState: '', Remote: false };
  const stubs = spans.map((readable) => {
    const context = readable.spanContext();
    const parent = readable.parentSpanContext;
    const contextOf = (c: typeof context, remote: boolean) => ({
      TraceID: c.traceId,
      SpanID: c.spanId,
      TraceFlags: c.traceFlags.toString(16).padStart(2, '0'),
      TraceState: c.traceState?.serialize() ?? '',
      Remote: remote,
    });
    return {
      Name: readable.name,
      SpanContext: contextOf(context, false),
      Parent: parent ? contextOf(parent, parent.isRemote === true) : zero,
      // The JS SDK's SpanKind counts from INTERNAL = 0; Go's (and OTLP's) from UNSPECIFIED = 0.
      SpanKind: readable.kind + 1,
      StartTime: goTime(nanosOf(readable.startTime), offsetMinutes),
      EndTime: goTime(nanosOf(readable.endTime), offsetMinutes),
      Attributes: goKeyValues(readable.attributes),
      Events: null,
      Links: null,
      Status: { Code: ['Unset', 'Ok', 'Error'][readable.status.code], Description: readable.status.message ?? '' },
      DroppedAttributes: 0,
      DroppedEvents: 0,
      DroppedLinks: 0,
      ChildSpanCount: 0,
      Resource: goKeyValues(readable.resource.attributes),
      InstrumentationScope: { Name: readable.instrumentationScope.name, Version: '', SchemaURL: '', Attributes: null },
      InstrumentationLibrary: { Name: readable.instrumentationScope.name, Version: '', SchemaURL: '' },
    };
  });
  return stubs.map((stub) => `${pretty ? JSON.stringify(stub, null, '\t') : JSON.stringify(stub)}\n`).join('');
}

/**
 * OpenTelemetry Python's ConsoleSpanExporter output: each span as opentelemetry-sdk's ReadableSpan.to_json()
 * builds it (json.dumps with indent 4), then a newline. Times are UTC to the microsecond ("%Y-%m-%dT%H:%M:%S.%fZ"
 * of the nanoseconds as a float), ids "0x"-prefixed, the kind "SpanKind.SERVER", the trace state TraceState's
 * repr. Written by hand from the SDK's source: no Python SDK runs here.
 */
export function pythonConsole(spans: ReadableSpan[]): string {
  const iso = (time: [number, number]): string => {
    const micros = Number((nanosOf(time) + 500n) / 1000n);
    const whole = new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19);
    return `${whole}.${String(micros % 1_000_000).padStart(6, '0')}Z`;
  };
  const kinds = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
  return spans
    .map((readable) => {
      const context = readable.spanContext();
      const entries = context.traceState
        ?.serialize()
        .split(',')
        .filter((entry) => entry !== '')
        .map((entry) => {
          const [key, value] = entry.split('=');
          return `'{key=${key ?? ''}, value=${value ?? ''}}'`;
        });
      const parent = readable.parentSpanContext;
      const status: Record<string, string> = { status_code: ['UNSET', 'OK', 'ERROR'][readable.status.code] ?? 'UNSET' };
      if (readable.status.message) status.description = readable.status.message;
      const span = {
        name: readable.name,
        context: {
          trace_id: `0x${context.traceId}`,
          span_id: `0x${context.spanId}`,
          trace_state: `[${(entries ?? []).join(', ')}]`,
        },
        kind: `SpanKind.${kinds[readable.kind] ?? 'INTERNAL'}`,
        parent_id: parent ? `0x${parent.spanId}` : null,
        start_time: iso(readable.startTime),
        end_time: iso(readable.endTime),
        status,
        attributes: readable.attributes,
        events: [],
        links: [],
        resource: { attributes: readable.resource.attributes, schema_url: '' },
      };
      return `${JSON.stringify(span, null, 4)}\n`;
    })
    .join('');
}

/**
 * What @opentelemetry/sdk-trace-base's ConsoleSpanExporter prints: its own export, with console.dir caught and
 * written as Node.js's console writes it (util.inspect without custom inspection, then a newline).
 */
export function jsConsole(spans: ReadableSpan[]): string {
  const printed: string[] = [];
  const dir = jest.spyOn(console, 'dir').mockImplementation((value: unknown, options?: InspectOptions) => {
    printed.push(`${inspect(value, { customInspect: false, ...options })}\n`);
  });
  try {
    new ConsoleSpanExporter().export(spans, () => undefined);
  } finally {
    dir.mockRestore();
  }
  return printed.join('');
}
