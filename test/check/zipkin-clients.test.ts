/**
 * `tracehop check` on what real Zipkin clients reported for a checkout over loopback HTTP (B3 headers):
 * zipkin-go 0.1.5, py_zipkin 0.15.0 (V2 and V1 JSON) and aiozipkin 1.1.1a1, each dump once as Zipkin's
 * GET /api/v2/traces returns it and once as the bodies the reporters POSTed (V1 JSON only as POSTed;
 * fixtures/dumps/zipkin-clients/README.md). A sound
 * run passes; a hop whose B3 headers were dropped is broken-chain on that hop and on that run only (a call its
 * code named, with no path, is tied by the remote service it names, and says so when it names none). And
 * `report --spans` covers the checkout of each sound dump, and blames the dropped hop of each broken one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAIN, runCli, tempFiles } from './support';

const DIR = 'fixtures/dumps/zipkin-clients';

interface Problem {
  kind: string;
  traceId: string;
  spanId: string | null;
  service: string;
  message: string;
}

interface Verdict {
  name: string;
  problems: Problem[];
  /** Each run's trace and whether it passed, in the verdict's order. */
  runs: Array<[string, boolean]>;
  /** With --journeys, fewer: its last `problems` problems and first `runs` runs (a new trace no run ties is left to other journeys). */
  journeys?: { problems: number; runs: number };
}

