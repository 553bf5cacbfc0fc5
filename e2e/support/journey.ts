/**
 * Steps and checks the journey specs share: driving the app through Detox, waiting for the app's spans,
 * and judging one journey's trace with the verifier and the capture log.
 */
import { by, element, expect as detoxExpect, waitFor } from 'detox';
import type { Backend } from '../../harness/backend';
import {
  checkCaptures,
  decodeTraceparent,
  findDetachedRequests,
  headerValues,
  mergeEvidence,
  renderTraceTree,
  verifySpans,
  type CapturedRequest,
  type Problem,
  type Span,
  type Verdict,
} from '../../harness';
import { recordJourney } from '../../harness/jest';
import { journeyRoot, journeySlice } from './journey-scope';

export { journeyRoot } from './journey-scope';

/** How long the app may take to finish a journey and export its spans. */
export const JOURNEY_TIMEOUT_MS = 15_000;

/** Signs in on the login screen and waits for the search screen and the login spans. */
export async function signIn(username = 'ada', password = 'secret'): Promise<void> {
  await detoxExpect(element(by.id('login-screen'))).toBeVisible();
  await element(by.id('login-username')).typeText(username);
  await element(by.id('login-password')).typeText(password);
  await element(by.id('login-submit')).tap();
  await waitFor(element(by.id('search-screen')))
    .toBeVisible()
    .withTimeout(JOURNEY_TIMEOUT_MS);
  await awaitFlushed('login', 1);
}

/** Searches, adds one product to the cart and opens the cart. */
export async function fillCart(productId = 'p1'): Promise<void> {
  await element(by.id('search-input')).typeText('coffee');
  await element(by.id('search-submit')).tap();
  await waitFor(element(by.id(`product-${productId}-add`)))
    .toBeVisible()
    .withTimeout(JOURNEY_TIMEOUT_MS);
  await element(by.id(`product-${productId}-add`)).tap();
  await element(by.id('go-to-cart')).tap();
  await waitFor(element(by.id('cart-screen')))
    .toBeVisible()
    .withTimeout(JOURNEY_TIMEOUT_MS);
}

/** Waits until the app says the `count`-th run of `journey` has exported its spans (no sleeping). */
export async function awaitFlushed(journey: string, count: number): Promise<void> {
  await waitFor(element(by.id('trace-flushed')))
    .toHaveText(`${journey} ${count}`)
    .withTimeout(JOURNEY_TIMEOUT_MS);
}

/** Waits until the backend holds the journey's root span and a span of every service in `services`. */
export async function journeySpans(backend: Backend, journey: string, services: readonly string[]): Promise<Span[]> {
  return backend.store.waitFor(
    (spans) =>
      journeyRoot(spans, journey) !== undefined &&
      services.every((service) => spans.some((span) => span.service === service)),
    { timeout: JOURNEY_TIMEOUT_MS },
  );
}

/**
 * Header evidence for a chain of calls: each hop's received traceparent must name a CLIENT span that its
 * caller exported, in the same trace. Returns one sentence per hop that breaks this (none when sound).
 */
export function headerEvidence(
  captures: readonly CapturedRequest[],
  spans: readonly Span[],
  hops: readonly { readonly caller: string; readonly service: string; readonly path: string }[],
): string[] {
  const findings: string[] = [];
  for (const hop of hops) {
    const received = captures
      .filter((capture) => capture.service === hop.service && capture.path.split('?')[0] === hop.path)
      .at(-1);
    if (received === undefined) {
      findings.push(`${hop.service} received no ${hop.path}`);
      continue;
    }
    const header = decodeTraceparent(headerValues(received.headers, 'traceparent'));
    if (!header.ok) {
      findings.push(`${hop.service} ${hop.path}: ${header.detail}`);
      continue;
    }
    const parent = spans.find((span) => span.spanId === header.value.parentId && span.traceId === header.value.traceId);
    if (parent === undefined || parent.service !== hop.caller || parent.kind !== 'client') {
      const seen =
        parent === undefined
          ? 'no exported span'
          : `${parent.service} ${parent.kind.toUpperCase()} span "${parent.name}"`;
      findings.push(
        `${hop.service} ${hop.path}: traceparent names ${header.value.parentId}, which is ${seen}, not a ${hop.caller} CLIENT span`,
      );
    }
  }
  return findings;
}

