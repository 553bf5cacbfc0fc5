import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';
import { failure } from '../internal/messages';
import { decodeOtlpJsonExport, decodeOtlpProtobuf, encodeOtlpJson, type Span, type SpanSource } from '../model';
import { encodeExportResponse, encodeRpcStatus } from '../model/otlp-responses';
import { corsHeaders } from './cors';
import { readBody } from './internal/read-body';
import { errorMessage, type Failure } from '../internal/result';

/** Where received spans go and how big a body may be. */
export interface OtlpReceiverOptions {
  /** Called with the spans of every accepted export. */
  readonly onSpans: (spans: Span[]) => void;
  /** Every stored span, for `GET /__tracehop/spans`. */
  readonly allSpans: () => readonly Span[];
  /** Extra read-only JSON routes (e.g. `/__tracehop/captures`). */
  readonly jsonRoutes?: Readonly<Record<string, () => unknown>>;
  /** Largest accepted body in bytes, compressed and decompressed; 4 MiB when absent. */
  readonly maxBodyBytes?: number;
}

type Encoding = 'json' | 'protobuf';

/** The outcome of decoding one export: spans to keep, and how many were rejected and why. */
interface Decoded {
  readonly spans: Span[];
  readonly rejected: number;
  readonly errorMessage: string;
}

/**
 * Why an export is refused as a whole: its body is not JSON, is JSON but no ExportTraceServiceRequest, or is
 * protobuf that cannot be decoded (a bad span alone is rejected, not the export).
 */
export type ExportDecodeReason = 'not-json' | 'not-an-export' | 'invalid-protobuf' | 'decoder-error';

type DecodeOutcome = { ok: true; value: Decoded } | Failure<ExportDecodeReason>;

const SOURCE = 'otlp-receiver';
/** Shared by every received span (frozen, as the store keeps it). */
const SOURCE_OBJECT: SpanSource = Object.freeze({ file: SOURCE });
const DEFAULT_LIMIT = 4 * 1024 * 1024;
// google.rpc.Code values used in Status bodies.
const RPC_INVALID_ARGUMENT = 3;
const RPC_RESOURCE_EXHAUSTED = 8;
const RPC_UNIMPLEMENTED = 12;

function encodingOf(contentType: string | undefined): Encoding | undefined {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes OTLP/JSON span by span, so one bad span is rejected (partial success) instead of failing the
 * whole export; a document that is not an ExportTraceServiceRequest fails as a whole.
 */
export function decodeJsonExport(text: string): DecodeOutcome {
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
  if (!isRecord(value) || !Array.isArray(value.resourceSpans)) {
    return {
      ok: false,
      reason: 'not-an-export',
      message: failure(
        'decode the OTLP/JSON export',
        'the body has no "resourceSpans" array',
        'Send an ExportTraceServiceRequest as JSON.',
      ),
    };
  }
  // One pass over the document: each resource decoded once, a bad span rejected on its own.
  const { spans, rejected, errors } = decodeOtlpJsonExport(value.resourceSpans, SOURCE_OBJECT);
  return { ok: true, value: { spans, rejected, errorMessage: errors.join(' ') } };
}

function decodeProtobufExport(bytes: Uint8Array): DecodeOutcome {
  const result = decodeOtlpProtobuf(bytes, SOURCE_OBJECT);
  if (!result.ok) return result;
  return {
    ok: true,
    value: { spans: result.spans, rejected: result.rejected, errorMessage: result.errors.slice(0, 3).join(' ') },
  };
}

function gunzipBounded(
  bytes: Buffer,
  limit: number,
): Promise<{ ok: true; value: Buffer } | Failure<'too-large' | 'corrupt'>> {
  return new Promise((resolve) => {
    gunzip(bytes, { maxOutputLength: limit }, (error, result) => {
      if (!error) resolve({ ok: true, value: result });
      else
        resolve({
          ok: false,
          reason:
            error instanceof RangeError || /maxOutputLength|buffer/i.test(error.message) ? 'too-large' : 'corrupt',
          message: error.message,
        });
    });
  });
}

/** Writes a body with CORS headers. */
function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  contentType: string,
  body: Uint8Array | string,
): void {
  if (response.headersSent || response.writableEnded) return;
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  // After a 413 the rest of the body is never read: closing stops a client that streams an endless one.
  const close = status === 413 ? { connection: 'close' } : {};
  response.writeHead(status, {
    ...corsHeaders(request.headers.origin),
    'content-type': contentType,
    'content-length': bytes.length,
    ...close,
  });
  response.end(bytes);
}

