/**
 * Dumps of one SDK-built journey in every format `tracehop check` reads, written by the official
 * serializers where a package exists (OTLP protobuf and JSON from @opentelemetry/otlp-transformer, Zipkin
 * from @opentelemetry/exporter-zipkin's own conversion) and by hand from the documented format where none
 * does (Jaeger JSON, protojson as Grafana Tempo's API writes it).
 */
import { toZipkinSpan } from '@opentelemetry/exporter-zipkin/build/src/transform';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
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
