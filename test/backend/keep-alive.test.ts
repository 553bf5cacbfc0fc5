import { startBackend } from '../../harness/backend';
import { verifySpans } from '../../harness/verify';
import { fakeAppCheckout } from './support/fake-app';

const CHAIN = ['mobile-app', 'api-gateway', 'payment-api', 'fraud-service'];

describe.each([true, false])('a backend with keepAlive %s', (keepAlive) => {
  it('carries two checkouts in a row through every hop', async () => {
    const backend = await startBackend({ keepAlive });
    try {
      const runs = [await fakeAppCheckout(backend), await fakeAppCheckout(backend)];
      const spans = await backend.store.waitFor((all) => all.length >= 12, { timeout: 5000 });
      const perTrace = runs.map((run) => spans.filter((span) => span.traceId === run.appSpan.traceId));
      const verdicts = perTrace.map((trace) => verifySpans(trace, { expect: CHAIN }));
      expect({
        statuses: runs.map((run) => run.status),
        problems: verdicts.flatMap((verdict) => verdict.problems.map((problem) => problem.kind)),
        spans: perTrace.map((trace) => trace.length),
      }).toEqual({ statuses: [200, 200], problems: [], spans: [6, 6] });
    } finally {
      await backend.stop();
    }
  });
});
