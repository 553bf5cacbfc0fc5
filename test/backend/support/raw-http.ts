import { connect } from 'node:net';

/**
 * Sends raw bytes over a fresh TCP connection and resolves with everything the server wrote before it
 * closed (or after `endAfterMs` of silence for half-sent requests we abandon on purpose).
 */
export function rawRequest(url: string, bytes: string | Buffer, options: { abandon?: boolean } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.write(bytes, () => {
      // Abandoning mid-body: the client disappears without finishing, as a killed app would.
      if (options.abandon) socket.destroy();
    });
  });
}

/** The status code of a raw HTTP/1.1 answer ("HTTP/1.1 413 ..."), or 0 when there was none. */
export function statusOf(raw: string): number {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(raw);
  return match ? Number(match[1]) : 0;
}

/** The body of a raw HTTP/1.1 answer (everything after the blank line), or "" when there was none. */
export function bodyOf(raw: string): string {
  const start = raw.indexOf('\r\n\r\n');
  return start < 0 ? '' : raw.slice(start + 4);
}
