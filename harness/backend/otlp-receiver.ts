import { once } from 'node:events';
import { ServerResponse } from 'node:http';
import { failure } from '../internal/messages';
import { decodeOtlpJsonExport, decodeOtlpProtobuf, encodeOtlpJson, type Span, type SpanSource } from '../model';
import { detectJsonFormat, isOtherSignal, otherSignalOf } from '../model/formats';
import { encodeExportResponse, encodeRpcStatus } from '../model/otlp-responses';
import { corsHeaders } from './cors';
import { bodyCodingOf, inflateBounded, readableCodings } from './internal/body-codings';
import { nestsDeeperThan } from './internal/json-depth';
import { readBody } from './internal/read-body';
import { isGzipFramedByInflatedSize } from './internal/short-gzip';
import type { AnyRequest, AnyResponse } from './internal/listener';
import { closeHeaders, resetAfterAnswer } from './internal/unread-body';
import { headersOverLimit, headersTooLarge } from './internal/header-limits';
import { writeText } from './internal/fetch-bridge';
import { connectTarget, notAProxy } from './internal/not-a-proxy';
import {
  clearRefusal,
  SPANS_PATH,
  storeRouteMethods,
  storeRouteMisuse,
  type ClearedCounts,
} from './internal/store-routes';
import { errorMessage, type Failure } from '../internal/result';

/** Where received spans go and how big a body may be. */
export interface OtlpReceiverOptions {
  /** Called with the spans of every accepted export. */
  readonly onSpans: (spans: Span[]) => void;
  /**
   * Called after `onSpans` with every accepted export that holds spans, as received: the body the exporter
   * sent (gzip inflated), its OTLP content type, and how many spans it holds, kept or rejected.
   */
  readonly onExport?: (body: Uint8Array, contentType: string, spans: number) => void;
  /** Every stored span, for `GET /__tracehop/spans`. */
  readonly allSpans: () => readonly Span[];
  /** Extra read-only JSON routes (e.g. `/__tracehop/captures`), answered to GET and HEAD. */
  readonly jsonRoutes?: Readonly<Record<string, () => unknown>>;
  /**
   * Forgets every stored span (and whatever else a run left, such as captured requests), for
   * `DELETE /__tracehop/spans`, and says how many of each it forgot; without it that DELETE is answered 405.
   */
  readonly clear?: () => ClearedCounts;
  /** Largest accepted body in bytes, compressed and decompressed; 20 MiB (the Collector's default) when absent. */
  readonly maxBodyBytes?: number;
  /** Told once per receiver of an exporter fault that loses spans the receiver never sees (stderr under serve). */
  readonly onWarning?: (message: string) => void;
}

export type { ClearedCounts };

type Encoding = 'json' | 'protobuf';

/** The outcome of decoding one export: spans to keep, and how many were rejected and why. */
export interface DecodedExport {
  readonly spans: Span[];
  readonly rejected: number;
  readonly errorMessage: string;
}

/**
 * Why an export is refused as a whole: its body is not JSON, is JSON but no ExportTraceServiceRequest, is
 * protobuf that cannot be decoded, or is an export of logs or metrics (a bad span alone is rejected, not the
 * export).
 */
export type ExportDecodeReason = 'not-json' | 'not-an-export' | 'invalid-protobuf' | 'decoder-error' | 'other-signal';

/** What decodeJsonExport answers: the export's spans, or why it is refused. */
export type DecodeOutcome = { ok: true; value: DecodedExport } | Failure<ExportDecodeReason>;

const SOURCE = 'otlp-receiver';
/** Shared by every received span (frozen, as the store keeps it). */
const SOURCE_OBJECT: SpanSource = Object.freeze({ file: SOURCE });
/** Every received span keeps its resource, scope, remote-parent bits and events, for the spans URL. */
const KEEP_DETAIL = { detail: true } as const;
const DEFAULT_LIMIT = 20 * 1024 * 1024;
/** Bodies from this size on are scanned for nesting before they are parsed. */
const DEPTH_SCAN_FROM = 1024 * 1024;
/** Far deeper than any export: attribute values nest at most 32 levels (about 140 of JSON) before a span is refused. */
const MAX_JSON_DEPTH = 1000;
// google.rpc.Code values used in Status bodies.
const RPC_INVALID_ARGUMENT = 3;
const RPC_PERMISSION_DENIED = 7;
const RPC_RESOURCE_EXHAUSTED = 8;
const RPC_UNIMPLEMENTED = 12;

