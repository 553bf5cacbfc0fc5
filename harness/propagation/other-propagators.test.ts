import { TRACE_HEADER_NAMES } from './extract';
import { isTraceContextHeader, OTHER_TRACE_HEADER_NAMES, otherTraceHeader } from './other-propagators';

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

describe('otherTraceHeader', () => {
  it("names the first other propagator's header in arrival order, in any case, and who writes it", () => {
    const headers: [string, string][] = [
      ['content-type', 'application/json'],
      ['B3', '0'],
      ['Uber-Trace-Id', '4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:01'],
      ['x-datadog-trace-id', '1'],
    ];
    expect(otherTraceHeader(headers)).toEqual({ name: 'uber-trace-id', propagator: "Jaeger's (JaegerPropagator)" });
  });

  it("finds none among W3C's and B3's headers, Jaeger's baggage alone, or none at all", () => {
    const headers: [string, string][] = [
      ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
      ['x-b3-traceid', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['uberctx-user', 'x'],
    ];
    expect([otherTraceHeader(headers), otherTraceHeader([])]).toEqual([undefined, undefined]);
  });

  it('names a propagator for every other header', () => {
    const unnamed = OTHER_TRACE_HEADER_NAMES.filter((name) => otherTraceHeader([[name, '']])?.name !== name);
    expect(unnamed).toEqual([]);
  });
});
