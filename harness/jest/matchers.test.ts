import { stripVTControlCharacters } from 'node:util';
import type { MatcherContext } from 'expect';
import { makeSpan, type SpanSpec } from '../model/test-support/make-span';
import { spawnSync } from 'node:child_process';
import { expect as jestExpect } from '@jest/globals';
import { jestExpectFor } from './internal/jest-expect';
import { registerTracehopMatchers, tracehopMatchers, type ExtendableExpect, type TraceMatcherResult } from './matchers';

registerTracehopMatchers();

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api'];

function checkout(overrides: Partial<Record<string, Partial<SpanSpec>>> = {}) {
  const base: SpanSpec[] = [
    { id: 'a1', service: 'mobile-app', name: 'checkout', kind: 'internal', start: 0 },
    { id: 'a2', parent: 'a1', service: 'mobile-app', name: 'POST /checkout', kind: 'client', start: 1 },
    { id: 'b1', parent: 'a2', service: 'api-gateway', name: 'POST /checkout', kind: 'server', start: 2 },
    { id: 'b2', parent: 'b1', service: 'api-gateway', name: 'POST /payments', kind: 'client', start: 3 },
    { id: 'c1', parent: 'b2', service: 'payment-api', name: 'POST /payments', kind: 'server', start: 4 },
  ];
  return base.map((spec) => makeSpan({ ...spec, ...overrides[spec.id] }));
}

const broken = () => checkout({ c1: { trace: '2', parent: undefined } });

/** Calls a matcher directly and returns its message without colors. */
function messageOf(result: TraceMatcherResult): string {
  return stripVTControlCharacters(result.message());
}
const ctx = (isNot = false) => ({ isNot, promise: '' }) as MatcherContext;

/** The colourless message of the error `run` throws ('' when it does not throw). */
function matcherError(run: () => void): string {
  try {
    run();
  } catch (error) {
    return stripVTControlCharacters((error as Error).message);
  }
  return '';
}

describe('toFormOneTrace', () => {
  it('passes for one connected trace and fails for a split one', () => {
    expect(checkout()).toFormOneTrace();
    expect(broken()).not.toFormOneTrace();
  });

  it('explains a split trace with its trees', () => {
    expect(messageOf(tracehopMatchers.toFormOneTrace.call(ctx(), broken()))).toMatchInlineSnapshot(`
"expect(spans).toFormOneTrace()

Expected: spans forming one connected trace (one trace id, one root)
Received: 2 traces: 10000000 (4 spans, 1 top span), 20000000 (1 span, 1 top span)

trace 10000000 (4 spans)
└─ mobile-app "checkout" INTERNAL a1000000
   └─ mobile-app "POST /checkout" CLIENT a2000000
      └─ api-gateway "POST /checkout" SERVER b1000000
         └─ api-gateway "POST /payments" CLIENT b2000000

trace 20000000 (1 span)
└─ payment-api "POST /payments" SERVER c1000000"
`);
  });

  it('explains the .not case', () => {
    expect(messageOf(tracehopMatchers.toFormOneTrace.call(ctx(true), checkout()))).toMatchInlineSnapshot(`
"expect(spans).not.toFormOneTrace()

Expected: spans not forming one connected trace
Received: one trace, 10000000 (5 spans, 1 top span)"
`);
  });
});

describe('toPropagateThrough', () => {
  it('passes when one trace runs through the services in order', () => {
    expect(checkout()).toPropagateThrough(CHAIN);
    expect(checkout()).not.toPropagateThrough(['payment-api', 'mobile-app']);
    expect(broken()).not.toPropagateThrough(CHAIN);
  });

  it('names the broken hop and draws both traces', () => {
    const result = tracehopMatchers.toPropagateThrough.call(ctx(), broken(), CHAIN);
    expect([result.pass, result.actual, result.expected]).toEqual([false, ['broken-chain'], CHAIN]);
    expect(messageOf(result)).toMatchInlineSnapshot(`
"expect(spans).toPropagateThrough(services)

Expected: one trace running through mobile-app -> api-gateway -> payment-api
Received:
  ✗ broken-chain: api-gateway received the request but payment-api started a new trace (20000000 instead of 10000000): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does

trace 10000000 (4 spans)
└─ mobile-app "checkout" INTERNAL a1000000
   └─ mobile-app "POST /checkout" CLIENT a2000000
      └─ api-gateway "POST /checkout" SERVER b1000000
         └─ ✗ api-gateway "POST /payments" CLIENT b2000000  broken-chain (last hop in this trace)

trace 20000000 (1 span)
└─ ✗ payment-api "POST /payments" SERVER c1000000  broken-chain"
`);
  });

  it('explains the .not case', () => {
    expect(messageOf(tracehopMatchers.toPropagateThrough.call(ctx(true), checkout(), CHAIN))).toMatchInlineSnapshot(`
"expect(spans).not.toPropagateThrough(services)

Expected: no trace running through mobile-app -> api-gateway -> payment-api
Received: one trace runs through all of them"
`);
  });

  it.each([
    ['a string', 'mobile-app', 'Expected has type:  string\nExpected has value: "mobile-app"'],
    ['an empty list', [], 'Expected has type:  array\nExpected has value: []'],
    ['an empty name', ['mobile-app', ''], 'Expected has type:  array\nExpected has value: ["mobile-app", ""]'],
    [
      'a repeated name',
      ['mobile-app', 'mobile-app'],
      'Expected has type:  array\nExpected has value: ["mobile-app", "mobile-app"]',
    ],
  ])('throws a matcher error for services given as %s', (_name, services, received) => {
    expect(matcherError(() => expect(checkout()).toPropagateThrough(services as string[]))).toBe(
      'expect(spans).toPropagateThrough(services)\n\n' +
        'Matcher error: expected value must be a non-empty array of distinct, non-empty service names\n\n' +
        received,
    );
  });
});