/** A journey's verdict: the verifier's and the capture log's problems together. */
export interface JourneyVerdict extends Verdict {
  /** Every problem as "<kind>: <message>", for whole-list assertions. */
  readonly lines: string[];
  /** The capture-log problems alone, as "<kind>: <message>" (the span problems have matchers). */
  readonly captureLines: string[];
  /** The spans of the journey's own trace. */
  readonly trace: Span[];
  /** The journey's trace plus the traces its calls made services start over: what the chain matchers look at. */
  readonly scope: Span[];
  /** The requests that belong to the journey (see journeySlice): what the capture checks looked at. */
  readonly captures: CapturedRequest[];
}

/** What {@link judge} looks at. */
export interface JudgeInput {
  /** Journey name in fixtures/journeys.json, for the coverage record and the printed verdict. */
  readonly name: string;
  /** The app's root span name of the journey's trace; `name` when absent. */
  readonly root?: string;
  readonly spans: readonly Span[];
  readonly captures: readonly CapturedRequest[];
  /** Services the journey's trace must run through, in call order, the app first. */
  readonly chain: readonly string[];
  /** Third-party hosts that must get no trace headers (journeys.json `noTraceHeaders`). */
  readonly thirdParty?: readonly string[];
  /** When the journey's user action started (for the printed journey time). */
  readonly startedAtMs: number;
}

/**
 * Verifies the journey's own spans against the expected chain and its own requests against those spans,
 * records the run (only the journey's spans and captures, so no other journey's traces can cover it) for
 * the coverage reporter, and prints the verdict with the journey's trace tree (plus any trace with a
 * problem or started over by a service of the chain).
 */
export async function judge(input: JudgeInput): Promise<JourneyVerdict> {
  const { name, chain } = input;
  const root = input.root ?? name;
  const slice = journeySlice(input.spans, input.captures, {
    root,
    chain,
    ...(input.thirdParty === undefined ? {} : { thirdParty: input.thirdParty }),
    sinceMs: input.startedAtMs,
    journey: name,
  });
  const scope = slice.spans;
  const verified = verifySpans(scope, { expect: chain });
  const rootSpan = journeyRoot(scope, root, chain[0]);
  const captureProblems = [
    ...checkCaptures(slice.captures, scope),
    ...(rootSpan === undefined ? [] : findDetachedRequests(slice.captures, scope, rootSpan)),
  ];
  const problems = mergeEvidence(verified.problems, captureProblems);
  await recordJourney({ journey: name, spans: scope, captures: slice.captures, problems });
  const flagged = new Set(problems.map((problem) => problem.traceId));
  const shown = verified.traces.filter(
    (trace) =>
      trace.traceId === slice.traceId ||
      flagged.has(trace.traceId) ||
      trace.roots.some((top) => top.node.span.service !== chain[0] && chain.includes(top.node.span.service)),
  );
  const kinds = [...new Set(problems.map((problem) => problem.kind))];
  const describe = (problem: Problem): string => `${problem.kind}: ${problem.message}`;
  const lines = problems.map(describe);
  console.log(
    [
      `[tracehop] ${name}: ${kinds.length === 0 ? 'PASS' : `FAIL (${kinds.join(', ')})`} in ${Date.now() - input.startedAtMs} ms`,
      ...lines.map((line) => `  ${line}`),
      ...shown.map((trace) => renderTraceTree(trace, problems)),
    ].join('\n'),
  );
  const trace = scope.filter((span) => span.traceId === slice.traceId);
  return {
    ...verified,
    problems,
    lines,
    captureLines: captureProblems.map(describe),
    trace,
    scope,
    captures: slice.captures,
  };
}
