#!/usr/bin/env node
'use strict';
/**
 * Soak test of the mock backend (npm run soak = build + this file, with --expose-gc). Plain JS over dist/.
 * For --minutes (10 when absent; TRACEHOP_SOAK_MINUTES too), in runs of --run-seconds (30), 16 clients on
 * 127.0.0.1 mix checkouts, OTLP/JSON and protobuf exports with malformed bodies, truncated uploads and
 * clients that hang up mid-request. After each run it waits for the spans, compares spans stored with spans
 * sent, clears the store and capture log, collects garbage and samples RSS. Bounded: at most --max-requests (200,000) per
 * run, and every request has a deadline. Exits 1 on a lost span, an unexpected answer or a crash.
 */
const net = require('node:net');
const http = require('node:http');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = process.env.TRACEHOP_BENCH_ROOT || join(__dirname, '..');
const { startBackend } = require(join(ROOT, 'dist/harness/backend/index.js'));
const { encodeOtlpJson } = require(join(ROOT, 'dist/harness/model/otlp-json.js'));
const { encodeOtlpProtobuf } = require(join(ROOT, 'dist/harness/model/otlp-proto.js'));

const FLAGS = ['minutes', 'run-seconds', 'max-requests'];

/** Stops the soak before it starts: a bad argument must not turn into a 10-minute run of the defaults. */
function usage(message) {
  console.error(
    `[tracehop] Failed to start the soak: ${message}. Usage: npm run soak -- [--minutes N] [--run-seconds N] [--max-requests N]`,
  );
  process.exit(2);
}

/** `--name N` or `--name=N`, a positive number; `fallback` when absent. Any other argument stops the soak. */
function flag(name, fallback) {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flagName, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s) : [undefined, undefined];
    if (flagName === undefined || !FLAGS.includes(flagName)) usage(`"${arg}" is not an option`);
    const text = inline ?? args[++i];
    if (flagName !== name) continue;
    const value = Number(text);
    if (text === undefined || text === '' || !Number.isFinite(value) || value <= 0)
      usage(`--${name} needs a positive number, not ${JSON.stringify(text ?? '')}`);
    return value;
  }
  return fallback;
}

const MINUTES = flag('minutes', Number(process.env.TRACEHOP_SOAK_MINUTES) || 10);
const RUN_SECONDS = Math.min(flag('run-seconds', 30), MINUTES * 60);
const MAX_REQUESTS = flag('max-requests', 200_000);
const CONCURRENCY = 16;
const SPANS_PER_EXPORT = 64;
const SPANS_PER_CHECKOUT = 5; // 3 SERVER + 2 CLIENT spans in the mock services
const REQUEST_TIMEOUT_MS = 10_000;
const hex = (n, width) => n.toString(16).padStart(width, '0');

let serial = 0;
function exportSpans() {
  const spans = [];
  const base = ++serial * SPANS_PER_EXPORT;
  for (let i = 0; i < SPANS_PER_EXPORT; i++) {
    spans.push({
      traceId: hex(base + Math.floor(i / 8) + 1, 32),
      spanId: hex(base + i + 1, 16),
      ...(i % 8 ? { parentSpanId: hex(base + i, 16) } : {}),
      name: 'soak op',
      kind: i % 2 ? 'client' : 'server',
      service: `soak-${i % 3}`,
      startTimeMs: Date.now(),
      endTimeMs: Date.now() + 1,
      attributes: { 'soak.serial': serial, 'http.request.method': 'POST' },
      traceFlags: 1,
    });
  }
  return spans;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One HTTP request; resolves with the status, or 'error' (never rejects). */
function request(url, method, headers, body) {
  return new Promise((resolve) => {
    const outgoing = http.request(url, { method, headers, agent, timeout: REQUEST_TIMEOUT_MS });
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', () => resolve('error'));
    outgoing.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
      response.on('error', () => resolve('error'));
    });
    outgoing.end(body);
  });
}

/** Writes `text` on a fresh connection, then hangs up without waiting for an answer. */
function rawHangUp(port, text) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(text, () => {
        socket.destroy();
        resolve('hung up');
      });
    });
    socket.on('error', () => resolve('hung up'));
  });
}

const ACTIONS = [
  'checkout',
  'json',
  'protobuf',
  'checkout',
  'json',
  'malformed-json',
  'truncated-upload',
  'hang-up',
  'checkout',
  'bad-protobuf',
];

