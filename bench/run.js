#!/usr/bin/env node
'use strict';
/**
 * Benchmarks `tracehop check` (npm run bench = build + this file). Plain JS over dist/.
 *  1. a 250k-span JSON Lines dump (50k traces of 5 spans, each trace split over two lines in shuffled
 *     batches): `tracehop check` end to end vs a bare JSON.parse of each line of the same file;
 *  2. one trace 20,000 spans deep.
 * Ratios are compared within one run on one machine; no timing claims live in tests.
 */
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { encodeOtlpJson } = require('../dist/harness/model/otlp-json.js');
const { verifySpans } = require('../dist/harness/verify/verify.js');

const BIN = join(__dirname, '..', 'bin', 'tracehop.js');
const T0 = Date.UTC(2026, 10, 26);
const hex = (n, width) => n.toString(16).padStart(width, '0');

function span(traceNo, spanNo, parentNo, service, kind, depth) {
  const start = T0 + traceNo + depth;
  return {
    traceId: hex(traceNo + 1, 32),
    spanId: hex(traceNo * 8 + spanNo + 1, 16),
    ...(parentNo !== undefined ? { parentSpanId: hex(traceNo * 8 + parentNo + 1, 16) } : {}),
    name: `op-${spanNo}`,
    kind,
    service,
    startTimeMs: start,
    endTimeMs: start + 100 - 2 * depth,
    attributes: { 'http.method': 'POST', 'http.status_code': 200 },
    traceFlags: 1,
  };
}

/** 250k spans: app root -> app client -> gateway server -> gateway client -> payment server. */
function writeWideDump(path, traces) {
  const halves = [[], []];
  for (let t = 0; t < traces; t++) {
    halves[0].push(span(t, 0, undefined, 'mobile-app', 'internal', 0), span(t, 1, 0, 'mobile-app', 'client', 1));
    halves[1].push(span(t, 2, 1, 'api-gateway', 'server', 2), span(t, 3, 2, 'api-gateway', 'client', 3), span(t, 4, 3, 'payment-api', 'server', 4));
  }
  // Backend batches first, then the app's: each trace's spans land on two lines far apart.
  const lines = [];
  for (const half of [halves[1], halves[0]]) {
    for (let i = 0; i < half.length; i += 500) lines.push(JSON.stringify(encodeOtlpJson(half.slice(i, i + 500))));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return traces * 5;
}

function writeDeepDump(path, depth) {
  const spans = [];
  // SERVER then CLIENT per hop, hops alternating between two services: every link is a sound one.
  for (let i = 0; i < depth; i++) {
    const service = Math.floor(i / 2) % 2 ? 'api-gateway' : 'payment-api';
    spans.push(span(0, i, i === 0 ? undefined : i - 1, service, i % 2 ? 'client' : 'server', 0));
  }
  const lines = [];
  for (let i = 0; i < spans.length; i += 1000) lines.push(JSON.stringify(encodeOtlpJson(spans.slice(i, i + 1000).reverse())));
  writeFileSync(path, `${lines.reverse().join('\n')}\n`);
  return depth;
}

/** In-process verifySpans over `traces` five-span traces: shows whether the verifier scales linearly. */
function timeVerify(traces) {
  const spans = [];
  for (let t = 0; t < traces; t++) {
    spans.push(span(t, 0, undefined, 'mobile-app', 'internal', 0), span(t, 1, 0, 'mobile-app', 'client', 1));
    spans.push(span(t, 2, 1, 'api-gateway', 'server', 2), span(t, 3, 2, 'api-gateway', 'client', 3), span(t, 4, 3, 'payment-api', 'server', 4));
  }
  const started = performance.now();
  const verdict = verifySpans(spans, { expect: ['mobile-app', 'api-gateway', 'payment-api'] });
  const ms = performance.now() - started;
  if (verdict.problems.length !== 0 || verdict.traces.length !== traces) throw new Error('unexpected verdict in memory');
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
  if (verdict.problems.length !== 0 || verdict.traces.length !== 1) throw new Error('unexpected verdict on the big trace');
  return ms;
}

function timeCheck(file, args = []) {
  const started = performance.now();
  let code = 0;
  let stdout = '';
  try {
    stdout = execFileSync(process.execPath, [BIN, 'check', '--json', ...args, file], { maxBuffer: 1 << 30, encoding: 'utf8' });
  } catch (error) {
    code = error.status;
    stdout = String(error.stdout);
  }
  const ms = performance.now() - started;
  const verdict = JSON.parse(stdout);
  return { ms, code, verdict };
}

function timeBareParse(file) {
  const started = performance.now();
  const text = readFileSync(file, 'utf8');
  let count = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const doc = JSON.parse(line);
    for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) count += ss.spans.length;
  }
  return { ms: performance.now() - started, count };
}

function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tracehop-bench-'));
  try {
    const wide = join(dir, 'wide.jsonl');
    const wideSpans = writeWideDump(wide, 50_000);
    const deep = join(dir, 'deep.jsonl');
    writeDeepDump(deep, 20_000);
    const empty = join(dir, 'one.json');
    writeFileSync(empty, JSON.stringify(encodeOtlpJson([span(0, 0, undefined, 'mobile-app', 'internal', 0)])));

    const startup = timeCheck(empty);
    const parse = timeBareParse(wide);
    const check = timeCheck(wide, ['--expect', 'mobile-app,api-gateway,payment-api']);
    const deepCheck = timeCheck(deep);
    if (parse.count !== wideSpans || check.verdict.spans !== wideSpans || check.verdict.traces !== 50_000 || check.code !== 0) {
      throw new Error(`unexpected verdict on the wide dump: ${JSON.stringify({ parsed: parse.count, code: check.code, spans: check.verdict.spans, traces: check.verdict.traces })}`);
    }
    if (deepCheck.code !== 0 || deepCheck.verdict.spans !== 20_000) throw new Error(`unexpected verdict on the deep trace: code ${deepCheck.code}`);

    const verify250k = timeVerify(50_000);
    const verify1m = timeVerify(200_000);
    const oneTrace1m = timeOneBigTrace(1_000_000);

    const mb = (file) => (statSync(file).size / 1e6).toFixed(1);
    const rows = [
      ['case', 'spans', 'file MB', 'ms', 'vs bare parse'],
      ['tracehop check, 1 span (process start-up)', '1', '-', startup.ms.toFixed(0), '-'],
      ['bare JSON.parse per line, 250k dump', String(wideSpans), mb(wide), parse.ms.toFixed(0), '1.00x'],
      ['tracehop check --expect, 250k dump', String(wideSpans), mb(wide), check.ms.toFixed(0), `${(check.ms / parse.ms).toFixed(2)}x`],
      ['tracehop check, one trace 20,000 deep', '20000', mb(deep), deepCheck.ms.toFixed(0), '-'],
      ['verifySpans in memory, 250k spans', '250000', '-', verify250k.toFixed(0), '-'],
      ['verifySpans in memory, 1M spans (x4 spans)', '1000000', '-', verify1m.toFixed(0), `${(verify1m / verify250k).toFixed(2)}x of 250k`],
      ['verifySpans in memory, ONE trace of 1M spans', '1000000', '-', oneTrace1m.toFixed(0), '-'],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
