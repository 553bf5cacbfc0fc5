/**
 * The fault matrix through the real Detox CLI: `node scripts/e2e.js` (`detox test -c web.headless`, our web
 * driver, headless Chromium, the sample app's web build) once clean and once per fault, each run with its
 * own reports and artifacts, at most two at a time. Each fault must fail exactly the specs of the journeys
 * whose chain passes the faulty hop, with the defect kinds the verifier names for it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { scratchDir } from '../../harness/test-support/scratch-dir';
import { inPool, runE2e, type E2eRun } from './support/run-e2e';

const RUN_TIMEOUT_MS = 240_000;
const ALL_SPECS = [
  'e2e/checkout.e2e.ts',
  'e2e/login.e2e.ts',
  'e2e/offline-replay.e2e.ts',
  'e2e/privacy.e2e.ts',
  'e2e/search-retry.e2e.ts',
];
const ALL_JOURNEYS = ['checkout', 'login', 'offline-replay', 'privacy', 'search-retry'];
// The gateway calls every backend service of the app's journeys; privacy looks at the app's analytics only.
const THROUGH_GATEWAY = ['checkout', 'login', 'offline-replay', 'search-retry'];
const THROUGH_PAYMENT = ['checkout', 'offline-replay'];

interface Case {
  /** TRACEHOP_FAULTS of the run. */
  readonly faults: string;
  /** TRACEHOP_APP_FAULTS of the run (the app's own faults). */
  readonly appFaults?: string;
  readonly failing: readonly string[];
  readonly kinds: readonly string[];
  /** Specs that fail besides the failing journeys' (a spec's own assertion on the app's trace shape). */
  readonly alsoFailingSpecs?: readonly string[];
  /** The journeys that print a verdict; every journey when absent (the others' specs fail before journey()). */
  readonly judged?: readonly string[];
}

/** The case's name in test titles and the runs map. */
const labelOf = (testCase: Case): string =>
  testCase.appFaults === undefined ? testCase.faults : `app:${testCase.appFaults}`;

const CASES: readonly Case[] = [
  { faults: 'api-gateway:drop-traceparent', failing: THROUGH_GATEWAY, kinds: ['broken-chain'] },
  {
    faults: 'api-gateway:new-trace',
    failing: THROUGH_GATEWAY,
    kinds: ['broken-chain', 'header-span-mismatch', 'orphan-span'],
  },
  { faults: 'api-gateway:uppercase-traceparent', failing: THROUGH_GATEWAY, kinds: ['broken-chain', 'invalid-header'] },
  { faults: 'api-gateway:rewrite-parent', failing: THROUGH_GATEWAY, kinds: ['header-span-mismatch', 'orphan-span'] },
  { faults: 'api-gateway:duplicate-traceparent', failing: THROUGH_GATEWAY, kinds: ['broken-chain', 'invalid-header'] },
  { faults: 'api-gateway:b3-only', failing: THROUGH_GATEWAY, kinds: ['broken-chain'] },
  { faults: 'api-gateway:unsampled', failing: THROUGH_GATEWAY, kinds: ['sampling-mismatch'] },
  { faults: 'api-gateway:strip-tracestate', failing: THROUGH_GATEWAY, kinds: ['header-span-mismatch'] },
  { faults: 'api-gateway:strip-baggage', failing: THROUGH_GATEWAY, kinds: ['header-span-mismatch'] },
  // The fraud hop: only the journeys that reach payment-api.
  { faults: 'payment-api:drop-traceparent', failing: THROUGH_PAYMENT, kinds: ['broken-chain'] },
  { faults: 'payment-api:unsampled', failing: THROUGH_PAYMENT, kinds: ['sampling-mismatch'] },
  // The redirect: the gateway's downstream call is followed without its trace headers.
  { faults: 'api-gateway:redirect-drops-headers', failing: THROUGH_GATEWAY, kinds: ['broken-chain'] },
  // CORS: the browser refuses every request to the gateway, so every spec stops at its first gateway call, the
  // login. Only the login spec signs in inside journey(), which judges the refusal when its steps throw; the
  // others sign in before their journey and fail there.
  {
    faults: 'api-gateway:cors-omits-trace-headers',
    failing: ['login'],
    kinds: ['broken-chain'],
    alsoFailingSpecs: ALL_SPECS,
    judged: ['login'],
  },
  // The app's own faults (TRACEHOP_APP_FAULTS): the app -> api-gateway hop of every journey through the gateway.
  { faults: '', appFaults: 'gateway-not-first-party', failing: THROUGH_GATEWAY, kinds: ['broken-chain'] },
  // Privacy passes: the analytics event leaves in a trace of its own, still without trace headers.
  { faults: '', appFaults: 'trace-per-request', failing: THROUGH_GATEWAY, kinds: ['broken-chain'] },
  { faults: '', appFaults: 'replay-loses-context', failing: ['offline-replay'], kinds: ['broken-chain'] },
  { faults: '', appFaults: 'b3-only', failing: THROUGH_GATEWAY, kinds: ['broken-chain'] },
  { faults: '', appFaults: 'unsampled-root', failing: THROUGH_GATEWAY, kinds: ['sampling-mismatch'] },
  { faults: '', appFaults: 'double-inject', failing: THROUGH_GATEWAY, kinds: ['broken-chain', 'invalid-header'] },
];

