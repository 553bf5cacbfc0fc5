import { constants, Http2ServerResponse } from 'node:http2';
import type { AnyRequest, AnyResponse } from './listener';

/**
 * What an answer to a request whose body is left unread (a 413) carries so that the client stops sending it:
 * over HTTP/1.1 `Connection: close` (the connection cannot carry another request past an unread body); over
 * HTTP/2 nothing, since connection-specific headers are forbidden there (RFC 9113 §8.2.2): see resetAfterAnswer.
 */
export function closeHeaders(request: AnyRequest): Readonly<Record<string, string>> {
  return request.httpVersionMajor === 2 ? {} : { connection: 'close' };
}

/**
 * Over HTTP/2, resets the stream of an answer whose request body is left unread, once the whole answer is
 * sent: RST_STREAM with NO_ERROR, how a server asks a client to stop sending a request it answered (RFC 9113
 * §8.1). The client reads the whole answer, then stops; the connection's other streams go on. Call it after
 * ending the answer (Node sends the reset once the answer is written). Over HTTP/1.1 it does nothing.
 */
export function resetAfterAnswer(response: AnyResponse): void {
  if (!(response instanceof Http2ServerResponse)) return;
  const { stream } = response;
  if (!stream.closed && !stream.destroyed) stream.close(constants.NGHTTP2_NO_ERROR);
}
