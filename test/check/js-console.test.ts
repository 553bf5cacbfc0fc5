import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempFiles } from './support';

/** Real output of OpenTelemetry JS's ConsoleSpanExporter, SDK 2.12.1 and 1.30.1 (fixtures/dumps/js-console/README.md). */
const DIR = 'fixtures/dumps/js-console';
const OK2 = `${DIR}/checkout-ok.sdk2.txt`;
const BROKEN2 = `${DIR}/checkout-broken.sdk2.txt`;
const OK1 = `${DIR}/checkout-ok.sdk1.txt`;
const BROKEN1 = `${DIR}/checkout-broken.sdk1.txt`;
/** SDK 1.17.1, whose print has no resource (sdk-trace-base before 1.24). */
const OK1_17 = `${DIR}/checkout-ok.sdk1-17.txt`;
const CHAIN = 'web-shop,api-gateway,payment-api,fraud-service';
const OK_LINE =
  '[tracehop] OK: 1 trace, 8 spans, no problems; web-shop -> api-gateway -> payment-api -> fraud-service run in one trace.\n';
const FAILED =
  '[tracehop] Failed to verify traces: 1 problem in 2 traces, 8 spans. Each problem above names the hop that lost the trace context.\n';
const HINT =
  "Check the file as @opentelemetry/sdk-trace-base's ConsoleSpanExporter wrote it (console.dir of each span), or export with @opentelemetry/exporter-trace-otlp-http to tracehop serve.";

/** The notes every fixture gets: the services' "listening on" lines, and three values console.dir cut short. */
function notes(file: string): string {
  return (
    `[tracehop] Note: "${file}" holds 3 lines of other output between the spans ConsoleSpanExporter printed (the first on line 1); they were skipped.\n` +
    `[tracehop] Note: "${file}" is console.dir output, which cuts long values short; 3 attribute values were read as "[cut short by console.dir: ...]" markers.\n`
  );
}

