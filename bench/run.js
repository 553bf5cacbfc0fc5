#!/usr/bin/env node
'use strict';
/**
 * Benchmarks tracehop against floors (npm run bench = build + this file). Plain JS over dist/.
 * The backend rows (mock hops, OTLP ingest, waits, memory) live in bench/backend.js; this file runs them
 * after the `tracehop check` rows and ends with one table of every ratio against its goal.
 * TRACEHOP_BENCH_ONLY=check,backend,memory picks parts (all when absent); TRACEHOP_BENCH_MEMORY_SPANS sets
 * how many spans the memory row holds (1,000,000 when absent); TRACEHOP_BENCH_INGEST_BATCHES how many 512-span
 * batches an ingest round posts (40 when absent).
 *  1. a 250k-span JSON Lines dump (50k traces of 5 spans, each trace split over two lines in shuffled
 *     batches): `tracehop check` end to end vs a bare JSON.parse of each line of the same file;
 *  2. one trace 20,000 spans deep, with JSON and with human output (the tree is drawn when it breaks);
 *  3. 1,000 interleaved runs of two journeys (checkout and login) with health checks, every 50th run broken
 *     on one hop, judged run by run with --journeys;
 *  4. 500 and 1,000 checkout runs broken on one hop, all stamped at the same instants (every call fits every
 *     new trace): the second row's time over the first's shows how the start-order pairing grows with runs.
 * Each case runs TRACEHOP_BENCH_ROUNDS times (default 3), interleaved, and the fastest round counts: on a
 * shared machine the fastest round is the one least disturbed by others. Ratios are compared within one
 * run on one machine; no timing claims live in tests. TRACEHOP_BENCH_ROOT points at another build (a
 * checkout with bin/ and dist/) to compare before and after on the same machine.
 */
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { availableParallelism, loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { benchBackend, benchMemory } = require('./backend');

const ROOT = process.env.TRACEHOP_BENCH_ROOT || join(__dirname, '..');
const ROUNDS = Math.max(1, Number(process.env.TRACEHOP_BENCH_ROUNDS) || 3);
const { encodeOtlpJson } = require(join(ROOT, 'dist/harness/model/otlp-json.js'));
const { verifySpans } = require(join(ROOT, 'dist/harness/verify/verify.js'));
const { defaultWorkers } = require(join(ROOT, 'dist/harness/model/formats/read-dump-parallel.js'));

/** Threads that read a large dump by default on this machine (the main thread included). */
const defaultThreads = () => defaultWorkers(availableParallelism());
/** The other way to compare with: the main thread alone where the default uses more, else 2 threads. */
const otherThreads = () => (defaultThreads() > 1 ? 1 : 2);

const BIN = join(ROOT, 'bin', 'tracehop.js');
const { T0, hex, span, writeSameInstantDump, writeWideDump } = require('./dumps');
/** Run counts of the same-instant rows: the second's time over the first's shows how the pairing grows. */
const SAME_INSTANT_RUNS = [500, 1000];
const CHECKOUT_CHAIN = 'mobile-app,api-gateway,payment-api,fraud-service';
function writeDeepDump(path, depth, broken = false) {
  const spans = [];
  // SERVER then CLIENT per hop, hops alternating between two services: every link is a sound one.
  for (let i = 0; i < depth; i++) {
    const service = Math.floor(i / 2) % 2 ? 'api-gateway' : 'payment-api';
    spans.push(span(0, i, i === 0 ? undefined : i - 1, service, i % 2 ? 'client' : 'server', 0));
  }
  // Broken: the deepest hop names a parent nobody exported, so the tree is drawn with the orphan marked.
  if (broken) spans[depth - 1] = { ...spans[depth - 1], parentSpanId: hex(0xfffffff, 16) };
  const lines = [];
  for (let i = 0; i < spans.length; i += 1000)
    lines.push(JSON.stringify(encodeOtlpJson(spans.slice(i, i + 1000).reverse())));
  writeFileSync(path, `${lines.reverse().join('\n')}\n`);
  return depth;
}

const JOURNEYS = [
  {
    name: 'checkout',
    chain: ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'],
    routes: ['POST /checkout', 'POST /payments', 'POST /fraud/score'],
  },
  { name: 'login', chain: ['mobile-app', 'api-gateway', 'auth-service'], routes: ['POST /login', 'POST /sessions'] },
];

/**
 * `runs` runs starting every 3 ms (about five in flight at once), two in three checkouts, one in three logins,
 * each root tagged with tracehop.journey; every `brokenEvery`th run (default 50th) drops traceparent on one
 * hop, so the callee starts a new trace. Plus a health check every 5 ms. Spans are written in end order, 200 a
 * line. Returns the number of broken runs.
 */
function writeMixedDump(path, journeysPath, runs, brokenEvery = 50) {
  const spans = [];
  let nextId = 1;
  let nextTrace = 1;
  const id = () => hex(nextId++, 16);
  let broken = 0;
  for (let r = 0; r < runs; r++) {
    const journey = JOURNEYS[r % 3 === 2 ? 1 : 0];
    const dropAt = r % brokenEvery === brokenEvery - 1 ? r % (journey.chain.length - 1) : -1;
    if (dropAt >= 0) broken++;
    let traceId = hex(nextTrace++, 32);
    const start = T0 + r * 3;
    const base = (spanId, parentSpanId, name, kind, service, t0, t1, attributes = {}) => ({
      traceId,
      spanId,
      ...(parentSpanId ? { parentSpanId } : {}),
      name,
      kind,
      service,
      startTimeMs: t0,
      endTimeMs: t1,
      attributes,
      traceFlags: 1,
    });
    const depth = journey.chain.length;
    let parent = id();
    spans.push(
      base(parent, undefined, journey.name, 'internal', journey.chain[0], start, start + 4 * depth, {
        'tracehop.journey': journey.name,
      }),
    );
    for (let hop = 0; hop < depth - 1; hop++) {
      const t = start + 2 * hop + 1;
      const end = start + 4 * depth - 2 * hop - 1;
      const client = id();
      spans.push(base(client, parent, journey.routes[hop], 'client', journey.chain[hop], t, end));
      const dropped = hop === dropAt;
      if (dropped) traceId = hex(nextTrace++, 32);
      const server = id();
      spans.push(
        base(
          server,
          dropped ? undefined : client,
          journey.routes[hop],
          'server',
          journey.chain[hop + 1],
          t + 1,
          end - 1,
        ),
      );
      parent = server;
    }
  }
  for (let i = 0; i < runs * 0.6; i++) {
    const traceId = hex(nextTrace++, 32);
    spans.push({
      traceId,
      spanId: id(),
      name: 'GET /health',
      kind: 'server',
      service: 'api-gateway',
      startTimeMs: T0 + i * 5,
      endTimeMs: T0 + i * 5 + 1,
      attributes: {},
      traceFlags: 1,
    });
  }
  spans.sort((a, b) => a.endTimeMs - b.endTimeMs);
  const lines = [];
  for (let i = 0; i < spans.length; i += 200) lines.push(JSON.stringify(encodeOtlpJson(spans.slice(i, i + 200))));
  writeFileSync(path, `${lines.join('\n')}\n`);
  writeFileSync(
    journeysPath,
    JSON.stringify({
      journeys: JOURNEYS.map(({ name, chain }) => ({ name, chain, owner: 'bench', criticality: 'critical' })),
    }),
  );
  return { spans: spans.length, broken };
}

/** In-process verifySpans over `traces` five-span traces: shows whether the verifier scales linearly. */
function timeVerify(traces) {
  const spans = [];
  for (let t = 0; t < traces; t++) {
    spans.push(span(t, 0, undefined, 'mobile-app', 'internal', 0), span(t, 1, 0, 'mobile-app', 'client', 1));
    spans.push(
      span(t, 2, 1, 'api-gateway', 'server', 2),
      span(t, 3, 2, 'api-gateway', 'client', 3),
      span(t, 4, 3, 'payment-api', 'server', 4),
    );
  }
  const started = performance.now();
  const verdict = verifySpans(spans, { expect: ['mobile-app', 'api-gateway', 'payment-api'] });
  const ms = performance.now() - started;
  if (verdict.problems.length !== 0 || verdict.traces.length !== traces)
    throw new Error('unexpected verdict in memory');
  return ms;
}

/** In-process verifySpans over ONE trace of `count` spans (a 4-ary tree of one service). */
function timeOneBigTrace(count) {
  const traceId = hex(1, 32);
  const spans = [];
  for (let i = 0; i < count; i++) {
    spans.push({
      traceId,
      spanId: hex(i + 1, 16),
      ...(i > 0 ? { parentSpanId: hex(Math.floor((i - 1) / 4) + 1, 16) } : {}),
      name: 'op',
      kind: 'internal',
      service: 'svc',
      startTimeMs: T0 + i,
      endTimeMs: T0 + 10 * count - i,
      attributes: {},
      traceFlags: 1,
    });
  }
  const started = performance.now();
  const verdict = verifySpans(spans);
  const ms = performance.now() - started;
  if (verdict.problems.length !== 0 || verdict.traces.length !== 1)
    throw new Error('unexpected verdict on the big trace');
  return ms;
}

/** Preloaded into each CLI run: reports the process's own CPU time (user + system) on exit. */
const CPU_PRELOAD = `process.on('exit', () => process.stderr.write('\\ncpu-ms ' + (process.cpuUsage().user + process.cpuUsage().system) / 1000 + '\\n'));`;
let preloadPath;

function cpuMs() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function timeCheck(file, args = [], env = {}) {
  const started = performance.now();
  let code;
  let stdout;
  let stderr;
  try {
    const result = require('node:child_process').spawnSync(
      process.execPath,
      ['--require', preloadPath, BIN, 'check', ...args, file],
      { maxBuffer: 1 << 30, encoding: 'utf8', env: { ...process.env, ...env } },
    );
    code = result.status;
    stdout = result.stdout;
    stderr = result.stderr;
  } catch (error) {
    throw new Error(`could not run tracehop check: ${error.message}`, { cause: error });
  }
  const ms = performance.now() - started;
  const cpu = /cpu-ms ([\d.]+)\n$/.exec(stderr);
  return { ms, cpu: cpu ? Number(cpu[1]) : NaN, code, stdout };
}

function timeBareParse(file) {
  const started = performance.now();
  const cpuStarted = cpuMs();
  const text = readFileSync(file, 'utf8');
  let count = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const doc = JSON.parse(line);
    for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) count += ss.spans.length;
  }
  return { ms: performance.now() - started, cpu: cpuMs() - cpuStarted, count };
}

