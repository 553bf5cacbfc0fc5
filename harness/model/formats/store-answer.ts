/**
 * What a trace store's API answer says about itself beside its traces: an error answered instead of traces
 * (Jaeger's `{"data": null, "errors": [...]}`, its api/v3 `{"error": {...}}`, the last chunk of an api/v3
 * stream cut short), or an answer that says it left spans out (Grafana Tempo's `/api/v2/traces/{id}` with
 * `"status": "PARTIAL"`, Jaeger's `/api/traces` with `errors` beside its `data`). A file of such answers is
 * read for the traces it holds, and a note says what they left out (json-dump-session.ts). A search answer
 * (Tempo's `/api/search`) holds no whole traces: it is refused with the ids to fetch.
 */
import { isRecord } from './json-fault';

/** The text of an error a trace store's API answered instead of traces: a string, or a message under a code. */
function errorText(error: unknown): string | undefined {
  if (typeof error === 'string') return error === '' ? undefined : error;
  if (!isRecord(error)) return undefined;
  const message = [error.message, error.msg].find((text) => typeof text === 'string' && text !== '');
  if (typeof message !== 'string') return undefined;
  const code = [error.httpCode, error.code].find((value) => typeof value === 'number' || typeof value === 'string');
  return code !== undefined ? `${String(code)} ${message}` : message;
}

/** The texts of a Jaeger `errors` list, joined, or undefined when it names none. */
function errorsText(errors: unknown): string | undefined {
  if (!Array.isArray(errors)) return undefined;
  const texts = errors.map(errorText).filter((text) => text !== undefined);
  return texts.length > 0 ? texts.join('; ') : undefined;
}

/**
 * The error in a trace store's error answer, or undefined: Jaeger's `{"data": null, "errors": [{"code": 404,
 * "msg": "trace not found"}]}`, its api/v3 (grpc-gateway) `{"error": {"httpCode": 404, "message": ...}}`,
 * or any `{"error": "..."}`.
 */
export function errorResponseOf(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  return errorsText(value.errors) ?? errorText(value.error);
}

/** What an answer left out, as "the document is ..." goes on, and how to get it all. */
export interface LeftOut {
  readonly what: string;
  readonly refetch: string;
}

/** Tempo's PARTIAL trace (in JSON or protobuf), with the message that says why. */
export function tempoPartial(message: string): LeftOut {
  const why = message !== '' ? ` (${JSON.stringify(message)})` : '';
  return {
    what: `Grafana Tempo's PARTIAL trace${why}`,
    refetch: 'fetch the trace from Tempo again with a larger max_bytes_per_trace and no q filter',
  };
}

/**
 * What an answer that holds traces says it left out, or undefined: Tempo's PARTIAL trace (cut at its size
 * limit, filtered by `q`, or pruned) and Jaeger's errors beside its traces (a trace of several asked for not
 * found).
 */
export function leftOutOf(value: unknown): LeftOut | undefined {
  if (!isRecord(value)) return undefined;
  if (isRecord(value.trace) && (value.status === 'PARTIAL' || value.status === 1))
    return tempoPartial(typeof value.message === 'string' ? value.message : '');
  const errors = Array.isArray(value.data) && value.data.length > 0 ? errorsText(value.errors) : undefined;
  if (errors === undefined) return undefined;
  return {
    what: `Jaeger's answer with errors beside its traces (${JSON.stringify(errors)})`,
    refetch: 'fetch the traces the errors name again',
  };
}

/** What a search answer is and what to fetch instead, when the document is one rather than traces. */
export interface SearchAnswer {
  readonly what: string;
  readonly fetch: string;
}

/**
 * Grafana Tempo's search answer (`/api/search`, TraceQL): `{"traces": [{"traceID", "rootServiceName",
 * "spanSets": [...]}], "metrics": {...}}`, trace ids with the spans that matched, not whole traces. Undefined
 * for anything else.
 */
export function searchAnswerOf(value: unknown): SearchAnswer | undefined {
  if (!isRecord(value) || !Array.isArray(value.traces) || 'resourceSpans' in value || 'batches' in value)
    return undefined;
  const traces: unknown[] = value.traces;
  const ids = traces.map((trace) => (isRecord(trace) ? trace.traceID : undefined));
  if (!ids.every((id) => typeof id === 'string')) return undefined;
  if (traces.length === 0 && !isRecord(value.metrics)) return undefined;
  const shown = ids.slice(0, 3).join(', ') + (ids.length > 3 ? `, and ${ids.length - 3} more` : '');
  return {
    what:
      ids.length === 0
        ? 'a Grafana Tempo search answer (/api/search, TraceQL) that found no traces'
        : `a Grafana Tempo search answer (/api/search, TraceQL): ${ids.length} trace ${ids.length === 1 ? 'id' : 'ids'} with the spans that matched, not whole traces`,
    fetch:
      ids.length === 0
        ? 'Search again (check the query and time range), then fetch each trace it finds whole with GET /api/v2/traces/<traceID> and check those answers.'
        : `Fetch each trace whole with GET /api/v2/traces/<traceID> (or /api/traces/<traceID>) for the ids it lists (${shown}) and check those answers.`,
  };
}
