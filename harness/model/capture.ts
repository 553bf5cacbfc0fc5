/**
 * The capture log: every request a mock service received, as it arrived. Written by the backend, read by
 * the runtime checks (`header-span-mismatch`, `invalid-header`, `leaked-header`) and the reports.
 */

/** One header line as received: name lowercased, value verbatim. Duplicates are separate entries. */
export type HeaderEntry = readonly [name: string, value: string];

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
  /** Every header in arrival order, duplicates kept. */
  readonly headers: readonly HeaderEntry[];
  /** Unix epoch milliseconds when the request arrived. */
  readonly timeMs: number;
  /** Span id of the SERVER span the service started for this request, if any. */
  readonly serverSpanId?: string;
  /** Trace id of that SERVER span, if any. */
  readonly serverTraceId?: string;
}
