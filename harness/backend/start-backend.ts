import { uncapturedWarning } from './internal/header-limits';
import type { HttpHandler, RouteRequest } from './internal/msw';
import { failure, TracehopError } from '../internal/messages';
import type { Span } from '../model';
import { checkBackendOptions } from './backend-options';
import { CaptureLog, type CaptureEntry } from './capture-log';
import { DEFAULT_TOPOLOGY } from './default-topology';
import { faultsWithoutEffect, validateFaults, type FaultName, type FaultSetting } from './faults';
import { createForwarder, isHttpUrl, withoutCredentials, type SpanForwarder } from './forwarder';
import { listen, type Listener } from './internal/listener';
import { DownstreamAgents } from './internal/downstream-call';
import { createServiceTracer, type ServiceTracer } from './internal/service-tracer';
import { startRedirector, type Redirector } from './internal/redirector';
import { serveService } from './internal/service-listener';
import { createOtlpReceiver, type OtlpReceiverOptions } from './otlp-receiver';
import { createOtlpGrpcHandler } from './internal/otlp-grpc';
import { OTLP_PORT_NAME, resolvePorts } from './ports';
import { serviceHandlers, type RequestInfo, type ServiceEnvironment } from './service';
import { adoptSpans, SpanStore } from './span-store';
import type { Topology } from './topology';
import { w3cHandler } from './w3c-endpoint';
import { errorMessage } from '../internal/result';

/** Options of {@link startBackend}; everything has a default. */
export interface BackendOptions {
  /** The services to start; the built-in default topology when absent. */
  readonly topology?: Topology;
  /** Faults switched on from the start. */
  readonly faults?: readonly FaultSetting[];
  /** Fixed ports by service name (and "otlp"), over the topology's own `port` fields; the OS chooses when absent. */
  readonly ports?: Readonly<Record<string, number>>;
  /** Also forward every stored span to this OTLP/HTTP collector URL (…/v1/traces). */
  readonly forwardOtlpUrl?: string;
  /**
   * Largest request body a service or the receiver accepts, in bytes. When absent: 4 MiB for a service,
   * 20 MiB for the receiver (the OpenTelemetry Collector's default: one SDK batch of 512 spans with stack
   * traces in their events can pass 4 MiB).
   */
  readonly maxBodyBytes?: number;
  /** Where forwarding failures are reported; stderr when absent. */
  readonly onWarning?: (message: string) => void;
  /**
   * Whether a service reuses connections for its calls to the next hop (one keep-alive pool per target);
   * `false` opens a new connection per call and closes it after, as some proxies force. true when absent.
   */
  readonly keepAlive?: boolean;
}

/** The URLs a running backend serves. */
export interface BackendUrls {
  readonly services: Record<string, string>;
  /** The OTLP/HTTP traces endpoint, `http://127.0.0.1:P/v1/traces`. */
  readonly otlp: string;
  /**
   * The OTLP/gRPC endpoint, `http://127.0.0.1:P`: the same port as `otlp` (one port serves both), to give a gRPC
   * exporter, whose default (port 4317) is not this port unless `otlp` was given 4317.
   */
  readonly otlpGrpc: string;
  /** Every stored span as one OTLP/JSON document. */
  readonly spans: string;
}

/** A running mock backend. */
export interface Backend {
  readonly urls: BackendUrls;
  readonly store: SpanStore;
  /** A copy of the capture log: every request the services received, in arrival order, with decoded contexts. */
  captures(): CaptureEntry[];
  /** Replaces the active faults (an empty list switches them all off). Throws a TracehopError on unknown names. */
  setFaults(faults: readonly { service: string; fault: string }[]): void;
  /** Makes the next `count` calls of a route answer `status` (default 503) without calling downstream. */
  failNext(service: string, method: string, path: string, count: number, status?: number): void;
  /** While offline, a service drops every connection without answering. */
  setOffline(service: string, offline: boolean): void;
  /** Forgets every stored span and captured request (e.g. between runs of a soak); waiters are re-checked. */
  clear(): void;
  /** Closes every listener; the store and capture log stay readable. */
  stop(): Promise<void>;
}

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const DEFAULT_MAX_EXPORT = 20 * 1024 * 1024;

