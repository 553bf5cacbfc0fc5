import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import type { main as Main } from '../../harness/cli';
import type { readDumpFile as ReadDumpFile } from '../../harness/model/formats';
import { ROOT } from './support';
import { scratchDir } from '../../harness/test-support/scratch-dir';

/**
 * `tracehop check --json` must print the same, say the same on stderr and exit the same whether a dump is read
 * by worker threads or by the ordinary reader: every dump of fixtures/dumps and test/check, each JSON one again
 * as JSON Lines (so that workers read it), and copies of JSON Lines dumps spoilt the ways dumps are spoilt in
 * the field. Threads are forced on these small files with TRACEHOP_DUMP_PARALLEL_MIN_BYTES=0; the CLI runs
 * in-process from dist/, as the workers load the compiled dump-worker.js.
 */
const { main } = require(join(ROOT, 'dist/harness/cli/index.js')) as { main: typeof Main };
const { readDumpFile } = require(join(ROOT, 'dist/harness/model/formats/read-dump-file.js')) as {
  readDumpFile: typeof ReadDumpFile;
};
const workerThreads = require('node:worker_threads') as typeof WorkerThreads;
const RealWorker = workerThreads.Worker;

const dir = scratchDir('tracehop-differential-');
/** The main thread reads the first half of a file and one worker the second (more workers only cost time here). */
const THREADS = { TRACEHOP_DUMP_WORKERS: '2', TRACEHOP_DUMP_PARALLEL_MIN_BYTES: '0' };
const ONE = { TRACEHOP_DUMP_WORKERS: '1' };

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function check(file: string, env: Record<string, string>): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), env, cwd: dir };
  const code = await main(['check', '--json', file], io);
  return { code, stdout, stderr };
}

