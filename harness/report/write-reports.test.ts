import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computeCoverage } from './coverage';
import { SECRET_COOKIE, SECRET_TOKEN, cleanRuns, sampleJourneySpecs, sampleRun } from './test-support/sample-runs';
import { writeReports } from './write-reports';
import { scratchDir } from '../test-support/scratch-dir';

describe('writeReports', () => {
  it('redacts default and configured headers in every artifact even when the runs were not redacted', async () => {
    const runs = cleanRuns().map((run) => ({
      ...run,
      captures: run.captures.map((capture) => ({
        ...capture,
        headers: [...capture.headers, ['x-tenant-secret', 'tenant-9f8e'] as const],
      })),
    }));
    const dir = scratchDir('tracehop-reports-');
    const written = await writeReports(computeCoverage(sampleJourneySpecs(), runs), dir, {
      redactHeaders: ['x-tenant-secret'],
    });
    if (!written.ok) throw new Error(written.message);
    const texts = await Promise.all(Object.values(written.value).map((file) => readFile(file, 'utf8')));
    expect(
      texts.map((text) => [SECRET_TOKEN, SECRET_COOKIE, 'tenant-9f8e'].filter((secret) => text.includes(secret))),
    ).toEqual([[], [], [], []]);
    expect(texts[0]!.match(/\[redacted\]/g)?.length).toBe(texts[3]!.match(/\[redacted\]/g)?.length);
  });

  it("scrubs a configured header's value from the problems and hop reasons that quote it", async () => {
    // api-gateway receives baggage but does not pass it on: the check quotes the baggage it saw.
    const run = sampleRun('checkout', 5);
    const captures = run.captures.map((capture) =>
      capture.service === 'api-gateway'
        ? { ...capture, headers: [...capture.headers, ['baggage', 'user.id=alice-4242'] as const] }
        : capture,
    );
    const report = computeCoverage(sampleJourneySpecs(), [{ ...run, captures }]);
    expect(report.journeys[0]!.firstBrokenReason).toContain('"user.id=alice-4242"');
    const dir = scratchDir('tracehop-reports-');
    const written = await writeReports(report, dir, { redactHeaders: ['baggage'] });
    if (!written.ok) throw new Error(written.message);
    const texts = await Promise.all(Object.values(written.value).map((file) => readFile(file, 'utf8')));
    expect(texts.map((text) => text.includes('alice-4242'))).toEqual([false, false, false, false]);
    expect(JSON.parse(texts[0]!).journeys[0].firstBrokenReason).toBe(
      `header-span-mismatch: ${report.journeys[0]!.problems[0]!.message.replace('user.id=alice-4242', '[redacted]')}`,
    );
  });

  it('names the directory it cannot write', async () => {
    const blocker = join(scratchDir('tracehop-reports-'), 'file');
    await writeFile(blocker, 'not a directory');
    const result = await writeReports(computeCoverage([], []), join(blocker, 'out'));
    expect(result).toEqual({
      ok: false,
      reason: 'write-failed',
      message: `[tracehop] Failed to write the coverage reports to "${join(blocker, 'out')}": ENOTDIR: not a directory, mkdir '${join(blocker, 'out')}'. ${FILE_IN_THE_WAY}`,
    });
  });

  it('says a file stands where the reports directory must be (-o report.html)', async () => {
    const file = join(scratchDir('tracehop-reports-'), 'report.html');
    await writeFile(file, '<html></html>');
    expect(await writeReports(computeCoverage([], []), file)).toEqual({
      ok: false,
      reason: 'write-failed',
      message: `[tracehop] Failed to write the coverage reports to "${file}": EEXIST: file already exists, mkdir '${file}'. ${FILE_IN_THE_WAY}`,
    });
  });
});

const FILE_IN_THE_WAY =
  'It, or a directory above it, is a file: name a directory for the four reports (tracehop writes coverage.json, coverage.md, junit.xml and report.html into it).';
