/**
 * `tracehop check` on dumps the real OpenTelemetry JS SDK wrote (test/check/real-sdk/README.md says how and
 * with which versions): what users' staging dumps hold, stamped as that SDK stamps them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAIN, ROOT, runCli, tempFiles } from './support';

const DIR = join(__dirname, 'real-sdk');

/** What a real-SDK dump's lines hold, as far as the test below rewrites them. */
interface OtlpDocument {
  resourceSpans: Array<{
    scopeSpans: Array<{
      spans: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        startTimeUnixNano?: string;
        endTimeUnixNano?: string;
        status?: { code?: number; message?: string };
        attributes?: Array<{ key: string; value?: { stringValue?: string } }>;
        events?: unknown[];
      }>;
    }>;
  }>;
}

interface Verdict {
  readonly runs: Array<{ traceId: string; ok: boolean; kinds: string[] }>;
  readonly problems: Array<{ kind: string; traceId: string; spanId: string; service: string; message: string }>;
}

/** Each run of a verdict as [its trace id's first 8 characters, ok, its problem kinds]. */
const runRows = (verdict: Verdict): Array<[string, boolean, string[]]> =>
  verdict.runs.map(({ traceId, ok, kinds }) => [traceId.slice(0, 8), ok, kinds]);

/** check's broken-chain message for a payment call that lost traceparent: payment-api's new trace `fragment` left `run`. */
const newPaymentTrace = (fragment: string, run: string, tie = ''): string =>
  `api-gateway received the request but payment-api started a new trace (${fragment} instead of ${run}): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does${tie}`;

/** check's missing-service message for run `run`, whose payment call `call` was answered with no payment-api span in it. */
const noPaymentSpan = (run: string, call: string): string =>
  `payment-api has no span in trace ${run}: api-gateway's call "POST" (${call}) was answered (HTTP 200) but payment-api left no span of it in this trace: the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), payment-api's own sampler dropped it though api-gateway sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), payment-api started a new trace that no span link, route or timing ties to this run, or a proxy or cache answered in its place`;

/** check's broken-chain message for the app's request `request` sent from new trace `trace`, tied to `run`. */
const sentAgain = (request: string, trace: string, run: string, root: string, tie: string, journey: string): string =>
  `mobile-app's CLIENT span "POST" (${request}) started a new trace (${trace} instead of the journey's ${run})${tie} that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "${journey}" (${root}) (a replayed request needs the context saved with it)`;

/** The tie in sentAgain's message when the request sends again the run's call `call` a proxy answered 503. */
const attempt = (call: string): string =>
  ` (it sends again the journey's CLIENT span "POST" (${call}), which was answered HTTP 503)`;

/** Each problem of a verdict as [its kind, its trace id's first 8 characters, its whole message]. */
const problemRows = (verdict: Verdict): Array<[string, string, string]> =>
  verdict.problems.map(({ kind, traceId, message }) => [kind, traceId.slice(0, 8), message]);

type OtlpSpan = OtlpDocument['resourceSpans'][number]['scopeSpans'][number]['spans'][number];

/** A fixture of DIR with each export's spans edited by `edit` (one scope's spans at a time), written as `name`. */
function rewritten(fixture: string, name: string, edit: (spans: OtlpSpan[]) => void): string {
  const lines = readFileSync(join(DIR, fixture), 'utf8').trim().split('\n');
  const edited = lines.map((line) => {
    const document = JSON.parse(line) as OtlpDocument;
    for (const resource of document.resourceSpans) for (const scope of resource.scopeSpans) edit(scope.spans);
    return JSON.stringify(document);
  });
  return tempFiles({ [name]: `${edited.join('\n')}\n` });
}

