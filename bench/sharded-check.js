#!/usr/bin/env node
'use strict';
/**
 * An experiment, not a row of the bench: `tracehop check` sharded by trace on 2 threads, to measure how far
 * threads can take the check row on this machine (docs/PERFORMANCE.md). Each thread decodes half of the
 * 250k-span bench dump, keeps the spans of the traces it owns (by the last hex digit of the trace id), posts
 * the others packed to the other thread, then groups and checks its own traces with verifySpans and the same
 * --expect. The product does not do this: on 2 cores it measured no faster than the ordinary check.
 *
 * Usage: npm run build && node bench/sharded-check.js   (TRACEHOP_BENCH_ROUNDS rounds, default 4)
 * Each round times, one after the other: the sharded check, `tracehop check`, a bare JSON.parse of each line.
 */
const { spawnSync } = require('node:child_process');
const { mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync, statSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const { writeWideDump } = require('./dumps');

const ROOT = process.env.TRACEHOP_BENCH_ROOT || join(__dirname, '..');
const ROUNDS = Math.max(1, Number(process.env.TRACEHOP_BENCH_ROUNDS) || 4);
const EXPECT = ['mobile-app', 'api-gateway', 'payment-api'];
const lib = (path) => require(join(ROOT, 'dist/harness', path));

/** Byte ranges of the two halves, cut at a line boundary. */
function halves(file) {
  const size = statSync(file).size;
  const probe = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  const read = readSync(fd, probe, 0, probe.length, Math.floor(size / 2));
  closeSync(fd);
  const newline = probe.subarray(0, read).indexOf(0x0a);
  if (newline === -1) throw new Error(`no line break in the middle of ${file}`);
  const cut = Math.floor(size / 2) + newline + 1;
  return [
    [0, cut],
    [cut, size],
  ];
}

/**
 * One thread's share: decodes half `k` of the file, keeps the spans it owns, posts the others packed (`send`),
 * waits for the other thread's `done`, then checks the spans it owns. `received` collects what the other sent.
 */
async function share(file, k, send, received, otherDone) {
  const { decodeDumpPart } = lib('model/formats/dump-part.js');
  const { SpanBatchWriter } = lib('model/formats/span-batch.js');
  const { verifySpans } = lib('verify/verify.js');
  const [start, end] = halves(file)[k];
  const own = [];
  const writer = new SpanBatchWriter();
  const flush = () => {
    if (writer.count === 0) return;
    const { batch, transfer } = writer.take();
    send({ kind: 'batch', batch }, transfer);
  };
  const part = { path: file, label: file, start, end, format: 'otlp-json', maxBytes: 1 << 29 };
  const outcome = await decodeDumpPart(part, (spans, line) => {
    for (const span of spans) {
      if ((span.traceId.charCodeAt(31) & 1) === k) own.push(span);
      else {
        writer.add(span, line);
        if (writer.count >= 8192) flush();
      }
    }
  });
  if (!outcome.ok) throw new Error(`could not read half ${k} of ${file}`);
  flush();
  send({ kind: 'done' });
  await otherDone;
  const readMs = process.uptime() * 1000;
  for (const span of received) own.push(span);
  const verdict = verifySpans(own, { expect: EXPECT });
  const checkMs = process.uptime() * 1000 - readMs;
  return { traces: verdict.traces.length, spans: own.length, problems: verdict.problems.length, readMs, checkMs };
}

/** Wires a message port to `share`: batches are unpacked into `received` as they arrive. */
function listen(port) {
  const { readSpanBatch } = lib('model/formats/span-batch.js');
  const received = [];
  const source = { file: 'other half', line: 0 };
  let markDone;
  const otherDone = new Promise((resolve) => (markDone = resolve));
  let markSummary;
  const summary = new Promise((resolve) => (markSummary = resolve));
  port.on('message', (message) => {
    if (message.kind === 'batch') readSpanBatch(message.batch, () => source, received);
    else if (message.kind === 'done') markDone();
    else if (message.kind === 'summary') markSummary(message.summary);
  });
  return { received, otherDone, summary };
}

/** The sharded check of `file`, in this process: prints {traces, spans, problems}. */
async function runSharded(file) {
  const worker = new Worker(__filename, {
    workerData: { file },
    resourceLimits: { maxYoungGenerationSizeMb: 48 },
  });
  const { received, otherDone, summary } = listen(worker);
  const mine = await share(file, 0, (message, transfer) => worker.postMessage(message, transfer), received, otherDone);
  const theirs = await summary;
  await worker.terminate();
  // readMs: from process start until both halves were read and exchanged; checkMs: the slower thread's checks.
  const total = {
    traces: mine.traces + theirs.traces,
    spans: mine.spans + theirs.spans,
    problems: mine.problems + theirs.problems,
    readMs: Math.round(mine.readMs),
    checkMs: Math.round(Math.max(mine.checkMs, theirs.checkMs)),
  };
  process.stdout.write(`${JSON.stringify(total)}\n`);
}

async function workerMain() {
  const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
  const { received, otherDone } = listen(port);
  const summary = await share(
    workerData.file,
    1,
    (message, transfer) => port.postMessage(message, transfer),
    received,
    otherDone,
  );
  port.postMessage({ kind: 'summary', summary });
}

function timed(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

function bareParse(file) {
  const started = performance.now();
  let count = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    for (const rs of JSON.parse(line).resourceSpans) for (const ss of rs.scopeSpans) count += ss.spans.length;
  }
  return { ms: performance.now() - started, count };
}

function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tracehop-sharded-'));
  try {
    const file = join(dir, 'wide.jsonl');
    const spans = writeWideDump(file, 50_000);
    const load = () =>
      loadavg()
        .map((n) => n.toFixed(2))
        .join(' ');
    console.log(`${ROUNDS} rounds over ${spans} spans; load average before: ${load()}`);
    console.log('round  sharded ms  (read, check)  tracehop check ms  bare parse ms');
    for (let round = 1; round <= ROUNDS; round++) {
      const sharded = timed([__filename, '--run', file]);
      const check = timed([join(ROOT, 'bin/tracehop.js'), 'check', '--json', '--expect', EXPECT.join(','), file]);
      const bare = bareParse(file);
      const got = JSON.parse(sharded.stdout);
      const want = JSON.parse(check.stdout);
      if (got.traces !== want.traces || got.spans !== want.spans || got.problems !== want.problems.length)
        throw new Error(`the sharded check disagrees: ${sharded.stdout.trim()} vs ${want.traces} traces`);
      if (bare.count !== spans) throw new Error(`the bare parse counted ${bare.count} spans`);
      const cells = [sharded.ms, check.ms, bare.ms].map((ms) => ms.toFixed(0).padStart(10));
      const phases = `(${got.readMs}, ${got.checkMs})`.padStart(14);
      console.log(
        `${String(round).padStart(5)} ${cells[0]} ${phases} ${cells[1].padStart(18)} ${cells[2].padStart(14)}`,
      );
    }
    console.log(`load average after: ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread) void workerMain();
else if (process.argv[2] === '--run') void runSharded(process.argv[3]);
else main();
