import { TracehopError } from '../internal/messages';
import { startBackend } from './start-backend';

/** What startBackend(options) threw: its class and message. */
async function refusal(options: unknown): Promise<[string, string]> {
  try {
    const backend = await startBackend(options as Parameters<typeof startBackend>[0]);
    await backend.stop();
    return ['started', ''];
  } catch (error) {
    return [error instanceof TracehopError ? 'TracehopError' : String(error), (error as Error).message];
  }
}

// Called from JavaScript: a misspelt option was read as absent (the default services started in place of the
// ones given), and a topology of the wrong shape failed as a TypeError, or as a listener failure saying to check
// loopback.
describe('startBackend options', () => {
  it.each<[string, unknown, string]>([
    [
      'a misspelt option',
      { topolgy: { services: [] } },
      '[tracehop] Failed to start the mock backend: startBackend() has an unknown option "topolgy" (did you mean "topology"?). Its options are topology, faults, ports, forwardOtlpUrl, maxBodyBytes, onWarning and keepAlive.',
    ],
    [
      'a service without routes',
      { topology: { services: [{ name: 'edge', firstParty: true }] } },
      '[tracehop] Failed to read the topology "startBackend({ topology })": services[0].routes must be an array. Fix the topology given to startBackend, or leave it out to start the default one.',
    ],
    [
      'a topology that is a file name',
      { topology: 'fixtures/topology.json' },
      '[tracehop] Failed to read the topology "startBackend({ topology })": it is not an object with a "services" array. Fix the topology given to startBackend, or leave it out to start the default one.',
    ],
    // A string of faults was read as a list of letters: 'there is no service "undefined"'.
    [
      'faults given as a string',
      { faults: 'payment-api:drop-traceparent' },
      `[tracehop] Failed to start the mock backend: startBackend()'s faults is "payment-api:drop-traceparent", not a list of { service, fault } (as setFaults takes). Pass a list of { service, fault } (as setFaults takes), or leave faults out.`,
    ],
    [
      'a port out of range',
      { ports: { 'api-gateway': 70_000 } },
      `[tracehop] Failed to start the mock backend: startBackend()'s ports is {"api-gateway":70000}, not an object of ports (0 to 65535) by service name, as { "api-gateway": 8080 }. Pass an object of ports (0 to 65535) by service name, as { "api-gateway": 8080 }, or leave ports out.`,
    ],
    // A string was taken as is, and every body compared against it as a string.
    [
      'a body limit given as a string',
      { maxBodyBytes: '10' },
      `[tracehop] Failed to start the mock backend: startBackend()'s maxBodyBytes is "10", not a whole number of bytes above 0. Pass a whole number of bytes above 0, or leave maxBodyBytes out.`,
    ],
    [
      'keepAlive given as a string',
      { keepAlive: 'no' },
      `[tracehop] Failed to start the mock backend: startBackend()'s keepAlive is "no", not true or false. Pass true or false, or leave keepAlive out.`,
    ],
  ])('refuses %s before anything listens', async (_case, options, message) => {
    expect(await refusal(options)).toEqual(['TracehopError', message]);
  });

  it('starts a topology given in code as a file would be read, its methods upper-cased', async () => {
    const backend = await startBackend({
      topology: { services: [{ name: 'edge', firstParty: true, routes: [{ method: 'post', path: '/x', calls: [] }] }] },
    });
    try {
      const answer = await fetch(`${backend.urls.services.edge}/x`, { method: 'POST' });
      expect(answer.status).toBe(200);
    } finally {
      await backend.stop();
    }
  });
});
