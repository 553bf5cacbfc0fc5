#!/usr/bin/env node
'use strict';
/**
 * How many split traces `verifySpans --expect` ties to the run they really split from, when many runs break
 * on the same hop at once with no span link and no sound run on that hop (README: "Fragments that started
 * while a run's unanswered call ran are tied first"). Plain JS over dist/ (npm run build first;
 * TRACEHOP_BENCH_ROOT points at another build to compare rules on the same corpus).
 *
 * The corpus: for every cell of runs (2 to 32), most ms between run starts (0 to 5, each gap drawn evenly from
 * 0 up to it), the hop that breaks (app -> api-gateway, api-gateway -> payment-api, payment-api ->
 * fraud-service), callee durations (alike: 40 ms give or take 10%, or spread: 10 to 80 ms) and whether one run
 * in four reached a callee that sampled it out (an unanswered call with no new trace), SEEDS seeded dumps.
 * Spans are made by the OpenTelemetry JS SDK (BasicTracerProvider, W3C propagator), starts stamped in whole
 * milliseconds and ends at the start plus the measured duration, as the SDK does; each hop has its own jitter:
 * the caller's work before its call, network delay before the callee's span starts (now and then a stall of a
 * few ms), the callee's own work, and the way back (now and then the caller's event loop is busy; now and then
 * the SERVER span ends after the caller read the answer, once the response is flushed).
 * The generator knows which run each new trace split from. Prints right/total per dimension and overall.
 *
 *   node bench/fragment-ties.js [--seeds 3] [--json]
 */
const { join } = require('node:path');
const { ROOT_CONTEXT, SpanKind, trace } = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');

const ROOT = process.env.TRACEHOP_BENCH_ROOT || join(__dirname, '..');
const { verifySpans } = require(join(ROOT, 'dist/harness/verify/verify.js'));
const { spanFromReadable } = require(join(ROOT, 'dist/harness/model/from-sdk.js'));

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];
const ROUTES = ['POST /checkout', 'POST /payments', 'POST /fraud/score'];
const EPOCH = Date.UTC(2026, 10, 26, 9, 0, 0);
const propagator = new W3CTraceContextPropagator();
const setter = { set: (carrier, key, value) => void (carrier[key] = value) };
const getter = { get: (carrier, key) => carrier[key], keys: (carrier) => Object.keys(carrier) };

/** xorshift32 in [0, 1). */
function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** Deterministic trace and span ids. */
function idsFrom(next) {
  const hex = (chars) => {
    let out = '';
    while (out.length < chars)
      out += Math.floor(next() * 4294967296)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, chars);
  };
  return { generateTraceId: () => hex(32), generateSpanId: () => hex(16) };
}

/**
 * When each run's spans start and end (ms from the dump's start, exact), hop by hop: `calls[level]` the CLIENT
 * span of chain[level] (start, end), `serves[level]` the SERVER span of chain[level] answering it. With busy
 * loops each service handles one thing at a time (Node.js's event loop): a request arriving while it works
 * waits, and so does an answer it reads, in the order they came.
 */
/** @typedef {{ start: number, end: number }} Times */
/** @typedef {{ at: number, end: number, calls: Times[], serves: Times[] }} RunTimes */
function timings(cell, uniform, exp, next) {
  const depth = CHAIN.length;
  /** @type {RunTimes[]} */
  const runs = [];
  let at = 0;
  for (let r = 0; r < cell.runs; r++) {
    at += uniform(0, cell.gapMs);
    runs.push({ at, end: 0, calls: [], serves: [] });
  }
  const busy = new Map();
  /** When `service` gets to an event that came at each of `times` (in arrival order), taking `cost()` each. */
  const handle = (service, times, cost) => {
    const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
    const out = [];
    for (const i of order) {
      const free = cell.loops === 'busy' ? (busy.get(service) ?? -Infinity) : -Infinity;
      const handled = Math.max(times[i], free);
      if (cell.loops === 'busy') busy.set(service, handled + cost());
      out[i] = handled;
    }
    return out;
  };
  // Down the chain: each caller works a while, calls, and the request reaches the callee after the network.
  let ready = runs.map((run) => run.at);
  for (let level = 0; level < depth - 1; level++) {
    const sent = ready.map((t) => t + uniform(0.3, 1.5));
    const arrived = sent.map((t) => t + 0.15 + exp(0.3) + (cell.stalls && next() < 0.1 ? uniform(1, 4) : 0));
    const served = handle(CHAIN[level + 1], arrived, () => uniform(0.3, 1.5));
    runs.forEach((run, r) => {
      run.calls[level] = { start: sent[r], end: 0 };
      run.serves[level + 1] = { start: served[r], end: 0 };
    });
    ready = served;
  }
  // Back up: the last callee works, each answer travels back and its caller reads it when it gets to it.
  let answered = ready.map((t) => t + (cell.durations === 'alike' ? uniform(36, 44) : uniform(10, 80)));
  for (let level = depth - 2; level >= 0; level--) {
    const back = answered.map((t) => t + 0.1 + exp(0.3));
    const read = handle(CHAIN[level], back, () => uniform(0.2, 1));
    runs.forEach((run, r) => {
      // The SERVER span ends once the response is flushed: now and then after the caller read it.
      const flushed = next() < 0.1 ? Math.min(answered[r] + uniform(0, 1), read[r]) : answered[r];
      run.serves[level + 1].end = flushed;
      run.calls[level].end = Math.max(read[r], run.calls[level].start + 0.1);
    });
    answered = read.map((t) => t + uniform(0.1, 0.5));
  }
  runs.forEach((run, r) => (run.end = answered[r] + 0.2));
  return runs;
}

