/**
 * Deterministic recorded runs of the sample app's five journeys, clean or with one fault, for tests of
 * the coverage model and the reports. Shapes match what the mock backend records.
 */
import { asSpanId, asTraceId, type CapturedRequest, type HeaderEntry, type Span, type TraceId } from '../../model';
import { CALL_ID_ATTRIBUTE, CALL_ID_HEADER } from '../../model';
import type { JourneyRun } from '../run-record';
import { parseJourneys, type JourneySpec } from '../journeys';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const BASE_MS = 1_764_000_000_000;

/** A secret that must never reach an artifact. */
export const SECRET_TOKEN = 'Bearer sk_live_do-not-leak-4242';
export const SECRET_COOKIE = 'session=s3cr3t-cookie-value';

const ROUTES: Record<string, Record<string, [string, string]>> = {
  checkout: {
    'api-gateway': ['POST', '/checkout'],
    'payment-api': ['POST', '/payments'],
    'fraud-service': ['POST', '/fraud/score'],
  },
  'offline-replay': {
    'api-gateway': ['POST', '/checkout'],
    'payment-api': ['POST', '/payments'],
    'fraud-service': ['POST', '/fraud/score'],
  },
  login: { 'api-gateway': ['POST', '/login'], 'auth-service': ['POST', '/sessions'] },
  'search-retry': { 'api-gateway': ['GET', '/search'], 'catalog-service': ['GET', '/products'] },
  privacy: { analytics: ['POST', '/events'] },
};

const CHAINS: Record<string, string[]> = {
  checkout: ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'],
  'offline-replay': ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'],
  login: ['mobile-app', 'api-gateway', 'auth-service'],
  'search-retry': ['mobile-app', 'api-gateway', 'catalog-service'],
  privacy: ['mobile-app'],
};

/** The five journeys of fixtures/journeys.json. */
export const SAMPLE_JOURNEYS = Object.keys(CHAINS);

/** Faults the sample runs can inject. */
export interface SampleFault {
  /** The callee ignores the traceparent it received and starts a new trace. */
  readonly newTraceAt?: { readonly from: string; readonly to: string };
  /** The caller sends no traceparent (`drop-traceparent`), so the callee starts a new trace. */
  readonly dropTraceparentAt?: { readonly from: string; readonly to: string };
  /** The third-party analytics host receives a traceparent. */
  readonly leakToAnalytics?: boolean;
}

// Readable ids: the first 8 characters (what messages show) are the run seed and a counter.
function hex(seed: number, n: number, length: number, fill: string): string {
  return `${seed.toString(16).padStart(3, '0')}${n.toString(16).padStart(5, '0')}`.padEnd(length, fill);
}

/** Builds one recorded run of `journey`. `seed` (1..4095) makes ids unique per run. */
export function sampleRun(
  journey: string,
  seed: number,
  fault: SampleFault = {},
  recordedAt = '2026-11-26T01:00:00.000Z',
): JourneyRun {
  const chain = CHAINS[journey]!;
  let next = 0;
  const spanId = () => asSpanId(hex(seed, ++next, 16, 'b'));
  let traceNo = 0;
  const newTrace = (): TraceId => asTraceId(hex(seed, 0xf0000 + ++traceNo, 32, 'c'));
  const spans: Span[] = [];
  const captures: CapturedRequest[] = [];
  let traceId = newTrace();
  let t = BASE_MS + seed * 10_000;
  const root: Span = {
    traceId,
    spanId: spanId(),
    name: `${journey} tap`,
    kind: 'internal',
    service: 'mobile-app',
    startTimeMs: t,
    endTimeMs: t + 420,
    attributes: { 'app.screen': journey },
  };
  spans.push(root);
  let parent: Span = root;
  const hops = journey === 'privacy' ? ['analytics'] : chain.slice(1);
  let caller = 'mobile-app';
  hops.forEach((callee, depth) => {
    const [method, path] = ROUTES[journey]![callee]!;
    t += 12;
    // Services tie each call to its CLIENT span with a call id, as the mock backend does; the app sends none.
    const callId = caller === 'mobile-app' ? undefined : `call-${seed}-${depth}`;
    const client: Span = {
      traceId,
      spanId: spanId(),
      parentSpanId: parent.spanId,
      name: `${method} ${path}`,
      kind: 'client',
      service: caller,
      startTimeMs: t,
      endTimeMs: t + 380 - depth * 110,
      attributes: {
        'http.request.method': method,
        'url.path': path,
        'http.request.header.authorization': [SECRET_TOKEN],
        ...(callId ? { [CALL_ID_ATTRIBUTE]: callId } : {}),
      },
    };
    spans.push(client);
    const headers: HeaderEntry[] = [
      ['host', `127.0.0.1:${4000 + depth}`],
      ['content-type', 'application/json'],
      ['authorization', SECRET_TOKEN],
      ['cookie', SECRET_COOKIE],
      ...(callId ? [[CALL_ID_HEADER, callId] as HeaderEntry] : []),
    ];
    const thirdParty = callee === 'analytics';
    const dropped = fault.dropTraceparentAt?.from === caller && fault.dropTraceparentAt.to === callee;
    if ((!thirdParty || fault.leakToAnalytics) && !dropped)
      headers.push(['traceparent', `00-${traceId}-${client.spanId}-01`]);
    const broken = dropped || (fault.newTraceAt?.from === caller && fault.newTraceAt.to === callee);
    if (broken) traceId = newTrace();
    const server: Span | undefined = thirdParty
      ? undefined
      : {
          traceId,
          spanId: spanId(),
          ...(broken ? {} : { parentSpanId: client.spanId }),
          name: `${method} ${path}`,
          kind: 'server',
          service: callee,
          startTimeMs: t + 6,
          endTimeMs: t + 360 - depth * 110,
          attributes: { 'http.request.method': method, 'url.path': path, 'http.response.status_code': 200 },
        };
    if (server) spans.push(server);
    captures.push({
      seq: captures.length + 1,
      service: callee,
      firstParty: !thirdParty,
      method,
      path,
      headers,
      timeMs: t + 5,
      ...(server ? { serverSpanId: server.spanId, serverTraceId: server.traceId } : {}),
    });
    if (server) parent = server;
    caller = callee;
  });
  return {
    version: 1,
    journey,
    runId: `${journey}-run-${seed}`,
    recordedAt,
    worker: String((seed % 2) + 1),
    spans,
    captures,
    problems: [],
  };
}

/** Clean runs of all five journeys. */
export function cleanRuns(firstSeed = 1): JourneyRun[] {
  return SAMPLE_JOURNEYS.map((journey, index) => sampleRun(journey, firstSeed + index));
}

/** The journeys of fixtures/journeys.json (read synchronously for tests). */
export function sampleJourneySpecs(): JourneySpec[] {
  const text = readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'journeys.json'), 'utf8');
  const parsed = parseJourneys(text, 'fixtures/journeys.json');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

/** `run` with the app's clock `behindMs` behind the backend's: every mobile-app span moved back by that much. */
export function withAppClockBehind(run: JourneyRun, behindMs: number): JourneyRun {
  return {
    ...run,
    spans: run.spans.map((span) =>
      span.service === 'mobile-app'
        ? { ...span, startTimeMs: span.startTimeMs - behindMs, endTimeMs: span.endTimeMs - behindMs }
        : span,
    ),
  };
}
