'use strict';
/**
 * Backend benchmarks (plain JS over dist/, run by bench/run.js). Every case has a floor: the same work done
 * by the simplest code that can do it, measured in the same run, so only ratios are compared.
 *  - checkout through the 3 mock services vs bare node:http servers forwarding with fetch (sequential and
 *    at concurrency 16);
 *  - OTLP/JSON ingest of 512-span batches vs a bare node:http server that JSON.parses the body; protobuf
 *    ingest against JSON ingest;
 *  - a checkout while one store.waitFor is pending over 10,000 stored spans vs a checkout on an empty store;
 *  - peak RSS of a backend holding 1M spans vs an empty backend (bench/memory-child.js, --expose-gc).
 * Everything listens on 127.0.0.1 with OS-chosen ports and is closed before the function returns.
 */
const { fork } = require('node:child_process');
const http = require('node:http');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const hex = (n, width) => n.toString(16).padStart(width, '0');

function load(root) {
  return {
    startBackend: require(join(root, 'dist/harness/backend/index.js')).startBackend,
    encodeOtlpJson: require(join(root, 'dist/harness/model/otlp-json.js')).encodeOtlpJson,
    encodeOtlpProtobuf: require(join(root, 'dist/harness/model/otlp-proto.js')).encodeOtlpProtobuf,
  };
}

// ---- bare floors ----

function readAll(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function listenBare(handler) {
  const server = http.createServer((request, response) => {
    handler(request, response).catch(() => {
      response.statusCode = 500;
      response.end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({ server, url: `http://127.0.0.1:${address.port}` });
    });
  });
}

function sendJson(response, status, value) {
  const body = Buffer.from(JSON.stringify(value));
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
}

/** gateway -> payment -> fraud: each reads the body, forwards with fetch and answers JSON. */
async function startBareChain() {
  const fraud = await listenBare(async (request, response) => {
    await readAll(request);
    sendJson(response, 200, { service: 'fraud-service', calls: [] });
  });
  const forwarder = (name, next) => async (request, response) => {
    await readAll(request);
    const answer = await fetch(next, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: request.headers.traceparent ?? '' },
      body: JSON.stringify({ from: name }),
    });
    await answer.text();
    sendJson(response, 200, { service: name, calls: [{ status: answer.status }] });
  };
  const payment = await listenBare(forwarder('payment-api', `${fraud.url}/fraud/score`));
  const gateway = await listenBare(forwarder('api-gateway', `${payment.url}/payments`));
  return {
    checkoutUrl: `${gateway.url}/checkout`,
    close: () => Promise.all([fraud, payment, gateway].map(({ server }) => closeServer(server))),
  };
}

function closeServer(server) {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve(undefined));
  });
}

/** A bare OTLP/JSON ingest floor: read the body, JSON.parse it, count the spans, answer {}. */
async function startBareIngest() {
  let spans = 0;
  const bare = await listenBare(async (request, response) => {
    const doc = JSON.parse((await readAll(request)).toString('utf8'));
    for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) spans += ss.spans.length;
    sendJson(response, 200, {});
  });
  return { url: `${bare.url}/v1/traces`, spans: () => spans, close: () => closeServer(bare.server) };
}

// ---- clients ----

let checkoutNo = 0;

async function checkout(url) {
  checkoutNo++;
  const traceparent = `00-${hex(checkoutNo, 32)}-${hex(checkoutNo, 16)}-01`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { traceparent, 'content-type': 'application/json' },
    body: '{}',
  });
  await response.text();
  if (response.status !== 200) throw new Error(`checkout answered ${response.status}`);
}

/** ms per checkout: `count` checkouts by `concurrency` workers, wall time divided by count. */
async function timeCheckouts(url, count, concurrency) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let left = count;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left > 0) {
        left--;
        await checkout(url);
      }
    }),
  );
  return { value: (performance.now() - started) / count, cpu: cpuMs(cpu) / count };
}

