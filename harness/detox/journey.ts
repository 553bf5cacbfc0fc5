/**
 * journey(): one critical user journey in a spec. Runs the steps, waits for the journey's spans without any
 * signal from the app's UI, judges them with the capture log (verifyJourney), records the run for the
 * coverage reporter, prints the verdict with the trace tree, and fails the test in Jest's voice on a break.
 */
import { DIM_COLOR } from 'jest-matcher-utils';
import type { Backend } from '../backend';
import { hoplessChain } from '../internal/hopless-chain';
import { TracehopError, failure } from '../internal/messages';
import { errorMessage } from '../internal/result';
import { recordJourney } from '../jest';
import { hasTime, type CapturedRequest, type Span } from '../model';
import { decodeTraceparent, headerValues } from '../propagation';
import { loadJourneys, type JourneySpec } from '../report';
import { CALL_ID_HEADER } from '../model';
import { isJourneyRoot, missingRootProblem, renderJourneyVerdict, verifyJourney, type JourneyVerdict } from '../verify';
import { journeysFilePath, workerBackend, JOURNEYS_ENV } from './worker-backend';
import { trackJourney } from './pending-journeys';
import { journeyArgumentsMessage, journeyArgumentsProblem } from './journey-arguments';

/** How long journey() waits for the spans after the steps, unless told otherwise. */
export const JOURNEY_TIMEOUT_MS = 15_000;

/** Trees printed in a failure message, at most this many span lines each. */
const MAX_TREE_LINES = 60;

/** The part of a backend journey() reads: its span store and capture log. */
export type JourneyBackend = Pick<Backend, 'store' | 'captures'>;

/** Options of {@link journey}; everything else comes from the journeys file. */
export interface JourneyOptions {
  /** The services the journey's trace runs through, the app first; the journeys file's `chain` when absent. */
  readonly chain?: readonly string[];
  /** The app's root span of the journey (its name or `app.journey` tag); the journey's name when absent. */
  readonly root?: string;
  /** Third parties that must receive no trace headers; the journeys file's `noTraceHeaders` when absent. */
  readonly thirdParty?: readonly string[];
  /** Milliseconds to wait for the spans once the steps are done (0: judge those already there); 15000 when absent. */
  readonly timeout?: number;
  /** The mock backend; the one the tracehop test environment started for this spec file when absent. */
  readonly backend?: JourneyBackend;
  /** The journeys file; the tracehop reporter's `journeysFile`, else $TRACEHOP_JOURNEYS, when absent. */
  readonly journeysFile?: string;
}

/**
 * A journey whose trace broke, or whose steps threw: the message shows the steps' error (when they threw),
 * the verdict and the trees; `verdict` holds the rest, `cause` the steps' error.
 */
export class JourneyFailure extends Error {
  constructor(
    message: string,
    readonly verdict: JourneyVerdict,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JourneyFailure';
  }
}

/**
 * What the steps threw, as it reads in a message. Not `instanceof Error`: Jest runs specs in a realm of their
 * own, so a Detox or spec error is not an Error of this one.
 */
function stepsMessage(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}

const loaded = new Map<string, Promise<JourneySpec[]>>();

async function journeySpec(name: string, file: string): Promise<JourneySpec> {
  let specs = loaded.get(file);
  if (specs === undefined) {
    specs = loadJourneys(file).then((result) => {
      if (!result.ok) throw new TracehopError(result.message);
      return result.value;
    });
    loaded.set(file, specs);
  }
  const found = (await specs).find((spec) => spec.name === name);
  if (found === undefined) {
    throw new TracehopError(
      failure(
        `run the "${name}" journey`,
        `"${file}" declares no journey of that name`,
        'Declare it in the journeys file, or fix the name in the spec.',
      ),
    );
  }
  return found;
}

interface JourneyPlan {
  readonly chain: readonly string[];
  readonly thirdParty: readonly string[];
}

async function plan(name: string, options: JourneyOptions): Promise<JourneyPlan> {
  const file = options.journeysFile ?? journeysFilePath();
  if (options.chain !== undefined && (file === undefined || options.thirdParty !== undefined)) {
    return { chain: options.chain, thirdParty: options.thirdParty ?? [] };
  }
  if (file === undefined) {
    throw new TracehopError(
      failure(
        `run the "${name}" journey`,
        'no journeys file is known',
        `Put ['tracehop/jest/reporter', { journeysFile: 'e2e/journeys.json' }] in your Jest config's reporters, set ${JOURNEYS_ENV}, or pass { chain }.`,
      ),
    );
  }
  const spec = await journeySpec(name, file);
  if (options.chain !== undefined && options.chain.join('\u0000') !== spec.chain.join('\u0000')) {
    // Both stand, and they may disagree: a spec that fails next to a journey covered 100%, or the reverse.
    console.warn(
      `[tracehop] ${name}: judged by the chain given to journey() (${options.chain.join(' -> ')}), while the coverage report judges the journeys file's (${spec.chain.join(' -> ')}); give journey() no chain, or change the journeys file, to judge both by one`,
    );
  }
  return { chain: options.chain ?? spec.chain, thirdParty: options.thirdParty ?? spec.noTraceHeaders ?? [] };
}

