import { readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createRedactor, readRuns } from '../report';
import { SECRET_COOKIE, SECRET_TOKEN, sampleRun } from '../report/test-support/sample-runs';
import type { Problem } from '../verify';
import { TEST_PATH_GLOBAL, recordJourney } from './record-journey';
import { scratchDir } from '../test-support/scratch-dir';

describe('recordJourney', () => {
  it('writes one uniquely named file per run that the reports read back', async () => {
    const dir = scratchDir('tracehop-runs-');
    const run = sampleRun('login', 3);
    const first = await recordJourney({ journey: 'login', spans: run.spans, captures: run.captures, dir });
    const second = await recordJourney({ journey: 'login', spans: run.spans, captures: run.captures, dir });
    expect(first).not.toBe(second);
    expect((await readdir(dir)).sort()).toEqual([basename(first), basename(second)].sort());
    const read = await readRuns(dir);
    expect(read.errors).toEqual([]);
    expect(
      read.runs.map((entry) => [
        entry.journey,
        entry.worker,
        entry.spans.length,
        entry.captures.length,
        entry.problems,
      ]),
    ).toEqual([
      ['login', process.env.JEST_WORKER_ID, 5, 2, []],
      ['login', process.env.JEST_WORKER_ID, 5, 2, []],
    ]);
    expect(read.runs[0]!.testPath).toBe(__filename);
  });

  it('records the platform given, else the one of the Detox device running the spec, else none', async () => {
    const dir = scratchDir('tracehop-runs-');
    const run = sampleRun('login', 3);
    const platformOf = async (file: string) => JSON.parse(await readFile(file, 'utf8')).platform;
    expect(await platformOf(await recordJourney({ ...run, dir }))).toBeUndefined();
    expect(await platformOf(await recordJourney({ ...run, dir, platform: 'ios' }))).toBe('ios');
    const scope = globalThis as { __detox__?: unknown };
    scope.__detox__ = { internalsApi: { config: { device: { type: 'android.emulator' } } } };
    try {
      expect(await platformOf(await recordJourney({ ...run, dir }))).toBe('android');
    } finally {
      delete scope.__detox__;
    }
    const read = await readRuns(dir);
    expect(read.errors).toEqual([]);
    expect(read.runs.map((entry) => entry.platform ?? null).sort()).toEqual(['android', 'ios', null]);
  });

  it('keeps only the capture contract fields of richer backend entries, so the reporter reads the run back', async () => {
    const dir = scratchDir('tracehop-runs-');
    const run = sampleRun('login', 3);
    const captures = run.captures.map((capture) => ({ ...capture, contexts: { traceparent: { values: ['x'] } } }));
    await recordJourney({ journey: 'login', spans: run.spans, captures, dir });
    const read = await readRuns(dir);
    expect(read.errors).toEqual([]);
    expect(Object.keys(read.runs[0]!.captures[0]!).sort()).toEqual(Object.keys(run.captures[0]!).sort());
  });

  it('keeps only the span fields a run record holds of spans the OTLP receiver kept more of', async () => {
    const dir = scratchDir('tracehop-runs-');
    const run = sampleRun('login', 3);
    const origin = { resource: { attributes: { 'service.name': 'mobile-app' } }, scope: { name: 'http' } };
    const spans = run.spans.map((span) => ({
      ...span,
      origin,
      parentIsRemote: false,
      events: [{ name: 'tap', timeMs: 1 }],
    }));
    await recordJourney({ journey: 'login', spans, captures: run.captures, dir });
    const read = await readRuns(dir);
    expect({ errors: read.errors, spans: read.runs[0]?.spans }).toEqual({
      errors: [],
      spans: run.spans.map(createRedactor().span),
    });
  });

  it('names the spec file the test environment announces', async () => {
    const dir = scratchDir('tracehop-runs-');
    const scope = globalThis as { [TEST_PATH_GLOBAL]?: string };
    scope[TEST_PATH_GLOBAL] = '/repo/e2e/login.e2e.ts';
    try {
      await recordJourney({ journey: 'login', spans: [], captures: [], dir });
    } finally {
      delete scope[TEST_PATH_GLOBAL];
    }
    expect((await readRuns(dir)).runs.map((entry) => entry.testPath)).toEqual(['/repo/e2e/login.e2e.ts']);
  });

  it('names the spec file it is given over the one running (the Detox environment records from outside the spec)', async () => {
    const dir = scratchDir('tracehop-runs-');
    await recordJourney({ journey: 'login', spans: [], captures: [], dir, testPath: '/repo/e2e/login.e2e.ts' });
    expect((await readRuns(dir)).runs.map((entry) => entry.testPath)).toEqual(['/repo/e2e/login.e2e.ts']);
  });

  it('redacts credential and configured headers before writing', async () => {
    const dir = scratchDir('tracehop-runs-');
    const run = sampleRun('checkout', 4);
    const captures = run.captures.map((capture) => ({
      ...capture,
      headers: [...capture.headers, ['x-session', 'sess-123'] as const],
    }));
    const file = await recordJourney({
      journey: 'checkout',
      spans: run.spans,
      captures,
      dir,
      redactHeaders: ['X-Session'],
    });
    const text = await readFile(file, 'utf8');
    expect([text.includes(SECRET_TOKEN), text.includes(SECRET_COOKIE), text.includes('sess-123')]).toEqual([
      false,
      false,
      false,
    ]);
    expect(text.match(/\[redacted\]/g)?.length).toBe(3 * 3 + 3);
  });

  it("redacts the reporter's redactHeaders, handed over in $TRACEHOP_REDACT_HEADERS, in every part of the record", async () => {
    const dir = scratchDir('tracehop-runs-');
    const [span] = sampleRun('login', 7).spans;
    if (!span) throw new Error('no span');
    const problem: Problem = {
      kind: 'broken-chain',
      traceId: null,
      spanId: null,
      service: 'api-gateway',
      lastService: 'mobile-app',
      restartedService: 'api-gateway',
      message: 'api-gateway received tok-123 and no traceparent',
    };
    process.env.TRACEHOP_REDACT_HEADERS = '["X-Session-Token"]';
    let file: string;
    try {
      file = await recordJourney({
        journey: 'login',
        spans: [{ ...span, attributes: { 'http.request.header.x-session-token': 'tok-123', 'http.route': '/login' } }],
        captures: [
          {
            seq: 1,
            service: 'api-gateway',
            firstParty: true,
            method: 'POST',
            path: '/login',
            headers: [
              ['x-session-token', 'tok-123'],
              ['x-trace-note', 'kept'],
            ],
            timeMs: 1000,
          },
        ],
        problems: [problem],
        dir,
        platform: 'ios',
      });
    } finally {
      delete process.env.TRACEHOP_REDACT_HEADERS;
    }
    const text = await readFile(file, 'utf8');
    const { runId, recordedAt, worker, testPath } = JSON.parse(text) as Record<string, string>;
    expect(text).toBe(
      `${JSON.stringify({
        version: 1,
        journey: 'login',
        runId,
        recordedAt,
        worker,
        testPath,
        platform: 'ios',
        spans: [
          { ...span, attributes: { 'http.request.header.x-session-token': '[redacted]', 'http.route': '/login' } },
        ],
        captures: [
          {
            seq: 1,
            service: 'api-gateway',
            firstParty: true,
            method: 'POST',
            path: '/login',
            headers: [
              ['x-session-token', '[redacted]'],
              ['x-trace-note', 'kept'],
            ],
            timeMs: 1000,
          },
        ],
        problems: [{ ...problem, message: 'api-gateway received [redacted] and no traceparent' }],
      })}\n`,
    );
  });

  it('fails naming $TRACEHOP_REDACT_HEADERS when it is not a JSON array of header names', async () => {
    const dir = scratchDir('tracehop-runs-');
    process.env.TRACEHOP_REDACT_HEADERS = 'x-session-token';
    try {
      await expect(recordJourney({ journey: 'login', spans: [], captures: [], dir })).rejects.toMatchObject({
        name: 'TracehopError',
        message:
          '[tracehop] Failed to record the "login" journey run: $TRACEHOP_REDACT_HEADERS is "x-session-token", not a JSON array of header names. ' +
          'Set it to a JSON array such as ["x-session-token"], or unset it and give redactHeaders in the tracehop reporter options.',
      });
    } finally {
      delete process.env.TRACEHOP_REDACT_HEADERS;
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('scrubs secret header values from the problems it records', async () => {
    const dir = scratchDir('tracehop-runs-');
    const run = sampleRun('login', 6);
    const problem: Problem = {
      kind: 'invalid-header',
      traceId: null,
      spanId: null,
      service: 'auth-service',
      header: 'cookie',
      headerValue: SECRET_COOKIE,
      reason: 'too-long',
      message: `auth-service received "${SECRET_COOKIE}" and "${SECRET_TOKEN}"`,
    };
    const file = await recordJourney({
      journey: 'login',
      spans: run.spans,
      captures: run.captures,
      problems: [problem],
      dir,
    });
    const recorded = JSON.parse(await readFile(file, 'utf8')).problems;
    expect(recorded).toEqual([
      { ...problem, headerValue: '[redacted]', message: 'auth-service received "[redacted]" and "[redacted]"' },
    ]);
  });

  it('fails with a clear message when the directory cannot be created', async () => {
    const dir = scratchDir('tracehop-runs-');
    const blocker = join(dir, 'file');
    await writeFile(blocker, 'not a directory');
    await expect(
      recordJourney({ journey: 'login', spans: [], captures: [], dir: join(blocker, 'runs') }),
    ).rejects.toMatchObject({
      name: 'TracehopError',
      message: `[tracehop] Failed to record the "login" journey run in "${join(blocker, 'runs')}": ENOTDIR: not a directory, mkdir '${join(blocker, 'runs')}'. It, or a directory above it, is a file. Name a directory instead: the reporter's outputDir (runs go in its runs/ folder) or TRACEHOP_RUNS_DIR.`,
    });
  });
});

describe('readRuns', () => {
  it('skips runs recorded before the Jest run started and names unreadable files', async () => {
    const dir = scratchDir('tracehop-runs-');
    await writeFile(join(dir, 'old.json'), JSON.stringify(sampleRun('login', 1, {}, '2020-01-01T00:00:00.000Z')));
    await writeFile(join(dir, 'new.json'), JSON.stringify(sampleRun('login', 2, {}, '2030-01-01T00:00:00.000Z')));
    await writeFile(join(dir, 'torn.json'), '{"version":1,');
    const read = await readRuns(dir, { since: new Date('2026-01-01T00:00:00.000Z') });
    expect(read.runs.map((run) => run.runId)).toEqual(['login-run-2']);
    expect(read.errors).toHaveLength(1);
    expect(read.errors[0]).toMatch(
      new RegExp(
        `^\\[tracehop\\] Failed to read a journey run from "${join(dir, 'torn.json')}": it is not JSON \\(.+\\)\\. Delete the file and run the journey again\\.$`,
      ),
    );
  });

  it('treats a missing directory as no runs', async () => {
    expect(await readRuns('/nonexistent/tracehop/runs')).toEqual({ runs: [], errors: [] });
  });
});
