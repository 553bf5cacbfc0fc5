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

describe('tracehop check on a caller whose trace state is not valid tracestate (fixtures/dumps/go-tracestate)', () => {
  // A mobile app on the OpenTelemetry JS SDK 1.x, whose TraceState takes any key, sent "vendor=abc,Rate=0.25"
  // to api-gateway on the OpenTelemetry Go SDK 1.1.0: the header arrived (the SERVER span's
  // http.request.header.tracestate), trace.ParseTraceState refused "Rate" (uppercase), and Go's propagator
  // kept none of the header. No proxy is at fault; the same app's "vendor=abc" checkout kept its state.
  const DIR = join(ROOT, 'fixtures/dumps/go-tracestate');
  const FILES = ['mobile-app.jsonl', 'go-services.jsonl'];
  const EXPECT = '--expect=mobile-app,api-gateway,payment-api';
  const MESSAGE =
    'api-gateway "POST /checkout" (ac776219) has no tracestate, and mobile-app\'s call span "POST /checkout" (b2e8447c) carries "vendor=abc,Rate=0.25", which is not valid tracestate (invalid-key: tracestate key "Rate" contains uppercase letters: keys are lowercase): a conforming callee may discard it (OpenTelemetry Go drops the whole header, JS the invalid members), so no hop need have lost it; fix: make mobile-app send only valid tracestate members (check what its sampler or code puts in the trace state)';

  it("names the caller's invalid tracestate, not a proxy", async () => {
    expect(await runCli(['check', EXPECT, ...FILES], DIR)).toEqual({
      code: 1,
      stdout: `mobile-app -> api-gateway -> payment-api: 2 runs, 1 broken (invalid-header 1)
1 problem: invalid-header 1

trace 31c0cbe4 (5 spans)
└─ mobile-app "checkout" INTERNAL a12d130e
   └─ ✗ mobile-app "POST /checkout" CLIENT b2e8447c  invalid-header
      └─ api-gateway "POST /checkout" SERVER ac776219
         └─ api-gateway "POST /payments" CLIENT 2b54e825
            └─ payment-api "POST /payments" SERVER 378378f8

✗ invalid-header: trace 31c0cbe45b86ea11021fc8d08eccafae, span b2e8447c7bc4828f, service mobile-app: ${MESSAGE}
[tracehop] Failed to verify traces: 1 problem in 2 traces, 10 spans. Each problem above names the hop that lost the trace context.
`,
      stderr: '',
    });
  });

  it('says so in --json, and passes the checkout whose trace state was valid', async () => {
    const { code, stdout, stderr } = await runCli(['check', '--json', EXPECT, ...FILES], DIR);
    expect([code, JSON.parse(stdout), stderr]).toEqual([
      1,
      {
        ok: false,
        traces: 2,
        spans: 10,
        problems: [
          {
            kind: 'invalid-header',
            traceId: '31c0cbe45b86ea11021fc8d08eccafae',
            spanId: 'b2e8447c7bc4828f',
            service: 'mobile-app',
            message: MESSAGE,
          },
        ],
        warnings: [],
        runs: [
          { traceId: 'd5d476160fffe526be1c4ec85997ddd0', journey: null, ok: true, kinds: [] },
          { traceId: '31c0cbe45b86ea11021fc8d08eccafae', journey: null, ok: false, kinds: ['invalid-header'] },
        ],
      },
      '',
    ]);
  });
});
