import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInNewContext } from 'node:vm';
import { startBackend, type Backend } from '../backend';
import { TracehopError } from '../errors';
import { RUNS_DIR_ENV } from '../jest';
import { asSpanId, asTraceId, type Span } from '../model';
import {
  computeCoverage,
  evaluateGate,
  renderJunit,
  renderMarkdown,
  type JourneyRun,
  type JourneySpec,
} from '../report';
import { JourneyFailure, journey } from './journey';
import { PENDING_JOURNEYS_GLOBAL, type PendingJourneys } from './pending-journeys';

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];

let backend: Backend;
let runsDir: string;
let printed: string[];

beforeAll(async () => {
  backend = await startBackend();
});

afterAll(async () => {
  await backend.stop();
});

beforeEach(() => {
  runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracehop-journey-'));
  process.env[RUNS_DIR_ENV] = runsDir;
  printed = [];
  jest.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
});

afterEach(() => {
  jest.restoreAllMocks();
  delete process.env[RUNS_DIR_ENV];
  fs.rmSync(runsDir, { recursive: true, force: true });
  backend.setFaults([]);
});

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** The app's journey span and its CLIENT span for POST /checkout, as the app exports them. */
function appSpans(start: number): Span[] {
  const traceId = asTraceId(hex(16));
  const root: Span = {
    traceId,
    spanId: asSpanId(hex(8)),
    name: 'checkout',
    kind: 'internal',
    service: 'mobile-app',
    startTimeMs: start,
    endTimeMs: Date.now(),
    attributes: { 'app.journey': 'checkout' },
    traceFlags: 1,
  };
  const client: Span = {
    traceId,
    spanId: asSpanId(hex(8)),
    parentSpanId: root.spanId,
    name: 'HTTP POST',
    kind: 'client',
    service: 'mobile-app',
    startTimeMs: start,
    endTimeMs: Date.now(),
    attributes: {
      'http.request.method': 'POST',
      'url.full': `${backend.urls.services['api-gateway']}/checkout`,
    },
    traceFlags: 1,
  };
  return [root, client];
}

/** The browser's preflight for the app's POST /checkout with trace headers. */
async function preflight(): Promise<void> {
  const response = await fetch(`${backend.urls.services['api-gateway']}/checkout`, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://127.0.0.1:9',
      'access-control-request-method': 'POST',
      // In the browser's order (sorted): the verdict names them in W3C order all the same.
      'access-control-request-headers': 'baggage,content-type,traceparent,tracestate',
    },
  });
  await response.text();
}

/** The app's POST /checkout to the gateway, with `headers` (its trace headers, if it injects any). */
async function postCheckout(headers: Record<string, string>): Promise<void> {
  const response = await fetch(`${backend.urls.services['api-gateway']}/checkout`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: '{}',
  });
  await response.text();
}

/** What journey() threw, or undefined when it resolved. */
async function thrownBy(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
    return undefined;
  } catch (error) {
    return error;
  }
}

