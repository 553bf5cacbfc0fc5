'use strict';
/**
 * One service of the staging-size real-SDK dump (see generate.js): a process with its own NodeTracerProvider,
 * BatchSpanProcessors exporting OTLP/HTTP JSON and Zipkin v2 to the generator's collector, a ConsoleSpanExporter
 * printing to stdout, and (with generate.js --serve) OTLP/HTTP JSON or protobuf to `tracehop serve`; the W3C propagator,
 * and @opentelemetry/instrumentation-http (servers, and api-gateway's calls) and -undici (fetch: the app's and
 * payment-api's calls). Forked by generate.js, told its downstream ports over IPC; reports each request it
 * served (run id, trace id, sampled) so the generator can write the ground truth.
 *
 * Usage (by generate.js only): service.js <mobile-app|api-gateway|payment-api|fraud-service|auth-service>
 */
const { context, ROOT_CONTEXT, SpanKind, trace, createContextKey } = require('@opentelemetry/api');
const { TraceState } = require('@opentelemetry/core');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { OTLPTraceExporter: OTLPProtoExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { ZipkinExporter } = require('@opentelemetry/exporter-zipkin');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  SamplingDecision,
} = require('@opentelemetry/sdk-trace-base');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');

const role = process.argv[2];
const config = JSON.parse(process.env.STAGING_CONFIG || '{}');

/** The app's root spans carry a trace state, so a hop that drops tracestate shows in the spans. */
const appSampler = {
  shouldSample: (ctx) => {
    const parent = trace.getSpanContext(ctx);
    return {
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      traceState: parent ? parent.traceState : new TraceState('mobile=app1'),
    };
  },
  toString: () => 'AppSampler',
};

/** fraud-service samples out the requests the run marked (a callee whose own sampler drops the call). */
const SAMPLE_OUT = 'http.request.header.x-sample-out';
const parentBased = new ParentBasedSampler({ root: new AlwaysOnSampler() });
const calleeSampler = {
  shouldSample: (ctx, traceId, name, kind, attributes, links) =>
    attributes && attributes[SAMPLE_OUT] !== undefined
      ? { decision: SamplingDecision.NOT_RECORD }
      : parentBased.shouldSample(ctx, traceId, name, kind, attributes, links),
  toString: () => 'CalleeSampler',
};

const processor = (exporter) => new BatchSpanProcessor(exporter, { scheduledDelayMillis: 300 });
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': role, 'service.instance.id': String(process.pid) }),
  sampler: role === 'mobile-app' ? appSampler : role === 'fraud-service' ? calleeSampler : parentBased,
  spanProcessors: [
    processor(new OTLPTraceExporter({ url: config.otlpUrl })),
    processor(new ZipkinExporter({ url: config.zipkinUrl })),
    processor(new ConsoleSpanExporter()),
    ...(config.serveUrl
      ? [
          processor(
            config.serveProto === 'proto'
              ? new OTLPProtoExporter({ url: config.serveUrl })
              : new OTLPTraceExporter({ url: config.serveUrl }),
          ),
        ]
      : []),
  ],
});
provider.register();

/** The app tags a replay it sends from a new trace with its journey (README, "Add tracehop to your app"). */
const JOURNEY_TAG = createContextKey('staging journey tag');
registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [
    new HttpInstrumentation({
      headersToSpanAttributes: role === 'fraud-service' ? { server: { requestHeaders: ['x-sample-out'] } } : {},
    }),
    new UndiciInstrumentation({
      startSpanHook: () => {
        const tag = context.active().getValue(JOURNEY_TAG);
        return typeof tag === 'string' ? { 'app.journey': tag } : {};
      },
    }),
  ],
});

const http = require('node:http');

/** Resolves after ms milliseconds: a service's own work, so that runs at once overlap. */
const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads a request's body. */
const body = (request) =>
  new Promise((resolve) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

/** Tells the generator which trace this service served run `run` in. */
function served(run, path) {
  const span = trace.getSpan(context.active());
  const spanContext = span ? span.spanContext() : undefined;
  process.send?.({
    type: 'served',
    run,
    service: role,
    path,
    traceId: spanContext ? spanContext.traceId : '',
    spanId: spanContext ? spanContext.spanId : '',
    sampled: spanContext ? (spanContext.traceFlags & 1) === 1 : false,
    recording: span ? span.isRecording() : false,
  });
}

/** api-gateway's call with node:http (instrumentation-http makes its CLIENT span). */
function callWithHttp(port, path, headers) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode || 0));
      },
    );
    request.on('error', reject);
    request.end('{}');
  });
}

