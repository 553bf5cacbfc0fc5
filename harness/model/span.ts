import type { SpanId, TraceId } from './ids';

/** OTLP span kinds, lowercased. */
export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** An attribute value as plain JSON: scalars, lists and key-value maps (OTLP AnyValue). */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** A span's, resource's or event's attributes by key. */
export type Attributes = Record<string, AttributeValue>;

/** Where a span was read from, so messages can point at it. */
export interface SpanSource {
  /** File name or other label of the input (e.g. "dump.jsonl", "otlp-receiver"). */
  readonly file: string;
  /** 1-based line for JSON Lines input; absent for single documents. */
  readonly line?: number;
  /**
   * `zipkin` for a span read from Zipkin JSON: its client propagated B3 headers, or W3C traceparent (the
   * OpenTelemetry SDKs' Zipkin exporters), so verdicts name both. Absent for the other formats.
   */
  readonly format?: 'zipkin';
}

/**
 * One span, decoded from OTLP or recorded by the mock backend. Plain data: safe to copy, compare and
 * serialize with JSON.stringify.
 */
export interface Span {
  readonly traceId: TraceId;
  readonly spanId: SpanId;
  /** Absent for a root span. */
  readonly parentSpanId?: SpanId;
  readonly name: string;
  readonly kind: SpanKind;
  /**
   * `service.name` of the span's resource; "unknown_service" when the resource has none. Controls, line
   * separators and bidirectional overrides in it are written as `\uXXXX`, so printing it is safe.
   */
  readonly service: string;
  /**
   * Unix epoch milliseconds (fractional part keeps sub-millisecond precision); 0, and `endTimeMs` 0, when the
   * input gave the span no time (see hasTime in span-time.ts).
   */
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly attributes: Attributes;
  /** W3C trace flags (bit 0 = sampled, bit 1 = random) when known, e.g. from OTLP `flags` bits 0-7. */
  readonly traceFlags?: number;
  /**
   * W3C tracestate header value carried by the span: `''` when the input records trace state and the span's
   * is empty (OTLP, the OpenTelemetry SDK's own spans); absent when the input cannot say (Zipkin, Jaeger
   * without a `w3c.tracestate` tag, spans built by hand). Only a known empty one shows a lost tracestate.
   */
  readonly traceState?: string;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  readonly statusCode?: number;
  /**
   * The status message of an ERROR span (`statusCode` 2): OTLP `status.message`, Zipkin's `error` tag, Jaeger's
   * `otel.status_description`, Go's `Status.Description`, Python's `status.description`, e.g. "connect
   * ECONNREFUSED 127.0.0.1:8080". Absent for any other span and for an empty message, so spans that did not fail
   * do not grow (see errorStatusMessage).
   */
  readonly statusMessage?: string;
  /**
   * What the `exception` events of an ERROR span say, in the order recorded: OpenTelemetry SDKs record an error
   * so (`recordException`), and many leave the status message empty (Java, .NET, Python's `record_exception`).
   * Read from OTLP events, Jaeger logs, Zipkin annotations, Go's `Events` and Python's `events`. Absent for any
   * other span and for one that recorded none, as `statusMessage` is.
   */
  readonly exceptions?: readonly SpanException[];
  /** Links to other spans; absent when the span has none (all-zero link ids read as no link). */
  readonly links?: readonly SpanLink[];
  readonly source?: SpanSource;
  /**
   * Whether the span's parent was remote (OTLP `flags` bit 9, `SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK`), when the
   * writer said (bit 8, `SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK`). Kept by the OTLP receiver's decoders
   * (decodeOtlpJsonExport, decodeOtlpProtobuf) and set on the mock backend's own spans (true for a SERVER span
   * continuing its caller's context, false for any other, as the JS SDK's exporter writes it); absent from spans
   * read from files.
   */
  readonly parentIsRemote?: boolean;
  /** Every event of the span as received, in order; kept, as `parentIsRemote` is, by the receiver's decoders. */
  readonly events?: readonly SpanEvent[];
  /**
   * The resource and instrumentation scope the span was received under: one object shared by every span of
   * one ScopeSpans (and its resource by every scope of one ResourceSpans), never a copy per span. Kept, as
   * `parentIsRemote` is, by the receiver's decoders.
   */
  readonly origin?: SpanOrigin;
}

/** One OTLP `Span.Event`: its name, time and attributes (absent when it has none). */
export interface SpanEvent {
  readonly name: string;
  /** Unix epoch milliseconds, as Span.startTimeMs; 0 when the event has no time. */
  readonly timeMs: number;
  readonly attributes?: Attributes;
}

/** What an OTLP ResourceSpans and ScopeSpans say about their spans (see Span.origin). */
export interface SpanOrigin {
  /** The resource's attributes, `service.name` among them when it has one. */
  readonly resource: { readonly attributes: Attributes };
  /** The InstrumentationScope: its name ('' when none), version and attributes when given. */
  readonly scope: SpanScope;
}

/** An OTLP InstrumentationScope. */
export interface SpanScope {
  readonly name: string;
  readonly version?: string;
  readonly attributes?: Attributes;
}

/** One `exception` event of a span: its `exception.type` and `exception.message`, each when written. */
export interface SpanException {
  readonly type?: string;
  readonly message?: string;
}

/**
 * A link from a span to another span it relates to without being its child (OTLP `Span.Link`, a Jaeger
 * FOLLOWS_FROM reference that is not the parent, a batch consumer's link to a producer).
 */
export interface SpanLink {
  readonly traceId: TraceId;
  readonly spanId: SpanId;
  /** Present only when the link carries attributes. */
  readonly attributes?: Attributes;
}

/** A node of a trace tree. `children` are ordered by start time, then span id. */
export interface SpanNode {
  readonly span: Span;
  readonly children: SpanNode[];
}