const withoutIds = (text: string): string => text.replace(/\b[0-9a-f]{8,32}\b/g, '<id>');
// matcherHint colours its parts when the terminal allows it.
// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('journey() when its steps throw', () => {
  it('judges, records and prints the CORS refusal, then throws with the steps failure and the verdict', async () => {
    backend.setFaults([{ service: 'api-gateway', fault: 'cors-omits-trace-headers' }]);
    const stepsError = new Error('confirmation-screen never became visible');
    const error = await thrownBy(
      journey(
        'checkout',
        async () => {
          const start = Date.now();
          await preflight();
          backend.store.add(...appSpans(start));
          throw stepsError;
        },
        { backend, chain: CHAIN, thirdParty: [], timeout: 5_000 },
      ),
    );

    const cors =
      'broken-chain: CORS: api-gateway answered the preflight for POST /checkout with Access-Control-Allow-Headers "content-type, content-encoding, authorization, b3, x-b3-traceid, x-b3-spanid, x-b3-parentspanid, x-b3-sampled, x-b3-flags", ' +
      "which leaves out traceparent, tracestate, baggage, so the browser refused to send mobile-app's request and api-gateway never received it: " +
      "the service's CORS preflight answer leaves traceparent, tracestate and baggage out of Access-Control-Allow-Headers, so the browser refuses to send the request; " +
      "fix: add traceparent, tracestate and baggage to the service's Access-Control-Allow-Headers (its CORS preflight answer)";
    expect(error).toBeInstanceOf(JourneyFailure);
    const failure = error as JourneyFailure;
    expect(failure.cause).toBe(stepsError);
    // It says why api-gateway has no span, and so why none behind it has one: no missing-service besides.
    expect(failure.verdict.lines).toEqual([cors]);
    const message = plain(failure.message).split('\n');
    expect(message.slice(0, 7)).toEqual([
      'tracehop journey("checkout")',
      '',
      "The journey's steps failed: confirmation-screen never became visible",
      '',
      'Expected: one trace through mobile-app → api-gateway → payment-api → fraud-service, no trace problems',
      'Received: 1 problem',
      `  ✗ ${cors}`,
    ]);
    // Printed before the throw, so the e2e output shows why the screen never came.
    expect(
      printed.map((text) =>
        text
          .replace(/ in \d+ ms/, ' in <n> ms')
          .split('\n')
          .slice(0, 2),
      ),
    ).toEqual([['[tracehop] checkout: FAIL (broken-chain) in <n> ms', `  ${cors}`]]);
    const records = fs.readdirSync(runsDir);
    expect(records).toHaveLength(1);
    const record = JSON.parse(fs.readFileSync(path.join(runsDir, records[0] ?? ''), 'utf8')) as {
      journey: string;
      problems: { kind: string }[];
      captures: { method: string; path: string }[];
    };
    expect([
      record.journey,
      record.problems.map((problem) => problem.kind),
      record.captures.map((capture) => `${capture.method} ${capture.path}`),
    ]).toEqual(['checkout', ['broken-chain'], ['OPTIONS /checkout']]);
  });

  it('throws the steps failure with "no trace problems" when the trace is whole', async () => {
    const error = await thrownBy(
      journey(
        'checkout',
        async () => {
          backend.store.add(appSpans(Date.now())[0] as Span);
          // A chain of one service is judged on its third party: called here without trace headers.
          await (await fetch(`${backend.urls.services.analytics}/events`, { method: 'POST' })).text();
          // An error of another realm, as Jest's spec sandbox throws them.
          throw runInNewContext('new Error(\'order-status has text "Failed"\')') as unknown;
        },
        { backend, chain: ['mobile-app'], thirdParty: ['analytics'], timeout: 5_000 },
      ),
    );
    expect(error).toBeInstanceOf(JourneyFailure);
    expect(
      withoutIds(plain((error as JourneyFailure).message))
        .split('\n')
        .slice(0, 6),
    ).toEqual([
      'tracehop journey("checkout")',
      '',
      'The journey\'s steps failed: order-status has text "Failed"',
      '',
      'Expected: one trace through mobile-app, no trace problems',
      'Received: no trace problems',
    ]);
    expect(printed.map((text) => text.split('\n')[0]?.replace(/\d+ ms/, '<n> ms'))).toEqual([
      '[tracehop] checkout: PASS in <n> ms',
    ]);
    expect(fs.readdirSync(runsDir)).toHaveLength(1);
  });

  it('names the steps failure and the missing root span when the app exported nothing', async () => {
    const error = await thrownBy(
      journey(
        'login',
        () => {
          throw new Error('search-screen never became visible');
        },
        { backend, chain: ['mobile-app', 'api-gateway', 'auth-service'], thirdParty: [], timeout: 300 },
      ),
    );
    expect((error as Error).message).toBe(
      'The "login" journey\'s steps failed: search-screen never became visible\n\n' +
        '[tracehop] Failed to wait for the spans of the "login" journey: after 300 ms the backend still lacked a new root span "login" from mobile-app. ' +
        `T${missingRoot('login').slice(1)}.`,
    );
    // The verdict line every run prints, with the problem the run records.
    expect(printed.map((text) => text.replace(/\d+ ms/, '<n> ms'))).toEqual([
      `[tracehop] login: FAIL (broken-chain) in <n> ms\n  broken-chain: ${missingRoot('login')}`,
    ]);
    // Recorded all the same, with the missing root: the coverage report shows the journey as run and broken.
    const records = fs.readdirSync(runsDir);
    expect(records).toHaveLength(1);
    const record = readRecord(records[0]);
    expect([record.journey, record.spans, record.captures, record.problems]).toEqual([
      'login',
      [],
      [],
      [
        {
          kind: 'broken-chain',
          traceId: null,
          spanId: null,
          service: 'mobile-app',
          lastService: 'mobile-app',
          restartedService: 'api-gateway',
          message: missingRoot('login'),
        },
      ],
    ]);
  });

  it('records what the backend received when the root span never came, so coverage shows the hop that broke', async () => {
    const error = await thrownBy(
      journey(
        'checkout',
        async () => {
          // The app calls the gateway but never exports its spans (an exporter never flushed).
          const [, client] = appSpans(Date.now()) as [Span, Span];
          await postCheckout({ traceparent: `00-${client.traceId}-${client.spanId}-01` });
        },
        { backend, chain: CHAIN, thirdParty: [], timeout: 300 },
      ),
    );
    expect(withoutIds((error as Error).message)).toBe(
      '[tracehop] Failed to wait for the spans of the "checkout" journey: after 300 ms the backend still lacked a new root span "checkout" from mobile-app; ' +
        'span <id>, the parent in the traceparent api-gateway received on POST /checkout. ' +
        `T${missingRoot('checkout').slice(1)}.`,
    );
    const records = fs.readdirSync(runsDir);
    expect(records).toHaveLength(1);
    const record = readRecord(records[0]);
    const coverage = computeCoverage(
      [{ name: 'checkout', chain: CHAIN, owner: 'payments', criticality: 'critical' } satisfies JourneySpec],
      [record],
    ).journeys[0];
    expect([
      record.captures.map((capture) => `${capture.service} ${capture.method} ${capture.path}`),
      record.spans.map((span) => `${span.service} ${span.kind}`).sort(),
      coverage?.runId,
      coverage?.covered,
      withoutIds(coverage?.firstBrokenReason ?? ''),
      coverage?.problems.map((problem) => withoutIds(problem.message)),
      coverage?.passed,
    ]).toEqual([
      ['api-gateway POST /checkout', 'payment-api POST /payments', 'fraud-service POST /fraud/score'],
      ['api-gateway client', 'api-gateway server', 'fraud-service server', 'payment-api client', 'payment-api server'],
      record.runId,
      2,
      'header-span-mismatch: api-gateway (POST /checkout) received parent id <id>, which no exported span has: the caller never exported that span, or a proxy between them rewrites the parent id to a span it never exported',
      [
        'api-gateway (POST /checkout) received parent id <id>, which no exported span has: the caller never exported that span, or a proxy between them rewrites the parent id to a span it never exported',
        'api-gateway "POST /checkout" (<id>) names parent span <id>, which was never exported in trace <id>: the caller\'s span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent',
        'mobile-app has no span in any trace: the spans come from api-gateway, fraud-service, payment-api: mobile-app never exported its spans (flush its exporter before the journey ends), or its service.name is spelt differently',
        missingRoot('checkout'),
      ],
      false,
    ]);
  });

  it("says the app's sampler dropped the run when its call carried traceparent with the sampled flag off", async () => {
    let header = '';
    const error = await thrownBy(
      journey(
        'checkout',
        async () => {
          // An app on AlwaysOffSampler: an unsampled traceparent, and no span exported.
          const [, client] = appSpans(Date.now()) as [Span, Span];
          header = `00-${client.traceId}-${client.spanId}-00`;
          await postCheckout({ traceparent: header });
        },
        { backend, chain: CHAIN, thirdParty: [], timeout: 300 },
      ),
    );
    const problem = `the journey's root span "checkout" never arrived from mobile-app, and its call POST /checkout to api-gateway carried traceparent ${header} with the sampled flag off: the app's sampler dropped the journey (AlwaysOff, or a ratio below 1), so the app exported no span of it (and a service that follows the flag records none); fix: sample every trace in test builds (ParentBased(AlwaysOn), or OTEL_TRACES_SAMPLER=always_on) and export the root span "checkout" to tracehopOtlpUrl when the journey ends`;
    expect((error as Error).message).toBe(
      // Not the unsampled parent too: no span processor exports it, so waiting for it would only run out the clock.
      '[tracehop] Failed to wait for the spans of the "checkout" journey: after 300 ms the backend still lacked a new root span "checkout" from mobile-app. ' +
        `T${problem.slice(1)}.`,
    );
    const [file] = fs.readdirSync(runsDir);
    expect(readRecord(file).problems.map((recorded) => [recorded.traceId, recorded.message])).toEqual([
      [header.slice(3, 35), problem],
    ]);
  });

  it('records the app spans that arrived meanwhile, so a request sent without traceparent shows as such', async () => {
    await thrownBy(
      journey(
        'checkout',
        async () => {
          // The app traced its call but injected no traceparent, and never exported its journey span.
          const [, client] = appSpans(Date.now()) as [Span, Span];
          await postCheckout({});
          backend.store.add(client);
        },
        { backend, chain: CHAIN, thirdParty: [], timeout: 300 },
      ),
    );
    const [file] = fs.readdirSync(runsDir);
    const record = readRecord(file);
    const coverage = computeCoverage(
      [{ name: 'checkout', chain: CHAIN, owner: 'payments', criticality: 'critical' } satisfies JourneySpec],
      [record],
    ).journeys[0];
    expect([
      record.spans.filter((span) => span.service === 'mobile-app').map((span) => span.kind),
      withoutIds(coverage?.firstBrokenReason ?? ''),
    ]).toEqual([
      ['client'],
      "broken-chain: mobile-app sent no trace headers at all to api-gateway (POST /checkout), so it started a new trace: the gateway's origin is missing from the app SDK's propagation allow-list, or no propagator is registered in the app; fix: add the gateway's origin to the SDK's propagation targets (propagateTraceHeaderCorsUrls / tracePropagationTargets / firstPartyHosts), and register a W3C propagator (OpenTelemetry JS: propagation.setGlobalPropagator(new W3CTraceContextPropagator()))",
    ]);
  });
});

