'use strict';
/**
 * Writes a staging-size dump made by the real OpenTelemetry JS SDK, with the ground truth of every run: which
 * fault was injected, and what `tracehop check` should call it. Not shipped (scripts/ is outside the package).
 *
 * Services, one process each (service.js): mobile-app, api-gateway, payment-api, fraud-service, auth-service,
 * real HTTP between them on 127.0.0.1. This process runs, untraced: the collector (OTLP/HTTP JSON bodies written
 * one a line as a Collector's file exporter writes them, and Zipkin v2 bodies), the proxy that injects the
 * gateway's faults, a proxy that answers 503, and a curl-like health checker.
 *
 * Usage: node scripts/real-sdk-staging/generate.js <out-dir> [--runs N] [--concurrency C] [--seed S]
 *   [--serve json|proto] [--untraced-every K] [--refused-weight W]
 * Writes <out-dir>/staging.jsonl, staging.zipkin.json, staging.jaeger.json, staging.console.txt (every service's
 * ConsoleSpanExporter print, one service after another) and ground-truth.json. With --serve, the services also
 * export (OTLP/HTTP JSON or protobuf) to a `tracehop serve` this script starts, whose stored spans it writes to
 * staging.serve.json. --untraced-every K sends a curl-like POST /checkout with no trace headers before every
 * K-th run (ground truth: `untraced`); --refused-weight W mixes in checkouts whose gateway's payment call is
 * refused (nothing listens), weight W of the mix below (0 by default, so a seed picks the runs it always did).
 * Compare a check's verdicts with the ground truth: node scripts/real-sdk-staging/compare.js <out-dir>.
 */
const { fork, spawn } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const { join } = require('node:path');
const { toJaeger } = require('./jaeger');
const { expectation, FAULTS_AT_PROXY } = require('./faults');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const outDir = args[0];
if (!outDir || outDir.startsWith('--')) {
  process.stderr.write('usage: generate.js <out-dir> [--runs N] [--concurrency C] [--seed S]\n');
  process.exit(2);
}
const RUNS = option('--runs', 320);
const CONCURRENCY = option('--concurrency', 16);
const SEED = option('--seed', 7);
const at = args.indexOf('--serve');
const SERVE = at >= 0 ? String(args[at + 1]) : 'none';
const UNTRACED_EVERY = option('--untraced-every', 0);
const REFUSED_WEIGHT = option('--refused-weight', 0);
if (!['none', 'json', 'proto'].includes(SERVE)) {
  process.stderr.write('--serve takes json or proto\n');
  process.exit(2);
}
const TRACEHOP = join(__dirname, '..', '..', 'bin', 'tracehop.js');

/** mulberry32: the seeded random numbers that pick each run's journey and fault. */
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @type {Array<[string, string, number]>} [journey, fault, weight]: the mix of runs. */
const MIX = [
  ['checkout', 'none', 24],
  ['checkout', 'drop-traceparent', 8],
  ['checkout', 'rewrite-parent', 6],
  ['checkout', 'drop-tracestate', 6],
  ['checkout', 'unsampled', 6],
  ['checkout', 'callee-sampled-out', 6],
  ['checkout', 'retry-503-kept', 5],
  ['checkout', 'retry-503-lost', 5],
  ['checkout', 'gateway-refused', REFUSED_WEIGHT],
  ['offline-replay', 'replay-kept', 6],
  ['offline-replay', 'replay-lost', 6],
  ['login', 'none', 10],
  ['login', 'drop-traceparent', 4],
];
const TOTAL = MIX.reduce((sum, [, , weight]) => sum + weight, 0);
function pick(random) {
  let at = random() * TOTAL;
  for (const [journey, fault, weight] of MIX) {
    at -= weight;
    if (at < 0) return { journey, fault };
  }
  return { journey: 'checkout', fault: 'none' };
}

/** Starts an HTTP server on an ephemeral port of 127.0.0.1. */
function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const readBody = (request) =>
  new Promise((resolve) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
  });

/** A random lower-case hex string of `length` characters (a rewritten parent id). */
const hex = (random, length) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

