import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startServe, type ServeProcess } from '../backend/support/serve-process';

/**
 * Runs the official W3C Trace Context test suite (github.com/w3c/trace-context, folder test/) against every
 * service of `tracehop serve`. Not part of `npm test`: the suite cannot be vendored or downloaded in CI.
 * Run it with `npm run test:w3c` (scripts/w3c-suite.sh says how to get the suite and checks Python).
 */
const SUITE = process.env.TRACEHOP_W3C_SUITE ?? '';
const PYTHON = process.env.TRACEHOP_W3C_PYTHON ?? 'python3';
const SERVICES = ['api-gateway', 'payment-api', 'fraud-service', 'auth-service', 'catalog-service', 'analytics'];

/** What unittest printed at the end of one run. */
interface SuiteCounts {
  readonly exitCode: number | null;
  readonly ran: number;
  readonly failures: number;
  readonly errors: number;
}

/** A loopback port the OS just handed out, for the suite's callback server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function countOf(output: string, pattern: RegExp): number {
  const match = pattern.exec(output);
  return match ? Number(match[1]) : 0;
}

function runSuite(endpoint: string, port: number): Promise<{ counts: SuiteCounts; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['test.py', endpoint], {
      cwd: SUITE,
      env: { ...process.env, SPEC_LEVEL: '2', STRICT_LEVEL: '2', HARNESS_PORT: String(port) },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (exitCode) =>
      resolve({
        output,
        counts: {
          exitCode,
          ran: countOf(output, /Ran (\d+) tests?/),
          failures: countOf(output, /failures=(\d+)/),
          errors: countOf(output, /errors=(\d+)/),
        },
      }),
    );
  });
}

const summary: string[] = [];

describe('the official W3C Trace Context suite (SPEC_LEVEL=2 STRICT_LEVEL=2)', () => {
  let serve: ServeProcess;

  beforeAll(async () => {
    if (!existsSync(join(SUITE, 'test.py'))) {
      throw new Error(
        `[tracehop] Failed to run the W3C suite: TRACEHOP_W3C_SUITE "${SUITE}" has no test.py. ` +
          'Run it through `npm run test:w3c`, which says how to get the suite.',
      );
    }
    serve = await startServe([]);
  });

  afterAll(async () => {
    await serve?.stop();
    if (summary.length > 0) process.stdout.write(`W3C Trace Context suite, per service:\n${summary.join('\n')}\n`);
  });

  test.each(SERVICES)('passes all 41 tests against %s', async (service) => {
    const { counts, output } = await runSuite(`${serve.urls.services[service]}/__tracehop/w3c`, await freePort());
    summary.push(
      `  ${service}: ${counts.ran - counts.failures - counts.errors}/${counts.ran} passed (failures ${counts.failures}, errors ${counts.errors})`,
    );
    if (counts.exitCode !== 0) process.stdout.write(`${service}:\n${output}\n`);
    expect(counts).toEqual({ exitCode: 0, ran: 41, failures: 0, errors: 0 });
  });
});
