import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { SpanKind, trace, type Attributes, type Context, type Link, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  SamplingDecision,
  type ReadableSpan,
  type Sampler,
  type SamplingResult,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { spanFromReadable, type Span } from '../../model';
import { MemberTraceState, traceStateMembers } from './member-trace-state';

/** The tracestate key each first-party service sets on its SERVER span (§3.5: vendors add their own key). */
export const TRACESTATE_KEY = 'tracehop';

/**
 * Records every span, and keeps an unsampled parent's flag: a hop that received sampled=0 records a span
 * whose flags say so, which is how `sampling-mismatch` becomes visible. A first-party service puts its own
 * tracestate member in front on every CLIENT span (so each call it makes carries one), and on its SERVER
 * span only when tracestate arrived or the trace starts there: a SERVER span whose caller's tracestate was
 * stripped keeps none, so the spans alone show the lost header (`tracehop check` on a `serve` dump), as
 * the capture log does in a live run.
 */
class RecordingSampler implements Sampler {
  constructor(
    private readonly service: string,
    private readonly firstParty: boolean,
  ) {}

  shouldSample(
    context: Context,
    _traceId: string,
    _name: string,
    kind: SpanKind,
    _attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    const parent = trace.getSpanContext(context);
    const decision =
      parent && (parent.traceFlags & 1) === 0 ? SamplingDecision.RECORD : SamplingDecision.RECORD_AND_SAMPLED;
    if ((kind !== SpanKind.SERVER && kind !== SpanKind.CLIENT) || !this.firstParty) return { decision };
    const members = traceStateMembers(parent?.traceState);
    // A remote parent without tracestate: the span keeps the empty state that arrived (the SDK's own rule).
    if (kind === SpanKind.SERVER && parent?.isRemote === true && members.length === 0) return { decision };
    return { decision, traceState: new MemberTraceState(members).set(TRACESTATE_KEY, this.service) };
  }

  toString(): string {
    return 'TracehopRecordingSampler';
  }
}

/**
 * Hands every ended span, sampled or not, to the store as our model `Span`, with whether its parent was remote
 * as the JS SDK's OTLP exporter writes it for the spans the receiver takes (`flags` bits 8-9 on every span):
 * true for a SERVER span continuing its caller's context, false for a span whose parent is local or that has
 * none. So a mock service's spans read as an instrumented service's do, on the spans URL and when forwarded.
 */
class StoreSpanProcessor implements SpanProcessor {
  constructor(private readonly onSpan: (span: Span) => void) {}

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const parentIsRemote = span.parentSpanContext?.isRemote === true;
    this.onSpan({ ...spanFromReadable(span, { file: 'tracehop-backend' }), parentIsRemote });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One service's tracer: its own provider with resource `service.name`. */
export interface ServiceTracer {
  readonly tracer: Tracer;
  shutdown(): Promise<void>;
}

/** Creates the tracer of one mock service; its ended spans go to `onSpan`. */
export function createServiceTracer(service: string, firstParty: boolean, onSpan: (span: Span) => void): ServiceTracer {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    sampler: new RecordingSampler(service, firstParty),
    spanProcessors: [new StoreSpanProcessor(onSpan)],
  });
  return { tracer: provider.getTracer('tracehop-backend'), shutdown: () => provider.shutdown() };
}
