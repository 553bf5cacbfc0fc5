import { Agent as HttpAgent, ClientRequest, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import type { HeaderEntry } from '../../model';
import { errorMessage, type Failure } from '../../internal/result';

/**
 * How a downstream call ended. Never throws: a refused connection is an outcome. `unreachable`: the request
 * could not be sent or got no answer (refused, timed out, aborted); `broken-response`: the answer stopped
 * midway. `bytes` is the answer's body as received (`body` read as UTF-8), `contentType` its Content-Type ('' when
 * absent), `retryAfter` its Retry-After header, when it has one.
 */
export type CallResult =
  | { ok: true; status: number; body: string; bytes: Buffer; contentType: string; retryAfter?: string }
  | Failure<'unreachable' | 'broken-response'>;

const MAX_RESPONSE_BYTES = 1024 * 1024;
/**
 * An idle pooled connection is closed after this long. Our listeners keep idle connections longer
 * (LISTENER_KEEP_ALIVE_MS in listener.ts), so a call never picks a socket the server is closing.
 */
const IDLE_SOCKET_MS = 4000;
const MAX_KNOWN_URLS = 1024;

/**
 * The connections of downstream calls: one keep-alive agent per target origin, or (keepAlive false) a new
 * connection per call and closed after it, as a proxy that forces `Connection: close` would have it.
 */
export class DownstreamAgents {
  readonly #agents = new Map<string, HttpAgent>();
  /** The agent of each URL called so far: services call the same few URLs, so each is parsed once. */
  readonly #byUrl = new Map<string, HttpAgent>();

  constructor(readonly keepAlive = true) {}

  /** The agent for `url`'s origin, or `false` (Node: a fresh connection) without keep-alive. */
  agentFor(url: string): HttpAgent | false {
    if (!this.keepAlive) return false;
    const known = this.#byUrl.get(url);
    if (known) return known;
    const origin = URL.parse(url)?.origin ?? url;
    let agent = this.#agents.get(origin);
    if (!agent) {
      const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
      agent = origin.startsWith('https:') ? new HttpsAgent(options) : new HttpAgent(options);
      this.#agents.set(origin, agent);
    }
    // Bounded: a long-lived backend that calls ever new URLs (the W3C suite's callbacks) starts over.
    if (this.#byUrl.size >= MAX_KNOWN_URLS) this.#byUrl.clear();
    this.#byUrl.set(url, agent);
    return agent;
  }

  /** Closes every pooled connection; later calls open new ones. */
  destroy(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
    this.#byUrl.clear();
  }
}

/**
 * Groups entries by name so a repeated header goes out as repeated lines (Node sends arrays that way). With a
 * body of `bodyLength` bytes, its Content-Length follows, after a JSON Content-Type unless the caller named one
 * (the forwarder sends OTLP protobuf as received).
 */
function toNodeHeaders(headers: readonly HeaderEntry[], bodyLength: number | undefined): OutgoingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  const add = (name: string, value: string): void => {
    const known = Object.hasOwn(out, name) ? out[name] : undefined;
    if (known === undefined) out[name] = value;
    else if (typeof known === 'string') out[name] = [known, value];
    else known.push(value);
  };
  let typed = false;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i] as HeaderEntry;
    add(name, value);
    typed ||= name.toLowerCase() === 'content-type';
  }
  if (bodyLength !== undefined) {
    if (!typed) add('content-type', 'application/json');
    add('content-length', String(bodyLength));
  }
  return out;
}

/** The request options a call takes from its URL: those of Node's own that ClientRequest reads. */
type TargetOptions = Pick<ReturnType<typeof urlToHttpOptions>, 'protocol' | 'hostname' | 'port' | 'path' | 'auth'>;

/** What a call takes from its URL: its request options, its host name and port. */
export interface CallTarget {
  readonly options: Readonly<TargetOptions>;
  readonly hostname: string;
  /** The port as written, 0 when the URL leaves it to the scheme. */
  readonly port: number;
}

/**
 * Node's request options of a URL without the fields no request reads (href, hash, search, pathname), which
 * ClientRequest and the agent would otherwise copy on every call.
 */
function targetOptions(all: ReturnType<typeof urlToHttpOptions>): TargetOptions {
  const options: TargetOptions = { protocol: all.protocol, hostname: all.hostname, path: all.path };
  if (all.port !== undefined) options.port = all.port;
  if (all.auth !== undefined) options.auth = all.auth;
  return options;
}

/** Parsed targets by URL: services call the same few URLs, so each is parsed once (bounded as agentFor's). */
const targets = new Map<string, CallTarget>();

/** The target of `url`, parsed once; throws as `new URL` does when it is no URL. */
export function callTarget(url: string): CallTarget {
  const known = targets.get(url);
  if (known) return known;
  const parsed = new URL(url);
  const target: CallTarget = Object.freeze({
    options: Object.freeze(targetOptions(urlToHttpOptions(parsed))),
    hostname: parsed.hostname,
    port: Number(parsed.port),
  });
  if (targets.size >= MAX_KNOWN_URLS) targets.clear();
  targets.set(url, target);
  return target;
}

/**
 * Sends one HTTP request with exactly the given header lines (duplicates kept, order by name) and reads a
 * bounded response. Over `agents`' pooled connections when given, else on a new connection.
 */
export function callDownstream(
  url: string,
  method: string,
  headers: readonly HeaderEntry[],
  body: string | Uint8Array,
  timeoutMs = 10000,
  signal?: AbortSignal,
  agents?: DownstreamAgents,
): Promise<CallResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: CallResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    // A text body stays text: Node writes the head and a text body as one string in one write, a byte body
    // as a vectored write of both.
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const hasBody = method !== 'GET' && method !== 'HEAD';
    let outgoing: ClientRequest;
    try {
      // A ClientRequest of our own, not http.request(): an app's HTTP instrumentation in the same process
      // (OpenTelemetry's instrumentation-http) wraps http.request and https.request, and would add its own
      // CLIENT span and overwrite the very traceparent a fault just dropped or rewrote. https (only for
      // forwarding to a team's collector; services talk plain http on loopback) needs an https agent.
      const pooled = agents ? agents.agentFor(url) : false;
      const agent = pooled === false && url.startsWith('https:') ? new HttpsAgent() : pooled;
      outgoing = new ClientRequest({
        ...callTarget(url).options,
        method,
        headers: toNodeHeaders(headers, hasBody ? length : undefined),
        timeout: timeoutMs,
        agent,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      settle({ ok: false, reason: 'unreachable', message: errorMessage(error) });
      return;
    }
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // An abort's reason (when the caller gave one) says why better than Node's "The operation was aborted".
    outgoing.on('error', (error) =>
      settle({
        ok: false,
        reason: 'unreachable',
        message: signal?.aborted && signal.reason instanceof Error ? signal.reason.message : error.message,
      }),
    );
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
      });
      const retryAfter = response.headers['retry-after'];
      response.on('end', () => {
        const bytes = Buffer.concat(chunks);
        settle({
          ok: true,
          status: response.statusCode ?? 0,
          body: bytes.toString('utf8'),
          bytes,
          contentType: response.headers['content-type'] ?? '',
          ...(retryAfter === undefined ? {} : { retryAfter }),
        });
      });
      response.on('error', (error) => settle({ ok: false, reason: 'broken-response', message: error.message }));
      response.on('aborted', () =>
        settle({ ok: false, reason: 'broken-response', message: 'the connection closed mid-response' }),
      );
    });
    outgoing.end(hasBody ? body : undefined);
  });
}