/**
 * Refuses, before the steps run, a journey with no hop to check (fewer than two services and no third
 * party): its verdict would pass whatever the trace. The journeys file refuses such a journey too.
 */
function checkPlan(name: string, { chain, thirdParty }: JourneyPlan): void {
  const hopless = hoplessChain(chain, thirdParty);
  if (hopless === undefined) return;
  throw new TracehopError(
    failure(
      `run the "${name}" journey`,
      hopless,
      'Name at least two services in call order, the app first ({ chain } or the journeys file), or the third parties that must receive no trace headers ({ thirdParty }).',
    ),
  );
}

/**
 * What the journey still waits for: its root span (a new one, not among `before`), and every span named by a
 * sampled traceparent the backend received since the steps began (an unsampled span is never exported).
 * Requests between the backend's own services are left out: their caller stored its CLIENT span before it
 * answered, so a span they name that is not there never will be (a fault rewrote the header), and the
 * verdict says so.
 */
function missing(
  spans: readonly Span[],
  captures: readonly CapturedRequest[],
  window: { readonly root: string; readonly app: string; readonly before: ReadonlySet<string>; readonly seq: number },
): string[] {
  const waits: string[] = [];
  if (!spans.some((span) => isJourneyRoot(span, window.root, window.app) && !window.before.has(span.spanId))) {
    waits.push(`a new root span "${window.root}" from ${window.app}`);
  }
  const ids = new Set(spans.map((span) => span.spanId));
  for (const capture of captures) {
    if (capture.seq <= window.seq || headerValues(capture.headers, CALL_ID_HEADER).length > 0) continue;
    const header = decodeTraceparent(headerValues(capture.headers, 'traceparent'));
    // An unsampled parent is never exported (span processors drop it): waiting for it only runs out the clock.
    if (!header.ok || !header.value.sampled || ids.has(header.value.parentId)) continue;
    waits.push(
      `span ${header.value.parentId}, the parent in the traceparent ${capture.service} received on ${capture.method} ${capture.path}`,
    );
  }
  return waits;
}

/**
 * What the backend saw of a journey whose root span never came: the requests it received since the steps
 * began, and the spans of the traces those requests started or named in their traceparent, and of the
 * traces of the app's spans that arrived meanwhile (a request sent without traceparent leaves the app's
 * CLIENT span in a trace no request names). Recorded so the coverage report shows the journey as run and
 * where its trace broke, not as never run.
 */
function unrootedRun(
  spans: readonly Span[],
  captures: readonly CapturedRequest[],
  window: { readonly seq: number; readonly app: string; readonly stored: number },
): { spans: Span[]; captures: CapturedRequest[] } {
  const taken = captures.filter((capture) => capture.seq > window.seq);
  const traces = new Set<string>();
  for (const capture of taken) {
    if (capture.serverTraceId !== undefined) traces.add(capture.serverTraceId);
    const header = decodeTraceparent(headerValues(capture.headers, 'traceparent'));
    if (header.ok) traces.add(header.value.traceId);
  }
  // Spans are stored in arrival order: those past the count before the steps arrived since (all, if the
  // store was cleared meanwhile).
  const since = spans.length >= window.stored ? window.stored : 0;
  for (const span of spans.slice(since)) if (span.service === window.app) traces.add(span.traceId);
  return { spans: spans.filter((span) => traces.has(span.traceId)), captures: taken };
}

/** The failure in Jest's voice: the steps' error first when they threw, then the verdict and the trees. */
function failureMessage(
  verdict: JourneyVerdict,
  chain: readonly string[],
  steps: { error: unknown } | undefined,
): string {
  // Jest's way of heading a failure, without naming a matcher: journey() is no expect() matcher.
  const hint = `${DIM_COLOR('tracehop')} journey(${JSON.stringify(verdict.journey)})`;
  const trees = renderJourneyVerdict(verdict, { maxLines: MAX_TREE_LINES })
    .split('\n')
    .slice(1 + verdict.lines.length);
  return [
    hint,
    '',
    ...(steps === undefined ? [] : [`The journey's steps failed: ${stepsMessage(steps.error)}`, '']),
    `Expected: one trace through ${chain.join(' → ')}, no trace problems`,
    `Received: ${verdict.problems.length === 0 ? 'no trace problems' : `${verdict.problems.length} problem${verdict.problems.length === 1 ? '' : 's'}`}`,
    ...verdict.lines.map((line) => `  ✗ ${line}`),
    '',
    ...trees,
  ].join('\n');
}

/**
 * Runs one journey: `steps` drive the app; then journey() waits (with a deadline, without sleeping) for the
 * journey's root span and every span named by a traceparent the backend received meanwhile, judges them
 * with the capture log against the journeys file's chain, records the run for the tracehop reporter, prints
 * the verdict with the trace tree, and throws a {@link JourneyFailure} when a hop broke. When the steps throw
 * (a screen that never appears because the backend never got the request), the journey is still judged,
 * recorded and printed, and the error thrown holds both the steps' failure and the verdict. When the root
 * span never arrives, it records what the backend received meanwhile (unrootedRun) and throws what it lacked.
 * @example
 * it('checkout keeps one trace', () =>
 *   journey('checkout', async () => {
 *     await element(by.id('checkout-submit')).tap();
 *     await waitFor(element(by.id('confirmation-screen'))).toBeVisible().withTimeout(15000);
 *   }));
 */
