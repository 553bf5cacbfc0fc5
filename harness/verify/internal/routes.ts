import type { Span } from '../../model';

const HTTP_METHOD = /^(?:http )?(?:get|head|post|put|delete|connect|options|trace|patch)$/i;
const UPPER_ONLY = /^[A-Z]+$/;
/**
 * "POST /payments", "post /payments": a method (any case, or a word in upper case), then the route or path;
 * aiozipkin's client spans put "client " in front ("client POST /payments").
 */
const METHOD_AND_PATH = [
  /^(?:client )?(?:get|head|post|put|delete|connect|options|trace|patch) (\/\S*)$/i,
  /^(?:client )?[A-Z]+ (\/\S*)$/,
];

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

/**
 * Whether a span name names only the HTTP method: "POST", "post" (Brave lower-cases names), "HTTP POST" (older
 * OpenTelemetry HTTP instrumentations), or any other upper-case word (a method of its own, "QUERY").
 */
function methodOnly(name: string): boolean {
  return UPPER_ONLY.test(name) || HTTP_METHOD.test(name);
}

/** The path of a name that is a method and a path ("post /payments"); undefined for any other name. */
function pathOfName(name: string): string | undefined {
  for (const pattern of METHOD_AND_PATH) {
    const path = pattern.exec(name)?.[1];
    if (path !== undefined) return path;
  }
  return undefined;
}

/**
 * What names the route of a call, on either side of it: the span name (unless it is a bare HTTP method; the
 * path too when it is a method and a path, "post /payments", "client POST /payments"), `http.route`, `url.path`, `http.target`,
 * `http.path` (Brave's and zipkin-go's tag), the path of `url.full` / `http.url`, `messaging.destination.name`.
 * A CLIENT span and the SERVER span that answered it share at least one of these.
 */
export function routeKeys(span: Span): string[] {
  const keys: string[] = [];
  const name = span.name;
  if (name !== '' && !methodOnly(name)) {
    keys.push(name);
    const path = pathOfName(name);
    if (path !== undefined && path !== name) keys.push(path);
  }
  const attributes = span.attributes;
  for (const key of ['http.route', 'url.path', 'http.path', 'messaging.destination.name']) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') keys.push(value);
  }
  const target = attributes['http.target'];
  if (typeof target === 'string' && target !== '') keys.push(target.split('?')[0] ?? target);
  for (const key of ['url.full', 'http.url']) {
    const value = attributes[key];
    const path = typeof value === 'string' ? pathOf(value) : undefined;
    if (path !== undefined) keys.push(path);
  }
  return keys;
}

/** The key a call that names its callee's service, and no route, shares with the callee's spans. */
function calleeKey(service: string): string {
  return `peer.service=${service.toLowerCase()}`;
}

/**
 * The keys a call to `callee` is tied by: its route keys, and when they say nothing but its own name (a span
 * its code named, "charge-card", with no path or HTTP tags) and its `peer.service` names `callee` (Zipkin's
 * remoteEndpoint.serviceName), the callee's service: a new trace `callee` started while it ran may be its.
 */
export function callKeys(call: Span, callee: string): string[] {
  const keys = routeKeys(call);
  const peer = call.attributes['peer.service'];
  if (typeof peer !== 'string' || peer.toLowerCase() !== callee.toLowerCase()) return keys;
  return keys.every((key) => key === call.name) ? [...keys, calleeKey(callee)] : keys;
}

/**
 * Whether `call` to `callee` names nothing a new trace could be tied to it by: no route of its own (a name its
 * code chose, no path or HTTP tags) and no peer.service naming `callee` (see callKeys).
 */
export function namesNoRoute(call: Span, callee: string): boolean {
  const keys = callKeys(call, callee);
  return keys.every((key) => key === call.name);
}

/** The keys a new trace's first span is tied to a call by: its route keys and its service (see callKeys). */
export function fragmentKeys(span: Span): string[] {
  return [...routeKeys(span), calleeKey(span.service)];
}

/** Micrometer's `outcome` values for an HTTP exchange: UNKNOWN when no answer came. */
const MICROMETER_OUTCOME = /^(?:INFORMATIONAL|SUCCESS|REDIRECTION|CLIENT_ERROR|SERVER_ERROR|UNKNOWN)$/;

/**
 * Whether a span's `status` is a Micrometer HTTP observation's tag: an HTTP status ("IO_ERROR" or
 * "CLIENT_ERROR" when no answer came) beside the tags such an observation always writes with it, `outcome`
 * (one of MICROMETER_OUTCOME: Spring's clients and servers) or `method` and `uri` (Feign's, which writes no
 * outcome). A `status` alone, or an `outcome` alone, is any other instrumentation's or the application's own
 * field (a payment's "status": "200" on a span of a service that is not HTTP), which says nothing of an answer.
 */
export function micrometerHttp(span: Span): boolean {
  const { status, outcome, method, uri } = span.attributes;
  const beside =
    (typeof outcome === 'string' && MICROMETER_OUTCOME.test(outcome)) ||
    (typeof method === 'string' && typeof uri === 'string');
  return (
    beside &&
    (typeof status === 'number' || (typeof status === 'string' && /^(?:\d{3}|IO_ERROR|CLIENT_ERROR)$/.test(status)))
  );
}

/**
 * The HTTP status a call's span recorded for its answer (`http.response.status_code`, the older
 * `http.status_code`, or Micrometer's `status` tag, which Spring Boot 3's HTTP clients and servers write instead
 * of either: "IO_ERROR" or "CLIENT_ERROR" there when no answer came; read only beside Micrometer's `outcome`,
 * see micrometerHttp), a number or a numeric string as Zipkin and Jaeger tags hold it; undefined when none.
 * Every reader of a span's HTTP status goes through this.
 */
export function responseStatus(span: Span): number | undefined {
  const keys = ['http.response.status_code', 'http.status_code', ...(micrometerHttp(span) ? ['status'] : [])];
  for (const key of keys) {
    const value = span.attributes[key];
    const status = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
    if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599) return status;
  }
  return undefined;
}

/** Whether two spans name a common route (see routeKeys). */
export function sameRoute(a: Span, b: Span): boolean {
  const keys = new Set(routeKeys(a));
  return routeKeys(b).some((key) => keys.has(key));
}

/** A path segment that names one thing rather than a route: it holds a digit (an id, a uuid, "c-1002"). */
const ID_SEGMENT = /\d/;

/**
 * The route a key belongs to, with every id-like path segment made one placeholder: "/carts/c-1002/checkout"
 * and "/carts/c-1003/checkout" are one route, as a router's template ("/carts/:id/checkout") would name them.
 * For telling journeys apart when a span carries only its concrete path (a proxy with no router).
 */
export function routeFamily(key: string): string {
  if (!key.includes('/')) return key;
  return key
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? '{}' : segment))
    .join('/');
}
