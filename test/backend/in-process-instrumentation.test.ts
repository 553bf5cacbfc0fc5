import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runNode } from './support/serve-process';

/** Plain JavaScript on the built backend (dist/): about 1 s per run, where ts-node took 6.5 s of CPU. */
const APP = join(__dirname, 'support', 'in-process-app.js');
/** One app run: start the backend, one checkout, two flushes, stop; under 2 s on an idle machine. */
const APP_RUN_MS = 30_000;

interface Seen {
  readonly status: number;
  readonly received: Record<string, string | null>;
  readonly stored: Record<string, string[]>;
}

async function runApp(fault?: string): Promise<Seen> {
  if (!existsSync(join(ROOT, 'dist', 'harness', 'backend', 'index.js')))
    throw new Error('dist/ is missing: run "npm run build" before this suite');
  const result = await runNode([APP, ...(fault ? [fault] : [])], {}, APP_RUN_MS);
  if (result.code !== 0) throw new Error(`the app failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Seen;
}

/** The spans of one checkout: the app's two (instrumentation-http names its CLIENT span by method) and ours. */
const ONE_CHECKOUT = {
  'mobile-app': ['client POST', 'internal checkout'],
  'api-gateway': ['client POST /payments', 'server POST /checkout'],
  'payment-api': ['client POST /fraud/score', 'server POST /payments'],
  'fraud-service': ['server POST /fraud/score'],
};

describe('the backend in the process of an app with OpenTelemetry HTTP instrumentation', () => {
  it('stores only the checkout: no span of its own servers, no export traced and exported again', async () => {
    const seen = await runApp();
    expect(seen.status).toBe(200);
    expect(seen.stored).toEqual(ONE_CHECKOUT);
    const [, traceId] = seen.received['api-gateway']!.split('-');
    for (const service of ['payment-api', 'fraud-service']) expect(seen.received[service]!.split('-')[1]).toBe(traceId);
  });

  it('keeps a fault the instrumentation would hide: drop-traceparent leaves payment-api without one', async () => {
    const seen = await runApp('drop-traceparent');
    expect(seen.status).toBe(200);
    expect(seen.received['payment-api']).toBeNull();
    expect(seen.stored).toEqual(ONE_CHECKOUT);
  });
});