describe('journey() when its root span is misnamed', () => {
  it('says which parent held the journey span when it arrived as a child instead of a root', async () => {
    const parentId = asSpanId('abcdef0123456789');
    let child: Span | undefined;
    const error = await thrownBy(
      journey(
        'checkout',
        async () => {
          // The app opened "checkout" inside a span that is still open (never exported): no root arrives.
          const [root, client] = appSpans(Date.now()) as [Span, Span];
          child = { ...root, parentSpanId: parentId };
          await postCheckout({ traceparent: `00-${client.traceId}-${client.spanId}-01` });
          backend.store.add(child, client);
        },
        { backend, chain: CHAIN, thirdParty: [], timeout: 300 },
      ),
    );
    const span = child as Span;
    const problem =
      `the journey's span "checkout" from mobile-app (${span.spanId.slice(0, 8)}) arrived beneath span abcdef01, which is not among the spans that arrived (a span still open, or a context handed to the app), not as a root, so no trace is the journey's own; ` +
      'fix: start "checkout" as a root span (no span active around it; OpenTelemetry JS: tracer.startSpan("checkout", { root: true })) and export it to tracehopOtlpUrl when the journey ends';
    expect((error as Error).message).toBe(
      '[tracehop] Failed to wait for the spans of the "checkout" journey: after 300 ms the backend still lacked a new root span "checkout" from mobile-app. ' +
        `T${problem.slice(1)}.`,
    );
    const [file] = fs.readdirSync(runsDir);
    expect(readRecord(file).problems).toEqual([
      {
        kind: 'broken-chain',
        traceId: span.traceId,
        spanId: span.spanId,
        service: 'mobile-app',
        lastService: 'mobile-app',
        restartedService: 'api-gateway',
        message: problem,
      },
    ]);
  });

  it('records the run as broken at its first hop, so coverage, junit, markdown and the gate fail it', async () => {
    const error = await thrownBy(
      journey(
        'checkout',
        async () => {
          // The whole trace arrives, but the app named its journey span "pay" and tagged it with nothing.
          const [root, client] = appSpans(Date.now()) as [Span, Span];
          await postCheckout({ traceparent: `00-${client.traceId}-${client.spanId}-01` });
          backend.store.add({ ...root, name: 'pay', attributes: {} }, client);
        },
        { backend, chain: CHAIN, thirdParty: [], timeout: 300 },
      ),
    );
    expect((error as Error).message).toBe(
      '[tracehop] Failed to wait for the spans of the "checkout" journey: after 300 ms the backend still lacked a new root span "checkout" from mobile-app. ' +
        `T${missingRoot('checkout', ' (its root spans here are named "pay")').slice(1)}.`,
    );
    const [file] = fs.readdirSync(runsDir);
    const report = computeCoverage(
      [{ name: 'checkout', chain: CHAIN, owner: 'payments', criticality: 'critical' } satisfies JourneySpec],
      [readRecord(file)],
      { generatedAt: '2026-01-01T00:00:00.000Z' },
    );
    const checkout = report.journeys[0];
    // The root span that did arrive is named in the message: a misspelt root shows there.
    const named = missingRoot('checkout', ' (its root spans here are named "pay")');
    const reason = `broken-chain: ${named}`;
    expect([
      checkout?.hops.map((hop) => `${hop.label}: ${hop.status}`),
      checkout?.coverage,
      checkout?.complete,
      checkout?.firstBrokenHop,
      checkout?.firstBrokenReason,
      checkout?.problems.map((problem) => problem.message),
      report.coverage,
    ]).toEqual([
      [
        'mobile-app -> api-gateway: broken',
        'api-gateway -> payment-api: connected',
        'payment-api -> fraud-service: connected',
      ],
      2 / 3,
      false,
      'mobile-app -> api-gateway',
      reason,
      [named],
      0,
    ]);
    expect(renderJunit(report).split('\n').slice(1, 3)).toEqual([
      '<testsuites name="tracehop trace coverage" tests="3" failures="1" errors="0">',
      '  <testsuite name="checkout" tests="3" failures="1" errors="0" skipped="0">',
    ]);
    expect(renderMarkdown(report)).toContain(`**0%** of critical journeys fully covered (0 of 1)`);
    expect(evaluateGate(report, 'report.html')).toEqual({
      ok: false,
      reason: 'below-threshold',
      message:
        '[tracehop] Failed to pass the trace coverage gate: suite coverage 0% is below 100% (0 of 1 journeys covered); ' +
        `checkout 66% is below 100%, first broken hop mobile-app -> api-gateway: ${reason}. Open report.html to see each broken link.`,
    });
  });
});

