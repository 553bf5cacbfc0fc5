'use strict';
/**
 * Dumps the benchmarks write: spans of made-up traces (`span`) and the 250k-span JSON Lines dump the
 * `tracehop check` rows read (`writeWideDump`). Plain JS over dist/ (TRACEHOP_BENCH_ROOT picks the build).
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = process.env.TRACEHOP_BENCH_ROOT || join(__dirname, '..');
const { encodeOtlpJson } = require(join(ROOT, 'dist/harness/model/otlp-json.js'));

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
  /** @type {[object[], object[]]} */
  const halves = [[], []];
  for (let t = 0; t < traces; t++) {
    halves[0].push(span(t, 0, undefined, 'mobile-app', 'internal', 0), span(t, 1, 0, 'mobile-app', 'client', 1));
    halves[1].push(
      span(t, 2, 1, 'api-gateway', 'server', 2),
      span(t, 3, 2, 'api-gateway', 'client', 3),
      span(t, 4, 3, 'payment-api', 'server', 4),
    );
  }
  // Backend batches first, then the app's: each trace's spans land on two lines far apart.
  const lines = [];
  for (const half of [halves[1], halves[0]]) {
    for (let i = 0; i < half.length; i += 500) lines.push(JSON.stringify(encodeOtlpJson(half.slice(i, i + 500))));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return traces * 5;
}

/**
 * `runs` copies of fixtures/dumps/checkout-broken.jsonl (one checkout whose payment call lost the trace
 * context), run k's ids starting with k in 8 hex digits, every copy at the very same instants: a busy
 * service's many runs stamped in one millisecond. Route and timing fit every run to every new trace alike.
 */
function writeSameInstantDump(path, runs) {
  const source = readFileSync(join(__dirname, '..', 'fixtures/dumps/checkout-broken.jsonl'), 'utf8');
  const lines = source.split('\n').filter((line) => line !== '');
  const out = [];
  for (let k = 1; k <= runs; k++) {
    const prefix = hex(k, 8);
    for (const line of lines)
      out.push(line.replace(/"(traceId|spanId|parentSpanId)":"[0-9a-f]{8}/g, (_, key) => `"${key}":"${prefix}`));
  }
  writeFileSync(path, `${out.join('\n')}\n`);
  return { spans: runs * 7, runs };
}

module.exports = { T0, hex, span, writeSameInstantDump, writeWideDump };