function timeNodeStart() {
  const started = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  return { ms: performance.now() - started, cpu: NaN };
}

/** Runs every case ROUNDS times, interleaved; keeps each case's fastest round and its least CPU time. */
function fastest(cases) {
  const best = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const result = run();
      const cpu = best[name] ? Math.min(best[name].cpu, result.cpu) : result.cpu;
      if (!best[name] || result.ms < best[name].ms) best[name] = result;
      best[name].cpu = cpu;
    }
  }
  return best;
}

function benchCheck() {
  const dir = mkdtempSync(join(tmpdir(), 'tracehop-bench-'));
  try {
    const wide = join(dir, 'wide.jsonl');
    const wideSpans = writeWideDump(wide, 50_000);
    const deep = join(dir, 'deep.jsonl');
    writeDeepDump(deep, 20_000);
    const deepBroken = join(dir, 'deep-broken.jsonl');
    writeDeepDump(deepBroken, 20_000, true);
    preloadPath = join(dir, 'cpu-report.js');
    writeFileSync(preloadPath, CPU_PRELOAD);
    const mixed = join(dir, 'mixed.jsonl');
    const journeysFile = join(dir, 'journeys.json');
    const mixedDump = writeMixedDump(mixed, journeysFile, 1000);
    // Every run broken: each fragment is tied back to its run by route and time (a search per fragment).
    const allBroken = join(dir, 'all-broken.jsonl');
    const allBrokenDump = writeMixedDump(allBroken, journeysFile, 8000, 1);
    // Every run broken on one hop at the same instants: every call fits every new trace (docs/PERFORMANCE.md).
    const sameInstant = SAME_INSTANT_RUNS.map((runs) => {
      const file = join(dir, `same-instant-${runs}.jsonl`);
      return { file, ...writeSameInstantDump(file, runs) };
    });
    const one = join(dir, 'one.json');
    writeFileSync(one, JSON.stringify(encodeOtlpJson([span(0, 0, undefined, 'mobile-app', 'internal', 0)])));
    const load = loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');

    const best = fastest({
      node: timeNodeStart,
      startup: () => timeCheck(one, ['--json']),
      parse: () => timeBareParse(wide),
      check: () => timeCheck(wide, ['--json', '--expect', 'mobile-app,api-gateway,payment-api']),
      checkThreads: () =>
        timeCheck(wide, ['--json', '--expect', 'mobile-app,api-gateway,payment-api'], {
          TRACEHOP_DUMP_WORKERS: String(otherThreads()),
        }),
      deepJson: () => timeCheck(deep, ['--json']),
      deepHuman: () => timeCheck(deepBroken),
      mixedJson: () => timeCheck(mixed, ['--json', '--journeys', journeysFile]),
      allBrokenJson: () => timeCheck(allBroken, ['--json', '--journeys', journeysFile]),
      ...Object.fromEntries(
        sameInstant.map(({ file, runs }) => [
          `sameInstant${runs}`,
          () => timeCheck(file, ['--json', '--expect', CHECKOUT_CHAIN]),
        ]),
      ),
    });
    const { parse, check, deepJson, deepHuman } = best;
    const verdict = JSON.parse(check.stdout);
    if (best.checkThreads.stdout !== check.stdout)
      throw new Error(`the check read by ${otherThreads()} thread(s) gave another verdict`);
    if (parse.count !== wideSpans || verdict.spans !== wideSpans || verdict.traces !== 50_000 || check.code !== 0) {
      throw new Error(
        `unexpected verdict on the wide dump: ${JSON.stringify({ parsed: parse.count, code: check.code, spans: verdict.spans, traces: verdict.traces })}`,
      );
    }
    if (deepJson.code !== 0 || JSON.parse(deepJson.stdout).spans !== 20_000)
      throw new Error(`unexpected verdict on the deep trace: code ${deepJson.code}`);
    if (deepHuman.code !== 1 || !deepHuman.stdout.includes('orphan-span'))
      throw new Error(`unexpected verdict on the broken deep trace: code ${deepHuman.code}`);

    const mixedVerdict = JSON.parse(best.mixedJson.stdout);
    const mixedBroken = mixedVerdict.runs.filter((run) => !run.ok).length;
    if (best.mixedJson.code !== 1 || mixedVerdict.runs.length !== 1000 || mixedBroken !== mixedDump.broken)
      throw new Error(
        `unexpected verdict on the mixed dump: ${JSON.stringify({ code: best.mixedJson.code, runs: mixedVerdict.runs.length, broken: mixedBroken, expected: mixedDump.broken })}`,
      );

    const allVerdict = JSON.parse(best.allBrokenJson.stdout);
    const allBrokenRuns = allVerdict.runs.filter((run) => !run.ok).length;
    if (best.allBrokenJson.code !== 1 || allVerdict.runs.length !== 8000 || allBrokenRuns !== allBrokenDump.broken)
      throw new Error(
        `unexpected verdict on the all-broken dump: ${JSON.stringify({ code: best.allBrokenJson.code, runs: allVerdict.runs.length, broken: allBrokenRuns, expected: allBrokenDump.broken })}`,
      );

    for (const { runs } of sameInstant) {
      const result = best[`sameInstant${runs}`];
      const problems = JSON.parse(result.stdout).problems;
      // Run k's new trace is tied back to run k: the fragment's and the run's trace ids share their first 8 digits.
      const ownRun = problems.filter(
        (problem) =>
          problem.kind === 'broken-chain' &&
          /\binstead of ([0-9a-f]{32})\)/.exec(problem.message)?.[1].slice(0, 8) === problem.traceId.slice(0, 8),
      ).length;
      if (result.code !== 1 || problems.length !== runs || ownRun !== runs)
        throw new Error(
          `unexpected verdict on ${runs} same-instant runs: ${JSON.stringify({ code: result.code, problems: problems.length, tiedToOwnRun: ownRun })}`,
        );
    }

    const mb = (file) => (statSync(file).size / 1e6).toFixed(1);
    const verify250k = Math.min(...Array.from({ length: ROUNDS }, () => timeVerify(50_000)));
    const verify1m = Math.min(...Array.from({ length: ROUNDS }, () => timeVerify(200_000)));
    const oneTrace1m = Math.min(...Array.from({ length: ROUNDS }, () => timeOneBigTrace(1_000_000)));

    const ms = (result) => result.ms.toFixed(0);
    const cpu = (result) => (Number.isNaN(result.cpu) ? '-' : result.cpu.toFixed(0));
    const rows = [
      ['case', 'spans', 'file MB', 'wall ms', 'cpu ms', 'wall vs bare', 'cpu vs bare'],
      ['node -e 0 (bare process start-up)', '-', '-', ms(best.node), '-', '-', '-'],
      ['tracehop check, 1 span (process start-up)', '1', '-', ms(best.startup), cpu(best.startup), '-', '-'],
      [
        'bare JSON.parse per line, 250k dump (in process)',
        String(wideSpans),
        mb(wide),
        ms(parse),
        cpu(parse),
        '1.00x',
        '1.00x',
      ],
      [
        'tracehop check --json --expect, 250k dump',
        String(wideSpans),
        mb(wide),
        ms(check),
        cpu(check),
        `${(check.ms / parse.ms).toFixed(2)}x`,
        `${(check.cpu / parse.cpu).toFixed(2)}x`,
      ],
      [
        `same, read by ${otherThreads()} thread(s) (TRACEHOP_DUMP_WORKERS=${otherThreads()}; default here ${defaultThreads()})`,
        String(wideSpans),
        mb(wide),
        ms(best.checkThreads),
        cpu(best.checkThreads),
        `${(best.checkThreads.ms / parse.ms).toFixed(2)}x`,
        `${(best.checkThreads.cpu / parse.cpu).toFixed(2)}x`,
      ],
      ['tracehop check --json, one trace 20,000 deep', '20000', mb(deep), ms(deepJson), cpu(deepJson), '-', '-'],
      [
        'tracehop check (tree drawn), 20,000 deep, orphan at the bottom',
        '20000',
        mb(deepBroken),
        ms(deepHuman),
        cpu(deepHuman),
        '-',
        '-',
      ],
      [
        `tracehop check --json --journeys, 1,000 mixed runs (${mixedDump.broken} broken) + health checks`,
        String(mixedDump.spans),
        mb(mixed),
        ms(best.mixedJson),
        cpu(best.mixedJson),
        '-',
        '-',
      ],
      [
        `tracehop check --json --journeys, 8,000 mixed runs, every one broken (a fragment each)`,
        String(allBrokenDump.spans),
        mb(allBroken),
        ms(best.allBrokenJson),
        cpu(best.allBrokenJson),
        '-',
        '-',
      ],
      ...sameInstant.map(({ file, runs, spans }, index) => {
        const result = best[`sameInstant${runs}`];
        const first = best[`sameInstant${SAME_INSTANT_RUNS[0]}`];
        const growth = index === 0 ? '-' : `${(result.ms / first.ms).toFixed(2)}x of ${SAME_INSTANT_RUNS[0]}`;
        return [
          `tracehop check --json --expect, ${runs.toLocaleString('en')} runs broken at the same instants`,
          String(spans),
          mb(file),
          ms(result),
          cpu(result),
          growth,
          '-',
        ];
      }),
      ['verifySpans in memory, 250k spans', '250000', '-', verify250k.toFixed(0), '-', '-', '-'],
      [
        'verifySpans in memory, 1M spans (x4 spans)',
        '1000000',
        '-',
        verify1m.toFixed(0),
        '-',
        `${(verify1m / verify250k).toFixed(2)}x of 250k`,
        '-',
      ],
      ['verifySpans in memory, ONE trace of 1M spans', '1000000', '-', oneTrace1m.toFixed(0), '-', '-', '-'],
    ];
    console.log(`fastest of ${ROUNDS} rounds; load average before: ${load}; build: ${ROOT}`);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const row of rows)
      console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
    return {
      checkVsParse: check.ms / parse.ms,
      cpuVsParse: check.cpu / parse.cpu,
      checkMs: check.ms,
      parseMs: parse.ms,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const row of rows)
    console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
}

