/**
 * What a trace store's API answer says about itself beside its traces: an error answered instead of traces
 * (Jaeger's `{"data": null, "errors": [...]}`, its api/v3 `{"error": {...}}`, the last chunk of an api/v3
 * stream cut short), or an answer that says it left spans out (Grafana Tempo's `/api/v2/traces/{id}` with
 * `"status": "PARTIAL"`, Jaeger's `/api/traces` with `errors` beside its `data`). A file of such answers is
 * read for the traces it holds, and a note says what they left out (json-dump-session.ts). A search answer
 * (Tempo's `/api/search`, Jaeger's `/api/v3/trace-summaries`) holds no whole traces: it is refused with the ids to
 * fetch.
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

/** A search answer's store, the list its traces sit in, the id field, its name and how to fetch a trace. */
const SEARCHES = [
  {
    list: 'traces',
    id: 'traceID',
    what: 'a Grafana Tempo search answer (/api/search, TraceQL)',
    fetch: 'GET /api/v2/traces/<traceID> (or /api/traces/<traceID>)',
  },
  {
    list: 'summaries',
    id: 'traceId',
    what: 'a Jaeger trace summary answer (/api/v3/trace-summaries)',
    fetch: 'GET /api/v3/traces/<traceID>',
  },
] as const;

/**
 * A search answer: Grafana Tempo's (`/api/search`, TraceQL: `{"traces": [{"traceID", "rootServiceName",
 * "spanSets": [...]}], "metrics": {...}}`), or Jaeger's trace summaries (`/api/v3/trace-summaries`:
 * `{"summaries": [{"traceId", "rootServiceName", "spanCount", ...}]}`): trace ids with what matched or a
 * summary, not whole traces. Undefined for anything else.
 */
export function searchAnswerOf(value: unknown): SearchAnswer | undefined {
  if (!isRecord(value) || 'resourceSpans' in value || 'batches' in value || 'data' in value) return undefined;
  for (const search of SEARCHES) {
    const list = value[search.list];
    if (!Array.isArray(list)) continue;
    const ids = list.map((trace: unknown) => (isRecord(trace) ? trace[search.id] : undefined));
    if (!ids.every((id) => typeof id === 'string')) continue;
    if (ids.length === 0 && Object.keys(value).length === 1 && search.list === 'traces') continue;
    const shown = ids.slice(0, 3).join(', ') + (ids.length > 3 ? `, and ${ids.length - 3} more` : '');
    const cut = search.list === 'traces' ? searchCut(value.metrics, ids.length) : undefined;
    if (ids.length === 0)
      return {
        what: `${search.what} that found no traces${cut !== undefined ? `, ${cut.what}` : ''}`,
        fetch: `Search again (${cut !== undefined ? cut.again : 'check the query and time range'}), then fetch each trace it finds whole with ${search.fetch} and check those answers.`,
      };
    return {
      what: `${search.what}: ${ids.length} trace ${ids.length === 1 ? 'id' : 'ids'} with what matched, not whole traces${cut !== undefined ? `, ${cut.what}` : ''}`,
      fetch: `Fetch each trace whole with ${search.fetch} for the ids it lists (${shown}) and check those answers${cut !== undefined ? `; search again first (${cut.again}), since it may not list every trace that matches` : ''}.`,
    };
  }
  return undefined;
}

/** Traces a Tempo search lists at most unless its `limit` says otherwise (the query frontend's default_result_limit). */
const TEMPO_SEARCH_LIMIT = 20;

/**
 * How a Tempo search answer says it may have missed traces, and how to search again: its query frontend finished
 * fewer jobs than it planned (`metrics.completedJobs` below `metrics.totalJobs`: a search cut short, as a
 * streamed answer saved before its end is), or it lists as many traces as the default limit. Undefined otherwise.
 */
function searchCut(metrics: unknown, listed: number): { what: string; again: string } | undefined {
  if (isRecord(metrics)) {
    const done = Number(metrics.completedJobs ?? 0);
    const total = Number(metrics.totalJobs ?? 0);
    if (Number.isInteger(done) && Number.isInteger(total) && done < total)
      return {
        what: `from a search cut short (${done} of its ${total} jobs done)`,
        again: 'a narrower time range, or wait for the whole answer',
      };
  }
  if (listed === TEMPO_SEARCH_LIMIT)
    return {
      what: `as many as Tempo lists by default (limit=${TEMPO_SEARCH_LIMIT})`,
      again: 'with a larger limit=',
    };
  return undefined;
}

/**
 * Whether the document is a chunk of Jaeger's api_v2 gRPC answer (`SpansResponseChunk`, as grpcurl prints
 * `jaeger.api_v2.QueryService/GetTrace`): `{"spans": [{"traceId", "spanId", "operationName", "startTime":
 * "2026-...Z", "duration": "0.005s", "process": {...}}]}`, base64 ids and protobuf JSON times, which the
 * Jaeger reader (the HTTP API's JSON) does not take.
 */
export function isJaegerGrpcChunk(value: unknown): boolean {
  if (!isRecord(value) || !Array.isArray(value.spans) || Object.keys(value).length !== 1) return false;
  const first: unknown = value.spans[0];
  return isRecord(first) && typeof first.operationName === 'string' && typeof first.spanId === 'string';
}