describe('tracehop check on real OpenTelemetry JS dumps', () => {
  it("ties a second call's new trace to its run when the callees' late ends make their clock look ahead", async () => {
    // In capture-drop.jsonl, the third capture's SERVER span (ba8cbdf1) starts 1 ms after the gateway's CLIENT
    // span for it, which ran 2.6 ms. The sound calls' servers end up to 3 ms after their clients read the
    // answer (the response flushed late), which put payment-api's clock 1.9 ms ahead by the median: that took
    // the capture's start to before its call, for a request from a client that does not trace, and run
    // aab53f07 passed. Servers starting in the very millisecond of their call show it runs no more than 0 ms
    // ahead.
    const { code, stdout } = await runCli(['check', '--json', `--expect=${CHAIN}`, 'capture-drop.jsonl'], DIR);
    const verdict = JSON.parse(stdout) as Verdict;
    expect([
      code,
      runRows(verdict),
      verdict.problems.map(({ kind, traceId, spanId, service, message }) => [kind, traceId, spanId, service, message]),
    ]).toEqual([
      1,
      [
        ['8ab3c4be', false, ['broken-chain']],
        ['e33f30ce', false, ['broken-chain']],
        ['aab53f07', false, ['broken-chain']],
        ['64dbec54', true, []],
        ['3387c31e', true, []],
        ['c5a143ef', true, []],
      ],
      [
        [
          'broken-chain',
          '275f70a0463abee9e528bf0892c65663',
          '62eaf0b415de5352',
          'payment-api',
          newPaymentTrace('275f70a0', '8ab3c4be'),
        ],
        [
          'broken-chain',
          '8abc4a6e6fdeb574758b5f2186c55939',
          'e29529635f2dca69',
          'payment-api',
          newPaymentTrace('8abc4a6e', 'e33f30ce'),
        ],
        [
          'broken-chain',
          'ba8cbdf1ba60a247b02bbb61ac955f4d',
          '611a44f52372882b',
          'payment-api',
          newPaymentTrace('ba8cbdf1', 'aab53f07'),
        ],
      ],
    ]);
  });

  it('ties an offline replay tagged with its journey but sent outside its context to the run that queued it', async () => {
    // offline-replay-tagged.jsonl: four offline-replay runs whose first POST /checkout failed (offline). Two
    // replayed it from the saved context (f2c19bcc, 75e78bbb); two from a new trace, the replay's CLIENT span
    // tagged app.journey=offline-replay (README, "Add tracehop to your app"). Those replays were counted as two
    // more runs that passed, and the runs that queued them as failed attempts "not a lost trace context".
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const args = [
      'check',
      '--json',
      '--journeys',
      journeys,
      '--journey',
      'offline-replay',
      'offline-replay-tagged.jsonl',
    ];
    const { code, stdout } = await runCli(args, DIR);
    const verdict = JSON.parse(stdout) as Verdict;
    const replayed = (replay: string, request: string, run: string, call: string, root: string) =>
      `mobile-app's CLIENT span "POST" (${request}) started a new trace (${replay} instead of the journey's ${run}) (it names the journey and sends again the journey's CLIENT span "POST" (${call}), which got no answer) that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "offline-replay" (${root}) (a replayed request needs the context saved with it)`;
    expect([
      code,
      runRows(verdict),
      verdict.problems.map(({ kind, traceId, spanId, service, message }) => [kind, traceId, spanId, service, message]),
    ]).toEqual([
      1,
      [
        ['f2c19bcc', true, []],
        ['5467a524', false, ['broken-chain']],
        ['753ba059', false, ['broken-chain']],
        ['75e78bbb', true, []],
      ],
      [
        [
          'broken-chain',
          '24e8df546c77dedc3c00cae968c29a71',
          'a818bb5e26c4d0ca',
          'mobile-app',
          replayed('24e8df54', 'a818bb5e', '5467a524', 'eca7e7e3', '15e76283'),
        ],
        [
          'broken-chain',
          'f0b47dadb33a056c68efea56e517d47d',
          'd3f22d83f5a6506f',
          'mobile-app',
          replayed('f0b47dad', 'd3f22d83', '753ba059', '03cf9ff9', '4bd9183e'),
        ],
      ],
    ]);
  });

  it('still ties a new trace to a call that timed out waiting for its answer: the request had arrived', async () => {
    // capture-drop.jsonl with run 8ab3c4be's dropped capture failed as a client timeout leaves its CLIENT span
    // (ERROR, no HTTP status, error.type UND_ERR_HEADERS_TIMEOUT): payment-api got that request and started new
    // trace 275f70a0 for it. Taken as a call that reached nobody, it tied to no new trace, and the run passed.
    const broken = new Set(['8ab3c4be']);
    const dir = rewritten('capture-drop.jsonl', 'timeouts.jsonl', (spans) => {
      for (const span of spans) {
        const url = span.attributes?.find((a) => a.key === 'url.full')?.value?.stringValue;
        if (!broken.has(span.traceId.slice(0, 8)) || span.kind !== 3 || !url?.endsWith('/capture')) continue;
        span.status = { code: 2 };
        span.attributes = [
          ...(span.attributes ?? []).filter((a) => a.key !== 'http.response.status_code'),
          { key: 'error.type', value: { stringValue: 'UND_ERR_HEADERS_TIMEOUT' } },
        ];
      }
    });
    const { code, stdout } = await runCli(['check', '--json', `--expect=${CHAIN}`, 'timeouts.jsonl'], dir);
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, runRows(verdict)]).toEqual([
      1,
      [
        ['8ab3c4be', false, ['broken-chain']],
        ['e33f30ce', false, ['broken-chain']],
        ['aab53f07', false, ['broken-chain']],
        ['64dbec54', true, []],
        ['3387c31e', true, []],
        ['c5a143ef', true, []],
      ],
    ]);
  });

  it('ties a tagged replay sent under an outbox span of its own, not only one whose CLIENT span is the root', async () => {
    // offline-replay-tagged.jsonl with each replay's tagged CLIENT span put beneath an untagged INTERNAL root
    // "outbox-replay", as an app's outbox flush starts one (the sample app's does): the replays were counted as
    // two more runs that passed, and the runs that queued them as failed attempts "not a lost trace context".
    const dir = rewritten('offline-replay-tagged.jsonl', 'replays.jsonl', (spans) => {
      const tagged = spans.filter(
        (span) => span.parentSpanId === undefined && span.attributes?.some((a) => a.key === 'app.journey'),
      );
      for (const span of tagged) {
        const flush = `ab${span.spanId.slice(2)}`;
        spans.push({ ...span, spanId: flush, name: 'outbox-replay', kind: 1, attributes: [] });
        span.parentSpanId = flush;
      }
    });
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const args = ['check', '--json', '--journeys', journeys, '--journey', 'offline-replay', 'replays.jsonl'];
    const verdict = JSON.parse((await runCli(args, dir)).stdout) as Verdict;
    expect([
      runRows(verdict),
      verdict.problems.map(({ kind, traceId, spanId }) => [kind, traceId.slice(0, 8), spanId.slice(0, 8)]),
    ]).toEqual([
      [
        ['f2c19bcc', true, []],
        ['5467a524', false, ['broken-chain']],
        ['753ba059', false, ['broken-chain']],
        ['75e78bbb', true, []],
      ],
      [
        ['broken-chain', '24e8df54', 'a818bb5e'],
        ['broken-chain', 'f0b47dad', 'd3f22d83'],
      ],
    ]);
  });

  it("leaves a sound run's offline attempt, which reached nobody, out of other runs' breaks", async () => {
    // offline-retry-beside-breaks.jsonl: 8 sound offline-replay runs (the first POST /checkout refused,
    // replayed in the saved context) and 8 checkouts whose app left the gateway off its propagation targets,
    // 8 at once. Each gateway's new trace was tied to its checkout, and again, in the offline-replay journey, to a
    // sound run whose refused attempt ran when it started: 3 sound runs were reported broken-chain.
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const { code, stdout } = await runCli(
      ['check', '--journeys', journeys, '--max-trees', '0', 'offline-retry-beside-breaks.jsonl'],
      DIR,
    );
    expect([code, stdout.split('\n').slice(0, 6)]).toEqual([
      1,
      [
        'checkout (mobile-app -> api-gateway -> payment-api -> fraud-service): 8 runs, 8 broken (broken-chain 8)',
        'login (mobile-app -> api-gateway -> auth-service): no runs',
        'search-retry (mobile-app -> api-gateway -> catalog-service): no runs',
        'offline-replay (mobile-app -> api-gateway -> payment-api -> fraud-service): 8 runs, none broken',
        'privacy (mobile-app): no runs',
        '8 problems: broken-chain 8',
      ],
    ]);
  });

  it("leaves a client's request that does not trace out of a run whose only call was refused", async () => {
    // untraced-client-beside-refused-attempt.jsonl: offline-replay run 68c0eddc, whose POST /checkout was
    // refused (ECONNREFUSED) and replayed from new trace 798f68ab, and a curl-like POST /checkout with no trace
    // headers (api-gateway's trace 8fa98094) that started in the millisecond before the refused call. --expect
    // tied that request to 68c0eddc as its broken-chain (and without the millisecond, to the run nearest in time),
    // though a refused call sent no request.
    const { code, stdout } = await runCli(
      ['check', '--json', `--expect=${CHAIN}`, 'untraced-client-beside-refused-attempt.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([0, [['798f68ab', true, []]], []]);
    // The same request 20 ms later, while no call ran: nor is it that run's.
    const later = rewritten('untraced-client-beside-refused-attempt.jsonl', 'later.jsonl', (spans) => {
      for (const span of spans) {
        if (!span.traceId.startsWith('8fa98094')) continue;
        span.startTimeUnixNano = String(BigInt(span.startTimeUnixNano ?? '0') + 20_000_000n);
        span.endTimeUnixNano = String(BigInt(span.endTimeUnixNano ?? '0') + 20_000_000n);
      }
    });
    const moved = await runCli(['check', '--json', `--expect=${CHAIN}`, 'later.jsonl'], later);
    const movedVerdict = JSON.parse(moved.stdout) as Verdict;
    expect([moved.code, runRows(movedVerdict), problemRows(movedVerdict)]).toEqual([0, [['798f68ab', true, []]], []]);
  });

  it("ties no new trace to a gateway's call refused as @opentelemetry/instrumentation-http records it", async () => {
    // refused-call-beside-drop.jsonl: checkout beb56f33, whose api-gateway POST to payment-api was refused (its
    // span: error.type "Error", status message "connect ECONNREFUSED 127.0.0.1:..."), and checkout 5c72fe0a,
    // started in the same millisecond, whose payment call lost traceparent through a proxy (payment-api's new
    // trace eb7cc890). The refused call was not seen as refused: eb7cc890 was tied to beb56f33 as its
    // broken-chain, and 5c72fe0a got missing-service.
    const refused =
      'payment-api has no span in trace beb56f33: api-gateway\'s call "POST" (8f4e4b46) failed (its span\'s status is ERROR: "connect ECONNREFUSED 127.0.0.1:41143") and got no answer in this trace: most likely it never reached payment-api, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)';
    const journeys = join(ROOT, 'fixtures/journeys.json');
    for (const options of [[`--expect=${CHAIN}`], ['--journeys', journeys]]) {
      const { code, stdout } = await runCli(['check', '--json', ...options, 'refused-call-beside-drop.jsonl'], DIR);
      const verdict = JSON.parse(stdout) as Verdict;
      expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
        1,
        [
          ['beb56f33', false, ['missing-service']],
          ['5c72fe0a', false, ['broken-chain']],
        ],
        [
          ['broken-chain', 'eb7cc890', newPaymentTrace('eb7cc890', '5c72fe0a')],
          ['missing-service', 'beb56f33', refused],
        ],
      ]);
    }
  });

  it.each([
    ["OkHttp's", 'Failed to connect to /127.0.0.1:41143'],
    ["URLSession's (NSURLErrorCannotConnectToHost)", 'Could not connect to the server.'],
    ["URLSession's (NSURLErrorCannotFindHost)", 'A server with the specified hostname could not be found.'],
    ["URLSession's (NSURLErrorNotConnectedToInternet)", 'The Internet connection appears to be offline.'],
  ])('ties no new trace to a refused call whose only word of it is %s status message', async (_client, message) => {
    // refused-call-beside-drop.jsonl (see above), its refused call's error.type left out and its status message
    // worded as that client words a connection it could not make.
    const dir = rewritten('refused-call-beside-drop.jsonl', 'refused.jsonl', (spans) => {
      for (const span of spans) {
        const refused = span.attributes?.some((a) => a.key === 'error.type' && a.value?.stringValue === 'Error');
        if (!refused) continue;
        span.status = { code: 2, message };
        span.attributes = (span.attributes ?? []).filter((a) => a.key !== 'error.type');
      }
    });
    const { code, stdout } = await runCli(['check', '--json', `--expect=${CHAIN}`, 'refused.jsonl'], dir);
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['beb56f33', false, ['missing-service']],
        ['5c72fe0a', false, ['broken-chain']],
      ],
      [
        ['broken-chain', 'eb7cc890', newPaymentTrace('eb7cc890', '5c72fe0a')],
        [
          'missing-service',
          'beb56f33',
          `payment-api has no span in trace beb56f33: api-gateway's call "POST" (8f4e4b46) failed (its span's status is ERROR: "${message}") and got no answer in this trace: most likely it never reached payment-api, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)`,
        ],
      ],
    ]);
  });

  it("leaves a client's request that does not trace out of runs whose attempt a proxy answered 503", async () => {
    // untraced-clients-beside-503-retries.jsonl: checkouts c75194d6, which retried in its own trace after an
    // untraced proxy answered its first POST /checkout 503, and 1194a43f, which retried from new trace e2327ed4;
    // two curl-like POST /checkout with no trace headers (api-gateway's traces c355de19 and 791cc444, answered
    // 200) started while or after each run's attempt ran. Both were blamed on those runs, though a 503 that
    // the gateway's 200 never reached came from the proxy, which forwarded nothing.
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const expected = await runCli(
      ['check', '--json', `--expect=${CHAIN}`, 'untraced-clients-beside-503-retries.jsonl'],
      DIR,
    );
    const expectVerdict = JSON.parse(expected.stdout) as Verdict;
    expect([expected.code, runRows(expectVerdict), problemRows(expectVerdict)]).toEqual([
      0,
      [
        ['c75194d6', true, []],
        ['e2327ed4', true, []],
      ],
      [],
    ]);
    const { code, stdout } = await runCli(
      ['check', '--json', '--journeys', journeys, 'untraced-clients-beside-503-retries.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['c75194d6', true, []],
        ['1194a43f', false, ['broken-chain']],
      ],
      [
        [
          'broken-chain',
          'e2327ed4',
          sentAgain('5cfccaa4', 'e2327ed4', '1194a43f', 'b6ed759c', attempt('af007bea'), 'checkout'),
        ],
      ],
    ]);
  });

  it('leaves requests of clients that do not trace out of a run whose call failed at the socket before they were answered', async () => {
    // untraced-clients-beside-closed-socket.jsonl: checkout ce376aec, whose POST /checkout failed after 943 ms
    // with undici's UND_ERR_SOCKET "other side closed" (no HTTP status: a kept-alive connection the server
    // closed as the request went out) and api-gateway left no span of it; three curl-like POST /checkout with
    // no trace headers (api-gateway's traces f3b100cc, ce80d009, 29769139) that started while it ran and were
    // answered 200 after it had failed; three sound checkouts. f3b100cc was tied to ce376aec as its
    // broken-chain ("a guess"), though an answer written after the connection was closed is not this call's.
    const failed =
      'api-gateway has no span in trace ce376aec: mobile-app\'s call "POST" (0b32467e) failed (its span\'s status is ERROR: "other side closed") and got no answer in this trace: most likely it never reached api-gateway, so the run did not get past this hop (a failed attempt, not a lost trace context, when a retry in another run completed the chain)';
    const sound: Array<[string, boolean, string[]]> = [
      ['530efb10', true, []],
      ['a5787367', true, []],
      ['575559f5', true, []],
    ];
    // As a refused call is told: under --expect an app's trace that reached nobody is no run; a journey's is.
    const expected = await runCli(
      ['check', '--json', `--expect=${CHAIN}`, 'untraced-clients-beside-closed-socket.jsonl'],
      DIR,
    );
    const expectVerdict = JSON.parse(expected.stdout) as Verdict;
    expect([expected.code, runRows(expectVerdict), problemRows(expectVerdict)]).toEqual([0, sound, []]);
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const { code, stdout } = await runCli(
      ['check', '--json', '--journeys', journeys, 'untraced-clients-beside-closed-socket.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [['ce376aec', false, ['missing-service']], ...sound],
      [['missing-service', 'ce376aec', failed]],
    ]);
    // The same call ended by the client's own timeout waiting for the answer: the server may well have gone on
    // and answered after the client gave up, so the tie stays (a guess among the new traces it fits).
    const timedOut = rewritten('untraced-clients-beside-closed-socket.jsonl', 'timeout.jsonl', (spans) => {
      for (const span of spans) {
        if (!span.spanId.startsWith('0b32467e')) continue;
        span.status = { code: 2, message: 'Headers Timeout Error' };
        for (const attribute of span.attributes ?? [])
          if (attribute.key === 'error.type') attribute.value = { stringValue: 'UND_ERR_HEADERS_TIMEOUT' };
        span.events = [];
      }
    });
    const kept = await runCli(['check', '--json', `--expect=${CHAIN}`, 'timeout.jsonl'], timedOut);
    const keptVerdict = JSON.parse(kept.stdout) as Verdict;
    expect([kept.code, runRows(keptVerdict), problemRows(keptVerdict)]).toEqual([
      1,
      [['ce376aec', false, ['broken-chain']], ...sound],
      [
        [
          'broken-chain',
          'f3b100cc',
          "mobile-app sent the request but api-gateway started a new trace (f3b100cc instead of ce376aec): mobile-app did not inject traceparent, or api-gateway did not read it, as an SDK with no W3C propagator set does (2 other new traces on this route started while the same call ran: which one is this run's is a guess); fix: make mobile-app send one valid W3C traceparent to api-gateway (its SDK's propagation targets and propagators decide which hosts get one), and set the W3C TraceContext propagator in api-gateway's SDK",
        ],
      ],
    ]);
  });

  it("tells a checkout whose gateway got no traceparent from a replay sent outside its run's context", async () => {
    // replays-beside-unsent-headers.jsonl, 8 runs at once: 4 checkouts whose app left the gateway off its
    // propagation targets (the CLIENT span answered, the gateway in a new trace) and 4 offline-replay runs
    // whose replay went out in a new trace, untagged. Each replay was tied to a checkout running then ("made
    // the request outside the journey's context"), and each gateway's new trace to a replay run ("mobile-app
    // did not inject traceparent"): every run broken, each with the other's cause and fix.
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const { code, stdout } = await runCli(
      ['check', '--json', '--journeys', journeys, 'replays-beside-unsent-headers.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    const unsent = (fragment: string, run: string) =>
      `mobile-app sent the request but api-gateway started a new trace (${fragment} instead of ${run}): mobile-app did not inject traceparent, or api-gateway did not read it, as an SDK with no W3C propagator set does (route and timing fit 3 other runs as well: which run it left is a guess); fix: make mobile-app send one valid W3C traceparent to api-gateway (its SDK's propagation targets and propagators decide which hosts get one), and set the W3C TraceContext propagator in api-gateway's SDK`;
    const replay = (request: string, trace: string, run: string, root: string) =>
      `mobile-app's CLIENT span "POST" (${request}) started a new trace (${trace} instead of the journey's ${run}) (tied to the journey's run nearest in time: which run it left is a guess) that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "offline-replay" (${root}) (a replayed request needs the context saved with it)`;
    expect([
      code,
      runRows(verdict),
      verdict.problems.map(({ traceId, message }) => [traceId.slice(0, 8), message]),
    ]).toEqual([
      1,
      [
        ['e219a3ad', false, ['broken-chain']],
        ['2737a0a1', false, ['broken-chain']],
        ['90a45aeb', false, ['broken-chain']],
        ['184cf624', false, ['broken-chain']],
        ['1bb4e546', false, ['broken-chain']],
        ['6b2d2c1c', false, ['broken-chain']],
        ['05793aa1', false, ['broken-chain']],
        ['aaf6c486', false, ['broken-chain']],
      ],
      [
        // The gateway's new traces started 28 to 34 ms after the calls (13, 15, 16, 18 ms in), 41, 45, 46, 47 ms
        // in, paired in start order; the app's ephemeral ports the gateway's SERVER spans name (46494, 46504,
        // 46506, 46516: connections are opened in the order the calls were sent) say the same. The tightest fit
        // first paired none of the four so.
        ['8a7cafe1', unsent('8a7cafe1', 'e219a3ad')],
        ['4afccbc3', unsent('4afccbc3', '184cf624')],
        ['89fd5700', unsent('89fd5700', '2737a0a1')],
        ['c6f7d6aa', unsent('c6f7d6aa', '90a45aeb')],
        ['7bbebdaf', replay('73a7f024', '7bbebdaf', 'aaf6c486', '2120c6b1')],
        ['1a1df5bb', replay('f3687c6d', '1a1df5bb', '05793aa1', 'd1cf70dd')],
        ['280470da', replay('492d5ae6', '280470da', '1bb4e546', 'b1ceb71e')],
        ['0953b09d', replay('8eb63b56', '0953b09d', '6b2d2c1c', 'a13ac448')],
      ],
    ]);
  });

  it('ties a retry sent from a new trace to the run whose first attempt an untraced proxy answered 503', async () => {
    // retries-after-proxy-503.jsonl: 6 checkouts, each a "checkout" span whose first POST /checkout a proxy
    // that does not trace answered 503 (no callee span). Two retried in the journey's context (sound), two from
    // a new trace, two from a new trace tagged app.journey=checkout. The untagged retries were left untied: an
    // answered call counted as the journey having sent the request itself, so each run read as "a failed
    // attempt, not a lost trace context" (missing-service) and its retry went unjudged; the tagged ones were
    // tied as repeating a call "which got no answer".
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const args = ['check', '--json', '--journeys', journeys, '--journey', 'checkout', 'retries-after-proxy-503.jsonl'];
    const { code, stdout } = await runCli(args, DIR);
    const verdict = JSON.parse(stdout) as Verdict;
    const retried = (request: string, trace: string, run: string, call: string, root: string, named = '') =>
      `mobile-app's CLIENT span "POST" (${request}) started a new trace (${trace} instead of the journey's ${run}) (it ${named}sends again the journey's CLIENT span "POST" (${call}), which was answered HTTP 503) that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "checkout" (${root}) (a replayed request needs the context saved with it)`;
    const named = 'names the journey and ';
    expect([
      code,
      runRows(verdict),
      verdict.problems.map(({ kind, traceId, spanId, service, message }) => [kind, traceId, spanId, service, message]),
    ]).toEqual([
      1,
      [
        ['2164fb5d', true, []],
        ['2bd1d2b0', false, ['broken-chain']],
        ['fdbd08c2', false, ['broken-chain']],
        ['200cb88c', true, []],
        ['1efb7084', false, ['broken-chain']],
        ['d6c8b671', false, ['broken-chain']],
      ],
      [
        [
          'broken-chain',
          'dc03d2a57df26d645db6e9f831071622',
          '9d324f3f138a6b0f',
          'mobile-app',
          retried('9d324f3f', 'dc03d2a5', '2bd1d2b0', '0bc246ee', '63843d39'),
        ],
        [
          'broken-chain',
          '4e26d2f7e439d6783e2e45283d3043ce',
          'a3c520b6963c5c2b',
          'mobile-app',
          retried('a3c520b6', '4e26d2f7', 'fdbd08c2', 'd89a0f8e', '36e08cb4', named),
        ],
        [
          'broken-chain',
          'f87c515f0ac859dff1d80806106383d6',
          '4adb847b1d513611',
          'mobile-app',
          retried('4adb847b', 'f87c515f', '1efb7084', '28058362', 'b493e82c'),
        ],
        [
          'broken-chain',
          'da23e101f2174fda00a36051e775cc2b',
          '9fa5a126c52a7971',
          'mobile-app',
          retried('9fa5a126', 'da23e101', 'd6c8b671', 'eeb6128b', '5191df60', named),
        ],
      ],
    ]);
  });

  it('ties replays sent from new traces while several runs of the journey ran to the run whose attempt each repeats', async () => {
    // tagged-replays-at-once.jsonl, cut from a staging-size dump (scripts/real-sdk-staging): offline-replay runs
    // two at a time, each replaying its refused POST /checkout from a new trace tagged with the journey while
    // its span still ran. Each replay was tied to the run whose span started nearest to it: b526e1ec, sent by
    // 7d30a3a6 after its attempt failed, went to ce08908a (whose attempt had not ended yet, and whose span
    // ended before 4bbad00b did), and 4bbad00b to 7d30a3a6, with no word of a guess. c50bb027 and 6a7ff120
    // ran side by side within a millisecond: nothing tells their replays apart, and the message now says so.
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const args = ['check', '--json', '--journeys', journeys, 'tagged-replays-at-once.jsonl'];
    const { code, stdout } = await runCli(args, DIR);
    const verdict = JSON.parse(stdout) as Verdict;
    const replayed = (request: string, trace: string, run: string, root: string, guess = '') =>
      `mobile-app's CLIENT span "POST" (${request}) started a new trace (${trace} instead of the journey's ${run})${guess} that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "offline-replay" (${root}) (a replayed request needs the context saved with it)`;
    const guess = ' (timing fits 1 other run as well: which run it left is a guess)';
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['c50bb027', false, ['broken-chain']],
        ['6a7ff120', false, ['broken-chain']],
        ['7d30a3a6', false, ['broken-chain']],
        ['ce08908a', false, ['broken-chain']],
      ],
      [
        ['broken-chain', '67d40356', replayed('32bd1190', '67d40356', '6a7ff120', '4f88bf16', guess)],
        ['broken-chain', 'd4ff338e', replayed('693e06fc', 'd4ff338e', 'c50bb027', '25b4b503', guess)],
        ['broken-chain', 'b526e1ec', replayed('9041628c', 'b526e1ec', '7d30a3a6', '88aa71fe')],
        ['broken-chain', '4bbad00b', replayed('0b6e3850', '4bbad00b', 'ce08908a', '67b98bcd')],
      ],
    ]);
  });

  it('pairs retries and replays sent at once with the runs that sent them, the surest pairs first', async () => {
    // retries-and-replays-at-once.jsonl, cut from a staging-size dump (scripts/real-sdk-staging): two checkouts
    // whose retry after a 503 went out from a new trace (8873171f sent 93213c47, a7df2405 sent 3ab40e6d) and
    // three offline-replay runs whose replay did (bb2b7066 sent 5d0072aa, 0bf19708 7d79d3a8, 456a4284
    // aca01b48), each while its run's span ran. Taken one by one in the order sent, the first request took the
    // run that fit it best, though that run was the only one to fit a later request: 93213c47 took a7df2405,
    // whose span alone still ran when 3ab40e6d ended, and the replays went round (5d0072aa to 0bf19708,
    // 7d79d3a8 to 456a4284, aca01b48 to bb2b7066). Each run another request could not do without is that
    // request's, so the rest is no guess either.
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const args = ['check', '--json', '--journeys', journeys, 'retries-and-replays-at-once.jsonl'];
    const { code, stdout } = await runCli(args, DIR);
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['8873171f', false, ['broken-chain']],
        ['a7df2405', false, ['broken-chain']],
        ['bb2b7066', false, ['broken-chain']],
        ['0bf19708', false, ['broken-chain']],
        ['456a4284', false, ['broken-chain']],
      ],
      [
        [
          'broken-chain',
          '93213c47',
          sentAgain('0f53b7c3', '93213c47', '8873171f', '63bf04e0', attempt('97055d1f'), 'checkout'),
        ],
        [
          'broken-chain',
          '3ab40e6d',
          sentAgain('13aad677', '3ab40e6d', 'a7df2405', '23d50e8e', attempt('b91615a0'), 'checkout'),
        ],
        ['broken-chain', '5d0072aa', sentAgain('70a4bca3', '5d0072aa', 'bb2b7066', '36b9c348', '', 'offline-replay')],
        ['broken-chain', '7d79d3a8', sentAgain('95b18b72', '7d79d3a8', '0bf19708', '785136cb', '', 'offline-replay')],
        ['broken-chain', 'aca01b48', sentAgain('84439c5a', 'aca01b48', '456a4284', 'd1722a08', '', 'offline-replay')],
      ],
    ]);
  });

  it("gives an offline replay naming its journey to that journey's run, not a checkout's retry sent at once", async () => {
    // replay-beside-retry-at-once.jsonl, cut from a staging-size dump (scripts/real-sdk-staging, seed 7): in the
    // same millisecond, checkout 31de0ad2 retried its POST a proxy answered 503 from new trace 34c6e6ea (naming
    // no journey), and offline-replay e2541639 replayed its refused POST from new trace 0a8174db, which names
    // offline-replay. Both requests ran while both journey spans did. Paired by fit alone, the replay's run took
    // the checkout's retry (and the checkout read as a failed attempt, missing-service), and the replay became a
    // second offline-replay run. A request that names the journey is that journey's before any timing.
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const args = ['check', '--json', '--journeys', journeys, 'replay-beside-retry-at-once.jsonl'];
    const { code, stdout } = await runCli(args, DIR);
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['31de0ad2', false, ['broken-chain']],
        ['e2541639', false, ['broken-chain']],
      ],
      [
        [
          'broken-chain',
          '34c6e6ea',
          sentAgain('db8cf8b2', '34c6e6ea', '31de0ad2', 'b58671a5', attempt('c5122ef8'), 'checkout'),
        ],
        ['broken-chain', '0a8174db', sentAgain('eedae67d', '0a8174db', 'e2541639', 'f3d0b5fe', '', 'offline-replay')],
      ],
    ]);
  });

  it('gives a replay the one run it fits when a replay sent just before fits that run best', async () => {
    // replays-one-fits-one-run.jsonl, cut from a staging-size dump (scripts/real-sdk-staging): offline-replay
    // runs 8a57e690 and da0b2e0f, 5 ms apart, replayed their refused POST /checkout from new traces 2a5f70e1
    // and 10e9e273 2 ms apart, each while both spans ran. 10e9e273 ended after 8a57e690's span did: it can only
    // be da0b2e0f's. Paired tightest first, 2a5f70e1 took da0b2e0f (as a guess) and left 10e9e273 8a57e690's,
    // reported as sure.
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const args = ['check', '--json', '--journeys', journeys, 'replays-one-fits-one-run.jsonl'];
    const { code, stdout } = await runCli(args, DIR);
    const verdict = JSON.parse(stdout) as Verdict;
    const replayed = (request: string, trace: string, run: string, root: string) =>
      `mobile-app's CLIENT span "POST" (${request}) started a new trace (${trace} instead of the journey's ${run}) that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "offline-replay" (${root}) (a replayed request needs the context saved with it)`;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['8a57e690', false, ['broken-chain']],
        ['da0b2e0f', false, ['broken-chain']],
      ],
      [
        ['broken-chain', '2a5f70e1', replayed('93a0782a', '2a5f70e1', '8a57e690', '4214f041')],
        ['broken-chain', '10e9e273', replayed('af84267a', '10e9e273', 'da0b2e0f', 'e9afac7b')],
      ],
    ]);
  });

  it("ties a complete run's second call to its new trace while another run waits at that hop", async () => {
    // capture-drop-beside-unsampled.jsonl, one run after another: two sound checkouts with a capture, two whose
    // capture lost traceparent (31182351, 9d56c8f3) and one whose payment call arrived sampled out (0ec8dc6e),
    // which waits at the gateway's hop. While a run waited there, --expect made each capture's new trace a
    // run of its own ("no call ... ties it to a run", and fraud-service missing from it) and passed the
    // checkouts it split from.
    const { code, stdout } = await runCli(
      ['check', '--json', `--expect=${CHAIN}`, 'capture-drop-beside-unsampled.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['f9950a71', true, []],
        ['31182351', false, ['broken-chain']],
        ['9d56c8f3', false, ['broken-chain']],
        ['0ec8dc6e', false, ['missing-service']],
        ['2366ad23', true, []],
      ],
      [
        ['broken-chain', '96b1de29', newPaymentTrace('96b1de29', '31182351')],
        ['broken-chain', 'd41e9af4', newPaymentTrace('d41e9af4', '9d56c8f3')],
        [
          'missing-service',
          '0ec8dc6e',
          "payment-api has no span in trace 0ec8dc6e: api-gateway's call \"POST\" (afa96f2b) was answered (HTTP 200) but payment-api left no span of it in this trace: the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), payment-api's own sampler dropped it though api-gateway sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), payment-api started a new trace that no span link, route or timing ties to this run, or a proxy or cache answered in its place",
        ],
      ],
    ]);
  });

  it('leaves a new trace to the runs that lack the callee, not to one whose callee is an orphan of its own trace', async () => {
    // rewritten-parents-beside-drops.jsonl, 8 checkouts at once: in 4 a proxy rewrote the parent id of the
    // gateway's traceparent (payment-api's SERVER span an orphan in the run's own trace), in 4 it dropped it
    // (payment-api in a new trace). A rewritten run took a drop's new trace (broken-chain beside its
    // orphan-span), and the drop it left was reported missing-service.
    const { code, stdout } = await runCli(
      ['check', '--json', `--expect=${CHAIN}`, 'rewritten-parents-beside-drops.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    const orphan = (span: string, parent: string, trace: string) =>
      `payment-api "POST" (${span}) names parent span ${parent}, which was never exported in trace ${trace}: the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent`;
    const dropped = (fragment: string, run: string) =>
      newPaymentTrace(fragment, run, ' (route and timing fit 3 other runs as well: which run it left is a guess)');
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['eb5d335a', false, ['broken-chain']],
        ['6f36b3bc', false, ['orphan-span']],
        ['3972330b', false, ['broken-chain']],
        ['9308ccc9', false, ['orphan-span']],
        ['5f8a46b2', false, ['broken-chain']],
        ['a556e8fd', false, ['orphan-span']],
        ['4f4903b8', false, ['orphan-span']],
        ['dd039541', false, ['broken-chain']],
      ],
      [
        ['orphan-span', '6f36b3bc', orphan('cefba0fc', 'c76705b6', '6f36b3bc')],
        ['orphan-span', '9308ccc9', orphan('f5c25a50', '7164a962', '9308ccc9')],
        ['orphan-span', 'a556e8fd', orphan('a1cd134a', '911ef7b2', 'a556e8fd')],
        ['orphan-span', '4f4903b8', orphan('442ada2a', 'a53d861d', '4f4903b8')],
        // Paired in start order: the gateway's calls started 44, 48, 50, 51, 52, 53, 55, 56 ms in, payment-api's
        // SERVER spans 75, 96, 97, 99, 100, 101, 103, 104 ms in, the rewritten runs' four (in their own traces)
        // each in its call's place, and the gateway's ephemeral ports they name rise in the same order. The
        // tightest fit first gave dbd5325b to 5f8a46b2 and 53cced62 to eb5d335a.
        ['broken-chain', 'dbd5325b', dropped('dbd5325b', 'eb5d335a')],
        ['broken-chain', '53cced62', dropped('53cced62', '5f8a46b2')],
        ['broken-chain', 'd5c3e879', dropped('d5c3e879', '3972330b')],
        ['broken-chain', '30aa6214', dropped('30aa6214', 'dd039541')],
      ],
    ]);
  });

  it('leaves logins out of --expect when the checkouts also call POST /login, beside the call that goes on', async () => {
    // logins-beside-checkouts-that-sign-in.jsonl: 3 logins (app -> api-gateway -> auth-service), then 3
    // checkouts that call POST /login and POST /checkout at once. As the complete runs took POST /login at the
    // first hop, each login was judged as a checkout that stopped there: missing-service payment-api, 3 times.
    expect(await runCli(['check', `--expect=${CHAIN}`, 'logins-beside-checkouts-that-sign-in.jsonl'], DIR)).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 6 traces, 48 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace in each of 3 runs.\n',
      stderr: '',
    });
  });
  it("leaves a new trace that one journey's run took by a call in flight out of another journey's runs", async () => {
    // drops-beside-unsampled-across-journeys.jsonl, one run after another: in each journey (checkout and
    // offline-replay declare the same chain) one run's payment call lost traceparent through the proxy (f874a3b2,
    // d00032bb: payment-api's new traces 936e26da, fe022af0) and one's arrived sampled out (5ee078f4, 238e87fe).
    // Each new trace was tied to its run by the call in flight when it started, and again, in the other
    // journey's judgement, to the sampled-out run nearest in time: the sampled-out runs showed the other
    // journey's break as theirs ("tied to the run nearest in time, a guess"), and not their own.
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const { code, stdout } = await runCli(
      ['check', '--json', '--journeys', journeys, 'drops-beside-unsampled-across-journeys.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['562a985e', true, []],
        ['f874a3b2', false, ['broken-chain']],
        ['238e87fe', false, ['missing-service']],
        ['5ee078f4', false, ['missing-service']],
        ['d00032bb', false, ['broken-chain']],
        ['b7e1d81f', true, []],
      ],
      [
        ['broken-chain', '936e26da', newPaymentTrace('936e26da', 'f874a3b2')],
        ['missing-service', '238e87fe', noPaymentSpan('238e87fe', '5ac2fe95')],
        ['broken-chain', 'fe022af0', newPaymentTrace('fe022af0', 'd00032bb')],
        ['missing-service', '5ee078f4', noPaymentSpan('5ee078f4', '53556344')],
      ],
    ]);
  });

  it('says a sampled-out run at once with runs that lost traceparent at its hop may own their new traces', async () => {
    // drops-beside-unsampled-at-once.jsonl, 6 checkouts at once: the payment calls of c4af94ae and 49f2b4e7
    // lost traceparent through the proxy (payment-api's new traces afb99340, d618b83e), those of 30d2209e and
    // ea4a3263 arrived sampled out (nothing recorded), e9448f9b and ea4c4cfc are sound. The four calls ran over
    // one another within a few ms: nothing in the spans tells a lost traceparent from a sampled-out call, and
    // 49f2b4e7 and ea4a3263 took afb99340 and d618b83e. The runs left said "no span link, route or timing ties" a new trace to them.
    const { code, stdout } = await runCli(
      ['check', '--json', `--expect=${CHAIN}`, 'drops-beside-unsampled-at-once.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    const dropped = (fragment: string, run: string) =>
      newPaymentTrace(fragment, run, ' (route and timing fit 3 other runs as well: which run it left is a guess)');
    const left = (run: string, call: string) =>
      `payment-api has no span in trace ${run}: api-gateway's call "POST" (${call}) was answered (HTTP 200) but payment-api left no span of it in this trace: the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), payment-api's own sampler dropped it though api-gateway sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), payment-api started new trace afb99340 or d618b83e (tied to runs 49f2b4e7 and ea4a3263, though route and timing fit this run too: a call that arrived sampled out leaves no span to compare, so which run each left is a guess), or a proxy or cache answered in its place`;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['c4af94ae', false, ['missing-service']],
        ['30d2209e', false, ['missing-service']],
        ['49f2b4e7', false, ['broken-chain']],
        ['e9448f9b', true, []],
        ['ea4a3263', false, ['broken-chain']],
        ['ea4c4cfc', true, []],
      ],
      [
        // Paired in start order, each fitting a later call more tightly than its own (payment-api's spans
        // started 10 to 17 ms after the calls), both went to a wrong run; the tightest fit first had given
        // d618b83e its own. Start order cannot see which calls arrived sampled out: both are guesses, and say so.
        ['broken-chain', 'afb99340', dropped('afb99340', '49f2b4e7')],
        ['broken-chain', 'd618b83e', dropped('d618b83e', 'ea4a3263')],
        ['missing-service', 'c4af94ae', left('c4af94ae', '1f6348fe')],
        ['missing-service', '30d2209e', left('30d2209e', '688d8ad1')],
      ],
    ]);
  });

  it("names the app's answered call when api-gateway's own sampler recorded none of the runs", async () => {
    // gateway-sampler-drops-every-run.jsonl: 3 checkouts whose api-gateway samples with TraceIdRatioBased(0),
    // not wrapped in ParentBased, so it recorded nothing (nor did payment-api and fraud-service, ParentBased,
    // behind the unsampled flag it sent on); each app CLIENT span got HTTP 200. No trace holds a run, so the
    // chain is searched over the whole dump, which said "mobile-app never called it".
    const { code, stdout } = await runCli(
      ['check', '--json', `--expect=${CHAIN}`, 'gateway-sampler-drops-every-run.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    expect([code, problemRows(verdict)]).toEqual([
      1,
      [
        [
          'missing-service',
          '9096e7ab',
          `api-gateway has no span in any trace: mobile-app's call "POST" (93b4bd37) was answered (HTTP 200) but api-gateway left no span of it in the dump: the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), api-gateway's own sampler dropped it though mobile-app sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), api-gateway's spans were not exported, or a proxy or cache answered in its place`,
        ],
        [
          'missing-service',
          '9096e7ab',
          'payment-api has no span in any trace: the chain already stops at mobile-app, before api-gateway',
        ],
        [
          'missing-service',
          '9096e7ab',
          'fraud-service has no span in any trace: the chain already stops at mobile-app, before payment-api',
        ],
      ],
    ]);
  });

  it('names the answered call, not a call never made, when the callee of a service that recorded nothing did', async () => {
    // payment-sampler-drops-callee-records.jsonl: 3 checkouts whose payment-api samples with
    // TraceIdRatioBased(0), not wrapped in ParentBased, and whose fraud-service samples with AlwaysOn: payment-api
    // recorded nothing, fraud-service recorded its SERVER span beneath payment-api's unexported CLIENT span
    // (orphan-span), and api-gateway's call got HTTP 200.
    const { code, stdout } = await runCli(
      ['check', '--json', `--expect=${CHAIN}`, 'payment-sampler-drops-callee-records.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    const orphan = (run: string, span: string, parent: string) =>
      `fraud-service "POST" (${span}) names parent span ${parent}, which was never exported in trace ${run}: the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent`;
    const unrecorded = (call: string) =>
      `payment-api has no span in any trace: api-gateway's call "POST" (${call}) was answered (HTTP 200) but payment-api left no span of it, though fraud-service, after it in the chain, is in the trace: payment-api's sampler dropped the request while fraud-service's recorded it (samplers not wrapped in parentbased_ ignore the sampled flag: traceidratio, jaeger_remote or always_off dropping it, always_on or traceidratio keeping it), or payment-api's spans were not exported`;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['8916327e', false, ['orphan-span', 'missing-service']],
        ['a69c2b52', false, ['orphan-span', 'missing-service']],
        ['916db16a', false, ['orphan-span', 'missing-service']],
      ],
      [
        ['orphan-span', '8916327e', orphan('8916327e', 'c81cd8c8', '5cdc80d0')],
        ['orphan-span', 'a69c2b52', orphan('a69c2b52', '5189380f', '16fb9520')],
        ['orphan-span', '916db16a', orphan('916db16a', 'c82dc073', '7209f874')],
        ['missing-service', '8916327e', unrecorded('897501c5')],
        ['missing-service', 'a69c2b52', unrecorded('32da5dcd')],
        ['missing-service', '916db16a', unrecorded('25c6e52f')],
      ],
    ]);
  });
  it("counts a run whose gateway's sampler recorded nothing as a run, though payment-api is in its trace", async () => {
    // gateway-ratio-sampler-half.jsonl: 4 checkouts, one after another, whose api-gateway samples with
    // TraceIdRatioBased(0.5) not wrapped in ParentBased, and whose payment-api samples with AlwaysOn: in 9946f7be
    // and dcd11b31 the gateway recorded nothing and payment-api's SERVER span is an orphan beneath the gateway's
    // unexported CLIENT span; 45c38fe8 and 64cef1b3 are sound. --expect counted 2 runs, none broken (the traces
    // without a gateway span were no runs), where --journeys counts 4, 2 broken.
    const { code, stdout } = await runCli(
      ['check', '--json', `--expect=${CHAIN}`, 'gateway-ratio-sampler-half.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    const orphan = (run: string, span: string, parent: string) =>
      `payment-api "POST" (${span}) names parent span ${parent}, which was never exported in trace ${run}: the caller's span was dropped (sampled out, or never flushed before the process or app stopped) or a proxy rewrote the parent id in traceparent`;
    const unrecorded = (run: string, call: string) =>
      `api-gateway has no span in trace ${run}: mobile-app's call "POST" (${call}) was answered (HTTP 200) but api-gateway left no span of it, though payment-api, after it in the chain, is in the trace: api-gateway's sampler dropped the request while payment-api's recorded it (samplers not wrapped in parentbased_ ignore the sampled flag: traceidratio, jaeger_remote or always_off dropping it, always_on or traceidratio keeping it), or api-gateway's spans were not exported`;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['9946f7be', false, ['orphan-span', 'missing-service']],
        ['45c38fe8', true, []],
        ['dcd11b31', false, ['orphan-span', 'missing-service']],
        ['64cef1b3', true, []],
      ],
      [
        ['orphan-span', '9946f7be', orphan('9946f7be', '519fdd87', '1ed5a63a')],
        ['orphan-span', 'dcd11b31', orphan('dcd11b31', '3f018261', 'defabe17')],
        ['missing-service', '9946f7be', unrecorded('9946f7be', '3d674422')],
        ['missing-service', 'dcd11b31', unrecorded('dcd11b31', '861923ed')],
      ],
    ]);
  });
  it('gives a request sent from a new trace, its span linked to the journey span, to that run, no guess', async () => {
    // linked-requests-at-once.jsonl: 4 checkouts started within 4 ms, each sending its POST /checkout from a new
    // trace under a root INTERNAL span "send-checkout" whose span link names the run's journey span. The links
    // say which run sent which request; the pairing by timing alone called each a guess.
    const { code, stdout } = await runCli(
      ['check', '--json', '--journeys', join(ROOT, 'fixtures/journeys.json'), 'linked-requests-at-once.jsonl'],
      DIR,
    );
    const verdict = JSON.parse(stdout) as Verdict;
    const sent = (span: string, trace: string, run: string, root: string) =>
      `mobile-app's INTERNAL span "send-checkout" (${span}) started a new trace (${trace} instead of the journey's ${run}) that reached api-gateway: mobile-app made the request outside the journey's context (an SDK that starts a trace per request, or an offline replay that lost its context); fix: make mobile-app send each request in the journey's context, its span beneath "checkout" (${root}) (a replayed request needs the context saved with it)`;
    expect([code, runRows(verdict), problemRows(verdict)]).toEqual([
      1,
      [
        ['066f35a7', false, ['broken-chain']],
        ['766f8984', false, ['broken-chain']],
        ['67b87a55', false, ['broken-chain']],
        ['70c7f09c', false, ['broken-chain']],
      ],
      [
        ['broken-chain', 'afff708e', sent('1710b6a1', 'afff708e', '766f8984', '7a891d3e')],
        ['broken-chain', '3c40e26c', sent('d03d08e3', '3c40e26c', '066f35a7', '40776352')],
        ['broken-chain', '72ad18c6', sent('10ebf990', '72ad18c6', '67b87a55', '25aeeb78')],
        ['broken-chain', '003d4f00', sent('31379c22', '003d4f00', '70c7f09c', '1fda6d71')],
      ],
    ]);
  });
});

