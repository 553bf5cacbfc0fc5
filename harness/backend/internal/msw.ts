import NodeModule from 'node:module';
import type * as MswTypes from 'msw';
import { failure, TracehopError } from '../../internal/messages';
import { errorMessage } from '../../internal/result';
import { mswLoadHint } from './msw-load-hint';

/**
 * msw, loaded by Node's own module loader rather than by whoever is requiring us.
 *
 * Why: msw 2.15 requires ESM-only packages (rettime, ...). Node >= 20.19 loads them through require(esm), but
 * Jest's module runtime cannot before Node 24.9 ("Must use import to load ES Module"), and inside a test it
 * replaces `require`, `module.createRequire` and even `process.getBuiltinModule('module')` with its own. A
 * `Module` instance's `require` is still Node's, in Jest and outside it.
 *
 * Checked (2026-11, Node 20.20, Jest 30): a user project that installs the packed tracehop and calls
 * `startBackend` from its own Jest suites passes with babel-jest (plain CJS) and with ts-jest, also after
 * `jest.resetModules()`; the same project's bare `require('msw')` fails. Alternatives are worse for users:
 * transformIgnorePatterns for msw's dependencies has to be repeated in every user's config, and resolving
 * through Jest's resolver picks the environment's export conditions (a browser build under jsdom).
 * test/backend/user-jest.test.ts keeps this true. Limits: the backend needs Node's fetch globals, so
 * suites must run in testEnvironment "node" (Detox's environment is); msw is one instance outside Jest's
 * registry, so `jest.mock('msw')` does not reach it.
 */
function nodeRequire(id: string): unknown {
  const nodeModulePaths = (NodeModule as unknown as { _nodeModulePaths?: (from: string) => string[] })._nodeModulePaths;
  // Outside Jest the plain require already is Node's; the private helper is only needed to escape Jest.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: Node's own require, on purpose
  if (typeof nodeModulePaths !== 'function') return require(id);
  const loader = new NodeModule(__filename);
  loader.filename = __filename;
  loader.paths = nodeModulePaths(__dirname);
  return loader.require(id);
}

function loadMsw(): typeof MswTypes {
  try {
    return nodeRequire('msw') as typeof MswTypes;
  } catch (error) {
    const cause = errorMessage(error);
    throw new TracehopError(failure('load msw for the mock backend', cause, mswLoadHint(cause, process.versions.pnp)));
  }
}

const msw = loadMsw();

export const { http, HttpHandler, HttpResponse, getResponse } = msw;
export type HttpHandler = MswTypes.HttpHandler;

/**
 * What our route resolvers read of a request. A Fetch Request is one (msw passes those); the service listener
 * passes a lighter one on the direct path of {@link respond}, since building a Fetch Request (its body stream
 * and abort signal) cost a fifth of a mock hop.
 */
export interface RouteRequest {
  readonly method: string;
  readonly url: string;
  /** The body as UTF-8 text, as `Request.text()` decodes it. */
  text(): Promise<string>;
}

/**
 * A JSON answer of one of our resolvers, encoded once: the service listener writes its text as it is, and only
 * msw's own path turns it into a Response (undici's Response constructor cost a twentieth of a hop). Text,
 * not bytes: Node writes a text body and the head before it as one string in one write, a byte body as a
 * vectored write of both.
 */
export class JsonAnswer {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {}

  toResponse(): Response {
    return new Response(this.body, {
      status: this.status,
      headers: { 'content-type': 'application/json' },
    });
  }
}

/** What a {@link route} resolver answers. */
export type RouteAnswer = Response | JsonAnswer;

/** A resolver of a {@link route}: what every one of ours needs from msw's resolver arguments. */
export type RouteResolver = (args: { request: RouteRequest }) => Promise<RouteAnswer>;

/** A route with a plain path, as {@link route} recorded it: enough to match it without msw's parsing. */
interface StaticRoute {
  readonly method: string;
  /** Origin and path, lowercased and without a trailing slash (how msw's matching compares them). */
  readonly key: string;
  readonly resolver: RouteResolver;
}

const staticRoutes = new WeakMap<HttpHandler, StaticRoute>();

/** What msw's path matching (path-to-regexp, case-insensitive, optional trailing slash) compares. */
function matchKey(originAndPath: string): string {
  const lower = originAndPath.toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

/**
 * An msw handler for `method url` (an absolute URL). When the path is plain (no parameters, wildcards or
 * query), the route is also recorded so {@link respond} can match it with one string comparison.
 */
export function route(method: string, url: string, resolver: RouteResolver): HttpHandler {
  const handler = new HttpHandler(method, url, async (info: { request: RouteRequest }) => {
    const answer = await resolver(info);
    return answer instanceof JsonAnswer ? answer.toResponse() : answer;
  });
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed && parsed.search === '' && parsed.hash === '' && !/[:*()?+{}]/.test(parsed.pathname)) {
    staticRoutes.set(handler, {
      method: method.toUpperCase(),
      key: matchKey(parsed.origin + parsed.pathname),
      resolver,
    });
  }
  return handler;
}

/**
 * msw's answer to `request` from `handlers`, without msw's per-handler work when it is not needed: while
 * the handlers are plain {@link route}s, the first whose method and path match runs its resolver directly
 * with `request` (no Fetch Request, no request clone, no cookie-store lookup, no path-to-regexp per handler).
 * Anything else (a handler not made by {@link route} before the match, or no match at all) goes through msw's
 * own `getResponse` with the Fetch Request `fetchRequest` builds.
 */
export async function respond(
  handlers: readonly HttpHandler[],
  request: RouteRequest,
  url: URL,
  fetchRequest: () => Request,
): Promise<RouteAnswer | undefined> {
  const key = matchKey(url.origin + url.pathname);
  const method = request.method.toUpperCase();
  for (const handler of handlers) {
    const known = staticRoutes.get(handler);
    if (!known) break;
    if (known.key !== key || known.method !== method) continue;
    return known.resolver({ request });
  }
  return getResponse([...handlers], fetchRequest());
}