async function main() {
  const only = (process.env.TRACEHOP_BENCH_ONLY || 'check,backend,memory').split(',').map((part) => part.trim());
  const unknown = only.filter((part) => !['check', 'backend', 'memory'].includes(part));
  if (unknown.length > 0) {
    console.error(
      `[tracehop] Failed to run the bench: TRACEHOP_BENCH_ONLY names no part ${unknown.map((part) => JSON.stringify(part)).join(', ')}. Parts are check, backend and memory.`,
    );
    process.exit(2);
  }
  const memorySpans = Number(process.env.TRACEHOP_BENCH_MEMORY_SPANS) || 1_000_000;
  const goals = [
    ['row', 'tracehop', 'floor', 'ratio (wall)', 'ratio (cpu)', 'goal', 'met (wall / cpu)', 'load average after'],
  ];
  const fmt = (n, digits = 1) => n.toFixed(digits);
  const verdict = (ok) => (ok ? 'yes' : 'NO');
  if (only.includes('backend')) {
    const before = load();
    const b = await benchBackend({ root: ROOT, rounds: ROUNDS });
    const after = load();
    console.log(`backend: fastest of ${ROUNDS} rounds; load average before: ${before}, after: ${after}`);
    // wall: fastest round; cpu: least CPU time per checkout (or per 1,000 spans) of this process.
    const row = (label, t, f, lowerIsBetter, goal, ok) => {
      const wall = t.value / f.value;
      const cpu = lowerIsBetter ? t.cpu / f.cpu : f.cpu / t.cpu;
      const digits = lowerIsBetter ? 2 : 0;
      return [
        label,
        fmt(t.value, digits),
        fmt(f.value, digits),
        fmt(wall, 2),
        fmt(cpu, 2),
        goal,
        `${verdict(ok(wall))} / ${verdict(ok(cpu))}`,
        after,
      ];
    };
    goals.push(
      row(
        'checkout, 3 mock services, sequential (ms each)',
        b.tracehopSequential,
        b.bareSequential,
        true,
        '<= 1.1',
        (r) => r <= 1.1,
      ),
      row(
        'checkout at concurrency 16 (ms each, wall / count)',
        b.tracehopConcurrent,
        b.bareConcurrent,
        true,
        '<= 1.2',
        (r) => r <= 1.2,
      ),
      row(
        'OTLP/JSON ingest, 512-span batches (spans/s)',
        b.jsonIngestPerSec,
        b.bareIngestPerSec,
        false,
        '>= 0.8',
        (r) => r >= 0.8,
      ),
      row(
        'OTLP protobuf ingest (spans/s; floor = JSON ingest)',
        b.protoIngestPerSec,
        b.jsonIngestPerSec,
        false,
        '> 1',
        (r) => r > 1,
      ),
      row(
        'checkout, waitFor pending, 10k stored (ms; floor = empty)',
        b.waitingCheckout,
        b.emptyStoreCheckout,
        true,
        '<= 2',
        (r) => r <= 2,
      ),
    );
  }
  if (only.includes('memory')) {
    const { empty, full } = await benchMemory({ root: ROOT, spans: memorySpans });
    if (full.stored !== memorySpans)
      throw new Error(`the memory backend stored ${full.stored} of ${memorySpans} spans`);
    const perSpan = ((full.maxRssMb - empty.maxRssMb) * 1e6) / memorySpans;
    console.log(
      `memory: empty backend peak ${fmt(empty.maxRssMb)} MB; ${memorySpans} spans held: peak ${fmt(full.maxRssMb)} MB, after gc rss ${fmt(full.rssMb)} MB, heap ${fmt(full.heapUsedMb)} MB (${fmt(perSpan, 0)} B/span)`,
    );
    // The goal is 600 MB at 1M spans: the empty backend plus about 0.5 KB per span held.
    const goalMb = Math.round(empty.maxRssMb + ((600 - empty.maxRssMb) * memorySpans) / 1_000_000);
    goals.push([
      `peak RSS, ${memorySpans} spans held (MB; floor = empty backend)`,
      fmt(full.maxRssMb, 0),
      fmt(empty.maxRssMb, 0),
      fmt(full.maxRssMb / empty.maxRssMb, 2),
      '-',
      `<= ${goalMb} MB`,
      verdict(full.maxRssMb <= goalMb),
      load(),
    ]);
  }
  if (only.includes('check')) {
    const c = benchCheck();
    goals.push([
      'tracehop check, 250k spans JSON Lines (ms; floor = bare JSON.parse)',
      fmt(c.checkMs, 0),
      fmt(c.parseMs, 0),
      fmt(c.checkVsParse, 2),
      fmt(c.cpuVsParse, 2),
      '<= 1.5',
      `${verdict(c.checkVsParse <= 1.5)} / ${verdict(c.cpuVsParse <= 1.5)}`,
      load(),
    ]);
  }
  console.log(`\ngoals (build: ${ROOT}, ${ROUNDS} rounds, best round counts)`);
  printTable(goals);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