/** Host names that reach this machine's 127.0.0.1 listeners. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '0.0.0.0']);

/**
 * Why forwarding to `url` would loop, or undefined: it is the receiver's own address, so every forwarded
 * export would be received, stored and forwarded again, for ever.
 */
function forwardsToItself(url: string | undefined, receiverPort: number): string | undefined {
  if (url === undefined) return undefined;
  const target = new URL(url);
  const port = target.port === '' ? (target.protocol === 'https:' ? 443 : 80) : Number(target.port);
  if (!LOOPBACK_HOSTS.has(target.hostname) || port !== receiverPort) return undefined;
  return failure(
    'forward spans',
    `"${withoutCredentials(url)}" is tracehop's own OTLP receiver (port ${receiverPort}), so every forwarded span would come back and be forwarded again`,
    "Point TRACEHOP_FORWARD_OTLP (startBackend's forwardOtlpUrl) at your collector's OTLP/HTTP endpoint, such as http://127.0.0.1:4318/v1/traces, on a port tracehop does not use.",
  );
}

/**
 * Starts every service of the topology and the OTLP receiver on 127.0.0.1.
 * @example const backend = await startBackend({ faults: [{ service: 'api-gateway', fault: 'drop-traceparent' }] })
 */
export async function startBackend(options: BackendOptions = {}): Promise<Backend> {
  const checked = checkBackendOptions(options, DEFAULT_TOPOLOGY);
  if (!checked.ok) throw new TracehopError(checked.message);
  const { topology } = checked;
  const serviceNames = topology.services.map((service) => service.name);
  const store = new SpanStore();
  const captures = new CaptureLog();
  const agents = new DownstreamAgents(options.keepAlive ?? true);
  const warn = options.onWarning ?? ((message: string) => process.stderr.write(`${message}\n`));
  if (options.forwardOtlpUrl !== undefined && !isHttpUrl(options.forwardOtlpUrl)) {
    throw new TracehopError(
      failure(
        'forward spans',
        `"${withoutCredentials(options.forwardOtlpUrl)}" is not an http(s) URL`,
        'Pass a collector URL such as http://127.0.0.1:4318/v1/traces.',
      ),
    );
  }
  const forwarder: SpanForwarder | undefined = options.forwardOtlpUrl
    ? createForwarder(options.forwardOtlpUrl, warn)
    : undefined;
  // The receiver's and the tracers' spans are fresh objects nobody else holds: adopted, frozen when first read.
  const keep = (spans: Span[]): void => {
    adoptSpans(store, spans);
    forwarder?.add(spans);
  };

  let faults = new Map<string, FaultName>();
  const setFaults = (list: readonly { service: string; fault: string }[]): void => {
    const checked = validateFaults(list, serviceNames, 'the faults');
    if (!checked.ok) throw new TracehopError(checked.message);
    faults = new Map(checked.value.map(({ service, fault }) => [service, fault]));
    for (const message of faultsWithoutEffect(checked.value, topology)) warn(message);
  };
  setFaults(options.faults ?? []);
  const failures = new Map<string, { count: number; status: number }>();
  const offline = new Set<string>();
  const urls: Record<string, string> = {};
  const requestInfo = new WeakMap<RouteRequest, RequestInfo>();
  const tracers: ServiceTracer[] = [];
  const listeners = new Map<string, Listener>();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const resolvedPorts = resolvePorts(topology, options.ports);
  if (!resolvedPorts.ok) throw new TracehopError(resolvedPorts.message);
  const ports = resolvedPorts.value;
  // A receiver port given outright is judged before anything binds: nothing to free, and no service's OS-picked
  // port can take it meanwhile.
  const givenPort = ports[OTLP_PORT_NAME];
  const loopsBack =
    givenPort === undefined || givenPort === 0 ? undefined : forwardsToItself(options.forwardOtlpUrl, givenPort);
  if (loopsBack !== undefined) throw new TracehopError(loopsBack);
  const requireService = (service: string, action: string): void => {
    if (!serviceNames.includes(service)) {
      throw new TracehopError(
        failure(action, `there is no service "${service}"`, `Use one of: ${serviceNames.join(', ')}.`),
      );
    }
  };

  let redirector: Redirector | undefined;
  /** One listener to bind, and what to do once it is bound. */
  const binds: { readonly port: number | undefined; readonly bind: () => Promise<void> }[] = [];
  for (const service of topology.services) {
    binds.push({ port: ports[service.name], bind: () => bindService(service) });
  }
  /** Forgets every stored span and captured request, and says how many (DELETE on the spans URL). */
  const clear = (): { spans: number; captures: number } => {
    const cleared = { spans: store.size, captures: captures.size };
    captures.clear();
    store.clear();
    return cleared;
  };
  const receiverOptions: OtlpReceiverOptions = {
    // The receiver's spans are forwarded as their export was received, every field as the SDK wrote it.
    onSpans: (spans) => adoptSpans(store, spans),
    onExport: (body, contentType, count) => forwarder?.addExport(body, contentType, count),
    allSpans: () => store.snapshot(),
    jsonRoutes: { '/__tracehop/captures': () => captures.entries() },
    clear,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_EXPORT,
    onWarning: warn,
  };
  binds.push({
    port: ports[OTLP_PORT_NAME],
    bind: async () => {
      // OTLP/HTTP (over HTTP/1.1 or h2c) and, on the same port, OTLP/gRPC.
      const http = createOtlpReceiver(receiverOptions);
      const receiver = await bindOrExplain('the OTLP receiver', ports[OTLP_PORT_NAME], (port) =>
        listen(
          http,
          port,
          createOtlpGrpcHandler(receiverOptions),
          {},
          tlsClientWarning(warn),
          http,
          uncapturedWarning('the OTLP receiver', 'its spans, if it held any, are not stored', warn),
        ),
      );
      listeners.set(OTLP_PORT_NAME, receiver);
      const loop = forwardsToItself(options.forwardOtlpUrl, receiver.port);
      if (loop !== undefined) throw new TracehopError(loop);
    },
  });

  async function bindService(service: Topology['services'][number]): Promise<void> {
    const tracer = createServiceTracer(service.name, service.firstParty, (span) => keep([span]));
    tracers.push(tracer);
    const env: ServiceEnvironment = {
      tracer,
      urlOf: (name) => urls[name],
      // Hosts outside the topology (the W3C test harness) are the caller's choice, so they get context.
      isFirstParty: (name) => topology.services.find((candidate) => candidate.name === name)?.firstParty ?? true,
      faultOf: (name) => faults.get(name),
      takeFailure: (name, method, path) => {
        const key = `${name} ${method} ${path}`;
        const queued = failures.get(key);
        if (!queued || queued.count <= 0) return undefined;
        queued.count--;
        return queued.status;
      },
      requestInfo: (request) => requestInfo.get(request),
      attachServerSpan: (seq, traceId, spanId) => captures.attachServerSpan(seq, traceId, spanId),
      agents,
      // Bound after every service (it listens on a port the OS picks), before startBackend resolves.
      get redirector() {
        return redirector;
      },
    };
    // Handlers match on the listener's own origin, so they are built once the OS has chosen its port.
    let handlers: HttpHandler[] = [];
    const listener = await bindOrExplain(service.name, ports[service.name], (port) =>
      serveService({
        service,
        handlers: () => handlers,
        captures,
        requestInfo,
        isOffline: () => offline.has(service.name),
        preflightOmitsTraceHeaders: () => faults.get(service.name) === 'cors-omits-trace-headers',
        maxBodyBytes,
        port,
        onUncaptured: uncapturedWarning(service.name, 'it is not in the capture log', warn),
      }),
    );
    handlers = [...serviceHandlers(env, service, listener.url), w3cHandler(env, service, listener.url)];
    listeners.set(service.name, listener);
    urls[service.name] = listener.url;
  }

  try {
    // Given ports first: a port the caller chose (and may have just freed) cannot be taken by one the OS
    // picks for another listener of this same backend.
    const given = (port: number | undefined): boolean => port !== undefined && port !== 0;
    for (const step of [...binds.filter((b) => given(b.port)), ...binds.filter((b) => !given(b.port))]) {
      await step.bind();
    }
    redirector = await startRedirector(captures);
  } catch (error) {
    await Promise.all([...listeners.values()].map((listener) => listener.close()));
    agents.destroy();
    await redirector?.close();
    throw error;
  }
  const receiverUrl = listeners.get(OTLP_PORT_NAME)?.url ?? '';

  let stopped: Promise<void> | undefined;
  return {
    // In the topology's order, whichever order the listeners were bound in.
    urls: {
      services: Object.fromEntries(serviceNames.map((name) => [name, urls[name] ?? ''])),
      otlp: `${receiverUrl}/v1/traces`,
      otlpGrpc: receiverUrl,
      spans: `${receiverUrl}/__tracehop/spans`,
    },
    store,
    captures: () => captures.entries(),
    clear() {
      clear();
    },
    setFaults,
    failNext(service, method, path, count, status = 503) {
      requireService(service, 'queue failures');
      const routes = topology.services.find((candidate) => candidate.name === service)?.routes ?? [];
      if (!routes.some((route) => route.method === method.toUpperCase() && route.path === path)) {
        const known = routes.map((route) => `${route.method} ${route.path}`).join(', ') || 'none';
        throw new TracehopError(
          failure(
            `queue failures for ${method.toUpperCase()} ${path} on ${service}`,
            'the service has no such route',
            `Its routes are: ${known}.`,
          ),
        );
      }
      failures.set(`${service} ${method.toUpperCase()} ${path}`, { count, status });
    },
    setOffline(service, isOffline) {
      requireService(service, `take "${service}" ${isOffline ? 'offline' : 'online'}`);
      if (isOffline) {
        offline.add(service);
        listeners.get(service)?.destroySockets();
      } else offline.delete(service);
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all([...listeners.values()].map((listener) => listener.close()));
        agents.destroy();
        await redirector?.close();
        await Promise.all(tracers.map((tracer) => tracer.shutdown()));
        await forwarder?.flush();
      })();
      return stopped;
    },
  };
}