describe('toHaveNoTraceProblems', () => {
  it('passes for a sound trace and fails for a wrong parent', () => {
    expect(checkout()).toHaveNoTraceProblems({ expect: CHAIN });
    expect(checkout({ c1: { parent: 'b1' } })).not.toHaveNoTraceProblems();
  });

  it('lists the problems and prints the tree on failure', () => {
    const result = tracehopMatchers.toHaveNoTraceProblems.call(ctx(), checkout({ c1: { parent: 'b1' } }));
    expect([result.pass, result.actual]).toEqual([false, ['wrong-parent']]);
    expect(messageOf(result)).toMatchInlineSnapshot(`
"expect(spans).toHaveNoTraceProblems(options)

Expected: no trace problems
Received: 1 in 1 trace, 5 spans
  ✗ wrong-parent: payment-api "POST /payments" (c1000000) is parented to api-gateway's SERVER span "POST /checkout" (b1000000) instead of its CLIENT span "POST /payments" (b2000000): api-gateway injected the context of its incoming request instead of the span of its outgoing call (inject from the CLIENT span's context, after starting it)

trace 10000000 (5 spans)
└─ mobile-app "checkout" INTERNAL a1000000
   └─ mobile-app "POST /checkout" CLIENT a2000000
      └─ api-gateway "POST /checkout" SERVER b1000000
         ├─ api-gateway "POST /payments" CLIENT b2000000
         └─ ✗ payment-api "POST /payments" SERVER c1000000  wrong-parent"
`);
  });

  it.each([false, true])(
    'throws a matcher error for no spans (isNot %s) instead of passing with nothing verified',
    (isNot) => {
      expect(
        matcherError(() => (isNot ? expect([]).not.toHaveNoTraceProblems() : expect([]).toHaveNoTraceProblems())),
      ).toBe(
        `expect(spans).${isNot ? 'not.' : ''}toHaveNoTraceProblems(options)\n\n` +
          'Matcher error: received value holds no spans, so there is nothing to verify\n\n' +
          'Check that the app and services exported their spans, and wait for them (store.waitFor) before reading the store.',
      );
    },
  );

  it('explains the .not case', () => {
    expect(messageOf(tracehopMatchers.toHaveNoTraceProblems.call(ctx(true), checkout()))).toMatchInlineSnapshot(`
"expect(spans).not.toHaveNoTraceProblems(options)

Expected: at least one trace problem
Received: none in 1 trace, 5 spans"
`);
  });

  it.each([
    [
      'a list of services',
      ['mobile-app', 'api-gateway'],
      'Options has type:  array\nOptions has value: ["mobile-app", "api-gateway"]',
    ],
    [
      'a misspelt key',
      { expected: ['mobile-app'] },
      'Options has type:  object\nOptions has value: {"expected": ["mobile-app"]}',
    ],
    ['an empty chain', { expect: [] }, 'Options has type:  object\nOptions has value: {"expect": []}'],
    [
      'a repeated service',
      { expect: ['api-gateway', 'api-gateway'] },
      'Options has type:  object\nOptions has value: {"expect": ["api-gateway", "api-gateway"]}',
    ],
  ])('throws a matcher error for options given as %s instead of passing silently', (_name, options, received) => {
    expect(matcherError(() => expect(checkout()).toHaveNoTraceProblems(options as never))).toBe(
      'expect(spans).toHaveNoTraceProblems(options)\n\n' +
        "Matcher error: options must be { expect?: string[] } with distinct, non-empty service names, e.g. { expect: ['mobile-app', 'api-gateway'] }\n\n" +
        received,
    );
  });

  it('types its options as it reads them: a verifier option it refuses does not compile (npm run typecheck)', () => {
    // @ts-expect-error acceptLinks is an option of verifySpans and `tracehop check`, not of the matcher
    const call = (): void => expect(checkout()).toHaveNoTraceProblems({ acceptLinks: true });
    expect(matcherError(call)).toBe(
      'expect(spans).toHaveNoTraceProblems(options)\n\n' +
        "Matcher error: options must be { expect?: string[] } with distinct, non-empty service names, e.g. { expect: ['mobile-app', 'api-gateway'] }\n\n" +
        'Options has type:  object\nOptions has value: {"acceptLinks": true}',
    );
  });

  it('throws a matcher error when given a string instead of spans', () => {
    let message = '';
    try {
      expect('spans.json').toHaveNoTraceProblems();
    } catch (error) {
      message = stripVTControlCharacters((error as Error).message);
    }
    expect(message).toMatchInlineSnapshot(`
"expect(spans).toHaveNoTraceProblems(options)

Matcher error: received value must be an array of tracehop spans (from the span store, decodeOtlpJson or spanFromReadable)

Received has type:  string
Received has value: "spans.json""
`);
  });
});

