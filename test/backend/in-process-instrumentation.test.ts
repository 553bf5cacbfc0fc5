import { join } from 'node:path';
import { ROOT, runNode } from './support/serve-process';

const APP = join(__dirname, 'support', 'in-process-app.ts');

interface Seen {
  readonly status: number;
  readonly received: Record<string, string | null>;
  readonly stored: Record<string, string[]>;
}

async function runApp(fault?: string): Promise<Seen> {
  const result = await runNode(['-r', 'ts-node/register/transpile-only', APP, ...(fault ? [fault] : [])], {
    TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
  });
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
