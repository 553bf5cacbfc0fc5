import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOtlpJson } from '../../harness/model';
import { makeSpan } from '../../harness/model/test-support/make-span';
import { CHAIN, NO_CHAIN_NOTE, ROOT, runCli, tempFiles } from './support';

const OK = 'fixtures/dumps/checkout-ok.jsonl';
const BROKEN = 'fixtures/dumps/checkout-broken.jsonl';
const HINT = "Export with the OTLP JSON encoding or the Collector's file exporter.";
const ANY_HINT =
  "tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.";
const PATH_HINT =
  "Check the path; tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON and Zipkin JSON dumps and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print.";
const NONE =
  'is none of the formats tracehop reads (no OTLP "resourceSpans", no Jaeger "data", not a Zipkin list of spans, no stdouttrace "SpanContext", no ConsoleSpanExporter "context")';

describe('tracehop check', () => {
  it('passes a sound checkout dump through the expected chain', async () => {
    expect(await runCli(['check', '--expect', CHAIN, OK])).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace.\n',
      stderr: '',
    });
  });

  it('passes a JS app calling a Go gateway, whose span flags carry only the remote-parent bits', async () => {
    // OpenTelemetry JS writes flags 0x101 (sampled); OpenTelemetry Go and Python write 0x300 for a span whose
    // parent is remote, whatever its sampling: that zero low byte is no "not sampled".
    const service = (name: string, spans: object[]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: name } }] },
      scopeSpans: [{ spans }],
    });
    const trace = '5b8efff798038103d269b633813fc60c';
    const times = (start: number, end: number) => ({
      startTimeUnixNano: `17000000000${start}000000`,
      endTimeUnixNano: `17000000000${end}000000`,
    });
    const dump = {
      resourceSpans: [
        service('mobile-app', [
          { traceId: trace, spanId: '2222222222222222', flags: 257, name: 'HTTP POST', kind: 3, ...times(10, 80) },
        ]),
        service('api-gateway', [
          {
            traceId: trace,
            spanId: '3333333333333333',
            parentSpanId: '2222222222222222',
            flags: 768,
            name: 'POST /checkout',
            kind: 2,
            ...times(15, 75),
          },
        ]),
      ],
    };
    const dir = tempFiles({ 'go.json': JSON.stringify(dump) });
    expect(await runCli(['check', '--expect', 'mobile-app,api-gateway', 'go.json'], dir)).toEqual({
      code: 0,
      stdout: '[tracehop] OK: 1 trace, 2 spans, no problems; mobile-app -> api-gateway run in one trace.\n',
      stderr: '',
    });
  });

  it('draws both sides of a broken chain and exits 1', async () => {
    const result = await runCli(['check', `--expect=${CHAIN}`, BROKEN]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchInlineSnapshot(`
"mobile-app -> api-gateway -> payment-api -> fraud-service: 1 run, 1 broken (broken-chain 1)
1 problem: broken-chain 1

trace f20e22c7 (4 spans)
└─ mobile-app "checkout" INTERNAL 1f519535
   └─ mobile-app "POST /checkout" CLIENT 9b0a30e1
      └─ api-gateway "POST /checkout" SERVER 7e262974
         └─ ✗ api-gateway "POST /payments" CLIENT fe444bd4  broken-chain (last hop in this trace)

trace c1fb3ccc (3 spans)
└─ ✗ payment-api "POST /payments" SERVER 777e07e9  broken-chain
   └─ payment-api "POST /fraud/score" CLIENT f945e09b
      └─ fraud-service "POST /fraud/score" SERVER d3930bf2

✗ broken-chain: trace c1fb3ccc6a3f105d8eaa7ca7e6e17b38, span 777e07e947ecf928, service payment-api: api-gateway received the request but payment-api started a new trace (c1fb3ccc instead of f20e22c7): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does
[tracehop] Failed to verify traces: 1 problem in 2 traces, 7 spans. Each problem above names the hop that lost the trace context.
"
`);
  });

  it('draws both sides of a broken chain together, even with --max-trees 1', async () => {
    const trees = async (max: string): Promise<string[]> =>
      (await runCli(['check', `--expect=${CHAIN}`, '--max-trees', max, BROKEN])).stdout
        .split('\n')
        .filter((line) => line.startsWith('trace ') || line.startsWith('…'));
    expect([await trees('1'), await trees('0')]).toEqual([
      ['trace f20e22c7 (4 spans)', 'trace c1fb3ccc (3 spans)'],
      ['… 2 more traces with problems not drawn (--max-trees draws more; --json lists every problem)'],
    ]);
  });

  it('keeps the pair together when the new trace of a break is also wanted for another problem', async () => {
    const spans = [
      makeSpan({ trace: '1', id: 'a1', service: 'mobile-app', name: 'checkout', start: 1, end: 90 }),
      makeSpan({
        trace: '1',
        id: 'a2',
        parent: 'a1',
        service: 'mobile-app',
        kind: 'client',
        name: 'POST /cart',
        start: 2,
        end: 80,
      }),
      makeSpan({ trace: '2', id: 'b1', service: 'cart-api', kind: 'server', name: 'POST /cart', start: 3, end: 70 }),
      // The new trace also holds an orphan: its problem comes first and wants the trace before the break does.
      makeSpan({ trace: '2', id: 'b2', parent: 'ff', service: 'cart-api', name: 'lost-parent', start: 4, end: 60 }),
    ];
    const dir = tempFiles({ 'split.jsonl': `${JSON.stringify(encodeOtlpJson(spans))}\n` });
    const result = await runCli(['check', '--expect', 'mobile-app,cart-api', '--max-trees', '1', 'split.jsonl'], dir);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('trace ') || line.startsWith('…'))).toEqual([
      'trace 10000000 (2 spans)',
      'trace 20000000 (2 spans)',
    ]);
  });

  it('prints the verdict as JSON with the same exit code', async () => {
    const result = await runCli(['check', '--json', '--expect', CHAIN, BROKEN]);
    expect([result.code, JSON.parse(result.stdout)]).toEqual([
      1,
      {
        ok: false,
        traces: 2,
        spans: 7,
        problems: [
          {
            kind: 'broken-chain',
            traceId: 'c1fb3ccc6a3f105d8eaa7ca7e6e17b38',
            spanId: '777e07e947ecf928',
            service: 'payment-api',
            message:
              'api-gateway received the request but payment-api started a new trace (c1fb3ccc instead of f20e22c7): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does',
          },
        ],
        warnings: [],
        // One run: the fragment c1fb3ccc is tied to the run it split from, f20e22c7.
        runs: [{ traceId: 'f20e22c7fc8de46c4008c9ec7f99cbb6', journey: null, ok: false, kinds: ['broken-chain'] }],
      },
    ]);
  });

  it('finds two structurally sound traces fine without --expect, and says what that did not judge', async () => {
    expect(await runCli(['check', '--json', BROKEN])).toEqual({
      code: 0,
      // Every key as before, then runs, one a line: without a chain, every trace is a run of its own.
      stdout: `${JSON.stringify({ ok: true, traces: 2, spans: 7, problems: [], warnings: [] }, null, 2).slice(0, -2)},
  "runs": [
    {"traceId": "f20e22c7fc8de46c4008c9ec7f99cbb6", "journey": null, "ok": true, "kinds": []},
    {"traceId": "c1fb3ccc6a3f105d8eaa7ca7e6e17b38", "journey": null, "ok": true, "kinds": []}
  ]
}
`,
      stderr: NO_CHAIN_NOTE,
    });
  });

  it('joins one trace spread over several files', async () => {
    const lines = readFileSync(join(ROOT, OK), 'utf8').trim().split('\n');
    const dir = tempFiles({ 'a.jsonl': `${lines.slice(0, 2).join('\n')}\n`, 'b.json': lines.slice(2).join('\n') });
    expect(await runCli(['check', '--expect', CHAIN, 'a.jsonl', join(dir, 'b.json')], dir)).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace.\n',
      stderr: '',
    });
  });

  it('refuses dumps that hold no spans instead of passing them', async () => {
    const dir = tempFiles({
      'empty.json': '{"resourceSpans":[]}',
      'scopes.jsonl': '{"resourceSpans":[{"resource":{},"scopeSpans":[]}]}\n',
    });
    expect(await runCli(['check', 'empty.json', 'scopes.jsonl'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '[tracehop] Failed to check traces: "empty.json", "scopes.jsonl" hold no spans. Check that the exporter ran and flushed before the dump was written: await forceFlush() on each provider before its shutdown() and before the process exits. With a SimpleSpanProcessor, @opentelemetry/exporter-trace-otlp-grpc 0.27 to 0.34 loses the spans ended just before shutdown() without any error, whatever is awaited (0.52 logs "14 UNAVAILABLE: Channel closed before call"): use a BatchSpanProcessor and await forceFlush(), or upgrade the exporter to 0.57 or later.\n',
    });
    expect(await runCli(['check', '--json', '--expect', CHAIN, 'empty.json'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '[tracehop] Failed to check traces: "empty.json" holds no spans. Check that the exporter ran and flushed before the dump was written: await forceFlush() on each provider before its shutdown() and before the process exits. With a SimpleSpanProcessor, @opentelemetry/exporter-trace-otlp-grpc 0.27 to 0.34 loses the spans ended just before shutdown() without any error, whatever is awaited (0.52 logs "14 UNAVAILABLE: Channel closed before call"): use a BatchSpanProcessor and await forceFlush(), or upgrade the exporter to 0.57 or later.\n',
    });
  });

  it('prints a service name from a dump with the characters a terminal acts on escaped, so it cannot forge a line', async () => {
    // ESC [2K erases the line and CR returns to its start: shown raw, the tree line would read "[tracehop] OK".
    const service = 'api\u001b[2K\r[tracehop] OK';
    const dump = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
          scopeSpans: [{ spans: [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'x', kind: 2 }] }],
        },
      ],
    };
    const orphan = structuredClone(dump);
    Object.assign(orphan.resourceSpans[0]!.scopeSpans[0]!.spans[0]!, { parentSpanId: 'c'.repeat(16) });
    const dir = tempFiles({ 'esc.json': JSON.stringify(dump), 'orphan.json': JSON.stringify(orphan) });
    const result = await runCli(['check', 'esc.json'], dir);
    expect([result.code, result.stdout.split('\n')[0]]).toEqual([0, '[tracehop] OK: 1 trace, 1 span, no problems.']);
    const tree = await runCli(['check', 'orphan.json'], dir);
    expect([tree.code, tree.stdout.split('\n').filter((line) => line.includes('SERVER'))]).toEqual([
      1,
      ['└─ ✗ api\\u001b[2K\\u000d[tracehop] OK "x" SERVER bbbbbbbb (parent cccccccc not in trace)  orphan-span'],
    ]);
  });

  it('prints a span name from a dump with C1 controls and bidi overrides escaped, as JSON escapes C0 ones', async () => {
    // CSI (U+009B) starts a control sequence on terminals that read C1; U+202E turns the rest of the line around.
    const name = 'POST \u009b2K\u202e /pay';
    const dump = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payment-api' } }] },
          scopeSpans: [
            {
              spans: [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), parentSpanId: 'c'.repeat(16), name, kind: 2 }],
            },
          ],
        },
      ],
    };
    const dir = tempFiles({ 'orphan.json': JSON.stringify(dump) });
    const tree = await runCli(['check', 'orphan.json'], dir);
    expect([tree.code, tree.stdout.split('\n').filter((line) => line.includes('/pay'))]).toEqual([
      1,
      [
        '└─ ✗ payment-api "POST \\u009b2K\\u202e /pay" SERVER bbbbbbbb (parent cccccccc not in trace)  orphan-span',
        '✗ orphan-span: trace aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, span bbbbbbbbbbbbbbbb, service payment-api: payment-api "POST \\u009b2K\\u202e /pay" (bbbbbbbb) names parent span cccccccc, which was never exported in trace aaaaaaaa: the caller\'s span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent',
      ],
    ]);
  });

  it('reports a missing service in plain words', async () => {
    const result = await runCli(['check', '--expect', `${CHAIN},ledger`, OK]);
    expect([result.code, result.stdout.split('\n').slice(-3)]).toEqual([
      1,
      [
        '✗ missing-service: trace 6fc28a02eed87d23cef1de3d53f69066, span -, service ledger: ledger has no span in any trace: fraud-service never called it, or its spans were not exported',
        '[tracehop] Failed to verify traces: 1 problem in 1 trace, 7 spans. Each problem above names the hop that lost the trace context.',
        '',
      ],
    ]);
  });

  describe('unreadable input exits 2 with one line naming the file and the place', () => {
    const T = 'a'.repeat(32);
    const doc = (spanId: string) =>
      JSON.stringify({
        resourceSpans: [{ resource: {}, scopeSpans: [{ spans: [{ traceId: T, spanId, name: 'x' }] }] }],
      });
    it.each([
      [
        'a missing file',
        {},
        'nope.json',
        `[tracehop] Failed to read spans from "nope.json": the file does not exist. ${PATH_HINT}`,
      ],
      [
        'an empty file',
        { 'e.json': '' },
        'e.json',
        `[tracehop] Failed to read spans from "e.json": the file is empty. ${ANY_HINT}`,
      ],
      [
        'JSON that is not OTLP',
        { 'n.jsonl': `${doc('1'.repeat(16))}\n{"traces": []}\n` },
        'n.jsonl',
        `[tracehop] Failed to read spans from "n.jsonl": line 2 ${NONE}. ${ANY_HINT}`,
      ],
      [
        'a truncated last line, a newline after it',
        { 't.jsonl': `${doc('1'.repeat(16))}\n${doc('2'.repeat(16)).slice(0, 40)}\n` },
        't.jsonl',
        '[tracehop] Failed to read spans from "t.jsonl": line 2, the last, ends before its JSON does: the file was cut off (copied while the exporter was still writing it?). Copy the dump again once the exporter has flushed it, or delete the unfinished last line to check the rest.',
      ],
      [
        'a truncated line before another',
        { 'm.jsonl': `${doc('1'.repeat(16))}\n${doc('2'.repeat(16)).slice(0, 40)}\n${doc('3'.repeat(16))}\n` },
        'm.jsonl',
        `[tracehop] Failed to read spans from "m.jsonl": line 2 is not valid JSON (Unterminated string in JSON at position 40). ${HINT}`,
      ],
      [
        'a bad span id',
        { 'i.jsonl': `${doc('1'.repeat(16))}\n${doc('XYZ')}\n` },
        'i.jsonl',
        `[tracehop] Failed to read spans from "i.jsonl": line 2, resourceSpans[0].scopeSpans[0].spans[0].spanId "XYZ" is not a span id: it has 3 characters, not 16 hex characters. ${HINT}`,
      ],
      [
        'an empty file name',
        {},
        '',
        '[tracehop] Failed to read spans from "": the file name is empty. Name a dump file (an empty shell variable, perhaps?), or - for standard input.',
      ],
      [
        'a directory',
        { 'd/x.json': '' },
        'd',
        '[tracehop] Failed to read spans from "d": it is a directory, not a file. Name the dumps in it instead ("d/*"): tracehop reads several files at once, and a trace split over them.',
      ],
      [
        'a valid document without spans and a bad second line',
        { 'z.jsonl': '{"resourceSpans": []}\n[1]\n' },
        'z.jsonl',
        `[tracehop] Failed to read spans from "z.jsonl": line 2 ${NONE}. ${ANY_HINT}`,
      ],
      [
        'not JSON at all',
        { 'x.txt': 'hello\nworld\n' },
        'x.txt',
        `[tracehop] Failed to read spans from "x.txt": line 1 is not valid JSON (Unexpected token 'h'). ${ANY_HINT}`,
      ],
    ])('for %s', async (_name, files, file, message) => {
      const dir = tempFiles(files);
      expect(await runCli(['check', file], dir)).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
      // --json keeps stdout for the verdict only: nothing is printed there when there is no verdict.
      expect(await runCli(['check', '--json', file], dir)).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
    });

    it('stops at the first unreadable file of several and prints no verdict', async () => {
      const dir = tempFiles({
        'good.json': readFileSync(join(ROOT, OK), 'utf8').split('\n')[0]!,
        'bad.json': '{"resourceSpans": 3}',
      });
      expect(await runCli(['check', '--json', 'good.json', 'bad.json', 'never-read.json'], dir)).toEqual({
        code: 2,
        stdout: '',
        stderr: `[tracehop] Failed to read spans from "bad.json": line 1, resourceSpans is not an array. ${HINT}\n`,
      });
    });
  });

  describe('usage errors exit 2', () => {
    const USAGE =
      'Usage: tracehop check [--expect svc1,svc2,... | --journeys FILE [--journey NAME]] [--accept-links] [--skew-tolerance MS] [--max-trees N] [--format otlp-json|otlp-proto|jaeger|zipkin|go-stdouttrace|python-console|js-console] [--json] FILE...';
    it.each([
      [
        ['check'],
        "[tracehop] Failed to check: no files given. Pass one or more dumps: OTLP/JSON (a document or JSON Lines), OTLP protobuf, Jaeger JSON, Zipkin JSON, or the spans OpenTelemetry Go's stdouttrace or Python's or JS's ConsoleSpanExporter printed.",
      ],
      [
        ['check', '--verbose', 'a.json'],
        '[tracehop] Failed to check: there is no option "--verbose". Options are --expect, --journeys, --journey, --accept-links, --skew-tolerance, --max-trees, --format and --json.',
      ],
      [
        ['check', 'a.json', '--expect'],
        '[tracehop] Failed to check: --expect needs a comma-separated list of service names. Example: --expect mobile-app,api-gateway,payment-api.',
      ],
      [
        ['check', '--expect=,', 'a.json'],
        '[tracehop] Failed to check: --expect "," has an empty service name at position 1. Example: --expect mobile-app,api-gateway,payment-api.',
      ],
      [
        ['check', '--expect=', 'a.json'],
        '[tracehop] Failed to check: --expect needs a comma-separated list of service names. Example: --expect mobile-app,api-gateway,payment-api.',
      ],
      [
        ['check', '--expect', '  ', 'a.json'],
        '[tracehop] Failed to check: --expect needs a comma-separated list of service names. Example: --expect mobile-app,api-gateway,payment-api.',
      ],
      [
        ['check', '--expect', 'mobile-app,,payment-api', 'a.json'],
        '[tracehop] Failed to check: --expect "mobile-app,,payment-api" has an empty service name at position 2. Example: --expect mobile-app,api-gateway,payment-api.',
      ],
      [
        ['check', '--expect', 'mobile-app,api-gateway,', 'a.json'],
        '[tracehop] Failed to check: --expect "mobile-app,api-gateway," has an empty service name at position 3. Example: --expect mobile-app,api-gateway,payment-api.',
      ],
      [
        ['check', '--expect', 'mobile-app,api-gateway,mobile-app', 'a.json'],
        '[tracehop] Failed to check: --expect "mobile-app,api-gateway,mobile-app" names "mobile-app" twice. Example: --expect mobile-app,api-gateway,payment-api.',
      ],
      [
        ['check', '--expect', '--json', 'a.json'],
        '[tracehop] Failed to check: --expect needs a comma-separated list of service names, but it is followed by the option "--json". Example: --expect mobile-app,api-gateway,payment-api.',
      ],
      [
        ['check', '--expect', 'a', '--expect', 'b', 'a.json'],
        '[tracehop] Failed to check: --expect is given twice. Give one list: --expect mobile-app,api-gateway,payment-api.',
      ],
      [
        ['check', '--json', '--expect=,', 'a.json'],
        '[tracehop] Failed to check: --expect "," has an empty service name at position 1. Example: --expect mobile-app,api-gateway,payment-api.',
      ],
      [['check', '--json=true', 'a.json'], '[tracehop] Failed to check: --json takes no value. Write --json alone.'],
      [
        ['check', '--json'],
        "[tracehop] Failed to check: no files given. Pass one or more dumps: OTLP/JSON (a document or JSON Lines), OTLP protobuf, Jaeger JSON, Zipkin JSON, or the spans OpenTelemetry Go's stdouttrace or Python's or JS's ConsoleSpanExporter printed.",
      ],
    ])('for %j', async (argv, message) => {
      expect(await runCli(argv)).toEqual({ code: 2, stdout: '', stderr: `${message}\n${USAGE}\n` });
    });

    it('prints usage for --help and exits 0', async () => {
      expect(await runCli(['check', '--help'])).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
    });
  });
});

