/**
 * Zipkin lower-cases service names (zipkin2.Endpoint.Builder.serviceName; its API returns them so): a chain
 * named in the services' own case is checked as the dump spells them, with a note on stderr.
 */
import { runCli, tempFiles } from './support';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const T0 = 1795683600000;

/** The app's spans, as its OTLP exporter writes them: service "MobileApp". */
function appOtlp(service = 'MobileApp'): string {
  const span = (spanId: string, name: string, kind: number, start: number, end: number, parentSpanId?: string) => ({
    traceId: TRACE,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind,
    startTimeUnixNano: `${(T0 + start) * 1e6}`,
    endTimeUnixNano: `${(T0 + end) * 1e6}`,
    flags: 257,
  });
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            spans: [
              span('a000000000000001', 'checkout', 1, 0, 100),
              span('a000000000000002', 'POST /checkout', 3, 5, 95, 'a000000000000001'),
            ],
          },
        ],
      },
    ],
  });
}

/** The backend's spans as Zipkin's API returns them: service names lower-cased. */
function zipkin(gateway = 'apigateway', payment = 'paymentapi'): string {
  const span = (id: string, parentId: string, service: string, kind: string, start: number, end: number) => ({
    traceId: TRACE,
    id,
    parentId,
    name: 'post /checkout',
    timestamp: (T0 + start) * 1000,
    duration: (end - start) * 1000,
    localEndpoint: { serviceName: service },
    kind,
  });
  return JSON.stringify([
    [
      span('b000000000000001', 'a000000000000002', gateway, 'SERVER', 10, 90),
      span('b000000000000002', 'b000000000000001', gateway, 'CLIENT', 15, 85),
      span('c000000000000001', 'b000000000000002', payment, 'SERVER', 20, 80),
    ],
  ]);
}

const note = (who: string, name: string, spelling: string): string =>
  `[tracehop] Note: ${who} "${name}"; the dump's spans say "${spelling}" (the names differ only in case), so "${spelling}" is checked.\n`;

const EXPECT = 'MobileApp,ApiGateway,PaymentApi';
const NOTES = `${note('--expect names', 'ApiGateway', 'apigateway')}${note('--expect names', 'PaymentApi', 'paymentapi')}`;
const OK_LINE =
  '[tracehop] OK: 1 trace, 5 spans, no problems; MobileApp -> apigateway -> paymentapi run in one trace.\n';

/** A health check on another trace, its service spelt in upper case. */
const HEALTH = JSON.stringify([
  {
    traceId: '6bf92f3577b34da6a3ce929d0e0e4736',
    id: 'd000000000000001',
    name: 'get /health',
    timestamp: (T0 + 500) * 1000,
    duration: 1000,
    localEndpoint: { serviceName: 'APIGATEWAY' },
    kind: 'SERVER',
  },
]);