async function main() {
  mkdirSync(outDir, { recursive: true });
  const random = seeded(SEED);
  const otlpLines = [];
  const zipkinSpans = [];
  const collector = await listen(async (request, response) => {
    const body = await readBody(request);
    if (request.url === '/v1/traces') otlpLines.push(JSON.stringify(JSON.parse(body.toString('utf8'))));
    else if (request.url === '/api/v2/spans') zipkinSpans.push(...JSON.parse(body.toString('utf8')));
    response.statusCode = request.url === '/v1/traces' ? 200 : 202;
    response.setHeader('content-type', 'application/json');
    response.end('{}');
  });
  // The proxy between api-gateway and its callee: injects the run's fault into the trace headers.
  const proxyRandom = seeded(SEED + 1);
  const proxy = await listen(async (request, response) => {
    const body = await readBody(request);
    const headers = { ...request.headers };
    const fault = String(headers['x-fault']);
    const upstream = Number(headers['x-upstream']);
    delete headers['x-upstream'];
    const parent = String(headers.traceparent || '');
    if (fault === 'drop-traceparent') {
      delete headers.traceparent;
      delete headers.tracestate;
    } else if (fault === 'rewrite-parent' && parent) {
      headers.traceparent = `${parent.slice(0, 36)}${hex(proxyRandom, 16)}${parent.slice(52)}`;
    } else if (fault === 'drop-tracestate') {
      delete headers.tracestate;
    } else if (fault === 'unsampled' && parent) {
      headers.traceparent = `${parent.slice(0, 53)}00`;
    }
    const forward = http.request(
      { host: '127.0.0.1', port: upstream, path: request.url, method: request.method, headers },
      (answer) => {
        response.writeHead(answer.statusCode || 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', () => {
      response.statusCode = 502;
      response.end();
    });
    forward.end(body);
  });
  const unavailable = await listen(async (request, response) => {
    await readBody(request);
    response.statusCode = 503;
    response.end('unavailable');
  });
  const closedServer = await listen(() => undefined);
  const closed = closedServer.address().port;
  await new Promise((resolve) => closedServer.close(resolve));

  /** @type {import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, null> | undefined} */
  let serveChild;
  /** @type {{ otlp?: string, spans?: string }} */
  let serveUrls = {};
  if (SERVE !== 'none') {
    const child = spawn(process.execPath, [TRACEHOP, 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
    serveChild = child;
    serveUrls = await new Promise((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk) => {
        text += chunk;
        if (text.includes('\n')) resolve(JSON.parse(text.split('\n')[0] || '{}'));
      });
    });
  }
  /** @type {Map<string, Buffer[]>} Each service's stdout: its ConsoleSpanExporter print. */
  const consoleOut = new Map();
  const served = [];
  const base = {
    serveUrl: serveUrls.otlp,
    serveProto: SERVE,
    otlpUrl: `http://127.0.0.1:${collector.address().port}/v1/traces`,
    zipkinUrl: `http://127.0.0.1:${collector.address().port}/api/v2/spans`,
  };
  const children = new Map();
  async function start(role, config) {
    const child = fork(join(__dirname, 'service.js'), [role], {
      env: { ...process.env, STAGING_CONFIG: JSON.stringify({ ...base, ...config }) },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    /** @type {Buffer[]} */
    const out = [];
    consoleOut.set(role, out);
    child.stdout?.on('data', (chunk) => out.push(chunk));
    child.on('message', (/** @type {{ type: string, port: number }} */ message) => {
      if (message.type === 'served') served.push({ ...message, at: Date.now() });
    });
    const port = await new Promise((resolve) =>
      child.on(
        'message',
        (/** @type {{ type: string, port: number }} */ message) => message.type === 'ready' && resolve(message.port),
      ),
    );
    children.set(role, child);
    return port;
  }
  const fraud = await start('fraud-service', {});
  const auth = await start('auth-service', {});
  const payment = await start('payment-api', { fraud });
  const gateway = await start('api-gateway', {
    payment,
    auth,
    proxy: proxy.address().port,
    proxyFaults: FAULTS_AT_PROXY,
    closed,
  });
  await start('mobile-app', { gateway, unavailable: unavailable.address().port, closed });
  const app = children.get('mobile-app');

  const pending = new Map();
  app.on('message', (message) => {
    if (message.type !== 'ran') return;
    const done = pending.get(message.run);
    pending.delete(message.run);
    if (done) done(message);
  });
  const runs = Array.from({ length: RUNS }, (_, index) => ({
    run: `r${String(index + 1).padStart(3, '0')}`,
    ...pick(random),
  }));
  const healthEvery = 7;
  const health = () =>
    new Promise((resolve) => {
      const request = http.get({ host: '127.0.0.1', port: gateway, path: '/health' }, (answer) => {
        answer.resume();
        answer.on('end', resolve);
      });
      request.on('error', resolve);
    });
  /** @type {Array<{ run: string, startedAt: number, endedAt: number, traces?: Record<string, string> }>} */
  const untraced = [];
  /** A client that does not trace (curl): POST /checkout with no trace headers, on the runs' route. */
  const curl = (/** @type {string} */ id) =>
    new Promise((resolve) => {
      const startedAt = Date.now();
      const headers = { 'x-run': id, 'x-fault': 'none', 'content-type': 'application/json' };
      const request = http.request(
        { host: '127.0.0.1', port: gateway, path: '/checkout', method: 'POST', headers },
        (answer) => {
          answer.resume();
          answer.on('end', () => {
            untraced.push({ run: id, startedAt, endedAt: Date.now() });
            resolve(undefined);
          });
        },
      );
      request.on('error', resolve);
      request.end('{}');
    });
  const results = [];
  let next = 0;
  async function worker() {
    while (next < runs.length) {
      const index = next++;
      const spec = runs[index];
      if (index % healthEvery === 0) await health();
      if (UNTRACED_EVERY > 0 && index % UNTRACED_EVERY === 3) await curl(`u${String(index + 1).padStart(3, '0')}`);
      const startedAt = Date.now();
      const ran = await new Promise((resolve) => {
        pending.set(spec.run, resolve);
        app.send({ type: 'run', ...spec });
      });
      if (ran.error) process.stderr.write(`run ${spec.run}: ${ran.error}\n`);
      results[index] = { ...spec, traceId: ran.traceId, startedAt, endedAt: Date.now() };
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  for (const child of children.values()) {
    await new Promise((/** @type {(value?: unknown) => void} */ resolve) => {
      child.on('message', (/** @type {{ type: string }} */ message) => message.type === 'down' && resolve());
      child.send({ type: 'shutdown' });
    });
    child.kill();
  }
  for (const server of [collector, proxy, unavailable]) server.close();
  if (serveChild && serveUrls.spans) {
    writeFileSync(join(outDir, 'staging.serve.json'), await (await fetch(serveUrls.spans)).text());
    serveChild.kill('SIGTERM');
  }
  writeFileSync(
    join(outDir, 'staging.console.txt'),
    [...consoleOut.values()].map((chunks) => Buffer.concat(chunks).toString('utf8')).join(''),
  );
  for (const entry of untraced) {
    /** @type {Record<string, string>} */
    const traces = {};
    for (const hop of served.filter((s) => s.run === entry.run && s.sampled)) traces[hop.service] = hop.traceId;
    entry.traces = traces;
  }

  const truth = results.map((result) => {
    const hops = served.filter((entry) => entry.run === result.run && entry.sampled);
    const traces = {};
    for (const entry of hops) traces[entry.service] = entry.traceId;
    return { ...result, traces, expected: expectation(result, traces) };
  });
  writeFileSync(join(outDir, 'staging.jsonl'), `${otlpLines.join('\n')}\n`);
  writeFileSync(join(outDir, 'staging.zipkin.json'), `${JSON.stringify(zipkinSpans)}\n`);
  writeFileSync(join(outDir, 'staging.jaeger.json'), `${JSON.stringify(toJaeger(otlpLines))}\n`);
  writeFileSync(
    join(outDir, 'ground-truth.json'),
    `${JSON.stringify({ seed: SEED, runs: RUNS, concurrency: CONCURRENCY, truth, untraced }, null, 1)}\n`,
  );
  const spans = otlpLines.reduce(
    (sum, line) =>
      sum +
      JSON.parse(line).resourceSpans.reduce(
        (inner, resource) => inner + resource.scopeSpans.reduce((n, scope) => n + scope.spans.length, 0),
        0,
      ),
    0,
  );
  process.stdout.write(`${RUNS} runs at concurrency ${CONCURRENCY}, seed ${SEED}: ${spans} spans in ${outDir}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
