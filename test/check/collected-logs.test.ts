import { runCli } from './support';

/**
 * Real SDK prints as docker compose, kubectl and docker collect them from one container per service: made
 * from the fixtures in fixtures/dumps/{go-stdouttrace,python-console,js-console} by
 * fixtures/dumps/collected-logs/collect.ts with the prefix formats of those tools' sources (its README).
 */
const DIR = 'fixtures/dumps/collected-logs';
const CHAIN = 'web-shop,api-gateway,payment-api';
const FOUR = 'web-shop,api-gateway,payment-api,fraud-service';

const collected = (file: string, by: string): string =>
  `[tracehop] Note: "${file}" is a collected log (${by}): each line's prefix was cut off and each container's spans read from its own lines.\n`;
const skipped = (file: string, count: number, first: number): string =>
  `[tracehop] Note: "${file}" holds ${count} lines of other output between the printed spans (the first on line ${first}); they were skipped.\n`;
const jsNotes = (file: string, count: number): string =>
  `[tracehop] Note: "${file}" holds ${count} lines of other output between the spans ConsoleSpanExporter printed (the first on line 1); they were skipped.\n` +
  `[tracehop] Note: "${file}" is console.dir output, which cuts long values short; 3 attribute values were read as "[cut short by console.dir: ...]" markers.\n`;

describe('tracehop check on span prints collected from several containers', () => {
  it("passes Go's stdouttrace checkout from docker compose logs, detected by content or named with --format", async () => {
    const file = `${DIR}/go-checkout-ok.compose.txt`;
    for (const extra of [[], ['--format', 'go-stdouttrace']])
      expect(await runCli(['check', ...extra, '--expect', CHAIN, file])).toEqual({
        code: 0,
        stdout:
          '[tracehop] OK: 1 trace, 5 spans, no problems; web-shop -> api-gateway -> payment-api run in one trace.\n',
        stderr: collected(file, 'docker compose logs') + skipped(file, 4, 4),
      });
  });

  it("finds the broken hop in Go's one-line prints from kubectl logs --prefix --timestamps", async () => {
    const file = `${DIR}/go-checkout-broken.kubectl.txt`;
    expect(await runCli(['check', '--expect', CHAIN, file])).toEqual({
      code: 1,
      stdout: `web-shop -> api-gateway -> payment-api: 1 run, 1 broken (broken-chain 1)
1 problem: broken-chain 1

trace 680cebb9 (4 spans)
└─ web-shop "checkout" INTERNAL 4aefca01
   └─ web-shop "POST /checkout" CLIENT 478cd12c
      └─ api-gateway "POST /checkout" SERVER a2ad7587
         └─ ✗ api-gateway "POST /payments" CLIENT ddd20bd2  broken-chain (last hop in this trace)

trace af9aa0a5 (1 span)
└─ ✗ payment-api "POST /payments" SERVER 8f165d8d  broken-chain

✗ broken-chain: trace af9aa0a5f370be53609f0744e098a3f9, span 8f165d8dfd4edd82, service payment-api: api-gateway received the request but payment-api started a new trace (af9aa0a5 instead of 680cebb9): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does
[tracehop] Failed to verify traces: 1 problem in 2 traces, 5 spans. Each problem above names the hop that lost the trace context.
`,
      stderr: collected(file, 'kubectl logs --prefix'),
    });
  });

  it("passes Python's ConsoleSpanExporter checkout from docker compose logs -t and docker logs -t", async () => {
    const compose = `${DIR}/python-checkout.compose-t.txt`;
    const docker = `${DIR}/python-checkout.docker-t.txt`;
    const ok =
      '[tracehop] OK: 1 trace, 5 spans, no problems; web-shop -> api-gateway -> payment-api run in one trace.\n';
    expect(await runCli(['check', '--expect', CHAIN, compose])).toEqual({
      code: 0,
      stdout: ok,
      stderr: collected(compose, 'docker compose logs') + skipped(compose, 4, 4),
    });
    expect(await runCli(['check', '--format', 'python-console', '--expect', CHAIN, docker])).toEqual({
      code: 0,
      stdout: ok,
      stderr: `[tracehop] Note: "${docker}" is a collected log (docker logs -t or kubectl logs --timestamps): each line's timestamp was cut off.\n`,
    });
  });

  it("reads JS's ConsoleSpanExporter print from coloured docker compose logs -t", async () => {
    const file = `${DIR}/js-checkout-ok.sdk2.compose-color.txt`;
    expect(await runCli(['check', '--expect', FOUR, file])).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 8 spans, no problems; web-shop -> api-gateway -> payment-api -> fraud-service run in one trace.\n',
      stderr: collected(file, 'docker compose logs') + jsNotes(file, 7),
    });
  });

  it("finds the broken hop in JS's print from kubectl logs --prefix", async () => {
    const file = `${DIR}/js-checkout-broken.sdk1.kubectl.txt`;
    expect(await runCli(['check', '--expect', FOUR, file])).toEqual({
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
[tracehop] Failed to verify traces: 1 problem in 2 traces, 8 spans. Each problem above names the hop that lost the trace context.
`,
      stderr: collected(file, 'kubectl logs --prefix') + jsNotes(file, 3),
    });
  });

  it('recognises a print whose first span comes after more than 4 KB of start-up log lines', async () => {
    const js = `${DIR}/js-checkout-ok.sdk2.late.txt`;
    expect(await runCli(['check', '--expect', FOUR, js])).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 8 spans, no problems; web-shop -> api-gateway -> payment-api -> fraud-service run in one trace.\n',
      stderr: jsNotes(js, 97),
    });
    const go = `${DIR}/go-checkout-ok.late.txt`;
    expect(await runCli(['check', '--expect', CHAIN, go])).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 5 spans, no problems; web-shop -> api-gateway -> payment-api run in one trace.\n',
      stderr: skipped(go, 94, 1),
    });
  });
});