/** CPU milliseconds (user + system) of this process since `since`: the client and the servers alike. */
function cpuMs(since) {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function post(url, contentType, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': contentType, 'content-length': body.length },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200 ? resolve(undefined) : reject(new Error(`export answered ${response.statusCode}`)),
      );
    });
    request.end(body);
  });
}

/** Spans per second: every batch posted once, `concurrency` requests in flight. */
async function timeIngest(url, contentType, batches, spansPerBatch, concurrency = 2) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) await post(url, contentType, batches[next++]);
    }),
  );
  const spans = batches.length * spansPerBatch;
  // cpu: CPU milliseconds per 1,000 spans.
  return { value: spans / ((performance.now() - started) / 1000), cpu: (cpuMs(cpu) * 1000) / spans };
}

// ---- data ----

/** A batch of spans shaped like an instrumented service's (5 services, SERVER/CLIENT pairs). */
function makeSpans(batchNo, count) {
  const spans = [];
  const services = ['api-gateway', 'payment-api', 'fraud-service', 'auth-service', 'catalog-service'];
  for (let i = 0; i < count; i++) {
    const traceNo = batchNo * count + Math.floor(i / 4);
    const start = Date.UTC(2026, 10, 26) + traceNo;
    spans.push({
      traceId: hex(traceNo + 1, 32),
      spanId: hex(batchNo * count + i + 1, 16),
      ...(i % 4 ? { parentSpanId: hex(batchNo * count + i, 16) } : {}),
      name: i % 2 ? 'POST /payments' : 'POST /checkout',
      kind: i % 2 ? 'client' : 'server',
      service: services[Math.floor(i / 4) % services.length],
      startTimeMs: start,
      endTimeMs: start + 12.5,
      attributes: {
        'http.request.method': 'POST',
        'url.path': '/payments',
        'http.response.status_code': 200,
        'server.address': '127.0.0.1',
      },
      traceFlags: 1,
    });
  }
  return spans;
}

// ---- cases ----

/**
 * Runs every case `rounds` times, interleaved. Keeps each case's best wall-clock value (fastest round) and,
 * separately, its least CPU time per unit: on a shared machine CPU time is the steadier of the two.
 */
async function fastestOf(rounds, cases) {
  const best = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const { value, cpu } = await run();
      const old = best[name];
      const better = !old || (name.endsWith('PerSec') ? value > old.value : value < old.value);
      best[name] = { value: better ? value : old.value, cpu: old ? Math.min(old.cpu, cpu) : cpu };
    }
  }
  return best;
}

async function withBackend(lib, use) {
  const backend = await lib.startBackend({ onWarning: () => undefined });
  try {
    return await use(backend);
  } finally {
    await backend.stop();
  }
}

/**
 * Runs the in-process backend cases and returns the fastest round of each: ms per checkout, spans/s.
 * @param {{ root: string, rounds: number }} options
 */