const specOf = (journey: string): string => `e2e/${journey}.e2e.ts`;

/** Detox's artifact folders of failed tests ("✗ <test name>") under `root`: test name -> folder. */
function failedTestArtifacts(root: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('✗ ')) found[entry.name.slice(2)] = full;
      else walk(full);
    }
  };
  if (fs.existsSync(root)) walk(root);
  return found;
}

/** Every file under `root`, recursively. */
function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(path.join(root, entry.name)) : [path.join(root, entry.name)],
    );
}

/** The sample app's made-up session token (fixtures/sample-app/src/api/session.ts). */
const SESSION_TOKEN = /thsess_[0-9a-f]{32}/;

const isPng = (file: string): boolean =>
  fs
    .readFileSync(file)
    .subarray(0, 8)
    .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
/** Problem lines with their trace and span ids (new every run) replaced by <id>. */
const withoutIds = (lines: readonly string[] | undefined): string[] | undefined =>
  lines?.map((line) => line.replace(/\b[0-9a-f]{8,32}\b/g, '<id>'));

/** The "●" failure blocks the inner Jest printed on stderr (each test's error and stack), or its tail when none. */
function failureBlocks(output: string): string {
  const start = output.indexOf('  ● ');
  return start >= 0 ? output.slice(start, start + 6_000) : output.slice(-3_000);
}

/** What a run printed, in one comparable shape: exit code, failing specs, and each journey's verdict. */
function summary(run: E2eRun): { code: number | null; failingSpecs: string[]; verdicts: Record<string, string> } {
  const verdicts = Object.fromEntries(
    Object.entries(run.verdicts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([journey, verdict]) => [journey, verdict.pass ? 'PASS' : `FAIL (${[...verdict.kinds].sort().join(', ')})`]),
  );
  return { code: run.code, failingSpecs: run.failingSpecs, verdicts };
}

function expected(testCase: Case): ReturnType<typeof summary> {
  const kinds = `FAIL (${[...testCase.kinds].sort().join(', ')})`;
  return {
    code: 1,
    failingSpecs: [...new Set([...testCase.failing.map(specOf), ...(testCase.alsoFailingSpecs ?? [])])].sort(),
    verdicts: Object.fromEntries(
      (testCase.judged ?? ALL_JOURNEYS).map((journey) => [
        journey,
        testCase.failing.includes(journey) ? kinds : 'PASS',
      ]),
    ),
  };
}

