import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type * as WorkerThreads from 'node:worker_threads';
import type { readDumpFile as ReadDumpFile } from '../../harness/model/formats';
import type { main as Main } from '../../harness/cli';
import { ROOT } from './support';
import { scratchDir } from '../../harness/test-support/scratch-dir';

/**
 * The parallel reader (worker threads, for large JSON Lines dumps) must read exactly what the ordinary
 * reader reads: the same spans in the same order, the same line numbers, the same notes, and, for a bad
 * line anywhere, the ordinary reader's error. It runs from dist/ (`npm test` builds first), as the CLI
 * does: workers load the compiled dump-worker.js. A spy on the Worker class tells whether workers ran.
 */
const { readDumpFile } = require(join(ROOT, 'dist/harness/model/formats/read-dump-file.js')) as {
  readDumpFile: typeof ReadDumpFile;
};
/** Node's own module object (a namespace import is a frozen copy, which cannot be spied on). */
const workerThreads = require('node:worker_threads') as typeof WorkerThreads;
const RealWorker = workerThreads.Worker;

/** Counts the workers started, starting them for real (a plain spy would call the class without `new`). */
function countWorkers(): jest.SpyInstance {
  return jest
    .spyOn(workerThreads, 'Worker')
    .mockImplementation((...args: ConstructorParameters<typeof RealWorker>) => new RealWorker(...args));
}
const dir = scratchDir('tracehop-parallel-');

function write(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** One OTLP/JSON line: `count` spans of trace `trace`, with the odd cases real exporters write. */
function otlpLine(trace: number, count: number): string {
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: hex(trace, 32),
    spanId: hex(trace * 100 + i + 1, 16),
    ...(i > 0 ? { parentSpanId: hex(trace * 100 + i, 16) } : { parentSpanId: '' }),
    name: i % 2 ? 'POST /payments' : 'tap «Pay»',
    kind: (i % 5) + 1,
    startTimeUnixNano: String(1_795_651_200_000_000_000 + trace * 1_000_000 + i),
    endTimeUnixNano: String(1_795_651_200_000_000_000 + trace * 1_000_000 + 900_000 - i),
    attributes: [
      { key: 'http.request.method', value: { stringValue: 'POST' } },
      { key: 'http.response.status_code', value: { intValue: '201' } },
      { key: 'retry', value: { boolValue: i === 2 } },
      { key: 'ratio', value: { doubleValue: 0.25 } },
      { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } } },
    ],
    ...(i === 1 ? { traceState: 'vendor=1', status: { code: 2, message: 'declined' } } : {}),
    ...(i === 2 ? { links: [{ traceId: hex(trace + 1, 32), spanId: hex(1, 16) }], flags: 257 } : {}),
  }));
  const service = trace % 2 ? 'payment-api' : 'mobile-app';
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'test' }, spans }],
      },
    ],
  });
}

/** Ids in base64, as protojson writes them: the notes must count them over every part. */
function base64Line(trace: number): string {
  const id = (n: number, bytes: number): string => Buffer.from(hex(n, bytes * 2), 'hex').toString('base64');
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {},
        scopeSpans: [{ spans: [{ traceId: id(trace, 16), spanId: id(trace, 8), name: 'b64', kind: 2 }] }],
      },
    ],
  });
}

function manyLines(): string[] {
  const lines: string[] = [];
  for (let t = 1; t <= 60; t++) {
    lines.push(t % 7 === 0 ? base64Line(t) : otlpLine(t, 1 + (t % 4)));
    if (t % 11 === 0) lines.push('', '   ');
    // Logs between the traces, as one Collector file exporter for every pipeline writes: counted across parts.
    if (t % 13 === 0) lines.push(JSON.stringify({ resourceLogs: [{ resource: {}, scopeLogs: [] }] }));
  }
  return lines;
}

/**
 * Reads a file both ways, the parallel way with `threads` threads (the main thread and threads - 1 workers);
 * `started` is how many worker threads it started. `spy` may replace the workers.
 */
