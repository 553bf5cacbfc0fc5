import type { MatcherContext } from 'expect';
import {
  matcherErrorMessage,
  matcherHint,
  printWithType,
  printExpected,
  printReceived,
  RECEIVED_COLOR,
} from 'jest-matcher-utils';
import { groupTraces, shortId, type Span, type Trace } from '../model';
import { checkExpectedChain, renderTraceTree, verifySpans, type Problem, type VerifyOptions } from '../verify';
import type { NoTraceProblemsOptions } from './matchers-types';
import { jestExpectFor, jestGlobalsExpect, type ExtendableExpect } from './internal/jest-expect';

export type { ExtendableExpect } from './internal/jest-expect';

/** What every tracehop matcher returns: Jest's result plus what was compared, for reporters. */
export interface TraceMatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
  readonly actual: unknown;
  readonly expected: unknown;
}

/** Trees printed in a failure message, at most, and lines per tree. */
const MAX_TREES = 3;
const MAX_TREE_LINES = 60;

function isSpanLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const span = value as Record<string, unknown>;
  return typeof span.traceId === 'string' && typeof span.spanId === 'string' && typeof span.service === 'string';
}

/** An SDK span (`ReadableSpan`): it has spanContext() where a tracehop span has ids. */
function isSdkSpan(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).spanContext === 'function'
  );
}

/**
 * Throws a matcher error (not a failed expectation) when `received` is not a non-empty array of spans: no
 * spans verify nothing (nothing exported, or read too early), so neither a pass nor, under .not, a problem.
 */
function ensureSpans(received: unknown, hint: string): readonly Span[] {
  if (Array.isArray(received) && received.length === 0) {
    throw new Error(
      matcherErrorMessage(
        hint,
        `${RECEIVED_COLOR('received')} value holds no spans, so there is nothing to verify`,
        'Check that the app and services exported their spans, and wait for them (store.waitFor) before reading the store.',
      ),
    );
  }
  if (Array.isArray(received) && received.every(isSpanLike)) return received as readonly Span[];
  const items: readonly unknown[] = Array.isArray(received) ? received : [];
  const wrong = items.findIndex((item) => !isSpanLike(item));
  // An SDK span prints as kilobytes of the SDK's internals: say what it is instead.
  const printed =
    wrong >= 0 && isSdkSpan(items[wrong])
      ? `Received: an array whose item ${wrong} is an OpenTelemetry SDK span (ReadableSpan): convert each with spanFromReadable(span)`
      : printWithType('Received', received, printReceived);
  throw new Error(
    matcherErrorMessage(
      hint,
      `${RECEIVED_COLOR('received')} value must be an array of tracehop spans (from the span store, decodeOtlpJson or spanFromReadable)`,
      printed,
    ),
  );
}

function trees(traces: readonly Trace[], problems: readonly Problem[]): string {
  const shown = traces
    .slice(0, MAX_TREES)
    .map((trace) => renderTraceTree(trace, problems, { maxLines: MAX_TREE_LINES }));
  if (traces.length > MAX_TREES) shown.push(`… ${traces.length - MAX_TREES} more trace(s) not shown`);
  return shown.join('\n\n');
}

function problemLines(problems: readonly Problem[]): string {
  return problems.map((p) => `  ✗ ${p.kind}: ${p.message}`).join('\n');
}

/** The traces a problem list talks about, in trace order (both sides of a broken chain). */
function tracesOf(traces: readonly Trace[], problems: readonly Problem[]): Trace[] {
  const ids = new Set<string | null>();
  for (const problem of problems) {
    ids.add(problem.traceId);
    if (problem.kind === 'broken-chain') ids.add(problem.lastTraceId ?? null);
  }
  return traces.filter((trace) => ids.has(trace.traceId));
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function describeTraces(traces: readonly Trace[]): string {
  return traces
    .map((t) => `${shortId(t.traceId)} (${plural(t.spans.length, 'span')}, ${plural(t.roots.length, 'top span')})`)
    .join(', ');
}

function isServiceList(value: unknown): value is readonly string[] {
  // A repeated name is a typo that can only weaken the check (as in `tracehop check --expect`).
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((s, i) => typeof s === 'string' && s.trim() !== '' && value.indexOf(s) === i)
  );
}

/** Throws a matcher error unless `options` is absent or `{ expect?: distinct, non-empty service names }`. */
function ensureOptions(options: unknown, hint: string): VerifyOptions {
  if (options === undefined) return {};
  if (
    typeof options === 'object' &&
    options !== null &&
    !Array.isArray(options) &&
    Object.keys(options).every((key) => key === 'expect')
  ) {
    const { expect } = options as { expect?: unknown };
    if (expect === undefined) return {};
    if (isServiceList(expect)) return { expect };
  }
  throw new Error(
    matcherErrorMessage(
      hint,
      "options must be { expect?: string[] } with distinct, non-empty service names, e.g. { expect: ['mobile-app', 'api-gateway'] }",
      printWithType('Options', options, printExpected),
    ),
  );
}

