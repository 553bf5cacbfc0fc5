import type { Span } from '../model';
import { journeysByTrace, runsFromSpans, undeclaredJourneyNames } from './otlp-runs';
import { sampleJourneySpecs, sampleRun } from './test-support/sample-runs';

const spec = sampleJourneySpecs();
const AT = '2026-11-26T02:00:00.000Z';

describe('runsFromSpans', () => {
  it('gives a trace tagged with a journey to that journey only; an untagged one only to journeys the dump names', () => {
    const login = sampleRun('login', 1).spans.map((span) =>
      span.parentSpanId === undefined ? { ...span, attributes: { ...span.attributes, 'app.journey': 'login' } } : span,
    );
    const untagged = sampleRun('search-retry', 2).spans;
    const runs = runsFromSpans(spec, [...login, ...untagged], { recordedAt: AT, source: 'staging' });
    // Journeys no trace names never ran: their runs would be judged on other journeys' traces.
    expect(runs.map((run) => [run.journey, run.runId, run.source, run.spans.length])).toEqual([
      ['login', 'login-otlp-staging', 'otlp', login.length + untagged.length],
    ]);
  });

  it('gives an untagged trace to the journey its root span is named after; a tag on any span wins', () => {
    const named = sampleRun('login', 1).spans.map((span) =>
      span.parentSpanId === undefined ? { ...span, name: 'login' } : span,
    );
    const taggedElsewhere = sampleRun('search-retry', 2).spans.map((span) =>
      span.parentSpanId === undefined
        ? { ...span, name: 'checkout', attributes: { ...span.attributes, 'tracehop.journey': 'search-retry' } }
        : span,
    );
    const spans = [...named, ...taggedElsewhere];
    const owners = journeysByTrace(spec, spans);
    expect(Object.fromEntries([...owners].map(([traceId, names]) => [traceId, [...names]]))).toEqual({
      [named[0]?.traceId ?? '']: ['login'],
      [taggedElsewhere[0]?.traceId ?? '']: ['search-retry'],
    });
    const runs = runsFromSpans(spec, spans, { recordedAt: AT });
    // Journeys no trace belongs to did not run: no run for them (the coverage says "never ran").
    expect(runs.map((run) => [run.journey, run.spans.length])).toEqual([
      ['login', named.length],
      ['search-retry', taggedElsewhere.length],
    ]);
  });

  it("ignores a tag naming a journey that is not declared, and keeps only problems of the run's traces", () => {
    const spans = sampleRun('login', 1).spans.map((span) => ({
      ...span,
      attributes: { ...span.attributes, 'tracehop.journey': 'signup' },
    }));
    const problem = {
      kind: 'orphan-span' as const,
      traceId: spans[0]!.traceId,
      spanId: spans[0]!.spanId,
      service: 'mobile-app',
      message: 'm',
      missingParentSpanId: spans[0]!.spanId,
    };
    const elsewhere = { ...problem, traceId: sampleRun('login', 9).spans[0]!.traceId };
    const runs = runsFromSpans(spec, spans, { recordedAt: AT, problems: [problem, elsewhere] });
    expect(runs.map((run) => [run.journey, run.spans.length, run.problems.length])).toEqual([
      ['checkout', 5, 1],
      ['login', 5, 1],
      ['search-retry', 5, 1],
      ['offline-replay', 5, 1],
      ['privacy', 5, 1],
    ]);
  });

  it('gives a trace naming two journeys to both of them, and to no other journey', () => {
    // A replayed order continues the queuing checkout's trace: the root names checkout, the replay's CLIENT span offline-replay.
    const checkout = sampleRun('checkout', 3).spans.map((span) => {
      if (span.parentSpanId === undefined)
        return { ...span, attributes: { ...span.attributes, 'app.journey': 'checkout' } };
      if (span.service === 'mobile-app')
        return { ...span, attributes: { ...span.attributes, 'app.journey': 'offline-replay' } };
      return span;
    });
    const untagged = sampleRun('search-retry', 4).spans;
    const runs = runsFromSpans(spec, [...checkout, ...untagged], { recordedAt: AT });
    expect(runs.map((run) => [run.journey, run.spans.length])).toEqual([
      ['checkout', checkout.length + untagged.length],
      ['offline-replay', checkout.length + untagged.length],
    ]);
  });

  it("leaves out of a journey's run the untagged traces that cannot be a piece of it: a backend's own job", () => {
    const login = sampleRun('login', 7).spans.map((span) =>
      span.parentSpanId === undefined ? { ...span, attributes: { ...span.attributes, 'app.journey': 'login' } } : span,
    );
    // A cron job of auth-service (an INTERNAL root calling on), and a split-off auth-service SERVER span.
    const job = sampleRun('login', 8).spans.map((span) =>
      span.parentSpanId === undefined ? { ...span, service: 'auth-service', kind: 'internal' as const } : span,
    );
    const fragment = { ...(sampleRun('login', 9).spans.find((span) => span.service === 'auth-service') as Span) };
    delete (fragment as { parentSpanId?: unknown }).parentSpanId;
    const runs = runsFromSpans(spec, [...login, ...job, fragment], { recordedAt: AT });
    expect(runs.map((run) => [run.journey, run.spans.length])).toEqual([['login', login.length + 1]]);
  });

  it("counts tracehop.journey before app.journey on one span, and a span's undeclared tracehop.journey not at all", () => {
    const [root, ...rest] = sampleRun('login', 5).spans;
    const retagged = {
      ...root!,
      attributes: { ...root!.attributes, 'tracehop.journey': 'privacy', 'app.journey': 'login' },
    };
    const [second, ...others] = sampleRun('search-retry', 6).spans;
    const undeclared = {
      ...second!,
      attributes: { ...second!.attributes, 'tracehop.journey': 'signup', 'app.journey': 'search-retry' },
    };
    const runs = runsFromSpans(spec, [retagged, ...rest, undeclared, ...others], { recordedAt: AT });
    expect(runs.map((run) => [run.journey, run.spans.length])).toEqual([
      ['search-retry', 1 + others.length],
      ['privacy', 1 + rest.length],
    ]);
  });
});

describe('undeclaredJourneyNames', () => {
  it('counts the traces that give an undeclared name and name no declared journey otherwise', () => {
    const tag = (spans: readonly Span[], name: string, rootName?: string): Span[] =>
      spans.map((span) =>
        span.parentSpanId === undefined
          ? {
              ...span,
              ...(rootName ? { name: rootName } : {}),
              attributes: { ...span.attributes, 'app.journey': name },
            }
          : span,
      );
    // Tagged "Checkout" but rooted at a span named after a declared journey: judged as that journey.
    const named = tag(sampleRun('checkout', 1).spans, 'Checkout', 'checkout');
    const misspelt = tag(sampleRun('checkout', 2).spans, 'Checkout', 'PlaceOrderScreen');
    expect([...undeclaredJourneyNames(spec, [...named, ...misspelt])]).toEqual([['Checkout', 1]]);
  });
});