describe('journey() under the tracehop test environment', () => {
  it('is tracked from its call, settled and awaited, so a test that returns before it fails (pending-journeys.ts)', async () => {
    const pending: PendingJourneys = new Set();
    (globalThis as Record<string, unknown>)[PENDING_JOURNEYS_GLOBAL] = pending;
    try {
      const run = journey('checkout', () => undefined, { backend, chain: CHAIN, timeout: 50 });
      const running = [...pending].map((entry) => [entry.name, entry.settled]);
      await thrownBy(run);
      const after = [...pending].map((entry) => [entry.name, entry.settled, entry.observed()]);
      expect({ running, after }).toEqual({ running: [['checkout', false]], after: [['checkout', true, true]] });
    } finally {
      delete (globalThis as Record<string, unknown>)[PENDING_JOURNEYS_GLOBAL];
    }
  });
});

describe('journey() and the device clock', () => {
  it("judges the run's new root span even when the device clock runs behind the backend's", async () => {
    // Earlier tests' checkout spans, tagged with the journey in the last 5 s, would join this run.
    backend.store.clear();
    const verdict = await journey(
      'checkout',
      async () => {
        // The device's clock is 5 s behind: its root span seems to start before the journey did.
        backend.store.add(appSpans(Date.now() - 5_000)[0] as Span);
        await (await fetch(`${backend.urls.services.analytics}/events`, { method: 'POST' })).text();
      },
      { backend, chain: ['mobile-app'], thirdParty: ['analytics'], timeout: 5_000 },
    );
    expect([verdict.ok, verdict.lines, verdict.trace.length]).toEqual([true, [], 1]);
  });
  it("does not judge an earlier run's root span when this run's root span has no time", async () => {
    backend.store.clear();
    // An earlier run's root span, with its time, and its call to the third party: a whole run.
    backend.store.add(appSpans(Date.now() - 60_000)[0] as Span);
    await (await fetch(`${backend.urls.services.analytics}/events`, { method: 'POST' })).text();
    const untimed = { ...(appSpans(0)[0] as Span), startTimeMs: 0, endTimeMs: 0 };
    const error = await thrownBy(
      journey(
        'checkout',
        async () => {
          // This run's root span arrives with no time (an exporter that wrote none): no bound at all, in 1970.
          backend.store.add(untimed);
          await (await fetch(`${backend.urls.services.analytics}/events`, { method: 'POST' })).text();
        },
        { backend, chain: ['mobile-app'], thirdParty: ['analytics'], timeout: 5_000 },
      ),
    );
    expect(error).toBeInstanceOf(JourneyFailure);
    expect((error as JourneyFailure).verdict.problems.map((problem) => `${problem.kind}: ${problem.message}`)).toEqual([
      `broken-chain: no root span "checkout" arrived from mobile-app since the journey started: the latest one (trace ${untimed.traceId.slice(0, 8)}) has no time in the dump (it starts at 0), so it cannot be told from an earlier run's and no trace can be tied to this run; fix: make the app export "checkout" with its start and end times before the journey is judged`,
    ]);
  });
});

