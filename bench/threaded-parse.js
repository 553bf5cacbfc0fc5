#!/usr/bin/env node
'use strict';
/**
 * An experiment, not a row of the bench: how much of the 250k-span bench dump two threads can read before any
 * check runs (docs/PERFORMANCE.md). It times, in one process and interleaved round by round:
 *  - parse, 1 thread: a bare JSON.parse of each line (the floor of the check row);
 *  - parse, 2 threads: the same, each thread parsing half the lines (a worker started each round);
 *  - columns, 1 and 2 threads: each line parsed and every span's ids, kind, times, service, name and
 *    attribute keys copied into typed arrays and string tables, keeping no span object and no parsed tree
 *    (the least a check must take out of a parse); with 2 threads the worker's arrays are moved, not copied,
 *    and its trace ids merged with the main thread's.
 * No decoding checks, no grouping, no verdict: a check does all of that on top.
 *
 * Usage: node bench/threaded-parse.js   (TRACEHOP_BENCH_ROUNDS rounds, default 5; needs `npm run build`)
 */
const { mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const { writeWideDump } = require('./dumps');

const ROUNDS = Math.max(1, Number(process.env.TRACEHOP_BENCH_ROUNDS) || 5);

/** Bytes [start, end) of the file as text. */
function readText(file, start, end) {
  const bytes = Buffer.allocUnsafe(end - start);
  const fd = openSync(file, 'r');
  try {
    let done = 0;
    while (done < bytes.length) {
      const read = readSync(fd, bytes, done, bytes.length - done, start + done);
      if (read === 0) break;
      done += read;
    }
    return bytes.toString('utf8', 0, done);
  } finally {
    closeSync(fd);
  }
}

/** Where the second half of the file starts: the line after its middle byte. */
function middle(file) {
  const size = statSync(file).size;
  const text = readText(file, Math.floor(size / 2), Math.min(size, Math.floor(size / 2) + (1 << 20)));
  const newline = text.indexOf('\n');
  if (newline === -1) throw new Error(`no line break in the middle of ${file}`);
  return { size, cut: Math.floor(size / 2) + Buffer.byteLength(text.slice(0, newline + 1)) };
}

/** Calls `each` with every line of bytes [start, end), parsed. */
function forEachDocument(file, start, end, each) {
  const text = readText(file, start, end);
  for (let at = 0; at < text.length;) {
    let newline = text.indexOf('\n', at);
    if (newline === -1) newline = text.length;
    if (newline > at) each(JSON.parse(text.slice(at, newline)));
    at = newline + 1;
  }
}

/** Spans in bytes [start, end), parsed and dropped. */
function parseRange(file, start, end) {
  let count = 0;
  forEachDocument(file, start, end, (doc) => {
    for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) count += ss.spans.length;
  });
  return { count };
}

/** A 16-digit hex id as two 32-bit halves, at `out[2i]` and `out[2i + 1]`. */
function putId(id, out, i) {
  out[2 * i] = parseInt(id.slice(0, 8), 16);
  out[2 * i + 1] = parseInt(id.slice(8, 16), 16);
}

