import { SHARED_SPAN_ID, type Span, type Trace } from '../../model';

/**
 * The headers a hop's trace context travels in, as the spans tell: `b3` when a span of the hop's services is
 * a B3 shared SERVER span (only B3 lets a server join its caller's span id), `b3-read` when that span is the
 * callee's own (it reads B3, so a W3C-only tracer is not why it missed them); `b3-or-traceparent` when one was
 * read from Zipkin JSON (Zipkin clients send B3; OpenTelemetry SDKs with a Zipkin exporter send W3C
 * traceparent); `traceparent` otherwise.
 */
export type ContextHeaders = 'traceparent' | 'b3' | 'b3-read' | 'b3-or-traceparent';

/** What the spans show of a hop's two services: which has a B3 shared span, whether any was read from Zipkin. */
interface HopEvidence {
  readonly callerB3: boolean;
  readonly calleeB3: boolean;
  readonly zipkin: boolean;
}

function contextHeaders({ callerB3, calleeB3, zipkin }: HopEvidence): ContextHeaders {
  return calleeB3 ? 'b3-read' : callerB3 ? 'b3' : zipkin ? 'b3-or-traceparent' : 'traceparent';
}

/** What {@link ContextHeaders} the spans of the hop `caller` -> `callee` among `spans` show. */
export function contextHeadersOf(spans: Iterable<Span>, caller: string, callee: string): ContextHeaders {
  let callerB3 = false;
  let calleeB3 = false;
  let zipkin = false;
  for (const span of spans) {
    if (span.service !== caller && span.service !== callee) continue;
    if (span.attributes[SHARED_SPAN_ID] !== undefined) {
      if (span.service === callee) calleeB3 = true;
      else callerB3 = true;
    }
    if (span.source?.format === 'zipkin') zipkin = true;
  }
  return contextHeaders({ callerB3, calleeB3, zipkin });
}

/** The words of chain verdicts for a hop's {@link ContextHeaders}. */
export interface HeaderWords {
  /** What a caller did not send: "traceparent", "the B3 headers (...)". */
  readonly headers: string;
  /** How a callee that does not read them is described: "did not read it, as an SDK ... does". */
  readonly unread: string;
  /** What a caller sent that named another trace: "a traceparent", "B3 headers". */
  readonly other: string;
  /** What the app should send its callee: "one valid W3C traceparent". */
  readonly send: string;
  /**
   * What the callee's SDK should be set to read, for a fix: "set the W3C TraceContext propagator in"; absent
   * when its spans show it reads them already.
   */
  readonly read?: string;
}

const WORDS: Readonly<Record<ContextHeaders, HeaderWords>> = {
  traceparent: {
    headers: 'traceparent',
    unread: 'did not read it, as an SDK with no W3C propagator set does',
    other: 'a traceparent',
    send: 'one valid W3C traceparent',
    read: 'set the W3C TraceContext propagator in',
  },
  b3: {
    headers: 'the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3)',
    unread: 'did not read them, as a tracer that reads W3C traceparent only does',
    other: 'B3 headers',
    send: 'valid B3 headers',
    read: 'set B3 propagation in',
  },
  'b3-read': {
    headers: 'the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3)',
    unread: 'did not read them this time, though a B3 shared span of its shows it reads B3',
    other: 'B3 headers',
    send: 'valid B3 headers',
  },
  'b3-or-traceparent': {
    headers: 'the trace context (B3 or traceparent headers)',
    unread: 'did not read it, as a tracer that reads the other format only does',
    other: 'a trace context (B3 or traceparent)',
    send: 'one valid trace context (B3 headers or a W3C traceparent, the format its callee reads)',
    read: 'set the same propagation format (B3 or W3C TraceContext) in',
  },
};

/** The words for the hop `caller` -> `callee`, from what the spans of both among `spans` show. */
export function headerWords(spans: Iterable<Span>, caller: string, callee: string): HeaderWords {
  return WORDS[contextHeadersOf(spans, caller, callee)];
}

/**
 * What each service's spans in the whole dump show of its headers, so every verdict on one hop names the same
 * ones: a service with a B3 shared SERVER span in any trace reads B3, whichever trace a verdict is about
 * (a callee's own such span: the sound run shows it reads B3, so a broken run's verdict does not blame a
 * tracer that reads W3C only).
 * Read once, when the first verdict asks.
 */
export class HopHeaders {
  private seen: { readonly b3: Set<string>; readonly zipkin: Set<string> } | undefined;

  constructor(private readonly traces: readonly Trace[]) {}

  /** The words for the hop `caller` -> `callee`. */
  words(caller: string, callee: string): HeaderWords {
    const seen = (this.seen ??= this.read());
    return WORDS[
      contextHeaders({
        callerB3: seen.b3.has(caller),
        calleeB3: seen.b3.has(callee),
        zipkin: seen.zipkin.has(caller) || seen.zipkin.has(callee),
      })
    ];
  }

  private read(): { b3: Set<string>; zipkin: Set<string> } {
    const b3 = new Set<string>();
    const zipkin = new Set<string>();
    for (const trace of this.traces)
      for (const span of trace.spans) {
        if (span.attributes[SHARED_SPAN_ID] !== undefined) b3.add(span.service);
        if (span.source?.format === 'zipkin') zipkin.add(span.service);
      }
    return { b3, zipkin };
  }
}