/** Every file under `path` but the TypeScript sources, relative to the repository. */
function dumpsUnder(path: string): string[] {
  return readdirSync(join(ROOT, path), { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? dumpsUnder(join(path, entry.name))
        : entry.name.endsWith('.ts')
          ? []
          : [join(path, entry.name)],
    )
    .sort();
}

const DUMPS = [...dumpsUnder('fixtures/dumps'), ...dumpsUnder('test/check')];

/**
 * The file's JSON documents one a line, or undefined when it is no JSON: one document, JSON Lines, or pretty
 * documents one after another (as Python's ConsoleSpanExporter prints them).
 */
function asLines(text: string): string[] | undefined {
  const ways = [(all: string) => [all], (all: string) => all.split('\n'), (all: string) => all.split(/\n(?=[{[])/)];
  for (const split of ways) {
    try {
      const documents = split(text).filter((document) => document.trim() !== '');
      return documents.map((document) => JSON.stringify(JSON.parse(document)));
    } catch {
      // The next way to split.
    }
  }
  return undefined;
}

const fixture = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const compact = (path: string): string => JSON.stringify(JSON.parse(fixture(path)));
const OTLP = fixture('fixtures/dumps/checkout-ok.jsonl').trimEnd().split('\n');
const JAEGER = compact('fixtures/dumps/checkout-broken.jaeger.json');
const ZIPKIN = compact('fixtures/dumps/checkout-broken.zipkin.json');
const DEBUG_LOG =
  '2026-12-05T02:26:37.531Z\tinfo\tTraces\t{"otelcol.component.id": "debug", "otelcol.component.kind": "exporter", "otelcol.signal": "traces", "resource spans": 1, "spans": 1}\n2026-12-05T02:26:37.531Z\tinfo\tResourceSpans #0\nResource SchemaURL: \nResource attributes:\n     -> service.name: Str(payment-api)\nScopeSpans #0\nSpan #0\n    Trace ID       : c1fb3ccc6a3f105d8eaa7ca7e6e17b38\n    Parent ID      : \n    ID             : 777e07e947ecf928\n';

/** Lines that turn up among a dump's lines: other formats, trace stores' answers, HTTP error bodies, damage. */
const STRAYS: Record<string, string> = {
  'a Jaeger answer of no data': '{"data":null,"errors":null}',
  'a Jaeger error answer': '{"data":[],"errors":[{"code":404,"msg":"trace not found"}]}',
  'a Jaeger answer with errors beside its traces': JSON.stringify({
    ...(JSON.parse(JAEGER) as object),
    errors: [{ code: 500, msg: 'one trace timed out' }],
  }),
  'a Jaeger answer': JAEGER,
  'a Zipkin answer': ZIPKIN,
  'an empty Zipkin list': '[]',
  'a Tempo answer': '{"batches":[]}',
  'a Tempo PARTIAL answer': JSON.stringify({
    trace: JSON.parse(OTLP[0] ?? '') as unknown,
    status: 'PARTIAL',
    message: 'trace exceeds max size',
  }),
  'a Jaeger api/v3 chunk': JSON.stringify({ result: JSON.parse(OTLP[1] ?? '') as unknown }),
  'a Jaeger api/v3 error': JSON.stringify({ error: { grpcCode: 5, httpCode: 404, message: 'trace not found' } }),
  'a Tempo search answer': JSON.stringify({ traces: [{ traceID: 'f20e22c7fc8de46c4008c9ec7f99cbb6' }] }),
  'a 404 body': '404 page not found',
  'an HTML error page': '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
  'a Collector debug exporter log line': DEBUG_LOG.split('\n')[1] ?? '',
  'a shell comment': '# partial answer: 2 of 3 traces fetched',
  'an OTLP metrics document': '{"resourceMetrics":[]}',
  'a cut-off line': (OTLP[2] ?? '').slice(0, 90),
  'two answers on one line (curl >>)': `${OTLP[0] ?? ''}${OTLP[1] ?? ''}`,
  'a line of NUL bytes': '\u0000\u0000\u0000\u0000',
  'a lone brace': '{',
  'an empty object': '{}',
  'a JSON null': 'null',
  'a blank line': '',
};

type Case = [name: string, bytes: string | Buffer];

/** Every dump as it is; and each JSON one as JSON Lines, three times over, those of one format in one file. */
async function dumps(): Promise<Case[]> {
  const all: Case[] = [];
  const byFormat = new Map<string, string[]>();
  for (const path of DUMPS) {
    const bytes = readFileSync(join(ROOT, path));
    all.push([path, bytes]);
    const lines = asLines(bytes.toString('utf8'));
    if (lines === undefined) continue;
    const text = `${[...lines, ...lines, ...lines].join('\n')}\n`;
    writeFileSync(join(dir, 'lines'), text);
    // One file a format (workers cost a start each), but a file that fails alone stays alone, where it fails.
    const read = await readDumpFile(join(dir, 'lines'), 'lines', { parallel: false });
    if (read.ok && read.format !== undefined) byFormat.set(read.format, [...(byFormat.get(read.format) ?? []), text]);
    else all.push([`${path} as JSON Lines`, text]);
  }
  for (const [format, texts] of byFormat) all.push([`every ${format} dump as JSON Lines`, texts.join('')]);
  return all;
}

/** JSON Lines dumps with a stray line: early (read on the main thread) and last (read by the worker). */
function strays(): Case[] {
  const all: Case[] = [];
  const bases: Array<[string, string[], number[]]> = [
    ['OTLP/JSON Lines', [...OTLP, ...OTLP], [1, 2 * OTLP.length]],
    ['Jaeger JSON Lines', Array.from({ length: 6 }, () => JAEGER), [6]],
    ['Zipkin JSON Lines', Array.from({ length: 6 }, () => ZIPKIN), [6]],
  ];
  for (const [base, lines, places] of bases)
    for (const [stray, line] of Object.entries(STRAYS))
      for (const at of places) {
        const spoilt = [...lines];
        spoilt.splice(at, 0, line);
        all.push([`${base} with ${stray} at line ${at + 1}`, `${spoilt.join('\n')}\n`]);
      }
  return all;
}

/** An OTLP/JSON Lines dump damaged or joined as files are in the field. */
function damaged(): Case[] {
  const text = `${[...OTLP, ...OTLP, ...OTLP].join('\n')}\n`;
  const bytes = Buffer.from(text);
  const badByte = Buffer.from(text);
  badByte[bytes.indexOf('checkout', bytes.length / 2)] = 0xff;
  return [
    ['CRLF line ends', text.replace(/\n/g, '\r\n')],
    ['a byte order mark', `\ufeff${text}`],
    ['a BOM and CRLF', `\ufeff${text.replace(/\n/g, '\r\n')}`],
    ['no newline at the end', text.trimEnd()],
    ['a last line cut short', text.slice(0, -60)],
    ['a last line cut short, a newline after it', `${text.slice(0, -60)}\n`],
    ['bad UTF-8 in a span name', badByte],
    ['a line of bad UTF-8', Buffer.concat([bytes, Buffer.from([0xc3, 0x28, 0xff, 0x0a]), bytes])],
    ['blank lines between every line', text.replace(/\n/g, '\n\n')],
    ['a blank first line', `\n${text}`],
    ['curl >> of answers with no newline between', [...OTLP, ...OTLP].join('')],
    ['curl >> of two dumps, the first with no newline at its end', `${text.trimEnd()}${text}`],
    ['a Collector debug exporter log', DEBUG_LOG],
    ['OTLP/JSON Lines, then the Collector debug exporter log', `${text}${DEBUG_LOG}`],
    ['OTLP/JSON Lines, then a pretty document', `${text}${JSON.stringify(JSON.parse(OTLP[0] ?? ''), null, 2)}\n`],
  ];
}

/**
 * Checks each case both ways: the cases whose outcomes differ (none, when the readers agree), and those that
 * workers read.
 */
async function bothWays(cases: readonly Case[]): Promise<{ differing: object[]; threaded: string[] }> {
  const spy = jest
    .spyOn(workerThreads, 'Worker')
    .mockImplementation((...args: ConstructorParameters<typeof RealWorker>) => new RealWorker(...args));
  const differing: Array<{ name: string; threads: Outcome; one: Outcome }> = [];
  const threaded: string[] = [];
  try {
    for (const [k, [name, bytes]] of cases.entries()) {
      const file = `dump-${k}`;
      writeFileSync(join(dir, file), bytes);
      const before = spy.mock.calls.length;
      const threads = await check(file, THREADS);
      if (spy.mock.calls.length > before) threaded.push(name);
      const one = await check(file, ONE);
      // The file's name differs from case to case; the case's name says which it was.
      if (JSON.stringify(threads) !== JSON.stringify(one)) differing.push({ name, threads, one });
    }
  } finally {
    spy.mockRestore();
  }
  return { differing, threaded };
}

/** A worker starts in tens of milliseconds, and in hundreds on a loaded machine: these tests may take a while. */
const BOUND_MS = 120_000;

describe('tracehop check reading a dump with threads and without', () => {
  it(
    'prints the same, says the same and exits the same for every dump, and every JSON one as JSON Lines',
    async () => {
      const { differing, threaded } = await bothWays(await dumps());
      expect(differing).toEqual([]);
      expect(threaded).toEqual(
        expect.arrayContaining([
          'fixtures/dumps/checkout-ok.jsonl',
          'every otlp-json dump as JSON Lines',
          'every jaeger dump as JSON Lines',
          'every zipkin dump as JSON Lines',
          'every go-stdouttrace dump as JSON Lines',
          'every python-console dump as JSON Lines',
        ]),
      );
    },
    BOUND_MS,
  );

  it(
    'does so for JSON Lines with a stray line among them, early or last',
    async () => {
      const cases = strays();
      const { differing, threaded } = await bothWays(cases);
      expect([differing, threaded.length, cases.length]).toEqual([[], 4 * 23, 4 * 23]);
    },
    BOUND_MS,
  );

  it(
    'does so for JSON Lines damaged or joined',
    async () => {
      const { differing, threaded } = await bothWays(damaged());
      expect([differing, threaded.length]).toEqual([[], 12]);
    },
    BOUND_MS,
  );
});
