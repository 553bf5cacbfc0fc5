import { TRACE_HEADER_NAMES } from './extract';
import { isTraceContextHeader, OTHER_TRACE_HEADER_NAMES } from './other-propagators';

describe('isTraceContextHeader', () => {
  it("knows tracehop's own headers and other propagators' in any case, Jaeger's baggage by its prefix", () => {
    const names = ['traceparent', 'TraceState', 'X-B3-Sampled', 'X-Amzn-Trace-Id', 'uber-trace-id', 'uberctx-user'];
    expect(names.map(isTraceContextHeader)).toEqual([true, true, true, true, true, true]);
  });

  it('refuses headers that carry no trace context, however close their names', () => {
    const names = ['content-type', 'x-request-id', 'traceparent2', 'uberctx', 'x-datadog-sampling-priority', ''];
    expect(names.map(isTraceContextHeader)).toEqual([false, false, false, false, false, false]);
  });

  it('lists every other propagator lowercase, none of them also a header tracehop decodes', () => {
    expect(
      OTHER_TRACE_HEADER_NAMES.filter(
        (name) => name !== name.toLowerCase() || (TRACE_HEADER_NAMES as readonly string[]).includes(name),
      ),
    ).toEqual([]);
  });
});