const CONTENT_TYPES: Readonly<Record<Encoding, string>> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};
const TRACES_PATH = '/v1/traces';
/** The scheme and authority of an absolute-form request target ("http://host:port"). */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * The path of a request target, without its query: origin-form ("/v1/traces?x") or absolute-form
 * ("http://127.0.0.1:4318/v1/traces", as sent through a proxy; servers must accept it, RFC 9112 3.2.2).
 */
function targetPath(target: string | undefined): string {
  const url = target ?? '/';
  const absolute = url.startsWith('/') ? null : ABSOLUTE_FORM.exec(url);
  const path = (absolute ? url.slice(absolute[0].length) : url).split('?', 1)[0] ?? '';
  return absolute && path === '' ? '/' : path;
}

function encodingOf(contentType: string | undefined): Encoding | undefined {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An export of another signal sent to the traces endpoint, refused as a whole with what to change. */
function otherSignalFailure(signal: string): Failure<ExportDecodeReason> {
  return {
    ok: false,
    reason: 'other-signal',
    message: failure(
      'accept the OTLP export',
      `the body is an OTLP ${signal} export, and tracehop's receiver takes traces only, at ${TRACES_PATH}`,
      `Point only the trace exporter at the "otlp" URL tracehop printed, or do not export ${signal} to it.`,
    ),
  };
}

/** What tracehop check reads a file of this format with, for a receiver that was sent one. */
const NOT_OTLP_HINT =
  'Export with an OTLP exporter (OTEL_TRACES_EXPORTER=otlp, @opentelemetry/exporter-trace-otlp-http or -proto) to the "otlp" URL tracehop printed, or save these spans to a file and run tracehop check on it.';

/** A body in a trace format tracehop check reads, but not OTLP (the Zipkin exporter's list of spans, Jaeger's JSON). */
function foreignFormatFailure(value: unknown): Failure<ExportDecodeReason> | undefined {
  // "[]" is no export of any format: told as a body that is not an object.
  if (Array.isArray(value) && value.length === 0) return undefined;
  const format = detectJsonFormat(value);
  const name = format === 'zipkin' ? 'a list of Zipkin v2 spans' : format === 'jaeger' ? 'Jaeger JSON' : undefined;
  if (name === undefined) return undefined;
  return {
    ok: false,
    reason: 'not-an-export',
    message: failure(
      'decode the OTLP/JSON export',
      `the body is ${name}, not an OTLP export: tracehop's receiver takes OTLP only`,
      NOT_OTLP_HINT,
    ),
  };
}

/** Whether a body starts (after white space) as JSON does, with "{" or "[": no OTLP protobuf request does. */
function looksLikeJson(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x7b || byte === 0x5b;
  }
  return false;
}

/**
 * Decodes OTLP/JSON span by span, so one bad span is rejected (partial success) instead of failing the
 * whole export; a document that is not an ExportTraceServiceRequest fails as a whole.
 */
