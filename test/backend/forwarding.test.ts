import { createServer, type AddressInfo, type Socket } from 'node:net';
import { startBackend } from '../../harness/backend';
import { fakeAppCheckout } from './support/fake-app';

const HINT =
  'Check TRACEHOP_FORWARD_OTLP points at a running OTLP/HTTP collector (…/v1/traces); tracehop keeps serving and storing spans meanwhile.';
const CHECKOUT_SPANS = [
  'api-gateway client',
  'api-gateway server',
  'fraud-service server',
  'mobile-app client',
  'payment-api client',
  'payment-api server',
];

/** A loopback port nothing listens on any more (the OS just handed it out and it was closed again). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function kinds(spans: readonly { service: string; kind: string }[]): string[] {
  return spans.map((span) => `${span.service} ${span.kind}`).sort();
}

describe('forwarding to TRACEHOP_FORWARD_OTLP', () => {
  it('sends the services’ own spans and the OTLP-received ones to the collector', async () => {
    const collector = await startBackend({
      topology: { services: [{ name: 'collector', firstParty: true, routes: [] }] },
    });
    const warnings: string[] = [];
    const backend = await startBackend({
      forwardOtlpUrl: collector.urls.otlp,
      onWarning: (message) => warnings.push(message),
    });
    try {
      const run = await fakeAppCheckout(backend);
      await backend.stop();
      const forwarded = await collector.store.waitFor((spans) => spans.length >= 6, {
        timeout: 5000,
        description: 'the forwarded checkout spans',
      });
      expect({
        status: run.status,
        forwarded: kinds(forwarded),
        ids: forwarded.map((s) => s.spanId).sort(),
        warnings,
      }).toEqual({
        status: 200,
        forwarded: CHECKOUT_SPANS,
        ids: backend.store
          .spans()
          .map((s) => s.spanId)
          .sort(),
        warnings: [],
      });
    } finally {
      await backend.stop();
      await collector.stop();
    }
  });

  it('keeps serving and storing every span while the collector refuses connections, and says so once', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1/traces`;
    const warnings: string[] = [];
    const backend = await startBackend({ forwardOtlpUrl: url, onWarning: (message) => warnings.push(message) });
    const first = await fakeAppCheckout(backend);
    const second = await fakeAppCheckout(backend);
    await backend.stop();
    expect({ statuses: [first.status, second.status], stored: backend.store.size, warnings }).toEqual({
      statuses: [200, 200],
      stored: 12,
      warnings: [`[tracehop] Failed to forward spans to "${url}": connect ECONNREFUSED ${new URL(url).host}. ${HINT}`],
    });
  });

  it('answers requests without waiting on a collector that accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/traces`;
    const warnings: string[] = [];
    const backend = await startBackend({ forwardOtlpUrl: url, onWarning: (message) => warnings.push(message) });
    try {
      const first = await fakeAppCheckout(backend);
      // The first export is still waiting on the silent collector; the next checkout is served regardless.
      const second = await fakeAppCheckout(backend);
      expect({
        statuses: [first.status, second.status],
        stored: backend.store.size,
        exportsOpen: sockets.length > 0,
        warnings,
      }).toEqual({
        statuses: [200, 200],
        stored: 12,
        exportsOpen: true,
        warnings: [],
      });
    } finally {
      // Refuse new exports first, so stop() does not wait out the flush deadline on a fresh silent connection.
      silent.close();
      for (const socket of sockets) socket.destroy();
      await backend.stop();
    }
  });

  test.each(['collector:4318', 'ftp://127.0.0.1/v1/traces', 'not a url'])(
    'refuses %j before starting anything',
    async (url) => {
      await expect(startBackend({ forwardOtlpUrl: url })).rejects.toThrow(
        `[tracehop] Failed to forward spans: "${url}" is not an http(s) URL. Pass a collector URL such as http://127.0.0.1:4318/v1/traces.`,
      );
    },
  );

  it('forwards over https too (a refused https collector is reported as refused, not as an unknown protocol)', async () => {
    const port = await closedPort();
    const warnings: string[] = [];
    const backend = await startBackend({
      forwardOtlpUrl: `https://127.0.0.1:${port}/v1/traces`,
      onWarning: (message) => warnings.push(message),
    });
    await fakeAppCheckout(backend);
    await backend.stop();
    expect(warnings).toEqual([
      `[tracehop] Failed to forward spans to "https://127.0.0.1:${port}/v1/traces": connect ECONNREFUSED 127.0.0.1:${port}. ${HINT}`,
    ]);
  });
});