/** The spans of bytes [start, end) as columns: typed arrays, a table of trace ids and one of other strings. */
function columnsOfRange(file, start, end) {
  let capacity = 1 << 16;
  let count = 0;
  const make = () => ({
    trace: new Int32Array(capacity),
    span: new Uint32Array(capacity * 2),
    parent: new Uint32Array(capacity * 2),
    kind: new Uint8Array(capacity),
    name: new Int32Array(capacity),
    service: new Int32Array(capacity),
    start: new Float64Array(capacity),
    end: new Float64Array(capacity),
  });
  let columns = make();
  const traces = new Map();
  const traceIds = [];
  const strings = new Map();
  const intern = (text) => {
    let at = strings.get(text);
    if (at === undefined) strings.set(text, (at = strings.size));
    return at;
  };
  forEachDocument(file, start, end, (doc) => {
    for (const rs of doc.resourceSpans) {
      let service = 'unknown_service';
      for (const attribute of rs.resource.attributes) {
        if (attribute.key === 'service.name') service = attribute.value.stringValue;
      }
      const serviceAt = intern(service);
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          if (count === capacity) {
            const old = columns;
            capacity *= 2;
            columns = make();
            for (const key of Object.keys(old)) columns[key].set(old[key]);
          }
          let trace = traces.get(span.traceId);
          if (trace === undefined) {
            traces.set(span.traceId, (trace = traceIds.length));
            traceIds.push(span.traceId);
          }
          columns.trace[count] = trace;
          putId(span.spanId, columns.span, count);
          if (span.parentSpanId) putId(span.parentSpanId, columns.parent, count);
          columns.kind[count] = span.kind;
          columns.name[count] = intern(span.name);
          columns.service[count] = serviceAt;
          columns.start[count] = Number(span.startTimeUnixNano) / 1e6;
          columns.end[count] = Number(span.endTimeUnixNano) / 1e6;
          for (const attribute of span.attributes) intern(attribute.key);
          count++;
        }
      }
    }
  });
  return { count, columns, traceIds, strings: [...strings.keys()] };
}

/** Trace numbers of both halves in one table: the first half's as they are, the second's mapped. */
function mergeTraces(first, second) {
  const index = new Map(first.traceIds.map((id, i) => [id, i]));
  const mapped = second.traceIds.map((id) => {
    let at = index.get(id);
    if (at === undefined) index.set(id, (at = index.size));
    return at;
  });
  const trace = new Int32Array(first.count + second.count);
  trace.set(first.columns.trace.subarray(0, first.count));
  for (let i = 0; i < second.count; i++) trace[first.count + i] = mapped[second.columns.trace[i]];
  return { count: trace.length, traces: index.size };
}

/** Runs `work` on [0, cut) here and on [cut, size) in a new worker thread; `combine` joins the two results. */
function twoThreads(file, kind, work, combine) {
  const { size, cut } = middle(file);
  const worker = new Worker(__filename, { workerData: { file, start: cut, end: size, kind } });
  const theirs = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const mine = work(file, 0, cut);
  return theirs.then((other) => {
    void worker.terminate();
    return combine(mine, other);
  });
}

function workerMain() {
  const { file, start, end, kind } = workerData;
  const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
  if (kind === 'parse') {
    port.postMessage(parseRange(file, start, end));
    return;
  }
  const result = columnsOfRange(file, start, end);
  port.postMessage(
    result,
    Object.values(result.columns).map((array) => array.buffer),
  );
}

async function timed(run) {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, count: result.count };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tracehop-threads-'));
  try {
    const file = join(dir, 'wide.jsonl');
    const spans = writeWideDump(file, 50_000);
    const size = statSync(file).size;
    const cases = {
      'parse, 1 thread': () => parseRange(file, 0, size),
      'parse, 2 threads': () => twoThreads(file, 'parse', parseRange, (a, b) => ({ count: a.count + b.count })),
      'columns, 1 thread': () => columnsOfRange(file, 0, size),
      'columns, 2 threads': () => twoThreads(file, 'columns', columnsOfRange, mergeTraces),
    };
    const load = () =>
      loadavg()
        .map((n) => n.toFixed(2))
        .join(' ');
    console.log(`${ROUNDS} rounds over ${spans} spans (${(size / 1e6).toFixed(0)} MB); load average before: ${load()}`);
    const best = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(cases)) {
        const result = await timed(run);
        if (result.count !== spans) throw new Error(`${name} counted ${result.count} spans, not ${spans}`);
        best[name] = Math.min(best[name] ?? Infinity, result.ms);
      }
    }
    const floor = best['parse, 1 thread'];
    console.log('case                  best ms   x parse, 1 thread');
    for (const [name, ms] of Object.entries(best))
      console.log(`${name.padEnd(20)} ${ms.toFixed(0).padStart(8)}   ${(ms / floor).toFixed(2)}`);
    console.log(`load average after: ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread) workerMain();
else void main();