/** `expect(spans).toFormOneTrace()`: one trace id, one true root, no orphan or loop. */
function toFormOneTrace(this: MatcherContext, received: unknown): TraceMatcherResult {
  const hint = matcherHint('toFormOneTrace', 'spans', '', { isNot: this.isNot, promise: this.promise });
  const spans = ensureSpans(received, hint);
  const traces = groupTraces(spans);
  const pass = traces.length === 1 && traces[0]?.roots.length === 1 && traces[0].roots[0]?.reason === 'root';
  const received1 =
    traces.length === 0
      ? 'no spans'
      : `${traces.length} trace${traces.length === 1 ? '' : 's'}: ${describeTraces(traces)}`;
  const message = pass
    ? () => `${hint}\n\nExpected: spans not forming one connected trace\nReceived: one trace, ${describeTraces(traces)}`
    : () =>
        `${hint}\n\nExpected: spans forming one connected trace (one trace id, one root)\nReceived: ${received1}${traces.length > 0 ? `\n\n${trees(traces, verifySpans(spans).problems)}` : ''}`;
  return { pass, message, actual: traces.map((t) => t.traceId), expected: 'one connected trace' };
}

/** `expect(spans).toPropagateThrough(['mobile-app', 'api-gateway'])`: one trace runs through them in order. */
function toPropagateThrough(this: MatcherContext, received: unknown, services: unknown): TraceMatcherResult {
  const hint = matcherHint('toPropagateThrough', 'spans', 'services', { isNot: this.isNot, promise: this.promise });
  const spans = ensureSpans(received, hint);
  if (!isServiceList(services)) {
    throw new Error(
      matcherErrorMessage(
        hint,
        'expected value must be a non-empty array of distinct, non-empty service names',
        printWithType('Expected', services, printExpected),
      ),
    );
  }
  const chain = services;
  const traces = groupTraces(spans);
  const problems = checkExpectedChain(traces, chain);
  const pass = problems.length === 0;
  const route = chain.join(' -> ');
  const message = pass
    ? () => `${hint}\n\nExpected: no trace running through ${route}\nReceived: one trace runs through all of them`
    : () =>
        `${hint}\n\nExpected: one trace running through ${route}\nReceived:\n${problemLines(problems)}\n\n${trees(tracesOf(traces, problems), problems)}`;
  return { pass, message, actual: problems.map((p) => p.kind), expected: chain };
}

/**
 * `expect(spans).toHaveNoTraceProblems(options?)`: no defect; prints the trees on failure. Without
 * `{ expect: chain }` each trace is judged on its own, so a split trace (a dropped traceparent) passes.
 */
function toHaveNoTraceProblems(
  this: MatcherContext,
  received: unknown,
  options?: NoTraceProblemsOptions,
): TraceMatcherResult {
  const hint = matcherHint('toHaveNoTraceProblems', 'spans', 'options', { isNot: this.isNot, promise: this.promise });
  const spans = ensureSpans(received, hint);
  const verdict = verifySpans(spans, ensureOptions(options, hint));
  const pass = verdict.problems.length === 0;
  const counts = `${plural(verdict.traces.length, 'trace')}, ${plural(spans.length, 'span')}`;
  const message = pass
    ? () => `${hint}\n\nExpected: at least one trace problem\nReceived: none in ${counts}`
    : () =>
        `${hint}\n\nExpected: no trace problems\nReceived: ${verdict.problems.length} in ${counts}\n${problemLines(verdict.problems)}\n\n${trees(tracesOf(verdict.traces, verdict.problems), verdict.problems)}`;
  return { pass, message, actual: verdict.problems.map((p) => p.kind), expected: [] };
}

/** The matchers, for `expect.extend(tracehopMatchers)`. */
export const tracehopMatchers = { toFormOneTrace, toPropagateThrough, toHaveNoTraceProblems };

/**
 * Registers the matchers on Jest's `expect`: the one given, else the global one, else (where Detox has put its
 * element `expect` in the global's place) Jest's own from `@jest/globals`, which is then the one to assert
 * spans with. Call it from a setup file.
 * @example // jest.setup.ts
 * registerTracehopMatchers();
 */
export function registerTracehopMatchers(target?: ExtendableExpect): void {
  jestExpectFor(target, (globalThis as { expect?: unknown }).expect, jestGlobalsExpect).extend(tracehopMatchers);
}