export function journey(name: string, steps: () => unknown, options: JourneyOptions = {}): Promise<JourneyVerdict> {
  // A spec in JavaScript may pass anything: refused before the steps run, naming what is wrong.
  const problem = journeyArgumentsProblem(name, steps, options);
  const run: Promise<JourneyVerdict> =
    problem === undefined
      ? runJourney(name, steps, options)
      : Promise.reject(new TracehopError(journeyArgumentsMessage(name, problem)));
  // The test environment fails a test that returns while its journey still runs, or that let it fail unawaited.
  return trackJourney(run, String(name));
}

async function runJourney(name: string, steps: () => unknown, options: JourneyOptions): Promise<JourneyVerdict> {
  const planned = await plan(name, options);
  checkPlan(name, planned);
  const { chain, thirdParty } = planned;
  const backend = options.backend ?? workerBackend();
  const root = options.root ?? name;
  const app = chain[0] ?? 'mobile-app';
  const timeout = options.timeout ?? JOURNEY_TIMEOUT_MS;
  const before = new Set(
    backend.store
      .spans()
      .filter((span) => isJourneyRoot(span, root, app))
      .map((span) => span.spanId),
  );
  const window = { root, app, before, seq: backend.captures().at(-1)?.seq ?? 0, stored: backend.store.size };
  const since = Date.now();
  let failed: { error: unknown } | undefined;
  try {
    await steps();
  } catch (error) {
    // Judged all the same: the verdict says why a screen never came (a refused request, a broken hop).
    failed = { error };
  }

  let spans: Span[];
  try {
    spans = await backend.store.waitFor((all) => missing(all, backend.captures(), window).length === 0, {
      timeout,
      description: `the spans of the "${name}" journey`,
    });
  } catch {
    // At the deadline a span named by a header may still be absent: the verdict shows that hop. Without the
    // journey's root span there is nothing to judge.
    spans = backend.store.spans();
    const waits = missing(spans, backend.captures(), window);
    if (waits.some((wait) => wait.startsWith('a new root span'))) {
      // What arrived since the steps began: an earlier run's root span is no clue to this one's.
      const run = unrootedRun(spans, backend.captures(), window);
      const exportTo = 'to tracehopOtlpUrl when the journey ends';
      const problem = missingRootProblem(run.spans, root, chain, exportTo, undefined, run.captures);
      // The problem says what arrived instead (root spans of other names, a span named for the journey beneath
      // a parent or from another service, calls the app's sampler dropped), and the fix.
      let lacking = failure(
        `wait for the spans of the "${name}" journey`,
        `after ${timeout} ms the backend still lacked ${waits.join('; ')}`,
        `${problem.message.charAt(0).toUpperCase()}${problem.message.slice(1)}.`,
      );
      try {
        await recordJourney({ journey: name, ...run, problems: [problem] });
      } catch (error) {
        lacking = `${lacking}\n${errorMessage(error)}`;
      }
      // The verdict line every run prints, so a log read for "[tracehop] <journey>: FAIL" finds this one too.
      console.log(
        `[tracehop] ${name}: FAIL (${problem.kind}) in ${Date.now() - since} ms\n  ${problem.kind}: ${problem.message}`,
      );
      if (failed === undefined) throw new TracehopError(lacking);
      throw new Error(`The "${name}" journey's steps failed: ${stepsMessage(failed.error)}\n\n${lacking}`, {
        cause: failed.error,
      });
    }
  }
  // The new root span (not among `before`) is this run's, whatever the device's clock says: a device clock
  // behind the backend's must not make verifyJourney, which bounds the root by `since`, take it for an
  // earlier run's. A new root with no time (hasTime) bounds nothing: its 0 would let any earlier run's root in.
  const fresh = spans.filter((span) => isJourneyRoot(span, root, app) && !before.has(span.spanId) && hasTime(span));
  const judgedSince = Math.min(since, ...fresh.map((span) => span.startTimeMs));
  const verdict = verifyJourney({
    name,
    spans,
    captures: backend.captures(),
    chain,
    root,
    thirdParty,
    // The backend's clock, for the requests; the root's bound on the app's clock, from the new root spans.
    since,
    rootSince: judgedSince,
  });
  await recordJourney({ journey: name, spans: verdict.scope, captures: verdict.captures, problems: verdict.problems });
  console.log(renderJourneyVerdict(verdict, { elapsedMs: Date.now() - since }));
  if (!verdict.ok || failed !== undefined) {
    const error = new JourneyFailure(
      failureMessage(verdict, chain, failed),
      verdict,
      failed === undefined ? undefined : { cause: failed.error },
    );
    Error.captureStackTrace(error, runJourney);
    throw error;
  }
  return verdict;
}
