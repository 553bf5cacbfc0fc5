import { Http2ServerRequest } from 'node:http2';
import { respond, type HttpHandler, type RouteRequest } from './msw';
import { failure } from '../../internal/messages';
import type { CaptureLog } from '../capture-log';
import { headerEntries } from '../capture-log';
import { corsHeaders } from '../cors';
import type { RequestInfo } from '../service';
import type { TopologyService } from '../topology';
import { toFetchRequest, toRouteRequest, writeFetchResponse, writeText } from './fetch-bridge';
import { listen, type AnyRequest, type AnyResponse, type Listener } from './listener';
import { readBody } from './read-body';
import { serviceStreams } from './service-http2';
import { closeHeaders, resetAfterAnswer } from './unread-body';
import { headersOverLimit, headersTooLarge, type UncapturedCause } from './header-limits';
import { connectTarget, notAProxy } from './not-a-proxy';

// Methods the Fetch API forbids in a Request (fetch spec "forbidden method"; CONNECT is answered before).
const FORBIDDEN_FETCH_METHODS = new Set(['TRACE', 'TRACK']);

function isFetchMethod(method: string): boolean {
  return !FORBIDDEN_FETCH_METHODS.has(method.toUpperCase());
}

/**
 * What a service adds to the answer of a request without an Origin header (an app's native client, a test's
 * fetch, the next hop): no CORS headers, which only a browser reads and only of a request it sent an Origin
 * with (Fetch standard, "CORS protocol"); the Vary tells a cache that an answer with an Origin differs. Four
 * headers less to write and to parse on every hop of a checkout.
 */
const NO_ORIGIN_HEADERS: Readonly<Record<string, string>> = Object.freeze({ vary: 'origin' });

/** Most request targets a service keeps parsed (see parseTarget in serveService). */
const MAX_PARSED_TARGETS = 256;

function allowedMethods(service: TopologyService): string {
  return [...new Set(service.routes.map((route) => route.method)), 'OPTIONS'].join(', ');
}

/** What the adapter needs to serve one service. */
export interface ServiceListenerOptions {
  readonly service: TopologyService;
  readonly handlers: () => readonly HttpHandler[];
  readonly captures: CaptureLog;
  readonly requestInfo: WeakMap<RouteRequest, RequestInfo>;
  readonly isOffline: () => boolean;
  /** True while the service's fault is cors-omits-trace-headers (its preflights leave the trace headers out). */
  readonly preflightOmitsTraceHeaders?: () => boolean;
  readonly maxBodyBytes: number;
  readonly port?: number;
  /** Told of a request Node refused before it could be captured (header-limits.ts). */
  readonly onUncaptured?: (port: number, cause: UncapturedCause) => void;
}

/**
 * Drops a request's connection as a dropped network would: the socket of an HTTP/1.1 request, the whole
 * session of an HTTP/2 one (its `socket` stands for the stream, and a session's socket may not be touched).
 */
function dropConnection(request: AnyRequest): void {
  if (request instanceof Http2ServerRequest) request.stream.session?.destroy();
  else request.socket.destroy();
}

/**
 * Serves msw handlers on a real 127.0.0.1 listener, over HTTP/1.1 and over HTTP/2 without TLS (h2c, prior
 * knowledge) alike: records the raw request in the capture log, reads a bounded body, hands a Fetch Request to
 * msw and writes its Response back. A gRPC call on the port is answered UNIMPLEMENTED (service-http2.ts).
 */
