import { asTraceId, buildTrace, type Span } from '../model';
import { makeSpan, traceHex } from '../model/test-support/make-span';
import { findLostTraceStates } from './lost-tracestate';

/** mobile-app's call span with trace state `sent` above api-gateway's SERVER span with none. */
function lost(sent: string): ReturnType<typeof findLostTraceStates> {
  const spans: Span[] = [
    makeSpan({ id: 'a2', service: 'mobile-app', name: 'POST /checkout', kind: 'client', state: sent }),
    makeSpan({ id: 'b1', parent: 'a2', service: 'api-gateway', name: 'POST /checkout', kind: 'server', state: '' }),
  ];
  return findLostTraceStates(buildTrace(asTraceId(traceHex('1')), spans));
}

const FIX =
  "fix: give mobile-app's trace state Level 1 keys (a lowercase letter first, or tenant@system with a system of at most 14 characters that starts with a lowercase letter)";

describe('findLostTraceStates on a caller key valid in Trace Context Level 2 but not in Level 1', () => {
  it.each<[string, string, string]>([
    [
      'the only member, which OpenTelemetry JS drops alone',
      'a@b@c=x',
      'whose key "a@b@c" (it has more than one "@") is valid in W3C Trace Context Level 2 but not in Level 1: OpenTelemetry Go and JS accept only Level 1 keys and drop it (Go the whole header, JS the member)',
    ],
    [
      'two such keys beside a valid one',
      'vendor=abc,1vendor=x,t@averylongsystemname=y',
      'whose keys "1vendor" (it starts with a digit but has no "@") and "t@averylongsystemname" (the system-id after "@" has 19 characters, Level 1 allows 14) are valid in W3C Trace Context Level 2 but not in Level 1: OpenTelemetry Go and JS accept only Level 1 keys and drop them (Go the whole header, JS those members)',
    ],
  ])('%s: invalid-header on the caller, not a proxy', (_case, sent, why) => {
    expect(lost(sent)).toEqual([
      {
        kind: 'invalid-header',
        traceId: traceHex('1'),
        spanId: 'a200000000000000',
        service: 'mobile-app',
        header: 'tracestate',
        headerValue: sent,
        reason: 'level2-key',
        message: `api-gateway "POST /checkout" (b1000000) has no tracestate, and mobile-app's call span "POST /checkout" (a2000000) carries ${JSON.stringify(sent)}, ${why}, so no hop need have lost it; ${FIX}`,
      },
    ]);
  });

  it('still blames a proxy for a lost Level 1 multi-tenant key (a tenant may start with a digit)', () => {
    expect(lost('1tenant@vendor=x').map((problem) => [problem.kind, problem.service])).toEqual([
      ['header-span-mismatch', 'api-gateway'],
    ]);
  });
});