/** Answers a 4xx with a google.rpc.Status in the encoding of the request (JSON when unknown). */
function sendStatus(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  encoding: Encoding | undefined,
  code: number,
  message: string,
): void {
  if (encoding === 'protobuf')
    send(request, response, status, 'application/x-protobuf', encodeRpcStatus(code, message));
  else send(request, response, status, 'application/json', JSON.stringify({ code, message }));
}

/**
 * The OTLP/HTTP receiver: `POST /v1/traces` (JSON or protobuf, optionally gzip), `GET /__tracehop/spans`
 * (every stored span as one OTLP/JSON document), CORS preflights. Never throws; bad input gets a 4xx.
 */
export function createOtlpReceiver(
  options: OtlpReceiverOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const limit = options.maxBodyBytes ?? DEFAULT_LIMIT;
  return async (request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    if (request.method === 'OPTIONS') {
      response.writeHead(204, corsHeaders(request.headers.origin));
      response.end();
      return;
    }
    if (request.method === 'GET' && path === '/__tracehop/spans') {
      send(request, response, 200, 'application/json', JSON.stringify(encodeOtlpJson(options.allSpans())));
      return;
    }
    const jsonRoute = request.method === 'GET' ? options.jsonRoutes?.[path] : undefined;
    if (jsonRoute) {
      send(request, response, 200, 'application/json', JSON.stringify(jsonRoute()));
      return;
    }
    if (path !== '/v1/traces' || request.method !== 'POST') {
      request.resume();
      const message = failure(
        `handle ${request.method} ${path}`,
        'the OTLP receiver only accepts POST /v1/traces',
        'Point the exporter at the "otlp" URL tracehop printed.',
      );
      // The right path with the wrong method is 405 (with Allow), anything else 404.
      if (path === '/v1/traces') response.setHeader('allow', 'POST, OPTIONS');
      sendStatus(request, response, path === '/v1/traces' ? 405 : 404, undefined, RPC_UNIMPLEMENTED, message);
      return;
    }
    await receiveExport(request, response, options, limit);
  };
}

async function receiveExport(
  request: IncomingMessage,
  response: ServerResponse,
  options: OtlpReceiverOptions,
  limit: number,
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
  const body = await readBody(request, limit);
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
  const contentEncoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (contentEncoding === 'gzip') {
    const inflated = await gunzipBounded(bytes, limit);
    if (!inflated.ok) {
      const tooLarge = inflated.reason === 'too-large';
      const status = tooLarge ? 413 : 400;
      const cause = tooLarge
        ? `the body inflates to more than ${limit} bytes`
        : `the gzip body is corrupt (${inflated.message})`;
      sendStatus(
        request,
        response,
        status,
        encoding,
        tooLarge ? RPC_RESOURCE_EXHAUSTED : RPC_INVALID_ARGUMENT,
        failure('accept the OTLP export', cause, 'Send a complete gzip body or no Content-Encoding.'),
      );
      return;
    }
    bytes = inflated.value;
  } else if (contentEncoding !== 'identity') {
    const message = failure(
      'accept the OTLP export',
      `the content encoding "${contentEncoding}" is not supported`,
      'Send gzip or no Content-Encoding.',
    );
    sendStatus(request, response, 415, encoding, RPC_INVALID_ARGUMENT, message);
    return;
  }
  const decoded = encoding === 'json' ? decodeJsonExport(bytes.toString('utf8')) : decodeProtobufExport(bytes);
  if (!decoded.ok) {
    sendStatus(request, response, 400, encoding, RPC_INVALID_ARGUMENT, decoded.message);
    return;
  }
  const { spans, rejected, errorMessage } = decoded.value;
  options.onSpans(spans);
  const partial = rejected > 0 ? { rejectedSpans: rejected, errorMessage } : undefined;
  if (encoding === 'protobuf') send(request, response, 200, 'application/x-protobuf', encodeExportResponse(partial));
  else
    send(
      request,
      response,
      200,
      'application/json',
      JSON.stringify(partial ? { partialSuccess: { rejectedSpans: String(rejected), errorMessage } } : {}),
    );
}