const VERDICTS: Verdict[] = [
  {
    name: 'zipkin-go-ok',
    problems: [],
    runs: [['000000000000000056dfcdee2cb40285', true]],
  },
  {
    name: 'zipkin-go-unshared-ok',
    problems: [],
    runs: [['00000000000000001aaabff41fae36e0', true]],
  },
  {
    name: 'zipkin-go-unfinished',
    problems: [],
    runs: [['000000000000000032347efc98371176', true]],
  },
  {
    name: 'zipkin-go-dropped',
    problems: [
      {
        kind: 'broken-chain',
        traceId: '00000000000000004c23c5ce0cb5ef6f',
        spanId: '4c23c5ce0cb5ef6f',
        service: 'payment-api',
        message:
          'api-gateway received the request but payment-api started a new trace (4c23c5ce instead of 5b78c242): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them, as a tracer that reads W3C traceparent only does',
      },
    ],
    runs: [['00000000000000005b78c2426c216f9e', false]],
  },
  {
    name: 'zipkin-go-concurrent',
    problems: [
      {
        kind: 'broken-chain',
        traceId: '0000000000000000757d6e176bbbd662',
        spanId: '757d6e176bbbd662',
        service: 'payment-api',
        message:
          'api-gateway received the request but payment-api started a new trace (757d6e17 instead of 00df3aaf): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them this time, though a B3 shared span of its shows it reads B3',
      },
    ],
    runs: [
      ['000000000000000020a3873724da9ead', true],
      ['000000000000000012604fca899e02a9', true],
      ['000000000000000000df3aaf51e46e01', false],
    ],
  },
  {
    name: 'py-zipkin-ok',
    problems: [],
    runs: [['000000000000000052a067d6a18352ff', true]],
  },
  {
    name: 'py-zipkin-unshared-ok',
    problems: [],
    runs: [['00000000000000006e32db8dca183a5f', true]],
  },
  {
    name: 'py-zipkin-no-client-spans-ok',
    problems: [],
    runs: [['00000000000000004e363c3c7eedd3b6', true]],
  },
  {
    name: 'py-zipkin-dropped',
    problems: [
      {
        kind: 'broken-chain',
        traceId: '000000000000000029128abd1717383d',
        spanId: '238e0f8747470485',
        service: 'payment-api',
        message:
          'api-gateway received the request but payment-api started a new trace (29128abd instead of 7b914cf8): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them, as a tracer that reads W3C traceparent only does',
      },
    ],
    runs: [['00000000000000007b914cf8d1cf4aa0', false]],
  },
  {
    name: 'py-zipkin-concurrent',
    problems: [
      {
        kind: 'broken-chain',
        traceId: '00000000000000007c03112da5e4967a',
        spanId: 'bb2ae8866e59ea99',
        service: 'payment-api',
        message:
          'api-gateway received the request but payment-api started a new trace (7c03112d instead of 0b2b9bd7): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them this time, though a B3 shared span of its shows it reads B3',
      },
    ],
    runs: [
      ['0000000000000000c4c461b126a4a657', true],
      ['00000000000000000b2b9bd760f712c3', false],
      ['0000000000000000d5d84fc5e8994e1d', true],
    ],
  },
  {
    name: 'py-zipkin-v1-ok',
    problems: [],
    runs: [['0000000000000000d424a769e9dcd0ce', true]],
  },
  {
    name: 'py-zipkin-v1-dropped',
    problems: [
      {
        kind: 'broken-chain',
        traceId: '00000000000000007d7e2f098abb22cb',
        spanId: '4d78e8f3f052a276',
        service: 'payment-api',
        message:
          'api-gateway received the request but payment-api started a new trace (7d7e2f09 instead of 82a65652): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them, as a tracer that reads W3C traceparent only does',
      },
    ],
    runs: [['000000000000000082a65652b74767c1', false]],
  },
  {
    name: 'py-zipkin-v1-concurrent',
    problems: [
      {
        kind: 'broken-chain',
        traceId: '0000000000000000d1c2d280bddb3542',
        spanId: 'fb4afde0ea5c004e',
        service: 'payment-api',
        message:
          'api-gateway received the request but payment-api started a new trace (d1c2d280 instead of 3e98ef69): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them this time, though a B3 shared span of its shows it reads B3',
      },
    ],
    runs: [
      ['00000000000000003e98ef6985234220', false],
      ['0000000000000000f0a8187ee47fa3ea', true],
      ['00000000000000006ccb0fc67f5d40ee', true],
    ],
  },
  {
    name: 'aiozipkin-ok',
    problems: [],
    runs: [['6b132df4186b0efdf3f34f4c2bd0e43e', true]],
  },
  {
    name: 'aiozipkin-dropped',
    problems: [
      {
        kind: 'broken-chain',
        traceId: '6b132df4f715787800d03dfb422358a9',
        spanId: 'cffe2b3c49f467cb',
        service: 'payment-api',
        message:
          'api-gateway received the request but payment-api started a new trace (6b132df4f715787800d03dfb422358a9 instead of 6b132df44cf6b154bdc2168c1d8b66f8): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them, as a tracer that reads W3C traceparent only does',
      },
    ],
    runs: [['6b132df44cf6b154bdc2168c1d8b66f8', false]],
  },
  {
    name: 'aiozipkin-concurrent',
    problems: [
      {
        kind: 'broken-chain',
        traceId: '6b132df5596ebc80e5302e59658912d6',
        spanId: '2417855a71f35a76',
        service: 'payment-api',
        message:
          'api-gateway received the request but payment-api started a new trace (6b132df5 instead of 6b132df4): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them this time, though a B3 shared span of its shows it reads B3',
      },
    ],
    runs: [
      ['6b132df4b35d3b08e3a740f4cb95adeb', true],
      ['6b132df48d60331d272511f4c1a6b1a3', false],
      ['6b132df4b2ccf33730123488caaf9091', true],
    ],
  },
  {
    name: 'zipkin-go-user-span-remote-concurrent',
    problems: [
      {
        kind: 'broken-chain',
        traceId: '000000000000000027cc46a7506df02e',
        spanId: '27cc46a7506df02e',
        service: 'payment-api',
        message:
          'api-gateway received the request but payment-api started a new trace (27cc46a7 instead of 6353d3b0): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them this time, though a B3 shared span of its shows it reads B3',
      },
    ],
    runs: [
      ['00000000000000005dd4bc4e70552ecd', true],
      ['00000000000000002c736fcecfa2eb0c', true],
      ['00000000000000006353d3b003c79272', false],
    ],
  },
  {
    name: 'zipkin-go-user-span-bare-concurrent',
    problems: [
      {
        kind: 'broken-chain',
        traceId: '00000000000000002fecdc98b59f7144',
        spanId: '2fecdc98b59f7144',
        service: 'payment-api',
        message:
          'payment-api\'s SERVER span "POST" (2fecdc98) started a new trace (2fecdc98) on a route of the hop api-gateway -> payment-api: api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3) on one of its calls, or payment-api did not read them this time, though a B3 shared span of its shows it reads B3 (no span link ties it to a run, and api-gateway\'s CLIENT span "charge-card" (2f50403f) that went unanswered while it started names no route (no path or HTTP tags) nor the service it called (peer.service; Zipkin\'s remoteEndpoint.serviceName) to tie it by)',
      },
      {
        kind: 'missing-service',
        traceId: '00000000000000005c144b5ec30f13be',
        spanId: null,
        service: 'payment-api',
        message:
          "payment-api has no span in trace 5c144b5e: api-gateway's call \"charge-card\" (2f50403f) got no answer in this trace: payment-api's span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), or payment-api started a new trace that nothing ties to this run: the call names no route (no path or HTTP tags) nor the service it called (peer.service; Zipkin's remoteEndpoint.serviceName)",
      },
    ],
    runs: [
      ['00000000000000004f16831589633dbd', true],
      ['00000000000000000f65a1e115bdb6e3', true],
      ['00000000000000005c144b5ec30f13be', false],
      ['00000000000000002fecdc98b59f7144', false],
    ],
    // A new trace naming no journey that no run of the journey ties may be another journey's: --journeys
    // leaves it to them, and the run's verdict says why nothing ties it.
    journeys: { problems: 1, runs: 3 },
  },
];