describe('tracehop report --spans on real OpenTelemetry JS dumps', () => {
  it('blames each journey for its own new traces, as check does, when journeys share a chain', async () => {
    // drops-beside-unsampled-across-journeys.jsonl (see the check test above): checkout and offline-replay each
    // judged the dump apart, so each tied the other's new trace (936e26da, fe022af0) to its own sampled-out run
    // (238e87fe, 5ee078f4) as a guess: each journey showed a second broken chain, the other's, and not its own
    // sampled-out call. The report now judges the dump with all journeys at once, as check --journeys does.
    const out = join(tempFiles({}), 'out');
    const journeys = join(ROOT, 'fixtures/journeys.json');
    const { code } = await runCli(
      ['report', '--spans', 'drops-beside-unsampled-across-journeys.jsonl', '--journeys', journeys, '-o', out],
      DIR,
    );
    const report = JSON.parse(readFileSync(join(out, 'coverage.json'), 'utf8')) as {
      journeys: Array<{ name: string; firstBrokenHop: string | null; problems: Verdict['problems'] }>;
    };
    expect([
      code,
      report.journeys.map(({ name, firstBrokenHop, problems }) => [
        name,
        firstBrokenHop,
        problems.map(({ kind, traceId, message }) => [kind, traceId.slice(0, 8), message]),
      ]),
    ]).toEqual([
      1,
      [
        [
          'checkout',
          'api-gateway -> payment-api',
          [
            ['broken-chain', '936e26da', newPaymentTrace('936e26da', 'f874a3b2')],
            ['missing-service', '238e87fe', noPaymentSpan('238e87fe', '5ac2fe95')],
          ],
        ],
        ['login', 'mobile-app -> api-gateway', []],
        ['search-retry', 'mobile-app -> api-gateway', []],
        [
          'offline-replay',
          'api-gateway -> payment-api',
          [
            ['broken-chain', 'fe022af0', newPaymentTrace('fe022af0', 'd00032bb')],
            ['missing-service', '5ee078f4', noPaymentSpan('5ee078f4', '53556344')],
          ],
        ],
        ['privacy', 'mobile-app -> analytics (no trace headers)', []],
      ],
    ]);
  });
});
