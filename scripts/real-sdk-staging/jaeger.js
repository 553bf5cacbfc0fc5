'use strict';
/**
 * OTLP/JSON export bodies (one a line) as Jaeger's query API returns them (`{"data": [trace, ...]}`), converted
 * as the Jaeger backend stores OTLP spans: `span.kind` lower case, `otel.status_code`, `otel.status_description`
 * (an ERROR span's status message), `w3c.tracestate`, the parent as a CHILD_OF reference, times in microseconds.
 */

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS = ['UNSET', 'OK', 'ERROR'];

/** An OTLP attribute value as a Jaeger tag. */
function tag(key, value) {
  if (value.intValue !== undefined) return { key, type: 'int64', value: Number(value.intValue) };
  if (value.boolValue !== undefined) return { key, type: 'bool', value: value.boolValue };
  if (value.doubleValue !== undefined) return { key, type: 'float64', value: value.doubleValue };
  if (value.arrayValue !== undefined) return { key, type: 'string', value: JSON.stringify(value.arrayValue) };
  return { key, type: 'string', value: String(value.stringValue ?? '') };
}

const micros = (nanos) => Number(BigInt(nanos) / 1000n);

function toJaeger(otlpLines) {
  const traces = new Map();
  for (const line of otlpLines) {
    for (const resource of JSON.parse(line).resourceSpans) {
      const attributes = resource.resource.attributes || [];
      const service = attributes.find((a) => a.key === 'service.name').value.stringValue;
      const processTags = attributes.filter((a) => a.key !== 'service.name').map((a) => tag(a.key, a.value));
      for (const scope of resource.scopeSpans) {
        for (const span of scope.spans) {
          let entry = traces.get(span.traceId);
          if (!entry) {
            entry = { traceID: span.traceId, spans: [], processes: {}, ids: new Map() };
            traces.set(span.traceId, entry);
          }
          const processKey = `${service}/${processTags.map((t) => t.value).join('/')}`;
          if (!entry.ids.has(processKey)) {
            const id = `p${entry.ids.size + 1}`;
            entry.ids.set(processKey, id);
            entry.processes[id] = { serviceName: service, tags: processTags };
          }
          const tags = (span.attributes || []).map((a) => tag(a.key, a.value));
          tags.push({ key: 'span.kind', type: 'string', value: KINDS[span.kind] || 'internal' });
          tags.push({ key: 'otel.scope.name', type: 'string', value: scope.scope.name });
          const code = span.status && span.status.code ? span.status.code : 0;
          if (code) tags.push({ key: 'otel.status_code', type: 'string', value: STATUS[code] });
          const message = span.status && span.status.message;
          if (message) tags.push({ key: 'otel.status_description', type: 'string', value: message });
          if (code === 2) tags.push({ key: 'error', type: 'bool', value: true });
          if (span.traceState) tags.push({ key: 'w3c.tracestate', type: 'string', value: span.traceState });
          entry.spans.push({
            traceID: span.traceId,
            spanID: span.spanId,
            operationName: span.name,
            references: span.parentSpanId
              ? [{ refType: 'CHILD_OF', traceID: span.traceId, spanID: span.parentSpanId }]
              : [],
            flags: (span.flags || 0) & 0xff,
            startTime: micros(span.startTimeUnixNano),
            duration: micros(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)),
            tags,
            logs: [],
            processID: entry.ids.get(processKey),
            warnings: null,
          });
        }
      }
    }
  }
  return {
    data: [...traces.values()].map(({ traceID, spans, processes }) => ({ traceID, spans, processes, warnings: null })),
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
  };
}

module.exports = { toJaeger };
