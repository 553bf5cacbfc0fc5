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
