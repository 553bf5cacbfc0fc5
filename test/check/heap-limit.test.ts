/**
 * `tracehop check` of a dump too large for the heap Node.js was given stops with a message of ours saying how to
 * go on, before V8 aborts with its own "JavaScript heap out of memory" (a crash, exit 134); one that fits is
 * checked. Run in a child process with a 32 MB old space (42k checkout spans are checked, 49k run out of heap),
 * or 96 MB.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../harness/test-support/scratch-dir';
import { CHAIN, ROOT } from './support';

/** `runs` checkouts (fixtures/dumps/checkout-ok.jsonl, 7 spans each), each with trace and span ids of its own. */
function checkouts(runs: number): string {
  const lines = readFileSync(join(ROOT, 'fixtures/dumps/checkout-ok.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const out: string[] = [];
  for (let run = 1; run <= runs; run++) {
    const prefix = run.toString(16).padStart(8, '0');
    for (const line of lines)
      out.push(line.replace(/"(traceId|spanId|parentSpanId)":"\w{8}/g, (_, key: string) => `"${key}":"${prefix}`));
  }
  return `${out.join('\n')}\n`;
}

/** The dump of `runs` checkouts as one OTLP/JSON document: on one line, or with `[` on a line of its own. */
function checkoutsDocument(runs: number, oneLine: boolean): string {
  const lines = checkouts(runs)
    .split('\n')
    .filter((line) => line !== '');
  const batches = lines.map((line) => JSON.stringify((JSON.parse(line) as { resourceSpans: unknown[] }).resourceSpans));
  return `{"resourceSpans":[${oneLine ? '' : '\n'}${batches.map((batch) => batch.slice(1, -1)).join(',')}]}\n`;
}

/**
 * `tracehop check --expect CHAIN FILE` of `text` in a child process with an old space of `mb` MB, `env` added to
 * its environment.
 */
async function checkInHeap(
  mb: number,
  file: string,
  text: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = scratchDir('tracehop-heap-');
  writeFileSync(join(dir, file), text);
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${mb}`, join(ROOT, 'bin/tracehop.js'), 'check', '--expect', CHAIN, file],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

it('checks a dump whose spans fit though the heap in use, garbage and all, is past the share', async () => {
  // 133k spans with a 96 MB old space: 49 MB live, under 60% of it, and checked (161k are, 168k run out of heap).
  // The heap in use, garbage and all, passed 60% between 119k and 127k spans read, where the check was stopped.
  expect(await checkInHeap(96, 'staging.jsonl', checkouts(19000))).toEqual({
    code: 0,
    stdout:
      '[tracehop] OK: 19000 traces, 133000 spans, no problems; mobile-app -> api-gateway -> payment-api -> fraud-service run in one trace in each of 19000 runs.\n',
    stderr: '',
  });
});

it.each([
  ['on one line', true, 'the document on line 1'],
  ['pretty-printed', false, 'the document'],
])(
  'refuses a JSON document the heap cannot hold parsed (%s) before parsing it, saying how to go on',
  async (_, oneLine, what) => {
    // 12 MB of JSON: parsed, about 30 MB more; V8 ran out of heap inside JSON.parse, past any look between spans.
    const { code, stdout, stderr } = await checkInHeap(32, 'tempo.json', checkoutsDocument(5000, oneLine));
    expect({ code, stdout, stderr: stderr.replace(/\b\d+\b/g, 'N') }).toEqual({
      code: 2,
      stdout: '',
      stderr: `[tracehop] Failed to read spans from "tempo.json": ${what.replace(/\d+/, 'N')} is N MB of JSON, and parsing it takes about N MB of heap at once, more than the N MB left of the N MB Node.js may use: V8 would stop with "JavaScript heap out of memory". Split it into JSON Lines, one ResourceSpans a line, and check those: jq -c '.resourceSpans[]' tempo.json > tempo.split.jsonl. Or give Node.js more heap (NODE_OPTIONS=--max-old-space-size=N, in MB, before the tracehop command).\n`,
    });
  },
);

it.each([
  ['its first line', 1],
  ['a later line', 2],
])(
  'refuses a JSON Lines document the heap cannot hold parsed on %s before parsing it, read by threads too',
  async (_, at) => {
    // Read by two threads, the main one parsed the line unguarded and V8 aborted (exit 134).
    const lines = readFileSync(join(ROOT, 'fixtures/dumps/checkout-ok.jsonl'), 'utf8').split('\n');
    const text = [...lines.slice(0, at - 1), checkoutsDocument(5000, true).trimEnd(), ...lines.slice(at - 1)].join(
      '\n',
    );
    const threads = { TRACEHOP_DUMP_WORKERS: '2', TRACEHOP_DUMP_PARALLEL_MIN_BYTES: '0' };
    const { code, stdout, stderr } = await checkInHeap(32, 'staging.jsonl', text, threads);
    expect({ code, stdout, stderr: stderr.replace(/\b\d+\b/g, 'N') }).toEqual({
      code: 2,
      stdout: '',
      stderr: `[tracehop] Failed to read spans from "staging.jsonl": the document on line N is N MB of JSON, and parsing it takes about N MB of heap at once, more than the N MB left of the N MB Node.js may use: V8 would stop with "JavaScript heap out of memory". Split it into JSON Lines, one ResourceSpans a line, and check those: jq -c '.resourceSpans[]' staging.jsonl > staging.split.jsonl. Or give Node.js more heap (NODE_OPTIONS=--max-old-space-size=N, in MB, before the tracehop command).\n`,
    });
    expect(stderr).toContain(`the document on line ${at} is`);
  },
);

it('stops before V8 runs out of heap, saying how to go on', async () => {
  const { code, stdout, stderr } = await checkInHeap(32, 'staging.jsonl', checkouts(8000));
  // How many spans were read and how much heap they fill moves with V8's collections: the numbers are N.
  expect({ code, stdout, stderr: stderr.replace(/\b\d+\b/g, 'N') }).toEqual({
    code: 2,
    stdout: '',
    stderr:
      '[tracehop] Failed to read spans from "staging.jsonl": the N spans read up to line N (and those of the files before it) fill N MB of the N MB of heap Node.js may use, and checking them needs about two thirds as much again: V8 would stop with "JavaScript heap out of memory". Give Node.js more heap (NODE_OPTIONS=--max-old-space-size=N, in MB, before the tracehop command; more still if the dump goes on well past this point), or split the dump by time and check each part.\n',
  });
});