export function serveService(options: ServiceListenerOptions): Promise<Listener> {
  const { service, captures } = options;
  // For the messages of requests no route serves (routes are fixed for the listener's life).
  const routes = service.routes.map((route) => `${route.method} ${route.path}`).join(', ') || 'none';
  let origin = '';
  // Request targets parsed so far: clients ask for the same few paths, so each is parsed once. The URLs are
  // shared between requests and only read. Bounded: a client sending ever new targets starts it over.
  const parsedTargets = new Map<string, URL>();
  const parseTarget = (target: string): URL | null => {
    const known = parsedTargets.get(target);
    if (known) return known;
    const url = URL.parse(target, origin);
    if (url) {
      if (parsedTargets.size >= MAX_PARSED_TARGETS) parsedTargets.clear();
      parsedTargets.set(target, url);
    }
    return url;
  };
  const handle = async (request: AnyRequest, response: AnyResponse): Promise<void> => {
    if (options.isOffline()) {
      // Offline: the connection dies as a dropped network would, before any byte of an answer.
      dropConnection(request);
      return;
    }
    // Over HTTP/2 the pseudo-headers (:method, :path, :scheme, :authority) come first, as they arrived.
    const headers = headerEntries(request.rawHeaders);
    const connect = request.method === 'CONNECT';
    // A CONNECT's target is a host:port (its :authority over HTTP/2, which sends no :path).
    const path = connect ? connectTarget(request) : (request.url ?? '/');
    const entry = captures.record({
      service: service.name,
      firstParty: service.firstParty,
      method: request.method ?? 'GET',
      path,
      headers,
      timeMs: Date.now(),
    });
    const cors = request.headers.origin === undefined ? NO_ORIGIN_HEADERS : corsHeaders(request.headers.origin);
    if (connect) {
      // Nothing follows a refused CONNECT on its connection (HTTP/1.1) or stream (HTTP/2).
      captures.attachResponse(entry.seq, { status: 405, headers: [] });
      writeText(response, 405, notAProxy(path, service.name), {
        ...cors,
        allow: allowedMethods(service),
        ...closeHeaders(request),
      });
      resetAfterAnswer(response);
      return;
    }
    const over = headersOverLimit(request.rawHeaders);
    if (over !== undefined) {
      // Captured above with every header; its body is never read (as a 413's), and no handler runs.
      captures.attachResponse(entry.seq, { status: 431, headers: [] });
      writeText(response, 431, headersTooLarge(`accept ${request.method} ${request.url} on ${service.name}`, over), {
        ...cors,
        ...closeHeaders(request),
      });
      resetAfterAnswer(response);
      return;
    }
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      const answer = corsHeaders(
        request.headers.origin,
        options.preflightOmitsTraceHeaders?.() ?? false,
        request.headers['access-control-request-headers'],
      );
      // The answer decides whether the browser sends the request at all: the CORS verdict reads it here.
      captures.attachResponse(entry.seq, { status: 204, headers: Object.entries(answer) });
      request.resume();
      response.writeHead(204, answer);
      response.end();
      return;
    }
    const body = await readBody(request, options.maxBodyBytes);
    if (!body.ok) {
      if (body.reason === 'too-large') {
        // The rest is never read: closing the connection (HTTP/1.1) or resetting the stream once answered
        // (HTTP/2) stops a client that streams an endless body.
        writeText(
          response,
          413,
          failure(
            `accept ${request.method} ${request.url} on ${service.name}`,
            `the body is larger than ${body.limit} bytes`,
            'Send a smaller body.',
          ),
          { ...cors, ...closeHeaders(request) },
        );
        resetAfterAnswer(response);
      }
      return;
    }
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    if (!isFetchMethod(method)) {
      // The Fetch API (and so msw) refuses TRACE and its kin; answer as HTTP says instead of failing inside.
      captures.attachResponse(entry.seq, { status: 405, headers: [] });
      writeText(
        response,
        405,
        failure(
          `accept ${method} ${target} on ${service.name}`,
          `the method ${method} is not served`,
          `Its routes are: ${routes}.`,
        ),
        { ...cors, allow: allowedMethods(service) },
      );
      return;
    }
    const url = parseTarget(target);
    if (!url) {
      writeText(
        response,
        400,
        failure(
          `accept ${method} ${target} on ${service.name}`,
          'the request target is not a URL path',
          `Send a path such as "${service.routes[0]?.path ?? '/'}".`,
        ),
        cors,
      );
      return;
    }
    const info: RequestInfo = { seq: entry.seq, headers, pathname: url.pathname };
    const routeRequest = toRouteRequest(request, url, body.value);
    options.requestInfo.set(routeRequest, info);
    const answer = await respond(options.handlers(), routeRequest, url, () => {
      // Only msw's own matching needs a Fetch Request (a handler not made by route(), or no route matched).
      const fetchRequest = toFetchRequest(request, url, headers, body.value);
      options.requestInfo.set(fetchRequest, info);
      return fetchRequest;
    });
    if (!answer) {
      // The journey's verdict names a request no route served, or it would read as a call never made.
      captures.attachResponse(entry.seq, { status: 404, headers: [] });
      writeText(
        response,
        404,
        failure(
          `route ${request.method} ${request.url} on ${service.name}`,
          'the service has no such route',
          // An exporter given a service's URL instead of the "otlp" one (both are in tracehop's JSON line).
          /^\/v1\/(traces|logs|metrics)$/.test(url.pathname)
            ? `Its routes are: ${routes}. This is a mock service, not the OTLP receiver: point the exporter at the "otlp" URL tracehop printed.`
            : `Its routes are: ${routes}.`,
        ),
        cors,
      );
      return;
    }
    for (const [name, value] of Object.entries(cors)) response.setHeader(name, value);
    await writeFetchResponse(answer, response);
  };
  // HTTP/2 on the same port: requests (h2c) are served as over HTTP/1.1; a gRPC call is told, in its own terms,
  // what is served.
  const grpc = serviceStreams({ service, routes, captures, isOffline: options.isOffline });
  return listen(handle, options.port, grpc, {}, undefined, handle, options.onUncaptured).then((listener) => {
    origin = listener.url;
    return listener;
  });
}