/** A fetch call (instrumentation-undici makes its CLIENT span). */
async function callWithFetch(port, path, headers) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });
  await response.text();
  return response.status;
}

/** The headers a service passes on to the next one: the run id and the fault to inject. */
function passOn(request) {
  const headers = {};
  for (const name of ['x-run', 'x-fault']) if (request.headers[name]) headers[name] = request.headers[name];
  return headers;
}

/** The HTTP services: each serves its routes, reports each request, and calls the next service. */
async function handle(request, response) {
  const run = String(request.headers['x-run'] || '');
  const fault = String(request.headers['x-fault'] || 'none');
  const path = (request.url || '/').split('?')[0];
  await body(request);
  if (request.method === 'GET' && path === '/health') {
    response.end('ok');
    return;
  }
  served(run, path);
  await work(2 + Math.floor(Math.random() * 8));
  let status = 200;
  if (role === 'api-gateway' && path === '/checkout') {
    const viaProxy = config.proxyFaults.includes(fault);
    const headers = { ...passOn(request), ...(viaProxy ? { 'x-upstream': String(config.payment) } : {}) };
    if (fault === 'gateway-refused') {
      status = await callWithHttp(config.closed, '/payments', headers).catch(() => 502);
    } else {
      status = await callWithHttp(viaProxy ? config.proxy : config.payment, '/payments', headers);
    }
  } else if (role === 'api-gateway' && path === '/login') {
    const viaProxy = config.proxyFaults.includes(fault);
    const headers = { ...passOn(request), ...(viaProxy ? { 'x-upstream': String(config.auth) } : {}) };
    status = await callWithHttp(viaProxy ? config.proxy : config.auth, '/login', headers);
  } else if (role === 'payment-api' && path === '/payments') {
    const headers = { ...passOn(request), ...(fault === 'callee-sampled-out' ? { 'x-sample-out': '1' } : {}) };
    status = await callWithFetch(config.fraud, '/score', headers);
  }
  await work(1 + Math.floor(Math.random() * 4));
  response.statusCode = status;
  response.end('{}');
}

/** The app: one journey run as the generator asks, in a root span named for its journey. */
async function journey({ run, journey: name, fault }) {
  const tracer = trace.getTracer('mobile-app');
  const headers = { 'x-run': run, 'x-fault': fault };
  const gateway = config.gateway;
  return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL }, async (root) => {
    const runTrace = root.spanContext().traceId;
    try {
      if (name === 'login') {
        await callWithFetch(gateway, '/login', headers);
      } else if (name === 'offline-replay') {
        // The first attempt goes out while offline: nothing listens on that port.
        await callWithFetch(config.closed, '/checkout', headers).catch(() => 0);
        await work(3 + Math.floor(Math.random() * 10));
        if (fault === 'replay-lost') {
          await context.with(ROOT_CONTEXT.setValue(JOURNEY_TAG, name), () =>
            callWithFetch(gateway, '/checkout', headers),
          );
        } else {
          await callWithFetch(gateway, '/checkout', headers);
        }
      } else if (fault === 'retry-503-kept' || fault === 'retry-503-lost') {
        // The first attempt reaches a proxy that does not trace and answers 503.
        await callWithFetch(config.unavailable, '/checkout', headers);
        await work(2 + Math.floor(Math.random() * 6));
        if (fault === 'retry-503-lost') {
          await context.with(ROOT_CONTEXT, () => callWithFetch(gateway, '/checkout', headers));
        } else {
          await callWithFetch(gateway, '/checkout', headers);
        }
      } else {
        await callWithFetch(gateway, '/checkout', headers);
      }
    } finally {
      root.end();
    }
    return runTrace;
  });
}

/** @typedef {{ type: string, config?: object, run: string, journey: string, fault: string }} Message */
process.on('message', (/** @type {Message} */ message) => {
  if (message.type === 'config') {
    Object.assign(config, message.config);
  } else if (message.type === 'run') {
    journey(message).then(
      (traceId) => process.send?.({ type: 'ran', run: message.run, traceId }),
      (error) => process.send?.({ type: 'ran', run: message.run, traceId: '', error: String(error) }),
    );
  } else if (message.type === 'shutdown') {
    provider.shutdown().then(() => process.send?.({ type: 'down' }));
  }
});

if (role === 'mobile-app') {
  process.send?.({ type: 'ready', port: 0 });
} else {
  const server = http.createServer((request, response) => {
    handle(request, response).catch((error) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = /** @type {import('node:net').AddressInfo} */ (server.address());
    process.send?.({ type: 'ready', port: address.port });
  });
}
