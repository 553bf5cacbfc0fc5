import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { failure } from '../../internal/messages';
import { encodeExportResponse } from '../../model/otlp-responses';
import { decodeProtobufExport, type OtlpReceiverOptions } from '../otlp-receiver';
import { bodyCodingOf, inflateBounded, readableCodings } from './body-codings';
import { percentEncode } from './grpc-message';
import { headersOverLimit, headersTooLarge } from './header-limits';

/**
 * OTLP over gRPC, served on the receiver's port beside OTLP/HTTP (the listener tells HTTP/2 from HTTP/1.1 by
 * the connection preface): the unary `TraceService/Export` call that gRPC exporters make (the Collector's
 * `otlp` exporter, the Go, Python, Java, .NET and Swift gRPC exporters). One length-prefixed message,
 * identity or gzip (the Collector's default), answered with an ExportTraceServiceResponse and `grpc-status`.
 */

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const OTHER_SIGNALS: Readonly<Record<string, string>> = {
  '/opentelemetry.proto.collector.logs.v1.LogsService/Export': 'logs',
  '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export': 'metrics',
  '/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export': 'profiles',
};
// gRPC status codes (grpc/doc/statuscodes.md).
const GRPC_OK = 0;
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_UNIMPLEMENTED = 12;
/** What grpc-accept-encoding lists: identity and the codings this runtime reads. */
const ACCEPT_ENCODING = ['identity', ...readableCodings()].join(',');
const DEFAULT_LIMIT = 20 * 1024 * 1024;

/** A gRPC status other than OK, and its message. */
interface GrpcError {
  readonly code: number;
  readonly message: string;
}

/** Ends the call with headers only ("Trailers-Only"): the status and its message, no body. */
function answerError(stream: ServerHttp2Stream, error: GrpcError): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  stream.respond(
    {
      ':status': 200,
      'content-type': 'application/grpc',
      'grpc-accept-encoding': ACCEPT_ENCODING,
      'grpc-status': String(error.code),
      'grpc-message': percentEncode(error.message),
    },
    { endStream: true },
  );
}

/** answerError, for a stream that may have closed meanwhile. */
function answerErrorQuietly(stream: ServerHttp2Stream, error: GrpcError): void {
  try {
    answerError(stream, error);
  } catch {
    // Closed: nothing to answer.
  }
}

/** Answers OK with one uncompressed message. */
function answerOk(stream: ServerHttp2Stream, message: Uint8Array): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  const headers: OutgoingHttpHeaders = {
    ':status': 200,
    'content-type': 'application/grpc',
    'grpc-accept-encoding': ACCEPT_ENCODING,
  };
  stream.respond(headers, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(GRPC_OK) }));
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  stream.end(frame);
}

function exportError(code: number, cause: string, hint: string): GrpcError {
  return { code, message: failure('accept the OTLP/gRPC export', cause, hint) };
}

/** Why a call is not a trace export tracehop takes, or undefined for one it does. */
function refusal(headers: IncomingHttpHeaders): GrpcError | undefined {
  const path = headers[':path'] ?? '';
  const signal = OTHER_SIGNALS[path];
  if (signal !== undefined) {
    return exportError(
      GRPC_UNIMPLEMENTED,
      `this is the OTLP ${signal} service, and tracehop's receiver takes traces only`,
      `Point only the trace exporter at tracehop (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), or set ${signal === 'logs' ? 'OTEL_LOGS_EXPORTER' : 'OTEL_METRICS_EXPORTER'}=none.`,
    );
  }
  if (path !== TRACE_EXPORT) {
    return exportError(
      GRPC_UNIMPLEMENTED,
      `the method "${path}" is not served; over gRPC the receiver serves ${TRACE_EXPORT.slice(1)} only`,
      'Point an OTLP trace exporter at the receiver.',
    );
  }
  return undefined;
}

/** The one message of a unary call's body, or why the body is no such message. */
function unframe(body: Buffer): { ok: true; compressed: boolean; message: Buffer } | { ok: false; cause: string } {
  if (body.length < 5) {
    return { ok: false, cause: `the request holds ${body.length} bytes, fewer than a gRPC message's 5-byte prefix` };
  }
  const flag = body[0];
  const length = body.readUInt32BE(1);
  if (flag !== 0 && flag !== 1) return { ok: false, cause: `the message's compressed flag is ${flag}, not 0 or 1` };
  if (body.length !== 5 + length) {
    return {
      ok: false,
      cause: `the message prefix says ${length} bytes but ${body.length - 5} follow (a unary call holds one message)`,
    };
  }
  return { ok: true, compressed: flag === 1, message: body.subarray(5) };
}

/** Reads the call's body up to `limit` bytes; undefined when the client went away or sent more. */
function readCall(stream: ServerHttp2Stream, limit: number): Promise<Buffer | 'too-large' | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.removeAllListeners('data');
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('close', () => resolve(undefined));
    stream.on('aborted', () => resolve(undefined));
  });
}

