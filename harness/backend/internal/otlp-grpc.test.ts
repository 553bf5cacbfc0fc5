import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { createOtlpGrpcHandler } from './otlp-grpc';

/** A stream the client reset before its handler ran: answering it throws, as Node's does. */
function resetStream(): { stream: ServerHttp2Stream; answered: string[] } {
  const answered: string[] = [];
  const fail = (what: string) => () => {
    answered.push(what);
    throw Object.assign(new Error('The stream has been destroyed'), { code: 'ERR_HTTP2_INVALID_STREAM' });
  };
  const stream = {
    destroyed: true,
    closed: true,
    headersSent: false,
    on: () => stream,
    respond: fail('respond'),
    end: fail('end'),
    close: fail('close'),
  };
  return { stream: stream as unknown as ServerHttp2Stream, answered };
}

describe('createOtlpGrpcHandler', () => {
  it.each<[string, IncomingHttpHeaders]>([
    ['a plain HTTP/2 request', { ':method': 'GET', ':path': '/v1/traces' }],
    ['a gRPC call', { ':method': 'POST', ':path': '/x', 'content-type': 'application/grpc' }],
  ])('neither answers nor throws for %s on a stream already reset', (_what, headers) => {
    const handle = createOtlpGrpcHandler({ onSpans: () => undefined, allSpans: () => [] });
    const { stream, answered } = resetStream();
    expect(() => handle(stream, headers, [])).not.toThrow();
    expect(answered).toEqual([]);
  });
});
