import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { asSpanId, asTraceId, encodeOtlpJson, type Span } from '../../harness/model';
import { CHAIN, NO_CHAIN_NOTE, ROOT, tempFiles } from './support';

/** Runs the built bin (`npm run build` first; `npm test` does). */
function runBin(
  args: string[],
  cwd = ROOT,
  nodeArgs: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, join(ROOT, 'bin/tracehop.js'), ...args],
      { cwd },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

describe('the built tracehop bin', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/harness/cli/main.js')))
      throw new Error('dist/ is missing: run "npm run build" before these tests');
  });

  it('exits 0 on the README example', async () => {
    expect(await runBin(['check', '--expect', CHAIN, 'fixtures/dumps/checkout-ok.jsonl'])).toEqual({
      code: 0,
      stdout:
        '[tracehop] OK: 1 trace, 7 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace.\n',
      stderr: '',
    });
  });

  it("exits 1 on the README's real OpenTelemetry Go stdouttrace example, naming the hop that started a new trace", async () => {
    const result = await runBin([
      'check',
      '--json',
      '--expect=web-shop,api-gateway,payment-api',
      'fixtures/dumps/go-stdouttrace/checkout-broken.jsonl',
    ]);
    expect([result.code, result.stderr]).toEqual([1, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      traces: 2,
      spans: 5,
      problems: [{ kind: 'broken-chain', spanId: '8f165d8dfd4edd82', service: 'payment-api' }],
    });
  });

  it('exits 1 with JSON naming the broken hop', async () => {
    const result = await runBin(['check', '--json', '--expect', CHAIN, 'fixtures/dumps/checkout-broken.jsonl']);
    expect([
      result.code,
      JSON.parse(result.stdout).problems.map((p: { kind: string; service: string }) => `${p.kind} ${p.service}`),
      result.stderr,
    ]).toEqual([1, ['broken-chain payment-api'], '']);
  });

  (process.platform === 'win32' ? it.skip : it)(
    "reads a dump from a pipe (/dev/stdin, or a shell's <(...)), gzipped or not, as from a file",
    async () => {
      const fromPipe = (bytes: Buffer) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const args = [join(ROOT, 'bin/tracehop.js'), 'check', '--json', '--expect', CHAIN, '/dev/stdin'];
          const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.on('close', (code) => resolve({ code, stdout, stderr }));
          child.stdin.end(bytes);
        });
      const broken = readFileSync(join(ROOT, 'fixtures/dumps/checkout-broken.jsonl'));
      const results = await Promise.all([fromPipe(broken), fromPipe(gzipSync(broken))]);
      expect(
        results.map((r) => [r.code, JSON.parse(r.stdout).problems.map((p: { kind: string }) => p.kind), r.stderr]),
      ).toEqual([
        [1, ['broken-chain'], ''],
        [1, ['broken-chain'], ''],
      ]);
    },
  );

  it('stops quietly when the reader closes the pipe early (| head) and still exits with the verdict', async () => {
    const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
    const spans = Array.from({ length: 3000 }, (_, i): Span => ({
      traceId: asTraceId(hex(i + 1, 32)),
      spanId: asSpanId(hex(i + 1, 16)),
      name: 'GET /health',
      kind: 'server',
      service: 'api-gateway',
      startTimeMs: 1_795_651_200_000 + i,
      endTimeMs: 1_795_651_200_001 + i,
      attributes: {},
    }));
    // About 250 KB of JSON: far more than a pipe holds, so the writes go on after the reader is gone.
    const dir = tempFiles({ 'many.json': JSON.stringify(encodeOtlpJson(spans)) });
    const child = spawn(process.execPath, [join(ROOT, 'bin/tracehop.js'), 'check', '--json', 'many.json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: NO_CHAIN_NOTE });
  });

  // /dev/full fails every write with ENOSPC (Linux); macOS has no such device.
  (existsSync('/dev/full') ? it : it.skip)('says once that stdout cannot be written and exits 2', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const args = [join(ROOT, 'bin/tracehop.js'), 'check', '--json', 'fixtures/dumps/checkout-ok.jsonl'];
      const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect({ code, stderr }).toEqual({
        code: 2,
        stderr: `${NO_CHAIN_NOTE}[tracehop] Failed to write the output: ENOSPC: no space left on device, write. Check where stdout goes.\n`,
      });
    } finally {
      closeSync(full);
    }
  });

  it('exits 2 on a file that is not OTLP with one line and no stack trace', async () => {
    const dir = tempFiles({ 'not-otlp.json': '{"hello": "world"}' });
    expect(await runBin(['check', 'not-otlp.json'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `[tracehop] Failed to read spans from "not-otlp.json": line 1 is none of the formats tracehop reads (no OTLP "resourceSpans", no Jaeger "data", not a Zipkin list of spans, no stdouttrace "SpanContext", no ConsoleSpanExporter "context"). tracehop reads OTLP/JSON, OTLP protobuf, Jaeger JSON, Zipkin JSON and the spans OpenTelemetry Go's stdouttrace and Python's and JS's ConsoleSpanExporter print; --format names one.\n`,
    });
  });

  it.each([
    [['--help'], 'Usage:\n  tracehop check'],
    [['check', '--help'], 'Usage: tracehop check '],
    [['serve', '--help'], 'Usage: tracehop serve '],
    [['report', '--help'], 'Usage: tracehop report '],
    [['init', '--help'], 'Usage: tracehop init '],
  ])('prints usage on stdout and exits 0 for %j', async (args, start) => {
    const result = await runBin(args);
    expect([result.code, result.stdout.startsWith(start), result.stderr]).toEqual([0, true, '']);
  });

  it.each([['--version'], ['-V'], ['version']])('prints its version from package.json for %s', async (flag) => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await runBin([flag])).toEqual({ code: 0, stdout: `tracehop ${manifest.version}\n`, stderr: '' });
  });

  // A word after --version or --help was dropped without a word (exit 0), where every command refuses one.
  it.each([
    [
      ['--version', 'extra'],
      `Failed to print tracehop's version: there is no option "extra". Run "tracehop --version" alone, or "tracehop <command> --help" for the options of a command.`,
    ],
    [
      ['-V', '--json'],
      `Failed to print tracehop's version: there is no option "--json". Run "tracehop -V" alone, or "tracehop <command> --help" for the options of a command.`,
    ],
    [
      ['--help', 'extra'],
      `Failed to print tracehop's usage: there is no option "extra". Run "tracehop --help" alone, or "tracehop <command> --help" for the options of a command.`,
    ],
    [
      ['help', 'check', 'serve'],
      `Failed to print tracehop's usage: there is no option "check". Run "tracehop check --help" for the options of check.`,
    ],
  ])('exits 2 with the usage on stderr for %j, naming the stray word', async (args, message) => {
    const usage = (await runBin(['--help'])).stdout.replace(/Run "tracehop <command> --help".*\n$/, '');
    expect(await runBin(args)).toEqual({ code: 2, stdout: '', stderr: `[tracehop] ${message}\n${usage}` });
  });

  /** `tracehop <command> --help`, run once per command for the three cases below (each run spawns the bin). */
  const ownHelp = new Map<string, ReturnType<typeof runBin>>();
  it.each([['help'], ['--help'], ['-h']])(
    'prints a command\'s own usage for "tracehop %s <command>", as "git help commit" does',
    async (word) => {
      for (const command of ['check', 'serve', 'report', 'init']) {
        if (!ownHelp.has(command)) ownHelp.set(command, runBin([command, '--help']));
        const own = await ownHelp.get(command)!;
        expect([command, own.code, own.stdout.startsWith('Usage: tracehop '), await runBin([word, command])]).toEqual([
          command,
          0,
          true,
          own,
        ]);
      }
    },
  );

  it('prints the usage for --version --help, as every command does for --help anywhere', async () => {
    const help = await runBin(['--help']);
    expect(await runBin(['--version', '--help'])).toEqual(help);
  });

  it('exits 2 with the usage on stderr when no command is given', async () => {
    const result = await runBin([]);
    expect([result.code, result.stdout, result.stderr.split('\n')[0]]).toEqual([
      2,
      '',
      '[tracehop] Failed to run tracehop: no command was given. Use check, serve, report or init.',
    ]);
  });

  // A near miss got the list of commands alone, with nothing said of the one most likely meant.
  it.each([
    ['chek', 'there is no such command (did you mean "check"?)'],
    ['--verison', 'there is no such command (did you mean "--version"?)'],
    ['lint', 'there is no such command'],
  ])('exits 2 with the usage on stderr for the command %s, naming the one it misspells', async (command, cause) => {
    const result = await runBin([command]);
    expect([result.code, result.stdout, result.stderr.split('\n')[0]]).toEqual([
      2,
      '',
      `[tracehop] Failed to run "tracehop ${command}": ${cause}. Use check, serve, report or init.`,
    ]);
  });

  it.each([
    [['check', '--strict', 'a.json'], '"--strict"'],
    [['serve', '--strict'], '"--strict"'],
    [['report', '--strict'], '"--strict"'],
    [['init', '--strict'], '"--strict"'],
  ])('exits 2 naming the unknown option for %j', async (args, named) => {
    const result = await runBin(args);
    expect([
      result.code,
      result.stdout,
      result.stderr.startsWith('[tracehop] Failed to '),
      result.stderr.includes(named),
    ]).toEqual([2, '', true, true]);
  });

  // The model barrel exports spanFromReadable (from-sdk.ts), and check loads that barrel: it must still start
  // without loading any OpenTelemetry package (the SDK, the API, the semantic conventions).
  it('checks a dump without loading any @opentelemetry package', async () => {
    const dir = tempFiles({
      'record-loads.js': `const Module = require('node:module');
const loaded = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  const match = /^@opentelemetry\\/[^/]+/.exec(request);
  if (match) loaded.add(match[0]);
  return load.call(this, request, ...rest);
};
process.on('exit', () => process.stderr.write('loaded: ' + JSON.stringify([...loaded]) + '\\n'));
`,
    });
    const result = await runBin(['check', '--expect', CHAIN, 'fixtures/dumps/checkout-ok.jsonl'], ROOT, [
      '--require',
      join(dir, 'record-loads.js'),
    ]);
    expect([result.code, result.stderr]).toEqual([0, 'loaded: []\n']);
  });

  // Start-up (docs/PERFORMANCE.md): a check loads no reader of a format its files are not in, nor the capture
  // checks, journey reports and codecs that the verify and propagation barrels would load.
  describe('loads only what the dump needs', () => {
    const NOT_FOR_OTLP_JSON = [
      'model/formats/go-stdouttrace.js',
      'model/formats/index.js',
      'model/formats/jaeger-json.js',
      'model/formats/js-console-file.js',
      'model/formats/js-console.js',
      'model/formats/json-print-file.js',
      'model/formats/otlp-proto-file.js',
      'model/formats/python-console.js',
      'model/formats/react-native-log-file.js',
      'model/formats/react-native-log.js',
      'model/formats/zipkin-json.js',
      'propagation/index.js',
      'verify/capture/index.js',
      'verify/index.js',
      'verify/journey-slice.js',
      'verify/verify-journey.js',
    ];
    const recorder = (): string =>
      join(
        tempFiles({
          'record-loads.js': `const prefix = ${JSON.stringify(join(ROOT, 'dist/harness') + '/')};
process.on('exit', () => {
  const files = Object.keys(require.cache).filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length));
  process.stderr.write(JSON.stringify(files.sort()) + '\\n');
});
`,
        }),
        'record-loads.js',
      );
    const loadedBy = async (dump: string): Promise<string[]> => {
      const result = await runBin(['check', '--json', '--expect', CHAIN, dump], ROOT, ['--require', recorder()]);
      return JSON.parse(result.stderr.trim().split('\n').pop() ?? '[]') as string[];
    };

    it('an OTLP/JSON dump loads none of the other readers', async () => {
      const loaded = await loadedBy('fixtures/dumps/checkout-ok.jsonl');
      expect(loaded.filter((file) => NOT_FOR_OTLP_JSON.includes(file))).toEqual([]);
    });

    it('a Jaeger dump loads the Jaeger reader, and no reader of another format', async () => {
      const loaded = await loadedBy('fixtures/dumps/checkout-broken.jaeger.json');
      expect(loaded.filter((file) => NOT_FOR_OTLP_JSON.includes(file))).toEqual(['model/formats/jaeger-json.js']);
    });
  });
});
