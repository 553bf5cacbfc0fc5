import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { failure } from '../../internal/messages';
import type { TopologyService } from '../topology';
import { percentEncode } from './grpc-message';
import type { StreamListener } from './listener';

// gRPC status code UNIMPLEMENTED (grpc/doc/statuscodes.md).
const GRPC_UNIMPLEMENTED = 12;
/** The gRPC methods of OTLP exporters: a gRPC exporter given a service's URL instead of the receiver's. */
const OTLP_EXPORT = /^\/opentelemetry\.proto\.collector\.[a-z]+\.v1[a-z0-9]*\.[A-Za-z]+Service\/Export$/;

/** Answers a stream once; a stream the client reset meanwhile gets nothing. */
function answer(stream: ServerHttp2Stream, headers: Record<string, string | number>, body?: string): void {
  try {
    if (stream.destroyed || stream.closed || stream.headersSent) return;
    stream.respond(headers, { endStream: body === undefined });
    if (body !== undefined) stream.end(body);
  } catch {
    // Closed meanwhile: nothing to answer.
  }
}

/**
 * A mock service's answer to HTTP/2 on its port (its routes are served over HTTP/1.1): a gRPC call gets
 * UNIMPLEMENTED in gRPC's own terms (Trailers-Only, `grpc-status` 12, a `grpc-message` naming the service and
 * its routes), which a gRPC client reports as it is; any other HTTP/2 request a 505 saying the same in text.
 * An offline service drops the connection, as it drops HTTP/1.1 ones.
 */
export function serviceStreams(service: TopologyService, routes: string, isOffline: () => boolean): StreamListener {
  return (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    stream.on('error', () => undefined);
    if (isOffline()) {
      stream.session?.socket.destroy();
      return;
    }
    const method = String(headers[':method'] ?? '');
    const path = String(headers[':path'] ?? '');
    const grpc = String(headers['content-type'] ?? '').startsWith('application/grpc');
    const served = `${service.name} is a mock service that serves HTTP/1.1 routes (${routes}), not ${grpc ? 'gRPC' : 'HTTP/2'}`;
    const hint = OTLP_EXPORT.test(path)
      ? 'This is not the OTLP receiver: point the gRPC exporter at the origin of the "otlp" URL tracehop printed.'
      : `Call its routes over HTTP/1.1${grpc ? ' with JSON' : ''}.`;
    if (grpc) {
      const message = failure(`handle the gRPC call ${path} on ${service.name}`, served, hint);
      answer(stream, {
        ':status': 200,
        'content-type': 'application/grpc',
        'grpc-status': String(GRPC_UNIMPLEMENTED),
        'grpc-message': percentEncode(message),
      });
    } else {
      const message = failure(`handle ${method} ${path} over HTTP/2 on ${service.name}`, served, hint);
      answer(stream, { ':status': 505, 'content-type': 'text/plain; charset=utf-8' }, `${message}\n`);
    }
    // The call's body, if any, is not read: stop it.
    if (!stream.closed) stream.close();
  };
}
