#!/usr/bin/env node
'use strict';
/**
 * An experiment, not a row of the bench: where OTLP/JSON ingest spends what a bare server + JSON.parse does not
 * (docs/PERFORMANCE.md, "OTLP/JSON ingest: at the goal's edge"). For each build given (default: this checkout's),
 * interleaved round by round, in one process, CPU time (user + system, every thread of the process):
 *  - per request: 2,000 POSTs of an empty export, 2 in flight over keep-alive, to a bare node:http server and to
 *    tracehop's receiver (createOtlpReceiver behind its listener); the client's share is the same for both;
 *  - per round of the bench's 40 batches of 512 spans, with no HTTP: JSON.parse of each body alone (the floor's
 *    work), the receiver's decodeJsonExport with each batch's spans dropped at once, and with every span kept to
 *    the round's end (as the store keeps them), with the garbage collection pauses of each.
 * Medians of TRACEHOP_BENCH_ROUNDS rounds (default 9). CPU time, not wall: the machine is shared.
 *
 * Usage: node bench/ingest-parts.js [build root ...]   (needs `npm run build` in each)
 */
const http = require('node:http');
const { loadavg } = require('node:os');
const { join, resolve } = require('node:path');
const { PerformanceObserver } = require('node:perf_hooks');
const { makeSpans } = require('./backend');

const ROUNDS = Math.max(1, Number(process.env.TRACEHOP_BENCH_ROUNDS) || 9);
const REQUESTS = 2000;
const roots = process.argv.length > 2 ? process.argv.slice(2).map((root) => resolve(root)) : [join(__dirname, '..')];

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

/** CPU milliseconds of this process since `since`. */
function cpuMs(since) {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** GC entries arrive after the work that made them: let them in before reading gcMs. */
const settle = () => new Promise((done) => setTimeout(done, 20));

function readAll(request) {
  return new Promise((done) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => done(Buffer.concat(chunks)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

function post(url, body) {
  return new Promise((done, fail) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': body.length },
    });
    request.on('error', fail);
    request.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200 ? done(undefined) : fail(new Error(`${response.statusCode}`)),
      );
    });
    request.end(body);
  });
}

/** CPU microseconds per request. */
async function timeRequests(url, body) {
  const cpu = process.cpuUsage();
  let left = REQUESTS;
  await Promise.all(
    [0, 1].map(async () => {
      while (left-- > 0) await post(url, body);
    }),
  );
  return (cpuMs(cpu) * 1000) / REQUESTS;
}

/** CPU and GC milliseconds of one pass of `run`. */
async function timePass(run) {
  await settle();
  gcMs = 0;
  const cpu = process.cpuUsage();
  run();
  const used = cpuMs(cpu);
  await settle();
  return { cpu: used, gc: gcMs };
}

async function main() {
  const { encodeOtlpJson } = require(join(roots[0], 'dist/harness/model/otlp-json.js'));
  const batches = Array.from({ length: 40 }, (_, b) => Buffer.from(JSON.stringify(encodeOtlpJson(makeSpans(b, 512)))));
  const empty = Buffer.from('{"resourceSpans":[]}');
  const bare = http.createServer((request, response) => {
    readAll(request).then((bytes) => {
      JSON.parse(bytes.toString('utf8'));
      const body = Buffer.from('{}');
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      response.end(body);
    });
  });
  await new Promise((done) => bare.listen(0, '127.0.0.1', () => done(undefined)));
  const bareUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (bare.address()).port}/v1/traces`;
  const builds = [];
  for (const root of roots) {
    const { listen } = require(join(root, 'dist/harness/backend/internal/listener.js'));
    const { createOtlpReceiver, decodeJsonExport } = require(join(root, 'dist/harness/backend/otlp-receiver.js'));
    const listener = await listen(createOtlpReceiver({ onSpans: () => undefined, allSpans: () => [] }), 0);
    /** @type {any[]} */
    const samples = [];
    builds.push({ root, listener, url: `${listener.url}/v1/traces`, decodeJsonExport, samples });
  }
  const parse = () => {
    for (const bytes of batches) JSON.parse(bytes.toString('utf8'));
  };
  const decoder = (build, keep) => () => {
    const kept = [];
    for (const bytes of batches) {
      const decoded = build.decodeJsonExport(bytes.toString('utf8'));
      if (!decoded.ok) throw new Error(decoded.message);
      if (keep) kept.push(decoded.value.spans);
    }
    return kept;
  };
  console.log(
    `load average before: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  for (let round = -1; round < ROUNDS; round++) {
    for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
      const sample = {
        bareRequest: await timeRequests(bareUrl, empty),
        receiverRequest: await timeRequests(build.url, empty),
        parse: await timePass(parse),
        drop: await timePass(decoder(build, false)),
        keep: await timePass(decoder(build, true)),
      };
      // Round -1 warms every path up.
      if (round >= 0) build.samples.push(sample);
    }
  }
  for (const { root, samples } of builds) {
    const m = (pick) => median(samples.map(pick)).toFixed(1);
    console.log(`\n${root} (medians of ${ROUNDS} rounds, CPU)`);
    console.log(`  per request: bare ${m((s) => s.bareRequest)} µs, receiver ${m((s) => s.receiverRequest)} µs`);
    console.log(
      `  40 batches of 512 spans: JSON.parse ${m((s) => s.parse.cpu)} ms (gc ${m((s) => s.parse.gc)}), ` +
        `decode and drop ${m((s) => s.drop.cpu)} ms (gc ${m((s) => s.drop.gc)}), ` +
        `decode and keep ${m((s) => s.keep.cpu)} ms (gc ${m((s) => s.keep.gc)})`,
    );
  }
  console.log(
    `load average after: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  bare.close();
  agent.destroy();
  await Promise.all(builds.map(({ listener }) => listener.close()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