describe("tracehop check on OpenTelemetry JS's ConsoleSpanExporter output", () => {
  it.each([
    ['2.x', OK2],
    ['1.x', OK1],
  ])('passes a real four-service checkout of SDK %s, detected by content or named with --format', async (_, file) => {
    for (const extra of [[], ['--format', 'js-console']])
      expect(await runCli(['check', ...extra, '--expect', CHAIN, file])).toEqual({
        code: 0,
        stdout: OK_LINE,
        stderr: notes(file),
      });
  });

  it('reads the print coloured as console.dir writes to a terminal (FORCE_COLOR=1, docker logs with a TTY)', async () => {
    const file = `${DIR}/checkout-ok.sdk2.color.txt`;
    expect(await runCli(['check', '--expect', CHAIN, file])).toEqual({ code: 0, stdout: OK_LINE, stderr: notes(file) });
  });

  it('refuses an OTLP protobuf file named --format js-console, naming the format it is', async () => {
    expect(await runCli(['check', '--format', 'js-console', 'fixtures/dumps/checkout-broken.pb'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '[tracehop] Failed to read spans from "fixtures/dumps/checkout-broken.pb": the file is otlp-proto, not js-console as --format says. Leave --format out to detect each file\'s format by content, or give --format otlp-proto.\n',
    });
  });

  it('finds the new trace payment-api started when api-gateway sent no traceparent (SDK 2.x, SimpleSpanProcessor)', async () => {
    expect(await runCli(['check', '--expect', CHAIN, BROKEN2])).toEqual({
      code: 1,
      stdout: `web-shop -> api-gateway -> payment-api -> fraud-service: 1 run, 1 broken (broken-chain 1)
1 problem: broken-chain 1

trace fa1ffa3f (4 spans)
└─ web-shop "checkout" INTERNAL a40415a4
   └─ web-shop "POST" CLIENT db0d4a77
      └─ api-gateway "POST" SERVER 51cc936f
         └─ ✗ api-gateway "POST" CLIENT 5263efce  broken-chain (last hop in this trace)

trace 9bb164c7 (4 spans)
└─ ✗ payment-api "POST" SERVER 110f681a  broken-chain
   ├─ payment-api "authorize card" INTERNAL 7027c519
   └─ payment-api "POST" CLIENT c39fda76
      └─ fraud-service "POST" SERVER 961886a1

✗ broken-chain: trace 9bb164c7bb0e41936565588b99b5568f, span 110f681ae9223724, service payment-api: api-gateway received the request but payment-api started a new trace (9bb164c7 instead of fa1ffa3f): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does
${FAILED}`,
      stderr: notes(BROKEN2),
    });
  });

  it('finds the same break in SDK 1.x output (parentId, BatchSpanProcessor)', async () => {
    expect(await runCli(['check', '--format', 'js-console', '--expect', CHAIN, BROKEN1])).toEqual({
      code: 1,
      stdout: `web-shop -> api-gateway -> payment-api -> fraud-service: 1 run, 1 broken (broken-chain 1)
1 problem: broken-chain 1

trace 5117ab3e (4 spans)
└─ web-shop "checkout" INTERNAL f5b8d995
   └─ web-shop "POST" CLIENT bf212bd8
      └─ api-gateway "POST" SERVER caa25d07
         └─ ✗ api-gateway "POST" CLIENT 55eab483  broken-chain (last hop in this trace)

trace f1ecbebf (4 spans)
└─ ✗ payment-api "POST" SERVER b8d78633  broken-chain
   ├─ payment-api "authorize card" INTERNAL c054f18e
   └─ payment-api "POST" CLIENT bf21305d
      └─ fraud-service "POST" SERVER 4cb27fed

✗ broken-chain: trace f1ecbebf290faf9c0120d3b30603c45c, span b8d7863316d6347f, service payment-api: api-gateway received the request but payment-api started a new trace (f1ecbebf instead of 5117ab3e): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does
${FAILED}`,
      stderr: notes(BROKEN1),
    });
  });

  it('says why no span of an SDK 1.17 print (no resource) is on the chain, and how to print one that is', async () => {
    const why =
      "no span names its service (every one is unknown_service: its resource has no service.name, or its print has no resource, as ConsoleSpanExporter of @opentelemetry/sdk-trace-base before 1.24 writes); fix: give each service's resource its service.name (OTEL_SERVICE_NAME), and print spans with sdk-trace-base 1.24 or later or export them over OTLP";
    const missing = CHAIN.split(',').map(
      (service) =>
        `✗ missing-service: trace -, span -, service ${service}: ${service} has no span in any trace: ${why}\n`,
    );
    expect(await runCli(['check', '--expect', CHAIN, OK1_17])).toEqual({
      code: 1,
      stdout:
        'web-shop -> api-gateway -> payment-api -> fraud-service: no runs\n4 problems: missing-service 4\n\n' +
        missing.join('') +
        '[tracehop] Failed to verify traces: 4 problems in 1 trace, 8 spans. Each problem above names the hop that lost the trace context.\n',
      stderr:
        notes(OK1_17) +
        `[tracehop] Note: "${OK1_17}" holds 8 spans printed with no resource, as ConsoleSpanExporter of @opentelemetry/sdk-trace-base before 1.24 prints every span, so they name no service (read as unknown_service) and --expect or --journeys cannot place them on the chain; print with sdk-trace-base 1.24 or later (its print holds the resource's service.name), or export with an OTLP exporter to a file or \`tracehop serve\`.\n`,
    });
  });

  it('finds a lost tracestate: payment-api and fraud-service printed traceState: undefined', async () => {
    const text = readFileSync(join(ROOT, OK2), 'utf8');
    const lost = text
      .split('\n}\n')
      .map((block) =>
        /'service\.name': '(?:payment-api|fraud-service)'/.test(block)
          ? block.replace("\n  traceState: 'rojo=00f067aa0ba902b7',", '\n  traceState: undefined,')
          : block,
      )
      .join('\n}\n');
    const dir = tempFiles({ 'lost.log': lost });
    expect(await runCli(['check', '--expect', CHAIN, 'lost.log'], dir)).toEqual({
      code: 1,
      stdout: `web-shop -> api-gateway -> payment-api -> fraud-service: 1 run, 1 broken (header-span-mismatch 1)
1 problem: header-span-mismatch 1

trace b63a6047 (8 spans)
└─ web-shop "checkout" INTERNAL 0474430e
   └─ web-shop "POST" CLIENT 7557b0b5
      └─ api-gateway "POST" SERVER 707a6ce3
         └─ ✗ api-gateway "POST" CLIENT c217ef27  header-span-mismatch
            └─ payment-api "POST" SERVER 339e783e
               ├─ payment-api "authorize card" INTERNAL 01a97227
               └─ payment-api "POST" CLIENT 2012c81d
                  └─ fraud-service "POST" SERVER 60783238

✗ header-span-mismatch: trace b63a60477e2bfeb3620a19544d93f2a3, span c217ef2760f52b06, service payment-api: payment-api "POST" (339e783e) has no tracestate although api-gateway's call span "POST" (c217ef27) carries "rojo=00f067aa0ba902b7": a proxy between them strips the tracestate header, or payment-api read its context with a propagator that has no tracestate (B3 alone); fix: let the proxy between them pass tracestate through
[tracehop] Failed to verify traces: 1 problem in 1 trace, 8 spans. Each problem above names the hop that lost the trace context.
`,
      stderr: notes('lost.log'),
    });
  });

  it('refuses two prints interleaved line by line, naming both lines', async () => {
    const lines = readFileSync(join(ROOT, OK1), 'utf8').split('\n');
    // Lines 4-31 are the first span; a second span's "{" on line 10 means two writers shared the lines.
    const dir = tempFiles({ 'mixed.log': [...lines.slice(0, 9), '{', ...lines.slice(9)].join('\n') });
    expect(await runCli(['check', 'mixed.log'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '[tracehop] Failed to read spans from "mixed.log": line 10 opens a span while the span opened on line 4 is still open: two processes\' prints are interleaved line by line. Write each process\'s output to its own file (a ConsoleSpanExporter per process, stdout redirected per service) and check the files together.\n',
    });
  });

  it('refuses a print cut short (over many lines or on one), and a span whose id console.dir left out', async () => {
    const text = readFileSync(join(ROOT, OK2), 'utf8');
    const cut = text.slice(0, text.lastIndexOf('\n}'));
    const noId = text.replace(/\n {2}id: '[0-9a-f]{16}',/, '\n  id: [Object],');
    // A span printed on one line (console.dir with a wide breakLength) cut short after the whole ones: it was
    // skipped as a log line, and the check passed without it.
    const lines = text.split('\n').length - 1;
    const oneLine = `${text}{ resource: { attributes: { 'service.name': 'fraud-service' } }, traceId: '4bf92f35`;
    const dir = tempFiles({ 'cut.log': cut, 'no-id.log': noId, 'one-line-cut.log': oneLine });
    const lastSpan = text.slice(0, text.lastIndexOf('\n{\n')).split('\n').length + 1;
    expect(await runCli(['check', 'cut.log'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `[tracehop] Failed to read spans from "cut.log": the span opened on line ${lastSpan} never ends (no line "}" after it, to line ${cut.split('\n').length}): the file is cut short, and the span cannot be read. Copy the output again once the process has exited, or delete the unfinished span to check the rest.\n`,
    });
    expect(await runCli(['check', '--expect', CHAIN, 'one-line-cut.log'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `[tracehop] Failed to read spans from "one-line-cut.log": the span printed on line ${lines + 1} ends before its closing "}": the print was cut short, and the span cannot be read. Copy the output again once the process has exited, or delete the unfinished span to check the rest.\n`,
    });
    expect(await runCli(['check', 'no-id.log'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `[tracehop] Failed to read spans from "no-id.log": line 4, id is [Object], which the print cut short: a span id cannot be read from part of it (span "authorize card"). ${HINT}\n`,
    });
  });
});