describe('tracehop check on services the dump spells in another case', () => {
  it('checks an --expect name as the dump spells it, with a note per name, in text and JSON', async () => {
    const dir = tempFiles({ 'app.json': appOtlp(), 'zipkin.json': zipkin() });
    const human = await runCli(['check', '--expect', EXPECT, 'app.json', 'zipkin.json'], dir);
    const json = await runCli(['check', '--json', '--expect', EXPECT, 'app.json', 'zipkin.json'], dir);
    expect(human).toEqual({ code: 0, stdout: OK_LINE, stderr: NOTES });
    expect(json).toEqual({
      code: 0,
      stdout: `{
  "ok": true,
  "traces": 1,
  "spans": 5,
  "problems": [],
  "warnings": [],
  "runs": [
    {"traceId": "${TRACE}", "journey": null, "ok": true, "kinds": []}
  ]
}
`,
      stderr: NOTES,
    });
  });

  it("names the dump's spelling in the verdict of a broken run", async () => {
    // paymentapi started a new trace: apigateway did not forward the trace context, or paymentapi did not read it
    // (both are read from Zipkin JSON, so the headers may be B3 or traceparent).
    const split = zipkin()
      .replace('"parentId":"b000000000000002",', '')
      .replace(`"traceId":"${TRACE}","id":"c0`, '"traceId":"5bf92f3577b34da6a3ce929d0e0e4736","id":"c0');
    const dir = tempFiles({ 'app.json': appOtlp(), 'zipkin.json': split });
    const json = await runCli(['check', '--json', '--expect', EXPECT, 'app.json', 'zipkin.json'], dir);
    expect(json).toEqual({
      code: 1,
      stdout: `{
  "ok": false,
  "traces": 2,
  "spans": 5,
  "problems": [
    {
      "kind": "broken-chain",
      "traceId": "5bf92f3577b34da6a3ce929d0e0e4736",
      "spanId": "c000000000000001",
      "service": "paymentapi",
      "message": "apigateway received the request but paymentapi started a new trace (5bf92f35 instead of 4bf92f35): apigateway did not forward the trace context (B3 or traceparent headers), or paymentapi did not read it, as a tracer that reads the other format only does"
    }
  ],
  "warnings": [],
  "runs": [
    {"traceId": "${TRACE}", "journey": null, "ok": false, "kinds": ["broken-chain"]}
  ]
}
`,
      stderr: NOTES,
    });
  });

  it('changes nothing for a name that several services of the dump spell in another case', async () => {
    const dir = tempFiles({ 'app.json': appOtlp(), 'zipkin.json': zipkin(), 'health.json': HEALTH });
    const human = await runCli(['check', '--expect', EXPECT, 'app.json', 'zipkin.json', 'health.json'], dir);
    expect(human).toEqual({
      code: 1,
      stdout: `MobileApp -> ApiGateway -> paymentapi: no runs
1 problem: missing-service 1

trace 4bf92f35 (5 spans)
└─ MobileApp "checkout" INTERNAL a0000000
   └─ MobileApp "POST /checkout" CLIENT a0000000
      └─ apigateway "post /checkout" SERVER b0000000
         └─ apigateway "post /checkout" CLIENT b0000000
            └─ paymentapi "post /checkout" SERVER c0000000

✗ missing-service: trace ${TRACE}, span -, service ApiGateway: ApiGateway has no span in any trace: MobileApp never called it, or its spans were not exported
[tracehop] Failed to verify traces: 1 problem in 2 traces, 6 spans. Each problem above names the hop that lost the trace context.
`,
      stderr: note('--expect names', 'PaymentApi', 'paymentapi'),
    });
  });

  it("checks a journey's chain as the dump spells it, one note per name however many journeys name it", async () => {
    const journeys = JSON.stringify({
      journeys: [
        {
          name: 'checkout',
          chain: ['mobileapp', 'apigateway', 'paymentapi'],
          owner: 'payments',
          criticality: 'critical',
        },
        {
          name: 'login',
          chain: ['mobileapp', 'apigateway', 'authservice'],
          owner: 'identity',
          criticality: 'critical',
        },
      ],
    });
    const dir = tempFiles({ 'app.json': appOtlp(), 'zipkin.json': zipkin(), 'journeys.json': journeys });
    const all = await runCli(['check', '--journeys', 'journeys.json', 'app.json', 'zipkin.json'], dir);
    const one = await runCli(
      ['check', '--journeys', 'journeys.json', '--journey', 'checkout', 'app.json', 'zipkin.json'],
      dir,
    );
    const camel = (who: string): string =>
      `[tracehop] Note: ${who} "mobileapp"; the dump's spans say "MobileApp" (the names differ only in case), so "MobileApp" is checked.\n`;
    expect([all, one]).toEqual([
      {
        code: 0,
        stdout: `checkout (MobileApp -> apigateway -> paymentapi): 1 run, none broken
login (MobileApp -> apigateway -> authservice): no runs
[tracehop] OK: 1 trace, 5 spans, no problems; 1 run, complete in one trace.
`,
        stderr: camel('journeys "checkout", "login" of "journeys.json" name'),
      },
      {
        code: 0,
        stdout: `checkout (MobileApp -> apigateway -> paymentapi): 1 run, none broken
[tracehop] OK: 1 trace, 5 spans, no problems; 1 run, complete in one trace.
`,
        stderr: camel('journey "checkout" of "journeys.json" names'),
      },
    ]);
  });

  it('says --platform-threshold has no effect with --spans, whose runs carry no platform', async () => {
    const journeys = JSON.stringify({
      journeys: [{ name: 'checkout', chain: ['mobileapp', 'apigateway'], owner: 'p', criticality: 'critical' }],
    });
    const dir = tempFiles({ 'app.json': appOtlp(), 'zipkin.json': zipkin(), 'journeys.json': journeys });
    const args = ['report', '--spans', 'app.json', 'zipkin.json', '--journeys', 'journeys.json', '-o', 'out'];
    const result = await runCli([...args, '--platform-threshold', 'android:suite=0.8'], dir);
    expect(result.stderr.split('\n').filter((line) => line.includes('--platform-threshold'))).toEqual([
      '[tracehop] Note: --platform-threshold (android) has no effect with --spans: runs read from trace dumps carry no platform, so only the suite and journey thresholds apply.',
    ]);
  });

  it('builds coverage from the dump as check judges it: report --spans respells the chains too', async () => {
    const journeys = JSON.stringify({
      journeys: [
        { name: 'checkout', chain: ['mobileapp', 'apigateway', 'paymentapi'], owner: 'p', criticality: 'critical' },
      ],
    });
    const dir = tempFiles({ 'app.json': appOtlp(), 'zipkin.json': zipkin(), 'journeys.json': journeys });
    const result = await runCli(
      ['report', '--spans', 'app.json', 'zipkin.json', '--journeys', 'journeys.json', '-o', 'out'],
      dir,
    );
    expect([result.code, result.stderr, result.stdout.split('\n').at(-2)]).toEqual([
      0,
      `[tracehop] Note: journey "checkout" of "journeys.json" names "mobileapp"; the dump's spans say "MobileApp" (the names differ only in case), so "MobileApp" is checked.\n`,
      '[tracehop] Trace coverage 100% (1 of 1 journeys fully covered); reports in out',
    ]);
  });
});