/** The files of a scenario: py_zipkin's V1 JSON only as POSTed (a Zipkin server would serve it as v2). */
const files = (name: string): string[] =>
  name.startsWith('py-zipkin-v1') ? [`${name}.posts.json`] : [`${name}.traces.json`, `${name}.posts.json`];

interface JsonVerdict {
  problems: Array<Problem & Record<string, unknown>>;
  runs: Array<{ traceId: string; journey: string | null; ok: boolean }>;
}

/** A verdict's problems as the fields these tests compare, in the verdict's order. */
const problemRows = (verdict: JsonVerdict) =>
  verdict.problems.map(({ kind, traceId, spanId, service, message }) => ({ kind, traceId, spanId, service, message }));

async function check(args: string[], file: string) {
  const { code, stdout, stderr } = await runCli(['check', '--json', ...args, `${DIR}/${file}`]);
  const verdict = JSON.parse(stdout) as JsonVerdict;
  return {
    code,
    stderr,
    problems: problemRows(verdict),
    runs: verdict.runs.map(({ traceId, journey, ok }) => [traceId, journey, ok]),
  };
}

describe("tracehop check on real Zipkin clients' dumps", () => {
  it.each(VERDICTS)('$name: the exact verdict, from GET /api/v2/traces and from the POSTed bodies', async (want) => {
    const expected = {
      code: want.problems.length > 0 ? 1 : 0,
      stderr: '',
      problems: want.problems,
      runs: want.runs.map(([traceId, ok]) => [traceId, null, ok]),
    };
    for (const file of files(want.name)) expect(await check(['--expect', CHAIN], file)).toEqual(expected);
  });

  it.each(VERDICTS)('$name: the same verdict with --journeys, every run a checkout', async (want) => {
    const { problems = want.problems.length, runs = want.runs.length } = want.journeys ?? {};
    expect(await check(['--journeys', 'fixtures/journeys.json'], files(want.name)[0] ?? '')).toEqual({
      code: want.problems.length > 0 ? 1 : 0,
      stderr: '',
      problems: want.problems.slice(want.problems.length - problems),
      runs: want.runs.slice(0, runs).map(([traceId, ok]) => [traceId, 'checkout', ok]),
    });
  });

  it.each(VERDICTS)(
    '$name: report --spans covers the sound checkout, or blames the hop that dropped B3',
    async (want) => {
      const out = tempFiles({});
      const file = `${DIR}/${files(want.name)[0] ?? ''}`;
      const { code } = await runCli(['report', '--spans', file, '--journeys', 'fixtures/journeys.json', '-o', out]);
      const coverage = JSON.parse(readFileSync(join(out, 'coverage.json'), 'utf8')) as {
        journeys: Array<{ name: string; complete: boolean; firstBrokenHop: string | null }>;
      };
      const checkout = coverage.journeys.find((journey) => journey.name === 'checkout');
      const sound = want.problems.length === 0;
      // The gate fails either way: the other journeys of the file never ran.
      expect([code, checkout?.complete, checkout?.firstBrokenHop]).toEqual([
        1,
        sound,
        sound ? null : 'api-gateway -> payment-api',
      ]);
    },
  );
});