describe('every matcher', () => {
  it.each([
    ['toFormOneTrace', () => expect([]).not.toFormOneTrace(), 'expect(spans).not.toFormOneTrace()'],
    [
      'toPropagateThrough',
      () => expect([]).not.toPropagateThrough(CHAIN),
      'expect(spans).not.toPropagateThrough(services)',
    ],
  ])('%s throws a matcher error for no spans, under .not too, instead of passing', (_name, run, hint) => {
    expect(matcherError(run).split('\n\n').slice(0, 2)).toEqual([
      hint,
      'Matcher error: received value holds no spans, so there is nothing to verify',
    ]);
  });

  it("names an SDK span given where a tracehop span belongs, not the SDK's internals", () => {
    const sdkSpan = { name: 'checkout', spanContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) }) };
    expect(matcherError(() => expect([...checkout(), sdkSpan]).toFormOneTrace())).toBe(
      'expect(spans).toFormOneTrace()\n\n' +
        'Matcher error: received value must be an array of tracehop spans (from the span store, decodeOtlpJson or spanFromReadable)\n\n' +
        'Received: an array whose item 5 is an OpenTelemetry SDK span (ReadableSpan): convert each with spanFromReadable(span)',
    );
  });
});

describe('registerTracehopMatchers', () => {
  /** Runs `body` with the global expect replaced by `value`, as Detox replaces it in its specs. */
  function withGlobalExpect(value: unknown, body: () => void): string {
    const saved = (globalThis as { expect?: unknown }).expect;
    (globalThis as { expect?: unknown }).expect = value;
    try {
      body();
      return '';
    } catch (error) {
      return (error as Error).message;
    } finally {
      (globalThis as { expect?: unknown }).expect = saved;
    }
  }

  it("registers on Jest's expect from @jest/globals where Detox's element expect took the global's place", () => {
    const extend = jest.spyOn(jestExpect, 'extend');
    try {
      const detoxExpect = (element: unknown) => element;
      expect(withGlobalExpect(detoxExpect, () => registerTracehopMatchers())).toBe('');
      expect(extend.mock.calls).toEqual([[tracehopMatchers]]);
    } finally {
      extend.mockRestore();
    }
  });

  it("says why when neither the global nor @jest/globals holds Jest's expect, and when the expect given is not Jest's", () => {
    const none = (): unknown => undefined;
    const detoxExpect = (element: unknown) => element;
    const messages = [
      withGlobalExpect(undefined, () => jestExpectFor(undefined, undefined, none)),
      withGlobalExpect(undefined, () => jestExpectFor(undefined, detoxExpect, none)),
      withGlobalExpect(undefined, () => registerTracehopMatchers({} as ExtendableExpect)),
    ];
    const hint =
      "Call registerTracehopMatchers() from a Jest setup file (setupFilesAfterEnv), or pass Jest's expect: import { expect } from '@jest/globals'; registerTracehopMatchers(expect).";
    expect(messages).toEqual([
      `[tracehop] Failed to register the Jest matchers: there is no global expect here, and @jest/globals gives none (this is not a Jest test file). ${hint}`,
      `[tracehop] Failed to register the Jest matchers: the global expect here is not Jest's (Detox's element expect takes its place in Detox specs), and @jest/globals gives none. ${hint}`,
      `[tracehop] Failed to register the Jest matchers: the expect given has no extend(), so it is not Jest's. ${hint}`,
    ]);
    // Outside Jest, @jest/globals refuses to load: no expect from it.
    expect(spawnSync(process.execPath, ['-e', "require('@jest/globals')"], { encoding: 'utf8' }).status).not.toBe(0);
  });
});
