import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode, trace, type Context, type Span as SdkSpan } from '@opentelemetry/api';
import { jsonAnswer } from './internal/fetch-bridge';
import { route as mswRoute, type HttpHandler, type JsonAnswer, type RouteRequest } from './internal/msw';
import { CALL_ID_ATTRIBUTE, CALL_ID_HEADER, type HeaderEntry } from '../model';
import type { FaultName } from './faults';
import { callDownstream, callTarget, type DownstreamAgents } from './internal/downstream-call';
import { incomingContext, type IncomingContext } from './internal/incoming-context';
import { applyFault, correctHeaders } from './internal/outgoing-headers';
import type { Redirector } from './internal/redirector';
import type { ServiceTracer } from './internal/service-tracer';
import { TRACE_HEADER_NAMES } from '../propagation';
import type { TopologyCall, TopologyRoute, TopologyService } from './topology';

/** What the adapter knows about a request before msw sees it. */
export interface RequestInfo {
  readonly seq: number;
  readonly headers: readonly HeaderEntry[];
  /** The request URL's path, as the listener parsed it. */
  readonly pathname: string;
}

/** What a service needs from the backend around it. */
export interface ServiceEnvironment {
  readonly tracer: ServiceTracer;
  /** Base URL of a service by name, once every listener is up. */
  readonly urlOf: (service: string) => string | undefined;
  /** False for third-party services (analytics), which must never receive trace headers. */
  readonly isFirstParty: (service: string) => boolean;
  /** The fault switched on for this service, if any. */
  readonly faultOf: (service: string) => FaultName | undefined;
  /** A status to answer instead of running the route (failNext), if one is queued. */
  readonly takeFailure: (service: string, method: string, path: string) => number | undefined;
  readonly requestInfo: (request: RouteRequest) => RequestInfo | undefined;
  readonly attachServerSpan: (seq: number, traceId: string, spanId: string) => void;
  /** The connections downstream calls go over (kept alive unless the backend was told otherwise). */
  readonly agents: DownstreamAgents;
  /** The second listener that answers 307 to a service whose fault is redirect-drops-headers. */
  readonly redirector?: Redirector;
}

/**
 * Sends a call through the redirector and follows its 307 as clients that rebuild the request do: same
 * method and body, but without the trace headers (the call id stays, so the verdict can tie both requests).
 */
async function callThroughRedirect(
  redirector: Redirector,
  target: { service: string; firstParty: boolean; url: string },
  method: string,
  headers: readonly HeaderEntry[],
  body: string,
  callId: string,
): ReturnType<typeof callDownstream> {
  const parsed = new URL(target.url);
  const first = await callDownstream(
    redirector.expect(callId, target, `${parsed.pathname}${parsed.search}`),
    method,
    headers,
    body,
  );
  if (!first.ok || first.status !== 307) return first;
  const rebuilt = headers.filter(([name]) => !(TRACE_HEADER_NAMES as readonly string[]).includes(name));
  return callDownstream(target.url, method, rebuilt, body);
}

/** Starts the SERVER span of a request from the context our codecs decided. */
export function startServerSpan(
  env: ServiceEnvironment,
  request: RouteRequest,
  name: string,
): { span: SdkSpan; incoming: IncomingContext; context: Context } {
  const info = env.requestInfo(request);
  const incoming = incomingContext(info?.headers ?? []);
  const span = env.tracer.tracer.startSpan(
    name,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: request.method,
        [ATTR_URL_PATH]: info?.pathname ?? new URL(request.url).pathname,
        ...(incoming.restarted && incoming.reason !== 'missing'
          ? { 'tracehop.restart_reason': incoming.reason ?? '' }
          : {}),
      },
    },
    incoming.context,
  );
  if (info) env.attachServerSpan(info.seq, span.spanContext().traceId, span.spanContext().spanId);
  return { span, incoming, context: trace.setSpan(incoming.context, span) };
}