/** Decodes one received call and stores its spans; the status to answer, or the response message. */
async function receive(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  options: OtlpReceiverOptions,
  limit: number,
): Promise<GrpcError | Uint8Array | undefined> {
  const refused = refusal(headers);
  if (refused) return refused;
  const body = await readCall(stream, limit);
  if (body === undefined) return undefined;
  if (body === 'too-large') {
    return exportError(GRPC_RESOURCE_EXHAUSTED, `the request is larger than ${limit} bytes`, 'Export smaller batches.');
  }
  const framed = unframe(body);
  if (!framed.ok) return exportError(GRPC_INVALID_ARGUMENT, framed.cause, 'Send one length-prefixed message.');
  let bytes = framed.message;
  if (framed.compressed) {
    const named = headers['grpc-encoding'];
    const encoding = String(named ?? 'identity').toLowerCase();
    // gRPC's rule: a compressed message needs a grpc-encoding that names how; "identity" names none.
    if (encoding === 'identity') {
      const said = named === undefined ? 'names no grpc-encoding' : `says grpc-encoding "${String(named)}"`;
      return exportError(
        GRPC_INVALID_ARGUMENT,
        `the message's compressed flag is set, but the call ${said}`,
        'Send grpc-encoding: gzip with a gzip message, or clear the flag and send it uncompressed.',
      );
    }
    const coding = bodyCodingOf(encoding);
    if (coding === undefined || coding === 'identity') {
      return exportError(
        GRPC_UNIMPLEMENTED,
        `the message is compressed with "${encoding}"`,
        `Use ${readableCodings().join(', ')} or no compression (in the Collector: compression: gzip or none).`,
      );
    }
    const inflated = await inflateBounded(coding, bytes, limit);
    if (!inflated.ok) {
      if (inflated.reason === 'unsupported')
        return exportError(
          GRPC_UNIMPLEMENTED,
          `the message is ${coding}-compressed, and ${inflated.message}`,
          `Use ${readableCodings().join(', ')} or no compression (in the Collector: compression: gzip or none).`,
        );
      return inflated.reason === 'too-large'
        ? exportError(
            GRPC_RESOURCE_EXHAUSTED,
            `the message inflates to more than ${limit} bytes`,
            'Export smaller batches.',
          )
        : exportError(
            GRPC_INVALID_ARGUMENT,
            `the ${coding} message is corrupt (${inflated.message})`,
            `Send a complete ${coding} message.`,
          );
    }
    bytes = inflated.value;
  }
  const decoded = decodeProtobufExport(bytes);
  if (!decoded.ok) return { code: GRPC_INVALID_ARGUMENT, message: decoded.message };
  const { spans, rejected, errorMessage } = decoded.value;
  options.onSpans(spans);
  if (spans.length + rejected > 0) options.onExport?.(bytes, 'application/x-protobuf', spans.length + rejected);
  return encodeExportResponse(rejected > 0 ? { rejectedSpans: rejected, errorMessage } : undefined);
}

/**
 * The receiver's HTTP/2 side: answers each gRPC call on its stream. Never throws; a bad call gets a gRPC
 * status that names the fault and the fix.
 */
export function createOtlpGrpcHandler(
  options: OtlpReceiverOptions,
): (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: readonly string[]) => void {
  const limit = options.maxBodyBytes ?? DEFAULT_LIMIT;
  return (stream, headers, rawHeaders) => {
    stream.on('error', () => undefined);
    // A client may reset the stream before its handler runs: there is no one left to answer.
    if (stream.destroyed || stream.closed) return;
    const contentType = String(headers['content-type'] ?? '');
    if (headers[':method'] !== 'POST' || !contentType.startsWith('application/grpc')) {
      // Not a gRPC call (gRPC answers 415 to another content type). The receiver hands every other HTTP/2
      // request to its OTLP/HTTP side, so only a call that says gRPC without being a POST comes here.
      const body = `${failure(
        `handle ${String(headers[':method'])} ${String(headers[':path'])} over HTTP/2`,
        `the request says content type "${contentType}" but is no gRPC call (a gRPC call is a POST)`,
        'Use a gRPC exporter, or send OTLP/HTTP with Content-Type application/json or application/x-protobuf to the "otlp" URL.',
      )}\n`;
      try {
        stream.respond({ ':status': 415, 'content-type': 'text/plain; charset=utf-8' });
        stream.end(body);
      } catch {
        // The stream closed meanwhile: nothing to answer.
      }
      return;
    }
    const over = headersOverLimit(rawHeaders);
    if (over !== undefined) {
      // gRPC has no 431: its status for a limit passed is RESOURCE_EXHAUSTED. The body is never read.
      answerErrorQuietly(stream, {
        code: GRPC_RESOURCE_EXHAUSTED,
        message: headersTooLarge('accept the OTLP/gRPC export', over),
      });
      if (!stream.closed) stream.close();
      return;
    }
    receive(stream, headers, options, limit).then(
      (answer) => {
        if (answer === undefined) return;
        try {
          if (answer instanceof Uint8Array) answerOk(stream, answer);
          else {
            answerError(stream, answer);
            // A refused call's body may still be arriving (one too large, say): stop reading it.
            if (!stream.closed) stream.close();
          }
        } catch {
          // The client reset the stream while it was answered: nothing to do.
        }
      },
      (error: unknown) =>
        answerErrorQuietly(stream, {
          code: 13,
          message: failure(
            'accept the OTLP/gRPC export',
            error instanceof Error ? error.message : String(error),
            'This is a tracehop defect: please report it with this message.',
          ),
        }),
    );
  };
}