describe('npm run e2e under every fault (real Detox CLI, web.headless)', () => {
  let dir = '';
  let clean: E2eRun;
  const runs = new Map<string, E2eRun>();

  beforeAll(async () => {
    dir = scratchDir('tracehop-fault-matrix-');
    // The clean run goes first and alone: it builds the web app when stale, which the others then share.
    clean = await runE2e({ faults: '', dir: path.join(dir, 'clean'), timeoutMs: RUN_TIMEOUT_MS });
    const tasks = CASES.map((testCase, index) => async () => {
      runs.set(
        labelOf(testCase),
        await runE2e({
          faults: testCase.faults,
          ...(testCase.appFaults === undefined ? {} : { appFaults: testCase.appFaults }),
          dir: path.join(dir, `fault-${index}`),
          timeoutMs: RUN_TIMEOUT_MS,
        }),
      );
    });
    await inPool(tasks, 2);
  }, 1_800_000);

  it('passes clean: exit 0, every journey PASS, coverage 100%', () => {
    expect(summary(clean)).toEqual({
      code: 0,
      failingSpecs: [],
      verdicts: Object.fromEntries(ALL_JOURNEYS.map((journey) => [journey, 'PASS'])),
    });
    expect(clean.passingSpecs).toEqual(ALL_SPECS);
    expect(clean.coverage).toBe(
      `[tracehop] Trace coverage 100% (5 of 5 journeys fully covered); reports in ${path.join(dir, 'clean', 'tracehop', 'report.html')}`,
    );
  });

  it("leaves the app's session token in no artifact of the run, though every signed-in gateway call sent it", () => {
    const files = [...filesUnder(path.join(dir, 'clean', 'tracehop')), ...filesUnder(path.join(dir, 'clean', 'detox'))];
    expect(files.filter((file) => SESSION_TOKEN.test(fs.readFileSync(file, 'latin1')))).toEqual([]);
    // The token did travel: the recorded gateway requests carry both credentials, redacted.
    const coverage = fs.readFileSync(path.join(dir, 'clean', 'tracehop', 'coverage.json'), 'utf8');
    const redacted = (header: string) => new RegExp(`\\[\\s*"${header}",\\s*"\\[redacted\\]"\\s*\\]`).test(coverage);
    expect([redacted('authorization'), redacted('cookie')]).toEqual([true, true]);
  });

  it.each(CASES.map((testCase) => [labelOf(testCase), testCase] as const))(
    '%s fails exactly the journeys it touches, with its kinds',
    (label, testCase) => {
      const run = runs.get(label) as E2eRun;
      // On a mismatch, what the inner Jest printed for its failures says why; the summary's diff alone does not.
      const actual = summary(run);
      const want = expected(testCase);
      expect(isDeepStrictEqual(actual, want) ? actual : { ...actual, failures: failureBlocks(run.stderr) }).toEqual(
        want,
      );
      // Every spec ran: the ones not failing passed.
      expect([...run.failingSpecs, ...run.passingSpecs].sort()).toEqual(ALL_SPECS);
    },
  );

  it("leaves a screenshot of each failing test in Detox's artifacts, and no failure folder for a clean run", () => {
    const failed = failedTestArtifacts(path.join(dir, 'fault-0', 'detox'));
    // Jest's full test names, as Detox writes them into folder names (":" and ">" become "_").
    expect(
      Object.keys(failed)
        .map((name) => name.split('_')[0])
        .sort(),
    ).toEqual(['checkout journey', 'login journey', 'offline checkout', 'search journey with a retry']);
    for (const folder of Object.values(failed)) {
      expect(fs.readdirSync(folder)).toEqual(
        expect.arrayContaining(['testDone.png', 'testFnFailure.png', 'testStart.png']),
      );
      expect(isPng(path.join(folder, 'testFnFailure.png'))).toBe(true);
    }
    expect(failedTestArtifacts(path.join(dir, 'clean', 'detox'))).toEqual({});
  });

  it('names api-gateway and payment-api in the broken-chain of checkout when the gateway drops traceparent', () => {
    const checkout = runs.get('api-gateway:drop-traceparent')?.verdicts.checkout;
    expect(withoutIds(checkout?.problems)).toEqual([
      'broken-chain: api-gateway sent no traceparent to payment-api (POST /payments), so it started a new trace: a proxy or SDK between them drops the header',
    ]);
  });

  it('names payment-api and fraud-service when payment-api drops traceparent', () => {
    const checkout = runs.get('payment-api:drop-traceparent')?.verdicts.checkout;
    expect(withoutIds(checkout?.problems)).toEqual([
      'broken-chain: payment-api sent no traceparent to fraud-service (POST /fraud/score), so it started a new trace: a proxy or SDK between them drops the header',
    ]);
  });

  it("names the app's allow-list and its fix when the gateway is not first-party", () => {
    const run = runs.get('app:gateway-not-first-party');
    expect(withoutIds(run?.verdicts.checkout?.problems)).toEqual([
      "broken-chain: mobile-app sent no trace headers at all to api-gateway (POST /checkout), so it started a new trace: the gateway's origin is missing from the app SDK's propagation allow-list, or no propagator is registered in the app; fix: add the gateway's origin to the SDK's propagation targets (propagateTraceHeaderCorsUrls / tracePropagationTargets / firstPartyHosts), and register a W3C propagator (OpenTelemetry JS: propagation.setGlobalPropagator(new W3CTraceContextPropagator()))",
    ]);
  });

  it('names the redirect and its fix when the gateway follows a 307 without the trace headers', () => {
    const run = runs.get('api-gateway:redirect-drops-headers');
    expect(withoutIds(run?.verdicts.login?.problems)).toEqual([
      "broken-chain: api-gateway's call to auth-service (POST /sessions) was redirected (307) and the follow-up request carried no traceparent, so it started a new trace: the HTTP client follows the redirect with a rebuilt request that carries no trace headers; fix: call the final URL directly, or make the HTTP client copy traceparent, tracestate and baggage onto the redirected request",
    ]);
  });

  it("names CORS and the refused headers when the gateway's preflight leaves them out, and fails login with the steps' error and the verdict", () => {
    const run = runs.get('api-gateway:cors-omits-trace-headers');
    expect(withoutIds(run?.verdicts.login?.problems)).toEqual([
      "broken-chain: CORS: api-gateway answered the preflight for POST /login with Access-Control-Allow-Headers \"content-type, content-encoding, authorization, b3, x-b3-traceid, x-b3-spanid, x-b3-parentspanid, x-b3-sampled, x-b3-flags\", which leaves out traceparent, tracestate, baggage, so the browser refused to send mobile-app's request and api-gateway never received it: the service's CORS preflight answer leaves traceparent, tracestate and baggage out of Access-Control-Allow-Headers, so the browser refuses to send the request; fix: add traceparent, tracestate and baggage to the service's Access-Control-Allow-Headers (its CORS preflight answer)",
    ]);
    // The failure Jest prints for the login spec: the steps' error, then the verdict.
    expect(run?.output).toContain(
      `The journey's steps failed: [tracehop] Failed to see by.id("search-screen") to be visible: no element matches after 15000 ms.`,
    );
  });

  it('ends every verdict line of the new faults with its fix', () => {
    const labels = CASES.filter(
      (testCase) => testCase.appFaults !== undefined || /cors|redirect/.test(testCase.faults),
    ).map(labelOf);
    const lines = labels.flatMap((label) =>
      Object.values(runs.get(label)?.verdicts ?? {}).flatMap((verdict) => verdict.problems),
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((line) => !/; fix: [^;]+$/.test(line))).toEqual([]);
  });
});
