import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempFiles } from './support';

const JOURNEYS = join(ROOT, 'fixtures/journeys.json');

interface Line {
  resourceSpans: Array<{
    resource: { attributes: Array<{ value: { stringValue: string } }> };
    scopeSpans: Array<{ spans: Array<Record<string, unknown>> }>;
  }>;
}

const lines = (name: string): Line[] =>
  readFileSync(join(ROOT, 'fixtures/dumps', name), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);

/** Every span of `dump` with its resource's service name. */
const spansOf = (dump: Line[]): Array<{ service: string; span: Record<string, unknown> }> =>
  dump.flatMap((line) =>
    line.resourceSpans.flatMap((resource) =>
      resource.scopeSpans.flatMap((scope) =>
        scope.spans.map((span) => ({ service: resource.resource.attributes[0]?.value.stringValue ?? '', span })),
      ),
    ),
  );

/**
 * The sound checkout 1 s after the broken one, its gateway's CLIENT span given no start (`start`: "0", or the
 * field left out) but its end: the broken run's new trace started while both runs' calls on the route ran.
 */
function dump(start: string | undefined): string {
  const sound = lines('checkout-ok.jsonl');
  for (const { service, span } of spansOf(sound)) {
    for (const field of ['startTimeUnixNano', 'endTimeUnixNano'])
      span[field] = String(BigInt(span[field] as string) + 1_000_000_000n);
    if (service === 'api-gateway' && span.kind === 3) {
      if (start === undefined) delete span.startTimeUnixNano;
      else span.startTimeUnixNano = start;
    }
  }
  return [...sound, ...lines('checkout-broken.jsonl')].map((line) => JSON.stringify(line)).join('\n');
}

