import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempFiles } from './support';

/** Real output of OpenTelemetry Go 1.1.0's stdouttrace (fixtures/dumps/go-stdouttrace/README.md). */
const OK = 'fixtures/dumps/go-stdouttrace/checkout-ok.pretty.json';
const BROKEN = 'fixtures/dumps/go-stdouttrace/checkout-broken.jsonl';
const CHAIN = 'web-shop,api-gateway,payment-api';
const FAILED =
  '[tracehop] Failed to verify traces: 1 problem in 2 traces, 5 spans. Each problem above names the hop that lost the trace context.\n';

describe("tracehop check on OpenTelemetry Go's stdouttrace output", () => {
  it('passes a real three-service checkout, detected by content or named with --format', async () => {
    for (const extra of [[], ['--format', 'go-stdouttrace']])
      expect(await runCli(['check', ...extra, '--expect', CHAIN, OK])).toEqual({
        code: 0,
        stdout:
          '[tracehop] OK: 1 trace, 5 spans, no problems; web-shop -> api-gateway -> payment-api run in one trace.\n',
        stderr: '',
      });
  });

  it('finds the new trace payment-api started when api-gateway sent no traceparent (real output, a span a line)', async () => {
    expect(await runCli(['check', '--expect', CHAIN, BROKEN])).toEqual({
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
${FAILED}`,
      stderr: '',
    });
  });

  it("finds a server span parented to the caller's SERVER span instead of its CLIENT span", async () => {
    // The real sound checkout, with payment-api's Parent rewritten from api-gateway's CLIENT span
    // (92eef406...) to its SERVER span (a8737b36...), as a gateway that injects its incoming context does.
    const text = readFileSync(join(ROOT, OK), 'utf8');
    const parent = '"Parent": {\n\t\t"TraceID": "1f1a6c1f9b6c955e70119b3a7874e658",\n\t\t"SpanID": "92eef4065f6eb66d"';
    expect(text.split(parent)).toHaveLength(2);
    const dir = tempFiles({
      'rewritten.json': text.replace(parent, parent.replace('92eef4065f6eb66d', 'a8737b36a966c4a1')),
    });
    expect(await runCli(['check', '--expect', CHAIN, 'rewritten.json'], dir)).toEqual({
      code: 1,
      stdout: `web-shop -> api-gateway -> payment-api: 1 run, 1 broken (wrong-parent 1)
1 problem: wrong-parent 1

trace 1f1a6c1f (5 spans)
└─ web-shop "checkout" INTERNAL 33c7d1dd
   └─ web-shop "POST /checkout" CLIENT 1f376b3c
      └─ api-gateway "POST /checkout" SERVER a8737b36
         ├─ api-gateway "POST /payments" CLIENT 92eef406
         └─ ✗ payment-api "POST /payments" SERVER 24300cd3  wrong-parent

✗ wrong-parent: trace 1f1a6c1f9b6c955e70119b3a7874e658, span 24300cd3c85ffa84, service payment-api: payment-api "POST /payments" (24300cd3) is parented to api-gateway's SERVER span "POST /checkout" (a8737b36) instead of its CLIENT span "POST /payments" (92eef406): api-gateway injected the context of its incoming request instead of the span of its outgoing call (inject from the CLIENT span's context, after starting it)
[tracehop] Failed to verify traces: 1 problem in 1 trace, 5 spans. Each problem above names the hop that lost the trace context.
`,
      stderr: '',
    });
  });

  it('refuses a print cut short in its last span (a CI log cut at its size limit), naming its line, in --json too', async () => {
    const text = readFileSync(join(ROOT, OK), 'utf8');
    const cut = `${text.slice(0, -150)}\nERROR: Job failed: execution took longer than 1h0m0s seconds\n`;
    const start = text.slice(0, text.lastIndexOf('\n{\n')).split('\n').length + 1;
    const lines = cut.split('\n').length - 1;
    const dir = tempFiles({ 'ci.log': cut });
    for (const extra of [[], ['--json']])
      expect(await runCli(['check', ...extra, '--expect', CHAIN, 'ci.log'], dir)).toEqual({
        code: 2,
        stdout: '',
        stderr: `[tracehop] Failed to read spans from "ci.log": the span opened on line ${start} never ends (no line "}" after it, to line ${lines}): the file is cut short, and the span cannot be read. Copy the output again once the process has exited, or delete the unfinished span to check the rest.\n`,
      });
  });

  it('judges the same spans the same way in --json', async () => {
    const result = await runCli(['check', '--json', '--expect', CHAIN, BROKEN]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      traces: 2,
      spans: 5,
      problems: [
        {
          kind: 'broken-chain',
          traceId: 'af9aa0a5f370be53609f0744e098a3f9',
          spanId: '8f165d8dfd4edd82',
          service: 'payment-api',
        },
      ],
    });
  });

  it('fails a journeys file whose chain starts at a service the dump does not have, rather than pass 0 runs', async () => {
    // fixtures/journeys.json starts at mobile-app; this dump's checkout (its root span "checkout") at web-shop.
    const result = await runCli(['check', '--json', '--journeys', 'fixtures/journeys.json', BROKEN]);
    expect(result.code).toBe(1);
    expect(
      (JSON.parse(result.stdout) as { problems: Array<{ kind: string; service: string }> }).problems.map(
        (problem) => `${problem.kind} ${problem.service}`,
      ),
    ).toEqual(['missing-service mobile-app', 'broken-chain payment-api', 'missing-service fraud-service']);
  });

  it('refuses a print made with WithoutTimestamps, saying which option left the times out', async () => {
    const line = readFileSync(join(ROOT, BROKEN), 'utf8').split('\n')[0] ?? '';
    const untimed = line.replace(/"(Start|End)Time":"[^"]+"/g, '"$1Time":"0001-01-01T00:00:00Z"');
    const dir = tempFiles({ 'untimed.jsonl': `${untimed}\n` });
    expect(await runCli(['check', 'untimed.jsonl'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '[tracehop] Failed to read spans from "untimed.jsonl": line 1, StartTime is Go\'s zero time 0001-01-01T00:00:00Z: the exporter ran with stdouttrace.WithoutTimestamps(), which leaves the span\'s times out; drop that option and export again (span "POST /payments"). Check the file as go.opentelemetry.io/otel/exporters/stdout/stdouttrace wrote it (one JSON object per span, pretty-printed or one a line), or export with otlptracehttp to tracehop serve.\n',
    });
  });
});
