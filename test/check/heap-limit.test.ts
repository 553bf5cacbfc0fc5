/**
 * `tracehop check` of a dump too large for the heap Node.js was given stops with a message of ours saying how to
 * go on, before V8 aborts with its own "JavaScript heap out of memory" (a crash, exit 134). Run in a child
 * process with a 32 MB old space, where about 50k checkout spans fill it.
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

it('stops before V8 runs out of heap, saying how to go on', async () => {
  const dir = scratchDir('tracehop-heap-');
  writeFileSync(join(dir, 'staging.jsonl'), checkouts(8000));
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=32', join(ROOT, 'bin/tracehop.js'), 'check', '--expect', CHAIN, 'staging.jsonl'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  // How many spans were read and how much heap they fill moves with V8's collections: the numbers are N.
  expect({ code, stdout, stderr: stderr.replace(/\b\d+\b/g, 'N') }).toEqual({
    code: 2,
    stdout: '',
    stderr:
      '[tracehop] Failed to read spans from "staging.jsonl": the N spans read up to line N (and those of the files before it) fill N MB of the N MB of heap Node.js may use, and checking them needs about two thirds as much again: V8 would stop with "JavaScript heap out of memory". Give Node.js more heap (NODE_OPTIONS=--max-old-space-size=N, in MB, before the tracehop command; more still if the dump goes on well past this point), or split the dump by time and check each part.\n',
  });
});