/** Binds one listener; a port that is taken or not ours to bind becomes a message naming the listener and the port. */
async function bindOrExplain(
  name: string,
  port: number | undefined,
  bind: (port: number) => Promise<Listener>,
): Promise<Listener> {
  try {
    return await bind(port ?? 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause =
      code === 'EADDRINUSE'
        ? 'the port is in use'
        : code === 'EACCES'
          ? 'this user may not bind that port'
          : `the listener failed (${errorMessage(error)})`;
    const hint =
      port === undefined
        ? 'Check that loopback (127.0.0.1) is available.'
        : 'Choose another port, or leave it out so the OS picks one.';
    throw new TracehopError(failure(`start ${name} on 127.0.0.1:${port ?? 0}`, cause, hint));
  }
}

/**
 * Says once per receiver that a client spoke TLS to it: an exporter given an https:// endpoint reports only
 * OpenSSL's "wrong version number", and the receiver would otherwise say nothing at all.
 */
function tlsClientWarning(warn: (message: string) => void): (port: number) => void {
  let said = false;
  return (port) => {
    if (said) return;
    said = true;
    warn(
      failure(
        'read an export',
        `a client spoke TLS (https) to the OTLP receiver on port ${port}, which serves plain HTTP and gRPC without TLS`,
        `Point the exporter at http://127.0.0.1:${port} (OTEL_EXPORTER_OTLP_ENDPOINT; a gRPC exporter with insecure: true), not https.`,
      ),
    );
  };
}
