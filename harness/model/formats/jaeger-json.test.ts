import { decodeJaegerValue } from './jaeger-json';

const HINT = 'Download the trace from Jaeger (Download JSON in the UI, or GET /api/traces/{traceID}).';

describe('Jaeger JSON', () => {
  it('refuses a list of bare spans, naming the first, instead of reading no spans from it', () => {
    const span = { traceID: '2be38093ead7a083', spanID: '7606ddfe69932d34', operationName: 'op', startTime: 1 };
    const results = [decodeJaegerValue([span], { file: 'spans.json' }), decodeJaegerValue([{}], { file: 'x.json' })];
    expect(results.map((result) => !result.ok && result.message)).toEqual([
      `[tracehop] Failed to read spans from "spans.json": [0] is a span on its own, not a trace object ({traceID, spans, processes}) as the Jaeger API returns. ${HINT}`,
      `[tracehop] Failed to read spans from "x.json": [0] is not a trace object ({traceID, spans, processes}): it has no "spans". ${HINT}`,
    ]);
  });
});