async function act(kind, backend, tally) {
  const gateway = `${backend.urls.services['api-gateway']}/checkout`;
  const otlpPort = Number(new URL(backend.urls.otlp).port);
  switch (kind) {
    case 'checkout': {
      const n = ++serial;
      const status = await request(
        gateway,
        'POST',
        { traceparent: `00-${hex(n, 32)}-${hex(n, 16)}-01`, 'content-type': 'application/json' },
        '{}',
      );
      if (status === 200) tally.sent += SPANS_PER_CHECKOUT;
      return { status, expected: 200 };
    }
    case 'json':
    case 'protobuf': {
      const spans = exportSpans();
      const body =
        kind === 'json' ? Buffer.from(JSON.stringify(encodeOtlpJson(spans))) : Buffer.from(encodeOtlpProtobuf(spans));
      const type = kind === 'json' ? 'application/json' : 'application/x-protobuf';
      const status = await request(backend.urls.otlp, 'POST', { 'content-type': type }, body);
      if (status === 200) tally.sent += spans.length;
      return { status, expected: 200 };
    }
    case 'malformed-json':
      return {
        status: await request(
          backend.urls.otlp,
          'POST',
          { 'content-type': 'application/json' },
          '{"resourceSpans": [{',
        ),
        expected: 400,
      };
    case 'bad-protobuf':
      return {
        status: await request(
          backend.urls.otlp,
          'POST',
          { 'content-type': 'application/x-protobuf' },
          Buffer.from([0x0a, 0xff, 0xff, 0x01]),
        ),
        expected: 400,
      };
    case 'truncated-upload': {
      const body = JSON.stringify(encodeOtlpJson(exportSpans()));
      const head = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      return { status: await rawHangUp(otlpPort, head + body.slice(0, body.length >> 1)), expected: 'hung up' };
    }
    case 'hang-up': {
      const port = Number(new URL(gateway).port);
      return {
        status: await rawHangUp(port, 'POST /checkout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty'),
        expected: 'hung up',
      };
    }
    default:
      throw new Error(`unknown action ${kind}`);
  }
}

function mb(bytes) {
  return (bytes / 1e6).toFixed(1);
}

function sampleMemory() {
  global.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

async function oneRun(backend, runNo, deadline) {
  const tally = { sent: 0, requests: 0, answers: {}, unexpected: 0 };
  const runEnd = Math.min(deadline, performance.now() + RUN_SECONDS * 1000);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < runEnd && tally.requests < MAX_REQUESTS) {
        tally.requests++;
        const kind = ACTIONS[next++ % ACTIONS.length];
        const { status, expected } = await act(kind, backend, tally);
        const key = `${kind} ${status}`;
        tally.answers[key] = (tally.answers[key] ?? 0) + 1;
        if (status !== expected) tally.unexpected++;
      }
    }),
  );
  // Backend spans end just after their answers: wait (with a deadline) until every sent span is stored.
  try {
    await backend.store.waitFor((spans) => spans.length >= tally.sent, {
      timeout: 10_000,
      description: `${tally.sent} spans of run ${runNo}`,
    });
  } catch {
    // Reported below as lost spans.
  }
  const stored = backend.store.size;
  backend.clear();
  return { ...tally, stored };
}

async function main() {
  if (!global.gc)
    process.stderr.write('[tracehop] soak: run with --expose-gc (npm run soak does) for steady RSS samples\n');
  const started = performance.now();
  const deadline = started + MINUTES * 60 * 1000;
  const backend = await startBackend({ onWarning: () => undefined });
  const baseline = sampleMemory().rss;
  console.log(
    `soak: ${MINUTES} min in runs of ${RUN_SECONDS} s, ${CONCURRENCY} clients, loopback only; rss at start ${mb(baseline)} MB`,
  );
  const runs = [];
  const answers = {};
  let failed = false;
  try {
    for (let runNo = 1; performance.now() < deadline - 1000; runNo++) {
      // Memory is sampled here, after oneRun returned: its frame still held the copy of every span that
      // waitFor resolved with, which would count the cleared run's spans as if the store kept them.
      const run = { ...(await oneRun(backend, runNo, deadline)), ...sampleMemory() };
      runs.push(run);
      for (const [key, count] of Object.entries(run.answers)) answers[key] = (answers[key] ?? 0) + count;
      const lost = run.sent - run.stored;
      if (lost !== 0 || run.unexpected !== 0) failed = true;
      console.log(
        `run ${runNo} at ${((performance.now() - started) / 1000).toFixed(0)} s: ${run.requests} requests, spans sent ${run.sent}, stored ${run.stored}, lost ${lost}, unexpected answers ${run.unexpected}, rss after clear ${mb(run.rss)} MB, heap ${mb(run.heapUsed)} MB (load ${require('node:os')
          .loadavg()
          .map((n) => n.toFixed(2))
          .join(' ')})`,
      );
    }
  } finally {
    await backend.stop();
    agent.destroy();
  }
  console.log('answers by status:');
  for (const key of Object.keys(answers).sort()) console.log(`  ${key}: ${answers[key]}`);
  const sent = runs.reduce((sum, run) => sum + run.sent, 0);
  const stored = runs.reduce((sum, run) => sum + run.stored, 0);
  const first = runs[0]?.rss ?? baseline;
  const last = runs.at(-1)?.rss ?? baseline;
  console.log(
    `total: ${runs.length} runs, spans sent ${sent}, stored ${stored}, lost ${sent - stored}; crashes 0; rss after clear: first run ${mb(first)} MB, last run ${mb(last)} MB (${(((last - first) / first) * 100).toFixed(1)}%)`,
  );
  if (failed) process.exitCode = 1;
}

process.on('uncaughtException', (error) => {
  console.error(`soak: crash: ${error.stack}`);
  process.exit(2);
});

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
