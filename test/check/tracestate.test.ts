/**
 * A tracestate lost between hops, judged from a dump alone: only formats that record trace state (OTLP) can
 * show the loss, and only a callee left with none is one. The journeys run the real OpenTelemetry JS SDK,
 * whose SERVER spans inherit the trace state they extract; the app's sampler sets "vendor=abc" on its root.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { runCheckoutJourneySdk, type JourneyOptions } from '../verify/support/checkout-journey';
import { CHAIN, ROOT, runCli, tempFiles } from './support';
import {
  goStdouttrace,
  jaegerJson,
  otlpJsonBareLines,
  otlpJsonLines,
  otlpProtoBare,
  otlpProtoFramed,
  pythonConsole,
  tempoJson,
  zipkinSpans,
} from './support-formats';

/** api-gateway's proxy in front of payment-api strips tracestate. */
const STRIP: JourneyOptions['rewrite'] = { 'payment-api': (headers) => delete headers.tracestate };
const APP_STATE = { 'mobile-app': 'vendor=abc' } as const;

const MESSAGE =
  'payment-api "POST /payments" (1ae61241) has no tracestate although api-gateway\'s call span "POST /payments" (1b297929) carries "vendor=abc": a proxy between them strips the tracestate header, or payment-api read its context with a propagator that has no tracestate (B3 alone); fix: let the proxy between them pass tracestate through';
const LOST_STDOUT = `mobile-app -> api-gateway -> payment-api -> fraud-service: 1 run, 1 broken (header-span-mismatch 1)
1 problem: header-span-mismatch 1

trace 156be384 (7 spans)
└─ mobile-app "checkout" INTERNAL 1f4d75d2
   └─ mobile-app "POST /checkout" CLIENT 94672b5b
      └─ api-gateway "POST /checkout" SERVER 2039b7db
         └─ ✗ api-gateway "POST /payments" CLIENT 1b297929  header-span-mismatch
            └─ payment-api "POST /payments" SERVER 1ae61241
               └─ payment-api "POST /fraud/score" CLIENT a1131689
                  └─ fraud-service "POST /fraud/score" SERVER 34786d4a

✗ header-span-mismatch: trace 156be3844a71b629ea21a61302968522, span 1b297929b58426cf, service payment-api: ${MESSAGE}
[tracehop] Failed to verify traces: 1 problem in 1 trace, 7 spans. Each problem above names the hop that lost the trace context.
`;
const OK_LINE =
  '[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace.\n';

const serviceOf = (span: ReadableSpan): string => String(span.resource.attributes['service.name']);

/** Two batches per dump, as two exporters would flush them: the backend's spans, then the app's. */
function batches(spans: ReadableSpan[]): ReadableSpan[][] {
  const app = spans.filter((span) => span.resource.attributes['service.name'] === 'mobile-app');
  return [spans.filter((span) => !app.includes(span)), app];
}

type Writer = (spans: ReadableSpan[]) => string | Buffer;
/** Formats that record trace state: the loss shows. */
const OTLP: [string, Writer][] = [
  ['dump.jsonl', (spans) => otlpJsonLines(batches(spans))],
  ['logging-otlp.jsonl', (spans) => otlpJsonBareLines(batches(spans))],
  ['tempo.json', tempoJson],
  ['request.pb', otlpProtoBare],
  ['collector.pb', (spans) => otlpProtoFramed(batches(spans))],
  // The SDKs' span prints hold every span's trace state too ("" and "[]" when it has none).
  ['stdouttrace.json', (spans) => goStdouttrace(spans, true)],
  ['console.txt', pythonConsole],
];
/** Formats that cannot say a span had none: Zipkin has no trace state, Jaeger only a tag when there is one. */
const WITHOUT_STATE: [string, Writer][] = [
  ['jaeger.json', jaegerJson],
  ['zipkin.json', (spans) => JSON.stringify(zipkinSpans(spans))],
];

function write(file: string, body: string | Buffer): string {
  const dir = tempFiles({});
  writeFileSync(join(dir, file), body);
  return dir;
}

/** The human verdict, without Tempo's note on base64 ids (stderr). */
async function check(spans: ReadableSpan[], file: string, writer: Writer): Promise<[number, string]> {
  const result = await runCli(['check', '--expect', CHAIN, file], write(file, writer(spans)));
  return [result.code, result.stdout];
}

const journey = (options: JourneyOptions) => runCheckoutJourneySdk({ seed: 2028, ...options });