describe('tracehop check of an OTLP span with no start time but an end', () => {
  it.each([
    ['"0"', '0'],
    ['missing', undefined],
  ])(
    'takes it as having no time (start %s), says so on stderr, and ties the new trace to the run whose call was in flight',
    async (_label, start) => {
      const dir = tempFiles({ 'dump.jsonl': dump(start) });
      const result = await runCli(['check', '--journeys', JOURNEYS, '--journey', 'checkout', join(dir, 'dump.jsonl')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `[tracehop] Note: "${join(dir, 'dump.jsonl')}" holds 1 OTLP span with no start time (startTimeUnixNano 0 or missing; its end alone places it nowhere): ` +
          `api-gateway's CLIENT span "POST /payments" (6024491fc9fc6e1c) in trace 6fc28a02eed87d23cef1de3d53f69066 (line 2): ` +
          'it keeps its place in its trace, but no callee clock is read off it and no new trace is tied to a run by its timing.\n',
      );
      expect(result.stdout.split('\n').filter((line) => line.startsWith('✗ '))).toEqual([
        '✗ broken-chain: trace c1fb3ccc6a3f105d8eaa7ca7e6e17b38, span 777e07e947ecf928, service payment-api: api-gateway received the request but payment-api started a new trace (c1fb3ccc instead of f20e22c7): api-gateway did not forward traceparent, or payment-api did not read it, as an SDK with no W3C propagator set does',
      ]);
    },
  );
});

describe('tracehop check of a one-run dump whose broken hop has a span with no start time', () => {
  /** The broken checkout alone, its gateway's CLIENT span (the call payment-api's new trace answered) given no start. */
  function brokenUntimed(answered = false): string {
    const broken = lines('checkout-broken.jsonl');
    for (const { service, span } of spansOf(broken)) {
      if (service !== 'api-gateway' || span.kind !== 3) continue;
      span.startTimeUnixNano = '0';
      if (answered) span.attributes = [{ key: 'http.response.status_code', value: { intValue: '200' } }];
    }
    return broken.map((line) => JSON.stringify(line)).join('\n');
  }
  const missing =
    '✗ missing-service: trace f20e22c7fc8de46c4008c9ec7f99cbb6, span -, service payment-api: payment-api has no span in trace f20e22c7: ' +
    'api-gateway\'s call "POST /payments" (fe444bd4) got no answer in this trace, and that CLIENT span has no time in the dump, so no new trace can be tied to the run by its timing: ' +
    "payment-api started a new trace that no span link ties to this run, or payment-api's span for the call was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off)";

  it('with --journeys, blames the call with no time for the new trace it could not tie, not the export', async () => {
    const dir = tempFiles({ 'dump.jsonl': brokenUntimed() });
    const result = await runCli(['check', '--journeys', JOURNEYS, '--max-trees', '0', join(dir, 'dump.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✗ '))).toEqual([missing]);
  });

  it('with --expect, says the same of the run, and the new trace names the call with no time', async () => {
    const dir = tempFiles({ 'dump.jsonl': brokenUntimed() });
    const chain = 'mobile-app,api-gateway,payment-api,fraud-service';
    const result = await runCli(['check', '--expect', chain, '--max-trees', '0', join(dir, 'dump.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✗ '))).toEqual([
      '✗ broken-chain: trace c1fb3ccc6a3f105d8eaa7ca7e6e17b38, span 777e07e947ecf928, service payment-api: payment-api\'s SERVER span "POST /payments" (777e07e9) started a new trace (c1fb3ccc) on a route of the hop api-gateway -> payment-api: ' +
        'api-gateway did not forward traceparent on one of its calls, or payment-api did not read it, as an SDK with no W3C propagator set does ' +
        '(no span link ties it to a run, and api-gateway\'s CLIENT span "POST /payments" (fe444bd4) that went unanswered on this route has no time in the dump, so no call\'s timing can tie it)',
      missing,
    ]);
  });

  it('with --journeys, an answered call with no time says no timing can tie a new trace to it', async () => {
    const dir = tempFiles({ 'dump.jsonl': brokenUntimed(true) });
    const result = await runCli(['check', '--journeys', JOURNEYS, '--max-trees', '0', join(dir, 'dump.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✗ '))).toEqual([
      '✗ missing-service: trace f20e22c7fc8de46c4008c9ec7f99cbb6, span -, service payment-api: payment-api has no span in trace f20e22c7: ' +
        'api-gateway\'s call "POST /payments" (fe444bd4) was answered (HTTP 200) but payment-api left no span of it in this trace: ' +
        "the request arrived sampled out (a hop that cleared the sampled flag makes a sampler that follows it record nothing: any parentbased_ one, the SDKs' default), payment-api's own sampler dropped it though api-gateway sent it sampled (its span's flags say 01; one that ignores the flag: traceidratio, jaeger_remote or always_off), " +
        "payment-api started a new trace that no span link ties to this run, and no timing can: the call's span has no time in the dump, or a proxy or cache answered in its place",
    ]);
  });

  it("with --journeys, names the new trace's SERVER span with no time as why no timing tied it to the run", async () => {
    const broken = lines('checkout-broken.jsonl');
    for (const { service, span } of spansOf(broken))
      if (service === 'payment-api' && span.kind === 2) span.startTimeUnixNano = '0';
    const dir = tempFiles({ 'dump.jsonl': broken.map((line) => JSON.stringify(line)).join('\n') });
    const result = await runCli(['check', '--journeys', JOURNEYS, '--max-trees', '0', join(dir, 'dump.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✗ '))).toEqual([
      '✗ missing-service: trace f20e22c7fc8de46c4008c9ec7f99cbb6, span -, service payment-api: payment-api has no span in trace f20e22c7: ' +
        'api-gateway\'s call "POST /payments" (fe444bd4) got no answer in this trace: payment-api\'s span for it was not exported (sampled out: by a hop that cleared the sampled flag, which parentbased_ samplers follow, or by a sampler that ignores it: traceidratio, jaeger_remote or always_off), ' +
        'or payment-api started a new trace that no span link ties to this run, and no timing can: payment-api\'s SERVER span "POST /payments" (777e07e9) that started new trace c1fb3ccc has no time in the dump',
    ]);
  });
});
