import { makeSpan } from '../model/test-support/make-span';
import { checkJourneyRun } from '.';

/** A run record holding one span: a gateway call refused, its status message kept (Span.statusMessage). */
const record = (statusMessage: unknown): unknown => ({
  version: 1,
  journey: 'checkout',
  runId: 'r1',
  recordedAt: '2026-12-05T02:00:00.000Z',
  worker: '1',
  spans: [{ ...makeSpan({ id: 'c', kind: 'client', service: 'api-gateway' }), statusCode: 2, statusMessage }],
  captures: [],
  problems: [],
});

describe('checkJourneyRun', () => {
  it("takes a span's status message, which the readers keep for an ERROR span", () => {
    const checked = checkJourneyRun(record('connect ECONNREFUSED 127.0.0.1:33001'), 'run.json');
    expect(checked.ok && checked.value.spans[0]?.statusMessage).toBe('connect ECONNREFUSED 127.0.0.1:33001');
    const bad = checkJourneyRun(record(2), 'run.json');
    expect(bad.ok ? 'ok' : bad.message).toBe(
      '[tracehop] Failed to read a journey run from "run.json": spans[0].statusMessage must be a string (got number 2). Record runs with recordJourney() from tracehop/jest.',
    );
  });
});
