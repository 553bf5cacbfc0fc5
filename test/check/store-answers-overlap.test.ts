import { runCli, tempFiles } from './support';

const T = 1_796_445_073_000_000; // µs, as Jaeger writes times
const TRACE = 'c'.repeat(32);

function span(id: string, parent: string | undefined, processID: string, kind: string, from: number, to: number) {
  return {
    traceID: TRACE,
    spanID: id.repeat(8),
    operationName: 'POST',
    references: parent ? [{ refType: 'CHILD_OF', traceID: TRACE, spanID: parent.repeat(8) }] : [],
    startTime: T + from * 1000,
    duration: (to - from) * 1000,
    tags: [{ key: 'span.kind', type: 'string', value: kind }],
    logs: [],
    processID,
    warnings: null,
  };
}

/** Jaeger's answer to /api/traces?service=...: the one checkout, which every service's query returns whole. */
const answer = JSON.stringify({
  data: [
    {
      traceID: TRACE,
      processes: { p1: { serviceName: 'mobile-app', tags: [] }, p2: { serviceName: 'api-gateway', tags: [] } },
      spans: [span('c1', undefined, 'p1', 'client', 0, 100), span('c2', 'c1', 'p2', 'server', 5, 95)],
    },
  ],
  total: 0,
  limit: 0,
  offset: 0,
  errors: null,
});

describe('check of trace store answers that each hold the same trace', () => {
  it('counts each span once and says the dump may hold the trace more than once, not only that an exporter retried', async () => {
    const dir = tempFiles({ 'mobile-app.json': answer, 'api-gateway.json': answer });
    const { code, stdout } = await runCli(
      ['check', '--json', '--expect', 'mobile-app,api-gateway', 'mobile-app.json', 'api-gateway.json'],
      dir,
    );
    const verdict = JSON.parse(stdout) as { spans: number; problems: unknown; warnings: unknown };
    const warning = (spanId: string, described: string): unknown => ({
      kind: 'duplicate-export',
      traceId: TRACE,
      spanId,
      service: described.split(' ')[0],
      count: 2,
      message: `${described} was exported 2 times, identical in every field tracehop reads, in trace cccccccc: counted once (an exporter re-sent a batch after a lost acknowledgement, as exporters retry, or the dump holds the trace more than once: answers of a trace store that each returned it, such as one query per service or time windows that overlap, or a file passed twice)`,
    });
    expect({ code, spans: verdict.spans, problems: verdict.problems, warnings: verdict.warnings }).toEqual({
      code: 0,
      spans: 2,
      problems: [],
      warnings: [
        warning('c1'.repeat(8), 'mobile-app "POST" (c1c1c1c1)'),
        warning('c2'.repeat(8), 'api-gateway "POST" (c2c2c2c2)'),
      ],
    });
  });
});