async function bothWays(
  path: string,
  threads = 3,
  spy: jest.SpyInstance = countWorkers(),
): Promise<{ parallel: unknown; sequential: unknown; started: number }> {
  try {
    const parallel = await readDumpFile(path, 'dump.jsonl', { parallel: { workers: threads, minBytes: 0 } });
    const started = spy.mock.calls.length;
    const sequential = await readDumpFile(path, 'dump.jsonl', { parallel: false });
    return { parallel, sequential, started };
  } finally {
    spy.mockRestore();
  }
}

/** Go's stdouttrace and Python's ConsoleSpanExporter prints of a checkout (five spans), written one span a line. */
function printsOneSpanALine(): [string, string][] {
  const go = readFileSync(join(ROOT, 'fixtures/dumps/go-stdouttrace/checkout-broken.jsonl'), 'utf8').trimEnd();
  const python = readFileSync(join(ROOT, 'fixtures/dumps/python-console/checkout.json'), 'utf8')
    .split(/\n(?=\{)/)
    .map((object) => JSON.stringify(JSON.parse(object)))
    .join('\n');
  return [
    ['go-stdouttrace', go],
    ['python-console', python],
  ];
}

describe('reading a JSON Lines dump with worker threads', () => {
  it('reads what the ordinary reader reads: spans, order, lines, notes (BOM, CRLF, blank lines, no last newline)', async () => {
    const lines = manyLines();
    const { parallel, sequential, started } = await bothWays(write('dump.jsonl', `\ufeff${lines.join('\r\n')}`));
    expect(parallel).toEqual(sequential);
    expect(started).toBe(2);
    const read = parallel as Awaited<ReturnType<typeof ReadDumpFile>>;
    const spans = read.ok ? read.spans : [];
    expect([read.ok && read.format, spans.length, read.ok && read.notes]).toEqual([
      'otlp-json',
      138,
      [
        '[tracehop] Note: "dump.jsonl" writes ids in base64 (the protobuf JSON mapping, as Grafana Tempo and grpcurl write OTLP); 16 ids were decoded to hex.',
        '[tracehop] Note: "dump.jsonl" holds 4 documents of OTLP metrics, logs or profiles (a Collector file exporter shared by several pipelines); they were skipped.',
        // The base64 lines' spans: every reader notes the same spans with no time.
        '[tracehop] Note: "dump.jsonl" holds 8 OTLP spans with no start time (startTimeUnixNano 0 or missing; their ends alone place them nowhere), the first unknown_service\'s SERVER span "b64" (0000000000000007) in trace 00000000000000000000000000000007 (line 7): each keeps its place in its trace, but no callee clock is read off them and no new trace is tied to a run by their timing.',
      ],
    ]);
    expect([spans[0]?.source, spans[spans.length - 1]?.source]).toEqual([
      { file: 'dump.jsonl', line: 1 },
      { file: 'dump.jsonl', line: lines.length },
    ]);
  });

  it.each([2, 4, 9])('gives the same spans with %i threads', async (threads) => {
    const { parallel, sequential, started } = await bothWays(
      write(`threads-${threads}.jsonl`, `${manyLines().join('\n')}\n`),
      threads,
    );
    expect([parallel, started]).toEqual([sequential, threads - 1]);
  });

  it('reads Zipkin and Jaeger JSON Lines too', async () => {
    for (const name of ['zipkin', 'jaeger']) {
      const doc: unknown = JSON.parse(readFileSync(join(ROOT, `fixtures/dumps/checkout-broken.${name}.json`), 'utf8'));
      const line = JSON.stringify(doc);
      const path = write(`${name}.jsonl`, `${Array.from({ length: 12 }, () => line).join('\n')}\n`);
      const { parallel, sequential, started } = await bothWays(path);
      const read = parallel as Awaited<ReturnType<typeof ReadDumpFile>>;
      expect([read.ok && read.format, parallel, started]).toEqual([name, sequential, 2]);
    }
  });

  it('names a Jaeger api/v3 stream cut short by an error in a later part, as the ordinary reader does', async () => {
    const chunk = (n: number): string => JSON.stringify({ result: JSON.parse(otlpLine(n, 2)) as unknown });
    const lines = Array.from({ length: 40 }, (_, i) => chunk(i + 1));
    lines.push(JSON.stringify({ error: { grpcCode: 4, httpCode: 504, message: 'context deadline exceeded' } }));
    const { parallel, sequential, started } = await bothWays(write('stream.jsonl', `${lines.join('\n')}\n`));
    const read = parallel as Awaited<ReturnType<typeof ReadDumpFile>>;
    expect([read.ok && read.spans.length, read.ok && read.notes, parallel, started]).toEqual([
      80,
      [
        '[tracehop] Note: "dump.jsonl" holds an incomplete answer of the trace store: line 41 is an error answer ("504 context deadline exceeded"), not traces. Traces or spans it left out may read as a missing-service or broken-chain that the services did not cause: fetch the answer again, before trusting such a verdict.',
      ],
      sequential,
      2,
    ]);
  });

  it("reads Go's stdouttrace and Python's ConsoleSpanExporter prints written one span a line too", async () => {
    for (const [name, lines] of printsOneSpanALine()) {
      const path = write(`${name}.jsonl`, `${Array.from({ length: 12 }, () => lines).join('\n')}\n`);
      const { parallel, sequential, started } = await bothWays(path);
      const read = parallel as Awaited<ReturnType<typeof ReadDumpFile>>;
      expect([read.ok && read.format, read.ok && read.spans.length, parallel, started]).toEqual([
        name,
        60,
        sequential,
        2,
      ]);
    }
  });

  it('reads a Go or Python print one span a line with log lines in any part as the ordinary reader does', async () => {
    for (const [name, lines] of printsOneSpanALine()) {
      // 12 copies of the five spans (lines 1-60), a plain log line in the last part, a structured one at the end.
      const copies = Array.from({ length: 12 }, () => lines);
      copies.splice(10, 0, '2026/01/01 paid');
      const path = write(`${name}-logged.jsonl`, `${copies.join('\n')}\n{"level":"info","msg":"stopped"}\n`);
      const { parallel, sequential, started } = await bothWays(path);
      const read = parallel as Awaited<ReturnType<typeof ReadDumpFile>>;
      expect([read.ok && read.format, read.ok && read.spans.length, read.ok && read.notes, parallel, started]).toEqual([
        name,
        60,
        [
          '[tracehop] Note: "dump.jsonl" holds 2 lines of other output between the printed spans (the first on line 51); they were skipped.',
        ],
        sequential,
        2,
      ]);
    }
    // OTLP/JSON Lines are no print: a log line among them is refused by both ways, as before.
    const otlp = manyLines();
    otlp.splice(50, 0, '2026/01/01 paid');
    const refused = await bothWays(write('otlp-logged.jsonl', `${otlp.join('\n')}\n`));
    expect([refused.parallel, refused.started]).toEqual([
      {
        ok: false,
        reason: 'not-json',
        file: 'dump.jsonl',
        line: 51,
        message:
          '[tracehop] Failed to read spans from "dump.jsonl": line 51 is the text "2026/01/01 paid", not JSON (the body of an HTTP error, which curl without -f saves in place of an answer?). Fetch that answer again with curl -f, which fails on an HTTP error instead of saving its body, or delete the line to check the rest.',
      },
      2,
    ]);
    expect(refused.sequential).toEqual(refused.parallel);
  });

  it('gives tracehop check the same verdict on a print with log lines when TRACEHOP_DUMP_WORKERS=2 reads it', async () => {
    const { main } = require(join(ROOT, 'dist/harness/cli/index.js')) as { main: typeof Main };
    const go = readFileSync(join(ROOT, 'fixtures/dumps/go-stdouttrace/checkout-broken.jsonl'), 'utf8').trimEnd();
    write('go-logged.jsonl', `${[go, go, '2026/01/01 paid', go].join('\n')}\n`);
    const run = async (env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> => {
      let stdout = '';
      let stderr = '';
      const io = {
        stdout: (t: string) => void (stdout += t),
        stderr: (t: string) => void (stderr += t),
        env,
        cwd: dir,
      };
      const code = await main(
        ['check', '--json', '--expect', 'web-shop,api-gateway,payment-api', 'go-logged.jsonl'],
        io,
      );
      return { code, stdout, stderr };
    };
    const spy = countWorkers();
    try {
      const threads = await run({ TRACEHOP_DUMP_WORKERS: '2', TRACEHOP_DUMP_PARALLEL_MIN_BYTES: '0' });
      const started = spy.mock.calls.length;
      const one = await run({ TRACEHOP_DUMP_WORKERS: '1' });
      // The same five spans three times: read once each, the copies warned of as exported twice.
      const verdict = JSON.parse(threads.stdout) as { spans: number };
      expect([threads, started, verdict.spans, threads.stderr]).toEqual([
        one,
        1,
        5,
        '[tracehop] Note: "go-logged.jsonl" holds 1 line of other output between the printed spans (on line 11); it was skipped.\n',
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    [
      'a later part',
      50,
      '{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "xyz"}]}]}]}',
      'resourceSpans[0].scopeSpans[0].spans[0].traceId',
      'resourceSpans[0].scopeSpans[0].spans[0].traceId "xyz" is not a trace id: it has 3 characters, not 32 hex characters',
    ],
    [
      'the first part, read on the main thread,',
      2,
      '{"resourceSpans": 5}',
      'resourceSpans',
      'resourceSpans is not an array',
    ],
  ])(
    'leaves a bad line in %s to the ordinary reader, whose error names its line',
    async (_where, at, bad, path, cause) => {
      const lines = manyLines();
      lines.splice(at, 0, bad);
      const { parallel, sequential, started } = await bothWays(write(`bad-${at}.jsonl`, `${lines.join('\n')}\n`));
      expect([parallel, started]).toEqual([sequential, 2]);
      expect(parallel).toEqual({
        ok: false,
        reason: 'invalid-document',
        file: 'dump.jsonl',
        line: at + 1,
        path,
        message: `[tracehop] Failed to read spans from "dump.jsonl": line ${at + 1}, ${cause}. Export with the OTLP JSON encoding or the Collector's file exporter.`,
      });
    },
  );

  it.each([
    [
      '{"data":null,"errors":null}',
      'is none of the formats tracehop reads (no OTLP "resourceSpans", no Jaeger "data", not a Zipkin list of spans, no stdouttrace "SpanContext", no ConsoleSpanExporter "context"). tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go\'s stdouttrace and Python\'s and JS\'s ConsoleSpanExporter print; --format names one.',
    ],
    [
      '[]',
      'is Zipkin JSON, but line 1 is Jaeger JSON: a file holds one format. Split the dump into one file per format.',
    ],
  ])(
    'refuses a Jaeger dump whose later line %s the Jaeger reader would take, as the ordinary reader does',
    async (bad, cause) => {
      const doc: unknown = JSON.parse(readFileSync(join(ROOT, 'fixtures/dumps/checkout-broken.jaeger.json'), 'utf8'));
      const lines = Array.from({ length: 12 }, () => JSON.stringify(doc));
      lines.splice(9, 0, bad);
      const { parallel, sequential, started } = await bothWays(write('jaeger-bad.jsonl', `${lines.join('\n')}\n`));
      const reason = bad === '[]' ? 'mixed-formats' : 'unknown-format';
      const message = `[tracehop] Failed to read spans from "dump.jsonl": line 10 ${cause}`;
      expect([parallel, started]).toEqual([{ ok: false, reason, file: 'dump.jsonl', line: 10, message }, 2]);
      expect(sequential).toEqual(parallel);
    },
  );

  it.each([
    ['throws', 'throw new Error("worker crashed")'],
    ['exits without a word', 'process.exit(3)'],
  ])('reads the file the ordinary way when a worker %s', async (_what, body) => {
    const broken = jest.spyOn(workerThreads, 'Worker').mockImplementation(() => new RealWorker(body, { eval: true }));
    const path = write('crash.jsonl', `${manyLines().join('\n')}\n`);
    const { parallel, sequential, started } = await bothWays(path, 3, broken);
    const read = parallel as Awaited<ReturnType<typeof ReadDumpFile>>;
    expect([parallel, started, read.ok && read.spans.length]).toEqual([sequential, 2, 138]);
  });

  it('starts no worker for files it cannot cut: one pretty document, one line, protobuf, gzip, small, 1 worker', async () => {
    const lines = `${manyLines().join('\n')}\n`;
    const cases: Array<[string, { workers: number; minBytes?: number }]> = [
      [write('pretty.json', JSON.stringify(JSON.parse(otlpLine(1, 3)), null, 2)), { workers: 3, minBytes: 0 }],
      [write('one.jsonl', `${otlpLine(1, 3)}\n`), { workers: 3, minBytes: 0 }],
      [join(ROOT, 'fixtures/dumps/checkout-broken.pb'), { workers: 3, minBytes: 0 }],
      [write('lines.jsonl.gz', gzipSync(Buffer.from(lines))), { workers: 3, minBytes: 0 }],
      [write('small.jsonl', lines), { workers: 3 }],
      [write('single.jsonl', lines), { workers: 1, minBytes: 0 }],
    ];
    const spy = countWorkers();
    try {
      const read = [];
      for (const [path, parallel] of cases) read.push((await readDumpFile(path, 'x', { parallel })).ok);
      expect([read, spy.mock.calls.length]).toEqual([[true, true, true, true, true, true], 0]);
    } finally {
      spy.mockRestore();
    }
  });

  it('gives tracehop check the same verdict with 3 threads as with 1 on a dump over 16 MB', async () => {
    const run = (workers: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        const env = { ...process.env, TRACEHOP_DUMP_WORKERS: workers };
        const args = [join(ROOT, 'bin/tracehop.js'), 'check', '--json', 'big.jsonl'];
        execFile(process.execPath, args, { cwd: dir, env, maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
        );
      });
    // The test lines, repeated past the 16 MB above which tracehop check reads with workers.
    const block = manyLines().join('\n');
    const copies = Math.ceil((17 * 1024 * 1024) / block.length);
    write('big.jsonl', `${Array.from({ length: copies }, () => block).join('\n')}\n`);
    const [one, three, bad] = [await run('1'), await run('3'), await run('many')];
    expect([three.code, three.stderr]).toEqual([one.code, one.stderr]);
    expect(three.stdout).toBe(one.stdout);
    // Every copy of the block re-sends the same spans: each counts once, as check folds re-sent spans, and
    // its duplicate-export warning counts every copy read.
    const verdict = JSON.parse(one.stdout) as { spans: number; warnings: { kind: string; count?: number }[] };
    const counts = new Set(verdict.warnings.filter((w) => w.kind === 'duplicate-export').map((w) => w.count));
    expect([verdict.spans, [...counts]]).toEqual([138, [copies]]);
    expect(bad).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '[tracehop] Failed to read the environment: TRACEHOP_DUMP_WORKERS="many" is not a number of threads. Give a whole number from 1 to 64 (1 reads on the main thread), or unset it.\n',
    });
  });

  it('reads a small dump with threads when TRACEHOP_DUMP_PARALLEL_MIN_BYTES lowers the size, as tests do', async () => {
    const { main } = require(join(ROOT, 'dist/harness/cli/index.js')) as { main: typeof Main };
    const run = async (env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> => {
      let stdout = '';
      let stderr = '';
      const io = {
        stdout: (t: string) => void (stdout += t),
        stderr: (t: string) => void (stderr += t),
        env,
        cwd: dir,
      };
      const code = await main(['check', '--json', 'small.jsonl'], io);
      return { code, stdout, stderr };
    };
    write('small.jsonl', `${manyLines().join('\n')}\n`);
    const spy = countWorkers();
    try {
      const threads = await run({ TRACEHOP_DUMP_WORKERS: '3', TRACEHOP_DUMP_PARALLEL_MIN_BYTES: '0' });
      const started = spy.mock.calls.length;
      const one = await run({ TRACEHOP_DUMP_WORKERS: '3' });
      expect([threads, started, spy.mock.calls.length]).toEqual([one, 2, 2]);
    } finally {
      spy.mockRestore();
    }
    expect(await run({ TRACEHOP_DUMP_PARALLEL_MIN_BYTES: '16M' })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '[tracehop] Failed to read the environment: TRACEHOP_DUMP_PARALLEL_MIN_BYTES="16M" is not a number of bytes. Give a whole number of bytes (0: any JSON Lines dump is read by several threads), or unset it.\n',
    });
  });
});
