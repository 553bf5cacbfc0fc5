/**
 * Properties of `tracehop check` over dumps built with the real OpenTelemetry SDK: the verdict does not
 * depend on how the spans are ordered, split across files or batched into lines; and in a dump of 1,000
 * interleaved runs with k random broken hops, exactly those k runs fail, and nothing else does.
 */
import fc from 'fast-check';
import { encodeOtlpJson, type Span } from '../../harness/model';
import { CHECKOUT, LOGIN, buildDump, manyRuns, type HopFault, type RunSpec } from '../verify/support/dump-runs';
import { CHAIN, runCli, tempFiles } from './support';

interface JsonVerdict {
  ok: boolean;
  traces: number;
  spans: number;
  problems: Array<{ kind: string; traceId: string | null; spanId: string | null; message: string }>;
  warnings: Array<{ kind: string; spanId: string; message: string }>;
  runs: Array<{ traceId: string; journey: string | null; ok: boolean; kinds: string[] }>;
}

/** Writes `files` files of JSON Lines, `perLine` spans a line, the spans dealt out in order. */
function writeSplit(spans: readonly Span[], files: number, perLine: number): string[] {
  const names = Array.from({ length: files }, (_, i) => `part-${i}.jsonl`);
  const contents: Record<string, string> = {};
  names.forEach((name, f) => {
    const mine = spans.filter((_, i) => i % files === f);
    const lines: string[] = [];
    for (let i = 0; i < mine.length; i += perLine)
      lines.push(JSON.stringify(encodeOtlpJson(mine.slice(i, i + perLine))));
    contents[name] = `${lines.join('\n')}\n`;
  });
  const dir = tempFiles(contents);
  return names.map((name) => `${dir}/${name}`);
}

async function check(
  files: readonly string[],
  args: readonly string[],
): Promise<{ code: number; verdict: JsonVerdict }> {
  const result = await runCli(['check', '--json', ...args, ...files]);
  expect(result.stderr).toBe('');
  return { code: result.code, verdict: JSON.parse(result.stdout) as JsonVerdict };
}

/** The verdict as a set: problems, warnings and runs in a fixed order. */
function canonical({ code, verdict }: { code: number; verdict: JsonVerdict }) {
  const text = (items: readonly unknown[]) => items.map((item) => JSON.stringify(item)).sort();
  return {
    code,
    ok: verdict.ok,
    traces: verdict.traces,
    spans: verdict.spans,
    problems: text(verdict.problems),
    warnings: text(verdict.warnings),
    runs: text(verdict.runs),
  };
}

describe('tracehop check verdict properties', () => {
  it('gives the same verdict however the spans are shuffled and split across files and lines', async () => {
    // Every situation at once: a dropped traceparent, a forwarded one, a linked consumer, a re-sent batch,
    // clock skew, health checks, another journey.
    const runs: RunSpec[] = [
      ...manyRuns(CHECKOUT, 12, 4).map((run, i) =>
        i === 3
          ? { ...run, faults: { 2: 'drop' as const } }
          : i === 7
            ? { ...run, faults: { 1: 'forward' as const } }
            : run,
      ),
      { journey: CHECKOUT, at: 60, queueHops: [2], queueDelayMs: 1500, faults: { 2: 'link' } },
      ...manyRuns(LOGIN, 3, 9, 1),
    ];
    const built = await buildDump({
      runs,
      healthChecks: [{ service: 'payment-api', at: 5 }],
      clockOffsetMs: { 'auth-service': -4 },
    });
    const spans = [...built, ...built.slice(0, 6)];
    const reference = canonical(await check(writeSplit(spans, 1, spans.length), ['--expect', CHAIN]));
    const kinds = (items: readonly string[]) => items.map((item) => (JSON.parse(item) as { kind: string }).kind);
    // 3 runs broken (dropped, forwarded, linked), the re-sent batch of 6 spans, auth-service's slow clock in 3 runs.
    expect([reference.code, kinds(reference.problems), kinds(reference.warnings), reference.runs.length]).toEqual([
      1,
      ['broken-chain', 'broken-chain', 'wrong-parent'],
      [...Array(3).fill('clock-skew'), ...Array(6).fill('duplicate-export')],
      13,
    ]);

    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(spans, { minLength: spans.length, maxLength: spans.length }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 40 }),
        async (shuffled, files, perLine) => {
          expect(canonical(await check(writeSplit(shuffled, files, perLine), ['--expect', CHAIN]))).toEqual(reference);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fails exactly the k runs of 1,000 interleaved runs whose hops were broken, and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            run: fc.integer({ min: 0, max: 999 }),
            fault: fc.constantFrom<[number, HopFault]>(
              [0, 'drop'],
              [1, 'drop'],
              [2, 'drop'],
              [1, 'forward'],
              [2, 'forward'],
            ),
          }),
          { maxLength: 25, selector: (broken) => broken.run },
        ),
        fc.nat(),
        async (broken, seed) => {
          const faults = new Map(broken.map(({ run, fault: [hop, kind] }) => [run, { [hop]: kind }]));
          // A run every 3 ms, each lasting about 16 ms: five runs are in flight at any time.
          const runs = manyRuns(CHECKOUT, 1000, 3).map((run, i) => {
            const fault = faults.get(i);
            return fault ? { ...run, faults: fault } : run;
          });
          const spans = await buildDump({ runs, seed: seed + 1 });
          const roots = spans
            .filter((span) => span.parentSpanId === undefined && span.name === 'checkout')
            .sort((a, b) => a.startTimeMs - b.startTimeMs);
          const brokenRuns = [...faults.keys()].map((i) => roots[i]?.traceId).sort();
          const { code, verdict } = await check(writeSplit(spans, 2, 500), ['--expect', CHAIN]);
          expect([code, verdict.runs.length]).toEqual([broken.length > 0 ? 1 : 0, 1000]);
          expect(
            verdict.runs
              .filter((run) => !run.ok)
              .map((run) => run.traceId)
              .sort(),
          ).toEqual(brokenRuns);
          // One problem per broken hop: a broken-chain for a dropped traceparent, a wrong-parent for a forwarded one.
          expect(verdict.problems.map((p) => p.kind).sort()).toEqual(
            broken.map(({ fault: [, kind] }) => (kind === 'drop' ? 'broken-chain' : 'wrong-parent')).sort(),
          );
          expect(verdict.warnings).toEqual([]);
        },
      ),
      { numRuns: 4 },
    );
  });
});
