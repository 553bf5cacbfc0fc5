import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeCoverage } from './coverage';
import { SECRET_COOKIE, SECRET_TOKEN, cleanRuns, sampleJourneySpecs } from './test-support/sample-runs';
import { writeReports } from './write-reports';

describe('writeReports', () => {
  it('redacts default and configured headers in every artifact even when the runs were not redacted', async () => {
    const runs = cleanRuns().map((run) => ({
      ...run,
      captures: run.captures.map((capture) => ({ ...capture, headers: [...capture.headers, ['x-tenant-secret', 'tenant-9f8e'] as const] })),
    }));
    const dir = await mkdtemp(join(tmpdir(), 'tracehop-reports-'));
    const written = await writeReports(computeCoverage(sampleJourneySpecs(), runs), dir, { redactHeaders: ['x-tenant-secret'] });
    if (!written.ok) throw new Error(written.error);
    const texts = await Promise.all(Object.values(written.files).map((file) => readFile(file, 'utf8')));
    expect(texts.map((text) => [SECRET_TOKEN, SECRET_COOKIE, 'tenant-9f8e'].filter((secret) => text.includes(secret)))).toEqual([[], [], [], []]);
    expect(texts[0].match(/\[redacted\]/g)?.length).toBe(texts[3].match(/\[redacted\]/g)?.length);
  });

  it('names the directory it cannot write', async () => {
    const blocker = join(await mkdtemp(join(tmpdir(), 'tracehop-reports-')), 'file');
    await writeFile(blocker, 'not a directory');
    const result = await writeReports(computeCoverage([], []), join(blocker, 'out'));
    expect(result).toEqual({
      ok: false,
      error: `[tracehop] Failed to write the coverage reports to "${join(blocker, 'out')}": ENOTDIR: not a directory, mkdir '${join(blocker, 'out')}'. Check that the directory is writable.`,
    });
  });
});
