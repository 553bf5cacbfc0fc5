import { failure } from '../../internal/messages';

/** Every stored span as one OTLP/JSON document (GET, HEAD); DELETE forgets them and the captured requests. */
export const SPANS_PATH = '/__tracehop/spans';

/** What `DELETE /__tracehop/spans` forgot: how many spans and captured requests. */
export interface ClearedCounts {
  readonly spans: number;
  readonly captures: number;
}

/** Host names of a page served from this machine, as `URL` spells them. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** The longest origin a message quotes: any longer is cut, the header is the client's. */
const MAX_QUOTED_ORIGIN = 200;

/** Whether `origin` (an Origin header) is an http(s) page served from this machine. */
function isLoopbackOrigin(origin: string): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Why a DELETE that clears the store is refused, or undefined when it may go on. The receiver listens on
 * 127.0.0.1 only, so every client is on this machine; but any web page open in its browser may send one (CORS
 * preflights are answered for every origin, so that the web build can export), and a browser always says which
 * page with `Origin` on a DELETE. Only a client with no Origin (curl, a test runner) or a page served from
 * localhost, 127.0.0.1 or [::1] may clear.
 */
export function clearRefusal(origin: string | undefined): string | undefined {
  if (origin === undefined || isLoopbackOrigin(origin)) return undefined;
  const quoted = origin.length > MAX_QUOTED_ORIGIN ? `${origin.slice(0, MAX_QUOTED_ORIGIN)}...` : origin;
  return failure(
    `clear the store with DELETE ${SPANS_PATH}`,
    `the request comes from the web page at origin ${JSON.stringify(quoted)}, and only a client on this machine without an Origin header (curl, a test runner) or a page served from localhost, 127.0.0.1 or [::1] may clear it`,
    `Send the DELETE from your test runner or with curl -X DELETE on the "spans" URL tracehop printed.`,
  );
}

/** The methods a store route answers, for `Allow` (a spans route without a clear callback has no DELETE). */
export function storeRouteMethods(path: string, canClear: boolean): string {
  return path === SPANS_PATH && canClear ? 'GET, HEAD, DELETE, OPTIONS' : 'GET, HEAD, OPTIONS';
}

/** Why `method` is not answered on a store route (405), and what to send instead. */
export function storeRouteMisuse(method: string | undefined, path: string, canClear: boolean): string {
  const allowed = storeRouteMethods(path, canClear);
  const action = `handle ${method} ${path}`;
  const clearHint = canClear
    ? ` To forget every span and captured request, send DELETE ${SPANS_PATH} (the "spans" URL).`
    : '';
  if (method === 'POST' || method === 'PUT') {
    return failure(
      action,
      `${path} takes no exports (it answers ${allowed}): they go to POST /v1/traces`,
      `Point the exporter at the "otlp" URL tracehop printed.${clearHint}`,
    );
  }
  return failure(action, `${path} answers ${allowed} only`, `Read it with GET.${clearHint}`);
}
