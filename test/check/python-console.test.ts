import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempFiles } from './support';

/** ConsoleSpanExporter's print of a checkout, as fixtures/dumps/python-console/generate.py writes it. */
const OK = 'fixtures/dumps/python-console/checkout.json';
const CHAIN = 'web-shop,api-gateway,payment-api';

describe("tracehop check on OpenTelemetry Python's ConsoleSpanExporter output", () => {
  it('passes a three-service checkout, detected by content or named with --format', async () => {
    for (const extra of [[], ['--format', 'python-console']])
      expect(await runCli(['check', ...extra, '--expect', CHAIN, OK])).toEqual({
        code: 0,
        stdout:
          '[tracehop] OK: 1 trace, 5 spans, no problems; web-shop -> api-gateway -> payment-api run in one trace.\n',
        stderr: '',
      });
  });

  it("finds a server span parented to the caller's SERVER span instead of its CLIENT span", async () => {
    const text = readFileSync(join(ROOT, OK), 'utf8');
    const parent = '"parent_id": "0xfe444bd4e4f5a6b7"';
    expect(text.split(parent)).toHaveLength(2);
    const dir = tempFiles({ 'console.txt': text.replace(parent, '"parent_id": "0x7e262974d3e4f5a6"') });
    expect(await runCli(['check', '--expect', CHAIN, 'console.txt'], dir)).toEqual({
      code: 1,
      stdout: `web-shop -> api-gateway -> payment-api: 1 run, 1 broken (wrong-parent 1)
1 problem: wrong-parent 1

trace 4bf92f35 (5 spans)
└─ web-shop "checkout" INTERNAL 1f519535
   └─ web-shop "POST /checkout" CLIENT 9b0a30e1
      └─ api-gateway "POST /checkout" SERVER 7e262974
         ├─ api-gateway "POST /payments" CLIENT fe444bd4
         └─ ✗ payment-api "POST /payments" SERVER 777e07e9  wrong-parent

✗ wrong-parent: trace 4bf92f3577b34da6a3ce929d0e0e4736, span 777e07e9f5a6b7c8, service payment-api: payment-api "POST /payments" (777e07e9) is parented to api-gateway's SERVER span "POST /checkout" (7e262974) instead of its CLIENT span "POST /payments" (fe444bd4): api-gateway injected the context of its incoming request instead of the span of its outgoing call (inject from the CLIENT span's context, after starting it)
[tracehop] Failed to verify traces: 1 problem in 1 trace, 5 spans. Each problem above names the hop that lost the trace context.
`,
      stderr: '',
    });
  });

  it("refuses a file holding both Go's and Python's prints, naming both", async () => {
    const go = readFileSync(join(ROOT, 'fixtures/dumps/go-stdouttrace/checkout-broken.jsonl'), 'utf8').split('\n')[0];
    const dir = tempFiles({ 'both.txt': `${go}\n${readFileSync(join(ROOT, OK), 'utf8')}` });
    expect(await runCli(['check', 'both.txt'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '[tracehop] Failed to read spans from "both.txt": line 2 is OpenTelemetry Python\'s ConsoleSpanExporter output, but line 1 is OpenTelemetry Go\'s stdouttrace output: a file holds one format. Split the dump into one file per format.\n',
    });
  });

  it('reads Go and Python prints of one journey from two files as one trace', async () => {
    // A Go web-shop calling a Python api-gateway: the Go print's client span is the Python server's parent.
    const python = readFileSync(join(ROOT, OK), 'utf8');
    const goClient = {
      Name: 'POST /checkout',
      SpanContext: { TraceID: '4bf92f3577b34da6a3ce929d0e0e4736', SpanID: '9b0a30e1c2d3e4f5', TraceFlags: '01' },
      Parent: { TraceID: '00000000000000000000000000000000', SpanID: '0000000000000000' },
      SpanKind: 3,
      StartTime: '2026-12-04T21:30:39.738489123+05:30',
      EndTime: '2026-12-04T21:30:39.798489123+05:30',
      Resource: [{ Key: 'service.name', Value: { Type: 'STRING', Value: 'web-shop' } }],
    };
    // The Python print keeps the spans of api-gateway and payment-api only.
    const objects = python.split(/\n(?=\{)/);
    const dir = tempFiles({ 'go.jsonl': `${JSON.stringify(goClient)}\n`, 'py.txt': objects.slice(0, 3).join('\n') });
    expect(await runCli(['check', '--expect', CHAIN, 'go.jsonl', 'py.txt'], dir)).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 4 spans, no problems; web-shop -> api-gateway -> payment-api run in one trace.\n',
      stderr: '',
    });
  });
});
