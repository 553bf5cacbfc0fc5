import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { failure } from '../../internal/messages';
import { headerEntries, type CaptureLog } from '../capture-log';
import type { TopologyService } from '../topology';
import { percentEncode } from './grpc-message';
import { headersOverLimit, headersTooLarge } from './header-limits';
import type { StreamListener } from './listener';

// gRPC status codes RESOURCE_EXHAUSTED and UNIMPLEMENTED (grpc/doc/statuscodes.md).
const GRPC_RESOURCE_EXHAUSTED = '8';
const GRPC_UNIMPLEMENTED = '12';
/** The gRPC methods of OTLP exporters: a gRPC exporter given a service's URL instead of the receiver's. */
const OTLP_EXPORT = /^\/opentelemetry\.proto\.collector\.[a-z]+\.v1[a-z0-9]*\.[A-Za-z]+Service\/Export$/;

/** Answers a stream once; a stream the client reset meanwhile gets nothing. */
function answer(stream: ServerHttp2Stream, headers: Record<string, string | number>): void {
  try {
    if (stream.destroyed || stream.closed || stream.headersSent) return;
    stream.respond(headers, { endStream: true });
  } catch {
    // Closed meanwhile: nothing to answer.
  }
}

/** What a mock service's gRPC side needs. */
export interface ServiceStreamOptions {
  readonly service: TopologyService;
  /** The service's routes, as its messages name them ("POST /checkout, GET /search"). */
  readonly routes: string;
  readonly captures: CaptureLog;
  readonly isOffline: () => boolean;
}

/**
 * A mock service's answer to a gRPC call on its port (its routes are JSON over HTTP/1.1 or HTTP/2; other
 * HTTP/2 requests go to them): UNIMPLEMENTED in gRPC's own terms (Trailers-Only, `grpc-status` 12, a
 * `grpc-message` naming the service and its routes), which a gRPC client reports as it is; one whose headers
 * are over the limit, RESOURCE_EXHAUSTED saying so (gRPC has no 431). The call is in the
 * capture log as any request is (its headers as they arrived, pseudo-headers first), with that answer. An
 * offline service drops the connection, as it drops HTTP/1.1 ones.
 */
export function serviceStreams({ service, routes, captures, isOffline }: ServiceStreamOptions): StreamListener {
  return (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: readonly string[]) => {
    stream.on('error', () => undefined);
    if (isOffline()) {
      stream.session?.destroy();
      return;
    }
    const path = String(headers[':path'] ?? '');
    const { seq } = captures.record({
      service: service.name,
      firstParty: service.firstParty,
      method: String(headers[':method'] ?? ''),
      path,
      headers: headerEntries(rawHeaders),
      timeMs: Date.now(),
    });
    const action = `handle the gRPC call ${path} on ${service.name}`;
    const over = headersOverLimit(rawHeaders);
    const hint = OTLP_EXPORT.test(path)
      ? 'This is not the OTLP receiver: point the gRPC exporter at the origin of the "otlp" URL tracehop printed.'
      : 'Call its routes with JSON, over HTTP/1.1 or HTTP/2.';
    // Headers over the limit are answered as over HTTP (431) would be, in gRPC's terms: RESOURCE_EXHAUSTED.
    const [status, message] =
      over === undefined
        ? [
            GRPC_UNIMPLEMENTED,
            failure(action, `${service.name} is a mock service that serves JSON routes (${routes}), not gRPC`, hint),
          ]
        : [GRPC_RESOURCE_EXHAUSTED, headersTooLarge(action, over)];
    const answered: [string, string][] = [
      ['content-type', 'application/grpc'],
      ['grpc-status', status],
      ['grpc-message', percentEncode(message)],
    ];
    // A gRPC call no route serves: its answer is kept, as a 404's is.
    captures.attachResponse(seq, { status: 200, headers: answered });
    answer(stream, { ':status': 200, ...Object.fromEntries(answered) });
    // The call's body, if any, is not read: stop it.
    if (!stream.closed) stream.close();
  };
}
