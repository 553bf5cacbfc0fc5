/**
 * The capture log: every request a mock service received, as it arrived. Written by the backend, read by
 * the runtime checks (`header-span-mismatch`, `invalid-header`, `leaked-header`) and the reports.
 */

/** One header line as received: name lowercased, value verbatim. Duplicates are separate entries. */
export type HeaderEntry = readonly [name: string, value: string];

/** One inbound request a mock service received, as it arrived (the capture log entry). */
export interface CapturedRequest {
  /** Sequence number within one backend, starting at 1. */
  readonly seq: number;
  /** Name of the service (topology host) that received the request. */
  readonly service: string;
  /** True when the receiving host is first-party (allowed to receive trace headers). */
  readonly firstParty: boolean;
  readonly method: string;
  /** Path and query, e.g. "/checkout?x=1". */
  readonly path: string;
  /**
   * Every header in arrival order, duplicates kept; over HTTP/2 led by its pseudo-headers (`:method`, `:path`,
   * `:authority`, `:scheme`) as they arrived.
   */
  readonly headers: readonly HeaderEntry[];
  /** Unix epoch milliseconds when the request arrived. */
  readonly timeMs: number;
  /** Span id of the SERVER span the service started for this request, if any. */
  readonly serverSpanId?: string;
  /** Trace id of that SERVER span, if any. */
  readonly serverTraceId?: string;
  /**
   * The answer, for the requests whose answer a verdict needs: CORS preflights (the browser sends the
   * request only if the answer allows its headers), redirects (the follow-up is a separate request), and
   * requests the service has no route for (404, or 405 for a method it cannot serve, or a gRPC call, answered
   * 200 with `grpc-status` 12: no span is made).
   */
  readonly response?: CapturedResponse;
}

/** A status and the header lines answered, names lowercased. */
export interface CapturedResponse {
  readonly status: number;
  readonly headers: readonly HeaderEntry[];
}