describe('journey() with a chain of its own', () => {
  it("says when the chain it is given differs from the journeys file's, which the coverage report judges", async () => {
    backend.store.clear();
    const file = path.join(runsDir, 'journeys.json');
    const journeys = [
      { name: 'checkout', chain: ['mobile-app', 'api-gateway'], owner: 'payments', criticality: 'critical' },
    ];
    fs.writeFileSync(
      file,
      JSON.stringify({ journeys: journeys.map((entry) => ({ ...entry, noTraceHeaders: ['analytics'] })) }),
    );
    const warned: string[] = [];
    jest.spyOn(console, 'warn').mockImplementation((line: unknown) => void warned.push(String(line)));
    const steps = async (): Promise<void> => {
      backend.store.add(appSpans(Date.now())[0] as Span);
      await (await fetch(`${backend.urls.services.analytics}/events`, { method: 'POST' })).text();
    };
    const verdict = await journey('checkout', steps, {
      backend,
      chain: ['mobile-app'],
      journeysFile: file,
      timeout: 5_000,
    });
    expect([verdict.ok, warned]).toEqual([
      true,
      [
        "[tracehop] checkout: judged by the chain given to journey() (mobile-app), while the coverage report judges the journeys file's (mobile-app -> api-gateway); give journey() no chain, or change the journeys file, to judge both by one",
      ],
    ]);
    // The file's own chain, given again: nothing to say.
    warned.length = 0;
    backend.store.clear();
    await thrownBy(
      journey('checkout', steps, { backend, chain: ['mobile-app', 'api-gateway'], journeysFile: file, timeout: 300 }),
    );
    expect(warned).toEqual([]);
  });
});

