import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startServe, type ServeProcess } from '../backend/support/serve-process';

/**
 * Runs the official W3C Trace Context test suite (github.com/w3c/trace-context, folder test/) against every
 * service of `tracehop serve`. The suite is never vendored: extract it, install python3-aiohttp, then
 *   TRACEHOP_W3C_SUITE=/tmp/w3c-suite/test npx jest test/w3c/official-suite.test.ts
 */
const SUITE = process.env.TRACEHOP_W3C_SUITE;
const PYTHON = process.env.TRACEHOP_W3C_PYTHON ?? '/usr/bin/python3';
const describeSuite = SUITE && existsSync(join(SUITE, 'test.py')) ? describe : describe.skip;

/** A loopback port the OS just handed out, for the suite's callback server. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function runSuite(endpoint: string, port: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, ['test.py', endpoint], {
      cwd: SUITE,
      env: { ...process.env, SPEC_LEVEL: '2', STRICT_LEVEL: '2', HARNESS_PORT: String(port) },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describeSuite('the official W3C Trace Context suite (SPEC_LEVEL=2 STRICT_LEVEL=2)', () => {
  let serve: ServeProcess;

  beforeAll(async () => {
    serve = await startServe([]);
  });

  afterAll(async () => {
    await serve.stop();
  });

  test.each(['api-gateway', 'payment-api', 'fraud-service', 'auth-service', 'catalog-service', 'analytics'])('passes all 41 tests against %s', async (service) => {
    const { code, output } = await runSuite(`${serve.urls.services[service]}/__tracehop/w3c`, await freePort());
    const ran = /Ran (\d+) tests/.exec(output)?.[1];
    expect({ code, ran, ok: /\nOK\s*$/.test(output) }).toEqual({ code: 0, ran: '41', ok: true });
  });
});