async function benchBackend({ root, rounds }) {
  const lib = load(root);
  const bare = await startBareChain();
  const bareIngest = await startBareIngest();
  const BATCH = 512;
  // TRACEHOP_BENCH_INGEST_BATCHES: 512-span batches per ingest round (default 40). More make longer rounds,
  // less at the mercy of one garbage collection, and a larger store.
  const BATCHES = Number(process.env.TRACEHOP_BENCH_INGEST_BATCHES) || 40;
  const spanBatches = Array.from({ length: BATCHES }, (_, b) => makeSpans(b, BATCH));
  const jsonBatches = spanBatches.map((spans) => Buffer.from(JSON.stringify(lib.encodeOtlpJson(spans))));
  const protoBatches = spanBatches.map((spans) => Buffer.from(lib.encodeOtlpProtobuf(spans)));
  const filler = makeSpans(1000, 10_000);
  try {
    // Warm up every path once so the first round does not pay for JIT and connection set-up.
    await timeCheckouts(bare.checkoutUrl, 30, 4);
    await withBackend(lib, async (backend) => {
      await timeCheckouts(`${backend.urls.services['api-gateway']}/checkout`, 30, 4);
      await timeIngest(backend.urls.otlp, 'application/json', jsonBatches.slice(0, 4), BATCH);
      await timeIngest(backend.urls.otlp, 'application/x-protobuf', protoBatches.slice(0, 4), BATCH);
    });
    await timeIngest(bareIngest.url, 'application/json', jsonBatches.slice(0, 4), BATCH);

    const best = await fastestOf(rounds, {
      bareSequential: () => timeCheckouts(bare.checkoutUrl, 200, 1),
      tracehopSequential: () =>
        withBackend(lib, (backend) => timeCheckouts(`${backend.urls.services['api-gateway']}/checkout`, 200, 1)),
      bareConcurrent: () => timeCheckouts(bare.checkoutUrl, 400, 16),
      tracehopConcurrent: () =>
        withBackend(lib, (backend) => timeCheckouts(`${backend.urls.services['api-gateway']}/checkout`, 400, 16)),
      bareIngestPerSec: () => timeIngest(bareIngest.url, 'application/json', jsonBatches, BATCH),
      jsonIngestPerSec: () =>
        withBackend(lib, async (backend) => {
          const result = await timeIngest(backend.urls.otlp, 'application/json', jsonBatches, BATCH);
          if (backend.store.size !== BATCH * BATCHES) throw new Error(`stored ${backend.store.size} spans`);
          return result;
        }),
      protoIngestPerSec: () =>
        withBackend(lib, async (backend) => {
          const result = await timeIngest(backend.urls.otlp, 'application/x-protobuf', protoBatches, BATCH);
          if (backend.store.size !== BATCH * BATCHES) throw new Error(`stored ${backend.store.size} spans`);
          return result;
        }),
      emptyStoreCheckout: () =>
        withBackend(lib, (backend) => timeCheckouts(`${backend.urls.services['api-gateway']}/checkout`, 40, 1)),
      waitingCheckout: () =>
        withBackend(lib, async (backend) => {
          backend.store.add(...filler);
          // The pending wait a test would have: it holds only when a span nobody sends arrives.
          const pending = backend.store.waitFor((spans) => spans.some((s) => s.service === 'bench-done'), {
            timeout: 600_000,
          });
          const result = await timeCheckouts(`${backend.urls.services['api-gateway']}/checkout`, 40, 1);
          backend.store.add({ ...filler[0], service: 'bench-done' });
          await pending;
          return result;
        }),
    });
    return best;
  } finally {
    await bare.close();
    await bareIngest.close();
    agent.destroy();
  }
}

/**
 * Starts bench/memory-child.js (a backend alone in its process), sends it `spans` spans over loopback in
 * 512-span OTLP/JSON batches from this process, then asks it to measure itself.
 */
function runMemoryChild(root, spans) {
  const { encodeOtlpJson } = load(root);
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'memory-child.js'), [root], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result;
    child.on('message', (/** @type {any} */ message) => {
      if (message.otlp) {
        feed(message.otlp)
          .then(() => child.send({ measure: true }))
          .catch((error) => {
            child.kill();
            reject(error);
          });
      } else result = message;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && result ? resolve(result) : reject(new Error(`memory child exited with ${code}`)),
    );
    async function feed(url) {
      const BATCH = 512;
      let next = 0;
      const total = Math.ceil(spans / BATCH);
      await Promise.all(
        Array.from({ length: 2 }, async () => {
          while (next < total) {
            const batchNo = next++;
            const count = Math.min(BATCH, spans - batchNo * BATCH);
            const body = Buffer.from(JSON.stringify(encodeOtlpJson(makeSpans(batchNo, count))));
            await post(url, 'application/json', body);
          }
        }),
      );
    }
  });
}

/** Peak RSS (MB) of an empty backend and of one holding `spans` spans, each in its own process. */
async function benchMemory({ root, spans }) {
  const empty = await runMemoryChild(root, 0);
  const full = await runMemoryChild(root, spans);
  return { empty, full };
}

module.exports = { benchBackend, benchMemory, makeSpans };
