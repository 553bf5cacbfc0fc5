import { computeCoverage } from './coverage';
import { mergeCoverage, parseCoverageFile } from './merge';
import { renderJson } from './render-json';
import { cleanRuns, sampleJourneySpecs, sampleRun } from './test-support/sample-runs';

const spec = sampleJourneySpecs();
const AT = '2026-11-26T02:00:00.000Z';

function shardFile(runs: ReturnType<typeof cleanRuns>, label: string) {
  const parsed = parseCoverageFile(renderJson(computeCoverage(spec, runs, { generatedAt: AT })), label);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('mergeCoverage', () => {
  const runs = cleanRuns().map((run) =>
    run.journey === 'checkout'
      ? sampleRun('checkout', 1, { dropTraceparentAt: { from: 'payment-api', to: 'fraud-service' } })
      : run,
  );

  it('gives the same report from two shards as from one unsharded run', () => {
    const merged = mergeCoverage(
      [shardFile(runs.slice(0, 2), 'shard-1.json'), shardFile(runs.slice(2), 'shard-2.json')],
      { generatedAt: AT },
    );
    if (!merged.ok) throw new Error(merged.message);
    const whole = computeCoverage(spec, runs, { generatedAt: AT });
    expect(merged.value.journeys).toEqual(whole.journeys);
    expect([merged.value.coverage, merged.value.passed]).toEqual([0.8, false]);
  });

  it("lets thresholds given to the merge override the files' journey by journey", () => {
    const first = {
      ...shardFile(runs.slice(0, 2), 'shard-1.json'),
      thresholds: { suite: 1, journey: 1, journeys: { login: 0.5 } },
    };
    const merged = mergeCoverage([first, shardFile(runs.slice(2), 'shard-2.json')], {
      thresholds: { suite: 0.8, journeys: { checkout: 0.6 } },
    });
    if (!merged.ok) throw new Error(merged.message);
    expect([merged.value.thresholds, merged.value.passed]).toEqual([
      { suite: 0.8, journey: 1, journeys: { login: 0.5, checkout: 0.6 } },
      true,
    ]);
  });

  it('rejects a per-journey threshold that is not a ratio, naming it', () => {
    const file = JSON.parse(renderJson(computeCoverage(spec, runs.slice(0, 1))));
    file.thresholds.journeys.checkout = '80%';
    expect(parseCoverageFile(JSON.stringify(file), 'd.json')).toEqual({
      ok: false,
      reason: 'invalid-schema',
      message:
        '[tracehop] Failed to read coverage from "d.json": thresholds.journeys.checkout must be a number (got "80%"). Pass coverage.json files written by the tracehop reporter (one per shard).',
    });
  });

  it("holds a coverage file's spec to the journeys file's rules, and its thresholds to its spec", () => {
    const file = JSON.parse(renderJson(computeCoverage(spec, runs.slice(0, 1))));
    const hopless = { ...file, spec: [{ ...file.spec[0], chain: ['mobile-app'], noTraceHeaders: [] }] };
    const undeclared = { ...file, thresholds: { ...file.thresholds, journeys: { nope: 0.5 } } };
    const names = spec.map((journey) => journey.name).join(', ');
    expect([
      parseCoverageFile(JSON.stringify(hopless), 'h.json'),
      parseCoverageFile(JSON.stringify(undeclared), 'u.json'),
    ]).toEqual([
      {
        ok: false,
        reason: 'no-hop',
        message:
          '[tracehop] Failed to read coverage from "h.json": spec[0] ("checkout") has no hop to check: its chain names one service and it lists no noTraceHeaders. Name at least two services in call order, or the third parties that must receive no trace headers.',
      },
      {
        ok: false,
        reason: 'invalid-schema',
        message: `[tracehop] Failed to read coverage from "u.json": thresholds.journeys["nope"] names a journey its spec does not declare. Declared journeys: ${names}. Pass coverage.json files written by the tracehop reporter (one per shard).`,
      },
    ]);
  });

  it('keeps a run once when two files carry it', () => {
    const merged = mergeCoverage([shardFile(runs, 'a.json'), shardFile(runs, 'b.json')]);
    expect(merged.ok && merged.value.runs.length).toBe(5);
  });

  it('refuses journeys whose chains disagree between files', () => {
    const other = {
      ...shardFile(runs, 'b.json'),
      spec: spec.map((journey) =>
        journey.name === 'login' ? { ...journey, chain: ['mobile-app', 'auth-service'] } : journey,
      ),
    };
    expect(mergeCoverage([shardFile(runs, 'a.json'), other])).toEqual({
      ok: false,
      reason: 'conflicting-journeys',
      message:
        '[tracehop] Failed to merge coverage: journey "login" has chain mobile-app -> auth-service in "b.json" but mobile-app -> api-gateway -> auth-service in an earlier file. Merge shards that ran with the same journeys file.',
    });
  });

  it('rejects a coverage file without its runs, naming the field', () => {
    expect(
      parseCoverageFile(
        JSON.stringify({ version: 1, coverage: 1, spec: [], thresholds: { suite: 1, journey: 1, journeys: {} } }),
        'old.json',
      ),
    ).toEqual({
      ok: false,
      reason: 'invalid-schema',
      message:
        '[tracehop] Failed to read coverage from "old.json": runs is required. Pass coverage.json files written by the tracehop reporter (one per shard).',
    });
  });

  it('rejects a run with a bad span id, naming the path', () => {
    const file = JSON.parse(renderJson(computeCoverage(spec, runs.slice(0, 1))));
    file.runs[0].spans[2].spanId = 'XYZ';
    expect(parseCoverageFile(JSON.stringify(file), 'c.json')).toEqual({
      ok: false,
      reason: 'invalid-schema',
      message:
        '[tracehop] Failed to read coverage from "c.json": runs[0].spans[2].spanId must be a span id (16 lowercase hex characters) (got "XYZ"). Pass coverage.json files written by the tracehop reporter (one per shard).',
    });
  });

  it('reads back the spans links a run holds (a consumer linked to its producer), and checks their ids', () => {
    const linked = runs.slice(0, 1).map((run) => ({
      ...run,
      spans: run.spans.map((span, i) =>
        i === 2 ? { ...span, links: [{ traceId: span.traceId, spanId: span.spanId, attributes: { 'x.y': 1 } }] } : span,
      ),
    }));
    const text = renderJson(computeCoverage(spec, linked));
    const parsed = parseCoverageFile(text, 'c.json');
    const bad = JSON.parse(text);
    bad.runs[0].spans[2].links[0].spanId = 'XYZ';
    expect([
      parsed.ok && parsed.value.runs[0]?.spans[2]?.links,
      parseCoverageFile(JSON.stringify(bad), 'c.json'),
    ]).toEqual([
      linked[0]?.spans[2]?.links,
      {
        ok: false,
        reason: 'invalid-schema',
        message:
          '[tracehop] Failed to read coverage from "c.json": runs[0].spans[2].links[0].spanId must be a span id (16 lowercase hex characters) (got "XYZ"). Pass coverage.json files written by the tracehop reporter (one per shard).',
      },
    ]);
  });
});
