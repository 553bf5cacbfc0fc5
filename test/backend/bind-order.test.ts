import { createServer, Server, type AddressInfo } from 'node:net';
import { startBackend } from '../../harness/backend';
import { fakeAppCheckout } from './support/fake-app';

/** Two distinct loopback ports the OS just handed out, both closed again. */
async function freedPorts(): Promise<[number, number]> {
  const servers = [createServer(), createServer()];
  for (const server of servers) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return [ports[0]!, ports[1]!];
}

describe('startBackend with given ports', () => {
  it('binds the ports it is given before any port the OS picks, and lists services in topology order', async () => {
    // A port the caller just freed could otherwise be taken by one of this backend's own OS-picked listeners
    // (the redirector or an earlier service), and the given port's bind would fail with "in use".
    const [otlp, payment] = await freedPorts();
    const listened: unknown[] = [];
    const listen = Server.prototype.listen;
    const spy = jest.spyOn(Server.prototype, 'listen').mockImplementation(function (this: Server, ...args: unknown[]) {
      listened.push(args[0]);
      return (listen as (...rest: unknown[]) => Server).apply(this, args);
    });
    let backend;
    try {
      backend = await startBackend({ ports: { otlp, 'payment-api': payment } });
    } finally {
      spy.mockRestore();
    }
    try {
      const run = await fakeAppCheckout(backend);
      expect({
        listened,
        services: Object.keys(backend.urls.services),
        payment: backend.urls.services['payment-api'],
        otlp: backend.urls.otlp,
        status: run.status,
      }).toEqual({
        // payment-api and the receiver first, then the five other services and the redirector.
        listened: [payment, otlp, 0, 0, 0, 0, 0, 0],
        services: ['api-gateway', 'payment-api', 'fraud-service', 'auth-service', 'catalog-service', 'analytics'],
        payment: `http://127.0.0.1:${payment}`,
        otlp: `http://127.0.0.1:${otlp}/v1/traces`,
        status: 200,
      });
    } finally {
      await backend.stop();
    }
  });
});