describe('tracehop check on a sound and a broken run of one client, checked together', () => {
  it("py-zipkin-v1-ok with -dropped: the sound run's B3 shared span shows payment-api reads B3, so a W3C-only tracer is not blamed", async () => {
    const { code, stdout, stderr } = await runCli([
      'check',
      '--json',
      '--expect',
      CHAIN,
      `${DIR}/py-zipkin-v1-ok.posts.json`,
      `${DIR}/py-zipkin-v1-dropped.posts.json`,
    ]);
    const verdict = JSON.parse(stdout) as JsonVerdict;
    expect({
      code,
      stderr,
      problems: problemRows(verdict),
      runs: verdict.runs.map(({ traceId, ok }) => [traceId, ok]),
    }).toEqual({
      code: 1,
      stderr: '',
      problems: [
        {
          kind: 'broken-chain',
          traceId: '00000000000000007d7e2f098abb22cb',
          spanId: '4d78e8f3f052a276',
          service: 'payment-api',
          message:
            'api-gateway received the request but payment-api started a new trace (7d7e2f09 instead of 82a65652): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them this time, though a B3 shared span of its shows it reads B3',
        },
      ],
      runs: [
        ['0000000000000000d424a769e9dcd0ce', true],
        ['000000000000000082a65652b74767c1', false],
      ],
    });
  });
});

/** zipkin-go's three checkouts at once (the second one's gateway call stripped), one span's timestamp left out. */
function withoutTimestamp(id: string): string {
  const traces = JSON.parse(readFileSync(`${DIR}/zipkin-go-concurrent.traces.json`, 'utf8')) as Array<
    Array<Record<string, unknown>>
  >;
  for (const span of traces.flat()) if (span.id === id && span.kind === 'SERVER') delete span.timestamp;
  return JSON.stringify(traces);
}

describe("tracehop check on a real client's span with no timestamp (a late piece whose timed piece never came)", () => {
  const run = async (id: string) => {
    const dir = tempFiles({ 'late.json': withoutTimestamp(id) });
    const { code, stdout, stderr } = await runCli(['check', '--json', '--expect', CHAIN, 'late.json'], dir);
    const verdict = JSON.parse(stdout) as JsonVerdict;
    return {
      code,
      stderr,
      problems: verdict.problems.map(({ kind, traceId, message }) => [kind, traceId, message]),
      runs: verdict.runs.map(({ traceId, ok }) => [traceId, ok]),
    };
  };

  it("reads no callee clock off a sound run's SERVER span with no time: the dropped run's new trace is tied as it is with the time", async () => {
    expect(await run('54d0edcbfe3a62db')).toEqual({
      code: 1,
      stderr:
        '[tracehop] Note: "late.json" holds 1 Zipkin span with no time (no timestamp, no annotations, and no piece of it with one): payment-api\'s SERVER span "POST" (54d0edcbfe3a62db) in trace 000000000000000020a3873724da9ead (line 1): it keeps its place in its trace, but no callee clock is read off it and no new trace is tied to a run by its timing.\n',
      problems: [
        [
          'broken-chain',
          '0000000000000000757d6e176bbbd662',
          'api-gateway received the request but payment-api started a new trace (757d6e17 instead of 00df3aaf): api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3), or payment-api did not read them this time, though a B3 shared span of its shows it reads B3',
        ],
      ],
      runs: [
        ['000000000000000020a3873724da9ead', true],
        ['000000000000000012604fca899e02a9', true],
        ['000000000000000000df3aaf51e46e01', false],
      ],
    });
  });

  it('ties a new trace whose first span has no time to no run by time, and says why (in the B3 words of the dump: both services joined spans elsewhere)', async () => {
    expect(await run('757d6e176bbbd662')).toEqual({
      code: 1,
      stderr:
        '[tracehop] Note: "late.json" holds 1 Zipkin span with no time (no timestamp, no annotations, and no piece of it with one): payment-api\'s SERVER span "POST" (757d6e176bbbd662) in trace 0000000000000000757d6e176bbbd662 (line 1): it keeps its place in its trace, but no callee clock is read off it and no new trace is tied to a run by its timing.\n',
      problems: [
        [
          'broken-chain',
          '0000000000000000757d6e176bbbd662',
          'payment-api\'s SERVER span "POST" (757d6e17) started a new trace (757d6e17) on a route of the hop api-gateway -> payment-api: api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3) on one of its calls, or payment-api did not read them this time, though a B3 shared span of its shows it reads B3 (the span has no time in the dump, so no call\'s timing can tie it to a run, and no span link does)',
        ],
        [
          'missing-service',
          '000000000000000000df3aaf51e46e01',
          // Not "no span link, route or timing": the new trace's first span has no time, so no timing could.
          'payment-api has no span in trace 00df3aaf: api-gateway\'s call "http/POST" (452131c6) got no answer in this trace: payment-api\'s span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), or payment-api started a new trace that no span link ties to this run, and no timing can: payment-api\'s SERVER span "POST" (757d6e17) that started new trace 757d6e17 has no time in the dump',
        ],
      ],
      runs: [
        ['0000000000000000757d6e176bbbd662', false],
        ['000000000000000020a3873724da9ead', true],
        ['000000000000000012604fca899e02a9', true],
        ['000000000000000000df3aaf51e46e01', false],
      ],
    });
  });
});

