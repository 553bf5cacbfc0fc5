import { failure } from '../internal/messages';
import { notJsonCause } from '../internal/json-error-offset';
import { nearestName } from '../internal/nearest-name';
import { shownText } from '../internal/shown-value';
import { isPort } from './internal/port-number';
import { errorMessage, fail, succeed, type Failure } from '../internal/result';

/** One downstream call a route makes, in order, before it answers. */
export interface TopologyCall {
  readonly service: string;
  readonly method: string;
  readonly path: string;
}

/** One route a service answers. */
export interface TopologyRoute {
  readonly method: string;
  readonly path: string;
  readonly calls: readonly TopologyCall[];
  /** Status the route answers with when its calls succeed; 200 when absent. */
  readonly status?: number;
}

/** One mock service: one listener, one `service.name`. */
export interface TopologyService {
  readonly name: string;
  /** First-party services may receive trace headers; third parties (analytics) must not. */
  readonly firstParty: boolean;
  readonly routes: readonly TopologyRoute[];
  /** A fixed 127.0.0.1 port; the OS chooses when absent. */
  readonly port?: number;
}

/** The services of a mock backend and how they call each other. */
export interface Topology {
  readonly services: readonly TopologyService[];
  /** A fixed port for the OTLP receiver; the OS chooses when absent. */
  readonly otlpPort?: number;
}

/**
 * Why a topology is refused: `not-json`; `invalid-topology` (a field of the wrong shape, the place named);
 * `duplicate-service`; `duplicate-route` (one method and path twice in a service, its parameters' names aside: the second never answers); `port-taken` (two listeners on one port); `unknown-call` (a call to a service or route
 * that does not exist); `call-loop` (a route that calls itself through others).
 */
export type TopologyReason =
  | 'not-json'
  | 'invalid-topology'
  | 'duplicate-service'
  | 'duplicate-route'
  | 'port-taken'
  | 'unknown-call'
  | 'call-loop';

/** What {@link parseTopology} returns: the topology, or the reason and message it was refused. */
export type TopologyResult = { ok: true; value: Topology } | Failure<TopologyReason>;

/** A call that names no route, or a loop of calls: the reason and the cause (unprefixed). */
type CallProblem = Failure<'unknown-call' | 'call-loop'>;

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const SERVICE_NAME = /^[a-z0-9][a-z0-9._-]*$/;
/** The receiver's listener name (ports.ts OTLP_PORT_NAME, which imports this file): no service may take it. */
const RECEIVER_NAME = 'otlp';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A part of the topology read, or where and why it is wrong (the cause, unprefixed). */
type Read<T> = { ok: true; value: T } | Failure<'invalid-topology'>;

/** A service read, or why not: a route listed twice is refused as such. */
type ReadService = { ok: true; value: TopologyService } | Failure<'invalid-topology' | 'duplicate-route'>;

const invalid = (cause: string): Failure<'invalid-topology'> => fail('invalid-topology', cause);

/** The fields each object of a topology may have: any other is refused, as a misspelt one would go unread. */
const TOP_FIELDS = ['services', 'otlpPort'];
/** Notes tracehop never reads, taken as JSON Schema has them: a "$comment" in any object, a "$schema" at the top. */
const NOTES = ['$comment'];
const TOP_NOTES = ['$schema', '$comment'];
const SERVICE_FIELDS = ['name', 'firstParty', 'routes', 'port'];
const ROUTE_FIELDS = ['method', 'path', 'calls', 'status'];
const CALL_FIELDS = ['service', 'method', 'path'];

/** The first field of `record` not in `known`, named with the known field it most likely misspells. */
function unknownField(
  record: Record<string, unknown>,
  known: readonly string[],
  where: string,
  notes: readonly string[] = NOTES,
): Failure<'invalid-topology'> | undefined {
  const key = Object.keys(record).find((field) => !known.includes(field) && !notes.includes(field));
  if (key === undefined) return undefined;
  // A field the object already has is no likely target of the misspelling ({port, prot} misspells nothing).
  const nearest = nearestName(
    key,
    known.filter((field) => !Object.hasOwn(record, field)),
  );
  const guess = nearest !== undefined ? `did you mean "${nearest}"?` : `known: ${known.join(', ')}`;
  return invalid(`${where} has an unknown field ${shownText(key)} (${guess})`);
}