describe('journey() with no hop to check', () => {
  it.each([
    [[], 'no service'],
    [['mobile-app'], 'one service'],
  ])('refuses the chain %j before running the steps', async (chain, names) => {
    const steps = jest.fn();
    const error = await thrownBy(journey('checkout', steps, { backend, chain, thirdParty: [], timeout: 300 }));
    expect([error instanceof TracehopError, (error as Error).message, steps.mock.calls.length]).toEqual([
      true,
      `[tracehop] Failed to run the "checkout" journey: its chain ${JSON.stringify(chain)} has no hop to check: it names ${names} and no third party. ` +
        'Name at least two services in call order, the app first ({ chain } or the journeys file), or the third parties that must receive no trace headers ({ thirdParty }).',
      0,
    ]);
    expect(fs.readdirSync(runsDir)).toEqual([]);
  });
});

// A spec in JavaScript passes anything: a misspelt option was read as absent ({ thirdparty } judged the journey
// with no third party, { timout } waited 15 s), a chain given as a string was read a letter a service.
describe('journey() called with what it cannot use', () => {
  const chain = ['mobile-app', 'api-gateway'];
  const OPTIONS = "journey()'s options are chain, root, thirdParty, timeout, backend and journeysFile.";
  it.each<[string, unknown, string]>([
    [
      'a misspelt option',
      { chain, thirdparty: ['analytics'] },
      `it has an unknown option "thirdparty" (did you mean "thirdParty"?). ${OPTIONS}`,
    ],
    ['an unknown option', { chain, retries: 2 }, `it has an unknown option "retries". ${OPTIONS}`],
    [
      'a chain written as one string',
      { chain: 'mobile-app,api-gateway' },
      `{ chain } is "mobile-app,api-gateway", not a list of service names. Pass an array of names: { chain: ['mobile-app', 'api-gateway', 'payment-api'] }.`,
    ],
    [
      'a third party that is no name',
      { chain, thirdParty: ['analytics', 7] },
      `{ thirdParty } is ["analytics",7], not a list of service names: item 1 is 7. Pass an array of names: { thirdParty: ['analytics'] }.`,
    ],
    [
      'a timeout in a string',
      { chain, timeout: '30000' },
      '{ timeout } is "30000", not a number of milliseconds from 0 up. Pass milliseconds, such as { timeout: 30000 }, or leave it out to wait 15000.',
    ],
    [
      'a negative timeout',
      { chain, timeout: -1 },
      '{ timeout } is -1, not a number of milliseconds from 0 up. Pass milliseconds, such as { timeout: 30000 }, or leave it out to wait 15000.',
    ],
    ['an empty root', { chain, root: '' }, `{ root } is "", not a name. Pass a string: { root: 'checkout-flow' }.`],
  ])('refuses %s before running the steps', async (_case, options, cause) => {
    const steps = jest.fn();
    const error = await thrownBy(journey('checkout', steps, { backend, ...(options as object) }));
    expect([error instanceof TracehopError, (error as Error).message, steps.mock.calls.length]).toEqual([
      true,
      `[tracehop] Failed to run the "checkout" journey: ${cause}`,
      0,
    ]);
    expect(fs.readdirSync(runsDir)).toEqual([]);
  });

  it('takes a timeout of 0: it judges, without waiting, the spans that arrived while the steps ran', async () => {
    backend.store.clear();
    const verdict = await journey(
      'checkout',
      async () => {
        backend.store.add(appSpans(Date.now())[0] as Span);
        await (await fetch(`${backend.urls.services.analytics}/events`, { method: 'POST' })).text();
      },
      { backend, chain: ['mobile-app'], thirdParty: ['analytics'], timeout: 0 },
    );
    expect([verdict.ok, verdict.lines, verdict.trace.length]).toEqual([true, [], 1]);
  });

  it('refuses steps that are no function, and a journey with no name', async () => {
    const calls = (args: unknown[]): Promise<unknown> =>
      thrownBy((journey as (...args: unknown[]) => Promise<unknown>)(...args));
    const errors = [
      await calls(['checkout', undefined, { backend, chain }]),
      await calls([undefined, () => undefined, { backend, chain }]),
    ];
    expect(errors.map((error) => (error as Error).message)).toEqual([
      '[tracehop] Failed to run the "checkout" journey: its steps are undefined, not a function. Pass the steps as a function: journey("checkout", async () => { ... }).',
      "[tracehop] Failed to run a journey: its name is undefined, not a journey name. Name a journey of the journeys file: journey('checkout', async () => { ... }).",
    ]);
  });
});

/** The problem a run records when the journey's root span never arrived; `seen`: the app's other root spans. */
function missingRoot(root: string, seen = ''): string {
  return `the journey's root span "${root}" never arrived from mobile-app${seen}, so no trace can be tied to the journey; fix: make the app name the journey's root span "${root}" (or tag it app.journey=${root}) and export it to tracehopOtlpUrl when the journey ends`;
}

/** A run record journey() wrote to the runs directory. */
function readRecord(file: string | undefined): JourneyRun {
  return JSON.parse(fs.readFileSync(path.join(runsDir, file ?? ''), 'utf8')) as JourneyRun;
}