/**
 * A zipkin-go dump whose gateway calls are spans its code named ("charge-card", no path, no HTTP tags), as
 * `tracer.StartSpan(name, zipkin.Kind(model.Client))` makes them; `remote`: with zipkin.RemoteEndpoint naming
 * the service called (Brave's `span.remoteServiceName`, aiozipkin's `remote_endpoint`).
 */
function userNamedCalls(name: string, remote: boolean): string {
  const traces = JSON.parse(readFileSync(`${DIR}/${name}.traces.json`, 'utf8')) as Array<
    Array<Record<string, unknown>>
  >;
  for (const span of traces.flat()) {
    const local = span.localEndpoint as { serviceName: string };
    if (local.serviceName !== 'api-gateway' || span.kind !== 'CLIENT') continue;
    Object.assign(
      span,
      { name: 'charge-card', tags: {} },
      remote ? { remoteEndpoint: { serviceName: 'payment-api' } } : {},
    );
  }
  return JSON.stringify(traces);
}

// zipkin-go-user-span-*-concurrent (VERDICTS) are such calls as zipkin-go reports them, beside sound runs; these
// take the one run of zipkin-go-dropped, with no sound run to show the hop's routes.
describe('tracehop check on calls its code named, with no path and no tags, in a dump of one run', () => {
  const run = async (text: string) => {
    const dir = tempFiles({ 'named.json': text });
    const { code, stdout, stderr } = await runCli(['check', '--json', '--expect', CHAIN, 'named.json'], dir);
    const verdict = JSON.parse(stdout) as JsonVerdict;
    return {
      code,
      stderr,
      problems: problemRows(verdict),
      runs: verdict.runs.map(({ traceId, ok }) => [traceId, ok]),
    };
  };

  /** The verdict when the call names neither: the new trace cannot be tied, and its verdict says why. */
  const untied = (callee: string, trace: string, call: string) =>
    `payment-api's SERVER span "POST" (${callee.slice(16, 24)}) started a new trace (${callee.slice(16, 24)}) on a route of the hop api-gateway -> payment-api: api-gateway did not forward the B3 headers (X-B3-TraceId and X-B3-SpanId, or b3) on one of its calls, or payment-api did not read them, as a tracer that reads W3C traceparent only does (no span link ties it to a run, and api-gateway's CLIENT span "charge-card" (${call}) that went unanswered while it started names no route (no path or HTTP tags) nor the service it called (peer.service; Zipkin's remoteEndpoint.serviceName) to tie it by)`;
  const lost = (trace: string, call: string) =>
    `payment-api has no span in trace ${trace.slice(16, 24)}: api-gateway's call "charge-card" (${call}) got no answer in this trace: payment-api's span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), or payment-api started a new trace that nothing ties to this run: the call names no route (no path or HTTP tags) nor the service it called (peer.service; Zipkin's remoteEndpoint.serviceName)`;

  it('zipkin-go-dropped: says why the new trace is tied to no run when the call names no route nor service, never dropping it', async () => {
    const fragment = '00000000000000004c23c5ce0cb5ef6f';
    const broken = '00000000000000005b78c2426c216f9e';
    expect(await run(userNamedCalls('zipkin-go-dropped', false))).toEqual({
      code: 1,
      stderr: '',
      problems: [
        {
          kind: 'broken-chain',
          traceId: fragment,
          spanId: fragment.slice(16),
          service: 'payment-api',
          message: untied(fragment, broken, '4d7014c1'),
        },
        {
          kind: 'missing-service',
          traceId: broken,
          spanId: null,
          service: 'payment-api',
          message: lost(broken, '4d7014c1'),
        },
      ],
      runs: [
        [broken, false],
        [fragment, false],
      ],
    });
  });

  it.each(['zipkin-go-dropped'])(
    '%s: ties the new trace to the call by the remote service the call names, the same verdict as with its path',
    async (name) => {
      const want = VERDICTS.find((verdict) => verdict.name === name) as Verdict;
      expect(await run(userNamedCalls(name, true))).toEqual({
        code: 1,
        stderr: '',
        problems: want.problems,
        runs: want.runs,
      });
    },
  );
});