/** Reads a method/path pair, naming the place of a bad one. */
function readEndpoint(value: Record<string, unknown>, where: string): Read<{ method: string; path: string }> {
  const { method, path } = value;
  if (typeof method !== 'string' || !METHODS.has(method.toUpperCase()))
    return invalid(`${where}.method must be an HTTP method such as "POST"`);
  if (typeof path !== 'string' || !path.startsWith('/'))
    return invalid(`${where}.path must be a string starting with "/"`);
  // msw matches a route on the path alone and only warns of a query in its pattern; a fragment is never sent.
  const extra = /[?#]/.exec(path);
  if (extra !== null) {
    const why =
      extra[0] === '?'
        ? 'a query string: a route is matched on its path alone, whatever the query'
        : 'a fragment, which a request never sends';
    return invalid(`${where}.path ${shownText(path)} holds ${why}, so write ${shownText(path.slice(0, extra.index))}`);
  }
  return succeed({ method: method.toUpperCase(), path });
}

function readRoute(value: unknown, where: string): Read<TopologyRoute> {
  if (!isRecord(value)) return invalid(`${where} must be an object`);
  const unknown = unknownField(value, ROUTE_FIELDS, where);
  if (unknown) return unknown;
  const endpoint = readEndpoint(value, where);
  if (!endpoint.ok) return endpoint;
  const rawCalls = value.calls ?? [];
  if (!Array.isArray(rawCalls)) return invalid(`${where}.calls must be an array`);
  const calls: TopologyCall[] = [];
  for (const [index, rawCall] of rawCalls.entries()) {
    const callWhere = `${where}.calls[${index}]`;
    if (!isRecord(rawCall)) return invalid(`${callWhere} must be an object`);
    const unknownInCall = unknownField(rawCall, CALL_FIELDS, callWhere);
    if (unknownInCall) return unknownInCall;
    if (typeof rawCall.service !== 'string') return invalid(`${callWhere}.service must be a service name`);
    const call = readEndpoint(rawCall, callWhere);
    if (!call.ok) return call;
    calls.push({ service: rawCall.service, ...call.value });
  }
  const { status } = value;
  if (
    status !== undefined &&
    (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)
  ) {
    return invalid(`${where}.status must be an HTTP status between 200 and 599`);
  }
  return succeed(status === undefined ? { ...endpoint.value, calls } : { ...endpoint.value, calls, status });
}

/** A route's path with each parameter's name left out (`/users/:` for `/users/:id`): what msw matches a request on. */
function pathPattern(path: string): string {
  return path.replace(/:\w+/g, ':');
}

function readService(value: unknown, where: string): ReadService {
  if (!isRecord(value)) return invalid(`${where} must be an object`);
  const unknown = unknownField(value, SERVICE_FIELDS, where);
  if (unknown) return unknown;
  const { name, firstParty, routes, port } = value;
  if (typeof name !== 'string' || !SERVICE_NAME.test(name))
    return invalid(`${where}.name must be a lowercase service name such as "api-gateway"`);
  if (name === RECEIVER_NAME)
    return invalid(
      `${where}.name "${name}" is the name of the OTLP receiver's listener (as in --port otlp=4318): give the service another name`,
    );
  if (typeof firstParty !== 'boolean') return invalid(`${where}.firstParty must be true or false`);
  if (!Array.isArray(routes)) return invalid(`${where}.routes must be an array`);
  if (port !== undefined && !isPort(port))
    return invalid(`${where}.port must be a port number from 1 to 65535 (leave it out to let the OS choose)`);
  const parsed: TopologyRoute[] = [];
  for (const [index, rawRoute] of routes.entries()) {
    const route = readRoute(rawRoute, `${where}.routes[${index}]`);
    if (!route.ok) return route;
    // The first of two equal routes answers every request, so the second's calls and status would never apply;
    // so does the first of two that differ in their parameters' names alone (/users/:id and /users/:userId).
    const { method, path } = route.value;
    const first = parsed.findIndex((r) => r.method === method && pathPattern(r.path) === pathPattern(path));
    const earlier = parsed[first];
    if (earlier !== undefined) {
      const same =
        earlier.path === path ? 'is listed twice' : `is ${method} ${earlier.path} under other parameter names`;
      return fail(
        'duplicate-route',
        `the route ${name} ${method} ${path} ${same} (${where}.routes[${first}] and routes[${index}]): only the first would ever answer`,
      );
    }
    parsed.push(route.value);
  }
  return succeed(
    port === undefined ? { name, firstParty, routes: parsed } : { name, firstParty, routes: parsed, port },
  );
}

/**
 * Whether a route answers a request to `path`: its own path, or that path with a value in place of each
 * parameter (`/users/42` for `/users/:id`: a parameter takes one non-empty segment, as msw matches it).
 */
function answersPath(route: TopologyRoute, path: string): boolean {
  if (route.path === path) return true;
  const want = route.path.split('/');
  const got = path.split('/');
  return (
    want.length === got.length && want.every((part, i) => part === got[i] || (/^:\w+$/.test(part) && got[i] !== ''))
  );
}

/** Checks that every call names an existing route and that no route calls itself in a loop. */
function checkCalls(topology: Topology): CallProblem | undefined {
  const byName = new Map(topology.services.map((service) => [service.name, service]));
  const routeOf = (name: string, method: string, path: string): TopologyRoute | undefined =>
    byName.get(name)?.routes.find((r) => r.method === method && answersPath(r, path));
  for (const service of topology.services) {
    for (const route of service.routes) {
      for (const call of route.calls) {
        const target = byName.get(call.service);
        const caller = `${service.name} ${route.method} ${route.path}`;
        if (!target) return fail('unknown-call', `${caller} calls unknown service "${call.service}"`);
        if (routeOf(call.service, call.method, call.path) === undefined) {
          const cause = `${caller} calls ${call.method} ${call.path} on ${call.service}, which has no such route`;
          return fail('unknown-call', cause);
        }
      }
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  // Depth first with an explicit stack, so a chain of thousands of services cannot overflow the call stack.
  const visit = (name: string, method: string, path: string): CallProblem | undefined => {
    const start = `${name} ${method} ${path}`;
    if (done.has(start)) return undefined;
    const stack: Array<{ key: string; calls: readonly TopologyCall[]; next: number }> = [
      { key: start, calls: routeOf(name, method, path)?.calls ?? [], next: 0 },
    ];
    visiting.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const call = top.calls[top.next++];
      if (call === undefined) {
        stack.pop();
        visiting.delete(top.key);
        done.add(top.key);
        continue;
      }
      // A route is known by its own path, whichever path of it the call names (/users/42 for /users/:id).
      const target = routeOf(call.service, call.method, call.path);
      const key = `${call.service} ${call.method} ${target?.path ?? call.path}`;
      if (done.has(key)) continue;
      if (visiting.has(key)) return fail('call-loop', `the route ${key} calls itself through a loop`);
      visiting.add(key);
      stack.push({ key, calls: target?.calls ?? [], next: 0 });
    }
    return undefined;
  };
  for (const service of topology.services) {
    for (const route of service.routes) {
      const loop = visit(service.name, route.method, route.path);
      if (loop) return loop;
    }
  }
  return undefined;
}

/** What a bad topology file's message says to do, for `tracehop serve --topology`. */
const TOPOLOGY_HINT = 'Fix the file or omit --topology to use the default topology.';

/**
 * Validates untrusted topology JSON (already parsed); `hint` ends each failure's message (what to do, where
 * the file was named). Never throws.
 * @example parseTopology(JSON.parse(text), 'topology.json')
 */
export function parseTopology(value: unknown, label: string, hint: string = TOPOLOGY_HINT): TopologyResult {
  const bad = (cause: string, reason: TopologyReason = 'invalid-topology'): TopologyResult => ({
    ok: false,
    reason,
    message: failure(`read the topology "${label}"`, cause, hint),
  });
  const unknown = isRecord(value) ? unknownField(value, TOP_FIELDS, '(top level)', TOP_NOTES) : undefined;
  if (unknown) return bad(unknown.message);
  if (!isRecord(value) || !Array.isArray(value.services)) return bad('it is not an object with a "services" array');
  if (value.services.length === 0) return bad('"services" is empty');
  const { otlpPort } = value;
  if (otlpPort !== undefined && !isPort(otlpPort))
    return bad('otlpPort must be a port number from 1 to 65535 (leave it out to let the OS choose)');
  const services: TopologyService[] = [];
  const names = new Set<string>();
  const portOwners = new Map<number, string>(otlpPort === undefined ? [] : [[otlpPort, 'otlpPort']]);
  for (const [index, rawService] of value.services.entries()) {
    const read = readService(rawService, `services[${index}]`);
    if (!read.ok) return bad(read.message, read.reason);
    const service = read.value;
    if (names.has(service.name)) return bad(`the service "${service.name}" is listed twice`, 'duplicate-service');
    const owner = service.port === undefined ? undefined : portOwners.get(service.port);
    if (owner) return bad(`services[${index}].port ${service.port} is already the port of ${owner}`, 'port-taken');
    if (service.port !== undefined) portOwners.set(service.port, service.name);
    names.add(service.name);
    services.push(service);
  }
  const topology: Topology = otlpPort === undefined ? { services } : { services, otlpPort };
  const callProblem = checkCalls(topology);
  return callProblem ? bad(callProblem.message, callProblem.reason) : { ok: true, value: topology };
}

/** Parses topology file text; a syntax error is reported like any other bad input. */
export function parseTopologyText(text: string, label: string, hint: string = TOPOLOGY_HINT): TopologyResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const cause = notJsonCause(text, errorMessage(error));
    return { ok: false, reason: 'not-json', message: failure(`read the topology "${label}"`, cause, hint) };
  }
  return parseTopology(value, label, hint);
}