/**
 * Makes one downstream call from a CLIENT span: correct W3C headers, then the caller's fault, if any.
 * Resolves with the status, or 502 when the call failed.
 */
export async function callFromClientSpan(
  env: ServiceEnvironment,
  caller: TopologyService,
  parent: Context,
  incoming: IncomingContext,
  call: TopologyCall,
  url: string,
  body: string,
  extraHeaders: readonly HeaderEntry[] = [],
): Promise<number> {
  const callId = randomUUID();
  const target = callTarget(url);
  const client = env.tracer.tracer.startSpan(
    `${call.method} ${call.path}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: call.method,
        [ATTR_URL_FULL]: url,
        [ATTR_SERVER_ADDRESS]: target.hostname,
        [ATTR_SERVER_PORT]: target.port,
        'peer.service': call.service,
        [CALL_ID_ATTRIBUTE]: callId,
      },
    },
    parent,
  );
  // A correct first-party service injects context for first-party hosts only; faults act on what it sends.
  const propagated = env.isFirstParty(call.service)
    ? correctHeaders({
        client: client.spanContext(),
        random: incoming.random,
        ...(incoming.baggage ? { baggage: incoming.baggage } : {}),
      })
    : [];
  const headers = propagated.length > 0 ? applyFault(propagated, env.faultOf(caller.name), client.spanContext()) : [];
  const outgoing: HeaderEntry[] = [...headers, ...extraHeaders, [CALL_ID_HEADER, callId]];
  const redirected = env.faultOf(caller.name) === 'redirect-drops-headers' && headers.length > 0 && env.redirector;
  const result = redirected
    ? await callThroughRedirect(
        redirected,
        { service: call.service, firstParty: env.isFirstParty(call.service), url },
        call.method,
        outgoing,
        body,
        callId,
      )
    : await callDownstream(url, call.method, outgoing, body, undefined, undefined, env.agents);
  if (result.ok) {
    client.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, result.status);
    if (result.status >= 500) client.setStatus({ code: SpanStatusCode.ERROR });
  } else {
    client.setStatus({ code: SpanStatusCode.ERROR, message: result.message });
  }
  client.end();
  return result.ok ? result.status : 502;
}

function json(body: unknown, status: number): JsonAnswer {
  return jsonAnswer(body, status);
}

function routeHandler(
  env: ServiceEnvironment,
  service: TopologyService,
  route: TopologyRoute,
  origin: string,
): HttpHandler {
  const resolver = async ({ request }: { request: RouteRequest }): Promise<JsonAnswer> => {
    const name = `${route.method} ${route.path}`;
    const { span, incoming, context } = startServerSpan(env, request, name);
    const failStatus = env.takeFailure(service.name, route.method, route.path);
    if (failStatus !== undefined) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, failStatus);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'failNext' });
      span.end();
      return json({ service: service.name, route: name, error: 'failing on purpose (failNext)' }, failStatus);
    }
    const calls: { service: string; status: number }[] = [];
    for (const call of route.calls) {
      const base = env.urlOf(call.service);
      const status = base
        ? await callFromClientSpan(
            env,
            service,
            context,
            incoming,
            call,
            `${base}${call.path}`,
            JSON.stringify({ from: service.name }),
          )
        : 502;
      calls.push({ service: call.service, status });
    }
    const failed = calls.find((call) => call.status >= 400);
    const status = failed ? 502 : (route.status ?? 200);
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    const { traceId, spanId } = span.spanContext();
    span.end();
    return json({ service: service.name, route: name, traceId, spanId, calls }, status);
  };
  // One handler class for every method: the route's method is data, not a choice among http.get/post/...
  return mswRoute(route.method, `${origin}${route.path}`, resolver);
}

/** The msw handlers of one service listening on `origin` (e.g. "http://127.0.0.1:4318"): one per route. */
export function serviceHandlers(env: ServiceEnvironment, service: TopologyService, origin: string): HttpHandler[] {
  return service.routes.map((route) => routeHandler(env, service, route, origin));
}
