import { connect } from 'node:tls';
import { startBackend } from '../../harness/backend';

/** Opens a TLS connection to `port` and answers with how it ended (the client can never complete it). */
function tlsAttempt(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: 'localhost' });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.once('close', () => resolve('closed'));
  });
}

// An exporter given https://127.0.0.1:PORT reported OpenSSL's "wrong version number" and the receiver said nothing.
describe('a TLS client at the OTLP receiver', () => {
  it('is named once on the backend warnings, with the http:// endpoint to use', async () => {
    const warnings: string[] = [];
    let warned!: () => void;
    const firstWarning = new Promise<void>((resolve) => (warned = resolve));
    const backend = await startBackend({
      onWarning: (message) => {
        warnings.push(message);
        warned();
      },
    });
    try {
      const port = Number(new URL(backend.urls.otlp).port);
      expect(await tlsAttempt(port)).not.toBe('connected');
      await firstWarning;
      expect(await tlsAttempt(port)).not.toBe('connected');
      // A plain request after it: the receiver still serves, and a second TLS client added no second warning.
      expect((await fetch(backend.urls.spans)).status).toBe(200);
      expect(warnings).toEqual([
        `[tracehop] Failed to read an export: a client spoke TLS (https) to the OTLP receiver on port ${port}, which serves plain HTTP and gRPC without TLS. Point the exporter at http://127.0.0.1:${port} (OTEL_EXPORTER_OTLP_ENDPOINT; a gRPC exporter with insecure: true), not https.`,
      ]);
    } finally {
      await backend.stop();
    }
  });
});
