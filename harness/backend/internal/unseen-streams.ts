import type { ServerHttp2Session, ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';

/**
 * Calls `onUnseen` (once) when Node resets a stream of `session` before handing it over: nghttp2 counts it as
 * processed (`state.lastProcStreamID`) but no `stream` event comes. Node does so, telling nobody, to a request
 * whose headers run past its session memory (ENHANCE_YOUR_CALM) or that RFC 9113 calls malformed
 * (PROTOCOL_ERROR), and to one with a header over 65536 bytes as sent (HPACK's limit: the connection ends with
 * COMPRESSION_ERROR). A client opens streams in order (1, 3, 5, ...), so one is missed when the next stream's id
 * skips it, or when the last one processed is past the last handed over as the client says goodbye (GOAWAY) or
 * its connection ends or times out. `socket` is the connection's own socket: its listeners, added before Node's, run while
 * the session can still be read.
 */
export function watchUnseenStreams(session: ServerHttp2Session, socket: Socket, onUnseen: () => void): void {
  let seen = -1;
  let said = false;
  const say = (): void => {
    if (said) return;
    said = true;
    onUnseen();
  };
  session.on('stream', (stream: ServerHttp2Stream) => {
    const id = stream.id ?? 0;
    if (id > seen + 2) say();
    seen = Math.max(seen, id);
  });
  // Node emits `stream` on the next tick of the read that brought it: compare once those have run.
  const atEnd = (): void => {
    const processed = session.destroyed ? undefined : session.state.lastProcStreamID;
    if (processed !== undefined)
      setImmediate(() => {
        if (processed > seen) say();
      });
  };
  session.on('goaway', atEnd);
  // A session nghttp2 ended itself (GOAWAY COMPRESSION_ERROR: a header over 65536 bytes as sent) reads no more,
  // so neither the client's goodbye nor its end reaches it: it is seen only when it times out, before Node's own
  // listener destroys it.
  session.prependListener('timeout', atEnd);
  socket.once('end', atEnd);
  socket.once('close', atEnd);
}