let lost: ReadableSpan[];
beforeAll(async () => {
  lost = await journey({ traceStateMember: APP_STATE, rewrite: STRIP });
});

describe('tracehop check on a dump where a proxy stripped tracestate', () => {
  it.each(OTLP)('%s: header-span-mismatch on the call whose tracestate did not arrive', async (file, writer) => {
    expect(await check(lost, file, writer)).toEqual([1, LOST_STDOUT]);
  });

  it('fixtures/dumps/checkout-tracestate-lost.jsonl: the same verdict', async () => {
    const dump = 'fixtures/dumps/checkout-tracestate-lost.jsonl';
    expect(await runCli(['check', '--expect', CHAIN, dump])).toEqual({ code: 1, stdout: LOST_STDOUT, stderr: '' });
  });

  it('says so in --json, and in the verdict of the journey it broke', async () => {
    const dir = write('dump.jsonl', otlpJsonLines(batches(lost)));
    const problem = {
      kind: 'header-span-mismatch',
      traceId: '156be3844a71b629ea21a61302968522',
      spanId: '1b297929b58426cf',
      service: 'payment-api',
      message: MESSAGE,
    };
    const verdict = (journeyName: string | null) => ({
      ok: false,
      traces: 1,
      spans: 7,
      problems: [problem],
      warnings: [],
      runs: [{ traceId: problem.traceId, journey: journeyName, ok: false, kinds: ['header-span-mismatch'] }],
    });
    const json = await runCli(['check', '--json', '--expect', CHAIN, 'dump.jsonl'], dir);
    expect([json.code, JSON.parse(json.stdout), json.stderr]).toEqual([1, verdict(null), '']);
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const checkout = await runCli(
      ['check', '--json', '--journeys', journeys, '--journey', 'checkout', 'dump.jsonl'],
      dir,
    );
    expect([checkout.code, JSON.parse(checkout.stdout), checkout.stderr]).toEqual([1, verdict('checkout'), '']);
  });

  it.each(WITHOUT_STATE)('%s: passes, since the format cannot show that payment-api had none', async (file, writer) => {
    expect(await check(lost, file, writer)).toEqual([0, OK_LINE]);
    // Jaeger still names the caller's state (the w3c.tracestate tag): only the callee's is unknown.
    expect(String(writer(lost)).includes('vendor=abc')).toBe(file === 'jaeger.json');
  });

  it("passes when payment-api's spans come from Zipkin and the gateway's from OTLP, in one check", async () => {
    const callee = (span: ReadableSpan) => ['payment-api', 'fraud-service'].includes(serviceOf(span));
    const dir = write('callers.jsonl', otlpJsonLines([lost.filter((span) => !callee(span))]));
    writeFileSync(join(dir, 'callees.zipkin.json'), JSON.stringify(zipkinSpans(lost.filter(callee))));
    const result = await runCli(['check', '--expect', CHAIN, 'callers.jsonl', 'callees.zipkin.json'], dir);
    expect([result.code, result.stdout]).toEqual([0, OK_LINE]);
  });
});

describe('tracehop check finds no lost tracestate', () => {
  it.each<[string, JourneyOptions]>([
    ['the app sent none (nothing to lose)', { rewrite: STRIP }],
    [
      'payment-api put its own member in front of the one it received',
      { traceStateMember: { ...APP_STATE, 'payment-api': 'pay=1' } },
    ],
    [
      "payment-api's own member is all it has after the strip (a participant may rewrite the rest: not judged)",
      { traceStateMember: { ...APP_STATE, 'payment-api': 'pay=1' }, rewrite: STRIP },
    ],
    ['every hop forwarded it', { traceStateMember: APP_STATE }],
  ])('when %s', async (_case, options) => {
    const spans = await journey(options);
    for (const [file, writer] of OTLP) expect([file, await check(spans, file, writer)]).toEqual([file, [0, OK_LINE]]);
  });
});