export function decodeJsonExport(text: string): DecodeOutcome {
  // JSON.parse builds every level of a nested body before it fails: 19 MiB of "[" held the receiver, and the
  // mock services in its process, for 2.2 to 5.6 s (17 ms refused by the scan). Large bodies are scanned for
  // depth first (6 to 10 ms of a 2.3 MiB export's 30 to 39 ms decode); a small one parses in a blink whatever
  // it holds, and 512-span batches (about 240 kB) pay nothing.
  if (text.length >= DEPTH_SCAN_FROM && nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    return {
      ok: false,
      reason: 'not-an-export',
      message: failure(
        'decode the OTLP/JSON export',
        `the body nests JSON deeper than ${MAX_JSON_DEPTH} levels`,
        'An ExportTraceServiceRequest nests about 10 levels, and 3 or 4 more per nested attribute value: send one as JSON.',
      ),
    };
  }
  if (text.trim() === '') {
    // JSON.parse says "Unexpected end of JSON input", which reads as a cut body; an OTLP/JSON export is never
    // empty ("{}" is an empty one), so name what arrived.
    return {
      ok: false,
      reason: 'not-json',
      message: failure(
        'decode the OTLP/JSON export',
        text === '' ? 'the body is empty' : 'the body holds only white space',
        'Send an ExportTraceServiceRequest as JSON ("{}" is an empty one).',
      ),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const cause = errorMessage(error);
    return {
      ok: false,
      reason: 'not-json',
      message: failure(
        'decode the OTLP/JSON export',
        `the body is not JSON (${cause})`,
        'Send an ExportTraceServiceRequest as JSON.',
      ),
    };
  }
  // "{}" is an empty ExportTraceServiceRequest in the protobuf JSON mapping (empty lists are left out, null
  // is the default), as an empty body is in protobuf: nothing to store, not an error. An object with other
  // keys and no list is someone else's JSON, and is told so.
  const record = isRecord(value) ? value : undefined;
  const empty =
    record !== undefined && record.resourceSpans == null && Object.keys(record).every((key) => key === 'resourceSpans');
  const list = empty ? [] : record?.resourceSpans;
  if (!Array.isArray(list)) {
    if (record !== undefined && isOtherSignal(record)) {
      const signal = Array.isArray(record.resourceLogs)
        ? 'logs'
        : Array.isArray(record.resourceMetrics)
          ? 'metrics'
          : 'profiles';
      return otherSignalFailure(signal);
    }
    const foreign = foreignFormatFailure(value);
    if (foreign !== undefined) return foreign;
    const cause =
      record === undefined
        ? 'the body is not a JSON object'
        : 'resourceSpans' in record
          ? '"resourceSpans" is not an array'
          : 'the body has no "resourceSpans" array';
    return {
      ok: false,
      reason: 'not-an-export',
      message: failure('decode the OTLP/JSON export', cause, 'Send an ExportTraceServiceRequest as JSON.'),
    };
  }
  // One pass over the document: each resource decoded once, a bad span rejected on its own.
  const { spans, rejected, errors, invalid } = decodeOtlpJsonExport(list, SOURCE_OBJECT, 3, KEEP_DETAIL);
  if (invalid !== undefined) {
    // A list that is no list, or an entry that is no object: the request is malformed as a whole (400).
    return {
      ok: false,
      reason: 'not-an-export',
      message: failure(
        'decode the OTLP/JSON export',
        invalid,
        'Send an ExportTraceServiceRequest as JSON: resourceSpans, scopeSpans and spans are arrays of objects.',
      ),
    };
  }
  return { ok: true, value: { spans, rejected, errorMessage: errors.join(' ') } };
}

export function decodeProtobufExport(bytes: Uint8Array): DecodeOutcome {
  const result = decodeOtlpProtobuf(bytes, SOURCE_OBJECT, KEEP_DETAIL);
  // A body that did not decode as plain spans may be logs, metrics or JSON sent as protobuf: said so, rather
  // than as a wire-type fault. A plain trace export is not looked at again.
  if (!result.ok || result.rejected > 0 || result.spans.length === 0) {
    const signal = otherSignalOf(bytes, 0, bytes.length);
    if (signal !== undefined) return otherSignalFailure(signal);
    if (looksLikeJson(bytes)) {
      return {
        ok: false,
        reason: 'invalid-protobuf',
        message: failure(
          'decode the OTLP protobuf export',
          'the body looks like JSON (it starts with "{" or "["), not protobuf',
          'Send an OTLP/JSON body with Content-Type application/json.',
        ),
      };
    }
  }
  if (!result.ok) return result;
  return {
    ok: true,
    value: { spans: result.spans, rejected: result.rejected, errorMessage: result.errors.slice(0, 3).join(' ') },
  };
}

/**
 * The CORS headers of an answer to a request without an Origin (an exporter's, not a web page's): the same for
 * every such answer, so built once.
 */
const NO_ORIGIN_CORS = Object.freeze(corsHeaders(undefined));
/** The JSON answer to an export that kept every span: `{}`, as the Collector sends it. */
const FULL_SUCCESS_JSON = Buffer.from('{}');

/**
 * The headers of an answer: CORS, then content type and length, then (for a 413) the closing ones. Filled into
 * one object rather than spread from two or three: every export is answered through here.
 */
function answerHeaders(
  request: AnyRequest,
  contentType: string,
  length: number,
  unread: boolean,
): Record<string, string | number> {
  const origin = request.headers.origin;
  const headers: Record<string, string | number> = Object.assign(
    {},
    origin === undefined ? NO_ORIGIN_CORS : corsHeaders(origin),
  );
  headers['content-type'] = contentType;
  headers['content-length'] = length;
  if (unread) Object.assign(headers, closeHeaders(request));
  return headers;
}

/**
 * Writes a body with CORS headers; `unread` when the request's body was not read to the end its framing says
 * (also after any 413), so that the connection is closed.
 */
function send(
  request: AnyRequest,
  response: AnyResponse,
  status: number,
  contentType: string,
  body: Uint8Array | string,
  unreadBody = false,
): void {
  if (response.headersSent || response.writableEnded) return;
  // A Buffer is sent as it is (the receiver's own answers); any other bytes are copied into one.
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : Buffer.from(body);
  // After a 413 the rest of the body is never read: closing the connection (HTTP/1.1) or resetting the stream
  // once answered (HTTP/2) stops a client that streams an endless one.
  const unread = unreadBody || status === 413;
  response.writeHead(status, answerHeaders(request, contentType, bytes.length, unread));
  // A HEAD answer says the length a GET's body would have, and sends none.
  if (request.method === 'HEAD') response.end();
  else response.end(bytes);
  if (unread) resetAfterAnswer(response);
}

/** Spans JSON-encoded per write: small enough that no string nears V8's limit, large enough to stay cheap. */
const SPANS_PER_WRITE = 2000;

/**
 * Writes every stored span as one OTLP/JSON document (the bytes JSON.stringify of encodeOtlpJson gives), a
 * piece at a time with the socket's backpressure: a store of millions of spans outgrows one string (V8's
 * "Invalid string length", which was a 500).
 */
async function sendSpans(request: AnyRequest, response: AnyResponse, spans: readonly Span[]): Promise<void> {
  response.writeHead(200, { ...corsHeaders(request.headers.origin), 'content-type': 'application/json' });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const write = async (text: string): Promise<void> => {
    // A client that hangs up mid-answer closes the response: 'drain' would never come.
    // One call per response type: their write overloads do not unite.
    const flowing = response instanceof ServerResponse ? response.write(text) : response.write(text);
    if (flowing || response.destroyed) return;
    // Whichever event comes first, the other's listeners go too: they would pile up, one pair per full buffer.
    const settled = new AbortController();
    const { signal } = settled;
    await Promise.race([once(response, 'drain', { signal }), once(response, 'close', { signal })]).catch(
      () => undefined,
    );
    settled.abort();
  };
  await write('{"resourceSpans":[');
  const { resourceSpans } = encodeOtlpJson(spans);
  for (const [r, group] of resourceSpans.entries()) {
    const [scopeSpans] = group.scopeSpans;
    const list = scopeSpans?.spans ?? [];
    await write(
      `${r > 0 ? ',' : ''}{"resource":${JSON.stringify(group.resource)},"scopeSpans":[{"scope":${JSON.stringify(scopeSpans?.scope)},"spans":[`,
    );
    for (let i = 0; i < list.length && !response.destroyed; i += SPANS_PER_WRITE) {
      const piece = list.slice(i, i + SPANS_PER_WRITE).map((span) => JSON.stringify(span));
      await write(`${i > 0 ? ',' : ''}${piece.join(',')}`);
    }
    await write(']}]}');
  }
  response.end(']}');
}

/** Sets a 405's `Allow`, which a web page may read too (a browser shows it only CORS-safelisted headers). */
function allow(response: AnyResponse, methods: string): void {
  response.setHeader('allow', methods);
  response.setHeader('access-control-expose-headers', 'allow');
}

/** Answers a 4xx with a google.rpc.Status in the encoding of the request (JSON when unknown). */
function sendStatus(
  request: AnyRequest,
  response: AnyResponse,
  status: number,
  encoding: Encoding | undefined,
  code: number,
  message: string,
  unreadBody = false,
): void {
  if (encoding === 'protobuf')
    send(request, response, status, 'application/x-protobuf', encodeRpcStatus(code, message), unreadBody);
  else send(request, response, status, 'application/json', JSON.stringify({ code, message }), unreadBody);
}

/**
 * Answers a request to the spans URL or a JSON route: GET and HEAD read it, DELETE on the spans URL clears the
 * store (when the receiver was given `clear`, and the request comes from no other web page), any other method
 * gets 405 with `Allow`.
 */
async function storeRoute(
  request: AnyRequest,
  response: AnyResponse,
  path: string,
  options: OtlpReceiverOptions,
  jsonRoute: (() => unknown) | undefined,
): Promise<void> {
  const { method } = request;
  if (method === 'GET' || method === 'HEAD') {
    if (jsonRoute) send(request, response, 200, 'application/json', JSON.stringify(jsonRoute()));
    else await sendSpans(request, response, options.allSpans());
    return;
  }
  request.resume();
  const encoding = encodingOf(request.headers['content-type']);
  if (method === 'DELETE' && path === SPANS_PATH && options.clear) {
    const refusal = clearRefusal(request.headers.origin);
    if (refusal !== undefined) {
      sendStatus(request, response, 403, encoding, RPC_PERMISSION_DENIED, refusal);
      return;
    }
    send(request, response, 200, 'application/json', JSON.stringify({ cleared: options.clear() }));
    return;
  }
  allow(response, storeRouteMethods(path, options.clear !== undefined));
  const message = storeRouteMisuse(method, path, options.clear !== undefined);
  sendStatus(request, response, 405, encoding, RPC_UNIMPLEMENTED, message);
}

/**
 * The OTLP/HTTP receiver: `POST /v1/traces` (JSON or protobuf, optionally gzip), `GET /__tracehop/spans`
 * (every stored span as one OTLP/JSON document), `DELETE /__tracehop/spans` (forget them, with `clear`), CORS
 * preflights. Never throws; bad input gets a 4xx.
 */
export function createOtlpReceiver(
  options: OtlpReceiverOptions,
): (request: AnyRequest, response: AnyResponse) => Promise<void> {
  const limit = options.maxBodyBytes ?? DEFAULT_LIMIT;
  const warnings = exporterFaultWarnings(options.onWarning);
  return async (request, response) => {
    if (request.method === 'CONNECT') {
      const target = connectTarget(request);
      writeText(response, 405, notAProxy(target, 'the OTLP receiver'), closeHeaders(request));
      resetAfterAnswer(response);
      return;
    }
    const path = targetPath(request.url);
    const over = headersOverLimit(request.rawHeaders);
    if (over !== undefined) {
      // As the services answer it: the body is never read.
      const action = `accept ${request.method} ${path} on the OTLP receiver`;
      // With CORS headers as every answer: a browser shows a page no answer without them, not even its status.
      writeText(response, 431, headersTooLarge(action, over), {
        ...corsHeaders(request.headers.origin),
        ...closeHeaders(request),
      });
      resetAfterAnswer(response);
      return;
    }
    if (request.method === 'OPTIONS') {
      // An exporter may send any header its backend wants (x-api-key, dd-api-key): allow what it asks for.
      response.writeHead(
        204,
        corsHeaders(request.headers.origin, false, request.headers['access-control-request-headers']),
      );
      response.end();
      return;
    }
    const jsonRoute = Object.hasOwn(options.jsonRoutes ?? {}, path) ? options.jsonRoutes?.[path] : undefined;
    if (path === SPANS_PATH || jsonRoute) {
      await storeRoute(request, response, path, options, jsonRoute);
      return;
    }
    if (path !== TRACES_PATH || request.method !== 'POST') {
      request.resume();
      // The right path with the wrong method is 405 (with Allow), anything else 404; in the request's encoding.
      if (path === TRACES_PATH) allow(response, 'POST, OPTIONS');
      const encoding = encodingOf(request.headers['content-type']);
      const status = path === TRACES_PATH ? 405 : 404;
      sendStatus(request, response, status, encoding, RPC_UNIMPLEMENTED, wrongEndpoint(request.method, path));
      return;
    }
    await receiveExport(request, response, options, limit, warnings);
  };
}

/** The exporter faults the receiver warns of, once each per receiver (onWarning). */
interface ExporterFaultWarnings {
  /** A gzip body that ended short of a Content-Length equal to its inflated size: stored. */
  readonly shortGzip: (declared: number, came: number) => void;
  /** An empty body that says Content-Encoding: gzip: refused with this same message. */
  readonly emptyGzip: (message: string) => void;
}

/**
 * Faults of exporters that lose spans the receiver never sees (every export of a process after its first): the
 * app logs at most "Bad Request", or nothing, so the receiver says what happened, once per kind.
 */
function exporterFaultWarnings(warn: ((message: string) => void) | undefined): ExporterFaultWarnings {
  const said = new Set<string>();
  const once = (kind: string, message: string): void => {
    if (said.has(kind) || warn === undefined) return;
    said.add(kind);
    warn(message);
  };
  return {
    shortGzip: (declared, came) =>
      once(
        'short-gzip',
        failure(
          "receive this process's later exports",
          `an export came gzip-compressed with a Content-Length of ${declared} bytes, its size before compression (${came} bytes came), as @opentelemetry/exporter-trace-otlp-http and -proto 0.27 send with compression: 'gzip'; they also run every export of the process through one gzip stream, so only its first export arrives (tracehop stored it and closed the connection) and later ones send no body and hang until the exporter gives up`,
          "Remove compression: 'gzip' from the exporter, or upgrade it to 0.30 or later.",
        ),
      ),
    emptyGzip: (message) => once('empty-gzip', message),
  };
}

/** Why an empty body that says gzip is refused: no gzip stream is empty, and one exporter line sends such bodies. */
const EMPTY_GZIP = failure(
  'accept the OTLP export',
  "the body is empty although it says Content-Encoding: gzip (a gzip stream is at least 18 bytes), as @opentelemetry/exporter-trace-otlp-http and -proto 0.28 and 0.29 send every export but the first of a process with compression: 'gzip' (they run every export through one gzip stream, which the first one ended)",
  "Remove compression: 'gzip' from the exporter, or upgrade it to 0.30 or later.",
);

/** Why a request is not an export to /v1/traces, and what to change. */
function wrongEndpoint(method: string | undefined, path: string): string {
  const action = `handle ${method} ${path}`;
  // An exporter appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT: set to the printed URL, it is there twice.
  if (path.indexOf(TRACES_PATH) !== path.lastIndexOf(TRACES_PATH)) {
    return failure(
      action,
      `the path holds ${TRACES_PATH} twice, as when OTEL_EXPORTER_OTLP_ENDPOINT is set to the full "otlp" URL`,
      `OTEL_EXPORTER_OTLP_ENDPOINT is a base URL (exporters append ${TRACES_PATH}): set it to the "otlp" URL without ${TRACES_PATH}, or set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to the full URL.`,
    );
  }
  // The Zipkin exporter's default path (/api/v2/spans, or v1's), and the Jaeger collector's HTTP endpoint.
  const foreign = /^\/api\/v[12]\/spans$/.test(path) ? 'Zipkin' : path === '/api/traces' ? 'Jaeger' : undefined;
  if (method === 'POST' && foreign !== undefined) {
    return failure(
      action,
      `this is ${foreign}'s span endpoint, and tracehop's receiver takes OTLP only, at POST ${TRACES_PATH}`,
      NOT_OTLP_HINT,
    );
  }
  // OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (or an exporter's url) is used as is: set to the origin, exports go to "/".
  if (method === 'POST' && path === '/') {
    return failure(
      action,
      `the path is /, as when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or the exporter's url is the receiver's origin (exporters use it as is, appending nothing), and the receiver takes exports at ${TRACES_PATH}`,
      `Set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (or url) to the full "otlp" URL tracehop printed, ending in ${TRACES_PATH}, or set OTEL_EXPORTER_OTLP_ENDPOINT to its origin (exporters append ${TRACES_PATH} to that one).`,
    );
  }
  // OTEL_EXPORTER_OTLP_ENDPOINT points every signal's exporter at one base URL.
  const signal = /\/v1\/(logs|metrics)$/.exec(path)?.[1];
  if (method === 'POST' && signal !== undefined) {
    const variable = signal === 'logs' ? 'OTEL_LOGS_EXPORTER' : 'OTEL_METRICS_EXPORTER';
    return failure(
      action,
      `this is the OTLP ${signal} endpoint, and tracehop's receiver takes traces only, at POST ${TRACES_PATH}`,
      `Point only the trace exporter at tracehop: set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to the "otlp" URL tracehop printed instead of OTEL_EXPORTER_OTLP_ENDPOINT, or set ${variable}=none.`,
    );
  }
  return failure(
    action,
    `the OTLP receiver only accepts POST ${TRACES_PATH}`,
    'Point the exporter at the "otlp" URL tracehop printed.',
  );
}

async function receiveExport(
  request: AnyRequest,
  response: AnyResponse,
  options: OtlpReceiverOptions,
  limit: number,
  warnings: ExporterFaultWarnings,
): Promise<void> {
  const encoding = encodingOf(request.headers['content-type']);
  if (!encoding) {
    request.resume();
    const message = failure(
      'accept the OTLP export',
      `the content type "${request.headers['content-type'] ?? '(none)'}" is not OTLP`,
      'Send application/json or application/x-protobuf.',
    );
    sendStatus(request, response, 415, undefined, RPC_INVALID_ARGUMENT, message);
    return;
  }
  const contentEncoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const coding = bodyCodingOf(contentEncoding);
  // A gzip body may end short of a Content-Length that is its inflated size (0.27 exporters): taken when whole.
  const body = await readBody(request, limit, coding === 'gzip' ? isGzipFramedByInflatedSize : undefined);
  if (!body.ok) {
    // A client that left cannot read an answer; a too-large body gets 413.
    if (body.reason === 'aborted') return;
    const message = failure(
      'accept the OTLP export',
      `the body is larger than ${limit} bytes`,
      'Export smaller batches.',
    );
    sendStatus(request, response, 413, encoding, RPC_RESOURCE_EXHAUSTED, message);
    return;
  }
  let bytes = body.value;
  const unread = body.endedEarly === true;
  // Named only in a refusal: not joined for every export.
  const readable = (): string => readableCodings().join(', ');
  if (coding === undefined) {
    const message = failure(
      'accept the OTLP export',
      `the content encoding "${contentEncoding}" is not supported`,
      `Send ${readable()} or no Content-Encoding (OTLP/HTTP requires only gzip).`,
    );
    // A 415 for a content coding names the ones accepted (RFC 9110, 15.5.16).
    response.setHeader('accept-encoding', readable());
    sendStatus(request, response, 415, encoding, RPC_INVALID_ARGUMENT, message);
    return;
  }
  if (coding === 'gzip' && bytes.length === 0) {
    warnings.emptyGzip(EMPTY_GZIP);
    sendStatus(request, response, 400, encoding, RPC_INVALID_ARGUMENT, EMPTY_GZIP);
    return;
  }
  if (coding !== 'identity') {
    const inflated = await inflateBounded(coding, bytes, limit);
    if (!inflated.ok) {
      if (inflated.reason === 'unsupported') {
        response.setHeader('accept-encoding', readable());
        const message = failure(
          'accept the OTLP export',
          `the body is ${coding}-compressed, and ${inflated.message}`,
          `Send ${readable()} or no Content-Encoding (in the Collector: compression: gzip).`,
        );
        sendStatus(request, response, 415, encoding, RPC_INVALID_ARGUMENT, message);
        return;
      }
      const tooLarge = inflated.reason === 'too-large';
      sendStatus(
        request,
        response,
        tooLarge ? 413 : 400,
        encoding,
        tooLarge ? RPC_RESOURCE_EXHAUSTED : RPC_INVALID_ARGUMENT,
        tooLarge
          ? failure(
              'accept the OTLP export',
              `the body inflates to more than ${limit} bytes`,
              'Export smaller batches.',
            )
          : failure(
              'accept the OTLP export',
              `the ${coding} body is corrupt (${inflated.message})`,
              `Send a complete ${coding} body or no Content-Encoding.`,
            ),
      );
      return;
    }
    bytes = inflated.value;
  }
  // A UTF-8 byte order mark (a file saved by a Windows editor, posted with curl --data-binary @file) is no
  // JSON, and RFC 8259 lets a parser ignore it, as tracehop check does in a dump file; it is not forwarded.
  if (encoding === 'json' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const decoded = encoding === 'json' ? decodeJsonExport(bytes.toString('utf8')) : decodeProtobufExport(bytes);
  if (!decoded.ok) {
    sendStatus(request, response, 400, encoding, RPC_INVALID_ARGUMENT, decoded.message, unread);
    return;
  }
  if (unread) warnings.shortGzip(Number(request.headers['content-length']), body.value.length);
  const { spans, rejected, errorMessage } = decoded.value;
  options.onSpans(spans);
  // Forwarded as the exporter sent it (every field it wrote), rejected spans too: the collector decides.
  if (spans.length + rejected > 0) options.onExport?.(bytes, CONTENT_TYPES[encoding], spans.length + rejected);
  const partial = rejected > 0 ? { rejectedSpans: rejected, errorMessage } : undefined;
  if (encoding === 'protobuf')
    send(request, response, 200, 'application/x-protobuf', encodeExportResponse(partial), unread);
  else if (partial === undefined) send(request, response, 200, 'application/json', FULL_SUCCESS_JSON, unread);
  else {
    const answer = { partialSuccess: { rejectedSpans: String(rejected), errorMessage } };
    send(request, response, 200, 'application/json', JSON.stringify(answer), unread);
  }
}