describe('tracehop check on a device clock minutes off', () => {
  it('exits 0 and prints the clock-skew warning, in text and JSON', async () => {
    const { encodeOtlpJson } = await import('../../harness/model');
    const { runCheckoutJourney } = await import('../verify/support/checkout-journey');
    const spans = await runCheckoutJourney({ seed: 7, clockOffsetMs: { 'mobile-app': -120_000 } });
    const dir = tempFiles({ 'skew.json': JSON.stringify(encodeOtlpJson(spans)) });
    const gateway = spans.find((s) => s.service === 'api-gateway' && s.kind === 'server');
    const client = spans.find((s) => s.service === 'mobile-app' && s.kind === 'client');
    if (!gateway || !client) throw new Error('journey spans missing');
    const warning = `api-gateway "POST /checkout" (${gateway.spanId.slice(0, 8)}) ends 2 minutes after its parent mobile-app "POST /checkout" (${client.spanId.slice(0, 8)}): the clocks of mobile-app and api-gateway disagree (not a propagation defect; parent links decide)`;
    expect(await runCli(['check', '--expect', CHAIN, 'skew.json'], dir)).toEqual({
      code: 0,
      stdout:
        `! clock-skew (warning): trace ${gateway.traceId}, span ${gateway.spanId}, service api-gateway: ${warning}\n` +
        '[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace (1 warning).\n',
      stderr: '',
    });
    const json = await runCli(['check', '--json', 'skew.json'], dir);
    expect([json.code, JSON.parse(json.stdout).warnings]).toEqual([
      0,
      [
        {
          kind: 'clock-skew',
          traceId: gateway.traceId,
          spanId: gateway.spanId,
          service: 'api-gateway',
          skewMs: 119_995,
          message: warning,
        },
      ],
    ]);
  });
});