/**
 * One dump of `cell`: returns the spans and, for each new trace, the trace id of the run it split from.
 */
function makeDump(cell, seed) {
  const next = random(seed * 7919 + 17);
  const uniform = (low, high) => low + (high - low) * next();
  const exp = (mean) => -mean * Math.log(1 - next());
  const finished = [];
  const providers = new Map();
  const ids = idsFrom(next);
  const tracerOf = (service) => {
    let provider = providers.get(service);
    if (!provider) {
      provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        idGenerator: ids,
        spanProcessors: [
          {
            onStart: () => undefined,
            onEnd: (span) => void finished.push(span),
            forceFlush: async () => undefined,
            shutdown: async () => undefined,
          },
        ],
      });
      providers.set(service, provider);
    }
    return provider.getTracer('fragment-ties');
  };
  /** A span started as the SDK stamps it (whole ms), ended at that start plus the measured duration. */
  const skew = new Map(CHAIN.map((service, level) => [service, level === 0 ? 0 : uniform(-cell.skewMs, cell.skewMs)]));
  const record = (service, name, kind, times, context) => {
    const start = Math.floor(times.start + skew.get(service));
    const span = tracerOf(service).startSpan(name, { kind, startTime: EPOCH + start }, context);
    return { span, end: () => span.end(EPOCH + start + (times.end - times.start)) };
  };
  const truth = new Map();
  timings(cell, uniform, exp, next).forEach((run, r) => {
    const sampledOut = cell.unsampled && r % 4 === 3;
    const root = record(CHAIN[0], 'checkout', SpanKind.INTERNAL, { start: run.at, end: run.end }, ROOT_CONTEXT);
    const runTrace = root.span.spanContext().traceId;
    const ends = [root];
    let context = trace.setSpan(ROOT_CONTEXT, root.span);
    for (let level = 0; level < CHAIN.length - 1; level++) {
      const call = record(CHAIN[level], ROUTES[level], SpanKind.CLIENT, run.calls[level], context);
      ends.push(call);
      const broken = level === cell.hop;
      // The callee's sampler dropped the request: it answered, but recorded nothing (nor did its callees).
      if (broken && sampledOut) break;
      const carrier = {};
      if (!broken) propagator.inject(trace.setSpan(context, call.span), carrier, setter);
      const received = propagator.extract(ROOT_CONTEXT, carrier, getter);
      const served = record(CHAIN[level + 1], ROUTES[level], SpanKind.SERVER, run.serves[level + 1], received);
      ends.push(served);
      if (broken) truth.set(served.span.spanContext().traceId, runTrace);
      context = trace.setSpan(received, served.span);
    }
    for (const { end } of ends) end();
  });
  return { spans: finished.map((span) => spanFromReadable(span)), truth };
}

/** How many of the dump's new traces check ties to the run they split from. */
function score(cell, seed) {
  const { spans, truth } = makeDump(cell, seed);
  const verdict = verifySpans(spans, { expect: CHAIN });
  const tiedTo = new Map();
  for (const run of verdict.chains[0].runs) for (const fragment of run.fragments) tiedTo.set(fragment, run.traceId);
  let right = 0;
  for (const [fragment, run] of truth) if (tiedTo.get(fragment) === run) right++;
  return { right, total: truth.size };
}

function main() {
  const args = process.argv.slice(2);
  const seedsAt = args.indexOf('--seeds');
  const seeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 3;
  const cells = [];
  for (const runs of [2, 4, 6, 8, 16, 32])
    for (const gapMs of [0, 1, 2, 5])
      for (const hop of [0, 1, 2])
        for (const durations of ['alike', 'spread'])
          for (const unsampled of [false, true])
            for (const loops of ['idle', 'busy'])
              for (const stalls of [false, true])
                for (const skewMs of [0, 2])
                  cells.push({ runs, gapMs, hop, durations, unsampled, loops, stalls, skewMs });
  const by = new Map();
  const add = (key, result) => {
    const sum = by.get(key) ?? { right: 0, total: 0 };
    sum.right += result.right;
    sum.total += result.total;
    by.set(key, sum);
  };
  for (const cell of cells) {
    for (let seed = 1; seed <= seeds; seed++) {
      const result = score(cell, seed);
      add('all', result);
      add(`runs ${cell.runs}`, result);
      add(`gap 0-${cell.gapMs} ms`, result);
      add(`hop ${CHAIN[cell.hop]} -> ${CHAIN[cell.hop + 1]}`, result);
      add(`durations ${cell.durations}`, result);
      add(`one in four sampled out: ${cell.unsampled ? 'yes' : 'no'}`, result);
      add(`event loops ${cell.loops}`, result);
      add(`network stalls ${cell.stalls ? 'yes' : 'no'}`, result);
      add(`callee clocks off by up to ${cell.skewMs} ms`, result);
    }
  }
  if (args.includes('--json')) {
    console.log(JSON.stringify(Object.fromEntries(by)));
    return;
  }
  console.log(`build: ${ROOT}; ${cells.length} cells x ${seeds} seeds`);
  for (const [key, { right, total }] of by)
    console.log(
      `${key.padEnd(40)} ${String(right).padStart(6)} / ${String(total).padStart(6)}  ${((100 * right) / total).toFixed(1)}%`,
    );
}

main();