describe('tracehop check on a caller whose trace state the OpenTelemetry Go SDK refused (fixtures/dumps/go-tracestate)', () => {
  // A mobile app on the OpenTelemetry JS SDK 1.x, whose TraceState takes any key, called api-gateway on the
  // OpenTelemetry Go SDK 1.1.0 three times: with "vendor=abc" (kept), "vendor=abc,Rate=0.25" ("Rate" is
  // uppercase: not valid tracestate) and "vendor=abc,1vendor=x" ("1vendor" is a Level 2 key, not a Level 1
  // one). Each header arrived (the SERVER span's http.request.header.tracestate), trace.ParseTraceState refused
  // the last two (tracestate.parse_error), and Go's propagator kept none of them. No proxy is at fault.
  const DIR = join(ROOT, 'fixtures/dumps/go-tracestate');
  const FILES = ['mobile-app.jsonl', 'go-services.jsonl'];
  const EXPECT = '--expect=mobile-app,api-gateway,payment-api';
  const INVALID =
    'api-gateway "POST /checkout" (6b80d096) has no tracestate, and mobile-app\'s call span "POST /checkout" (abee10ec) carries "vendor=abc,Rate=0.25", which is not valid tracestate (invalid-key: tracestate key "Rate" contains uppercase letters: keys are lowercase): a conforming callee may discard it (OpenTelemetry Go drops the whole header, JS the invalid members), so no hop need have lost it; fix: make mobile-app send only valid tracestate members (check what its sampler or code puts in the trace state)';
  const LEVEL2 =
    'api-gateway "POST /checkout" (dc603315) has no tracestate, and mobile-app\'s call span "POST /checkout" (c229566e) carries "vendor=abc,1vendor=x", whose key "1vendor" (it starts with a digit but has no "@") is valid in W3C Trace Context Level 2 but not in Level 1: OpenTelemetry Go and JS accept only Level 1 keys and drop it (Go the whole header, JS the member), so no hop need have lost it; fix: give mobile-app\'s trace state Level 1 keys (a lowercase letter first, or tenant@system with a system of at most 14 characters that starts with a lowercase letter)';

  it("names the caller's invalid tracestate and its Level 2 key, not a proxy", async () => {
    expect(await runCli(['check', EXPECT, ...FILES], DIR)).toEqual({
      code: 1,
      stdout: `mobile-app -> api-gateway -> payment-api: 3 runs, 2 broken (invalid-header 2)
2 problems: invalid-header 2

trace 5bc0a503 (5 spans)
└─ mobile-app "checkout" INTERNAL 54000d1f
   └─ ✗ mobile-app "POST /checkout" CLIENT abee10ec  invalid-header
      └─ api-gateway "POST /checkout" SERVER 6b80d096
         └─ api-gateway "POST /payments" CLIENT 5da40202
            └─ payment-api "POST /payments" SERVER 2d7f179f

trace 7c987171 (5 spans)
└─ mobile-app "checkout" INTERNAL c23442dd
   └─ ✗ mobile-app "POST /checkout" CLIENT c229566e  invalid-header
      └─ api-gateway "POST /checkout" SERVER dc603315
         └─ api-gateway "POST /payments" CLIENT face7aed
            └─ payment-api "POST /payments" SERVER 5f39808a

✗ invalid-header: trace 5bc0a503bf0d92d5e6f4c8043b5254c5, span abee10ec0764592f, service mobile-app: ${INVALID}
✗ invalid-header: trace 7c987171bc26a18d1c867bb8e9cfd892, span c229566ebcc4232e, service mobile-app: ${LEVEL2}
[tracehop] Failed to verify traces: 2 problems in 3 traces, 15 spans. Each problem above names the hop that lost the trace context.
`,
      stderr: '',
    });
  });

  it('says so in --json, and passes the checkout whose trace state was valid', async () => {
    const { code, stdout, stderr } = await runCli(['check', '--json', EXPECT, ...FILES], DIR);
    const invalidHeader = (traceId: string, spanId: string, message: string) => ({
      kind: 'invalid-header',
      traceId,
      spanId,
      service: 'mobile-app',
      message,
    });
    expect([code, JSON.parse(stdout), stderr]).toEqual([
      1,
      {
        ok: false,
        traces: 3,
        spans: 15,
        problems: [
          invalidHeader('5bc0a503bf0d92d5e6f4c8043b5254c5', 'abee10ec0764592f', INVALID),
          invalidHeader('7c987171bc26a18d1c867bb8e9cfd892', 'c229566ebcc4232e', LEVEL2),
        ],
        warnings: [],
        runs: [
          { traceId: 'dc13a5a88d0d5589baee37d79dabe954', journey: null, ok: true, kinds: [] },
          { traceId: '5bc0a503bf0d92d5e6f4c8043b5254c5', journey: null, ok: false, kinds: ['invalid-header'] },
          { traceId: '7c987171bc26a18d1c867bb8e9cfd892', journey: null, ok: false, kinds: ['invalid-header'] },
        ],
      },
      '',
    ]);
  });
});
