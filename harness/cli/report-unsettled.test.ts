import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../test-support/scratch-dir';
import type * as Verify from '../verify';
import { computeCoverage, runsFromSpans } from '../report';
import { sampleJourneySpecs, sampleRun } from '../report/test-support/sample-runs';
import { runReport } from './report';

const ROOT = join(__dirname, '../..');

/** check's note on journeys whose judgement did not settle, as verifySpans words it for these two. */
const mockNote = {
  journeys: ['checkout', 'offline-replay'],
  message:
    'Note: which run some new traces naming no journey were tied to did not settle after 8 rounds of judging the journeys again (journeys checkout, offline-replay still read claims that no longer held), so those ties may depend on the order the journeys file lists the journeys in. Read the runs of those journeys whose pairing the messages call a guess with care, and report the dump: it is a tracehop bug.',
};

/** Notes the next judgements give, in turn; then mockNote. */
const mockUnsettled: Verify.UnsettledJourneys[] = [];

// No dump is known to leave the judgement unsettled (it is a tracehop bug): the verifier says so for this one.
jest.mock('../verify', () => {
  const actual = jest.requireActual<typeof Verify>('../verify');
  return {
    ...actual,
    verifySpans: (...args: Parameters<typeof actual.verifySpans>): Verify.Verdict => {
      const verdict = actual.verifySpans(...args);
      const unsettled = mockUnsettled.shift() ?? mockNote;
      return args[1]?.journeys ? { ...verdict, unsettled } : verdict;
    },
  };
});

describe('tracehop report --spans when the journeys judged again did not settle', () => {
  it('says so as check does: on stderr, in coverage.json, coverage.md, junit.xml and report.html', async () => {
    const out = scratchDir('tracehop-unsettled-');
    const stderr: string[] = [];
    const code = await runReport(
      [
        '--spans',
        'fixtures/dumps/checkout-ok.jsonl',
        '--journeys',
        'fixtures/journeys.json',
        '-o',
        out,
        '--suite-threshold',
        '0',
        '--journey-threshold',
        '0',
      ],
      { cwd: ROOT, env: {}, stdout: () => undefined, stderr: (text) => void stderr.push(text) },
    );
    const read = (name: string): string => readFileSync(join(out, name), 'utf8');
    const json = JSON.parse(read('coverage.json')) as { unsettled?: unknown };
    const html = read('report.html');
    const escaped = mockNote.message.replace(/'/g, '&apos;');
    expect({
      code,
      stderr,
      json: json.unsettled,
      markdown: read('coverage.md').split('\n').slice(2, 5),
      junit: read('junit.xml')
        .split('\n')
        .filter((line) => line.includes('<system-err>')),
      html: html.includes(`<p class="unsettled-note">${escaped}</p>`),
    }).toEqual({
      code: 0,
      stderr: [`[tracehop] ${mockNote.message}\n`],
      json: mockNote,
      markdown: [
        '**20%** of critical journeys fully covered (1 of 5), ✅ gate passed.',
        '',
        `> ⚠️ ${mockNote.message}`,
      ],
      junit: [`    <system-err>${escaped}</system-err>`, `    <system-err>${escaped}</system-err>`],
      html: true,
    });
  });

  it('names the journeys of every dump that did not settle in one note when shards are merged', () => {
    const spec = sampleJourneySpecs();
    const spans = sampleRun('checkout', 1).spans.map((span) =>
      span.parentSpanId === undefined
        ? { ...span, attributes: { ...span.attributes, 'tracehop.journey': 'checkout' } }
        : span,
    );
    // Two dumps (two shards' runs, read at two times), each judged on its own.
    const runs = ['2026-12-05T01:00:00.000Z', '2026-12-05T02:00:00.000Z'].flatMap((recordedAt) =>
      runsFromSpans(spec, spans, { recordedAt }),
    );
    const note = (names: string): Verify.UnsettledJourneys => ({ journeys: names.split(','), message: names });
    mockUnsettled.push(note('offline-replay'), note('checkout'));
    expect(computeCoverage(spec, runs).unsettled).toEqual({
      journeys: ['checkout', 'offline-replay'],
      message: mockNote.message,
    });
  });
});
